//! Download answers the double does not give (short or misplaced 206, oversize bodies), from a tiny
//! canned HTTP server.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::*;
use crate::http::HttpOptions;
use crate::media::filename::reserve;
use crate::url::ServerUrl;
use crate::vault::Secret;

type Handler = Arc<dyn Fn(&str) -> Vec<u8> + Send + Sync>;

/// Serves `handler(request head)` and records every request head.
async fn mini(handler: Handler) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/file", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (handler, log) = (handler.clone(), log.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf).to_lowercase();
                log.lock().unwrap().push(head.clone());
                let _ = sock.write_all(&handler(&head)).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (url, seen)
}

fn answer(status: &str, headers: &[String], body: &[u8]) -> Vec<u8> {
    let mut s = format!("HTTP/1.1 {status}\r\nConnection: close\r\nETag: \"v1\"\r\n");
    for h in headers {
        s.push_str(h);
        s.push_str("\r\n");
    }
    s.push_str("\r\n");
    let mut out = s.into_bytes();
    out.extend_from_slice(body);
    out
}

fn content() -> Vec<u8> {
    (0..100u8).collect()
}

fn identity() -> PartIdentity {
    PartIdentity { record: "1/7".into(), subdef: "document".into(), updated_on: None, filesize: 100 }
}

fn api(url: &str) -> Api {
    let opts = HttpOptions { backoff: Duration::from_millis(5), retries: 1, ..HttpOptions::default() };
    Api::with_options(ServerUrl::parse(url).unwrap(), Secret::new("t"), opts).unwrap()
}

fn no_progress(_: DownloadProgress) {}

async fn download(url: &str, dir: &Path, expected_size: Option<u64>) -> Result<DownloadedFile> {
    let cancel = CancellationToken::new();
    let job = Job {
        id: "1/7".into(),
        url: url.into(),
        reservation: reserve(dir, "f.bin", &|p| resumable(p, &identity())).unwrap(),
        identity: identity(),
        expected_size,
        expected_sha256: None,
        hash: true,
        progress: &no_progress,
        cancel: &cancel,
    };
    run(&api(url), job, || async { Ok(None) }).await
}

/// A `.part` of this version left by an earlier run: 40 bytes and its sidecar.
fn leftover(dir: &Path) {
    let part = dir.join("f.bin.part");
    std::fs::write(&part, &content()[..40]).unwrap();
    part::remember(&part, &identity(), "\"v1\"");
}

fn range_from(head: &str) -> Option<u64> {
    head.lines().find_map(|l| l.strip_prefix("range: bytes=")?.strip_suffix('-')?.parse().ok())
}

#[tokio::test]
async fn a_short_206_is_resumed_again_not_declared_complete() {
    let dir = tempfile::tempdir().unwrap();
    leftover(dir.path());
    let (url, seen) = mini(Arc::new(|head| {
        let c = content();
        match range_from(head) {
            // Legal but short: 20 bytes of the 60 asked for.
            Some(40) => answer("206 Partial Content", &["Content-Range: bytes 40-59/100".into()], &c[40..60]),
            Some(from) => {
                let cr = format!("Content-Range: bytes {from}-99/100");
                answer("206 Partial Content", &[cr], &c[from as usize..])
            }
            None => answer("200 OK", &["Content-Length: 100".into()], &c),
        }
    }))
    .await;
    let done = download(&url, dir.path(), Some(100)).await.unwrap();
    assert_eq!(std::fs::read(&done.path).unwrap(), content());
    let seen = seen.lock().unwrap();
    let ranges: Vec<_> = seen.iter().map(|h| range_from(h)).collect();
    assert_eq!(ranges, [Some(40), Some(60)], "the earlier run's .part resumed, then the short 206");
    assert!(seen.iter().all(|h| h.contains("if-range: \"v1\"") && h.contains("accept-encoding: identity")));
    assert!(!dir.path().join("f.bin.part").exists() && !dir.path().join("f.bin.part.json").exists());
}

#[tokio::test]
async fn a_206_of_another_range_starts_over() {
    let dir = tempfile::tempdir().unwrap();
    leftover(dir.path());
    let (url, seen) = mini(Arc::new(|head| {
        let c = content();
        match range_from(head) {
            Some(_) => answer("206 Partial Content", &["Content-Range: bytes 0-49/100".into()], &c[..50]),
            None => answer("200 OK", &["Content-Length: 100".into()], &c),
        }
    }))
    .await;
    let done = download(&url, dir.path(), Some(100)).await.unwrap();
    assert_eq!(std::fs::read(&done.path).unwrap(), content());
    assert_eq!(seen.lock().unwrap().iter().map(|h| range_from(h)).collect::<Vec<_>>(), [Some(40), None]);
}

#[tokio::test]
async fn a_leftover_of_another_version_is_not_spliced() {
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("f.bin.part");
    std::fs::write(&part, b"OLD VERSION BYTES").unwrap();
    part::remember(&part, &PartIdentity { updated_on: Some("older".into()), ..identity() }, "\"v0\"");
    let (url, seen) = mini(Arc::new(|_| answer("200 OK", &["Content-Length: 100".into()], &content()))).await;
    let done = download(&url, dir.path(), Some(100)).await.unwrap();
    assert_eq!(done.path, dir.path().join("f (2).bin").to_string_lossy(), "the foreign .part's name is left");
    assert_eq!(std::fs::read(&done.path).unwrap(), content());
    assert!(seen.lock().unwrap().iter().all(|h| range_from(h).is_none()));
    assert_eq!(std::fs::read(&part).unwrap(), b"OLD VERSION BYTES");
}

#[tokio::test]
async fn bodies_past_the_size_cap_are_refused_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    // No length announced: the body runs until the server closes (here, past filesize + slack).
    let big = vec![7u8; size_cap(100) as usize + 4096];
    let (url, _) = mini(Arc::new(move |_| answer("200 OK", &[], &big))).await;
    let err = download(&url, dir.path(), Some(100)).await.unwrap_err();
    assert_eq!(err.code(), "too-large", "{err:?}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing left behind");
    // An announced length past the cap is refused before the body.
    let (url, _) =
        mini(Arc::new(|_| answer("200 OK", &[format!("Content-Length: {}", size_cap(100) + 1)], b""))).await;
    assert_eq!(download(&url, dir.path(), Some(100)).await.unwrap_err().code(), "too-large");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn free_space_is_checked_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = mini(Arc::new(|_| answer("200 OK", &["Content-Length: 100".into()], &content()))).await;
    let err = download(&url, dir.path(), Some(1 << 60)).await.unwrap_err();
    assert_eq!(err.code(), "io");
    assert!(err.to_string().contains("free space"), "{err}");
    assert!(seen.lock().unwrap().is_empty());
}

#[test]
fn content_ranges() {
    assert_eq!(content_range("bytes 40-59/100"), Some((40, 59, Some(100))));
    assert_eq!(content_range("bytes 40-59/*"), Some((40, 59, None)));
    assert_eq!(content_range("bytes 40-100/100"), None, "past the end");
    assert_eq!(content_range("bytes 59-40/100"), None);
    assert_eq!(content_range("bytes */100"), None);
}
