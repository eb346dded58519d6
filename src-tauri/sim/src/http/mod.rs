//! The HTTP pieces every part of the double shares (a leaf: it imports no other module of the crate but
//! the leaf helpers `dates`, `json`, `yaml`): connection control, the base URL PHP builds, the envelope,
//! and the token-error answers of the OAuth library.

pub mod envelope;

use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::Notify;

/// Per-connection control: a fault can ask the accept loop to close the socket.
#[derive(Clone, Default)]
pub struct ConnCtl {
    kill: Arc<Notify>,
}

impl ConnCtl {
    /// Closes the connection without writing anything more.
    pub fn kill(&self) {
        self.kill.notify_one();
    }

    /// What the accept loop waits on.
    pub(crate) fn notifier(&self) -> Arc<Notify> {
        self.kill.clone()
    }
}

/// The base URL of the server, for absolute URLs in payloads: the bound address and the scheme PHP
/// believes it is served with (`Config::url_scheme`, docs/real-servers.md, "Media").
#[derive(Clone)]
pub struct BaseUrl {
    pub fallback: String,
    pub scheme: &'static str,
}

/// Base URL as PHP builds it: its scheme and the `Host` header, else the bound address.
pub fn base_url(req_headers: &axum::http::HeaderMap, base: Option<&BaseUrl>) -> String {
    let scheme = base.map(|b| b.scheme).unwrap_or("http");
    match req_headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) if !host.is_empty() && host.bytes().all(|b| b.is_ascii_graphic()) => {
            format!("{scheme}://{host}")
        }
        _ => base.map(|b| b.fallback.clone()).unwrap_or_default(),
    }
}

/// 400/401 with an empty body and `WWW-Authenticate` (api §3, O `errorWWWAuthenticateResponseHeader`).
pub fn www_authenticate(status: StatusCode, error: &str) -> Response {
    let mut res = status.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=UTF-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("OAuth realm='Service', error='{error}'")) {
        h.insert(header::WWW_AUTHENTICATE, v);
    }
    res
}

/// 400 `{"error":"invalid_request"}` JSON (api §3: Bearer, header + param, GET + POST).
pub fn json_invalid_request() -> Response {
    let mut res = (StatusCode::BAD_REQUEST, r#"{"error":"invalid_request"}"#).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
