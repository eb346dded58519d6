//! The HTTP layer of API calls: one reqwest client (rustls, no cookies, no automatic redirects), the
//! `OAuth` header only for the profile's origin, bounded retries for idempotent GETs, a body size cap,
//! and the envelope (spec §4) decoded once into a typed answer or a typed error.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, LOCATION, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use url::Url;

use crate::error::{Error, Result};
use crate::models::tolerant as t;
use crate::url::ServerUrl;
use crate::vault::Secret;

/// Tunables of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Whole-request deadline for API calls (media and downloads use `read_timeout` only).
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Longest silence while reading a body.
    pub read_timeout: Duration,
    /// Extra attempts for idempotent GETs after a network error, a timeout or a 5xx.
    pub retries: u32,
    /// First pause between attempts, doubled each time.
    pub backoff: Duration,
    /// Largest API answer accepted (a 10,000-element basket is ~20 MB).
    pub max_body: u64,
    pub user_agent: String,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Duration::from_millis(200),
            max_body: 256 * 1024 * 1024,
            user_agent: crate::about().user_agent,
        }
    }
}

/// Builds the client every request uses. Cookies are off (reqwest's `cookies` feature is not enabled):
/// a Phraseanet web session cookie would make the API act as that session's user (spec §3).
pub(crate) fn build_client(opts: &HttpOptions) -> Result<reqwest::Client> {
    // The workspace enables rustls with both webpki and native roots: the OS's roots are added to the
    // built-in ones, so company CAs installed on the machine work.
    reqwest::Client::builder()
        .use_rustls_tls()
        .user_agent(opts.user_agent.clone())
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(opts.connect_timeout)
        .read_timeout(opts.read_timeout)
        .pool_max_idle_per_host(16)
        .build()
        .map_err(|e| Error::Network(format!("cannot start the HTTP client: {e}")))
}

/// Maps a transport error; the URL is dropped from the text because it may carry a signed token.
pub(crate) fn map_reqwest(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        return Error::Timeout;
    }
    let chain = error_chain(&e.without_url());
    if chain.contains("certificate")
        || chain.contains("tls")
        || chain.contains("TLS")
        || chain.contains("rustls")
    {
        return Error::Tls(chain);
    }
    Error::Network(chain)
}

fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        src = s.source();
    }
    parts.join(": ")
}

/// Reads a whole body, refusing more than `limit` bytes (before reading when Content-Length says so).
pub(crate) async fn read_capped(resp: reqwest::Response, limit: u64) -> Result<Bytes> {
    if let Some(len) = resp.content_length() {
        if len > limit {
            return Err(Error::TooLarge { limit });
        }
    }
    let mut buf = BytesMut::with_capacity(resp.content_length().unwrap_or(16 * 1024).min(limit) as usize);
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(map_reqwest)?;
        if buf.len() as u64 + chunk.len() as u64 > limit {
            return Err(Error::TooLarge { limit });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct Meta {
    #[serde(deserialize_with = "t::id")]
    pub http_code: i64,
    #[serde(deserialize_with = "t::opt_string")]
    pub error_type: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub error_message: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub error_details: Option<String>,
}

#[derive(Deserialize)]
struct Envelope<T> {
    meta: Meta,
    #[serde(default)]
    response: T,
}

#[derive(Deserialize)]
struct MetaOnly {
    meta: Meta,
    #[allow(dead_code)]
    #[serde(default)]
    response: IgnoredAny,
}

fn www_auth_error(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(WWW_AUTHENTICATE)?.to_str().ok()?;
    let i = v.find("error=")?;
    Some(
        v[i + 6..]
            .trim_matches(|c| c == '\'' || c == '"' || c == ' ')
            .split(['\'', '"', ','])
            .next()?
            .to_string(),
    )
}

fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s.to_string()
    }
}

fn meta_error(meta: &Meta, status: StatusCode) -> Error {
    let code = if meta.http_code >= 400 { meta.http_code } else { status.as_u16() as i64 };
    let detail = short(
        meta.error_details
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .or(meta.error_message.as_deref())
            .or(meta.error_type.as_deref())
            .unwrap_or("no details"),
    );
    match code {
        401 => Error::Unauthorized(detail),
        403 => Error::Forbidden(detail),
        404 => Error::NotFound(detail),
        400..=499 => Error::BadRequest(detail),
        _ => Error::Server { status: code.clamp(0, u16::MAX as i64) as u16, detail },
    }
}

/// Turns one HTTP answer of a v1 route into the typed `response`, or the matching error.
pub(crate) fn decode<T: DeserializeOwned + Default>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T> {
    // spec §3: token failures are not envelopes: empty body + WWW-Authenticate.
    if let Some(err) = www_auth_error(headers) {
        if status == StatusCode::UNAUTHORIZED || err == "invalid_token" {
            return Err(Error::SignedOut);
        }
        if err == "invalid_request" && body.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::NotSignedIn);
        }
    }
    match serde_json::from_slice::<Envelope<T>>(body) {
        Ok(env) if env.meta.http_code < 400 && status.is_success() => Ok(env.response),
        Ok(env) => Err(meta_error(&env.meta, status)),
        Err(decode_err) => match serde_json::from_slice::<MetaOnly>(body) {
            Ok(m) if m.meta.http_code >= 400 || !status.is_success() => Err(meta_error(&m.meta, status)),
            Ok(_) => Err(Error::Decode(decode_err.to_string())),
            Err(_) => Err(not_an_envelope(status, headers, body)),
        },
    }
}

fn not_an_envelope(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
    let ctype = headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if status.is_server_error() {
        return Error::Server { status: status.as_u16(), detail: "the answer is not an API envelope".into() };
    }
    // spec §3: only an empty 401 means "token rejected"; a 401 page from a proxy must not sign anyone out.
    if status == StatusCode::UNAUTHORIZED {
        return if body.iter().all(u8::is_ascii_whitespace) {
            Error::SignedOut
        } else {
            Error::Unauthorized("the server (or a proxy before it) refused access".into())
        };
    }
    if status == StatusCode::BAD_REQUEST && body.starts_with(b"{\"error\"") {
        return Error::BadRequest("the server rejected the authentication header".into());
    }
    let what = if ctype.contains("html") || body.trim_ascii_start().starts_with(b"<") {
        "a web page answered instead of the API"
    } else if body.is_empty() {
        "an empty answer"
    } else {
        "the answer is not a Phraseanet API envelope"
    };
    Error::NotPhraseanet(format!("{what} (HTTP {})", status.as_u16()))
}

/// A request ready to send: the API layer fills it, `send` runs it.
pub(crate) struct Call<'a> {
    pub method: Method,
    pub url: Url,
    pub query: &'a [(String, String)],
    pub form: Option<&'a [(String, String)]>,
    pub token: Option<&'a Secret>,
}

/// Sends a v1 call with retries (GET only), manual same-origin redirects and the size cap, then decodes.
pub(crate) async fn send<T: DeserializeOwned + Default>(
    client: &reqwest::Client,
    server: &ServerUrl,
    opts: &HttpOptions,
    call: Call<'_>,
) -> Result<T> {
    let idempotent = call.method == Method::GET;
    let mut attempt = 0;
    loop {
        let result = send_once(client, server, opts, &call).await;
        let retry = idempotent
            && attempt < opts.retries
            && matches!(
                &result,
                Err(Error::Network(_) | Error::Timeout)
                    | Err(Error::Server { status: 500 | 502 | 503 | 504, .. })
            );
        if !retry {
            return result;
        }
        let pause = opts.backoff * 2u32.saturating_pow(attempt);
        tracing::debug!(
            attempt,
            ?pause,
            "retrying GET after {}",
            result.as_ref().err().map(Error::code).unwrap_or("")
        );
        tokio::time::sleep(pause).await;
        attempt += 1;
    }
}

async fn send_once<T: DeserializeOwned + Default>(
    client: &reqwest::Client,
    server: &ServerUrl,
    opts: &HttpOptions,
    call: &Call<'_>,
) -> Result<T> {
    let mut url = call.url.clone();
    for hop in 0..4 {
        let mut req = client
            .request(call.method.clone(), url.clone())
            .header(ACCEPT, "application/json")
            .timeout(opts.timeout);
        // After a redirect the Location already carries the query string (spec §1: query kept).
        if hop == 0 {
            req = req.query(call.query);
        }
        if let Some(form) = call.form {
            req = req.form(form);
        }
        // The token never leaves the profile's origin, whatever URL we were handed.
        if let Some(token) = call.token.filter(|_| server.same_origin(&url)) {
            req = req.header(AUTHORIZATION, format!("OAuth {}", token.expose()));
        }
        let resp = req.send().await.map_err(map_reqwest)?;
        let status = resp.status();
        if status.is_redirection() {
            let location = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
            let target = url.join(location).map_err(|_| Error::Redirected(short(location)))?;
            // spec §1: a GET without the trailing slash gets a 301 to the slashed URL, same origin.
            if call.method == Method::GET && server.same_origin(&target) {
                url = target;
                continue;
            }
            let mut shown = target.clone();
            shown.set_query(None);
            return Err(Error::Redirected(shown.to_string()));
        }
        let headers = resp.headers().clone();
        let body = read_capped(resp, opts.max_body).await?;
        return decode(status, &headers, &body);
    }
    Err(Error::Redirected("too many redirects".into()))
}
