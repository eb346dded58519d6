//! `phraseanet-sim`: a Phraseanet double that speaks the HTTP API as Phraseanet 4.1.22 implements it
//! (`docs/phraseanet-api.md`), and the family of servers around it (`docs/real-servers.md`). Tests, the
//! desktop app's demo mode and benchmarks run against it.
//!
//! * OAuth2 as the real server does it (api §2): `/api/oauthv2/authorize` (login form, consent page,
//!   OOB page, web redirects, every error shape) and `/api/oauthv2/token`.
//! * API v1 (api §3-§6): envelope, token rules, baskets, records, search, stories, databoxes, feeds.
//! * Media with real bytes: `/medias/<jwt>` signed URLs and `/permalink/v1/...`, with HTTP Range.
//! * Deterministic datasets ([`Dataset`]) described by [`Fixtures`], and injectable [`Faults`].
//! * The family of real servers, not one ideal 4.1.22 (`docs/real-servers.md`): the version's
//!   token rules and JSON shapes ([`ServerProfile`]), what stands in front of PHP ([`Behind`]), PHP's
//!   time per element and time limit, `api-enabled: false`, and a log of what clients sent
//!   ([`Sim::requests`]).
//!
//! Citations in comments: `api §N` is section N of `docs/phraseanet-api.md` (the HTTP API of Phraseanet
//! 4.1.22); `docs/real-servers.md, "Title"` is the section so titled of `docs/real-servers.md` (other
//! versions and deployments; it wins where the two differ). P = Phraseanet's source, O = oauth2-php's.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use phraseanet_sim::{Sim, SimOptions};
//! let sim = Sim::start(SimOptions::default()).await?;
//! println!("{} {}", sim.url(), sim.fixtures().desktop_app.client_id);
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

mod api;
#[cfg(feature = "test-support")]
pub mod browser;
mod dates;
mod faults;
mod fixtures;
mod http;
mod json;
mod media;
mod model;
mod oauth;
mod php;
mod profile;
mod reqlog;
mod server;
mod state;
#[cfg(feature = "test-support")]
pub mod testing;
mod tls;
mod yaml;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

pub use fixtures::{AppCredentials, Fixtures, RecordRef, UserCredentials};
pub use profile::{Behind, ServerProfile};
pub use reqlog::{LoggedRequest, TokenSeen};

/// The payloads of the `hostile` dataset, for tests that check a client renders them inertly.
pub mod hostile {
    /// `original_name` payloads (plus one 1004-character name every 40 records).
    pub use crate::fixtures::hostile::NAMES;
    /// Free-text payloads (titles, captions, names, descriptions...). Titles are `"<payload> #<record id>"`.
    pub use crate::fixtures::hostile::TEXT;
}

use state::{Shared, State, Token};

/// The redirect URI of desktop (out-of-band) applications.
pub const OOB_REDIRECT_URI: &str = model::OOB_URI;

/// Which fixture set the server holds. Every dataset is deterministic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Dataset {
    /// A few users and apps, 4 databoxes, ~200 records of every type, stories, baskets, feeds.
    #[default]
    Demo,
    /// The demo data plus one basket of `basket_size` elements (distinct records).
    Large,
    /// The demo structure with script/HTML payloads, path tricks and odd Unicode in every string field.
    Hostile,
}

/// Faults injected into `/api/v1/*` and media responses (and OAuth with `on_oauth`), for reliability
/// tests. All off by default. Draws come from a PRNG seeded with `seed`, so a run is reproducible for a
/// given request order. Discovery (`/api/`) never fails.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Added before every response.
    pub latency: Duration,
    /// Probability (0..=1) that a request answers 5xx (500/503 envelope or a 502 HTML proxy page).
    pub fail_rate: f64,
    /// Probability that the connection is closed without an answer (socket closed after the request).
    pub drop_rate: f64,
    /// Probability that a body is cut short: the full Content-Length is announced, about half of the bytes
    /// are sent, then the socket is closed.
    pub truncate_rate: f64,
    /// When set, bodies are sent in chunks (1 KiB, or 1/32 of the body if larger) with this pause between.
    pub slow_body: Option<Duration>,
    /// PRNG seed of the fault draws.
    pub seed: u64,
    /// Also apply the faults to `/api/oauthv2/*` (off: sign-in stays reliable).
    pub on_oauth: bool,
}

impl Faults {
    pub fn is_off(&self) -> bool {
        self.latency.is_zero()
            && self.fail_rate <= 0.0
            && self.drop_rate <= 0.0
            && self.truncate_rate <= 0.0
            && self.slow_body.is_none()
    }
}

/// How to start the double.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Address to bind (loopback by default).
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub dataset: Dataset,
    /// Size of the large basket (dataset `large`).
    pub basket_size: usize,
    /// Lifetime of OAuth authorization codes (the real server: 30 s, api §2.2).
    pub code_lifetime: Duration,
    /// Refuse plain-http token requests like `api-require-ssl` does (api §2.3). A request carrying
    /// `X-Forwarded-Proto: https` counts as HTTPS (a trusted TLS proxy), except with
    /// [`Behind::TlsProxy`] (an untrusted one, docs/real-servers.md, "Sign-in").
    pub require_https: bool,
    pub faults: Faults,
    /// Which Phraseanet version (and auth configuration) the double behaves like.
    pub server_profile: ServerProfile,
    /// What stands between the client and PHP.
    pub behind: Behind,
    /// Serve HTTPS with a self-signed certificate for `localhost` and `127.0.0.1` ([`Sim::ca_pem`]);
    /// implied by [`Behind::TlsProxy`]. [`Sim::url`] is then `https://localhost:<port>`.
    pub tls: bool,
    /// PHP builds the whole JSON before the first byte: basket content, story, search and feed answers
    /// are delayed by elements × this (0 = off; docs/real-servers.md, "Time budgets").
    pub php_per_element: Duration,
    /// PHP's `max_execution_time` (default 120 s): when the computed delay exceeds it, the answer comes
    /// after this limit as PHP's 500 HTML error page instead.
    pub php_time_limit: Duration,
    /// `api-enabled: false`: `/api/` still answers discovery, but `/api/oauthv2/*` gives an HTML 404 and
    /// `/api/v1/*` the v1 404 envelope (docs/real-servers.md, "Sign-in").
    pub api_disabled: bool,
    /// Requests per second (and burst) on media routes with [`Behind::RateLimit`].
    pub rate_limit_per_sec: u32,
    /// A server that expires tokens: token answers carry `expires_in` and the token is refused after
    /// it. Phraseanet does not do this today (api §2.5) but tells clients to be ready for it.
    pub token_lifetime: Option<Duration>,
    /// Bytes per second of each `/medias/` and `/permalink/` body (a slow link; None: as fast as
    /// loopback goes). Per response: two transfers at once get this rate each.
    pub media_bandwidth: Option<u64>,
    /// Bytes of every video preview: the sample MP4 followed by a top-level `free` box of filler made
    /// on the fly (a playable file whose first frame is in its first 60 KB; `filesize` exact). None, or
    /// less than the sample plus 16 bytes: the sample as is.
    pub video_preview_size: Option<u64>,
    /// Media routes ignore `Range` and answer 200 with the whole body, without `Accept-Ranges` (a proxy
    /// or web server with ranges off).
    pub ignore_range: bool,
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
            server_profile: ServerProfile::default(),
            behind: Behind::default(),
            tls: false,
            php_per_element: Duration::ZERO,
            php_time_limit: Duration::from_secs(120),
            api_disabled: false,
            rate_limit_per_sec: 20,
            token_lifetime: None,
            media_bandwidth: None,
            video_preview_size: None,
            ignore_range: false,
        }
    }
}

/// A running double. Dropping it stops the server.
pub struct Sim {
    url: String,
    ca_pem: Option<String>,
    fixtures: Fixtures,
    state: Shared,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Sim {
    /// Starts the server on the current tokio runtime and returns once it accepts connections.
    pub async fn start(options: SimOptions) -> std::io::Result<Sim> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(options.bind, options.port)).await?;
        let addr = listener.local_addr()?;
        let (mut data, fixtures) =
            fixtures::build(options.dataset, options.basket_size, options.server_profile);
        if let Some(size) = options.video_preview_size {
            for r in data.records.iter_mut().filter(|r| r.kind == model::Kind::Video) {
                r.preview_size = Some(size);
            }
        }
        let state = Arc::new(State::new(data, &options));
        let (url, tls, ca_pem) = if state.config.tls {
            let (acceptor, pem) = tls::acceptor()?;
            (format!("https://localhost:{}", addr.port()), Some(acceptor), Some(pem))
        } else {
            (format!("http://{addr}"), None, None)
        };
        // Absolute URLs use the scheme PHP sees (http behind the TLS proxy, docs/real-servers.md, "Media").
        let fallback =
            format!("{}://{}", state.config.url_scheme(), url.split_once("://").map_or("", |(_, h)| h));
        let app = server::router(state.clone(), fallback);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(server::serve(listener, app, tls, rx));
        Ok(Sim { url, ca_pem, fixtures, state, shutdown: Some(tx), task: Some(task) })
    }

    /// Base URL, e.g. `http://127.0.0.1:41234`, or `https://localhost:41234` with TLS (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// With TLS: the PEM of the self-signed server certificate, for the client to trust.
    pub fn ca_pem(&self) -> Option<String> {
        self.ca_pem.clone()
    }

    /// Every request received so far (oldest first, the last 100,000), with what the client sent.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state.requests.all()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.state.requests.clear();
    }

    pub fn fixtures(&self) -> &Fixtures {
        &self.fixtures
    }

    /// `<url>/api/oauthv2/authorize?response_type=code&client_id=..&redirect_uri=..[&state=..]`, encoded.
    /// Use [`OOB_REDIRECT_URI`] for desktop apps.
    pub fn authorize_url(&self, client_id: &str, redirect_uri: &str, state: Option<&str>) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri);
        if let Some(s) = state {
            q.append_pair("state", s);
        }
        format!("{}/api/oauthv2/authorize?{}", self.url, q.finish())
    }

    /// Makes `token` unknown (next API call: 401 `invalid_token`). Returns whether it existed.
    pub fn revoke_token(&self, token: &str) -> bool {
        self.state.auth.lock().unwrap().tokens.remove(token).is_some()
    }

    /// Revokes the main user's account for the app `client_id`, like the user would in their account
    /// settings: every token of that account gets 401 `invalid_token` and the next authorize shows the
    /// consent page (api §2.2, §2.5). Returns false for an unknown client id.
    pub fn revoke_app(&self, client_id: &str) -> bool {
        let Some(app) = self.state.data.app_by_client_id(client_id) else { return false };
        self.state.auth.lock().unwrap().accounts.insert((self.fixtures.user_id, app.id), true);
        true
    }

    /// Issues a fresh access token of the main user for `client_id` without the browser flow (as the
    /// token endpoint would). None for an unknown client id. The account is (re)authorized.
    pub fn issue_token(&self, client_id: &str) -> Option<String> {
        let app = self.state.data.app_by_client_id(client_id)?;
        let token = self.state.random_hex();
        let mut auth = self.state.auth.lock().unwrap();
        auth.accounts.insert((self.fixtures.user_id, app.id), false);
        auth.tokens
            .insert(token.clone(), Token { user_id: self.fixtures.user_id, app_id: app.id, expires: None });
        Some(token)
    }

    /// Changes the lifetime of authorization codes issued from now on (and of those not yet exchanged).
    pub fn set_code_lifetime(&self, lifetime: Duration) {
        *self.state.code_lifetime.lock().unwrap() = lifetime;
    }

    /// Replaces the fault settings of the running server (the PRNG is reseeded with `faults.seed`).
    pub fn set_faults(&self, faults: Faults) {
        self.state.reseed(faults.seed);
        *self.state.faults.write().unwrap() = faults;
    }

    /// Stops the server and waits for it. Open connections are closed.
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
