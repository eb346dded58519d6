//! The HTTP layer of API calls: one reqwest client (rustls, no cookies, no automatic redirects), the token
//! only to the profile's origin and only the way the server takes it, time budgets per kind of call,
//! bounded retries that never re-send a heavy request the server may still be computing, a body size
//! cap, and the envelope decoded once into a typed answer or a typed error (`decode`).

mod body;
mod decode;

use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, LOCATION};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

pub(crate) use body::{map_reqwest, next_chunk, read_capped, retry_after};
pub(crate) use decode::decode;
use decode::short;

use crate::error::{Error, Result};
use crate::profile::TokenTransport;
use crate::url::ServerUrl;
use crate::vault::Secret;

/// Tunables of the HTTP layer. docs/real-servers.md, "Time budgets": PHP builds a whole answer before
/// its first byte, so the wait for the head and the silence once bytes flow are budgeted apart.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Wait for the answer's head on ordinary calls.
    pub first_byte: Duration,
    /// Wait for the answer's head on heavy calls (basket content, story, search, feeds): tens of seconds
    /// on real servers for big baskets, PHP's limit is 120 s.
    pub heavy_first_byte: Duration,
    pub connect_timeout: Duration,
    /// Longest silence once bytes flow (API bodies, media, downloads).
    pub read_timeout: Duration,
    /// Extra attempts after a failure that is safe to retry (see `retryable`).
    pub retries: u32,
    /// First pause between attempts, doubled each time.
    pub backoff: Duration,
    /// Longest `Retry-After` honoured; a longer one fails with `rate-limited` at once.
    pub max_retry_after: Duration,
    /// Largest API answer accepted (a 10,000-element basket is ~20 MB).
    pub max_body: u64,
    pub user_agent: String,
    /// Extra trusted certificates (PEM), beside the built-in and OS roots.
    pub extra_roots_pem: Vec<String>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            first_byte: Duration::from_secs(30),
            heavy_first_byte: Duration::from_secs(150),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Duration::from_millis(200),
            max_retry_after: Duration::from_secs(30),
            max_body: 256 * 1024 * 1024,
            user_agent: crate::about().user_agent,
            extra_roots_pem: Vec::new(),
        }
    }
}

/// Builds the client every request uses. Cookies are off (reqwest's `cookies` feature is not enabled):
/// a Phraseanet web session cookie would make the API act as that session's user (api §3). No global
/// read timeout: see `body` for why.
pub(crate) fn build_client(opts: &HttpOptions) -> Result<reqwest::Client> {
    client_builder(opts)?.build().map_err(|e| Error::Network(format!("cannot start the HTTP client: {e}")))
}

/// The client of media and downloads: as `build_client`, without transparent gzip.
pub(crate) fn build_media_client(opts: &HttpOptions) -> Result<reqwest::Client> {
    client_builder(opts)?
        .no_gzip()
        .build()
        .map_err(|e| Error::Network(format!("cannot start the HTTP client: {e}")))
}

/// The connection doctor's client: as `build_client`, keeping the server certificate for inspection.
pub(crate) fn build_probe_client(opts: &HttpOptions) -> Result<reqwest::Client> {
    client_builder(opts)?
        .tls_info(true)
        .build()
        .map_err(|e| Error::Network(format!("cannot start the HTTP client: {e}")))
}

fn client_builder(opts: &HttpOptions) -> Result<reqwest::ClientBuilder> {
    // The workspace enables rustls with both webpki and native roots: the OS's roots are added to the
    // built-in ones, so company CAs installed on the machine work.
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .user_agent(opts.user_agent.clone())
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(opts.connect_timeout)
        .pool_max_idle_per_host(16);
    builder = with_system_proxy(builder)?;
    for pem in &opts.extra_roots_pem {
        let cert = reqwest::Certificate::from_pem(pem.as_bytes())
            .map_err(|e| Error::Tls(format!("an extra trusted certificate is not valid PEM: {e}")))?;
        builder = builder.add_root_certificate(cert);
    }
    Ok(builder)
}

/// The environment's proxy (`https_proxy`, `http_proxy`, `all_proxy`, `no_proxy`, as curl reads them)
/// for every host but loopback. reqwest's automatic proxy would also take loopback traffic (the demo, an
/// SSH tunnel) to the proxy, in clear, token and client secret included.
fn env(names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
}

/// The proxy a request to `url` goes through (credentials removed), by the rules of `with_system_proxy`
/// (a simplified NO_PROXY match: exact host or domain suffix). For the connection doctor.
pub(crate) fn proxy_for(url: &Url) -> Option<String> {
    let host = url.host_str()?.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    let exempt = env(&["no_proxy", "NO_PROXY"]).unwrap_or_default();
    let exempted = exempt
        .split(',')
        .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
        .any(|e| e == "*" || (!e.is_empty() && (host == e || host.ends_with(&format!(".{e}")))));
    if loopback || exempted {
        return None;
    }
    let names: &[&str] = if url.scheme() == "https" {
        &["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
    } else {
        &["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
    };
    let raw = env(names)?;
    Some(match Url::parse(raw.trim()) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        Err(_) => "(a proxy setting that is not a valid URL)".into(),
    })
}

fn with_system_proxy(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
    let user_exempt = env(&["no_proxy", "NO_PROXY"]).unwrap_or_default();
    let exempt = format!("localhost,127.0.0.0/8,::1,{user_exempt}");
    let mut builder = builder.no_proxy();
    let bad = |e: reqwest::Error| Error::Network(format!("the proxy setting is not a valid URL: {e}"));
    if let Some(url) = env(&["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]) {
        let proxy = reqwest::Proxy::https(url.trim()).map_err(bad)?;
        builder = builder.proxy(proxy.no_proxy(reqwest::NoProxy::from_string(&exempt)));
    }
    if let Some(url) = env(&["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]) {
        let proxy = reqwest::Proxy::http(url.trim()).map_err(bad)?;
        builder = builder.proxy(proxy.no_proxy(reqwest::NoProxy::from_string(&exempt)));
    }
    Ok(builder)
}

/// How long a call may take to start answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Light,
    /// The server computes the whole answer first; never re-sent after a timeout.
    Heavy,
}

/// A request ready to send: the API layer fills it, `send` runs it.
pub(crate) struct Call<'a> {
    pub method: Method,
    pub url: Url,
    pub query: &'a [(String, String)],
    pub form: Option<&'a [(String, String)]>,
    pub token: Option<&'a Secret>,
    pub transport: TokenTransport,
    pub weight: Weight,
    /// Bytes received so far, while the body flows.
    pub progress: Option<&'a (dyn Fn(u64) + Send + Sync)>,
    /// The `Accept` header: `application/json`, or the extended record type alone (api §4).
    pub accept: &'static str,
    /// A JSON body (the v2 routes); then a parameter token goes in the query string.
    pub json: Option<&'a serde_json::Value>,
}

pub(crate) const JSON: &str = "application/json";

/// One failed attempt, and whether sending it again is safe and useful.
struct Failure {
    error: Error,
    /// The request never reached the server (connect error): safe even for heavy calls.
    not_sent: bool,
    retry_after: Option<Duration>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure { error, not_sent: false, retry_after: None }
    }
}

fn retryable(f: &Failure, call: &Call<'_>) -> bool {
    if f.not_sent {
        return true;
    }
    match &f.error {
        // A proxy or a pool in front of PHP: the request did not run (or the server asks to come back).
        Error::Server { status: 502..=504, .. } | Error::RateLimited => true,
        // Only idempotent light calls are re-sent after the server may have started on them. A server
        // that stops answering (timeout, stall) is not asked again: the person hears it at once rather
        // than after minutes of retries.
        Error::Network(_) | Error::CutOff | Error::Server { status: 500, .. } => {
            call.method == Method::GET && call.weight == Weight::Light
        }
        _ => false,
    }
}

/// Sends a v1 call with retries, manual same-origin redirects and the size cap, then decodes.
pub(crate) async fn send<T: DeserializeOwned + Default>(
    client: &reqwest::Client,
    server: &ServerUrl,
    opts: &HttpOptions,
    call: Call<'_>,
) -> Result<T> {
    let mut attempt = 0;
    loop {
        let failure = match send_once(client, server, opts, &call).await {
            Ok(v) => return Ok(v),
            Err(f) => f,
        };
        if attempt >= opts.retries || !retryable(&failure, &call) {
            return Err(failure.error);
        }
        let pause = match failure.retry_after {
            Some(wait) if wait > opts.max_retry_after => return Err(failure.error),
            Some(wait) => wait,
            None => opts.backoff * 2u32.saturating_pow(attempt),
        };
        tracing::debug!(attempt, ?pause, "retrying after {}", failure.error.code());
        tokio::time::sleep(pause).await;
        attempt += 1;
    }
}

/// Places the token the way the server takes it. Parameter mode never sends the header: on 4.1.0/4.1.1
/// its mere presence blocks `oauth_token` (oauth2php 1.1.0 lib/OAuth2.php:952-1001).
fn with_token(
    mut req: reqwest::RequestBuilder,
    call: &Call<'_>,
    token: &Secret,
    first_hop: bool,
) -> reqwest::RequestBuilder {
    match call.transport {
        TokenTransport::Header => {
            let mut value = reqwest::header::HeaderValue::from_str(&format!("OAuth {}", token.expose()))
                .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static("OAuth -"));
            value.set_sensitive(true);
            req = req.header(AUTHORIZATION, value);
        }
        // POST carries it in the form body (kept out of URLs); a redirect's Location already has it.
        TokenTransport::Param if call.method == Method::POST && call.json.is_none() => {}
        TokenTransport::Param if first_hop => req = req.query(&[("oauth_token", token.expose())]),
        TokenTransport::Param => {}
    }
    req
}

async fn send_once<T: DeserializeOwned + Default>(
    client: &reqwest::Client,
    server: &ServerUrl,
    opts: &HttpOptions,
    call: &Call<'_>,
) -> std::result::Result<T, Failure> {
    let mut url = call.url.clone();
    let wait = match call.weight {
        Weight::Light => opts.first_byte,
        Weight::Heavy => opts.heavy_first_byte,
    };
    // The token never leaves the profile's origin, whatever URL we were handed.
    let token = call.token.filter(|_| server.same_origin(&url));
    let mut form: Option<Vec<(String, String)>> = call.form.map(<[_]>::to_vec);
    if let (Some(t), TokenTransport::Param, &Method::POST, None) =
        (token, call.transport, &call.method, call.json)
    {
        form.get_or_insert_with(Vec::new).push(("oauth_token".into(), t.expose().to_string()));
    }
    for hop in 0..4 {
        let mut req = client.request(call.method.clone(), url.clone()).header(ACCEPT, call.accept);
        // After a redirect the Location already carries the query string (api §1: query kept).
        if hop == 0 {
            req = req.query(call.query);
        }
        if let Some(form) = &form {
            req = req.form(form);
        }
        if let Some(json) = call.json {
            req = req.json(json);
        }
        if let Some(token) = token.filter(|_| server.same_origin(&url)) {
            req = with_token(req, call, token, hop == 0);
        }
        let started = Instant::now();
        let resp = match tokio::time::timeout(wait, req.send()).await {
            Err(_) => return Err(Error::Timeout.into()),
            Ok(Err(e)) => {
                let not_sent = e.is_connect();
                return Err(Failure { error: map_reqwest(e), not_sent, retry_after: None });
            }
            Ok(Ok(resp)) => resp,
        };
        let status = resp.status();
        if status.is_redirection() {
            let location = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
            let target = url.join(location).map_err(|_| Error::Redirected(short(location)))?;
            // api §1: a GET without the trailing slash gets a 301 to the slashed URL, same origin.
            if call.method == Method::GET && server.same_origin(&target) {
                url = target;
                continue;
            }
            let mut shown = target.clone();
            shown.set_query(None);
            return Err(Error::Redirected(shown.to_string()).into());
        }
        let headers = resp.headers().clone();
        let body = read_capped(resp, opts.max_body, opts.read_timeout, call.progress).await?;
        tracing::debug!(status = status.as_u16(), waited_ms = started.elapsed().as_millis() as u64, "answer");
        let retry_after = match status {
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => retry_after(&headers),
            _ => None,
        };
        return decode(status, &headers, &body).map_err(|error| Failure {
            error,
            not_sent: false,
            retry_after,
        });
    }
    Err(Error::Redirected("too many redirects".into()).into())
}
