//! The v1 response envelope (api §4, RES `format()`), JSONP, and the error rows.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{json, Value};

pub const API_VERSION: &str = "2.0.0";

/// `error_type` and `error_message` of api §4's table.
pub fn error_row(code: u16) -> (&'static str, &'static str) {
    match code {
        400 => ("Bad Request", "Parameter is invalid or missing"),
        401 => ("Unauthorized", "The OAuth token was provided but was invalid."),
        403 => ("Forbidden", "Access to the requested resource is forbidden"),
        404 => ("Not Found", "Requested resource is not found"),
        405 => ("Method Not Allowed", "Attempting to use POST with a GET-only endpoint, or vice-versa"),
        406 => ("Unacceptable", "Request content type is not acceptable"),
        422 => ("Unprocessable Entity", "Request content is unprocessable"),
        503 => ("Service Temporarily Unavailable", "Server is offline for maintenance, try again soon."),
        _ => ("Internal Server Error", "Internal Server Error"),
    }
}

/// What an envelope needs to know about its request.
#[derive(Debug, Clone, Default)]
pub struct Head {
    pub method: String,
    pub path: String,
    /// JSONP callback (api §4 Formats), already validated.
    pub callback: Option<String>,
    /// `Accept: application/yaml` or `text/yaml` without `application/json` (api §4 Formats).
    pub yaml: bool,
}

#[derive(Serialize)]
struct Meta<'a> {
    api_version: &'static str,
    request: String,
    response_time: String,
    http_code: u16,
    error_type: Option<&'static str>,
    error_message: Option<&'static str>,
    error_details: Option<&'a str>,
    charset: &'static str,
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    meta: Meta<'a>,
    response: &'a T,
}

/// Builds the envelope response. `error`: (details, add `X-Status-Code`).
pub fn build<T: Serialize>(
    head: &Head,
    status: u16,
    response: &T,
    error: Option<(String, bool)>,
) -> Response {
    let (error_type, error_message) = match &error {
        Some(_) => {
            let (t, m) = error_row(status);
            (Some(t), Some(m))
        }
        None => (None, None),
    };
    let meta = Meta {
        api_version: API_VERSION,
        request: format!("{} {}", head.method, head.path),
        response_time: crate::dates::atom(crate::dates::now()),
        http_code: status,
        error_type,
        error_message,
        error_details: error.as_ref().map(|(d, _)| d.as_str()),
        charset: "UTF-8",
    };
    let envelope = Envelope { meta, response };
    let (http_status, content_type, text) = match &head.callback {
        // api §4/§7.10: JSONP forces 200 except for 500.
        Some(cb) => {
            let text = crate::json::symfony(&envelope);
            (if status == 500 { 500 } else { 200 }, "text/javascript", format!("/**/{cb}({text});"))
        }
        None if head.yaml => {
            let value = serde_json::to_value(&envelope).unwrap_or_default();
            (status, "application/yaml", crate::yaml::dump(value))
        }
        None => (status, "application/json", crate::json::symfony(&envelope)),
    };
    let mut res = (StatusCode::from_u16(http_status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), text)
        .into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert("server-timing", HeaderValue::from_static("total;dur=0.4"));
    if let Some((_, true)) = error {
        h.insert("x-status-code", HeaderValue::from(status));
    }
    res
}

/// A typed payload (large responses: no intermediate `Value` tree).
pub fn ok_typed<T: Serialize>(head: &Head, response: &T) -> Response {
    build(head, 200, response, None)
}

/// api §4: an empty payload is serialized as `{}`.
pub fn ok(head: &Head, response: Value) -> Response {
    let response = match response {
        Value::Null => json!({}),
        Value::Array(a) if a.is_empty() => json!({}),
        v => v,
    };
    build(head, 200, &response, None)
}

/// An error envelope with `X-Status-Code` (exception-mapped errors, api §4).
pub fn fail(head: &Head, status: u16, details: impl Into<String>) -> Response {
    build(head, status, &json!({}), Some((details.into(), true)))
}

/// The permission 401 envelope of `ensure*` checks (api §3): no `X-Status-Code`.
pub fn not_authorized(head: &Head) -> Response {
    build(head, 401, &json!({}), Some(("You are not authorized".into(), false)))
}

/// Error envelope without a parsed request (406 negotiation, 404 fallback).
pub fn error(method: &str, path: &str, status: u16, details: String) -> Response {
    fail(&Head { method: method.into(), path: path.into(), ..Default::default() }, status, details)
}

/// Symfony's JSONP callback check: a dotted JS identifier path, optionally with `[...]` parts.
pub fn valid_callback(cb: &str) -> bool {
    !cb.is_empty()
        && cb.len() <= 256
        && cb.split('.').all(|part| {
            let ident = part.split('[').next().unwrap_or("");
            let mut chars = ident.chars();
            matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_' || c == '$')
                && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
                && part[ident.len()..].chars().all(|c| c.is_alphanumeric() || "[]'\"_$".contains(c))
        })
}
