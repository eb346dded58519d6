//! Media over HTTP: signed URLs, permalinks, real bytes, sizes, sha256, Range, HEAD, expiry.

mod common;

use common::*;
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
        // `filesize` is always the served size; `sha256` is the upload's (notes C3).
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

    // Tampered JWT or expired (ttl 1 s): 404 (UnexpectedValueException, notes C7).
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
