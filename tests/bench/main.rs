//! The release-window figures of `make bench` (issue #14): a basket's first screen of thumbnails (cold,
//! then cached after a restart), a video's first frame on a throttled double, and the PSS of the app
//! with its WebKit processes. Run by `phraseanet-bench` (src-tauri/bench) with a context file naming
//! the doubles it started and the release binary (`PHRASEANET_DESKTOP_BIN`); it writes its figures as
//! JSON for the table. Without that context (`cargo test`), it measures nothing and says so.
//! Times are taken in the page (`performance.now()`), from the click to the stamp.

#[allow(dead_code)]
#[path = "../e2e/harness.rs"]
mod harness;
mod pages;
mod pss;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::harness::App;

type Figures = Arc<Mutex<Map<String, Value>>>;

/// Time for the app to finish what a screen change starts (saved copies, background refreshes) before
/// its memory is read.
const SETTLE: Duration = Duration::from_secs(3);

/// Environment variables that may lower WebKit's memory, measured with `--pss-variants`.
const VARIANTS: &[(&str, &[(&str, &str)])] = &[
    ("no variable (reference)", &[]),
    // Without a GPU the app turns compositing off by itself (phraseanet_app::rendering); the person's
    // own setting stays, so this is the app composited, as before it did so.
    ("WEBKIT_DISABLE_COMPOSITING_MODE=0 (composited)", &[("WEBKIT_DISABLE_COMPOSITING_MODE", "0")]),
    ("WEBKIT_DISABLE_DMABUF_RENDERER=1", &[("WEBKIT_DISABLE_DMABUF_RENDERER", "1")]),
    ("MALLOC_ARENA_MAX=2", &[("MALLOC_ARENA_MAX", "2")]),
    ("JSC_useJIT=false", &[("JSC_useJIT", "false")]),
];

struct Server {
    url: String,
    client_id: String,
    client_secret: String,
    token: String,
}

impl Server {
    fn of(v: &Value) -> Server {
        let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        Server {
            url: text("url"),
            client_id: text("client_id"),
            client_secret: text("client_secret"),
            token: text("token"),
        }
    }
}

fn main() {
    let Some(context) = std::env::var_os("PHRASEANET_BENCH_CONTEXT") else {
        println!("bench: the window figures are measured by `make bench` (no PHRASEANET_BENCH_CONTEXT here)");
        return;
    };
    let ctx: Value = serde_json::from_slice(&std::fs::read(context).expect("the bench context file"))
        .expect("the bench context is JSON");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let figures = runtime.block_on(run(Arc::new(ctx.clone())));
    let out = ctx["out"].as_str().expect("an output path");
    std::fs::write(out, serde_json::to_vec_pretty(&figures).expect("JSON")).expect("write the figures");
}

/// Each part in its own task: a part that fails (a harness wait that never came true panics) leaves its
/// reason in the figures and the other parts still run.
async fn run(ctx: Arc<Value>) -> Value {
    let figures: Figures = Arc::default();
    let parts: [(&str, &[&str]); 3] = [
        ("baskets", &["cold_error", "cached_error", "pss_error"]),
        ("video", &["video_error"]),
        ("variants", &[]),
    ];
    for (part, error_keys) in parts {
        // The context may name the parts to run (`phraseanet-bench --video-only`); all by default.
        if let Some(only) = ctx["parts"].as_array() {
            if !only.iter().any(|p| p.as_str() == Some(part)) {
                continue;
            }
        }
        let (c, f) = (ctx.clone(), figures.clone());
        let task = tokio::spawn(async move {
            match part {
                "baskets" => baskets(&c, &f).await,
                "video" => video(&c, &f).await,
                _ if c["pss_variants"].as_bool() == Some(true) => variants(&c, &f).await,
                _ => {}
            }
        });
        if let Err(e) = task.await {
            let why = panic_text(e);
            eprintln!("bench: window part {part} failed: {why}");
            let mut all = figures.lock().expect("figures");
            for key in error_keys {
                all.entry(key.to_string()).or_insert(json!(why));
            }
        }
    }
    let all = figures.lock().expect("figures").clone();
    Value::Object(all)
}

fn panic_text(e: tokio::task::JoinError) -> String {
    match e.try_into_panic() {
        Ok(p) => p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panicked".into()),
        Err(e) => e.to_string(),
    }
}

fn put(f: &Figures, key: &str, v: Value) {
    eprintln!("bench: {key} = {v}");
    f.lock().expect("figures").insert(key.into(), v);
}

fn binary(ctx: &Value) -> PathBuf {
    PathBuf::from(ctx["desktop_bin"].as_str().expect("desktop_bin"))
}

/// Connects the double and signs in with its developer token (as tests/e2e/signin.rs does for a Sim).
async fn sign_in(app: &App, s: &Server) {
    app.click("#connect-btn").await;
    app.fill("#server-url", &s.url).await;
    app.fill("#client-id", &s.client_id).await;
    app.fill("#client-secret", &s.client_secret).await;
    app.click("#connect-submit").await;
    app.wait_text("#signin-title", "the sign-in screen", |t| t.starts_with("Sign in to")).await;
    app.click("#other-ways summary").await;
    app.fill("#token-input", &s.token).await;
    app.click("#token-submit").await;
    app.wait_text("#signed-in-as", "the main view", |t| t.starts_with("Signed in as")).await;
}

/// Runs `script` with `args` until it returns a stamp (`{ms, ...}` or `{error}`), polled every 50 ms.
async fn stamped(app: &App, script: &str, args: Vec<Value>, what: &str, limit: Duration) -> Value {
    let started = app.client.execute(script, args).await.unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(started, json!(true), "{what}: nothing to click");
    let deadline = Instant::now() + limit;
    loop {
        let v = app.js(pages::RESULT).await;
        if let Some(e) = v["error"].as_str() {
            panic!("{what}: {e}");
        }
        if v["ms"].is_number() {
            return v;
        }
        if Instant::now() > deadline {
            let shot = app.screenshot("bench-timeout").await;
            panic!("{what}: not done after {limit:?} (see {})", shot.display());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Milliseconds from the click on the basket to its first screen of decoded thumbnails, and to the
/// frame its cells were in the grid.
async fn first_screen(app: &App, basket: &Value, what: &str) -> (f64, f64) {
    let id = basket["basket"].as_i64().expect("basket id");
    app.find(&format!("[data-basket='{id}']")).await;
    let args = vec![json!(id), basket["first_record"].clone()];
    let v = stamped(app, pages::OPEN_BASKET, args, what, Duration::from_secs(120)).await;
    eprintln!(
        "bench: {what}: {} cells in view, in the grid after {} ms; page marks {}; main thread busy (start+ms) {}; frames apart (start+ms) {}; clicked at {} (epoch ms)",
        v["cells"], v["cells_ms"], v["marks"], v["busy"], v["frame_gaps"], v["epoch"]
    );
    (v["ms"].as_f64().expect("ms"), v["cells_ms"].as_f64().unwrap_or(f64::NAN))
}

/// `first_screen`, both figures kept as `{key}_ms` and `{key}_cells_ms`.
async fn put_first_screen(f: &Figures, app: &App, basket: &Value, key: &str, what: &str) {
    let (ms, cells) = first_screen(app, basket, what).await;
    put(f, &format!("{key}_ms"), json!(ms));
    put(f, &format!("{key}_cells_ms"), json!(cells));
}

/// Scrolls the open basket to its end in steps (the thumbnails on the way load, as a person scrolling
/// would have them), then waits for the last screen's thumbnails.
async fn scroll_to_end(app: &App, size: u64) {
    const STEPS: u32 = 40;
    for step in 1..=STEPS {
        app.client
            .execute(pages::SCROLL_TO, vec![json!(f64::from(step) / f64::from(STEPS))])
            .await
            .expect("scroll");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let last =
        format!("return !!document.querySelector('#grid .cell[data-index=\"{}\"]')", size.saturating_sub(1));
    app.wait_js_for(&last, "the basket's last cell", Duration::from_secs(30)).await;
    app.wait_js_for(pages::VIEW_DRAWN, "the last screen's thumbnails", Duration::from_secs(60)).await;
}

fn pss(f: &Figures, key: &str, scenario: &str, ctx: &Value) {
    put_pss(f, key, pss::app_pid(scenario, &binary(ctx)).expect("the app's process"));
}

/// The PSS of `root` and its descendants under `key`, and each process name's share beside it.
fn put_pss(f: &Figures, key: &str, root: u32) {
    let (total, by_name) = pss::measure(root);
    put(f, key, json!(total));
    put(f, &format!("{key}_by_process"), json!(by_name));
}

/// The PSS of a bare WebKitGTK window (`webkit_floor`, built beside the app), measured alone: the
/// engine's floor under the idle rows. First, while no other WebKit process shares its pages.
async fn floor(ctx: &Value, f: &Figures) {
    use std::io::BufRead;
    let bin = binary(ctx).with_file_name("webkit_floor");
    let mut child = match std::process::Command::new(&bin).stdout(std::process::Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(e) => return put(f, "pss_floor_error", json!(format!("{}: {e}", bin.display()))),
    };
    let stdout = child.stdout.take().expect("piped");
    let ready = tokio::task::spawn_blocking(move || {
        std::io::BufReader::new(stdout).lines().map_while(Result::ok).any(|l| l == "ready")
    });
    match tokio::time::timeout(Duration::from_secs(30), ready).await {
        Ok(Ok(true)) => {
            tokio::time::sleep(SETTLE).await;
            put_pss(f, "pss_floor_mb", child.id());
        }
        _ => put(f, "pss_floor_error", json!("the bare WebKitGTK window never loaded its page")),
    }
    let _ = child.kill();
    let _ = child.wait();
}

async fn baskets(ctx: &Value, f: &Figures) {
    let server = Server::of(&ctx["server"]);
    let (large, small) = (&ctx["large"], &ctx["small"]);
    let scenario = "bench-baskets";
    floor(ctx, f).await;
    let app = App::launch(scenario, &[]).await;
    app.find("#connect-btn").await;
    tokio::time::sleep(SETTLE).await;
    pss(f, "pss_welcome_mb", scenario, ctx);

    sign_in(&app, &server).await;
    app.find("#basket-list").await;
    tokio::time::sleep(SETTLE).await;
    pss(f, "pss_signed_in_mb", scenario, ctx);

    put_first_screen(f, &app, small, "small_cold", "small basket, cold").await;
    put_first_screen(f, &app, large, "large_cold", "large basket, cold").await;
    scroll_to_end(&app, large["size"].as_u64().unwrap_or(1)).await;
    tokio::time::sleep(SETTLE).await;
    pss(f, "pss_after_mb", scenario, ctx);

    // Restarted on the same dirs: the baskets are shown from their saved copies, then refreshed.
    let app = app.relaunch(&[]).await;
    app.find("#basket-list").await;
    tokio::time::sleep(SETTLE).await;
    put_first_screen(f, &app, small, "small_cached", "small basket, cached").await;
    put_first_screen(f, &app, large, "large_cached", "large basket, cached").await;
    app.close().await;
}

/// Selects the video record of the media basket and waits for its panel (its Open button).
async fn select_video(app: &App, v: &Value) {
    let basket = v["basket"].as_i64().expect("the media basket");
    app.click(&format!("[data-basket='{basket}']")).await;
    let record = v["record"].as_str().expect("the video record");
    app.click(&format!("#grid .cell[data-record='{record}']")).await;
    app.wait_text("#record-title", "the record panel", |t| !t.is_empty() && t != "Loading…").await;
    app.find("#view-btn").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
}

async fn video(ctx: &Value, f: &Figures) {
    let v = &ctx["video"];
    // A media player registry of its own, fresh: the first open is a first video on this computer (the
    // harness shares one registry between launches, as a computer does).
    let registry_dir = tempfile::tempdir().expect("a registry dir");
    let registry = registry_dir.path().join("gstreamer-registry.bin");
    let env = [("GST_REGISTRY", registry.to_str().expect("a UTF-8 temp path"))];
    let app = App::launch("bench-video", &env).await;
    sign_in(&app, &Server::of(&v["server"])).await;
    select_video(&app, v).await;
    let stamp = stamped(&app, pages::PLAY, vec![], "the video's first frame", Duration::from_secs(90)).await;
    put(f, "video_first_frame_ms", stamp["ms"].clone());
    put(f, "video_event", stamp["event"].clone());
    put(f, "video_steps", stamp["steps"].clone());
    put(f, "video_epoch_ms", stamp["epoch_ms"].clone());
    app.screenshot("bench-video").await;
    // For the detail, not the figure: opened again in the same session (the web engine's media stack
    // loaded, the first bytes there), then after a restart on the same dirs (GStreamer's plugin registry
    // cached, as on a person's machine after their first video; nothing of the media kept).
    app.click("#viewer-close").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let again =
        stamped(&app, pages::PLAY, vec![], "the video's first frame again", Duration::from_secs(90)).await;
    put(f, "video_again_ms", again["ms"].clone());
    put(f, "video_again_steps", again["steps"].clone());
    let app = app.relaunch(&env).await;
    app.find("#basket-list").await;
    tokio::time::sleep(SETTLE).await;
    select_video(&app, v).await;
    let restarted = stamped(
        &app,
        pages::PLAY,
        vec![],
        "the video's first frame after a restart",
        Duration::from_secs(90),
    )
    .await;
    put(f, "video_restart_ms", restarted["ms"].clone());
    put(f, "video_restart_steps", restarted["steps"].clone());
    put(f, "video_restart_epoch_ms", restarted["epoch_ms"].clone());
    app.close().await;
}

async fn variants(ctx: &Value, f: &Figures) {
    let server = Server::of(&ctx["server"]);
    let large = &ctx["large"];
    let mut out = Vec::new();
    for (i, (name, env)) in VARIANTS.iter().enumerate() {
        let scenario = format!("bench-pss-{i}");
        let app = App::launch(&scenario, env).await;
        sign_in(&app, &server).await;
        app.find("#basket-list").await;
        tokio::time::sleep(SETTLE).await;
        let pid = pss::app_pid(&scenario, &binary(ctx)).expect("the app's process");
        let idle = pss::measure(pid).0;
        first_screen(&app, large, name).await;
        scroll_to_end(&app, large["size"].as_u64().unwrap_or(1)).await;
        tokio::time::sleep(SETTLE).await;
        let (after, by_name) = pss::measure(pid);
        eprintln!("bench: PSS with {name}: idle {idle:.0} MB, after {after:.0} MB {by_name:?}");
        out.push(json!({ "name": name, "idle_mb": idle, "after_mb": after, "after_by_process": by_name }));
        app.close().await;
    }
    put(f, "variants", json!(out));
}
