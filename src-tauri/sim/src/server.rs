//! Accept loop (own hyper loop so that faults can close a socket) and the top-level router.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::http::{BaseUrl, ConnCtl};
use crate::state::Shared;

pub fn router(state: Shared, url: String) -> Router {
    let base = BaseUrl { fallback: url, scheme: state.config.url_scheme() };
    // Outermost last: the log sees what the client sent, then the web server strips headers, then
    // PHP (`api_disabled`, negotiation, routes).
    Router::new()
        .merge(crate::oauth::router(state.clone()))
        .merge(crate::api::router(state.clone()))
        .merge(crate::media::router(state.clone()))
        .fallback(not_found)
        .layer(middleware::from_fn(negotiate))
        .layer(middleware::from_fn_with_state(state.clone(), api_enabled))
        .layer(middleware::from_fn_with_state(state.clone(), web_server))
        .layer(middleware::from_fn_with_state(state.requests.clone(), crate::reqlog::layer))
        .layer(axum::Extension(base))
}

/// `Behind::ApacheFpm`: the `Authorization` header never reaches PHP (docs/real-servers.md,
/// "Token transport").
async fn web_server(State(state): State<Shared>, mut req: Request, next: Next) -> Response {
    if state.config.behind.strips_authorization() {
        req.headers_mut().remove(header::AUTHORIZATION);
    }
    next.run(req).await
}

/// `api-enabled: false` (docs/real-servers.md, "Sign-in"): discovery stays, the oauth and v1 providers
/// register no route.
async fn api_enabled(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if state.config.api_disabled && path.starts_with("/api/oauthv2") {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=UTF-8")],
            crate::oauth::pages::error(404),
        )
            .into_response();
    }
    if state.config.api_disabled && path.starts_with("/api/v1") {
        let (method, path) = (req.method().to_string(), path.to_string());
        let details = format!("No route found for \"{method} {path}\"");
        return crate::http::envelope::error(&method, &path, 404, details);
    }
    next.run(req).await
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

/// api §1: an `Accept` that matches none of the API types gives 406 on every `/api/` path.
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
                return crate::http::envelope::error(
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

/// Serves until `stop` fires; then closes every connection. With `tls`, each connection first does the
/// TLS handshake (a failed one just closes it).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    tls: Option<TlsAcceptor>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let app = app.clone();
                    match tls.clone() {
                        None => { conns.spawn(serve_conn(stream, app)); }
                        Some(acceptor) => {
                            conns.spawn(async move {
                                if let Ok(stream) = acceptor.accept(stream).await {
                                    serve_conn(stream, app).await;
                                }
                            });
                        }
                    }
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(5)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    conns.abort_all();
    while conns.join_next().await.is_some() {}
}

async fn serve_conn<S>(stream: S, app: Router)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let ctl = ConnCtl::default();
    let kill = ctl.notifier();
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
