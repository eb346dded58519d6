//! `POST /api/oauthv2/token` (api §2.3, §2.4): form body only, `{"error":...}` table in O's order.

use std::time::Instant;

use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use base64::Engine;

use super::{html_error, json, starts_with_ci};
use crate::api::Req;
use crate::profile::Behind;
use crate::state::{Config, Shared, Token};

fn error(code: &str) -> Response {
    json(StatusCode::BAD_REQUEST, format!("{{\"error\":\"{code}\"}}"))
}

/// `Request::isSecure()` as PHP sees it: behind the untrusted TLS proxy never (docs/real-servers.md,
/// "Sign-in"); on the double's own TLS always; otherwise a trusted proxy's `X-Forwarded-Proto: https`.
fn is_https(config: &Config, req: &Req) -> bool {
    if config.behind == Behind::TlsProxy {
        return false;
    }
    config.tls
        || req
            .headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// HTTP Basic credentials (`PHP_AUTH_USER`/`PHP_AUTH_PW`).
fn basic(req: &Req) -> Option<(String, String)> {
    let value = req.headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, b64) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':').unwrap_or((&text, ""));
    Some((id.to_string(), secret.to_string()))
}

pub async fn token(State(state): State<Shared>, method: Method, req: Req) -> Response {
    if method != Method::POST {
        let mut res = html_error(StatusCode::METHOD_NOT_ALLOWED);
        res.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
        return res;
    }
    // api §2.3 HTTPS gate (OAC, before the library runs).
    if state.config.require_https && !is_https(&state.config, &req) {
        return json(
            StatusCode::BAD_REQUEST,
            r#"{"msg":"This route requires the use of the https scheme: 1","code":400}"#.into(),
        );
    }
    // Only the form body counts (PHP `INPUT_POST`); query parameters are ignored.
    let form = |name: &str| req.form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let grant_type = match form("grant_type") {
        Some(g @ ("authorization_code" | "password")) => g,
        Some("assertion" | "refresh_token" | "none") => return error("unsupported_grant_type"),
        _ => return error("invalid_request"),
    };
    // Client credentials: Basic or body, not both; the secret is optional (ADP `checkClientCredentials`).
    let (client_id, secret) = match (basic(&req), form("client_id")) {
        (Some(_), Some(_)) => return error("invalid_client"),
        (Some((id, secret)), None) => (id, Some(secret)),
        (None, Some(id)) => (id.to_string(), form("client_secret").map(String::from)),
        (None, None) => return error("invalid_client"),
    };
    let Some(app) = state.data.app_by_client_id(&client_id) else { return error("invalid_client") };
    if secret.as_ref().is_some_and(|s| *s != app.client_secret) {
        return error("invalid_client");
    }
    let scope = form("scope").filter(|s| !s.is_empty());
    let user_id = if grant_type == "authorization_code" {
        let (Some(code), Some(redirect_uri)) = (form("code"), form("redirect_uri")) else {
            return error("invalid_request");
        };
        let stored = state.auth.lock().unwrap().codes.get(code).cloned();
        let Some(stored) = stored.filter(|c| c.app_id == app.id) else { return error("invalid_grant") };
        if !starts_with_ci(redirect_uri, &stored.redirect_uri) {
            return error("invalid_grant");
        }
        // Codes are not deleted after use: reusable until they expire (api §2.2).
        if stored.issued.elapsed() > *state.code_lifetime.lock().unwrap() {
            return error("expired_token");
        }
        stored.user_id
    } else {
        if !app.password_grant {
            return error("unsupported_grant_type");
        }
        let (Some(username), Some(password)) = (form("username"), form("password")) else {
            return error("invalid_request");
        };
        match state.data.user_by_login(username).filter(|u| u.password == password) {
            Some(user) => user.id,
            None => return error("invalid_grant"),
        }
    };
    if scope.is_some() {
        return error("invalid_scope");
    }
    let token = state.random_hex();
    {
        let mut auth = state.auth.lock().unwrap();
        auth.accounts.entry((user_id, app.id)).or_insert(false);
        let expires = state.token_lifetime.map(|l| Instant::now() + l);
        auth.tokens.insert(token.clone(), Token { user_id, app_id: app.id, expires });
    }
    match state.token_lifetime {
        // A future server's answer (`SimOptions::token_lifetime`).
        Some(l) => json(
            StatusCode::OK,
            format!("{{\"access_token\":\"{token}\",\"expires_in\":{},\"scope\":null}}", l.as_secs()),
        ),
        // api §2.3: exactly two keys, no token_type/expires_in/refresh_token.
        None => json(StatusCode::OK, format!("{{\"access_token\":\"{token}\",\"scope\":null}}")),
    }
}
