//! A loopback HTTP endpoint for video and audio. WebKitGTK's media player (GStreamer) cannot read from a
//! custom URI scheme (tauri-apps/tauri#3725), but plays from `http://127.0.0.1` with ranges. So the
//! players get `http://127.0.0.1:<port>/<secret>/<profile>/<path>`, answered by the same
//! [`Desktop::media_request`] as the `pmedia:` scheme: from the client's cache, never the server itself.
//!
//! Bound to loopback only, GET/HEAD only, `Host` must be the endpoint's own, and every path starts with
//! a random secret made at start-up, so other local programs cannot read a profile's media by guessing
//! URLs. Answers are `no-store` with the app's own allow-listed content type (see `media.rs`).

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, Response, StatusCode, Uri};
use axum::Router;
use futures_util::FutureExt;
use percent_encoding::percent_decode_str;

use super::media::MediaClient;
use crate::Desktop;

/// The endpoint, bound but not yet serving: its origin is known before the window starts (for the CSP).
pub struct MediaEndpoint {
    listener: TcpListener,
    secret: String,
    origin: String,
}

impl MediaEndpoint {
    /// Binds `127.0.0.1` on a free port.
    pub fn bind() -> std::io::Result<MediaEndpoint> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
        listener.set_nonblocking(true)?;
        let origin = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
        let mut bytes = [0u8; 24];
        getrandom::getrandom(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
        let secret = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(MediaEndpoint { listener, secret, origin })
    }

    /// `http://127.0.0.1:<port>`: what the window's CSP must allow for `media-src`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// `http://127.0.0.1:<port>/<secret>/`: the UI appends `<profile>/<media path>`.
    pub fn base(&self) -> String {
        format!("{}/{}/", self.origin, self.secret)
    }

    /// Serves until the runtime stops. Must run inside a tokio runtime.
    pub async fn serve(self, desktop: Arc<Desktop>) -> std::io::Result<()> {
        let listener = tokio::net::TcpListener::from_std(self.listener)?;
        let host = self.origin.trim_start_matches("http://").to_string();
        let state = Arc::new(Shared { desktop, secret: self.secret, host });
        let app = Router::new().fallback(guarded).with_state(state);
        axum::serve(listener, app).await
    }
}

struct Shared {
    desktop: Arc<Desktop>,
    secret: String,
    /// `127.0.0.1:<port>`: any other `Host` (DNS rebinding) is refused, as defence in depth.
    host: String,
}

/// A panic while answering becomes a 500 instead of a dropped connection (and a player waiting).
async fn guarded(state: State<Arc<Shared>>, uri: Uri, method: Method, headers: HeaderMap) -> Response<Body> {
    AssertUnwindSafe(answer(state, uri, method, headers))
        .catch_unwind()
        .await
        .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR))
}

async fn answer(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    method: Method,
    headers: HeaderMap,
) -> Response<Body> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if host != Some(shared.host.as_str()) {
        return status(StatusCode::MISDIRECTED_REQUEST);
    }
    // The raw path, decoded once: `/<secret>/<profile>/<media path>`.
    let Some((secret, rest)) = uri.path().trim_start_matches('/').split_once('/') else {
        return status(StatusCode::NOT_FOUND);
    };
    if method != Method::GET && method != Method::HEAD || !same(secret.as_bytes(), shared.secret.as_bytes()) {
        return status(StatusCode::NOT_FOUND);
    }
    let Some((profile, path)) = rest.split_once('/') else { return status(StatusCode::NOT_FOUND) };
    let profile = percent_decode_str(profile).decode_utf8_lossy().into_owned();
    let path = percent_decode_str(path).decode_utf8_lossy().into_owned();
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let head = method == Method::HEAD;
    shared.desktop.media_http(MediaClient::Endpoint, &profile, &path, range, head).await.map(Body::from)
}

/// Compares without stopping at the first difference (the secret is a capability).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn status(code: StatusCode) -> Response<Body> {
    Response::builder().status(code).body(Body::empty()).expect("an empty response builds")
}
