//! OAuth2 endpoints (api §2): `/api/oauthv2/authorize` and `/api/oauthv2/token`.

mod authorize;
pub mod pages;
mod token;

use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;

use crate::state::Shared;

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/api/oauthv2/authorize", get(authorize::authorize).post(authorize::authorize))
        .route("/api/oauthv2/token", any(token::token))
        .route("/assets/oauth/css/oauth.css", get(stylesheet))
        .layer(middleware::from_fn_with_state(state.clone(), crate::faults::oauth_layer))
        .with_state(state)
}

/// The stylesheet the pages link to (not part of Phraseanet; makes the demo sign-in readable).
async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=UTF-8")], include_str!("../../assets/oauth.css"))
        .into_response()
}

/// api §2.2/§2.3: failures under `/api/oauthv2` that are not OAuth errors are HTML error pages (OES).
pub fn html_error(status: StatusCode) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=UTF-8")], pages::error(status.as_u16()))
        .into_response()
}

/// `application/json` + `Cache-Control: no-store` (O `sendJsonHeaders`).
pub fn json(status: StatusCode, body: String) -> Response {
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Case-insensitive "starts with" (api §2.2 redirect URI prefix rule).
pub fn starts_with_ci(value: &str, prefix: &str) -> bool {
    value.len() >= prefix.len()
        && value.is_char_boundary(prefix.len())
        && value[..prefix.len()].eq_ignore_ascii_case(prefix)
}
