//! Starts the app under tauri-driver and hands the scenario a WebDriver client.
//!
//! Pitfalls handled: tauri-driver listens before WebKitWebDriver
//! does, so both ports are awaited before a session is created; tauri-driver is stopped with SIGTERM,
//! because after SIGKILL it leaves WebKitWebDriver orphaned and holding the test's stderr.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use phraseanet_sim::testing::files_under;
use serde_json::json;

/// One window at a time: scenarios share the display and two cores.
pub(crate) static ONE_APP_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub const WAIT: Duration = Duration::from_secs(15);

/// A running app window for one scenario, with its own config, cache and data dirs.
pub struct App {
    pub client: Client,
    pub scenario: String,
    dirs: tempfile::TempDir,
    driver: Driver,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// tauri-driver, and the marker its whole process tree (WebKitWebDriver, the app) carries in its env.
struct Driver {
    child: Child,
    marker: String,
}

const MARKER_VAR: &str = "PHRASEANET_E2E_RUN";

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
        reap(&self.marker);
        wait_single_instance_released();
    }
}

/// The single-instance D-Bus name of the app (tauri-plugin-single-instance: identifier + ".SingleInstance").
pub fn single_instance_name() -> String {
    let conf: serde_json::Value =
        serde_json::from_str(include_str!("../../tauri.conf.json")).expect("tauri.conf.json");
    format!("{}.SingleInstance", conf["identifier"].as_str().expect("an identifier"))
}

/// A process gone is not yet a name released: the bus drops it a moment later. The next launch must
/// not meet the window that just quit (it would hand over to it, or start again: shell/relaunch.rs).
fn wait_single_instance_released() {
    let Ok(bus) = zbus::blocking::Connection::session() else { return };
    let Ok(dbus) = zbus::blocking::fdo::DBusProxy::new(&bus) else { return };
    let Ok(name) = zbus::names::BusName::try_from(single_instance_name()) else { return };
    let deadline = Instant::now() + Duration::from_secs(5);
    while dbus.name_has_owner(name.clone()).unwrap_or(false) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Processes whose environment carries `MARKER_VAR=marker`.
fn marked(marker: &str) -> Vec<u32> {
    let needle = format!("{MARKER_VAR}={marker}");
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

/// Ends whatever the scenario left running: an app outliving its WebDriver session would make the
/// next launch hand over to it (single-instance) and never show a window.
fn reap(marker: &str) {
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut signal = "-TERM";
    loop {
        let left = marked(marker);
        if left.is_empty() {
            return;
        }
        if Instant::now() > deadline {
            signal = "-KILL";
        }
        for pid in left {
            let _ = Command::new("kill").args([signal, &pid.to_string()]).status();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return p.into();
    }
    let home_bin = Path::new(&std::env::var("HOME").unwrap_or_default()).join(".cargo/bin/tauri-driver");
    if home_bin.exists() {
        home_bin
    } else {
        "tauri-driver".into()
    }
}

/// The app under test: `PHRASEANET_DESKTOP_BIN` when set (the benchmark's release build, a packaged
/// binary), else the one cargo built for these tests.
pub fn app_binary() -> String {
    std::env::var("PHRASEANET_DESKTOP_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_phraseanet-desktop").to_string())
}

fn wait_for_port(port: u16, deadline: Instant) {
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "port {port} never listened: is WebKitWebDriver installed?");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What the Secret Service holds for `service`/`user`, read with `secret-tool` (not through the app).
pub fn secret_tool_lookup(service: &str, user: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", user])
        .output()
        .expect("secret-tool runs (scripts/setup.sh test installs libsecret-tools)");
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Every file under `dir`, read as text (lossy), for "is this secret anywhere on disk?" checks.
#[allow(dead_code)]
pub fn all_text_under(dir: &Path) -> String {
    let mut all = String::new();
    for path in files_under(dir) {
        if let Ok(bytes) = std::fs::read(&path) {
            all.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    all
}

pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots")
}

impl App {
    /// Launches the app binary built by cargo for this package, with `env` added to its environment.
    pub async fn launch(scenario: &str, env: &[(&str, &str)]) -> App {
        let turn = ONE_APP_AT_A_TIME.lock().await;
        App::start(scenario, env, tempfile::tempdir().expect("temp dir"), turn).await
    }

    /// Quits the app and starts it again on the same config, cache and data dirs.
    pub async fn relaunch(self, env: &[(&str, &str)]) -> App {
        let App { client, driver, dirs, scenario, _turn } = self;
        let _ = client.close().await;
        drop(driver);
        App::start(&scenario, env, dirs, _turn).await
    }

    async fn start(
        scenario: &str,
        env: &[(&str, &str)],
        dirs: tempfile::TempDir,
        turn: tokio::sync::MutexGuard<'static, ()>,
    ) -> App {
        // Downloads go to the scenario's own folder (XDG user dirs), never to the real home.
        let config = dirs.path().join("config");
        std::fs::create_dir_all(&config).expect("config dir");
        let downloads = dirs.path().join("downloads");
        std::fs::write(
            config.join("user-dirs.dirs"),
            format!("XDG_DOWNLOAD_DIR=\"{}\"\n", downloads.display()),
        )
        .expect("user-dirs.dirs");
        let (port, native_port) = (free_port(), free_port());
        let marker = format!("{scenario}-{}-{port}", std::process::id());
        let mut cmd = Command::new(tauri_driver());
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env(MARKER_VAR, &marker)
            .env("XDG_CONFIG_HOME", dirs.path().join("config"))
            .env("XDG_CACHE_HOME", dirs.path().join("cache"))
            // Logs and the webview's own storage land here too, so scenarios can inspect them.
            .env("XDG_DATA_HOME", dirs.path().join("data"))
            .env("XDG_DOWNLOAD_DIR", dirs.path().join("downloads"))
            // One media player registry for every launch, as on a person's computer (each fresh cache
            // would have it scanned again: phraseanet_app::media_engine); a scenario may set its own.
            .env("GST_REGISTRY", concat!(env!("CARGO_TARGET_TMPDIR"), "/gstreamer-registry.bin"))
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("tauri-driver runs (scripts/setup.sh test installs it)");
        let driver = Driver { child, marker };
        let deadline = Instant::now() + WAIT;
        wait_for_port(port, deadline);
        wait_for_port(native_port, deadline);

        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({ "application": app_binary() }));
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps);
        let webdriver = format!("http://127.0.0.1:{port}");
        let client = match tokio::time::timeout(Duration::from_secs(60), builder.connect(&webdriver)).await {
            Ok(session) => session.expect("a WebDriver session on the app"),
            Err(_) => panic!("{scenario}: the app window never came up for WebDriver"),
        };
        App { client, scenario: scenario.to_string(), dirs, driver, _turn: turn }
    }

    /// Waits until an element matching `css` exists, and returns it.
    pub async fn find(&self, css: &str) -> Element {
        self.client.wait().at_most(WAIT).for_element(Locator::Css(css)).await.unwrap_or_else(|e| {
            panic!("{}: no element {css} after {WAIT:?}: {e}", self.scenario);
        })
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Types `text` into the field `css`, replacing what it held (as a person typing would).
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap_or_else(|e| panic!("clear {css}: {e}"));
        field.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Runs `script` in the page and returns its value.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("{}: script failed: {e}", self.scenario))
    }

    /// Reloads the page through WebDriver's own refresh, which returns once the new page has
    /// loaded. A `location.reload()` inside a script races the script's answer: WebKitWebDriver
    /// fails it with "Callback was not called before the unload event" when the unload wins.
    pub async fn reload(&self) {
        self.client.refresh().await.unwrap_or_else(|e| panic!("{}: reload: {e}", self.scenario));
    }

    /// Polls `script` until it returns true.
    pub async fn wait_js(&self, script: &str, what: &str) {
        self.wait_js_for(script, what, WAIT).await
    }

    /// `wait_js` with its own deadline, for steps that are slow by nature (a 10,000-element basket).
    pub async fn wait_js_for(&self, script: &str, what: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        while self.js(script).await != serde_json::Value::Bool(true) {
            if Instant::now() > deadline {
                let shot = self.screenshot("failure").await;
                panic!("{}: never true: {what} (see {})", self.scenario, shot.display());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Where the app downloads to in this scenario.
    pub fn downloads_dir(&self) -> PathBuf {
        self.dirs.path().join("downloads")
    }

    /// Whether an element matching `css` is in the page now.
    pub async fn has(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// Waits until the text of `css` satisfies `ok`, and returns it.
    pub async fn wait_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            // textContent, whitespace collapsed: WebDriver's "visible text" drops text clipped by
            // `overflow: hidden` + ellipsis, which the one-line bars use.
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.prop("textContent").await.ok().flatten().unwrap_or_default(),
                Err(_) => String::new(),
            };
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if ok(&text) {
                return text;
            }
            if Instant::now() > deadline {
                let shot = self.screenshot("failure").await;
                panic!(
                    "{}: {css} never showed {what}; last text: {text:?} (see {})",
                    self.scenario,
                    shot.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves `target/e2e-screenshots/<scenario>-<label>.png`.
    pub async fn screenshot(&self, label: &str) -> PathBuf {
        // The DOM updates before WebKit paints: give the frame time to land.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{}-{label}.png", self.scenario));
        // The X display's picture (ImageMagick): WebKitWebDriver's own screenshot never returns when the
        // page is drawn without compositing, as the app draws it without a GPU (phraseanet_app::rendering).
        let taken = std::process::Command::new("import").args(["-window", "root"]).arg(&path).status();
        assert!(taken.is_ok_and(|s| s.success()), "{}: no screenshot of the display", self.scenario);
        path
    }

    /// Clicks "Download all" on the open basket and waits until every download ended (done or failed).
    pub async fn download_basket(&self) {
        self.click("#download-basket").await;
        self.wait_js(
            "const s = [...document.querySelectorAll('#download-list li')].map(li => li.dataset.state); \
             return s.length > 0 && s.every(x => x === 'done' || x === 'failed')",
            "every download finished",
        )
        .await;
    }

    /// Files the app wrote outside the download folder (a basket's folder inside it counts as in) and its
    /// own folders (config, cache, data).
    pub fn files_outside_downloads(&self) -> Vec<PathBuf> {
        let (home, downloads) = (self.home(), self.downloads_dir());
        files_under(home)
            .into_iter()
            .filter(|f| !f.starts_with(&downloads))
            .filter(|f| !["config", "cache", "data"].iter().any(|d| f.starts_with(home.join(d))))
            .collect()
    }

    /// Everything the app may write for this scenario: config, cache, data (logs, webview storage) and
    /// downloads (XDG dirs).
    pub fn home(&self) -> &Path {
        self.dirs.path()
    }

    pub async fn close(self) {
        let App { client, driver, .. } = self;
        let _ = client.close().await;
        drop(driver);
    }
}
