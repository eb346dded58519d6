//! `phraseanet-sim`: a Phraseanet double that speaks the HTTP API described in
//! `shared/spec/phraseanet-api.md`. Tests, the desktop app's demo mode and benchmarks run against it.
//!
//! Public contract (other crates code against it):
//! `Sim::start(SimOptions) -> Sim`, `Sim::url()`, `Sim::fixtures()`, `Sim::revoke_token()`,
//! `Sim::revoke_app()`, `Sim::shutdown()`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use serde::Serialize;

/// Which fixture set the server holds. Every dataset is deterministic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Dataset {
    /// A few users and apps, 2 databoxes, ~200 records of every type, stories, baskets, feeds.
    #[default]
    Demo,
    /// The demo data plus one basket of `basket_size` elements.
    Large,
    /// Script/HTML payloads, path tricks and odd Unicode in every string field.
    Hostile,
}

/// Faults injected into responses, for reliability tests. All off by default.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Added before every response.
    pub latency: Duration,
    /// Probability (0..=1) that an API/media request answers 5xx.
    pub fail_rate: f64,
    /// Probability that the connection is dropped without an answer.
    pub drop_rate: f64,
    /// Probability that a body is cut short (Content-Length kept, bytes missing).
    pub truncate_rate: f64,
    /// When set, bodies are sent in small chunks with this pause between them.
    pub slow_body: Option<Duration>,
}

/// How to start the double.
#[derive(Debug, Clone)]
pub struct SimOptions {
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub dataset: Dataset,
    /// Size of the large basket (dataset `large`).
    pub basket_size: usize,
    /// Lifetime of OAuth authorization codes (the real server: 30 s, spec §2.2).
    pub code_lifetime: Duration,
    /// Refuse plain-http token requests like `api-require-ssl` does (spec §2.3).
    pub require_https: bool,
    pub faults: Faults,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            dataset: Dataset::Demo,
            basket_size: 10_000,
            code_lifetime: Duration::from_secs(30),
            require_https: false,
            faults: Faults::default(),
        }
    }
}

/// Credentials of an OAuth application registered in the double.
#[derive(Debug, Clone, Serialize)]
pub struct AppCredentials {
    pub client_id: String,
    pub client_secret: String,
}

/// What a test or the demo screen needs to know about the loaded dataset.
#[derive(Debug, Clone, Serialize)]
pub struct Fixtures {
    /// The *Desktop* application (redirect URI `urn:ietf:wg:oauth:2.0:oob`).
    pub desktop_app: AppCredentials,
    /// The main demo user: login and password to type on the authorize page.
    pub login: String,
    pub password: String,
    pub display_name: String,
    /// Developer token of the main user for the desktop app (spec §2.5).
    pub developer_token: String,
}

/// A running double. Dropping it stops the server.
pub struct Sim {
    url: String,
    fixtures: Fixtures,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Sim {
    /// Starts the server on the current tokio runtime and returns once it accepts connections.
    pub async fn start(options: SimOptions) -> std::io::Result<Sim> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(options.bind, options.port)).await?;
        let addr = listener.local_addr()?;
        let url = format!("http://{addr}");
        let fixtures = Fixtures {
            desktop_app: AppCredentials { client_id: "stub".into(), client_secret: "stub".into() },
            login: "mara".into(),
            password: "stub".into(),
            display_name: "Mara Ek".into(),
            developer_token: "stub".into(),
        };
        let app = axum::Router::new().route("/api/", axum::routing::get(discovery));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Sim { url, fixtures, shutdown: Some(tx), task: Some(task) })
    }

    /// Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn fixtures(&self) -> &Fixtures {
        &self.fixtures
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

async fn discovery() -> axum::Json<serde_json::Value> {
    axum::Json(
        serde_json::json!({"meta": {"api_version": "2.0.0", "http_code": 200}, "response": {"type": "phraseanet"}}),
    )
}
