//! Fault kinds a server (or what stands before it) can throw at the client, each expected to end as a
//! clean, named error within its time budget, with memory bounded and nothing lost: the profile's token
//! stays, and no file appears under a final download name.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use phraseanet_client::media::CancellationToken;
use phraseanet_client::{
    Api, AuthMethod, HttpOptions, Media, MediaOptions, Profile, RecordRef, Secret, ServerUrl, Vault,
};
use phraseanet_sim::{Faults, Sim, SimOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One drilled fault.
pub struct Outcome {
    pub kind: &'static str,
    /// What the person is told (the error code), or how the answer was taken.
    pub result: String,
    pub elapsed: Duration,
    pub budget: Duration,
    /// Peak resident memory of the test process after this case (MiB).
    pub peak_mib: u64,
    /// The token survived and no partial file took a final name.
    pub nothing_lost: bool,
    pub clean: bool,
}

/// Budgets scaled down from the real ones (30 s silence, 150 s heavy first byte) to keep the drill short.
fn opts() -> HttpOptions {
    HttpOptions {
        first_byte: Duration::from_secs(2),
        heavy_first_byte: Duration::from_secs(4),
        read_timeout: Duration::from_millis(800),
        backoff: Duration::from_millis(50),
        max_body: 8 * 1024 * 1024,
        ..HttpOptions::default()
    }
}

pub fn peak_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb / 1024)
        .unwrap_or(0)
}

/// The chunks of a body by index; `None` ends it.
type Body = Arc<dyn Fn(usize) -> Option<Vec<u8>> + Send + Sync>;

/// A one-route server on loopback: `head` then `body`.
async fn serve(head: String, body: Body) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (head, body) = (head.clone(), body.clone());
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                if sock.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let mut i = 0;
                while let Some(chunk) = body(i) {
                    if sock.write_all(&chunk).await.is_err() {
                        return;
                    }
                    i += 1;
                }
            });
        }
    });
    url
}

fn fixed(status: &str, headers: &str, body: Vec<u8>) -> (String, Body) {
    let head =
        format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n", body.len());
    (head, Arc::new(move |i| (i == 0).then(|| body.clone())))
}

fn gzip_bomb() -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        gz.write_all(&zeros).unwrap();
    }
    gz.finish().unwrap()
}

struct Case {
    kind: &'static str,
    budget: Duration,
    /// Codes that count as a clean end (`decoded` for answers that are taken as data).
    clean: &'static [&'static str],
}

/// Runs every fault kind once and reports what happened.
pub async fn drill() -> Vec<Outcome> {
    let mut out = Vec::new();
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let f = sim.fixtures().clone();
    let server = ServerUrl::parse(sim.url()).unwrap();
    let profile = Profile::new("drill", sim.url(), &f.desktop_app.client_id, AuthMethod::OauthOob).unwrap();
    let vault = Vault::session_only();
    vault.set_token(&profile, &Secret::new(&f.developer_token)).unwrap();
    let api = Api::with_options(server.clone(), Secret::new(&f.developer_token), opts()).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let media = Media::new(api.clone(), MediaOptions::in_dir(cache.path())).unwrap();
    let image = RecordRef::new(f.image_record.databox_id, f.image_record.record_id);

    let sim_cases: [(Case, Faults); 4] = [
        (
            Case { kind: "5xx (500, 503, 502 page)", budget: Duration::from_secs(5), clean: &["server"] },
            Faults { fail_rate: 1.0, ..Default::default() },
        ),
        (
            Case {
                kind: "connection dropped",
                budget: Duration::from_secs(5),
                clean: &["network", "cut-off"],
            },
            Faults { drop_rate: 1.0, ..Default::default() },
        ),
        (
            Case { kind: "body cut off", budget: Duration::from_secs(5), clean: &["cut-off"] },
            Faults { truncate_rate: 1.0, ..Default::default() },
        ),
        (
            Case { kind: "body stalls", budget: Duration::from_secs(2), clean: &["stalled"] },
            Faults { slow_body: Some(Duration::from_secs(3)), ..Default::default() },
        ),
    ];
    for (case, faults) in sim_cases {
        sim.set_faults(faults);
        // Each call on its own clock: an API call, then a download.
        let started = Instant::now();
        let api_call = api.baskets().await.map(|_| ()).err().map(|e| e.code().to_string());
        let api_time = started.elapsed();
        let started = Instant::now();
        let download = media
            .download_record(image, "document", folder.path(), &|_| {}, &CancellationToken::new())
            .await
            .err()
            .map(|e| e.code().to_string());
        let elapsed = api_time.max(started.elapsed());
        sim.set_faults(Faults::default());
        let codes = [api_call.unwrap_or_else(|| "ok".into()), download.unwrap_or_else(|| "ok".into())];
        out.push(outcome(&case, codes.join(" / "), elapsed, &vault, &profile, folder.path(), &codes));
    }

    let endless: Body = Arc::new(|i| {
        Some(if i == 0 {
            br#"{"meta":{"http_code":200},"response":{"pad":""#.to_vec()
        } else {
            vec![b'x'; 64 * 1024]
        })
    });
    let bomb = gzip_bomb();
    let mixed = r#"{"meta":{"http_code":200},"response":{"baskets":{"0":{},"0x":{},"7":{},"14":{},"2x":{},"6":{},"13":{},"4x":{},"5":{},"12":{},"6x":{},"4":{},"11":{},"8x":{},"3":{},"10":{},"0x":{},"2":{},"9":{},"2x":{},"1":{},"8":{},"4x":{}}}}"#;
    let wrong = r#"{"meta":{"http_code":"200"},"response":{"baskets":[{"basket_id":"x","name":{"a":1},"created_on":42,"owner":"me","validation_users":"none","unread":"yes"}]}}"#;
    let wire_cases = [
        (
            Case { kind: "endless body", budget: Duration::from_secs(5), clean: &["too-large"] },
            (
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".to_string(),
                endless,
            ),
        ),
        (
            Case {
                kind: "gzip bomb (256 MiB of zeros)",
                budget: Duration::from_secs(5),
                clean: &["too-large"],
            },
            fixed("200 OK", "Content-Type: application/json\r\nContent-Encoding: gzip\r\n", bomb),
        ),
        (
            Case { kind: "malformed JSON", budget: Duration::from_secs(2), clean: &["broken-answer"] },
            fixed(
                "200 OK",
                "Content-Type: application/json\r\n",
                br#"{"meta":{"http_code":200},"response":{"bas"#.to_vec(),
            ),
        ),
        (
            Case { kind: "mixed-key objects", budget: Duration::from_secs(2), clean: &["decoded"] },
            fixed("200 OK", "Content-Type: application/json\r\n", mixed.as_bytes().to_vec()),
        ),
        (
            Case { kind: "wrong types", budget: Duration::from_secs(2), clean: &["decoded", "decode"] },
            fixed("200 OK", "Content-Type: application/json\r\n", wrong.as_bytes().to_vec()),
        ),
    ];
    for (case, (head, body)) in wire_cases {
        let url = serve(head, body).await;
        let hostile = Api::with_options(ServerUrl::parse(&url).unwrap(), Secret::new("t"), opts()).unwrap();
        let started = Instant::now();
        let code = match hostile.baskets().await {
            Ok(_) => "decoded".to_string(),
            Err(e) => e.code().to_string(),
        };
        let elapsed = started.elapsed();
        out.push(outcome(&case, code.clone(), elapsed, &vault, &profile, folder.path(), &[code]));
    }
    sim.shutdown().await;
    out
}

fn outcome(
    case: &Case,
    result: String,
    elapsed: Duration,
    vault: &Vault,
    profile: &Profile,
    folder: &std::path::Path,
    codes: &[String],
) -> Outcome {
    let token_kept = vault.token_for(profile).ok().flatten().is_some();
    // Only `.part` files (to resume) and their sidecars may be left: never a final name.
    let no_partial_final = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .all(|e| e.file_name().to_string_lossy().contains(".part"));
    Outcome {
        kind: case.kind,
        clean: codes.iter().all(|c| case.clean.contains(&c.as_str())) && elapsed <= case.budget,
        result,
        elapsed,
        budget: case.budget,
        peak_mib: peak_mib(),
        nothing_lost: token_kept && no_partial_final,
    }
}
