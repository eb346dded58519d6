//! Media over HTTP: signed URLs, permalinks, real bytes, sizes, sha256, Range, HEAD, expiry.

use crate::common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

async fn embed(sim: &phraseanet_sim::Sim, r: phraseanet_sim::RecordRef, extra: &str) -> Vec<Value> {
    let (status, v) =
        api(sim, &format!("/api/v1/records/{}/{}/embed/?{extra}", r.databox_id, r.record_id)).await;
    assert_eq!(status, 200);
    v["response"]["embed"].as_array().unwrap().clone()
}

fn find<'a>(embed: &'a [Value], name: &str) -> &'a Value {
    embed.iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("no {name}"))
}

async fn fetch(url: &str, range: Option<&str>) -> reqwest::Response {
    let mut rb = http().get(url);
    if let Some(r) = range {
        rb = rb.header("Range", r);
    }
    rb.send().await.unwrap()
}

#[tokio::test]
async fn thumbnails_and_previews_are_real_images_of_the_announced_size() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let mut seen = Vec::new();
    for r in [f.image_record, f.png_record, f.video_record, f.document_record, f.no_permalink_record] {
        let e = embed(&sim, r, "").await;
        for name in ["thumbnail", "preview"] {
            let s = find(&e, name);
            if s["mime_type"] == "video/mp4" {
                continue;
            }
            for url in [
                s["url"].as_str().unwrap().to_string(),
                s["permalink"]["url"].as_str().map(String::from).unwrap_or_default(),
            ] {
                if url.is_empty() {
                    continue;
                }
                let res = fetch(&url, None).await;
                assert_eq!(res.status().as_u16(), 200, "{url}");
                assert_eq!(res.headers()["content-type"], s["mime_type"].as_str().unwrap());
                assert_eq!(res.headers()["accept-ranges"], "bytes");
                let len: u64 = res.headers()["content-length"].to_str().unwrap().parse().unwrap();
                let bytes = res.bytes().await.unwrap();
                assert_eq!(bytes.len() as u64, len);
                assert_eq!(len, s["filesize"].as_u64().unwrap(), "filesize is exact for {name} of {r:?}");
                let img = image::load_from_memory(&bytes).expect("decodable");
                assert_eq!(
                    (img.width() as u64, img.height() as u64),
                    (s["width"].as_u64().unwrap(), s["height"].as_u64().unwrap())
                );
                if name == "thumbnail" {
                    seen.push(bytes);
                }
            }
        }
    }
    seen.dedup();
    assert!(seen.len() >= 5, "thumbnails differ per record");
}

#[tokio::test]
async fn originals_match_their_sha256_and_support_ranges() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let (_, basket) = api(&sim, &format!("/api/v1/baskets/{}/content/", f.media_basket_id)).await;
    let mut mimes = Vec::new();
    let mut drift = Vec::new();
    for el in basket["response"]["basket_elements"].as_array().unwrap() {
        let rec = &el["record"];
        let r = phraseanet_sim::RecordRef {
            databox_id: rec["databox_id"].as_i64().unwrap(),
            record_id: rec["record_id"].as_i64().unwrap(),
        };
        let e = embed(&sim, r, "").await;
        let doc = find(&e, "document");
        let res = fetch(doc["url"].as_str().unwrap(), None).await;
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(res.headers()["content-type"], rec["mime_type"].as_str().unwrap());
        let bytes = res.bytes().await.unwrap();
        // `filesize` is always the served size; `sha256` is the upload's (docs/real-servers.md, "sha256").
        assert_eq!(bytes.len() as u64, doc["filesize"].as_u64().unwrap());
        let rewritten = f.rewritten_documents.contains(&r);
        let matches = hex::encode(Sha256::digest(&bytes)) == rec["sha256"].as_str().unwrap();
        assert_eq!(matches, !rewritten, "{r:?}");
        drift.push((rec["mime_type"].as_str().unwrap().to_string(), rewritten));
        let magic: &[u8] = match rec["mime_type"].as_str().unwrap() {
            "image/jpeg" => b"\xFF\xD8\xFF",
            "image/png" => b"\x89PNG",
            "application/pdf" => b"%PDF",
            "audio/mpeg" => b"ID3",
            "application/zip" => b"PK\x03\x04",
            "application/x-shockwave-flash" => b"FWS",
            "video/mp4" => &bytes[..3],
            m => panic!("unexpected {m}"),
        };
        assert!(bytes.starts_with(magic));
        if rec["mime_type"] == "video/mp4" {
            assert_eq!(&bytes[4..8], b"ftyp");
        }
        mimes.push(rec["mime_type"].as_str().unwrap().to_string());
    }
    mimes.sort();
    mimes.dedup();
    assert!(mimes.len() >= 6, "{mimes:?}");
    // The media basket has, for each rewritable type, a matching and a rewritten document.
    for mime in ["image/jpeg", "image/png", "application/pdf"] {
        for rewritten in [false, true] {
            assert!(drift.contains(&(mime.to_string(), rewritten)), "{mime} rewritten={rewritten}");
        }
    }
    // The named records stay intact; the rewritten ones are still valid files of their type.
    for r in [f.image_record, f.png_record, f.document_record] {
        assert!(!f.rewritten_documents.contains(&r));
    }

    // Range on a large original (the tail crosses the shared prefix / record segment boundary).
    let e = embed(&sim, f.image_record, "").await;
    let url = find(&e, "document")["url"].as_str().unwrap().to_string();
    let full = fetch(&url, None).await.bytes().await.unwrap();
    let len = full.len();
    assert!(len > 1_000_000, "realistic size: {len}");
    for (range, from, to) in [
        ("bytes=0-99", 0, 99),
        ("bytes=-300", len - 300, len - 1),
        (&format!("bytes={}-", len - 1000) as &str, len - 1000, len - 1),
        ("bytes=100-100", 100, 100),
    ] {
        let res = fetch(&url, Some(range)).await;
        assert_eq!(res.status().as_u16(), 206, "{range}");
        assert_eq!(res.headers()["content-range"].to_str().unwrap(), format!("bytes {from}-{to}/{len}"));
        assert_eq!(res.headers()["content-length"].to_str().unwrap(), (to - from + 1).to_string());
        assert_eq!(res.bytes().await.unwrap(), full.slice(from..=to), "{range}");
    }
    let res = fetch(&url, Some(&format!("bytes={len}-"))).await;
    assert_eq!(res.status().as_u16(), 416);
    assert_eq!(res.headers()["content-range"].to_str().unwrap(), format!("bytes */{len}"));
    let res = fetch(&url, Some("bytes=0-1,5-6")).await;
    assert_eq!(res.status().as_u16(), 200);
    // HEAD: headers only.
    let res = http().head(&url).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-length"].to_str().unwrap(), len.to_string());
    assert!(res.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn video_audio_previews_are_the_committed_samples() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    for (r, mime, player) in
        [(f.video_record, "video/mp4", "VIDEO_MP4"), (f.audio_record, "audio/mpeg", "AUDIO_MP3")]
    {
        let e = embed(&sim, r, "").await;
        let p = find(&e, "preview");
        assert_eq!(p["mime_type"], mime);
        assert_eq!(p["player_type"], player);
        let res = fetch(p["permalink"]["url"].as_str().unwrap(), Some("bytes=0-11")).await;
        assert_eq!(res.status().as_u16(), 206);
        assert_eq!(res.headers()["content-type"], mime);
        let head = res.bytes().await.unwrap();
        assert!(&head[4..8] == b"ftyp" || head.starts_with(b"ID3") || head[0] == 0xFF, "{head:?}");
    }
}

#[tokio::test]
async fn permalink_pages_downloads_and_bad_or_expired_tokens() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let e = embed(&sim, f.image_record, "subdef_url_ttl=1").await;
    let thumb = find(&e, "thumbnail");
    let link = &thumb["permalink"];
    let res = fetch(link["download_url"].as_str().unwrap(), None).await;
    assert_eq!(res.status().as_u16(), 200);
    let cd = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(
        cd.starts_with("attachment; filename=\"") && cd.contains(link["label"].as_str().unwrap()),
        "{cd}"
    );
    let res = fetch(link["page_url"].as_str().unwrap(), None).await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().contains("<img"));
    let bad = link["url"].as_str().unwrap().replace("token=", "token=x");
    assert_eq!(fetch(&bad, None).await.status().as_u16(), 404);

    // Tampered JWT or expired (ttl 1 s): 404 (UnexpectedValueException, docs/real-servers.md, "Media").
    let url = thumb["url"].as_str().unwrap().to_string();
    assert_eq!(fetch(&url, None).await.status().as_u16(), 200);
    let mut tampered = url.clone();
    tampered.pop();
    tampered.push(if url.ends_with('A') { 'B' } else { 'A' });
    assert_eq!(fetch(&tampered, None).await.status().as_u16(), 404);
    let forever = find(&embed(&sim, f.image_record, "subdef_url_ttl=-1").await, "thumbnail")["url"]
        .as_str()
        .unwrap()
        .to_string();
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(fetch(&url, None).await.status().as_u16(), 404);
    assert_eq!(fetch(&forever, None).await.status().as_u16(), 200);
}

/// A thumbnail's signed URL and permalink URL, as the profile renders them (token in the query: the
/// only transport every profile but header-only accepts).
async fn thumbnail_urls(sim: &phraseanet_sim::Sim) -> (String, String) {
    let r = sim.fixtures().image_record;
    let (status, v) = api_q(sim, &format!("/api/v1/records/{}/{}/embed/", r.databox_id, r.record_id)).await;
    assert_eq!(status, 200);
    let e = v["response"]["embed"].as_array().unwrap().clone();
    let t = find(&e, "thumbnail");
    (t["url"].as_str().unwrap().to_string(), t["permalink"]["url"].as_str().unwrap().to_string())
}

/// (status, WWW-Authenticate, body) of a GET with an optional header.
async fn media_get(url: &str, authorization: Option<&str>) -> (u16, String, String) {
    let mut rb = http().get(url);
    if let Some(a) = authorization {
        rb = rb.header("Authorization", a);
    }
    let res = rb.send().await.unwrap();
    let status = res.status().as_u16();
    let www =
        res.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let body = if status == 200 { String::new() } else { res.text().await.unwrap() };
    (status, www, body)
}

#[tokio::test]
async fn signed_url_errors_are_404_or_400_like_php_jwt() {
    // docs/real-servers.md, "Media": UnexpectedValueException (segments, signature, expiry) → 404;
    // DomainException → 400.
    let sim = sim().await;
    let (url, _) = thumbnail_urls(&sim).await;
    let (base, jwt) = url.split_once("/medias/").unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();
    let cases = [
        ("onlyone".to_string(), 404),
        (format!("{}.{}", parts[0], parts[1]), 404),
        (format!("{jwt}.extra"), 404),
        (format!("{}.{}.AAAA", parts[0], parts[1]), 404),
        (format!("!!!.{}.{}", parts[1], parts[2]), 400),
        (format!("{}.bm90IGpzb24.{}", parts[0], parts[2]), 400),
    ];
    for (token, status) in cases {
        assert_eq!(fetch(&format!("{base}/medias/{token}"), None).await.status().as_u16(), status, "{token}");
    }
}

#[tokio::test]
async fn media_routes_verify_a_present_token() {
    // docs/real-servers.md, "Media": OAuthListener(exit_not_present: false) on the permalink, reached by
    // /medias/ too.
    let sim = sim().await;
    let good = sim.fixtures().developer_token.clone();
    let revoked = sim.issue_token(&sim.fixtures().desktop_app.client_id).unwrap();
    assert!(sim.revoke_token(&revoked));
    let (signed, permalink) = thumbnail_urls(&sim).await;
    for url in [&signed, &permalink] {
        assert_eq!(media_get(url, None).await.0, 200, "no token: served");
        assert_eq!(media_get(url, Some(&format!("OAuth {good}"))).await.0, 200);
        let (status, www, body) = media_get(url, Some(&format!("OAuth {revoked}"))).await;
        assert_eq!(
            (status, www.as_str(), body.as_str()),
            (401, "OAuth realm='Service', error='invalid_token'", "")
        );
        let sep = if url.contains('?') { '&' } else { '?' };
        assert_eq!(media_get(&format!("{url}{sep}oauth_token={revoked}"), None).await.0, 401);
        assert_eq!(media_get(&format!("{url}{sep}oauth_token={good}"), None).await.0, 200);
    }

    // 4.0: any header → the broken parser's 400 JSON, media included (docs/real-servers.md,
    // "Token transport").
    let sim = sim_profile(phraseanet_sim::ServerProfile::V40).await;
    let good = sim.fixtures().developer_token.clone();
    let (signed, permalink) = thumbnail_urls(&sim).await;
    for url in [signed, permalink] {
        let (status, _, body) = media_get(&url, Some(&format!("OAuth {good}"))).await;
        assert_eq!((status, body.as_str()), (400, r#"{"error":"invalid_request"}"#));
        assert_eq!(media_get(&url, None).await.0, 200);
    }
    // 4.1.0: a header is "not present" (GET/POST only): served, unverified.
    let sim = sim_profile(phraseanet_sim::ServerProfile::V410).await;
    let (signed, _) = thumbnail_urls(&sim).await;
    assert_eq!(media_get(&signed, Some("OAuth 00000000000000000000000000000000")).await.0, 200);
}

#[tokio::test]
async fn rate_limited_media_answer_429_with_retry_after() {
    // docs/real-servers.md, "Media": nginx limit_req on location / (media), not on /api.
    let sim = sim_opts(phraseanet_sim::SimOptions {
        behind: phraseanet_sim::Behind::RateLimit,
        rate_limit_per_sec: 5,
        ..Default::default()
    })
    .await;
    let (signed, permalink) = thumbnail_urls(&sim).await;
    let mut limited = 0;
    for i in 0..30 {
        let url = if i % 2 == 0 { &signed } else { &permalink };
        let res = http().get(url).send().await.unwrap();
        match res.status().as_u16() {
            200 => {}
            429 => {
                assert_eq!(res.headers()["retry-after"], "1");
                assert!(res.text().await.unwrap().contains("429 Too Many Requests"));
                limited += 1;
            }
            s => panic!("{s}"),
        }
    }
    assert!(limited >= 10, "{limited}");
    for _ in 0..30 {
        assert_eq!(api_q(&sim, "/api/v1/me/").await.0, 200, "the API is not limited");
    }
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(fetch(&signed, None).await.status().as_u16(), 200, "the bucket refills");
    assert!(sim.requests().iter().any(|r| r.status == 429 && r.path.starts_with("/medias/")));
}

/// A client that trusts the double's self-signed certificate.
/// The image record's thumbnail subdef, read over TLS with the developer token.
async fn tls_thumbnail(sim: &phraseanet_sim::Sim, client: &reqwest::Client) -> Value {
    let f = sim.fixtures();
    let r = f.image_record;
    let url = format!(
        "{}/api/v1/records/{}/{}/embed/?oauth_token={}",
        sim.url(),
        r.databox_id,
        r.record_id,
        f.developer_token
    );
    let v: Value = client.get(url).send().await.unwrap().json().await.unwrap();
    find(v["response"]["embed"].as_array().unwrap(), "thumbnail").clone()
}

fn tls_client(sim: &phraseanet_sim::Sim) -> reqwest::Client {
    let pem = sim.ca_pem().expect("tls on");
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn tls_serves_https_with_https_urls() {
    let sim =
        sim_opts(phraseanet_sim::SimOptions { tls: true, require_https: true, ..Default::default() }).await;
    assert!(sim.url().starts_with("https://localhost:"), "{}", sim.url());
    let client = tls_client(&sim);
    let thumb = tls_thumbnail(&sim, &client).await;
    let signed = thumb["url"].as_str().unwrap();
    assert!(signed.starts_with(&format!("{}/medias/", sim.url())), "{signed}");
    assert!(thumb["permalink"]["url"].as_str().unwrap().starts_with("https://localhost:"));
    let bytes = client.get(signed).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, thumb["filesize"].as_u64().unwrap());
    // The connection is HTTPS: the gate lets the token request through to the library.
    let res = client
        .post(format!("{}/api/oauthv2/token", sim.url()))
        .form(&[("grant_type", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), r#"{"error":"invalid_request"}"#);
    // A client that does not trust the certificate fails the handshake.
    assert!(http().get(format!("{}/api/", sim.url())).send().await.is_err());
}

#[tokio::test]
async fn behind_an_untrusted_tls_proxy_urls_say_http() {
    // docs/real-servers.md, "Media" and "Sign-in": PHP sees plain http from the proxy and ignores
    // X-Forwarded-Proto.
    let sim = sim_opts(phraseanet_sim::SimOptions {
        behind: phraseanet_sim::Behind::TlsProxy,
        require_https: true,
        ..Default::default()
    })
    .await;
    assert!(sim.url().starts_with("https://localhost:"));
    let client = tls_client(&sim);
    let thumb = tls_thumbnail(&sim, &client).await;
    let port = sim.url().rsplit(':').next().unwrap().to_string();
    for u in [&thumb["url"], &thumb["permalink"]["url"], &thumb["permalink"]["page_url"]] {
        assert!(u.as_str().unwrap().starts_with(&format!("http://localhost:{port}/")), "{u}");
    }
    // The same path over https works; plain http on that port is not served.
    let https = thumb["url"].as_str().unwrap().replacen("http://", "https://", 1);
    assert_eq!(client.get(&https).send().await.unwrap().status().as_u16(), 200);
    assert!(http().get(thumb["url"].as_str().unwrap()).send().await.is_err());
    // Redirects too.
    let res = client
        .get(format!("{}/api/v1/me?oauth_token={}", sim.url(), sim.fixtures().developer_token))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 301);
    assert!(res.headers()["location"].to_str().unwrap().starts_with("http://localhost:"));
    // The https gate refuses although the client used https, X-Forwarded-Proto or not.
    for proto in [None, Some("https")] {
        let mut rb = client.post(format!("{}/api/oauthv2/token", sim.url())).form(&[("grant_type", "x")]);
        if let Some(p) = proto {
            rb = rb.header("X-Forwarded-Proto", p);
        }
        let res = rb.send().await.unwrap();
        assert_eq!(res.status().as_u16(), 400);
        assert_eq!(
            res.text().await.unwrap(),
            r#"{"msg":"This route requires the use of the https scheme: 1","code":400}"#
        );
    }
}
