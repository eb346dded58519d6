//! Accept loop (own hyper loop so that faults can close a socket) and the top-level router.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::state::Shared;

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
}

/// The base URL of the server, for absolute URLs in payloads.
#[derive(Clone)]
pub struct BaseUrl(pub String);

/// Base URL as the client sees it (`Host` header), else the bound address.
pub fn base_url(req_headers: &axum::http::HeaderMap, fallback: &str) -> String {
    match req_headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) if !host.is_empty() && host.bytes().all(|b| b.is_ascii_graphic()) => {
            format!("http://{host}")
        }
        _ => fallback.to_string(),
    }
}

pub fn router(state: Shared, url: String) -> Router {
    Router::new()
        .merge(crate::oauth::router(state.clone()))
        .merge(crate::api::router(state.clone()))
        .merge(crate::media::router(state.clone()))
        .fallback(not_found)
        .layer(middleware::from_fn(negotiate))
        .layer(axum::Extension(BaseUrl(url)))
}

async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") && !req.uri().path().starts_with("/api/oauthv2") {
        return crate::api::fallback(req).await;
    }
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=UTF-8")], "<h1>Not Found</h1>")
        .into_response()
}

const ACCEPTABLE: &[&str] = &[
    "application/json",
    "application/yaml",
    "text/yaml",
    "text/javascript",
    "application/javascript",
    "application/vnd.phraseanet.record-extended+json",
    "application/vnd.phraseanet.record-extended+yaml",
    "application/vnd.phraseanet.record-extended+jsonp",
];

/// spec §1: an `Accept` that matches none of the API types gives 406 on every `/api/` path.
async fn negotiate(req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        if let Some(accept) = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()) {
            let ok = accept.split(',').any(|part| {
                let mime = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                mime.is_empty()
                    || mime == "*/*"
                    || mime == "application/*"
                    || mime == "text/*"
                    || ACCEPTABLE.contains(&mime.as_str())
            });
            if !ok {
                let path = req.uri().path().to_string();
                let method = req.method().to_string();
                return crate::api::envelope::error(
                    &method,
                    &path,
                    406,
                    "Request content type is not acceptable".into(),
                );
            }
        }
    }
    next.run(req).await
}

/// Serves until `stop` fires; then closes every connection.
pub async fn serve(listener: TcpListener, app: Router, mut stop: oneshot::Receiver<()>) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    conns.spawn(serve_conn(stream, app.clone()));
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(5)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    conns.abort_all();
    while conns.join_next().await.is_some() {}
}

async fn serve_conn(stream: tokio::net::TcpStream, app: Router) {
    let ctl = ConnCtl::default();
    let kill = ctl.kill.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let mut req = req.map(Body::new);
        req.extensions_mut().insert(ctl.clone());
        let app = app.clone();
        async move {
            let (method, path) = (req.method().to_string(), req.uri().path().to_string());
            let res = app.oneshot(req).await?;
            Ok::<_, std::convert::Infallible>(crate::api::method_not_allowed(&method, &path, res))
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        // Idle keep-alive connections stay open as long as the client wants (no reset races in tests).
        .header_read_timeout(None)
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {}
    }
}
