//! `phraseanet-sim` binary: prints one JSON line describing the demo app and user, then serves until
//! interrupted (Ctrl-C or SIGTERM).

use std::io::Write;
use std::time::Duration;

use clap::Parser;
use phraseanet_sim::{Behind, Dataset, Faults, ServerProfile, Sim, SimOptions};

/// A Phraseanet double: a real OAuth2 + API v1 HTTP server for tests, the demo mode and benchmarks.
///
/// The first stdout line is one JSON object: {"url", "client_id", "client_secret", "login", "password",
/// "developer_token"} for the demo desktop app (redirect URI urn:ietf:wg:oauth:2.0:oob) and the demo user.
/// `--fixtures` prints the fixture description (ids of baskets, records...; no passwords) as a second line.
/// With TLS (`--tls`, `--behind tls-proxy`) the first line also has "ca_pem", the self-signed certificate.
///
/// `--server-profile` and `--behind` model the family of real servers (docs/real-servers.md;
/// P = Phraseanet source, O = oauth2-php). Whatever the profile, a third of the JPEG/PNG/PDF
/// documents are served rewritten by the metadata writer (bytes differ from `sha256`, docs/real-servers.md,
/// "sha256"), expired or tampered /medias/ URLs give 404 and undecodable ones 400 (docs/real-servers.md,
/// "Media"), and media verify a token that is present (401 when revoked).
#[derive(Parser)]
#[command(name = "phraseanet-sim", version, about, long_about)]
struct Args {
    /// Address to bind. Loopback by default; anything else exposes the double to the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Port to listen on; 0 picks a free one (see "url" in the first line).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Fixture set: demo (~200 records, 9 baskets), large (demo + one basket of --basket-size records),
    /// hostile (script/HTML payloads, path tricks and odd Unicode in every string).
    #[arg(long, value_enum, default_value_t = Dataset::Demo)]
    dataset: Dataset,
    /// Number of elements of the large basket (dataset large).
    #[arg(long, default_value_t = 10_000)]
    basket_size: usize,
    /// Lifetime of OAuth authorization codes, in seconds (the real server: 30).
    #[arg(long, default_value_t = 30.0)]
    code_lifetime: f64,
    /// Answer plain-http token requests with the api-require-ssl 400 (X-Forwarded-Proto: https passes).
    #[arg(long)]
    require_https: bool,
    /// Expire OAuth tokens after this many seconds, announced as `expires_in` (Phraseanet never does
    /// today, api §2.5; for clients that must be ready for it).
    #[arg(long)]
    token_lifetime_s: Option<u64>,
    /// Fault: delay added before every API/media response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Fault: probability (0..1) that an API/media request answers 5xx (500/503 envelope or 502 page).
    #[arg(long, default_value_t = 0.0)]
    fail_rate: f64,
    /// Fault: probability (0..1) that the connection is closed without an answer.
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
    /// Fault: probability (0..1) that a body stops halfway (full Content-Length announced, socket closed).
    #[arg(long, default_value_t = 0.0)]
    truncate_rate: f64,
    /// Fault: send bodies in small chunks with this pause between them, in milliseconds.
    #[arg(long)]
    slow_body_ms: Option<u64>,
    /// Seed of the fault draws (same seed + same request order = same faults).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also apply the faults to /api/oauthv2/* (off: sign-in stays reliable).
    #[arg(long)]
    faults_on_oauth: bool,
    /// Which Phraseanet version (and auth configuration) to behave like (docs/real-servers.md, "Versions").
    #[arg(long, value_enum, default_value_t = ServerProfile::Current41)]
    server_profile: ServerProfile,
    /// What stands between the client and PHP.
    #[arg(long, value_enum, default_value_t = Behind::None)]
    behind: Behind,
    /// Serve HTTPS with a self-signed certificate for localhost and 127.0.0.1 (implied by --behind tls-proxy).
    #[arg(long)]
    tls: bool,
    /// PHP time per rendered element (basket elements, story children, search results, feed entries on
    /// the page), in milliseconds, before the first byte (docs/real-servers.md, "Time budgets":
    /// V1Controller.php:1657-1701). 0 = off.
    #[arg(long, default_value_t = 0.0)]
    php_ms_per_element: f64,
    /// PHP max_execution_time in seconds (docker default 120, P .env:397): a longer computed delay answers
    /// PHP's 500 HTML fatal-error page after this limit.
    #[arg(long, default_value_t = 120.0)]
    php_time_limit_s: f64,
    /// api-enabled: false (docs/real-servers.md, "Sign-in", ApiApplicationLoader.php:97-136): /api/ still
    /// answers discovery, /api/oauthv2/* gives an HTML 404 and /api/v1/* the 404 envelope.
    #[arg(long)]
    api_disabled: bool,
    /// Requests per second (and burst) allowed on /medias/ and /permalink/ with --behind rate-limit.
    #[arg(long, default_value_t = 20)]
    rate_limit: u32,
    /// Bytes per second of each /medias/ and /permalink/ body (a slow link; per response). Off by default.
    #[arg(long, value_name = "BYTES_PER_SECOND")]
    bandwidth: Option<u64>,
    /// Make every video preview this many MiB (1,048,576 bytes): the sample MP4 followed by a top-level
    /// `free` box of filler made on the fly, still playable, `filesize` exact.
    #[arg(long, value_name = "MIB")]
    video_preview_mb: Option<u64>,
    /// Media routes ignore Range and answer 200 with the whole body (a proxy or web server with ranges
    /// off).
    #[arg(long)]
    ignore_range: bool,
    /// Print the fixtures JSON (without passwords) as a second stdout line.
    #[arg(long)]
    fixtures: bool,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> std::io::Result<()> {
    let faults = Faults {
        latency: Duration::from_millis(args.latency_ms),
        fail_rate: args.fail_rate,
        drop_rate: args.drop_rate,
        truncate_rate: args.truncate_rate,
        slow_body: args.slow_body_ms.map(Duration::from_millis),
        seed: args.seed,
        on_oauth: args.faults_on_oauth,
    };
    let sim = Sim::start(SimOptions {
        bind: args.bind,
        port: args.port,
        dataset: args.dataset,
        basket_size: args.basket_size,
        code_lifetime: Duration::from_secs_f64(args.code_lifetime.max(0.0)),
        require_https: args.require_https,
        faults,
        server_profile: args.server_profile,
        behind: args.behind,
        tls: args.tls,
        php_per_element: Duration::from_secs_f64(args.php_ms_per_element.max(0.0) / 1000.0),
        php_time_limit: Duration::from_secs_f64(args.php_time_limit_s.max(0.0)),
        api_disabled: args.api_disabled,
        rate_limit_per_sec: args.rate_limit.max(1),
        token_lifetime: args.token_lifetime_s.map(Duration::from_secs),
        media_bandwidth: args.bandwidth.filter(|b| *b > 0),
        video_preview_size: args.video_preview_mb.map(|mb| mb.saturating_mul(1 << 20)),
        ignore_range: args.ignore_range,
    })
    .await?;
    let f = sim.fixtures();
    let mut out = std::io::stdout().lock();
    let mut line = serde_json::json!({
        "url": sim.url(),
        "client_id": f.desktop_app.client_id,
        "client_secret": f.desktop_app.client_secret,
        "login": f.login,
        "password": f.password,
        "developer_token": f.developer_token,
    });
    if let Some(pem) = sim.ca_pem() {
        line["ca_pem"] = pem.into();
    }
    writeln!(out, "{line}")?;
    if args.fixtures {
        // Passwords appear only on the first line.
        let mut all = serde_json::to_value(f).unwrap_or_default();
        all.as_object_mut().map(|o| o.remove("password"));
        all["second_user"].as_object_mut().map(|o| o.remove("password"));
        writeln!(out, "{all}")?;
    }
    out.flush()?;
    drop(out);
    wait_for_signal().await;
    sim.shutdown().await;
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
