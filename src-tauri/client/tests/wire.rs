//! Answers the double does not give: canned HTTP responses from a tiny local server, to pin down redirects
//! (the token never goes to another origin), token-endpoint error pages, and the size cap.
//!
//! A test binary of its own, not a module of `tests/integration`:
//! `loopback_never_goes_through_the_proxy_and_other_hosts_do` sets the proxy variables for the whole process
//! (and `set_var` while other threads read the environment is unsound), which would reach the tests of any
//! binary this file shared.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use phraseanet_client::{Api, Error, HttpOptions, Secret, ServerUrl, SignIn};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

type Handler = Arc<dyn Fn(&str, &str) -> String + Send + Sync>;

/// Serves `handler(path_and_query, port_of_other_server)` and records every request head.
struct Mini {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

async fn mini(handler: Handler) -> Mini {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let handler = handler.clone();
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf).to_string();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                log.lock().unwrap().push(head);
                let resp = handler(&path, "");
                let _ = sock.write_all(resp.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    Mini { url, seen }
}

fn http(status: &str, headers: &[&str], body: &str) -> String {
    let mut s = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for h in headers {
        s.push_str(h);
        s.push_str("\r\n");
    }
    s.push_str("\r\n");
    s.push_str(body);
    s
}

const ME: &str = r#"{"meta":{"http_code":200},"response":{"user":{"id":42,"display_name":"Mara Ek"},"collections":[],"databoxes":[]}}"#;

fn opts() -> HttpOptions {
    HttpOptions { backoff: Duration::from_millis(5), retries: 1, ..HttpOptions::default() }
}

#[tokio::test]
async fn same_origin_301_is_followed_with_the_token() {
    let m = mini(Arc::new(|path, _| {
        if path == "/api/v1/me/" {
            http("301 Moved Permanently", &["Location: /api/v1/me/?moved=1"], "")
        } else {
            http("200 OK", &["Content-Type: application/json"], ME)
        }
    }))
    .await;
    let api = Api::with_options(ServerUrl::parse(&m.url).unwrap(), Secret::new("tok123"), opts()).unwrap();
    assert_eq!(api.me().await.unwrap().user.id, 42);
    let seen = m.seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert!(seen
        .iter()
        .all(|h| h.contains("authorization: OAuth tok123") || h.contains("Authorization: OAuth tok123")));
    assert!(seen[0].to_lowercase().contains("accept: application/json"));
}

#[tokio::test]
async fn redirect_to_another_origin_never_carries_the_token() {
    let other = mini(Arc::new(|_, _| http("200 OK", &["Content-Type: application/json"], ME))).await;
    let target = format!("{}/api/v1/me/", other.url);
    let m = mini(Arc::new(move |_, _| http("302 Found", &[&format!("Location: {target}")], ""))).await;
    let api = Api::with_options(ServerUrl::parse(&m.url).unwrap(), Secret::new("tok123"), opts()).unwrap();
    let err = api.me().await.unwrap_err();
    assert_eq!(err.code(), "redirected");
    assert!(other.seen.lock().unwrap().is_empty(), "nothing was sent to the other origin");
}

#[tokio::test]
async fn oversized_answers_are_refused() {
    let big = format!(r#"{{"meta":{{"http_code":200}},"response":{{"pad":"{}"}}}}"#, "x".repeat(10_000));
    let m = mini(Arc::new(move |_, _| http("200 OK", &["Content-Type: application/json"], &big))).await;
    let o = HttpOptions { max_body: 1000, ..opts() };
    let api = Api::with_options(ServerUrl::parse(&m.url).unwrap(), Secret::new("t"), o).unwrap();
    assert_eq!(api.me().await.unwrap_err(), Error::TooLarge { limit: 1000 });
}

#[tokio::test]
async fn token_endpoint_answers_map_to_typed_errors() {
    let cases: Vec<(String, &str)> = vec![
        (
            http(
                "400 Bad Request",
                &["Content-Type: text/html"],
                "<html>Whoops, something went wrong</html>",
            ),
            "oauth-error-page",
        ),
        (
            http(
                "400 Bad Request",
                &["Content-Type: application/json"],
                r#"{"msg":"This route requires the use of the https scheme: 1","code":400}"#,
            ),
            "https-required",
        ),
        (
            http("400 Bad Request", &["Content-Type: application/json"], r#"{"error":"expired_token"}"#),
            "expired-code",
        ),
        (
            http("400 Bad Request", &["Content-Type: application/json"], r#"{"error":"invalid_client"}"#),
            "invalid-client",
        ),
        (
            http("400 Bad Request", &["Content-Type: application/json"], r#"{"error":"invalid_scope"}"#),
            "oauth",
        ),
        (
            http("301 Moved Permanently", &["Location: https://dam.example.org/api/oauthv2/token"], ""),
            "redirected",
        ),
        (http("502 Bad Gateway", &["Content-Type: text/html"], "<html>proxy</html>"), "server"),
        (http("404 Not Found", &["Content-Type: text/html"], "<html>nope</html>"), "not-phraseanet"),
        (http("200 OK", &["Content-Type: text/html"], "<html>a blog</html>"), "not-phraseanet"),
    ];
    for (resp, code) in cases {
        let m = mini(Arc::new(move |_, _| resp.clone())).await;
        let s = SignIn::new(ServerUrl::parse(&m.url).unwrap(), "abc", Some(Secret::new("sec"))).unwrap();
        let err = s.finish_oob("0123456789abcdef0123456789abcdef").await.unwrap_err();
        assert_eq!(err.code(), code, "{err:?}");
        let head = m.seen.lock().unwrap()[0].clone();
        assert!(head.starts_with("POST /api/oauthv2/token "), "{head}");
        assert!(head.to_lowercase().contains("content-type: application/x-www-form-urlencoded"));
    }
}

#[tokio::test]
async fn token_success_without_token_type_then_me() {
    let m = mini(Arc::new(|path, _| {
        if path.starts_with("/api/oauthv2/token") {
            http(
                "200 OK",
                &["Content-Type: application/json", "Cache-Control: no-store"],
                r#"{"access_token":"0c5e2b8a9f1d4e7b6a3c2d1e0f9a8b7c","scope":null}"#,
            )
        } else {
            http("200 OK", &["Content-Type: application/json"], ME)
        }
    }))
    .await;
    let s = SignIn::new(ServerUrl::parse(&m.url).unwrap(), "abc", None).unwrap();
    let signed = s.finish_oob("4be3a1f09c2d8e7b6a5f4e3d2c1b0a99").await.unwrap();
    assert_eq!(signed.token().expose(), "0c5e2b8a9f1d4e7b6a3c2d1e0f9a8b7c");
    assert_eq!(signed.me.user.name(), "Mara Ek");
    let seen = m.seen.lock().unwrap();
    // First the transport probe, with a dummy token (never the real one), then /me/ with the token.
    assert!(seen[1].starts_with("GET /api/v1/me/ "));
    assert!(seen[1].contains("OAuth 0\r\n") && !seen[1].contains("0c5e2b8a"), "{}", seen[1]);
    assert!(seen[2].starts_with("GET /api/v1/me/ "));
    assert!(seen[2].contains("OAuth 0c5e2b8a9f1d4e7b6a3c2d1e0f9a8b7c"));
}

#[tokio::test]
async fn media_single_flight_and_auth_header_only_on_the_api_origin() {
    let api_server =
        mini(Arc::new(|_, _| http("200 OK", &["Content-Type: image/jpeg"], "same-origin-bytes"))).await;
    let cdn = mini(Arc::new(|_, _| http("200 OK", &["Content-Type: image/jpeg"], "cdn-bytes"))).await;
    let api =
        Api::with_options(ServerUrl::parse(&api_server.url).unwrap(), Secret::new("tok123"), opts()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let media =
        phraseanet_client::Media::new(api, phraseanet_client::MediaOptions::in_dir(dir.path())).unwrap();

    let same = phraseanet_client::MediaSource::url(&format!("{}/medias/abc", api_server.url));
    let got = futures_util::future::join_all((0..10).map(|_| media.fetch(&same))).await;
    assert!(got.iter().all(|g| g.is_ok()));
    assert_eq!(api_server.seen.lock().unwrap().len(), 1, "ten asks, one transfer");
    assert!(api_server.seen.lock().unwrap()[0].contains("OAuth tok123"));

    let other =
        phraseanet_client::MediaSource::url(&format!("{}/permalink/v1/1/2/preview/x.jpg?token=p", cdn.url));
    let m = media.fetch(&other).await.unwrap();
    assert_eq!(std::fs::read(&m.path).unwrap(), b"cdn-bytes");
    let head = cdn.seen.lock().unwrap()[0].to_lowercase();
    assert!(!head.contains("authorization"), "{head}");
    assert!(!head.contains("tok123"));
}

#[tokio::test]
async fn too_many_requests_waits_for_retry_after_then_succeeds() {
    let calls = Arc::new(Mutex::new(0));
    let count = calls.clone();
    let m = mini(Arc::new(move |_, _| {
        let mut n = count.lock().unwrap();
        *n += 1;
        if *n == 1 {
            http(
                "429 Too Many Requests",
                &["Retry-After: 1", "Content-Type: text/html"],
                "<html>slow down</html>",
            )
        } else {
            http("200 OK", &["Content-Type: application/json"], ME)
        }
    }))
    .await;
    let api = Api::with_options(ServerUrl::parse(&m.url).unwrap(), Secret::new("t"), opts()).unwrap();
    let started = std::time::Instant::now();
    assert_eq!(api.me().await.unwrap().user.id, 42);
    assert!(started.elapsed() >= Duration::from_millis(950), "Retry-After was honoured");
    // A Retry-After longer than the client accepts fails at once, with its own code.
    let m = mini(Arc::new(|_, _| http("429 Too Many Requests", &["Retry-After: 3600"], ""))).await;
    let api = Api::with_options(ServerUrl::parse(&m.url).unwrap(), Secret::new("t"), opts()).unwrap();
    let err = api.me().await.unwrap_err();
    assert_eq!(err.code(), "rate-limited", "{err:?}");
    assert_eq!(m.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_basket_list_that_fails_as_a_whole_is_named() {
    let body = r#"{"meta":{"http_code":404,"error_type":"Not Found","error_message":"Participant not found"},"response":{}}"#;
    let m =
        mini(Arc::new(move |_, _| http("404 Not Found", &["Content-Type: application/json"], body))).await;
    let api = Api::with_options(ServerUrl::parse(&m.url).unwrap(), Secret::new("t"), opts()).unwrap();
    let err = api.baskets().await.unwrap_err();
    assert_eq!(err.code(), "basket-list-broken");
    assert!(err.hint().unwrap().contains("administrator"));
}

#[tokio::test]
async fn media_follow_same_host_redirects_and_refuse_other_hosts() {
    let m = mini(Arc::new(|path, _| match path {
        "/medias/old" => http("301 Moved Permanently", &["Location: /medias/new"], ""),
        "/medias/new" => http("200 OK", &["Content-Type: image/jpeg"], "moved-bytes"),
        _ => http("302 Found", &["Location: http://cdn.example.org/x.jpg"], ""),
    }))
    .await;
    let api = Api::with_options(ServerUrl::parse(&m.url).unwrap(), Secret::new("tok123"), opts()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let media =
        phraseanet_client::Media::new(api, phraseanet_client::MediaOptions::in_dir(dir.path())).unwrap();
    let got =
        media.fetch(&phraseanet_client::MediaSource::url(&format!("{}/medias/old", m.url))).await.unwrap();
    assert_eq!(std::fs::read(&got.path).unwrap(), b"moved-bytes");
    let err = media
        .fetch(&phraseanet_client::MediaSource::url(&format!("{}/medias/away", m.url)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "redirected", "{err:?}");
    // Plain http to a host that is not loopback is refused before any request.
    let err = media
        .fetch(&phraseanet_client::MediaSource::url("http://dam.example.org/medias/x"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "insecure-http", "{err:?}");
}

#[tokio::test]
async fn loopback_never_goes_through_the_proxy_and_other_hosts_do() {
    // A "proxy" that records what reaches it and closes.
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let heard = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = heard.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = proxy.accept().await {
            let mut buf = [0u8; 2048];
            let n = sock.read(&mut buf).await.unwrap_or(0);
            log.lock().unwrap().push(String::from_utf8_lossy(&buf[..n]).to_string());
        }
    });
    // Every test of this binary talks to loopback only, so the proxy variables cannot disturb them.
    for var in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"] {
        std::env::set_var(var, &proxy_url);
    }
    let m = mini(Arc::new(|_, _| http("200 OK", &["Content-Type: application/json"], ME))).await;
    let api = Api::with_options(ServerUrl::parse(&m.url).unwrap(), Secret::new("tok123"), opts()).unwrap();
    assert_eq!(api.me().await.unwrap().user.id, 42);
    assert_eq!(m.seen.lock().unwrap().len(), 1, "the loopback server was reached directly");
    // A remote server is reached through the proxy (here it just closes: a network error).
    let remote = ServerUrl::parse("https://dam.example.org").unwrap();
    let _ = phraseanet_client::discover(&remote, &opts()).await;
    let heard = heard.lock().unwrap().clone();
    assert!(heard.iter().any(|h| h.starts_with("CONNECT dam.example.org:443")), "{heard:?}");
    assert!(heard.iter().all(|h| !h.contains("tok123")), "no loopback request went to the proxy");
}

#[tokio::test]
async fn media_bytes_are_never_decompressed_on_the_way() {
    // An "encoded" body that is not even valid gzip: decoding would fail; the bytes must arrive as sent.
    let m = mini(Arc::new(|_, _| {
        http("200 OK", &["Content-Type: image/jpeg", "Content-Encoding: gzip"], "raw-bytes-as-sent")
    }))
    .await;
    let api = Api::with_options(ServerUrl::parse(&m.url).unwrap(), Secret::new("t"), opts()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let media =
        phraseanet_client::Media::new(api, phraseanet_client::MediaOptions::in_dir(dir.path())).unwrap();
    let got =
        media.fetch(&phraseanet_client::MediaSource::url(&format!("{}/medias/z", m.url))).await.unwrap();
    assert_eq!(std::fs::read(&got.path).unwrap(), b"raw-bytes-as-sent");
    assert!(m.seen.lock().unwrap()[0].to_lowercase().contains("accept-encoding: identity"));
}
