//! The envelope (api §4) decoded once into a typed answer or a typed error, including the answers that
//! are not envelopes: token errors (api §3), proxy pages, PHP's own error pages.

use reqwest::header::{HeaderMap, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::StatusCode;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;

use crate::error::{Error, Result, TransportFault};
use crate::models::tolerant as t;

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

pub(crate) fn www_auth_error(headers: &HeaderMap) -> Option<String> {
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

pub(crate) fn short(s: &str) -> String {
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
        429 => Error::RateLimited,
        400..=499 => Error::BadRequest(detail),
        _ => Error::Server { status: code.clamp(0, u16::MAX as i64) as u16, detail },
    }
}

fn blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// The token answers of api §3 and docs/real-servers.md ("Token transport"), before any envelope.
fn token_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Option<Error> {
    if let Some(err) = www_auth_error(headers) {
        if status == StatusCode::UNAUTHORIZED || err == "invalid_token" {
            return Some(Error::SignedOut);
        }
        if err == "invalid_request" && blank(body) {
            return Some(Error::TokenTransport(TransportFault::NotSeen));
        }
    }
    // oauth2php 1.0.0 (lib/OAuth2.php:960) answers any Authorization header with this JSON and no
    // WWW-Authenticate; so does every version when the token is given twice.
    let refused = status == StatusCode::BAD_REQUEST
        && serde_json::from_slice::<serde_json::Value>(body)
            .is_ok_and(|v| v.get("error").and_then(|e| e.as_str()) == Some("invalid_request"));
    refused.then_some(Error::TokenTransport(TransportFault::HeaderRefused))
}

/// Turns one HTTP answer of a v1 route into the typed `response`, or the matching error.
pub(crate) fn decode<T: DeserializeOwned + Default>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T> {
    if let Some(e) = token_error(status, headers, body) {
        return Err(e);
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
    let ctype = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    // PHP's fatal error when max_execution_time runs out (120 s on the official images).
    if text.contains("Maximum execution time") {
        return Error::ServerTimeLimit;
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Error::RateLimited;
    }
    if status.is_server_error() {
        return Error::Server { status: status.as_u16(), detail: "the answer is not an API envelope".into() };
    }
    // api §3: only an empty 401 means "token rejected"; a 401 page from a proxy must not sign anyone out.
    if status == StatusCode::UNAUTHORIZED {
        return if blank(body) {
            Error::SignedOut
        } else {
            Error::Unauthorized("the server (or a proxy before it) refused access".into())
        };
    }
    let trimmed = body.trim_ascii_start();
    if ctype.contains("json") || trimmed.starts_with(b"{\"meta\"") {
        // JSON that stops or breaks midway: the server is a Phraseanet, its answer is damaged.
        if let Err(e) = serde_json::from_slice::<IgnoredAny>(body) {
            let why = if e.is_eof() {
                "the JSON stops before its end".to_string()
            } else {
                format!("invalid JSON ({e})")
            };
            return Error::BrokenAnswer(why);
        }
    }
    let what = if ctype.contains("html") || trimmed.starts_with(b"<") {
        "a web page answered instead of the API"
    } else if body.is_empty() {
        "an empty answer"
    } else {
        "the answer is not a Phraseanet API envelope"
    };
    Error::NotPhraseanet(format!("{what} (HTTP {})", status.as_u16()))
}
