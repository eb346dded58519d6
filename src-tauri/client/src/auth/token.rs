//! The token endpoint (api §2.3).
//!
//! A plain reqwest POST rather than the oauth2 crate: the server answers `{"access_token","scope":null}`
//! with no `token_type` (oauth2's standard response refuses it), its errors come in three shapes (an
//! `{"error"}` body, an `{"msg","code"}` body for the https gate, and HTML pages) that oauth2 would fold
//! into one opaque variant, and there is no refresh or expiry to manage. Twenty lines of reqwest keep
//! every case typed and avoid a second HTTP client configuration.

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::http::{map_reqwest, read_capped};
use crate::url::{check_secure, ServerUrl};
use crate::vault::Secret;

/// Short: a code lives 30 s, and a hung exchange must fail while the person can still retry.
pub const TOKEN_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenBody {
    access_token: Option<String>,
    error: Option<String>,
    msg: Option<String>,
}

/// Maps the `error` of a 400 answer (api §2.3 table).
pub fn map_oauth_error(error: &str) -> Error {
    match error {
        "expired_token" => Error::ExpiredCode,
        "invalid_grant" => Error::InvalidGrant,
        "invalid_client" => Error::InvalidClient,
        "unsupported_grant_type" => Error::UnsupportedGrant,
        "access_denied" => Error::AccessDenied("the authorization was refused".into()),
        other => Error::OAuth(other.chars().filter(|c| c.is_ascii_graphic()).take(60).collect()),
    }
}

/// POSTs a form to `/api/oauthv2/token` and returns the token. Redirects are never followed.
pub(crate) async fn request_token(
    client: &reqwest::Client,
    server: &ServerUrl,
    form: &[(&str, &str)],
) -> Result<Secret> {
    let url = server.join("api/oauthv2/token");
    check_secure(&url)?;
    let resp = client
        .post(url.clone())
        .header(ACCEPT, "application/json")
        .form(form)
        .timeout(TOKEN_TIMEOUT)
        .send()
        .await
        .map_err(map_reqwest)?;
    let status = resp.status();
    if status.is_redirection() {
        let loc = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mut target = url.join(loc).map_err(|_| Error::Redirected(loc.chars().take(200).collect()))?;
        target.set_query(None);
        return Err(Error::Redirected(target.to_string()));
    }
    let html =
        resp.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("html"));
    let body = read_capped(resp, 64 * 1024, TOKEN_TIMEOUT, None).await?;
    let parsed: Option<TokenBody> = if html { None } else { serde_json::from_slice(&body).ok() };
    match parsed {
        Some(TokenBody { access_token: Some(t), .. }) if status.is_success() && !t.trim().is_empty() => {
            Ok(Secret::new(t.trim()))
        }
        Some(TokenBody { error: Some(e), .. }) => Err(map_oauth_error(&e)),
        // The https gate (OAuth2Controller.php:295-297) also fires over https when a TLS proxy in front
        // of the server is not trusted: then the fix is the administrator's (docs/real-servers.md,
        // "Sign-in").
        Some(TokenBody { msg: Some(m), .. }) if m.contains("https") => {
            Err(if url.scheme() == "https" { Error::HttpsNotSeen } else { Error::HttpsRequired })
        }
        _ if status.is_server_error() => {
            Err(Error::Server { status: status.as_u16(), detail: "the token endpoint failed".into() })
        }
        _ if status == reqwest::StatusCode::NOT_FOUND => {
            Err(Error::NotPhraseanet("no OAuth token endpoint at /api/oauthv2/token (HTTP 404)".into()))
        }
        _ if status.is_client_error() => Err(Error::OAuthPage(status.as_u16())),
        _ => Err(Error::NotPhraseanet(format!("unexpected token answer (HTTP {})", status.as_u16()))),
    }
}
