//! Starts the app under tauri-driver and hands the scenario a WebDriver client.
//!
//! Pitfalls handled (shared/notes/tauri-on-debian.md §6): tauri-driver listens before WebKitWebDriver
//! does, so both ports are awaited before a session is created; tauri-driver is stopped with SIGTERM,
//! because after SIGKILL it leaves WebKitWebDriver orphaned and holding the test's stderr.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use serde_json::json;

/// One window at a time: scenarios share the display and two cores.
static ONE_APP_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub const WAIT: Duration = Duration::from_secs(15);

/// A running app window for one scenario, with its own config, cache and data dirs.
pub struct App {
    pub client: Client,
    pub scenario: String,
    dirs: tempfile::TempDir,
    driver: Driver,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let _ = self.0.wait();
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

fn wait_for_port(port: u16, deadline: Instant) {
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "port {port} never listened: is WebKitWebDriver installed?");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots")
}

impl App {
    /// Launches the app binary built by cargo for this package, with `env` added to its environment.
    pub async fn launch(scenario: &str, env: &[(&str, &str)]) -> App {
        let turn = ONE_APP_AT_A_TIME.lock().await;
        let dirs = tempfile::tempdir().expect("temp dir");
        let (port, native_port) = (free_port(), free_port());
        let mut cmd = Command::new(tauri_driver());
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("XDG_CONFIG_HOME", dirs.path().join("config"))
            .env("XDG_CACHE_HOME", dirs.path().join("cache"))
            .env("XDG_DOWNLOAD_DIR", dirs.path().join("downloads"))
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let driver = Driver(cmd.spawn().expect("tauri-driver runs (scripts/setup.sh test installs it)"));
        let deadline = Instant::now() + WAIT;
        wait_for_port(port, deadline);
        wait_for_port(native_port, deadline);

        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert(
            "tauri:options".into(),
            json!({ "application": env!("CARGO_BIN_EXE_phraseanet-desktop") }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session on the app");
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

    /// Waits until the text of `css` satisfies `ok`, and returns it.
    pub async fn wait_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if ok(&text) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{}: {css} never showed {what}; last text: {text:?}",
                self.scenario
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves `target/e2e-screenshots/<scenario>-<label>.png`.
    pub async fn screenshot(&self, label: &str) -> PathBuf {
        // The DOM updates before WebKit paints: give the frame time to land.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{}-{label}.png", self.scenario));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// The app's config dir (XDG_CONFIG_HOME) for this scenario, to check what it wrote to disk.
    #[allow(dead_code)] // used by the sign-in scenarios
    pub fn config_dir(&self) -> PathBuf {
        self.dirs.path().join("config")
    }

    pub async fn close(self) {
        let App { client, driver, .. } = self;
        let _ = client.close().await;
        drop(driver);
    }
}
