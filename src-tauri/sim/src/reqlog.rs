//! The request log that tests read ([`crate::Sim::requests`]): one entry per request, written by the
//! outermost middleware with what the *client* sent (before `Behind::ApacheFpm` strips anything).

use std::collections::VecDeque;
use std::sync::Mutex;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;

use std::sync::Arc;

/// How a request carried an access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSeen {
    None,
    /// `Authorization` (any scheme but Basic), as sent by the client.
    Header,
    /// `oauth_token` in the query string.
    Query,
    /// `oauth_token` in a form body.
    Form,
}

/// One request as the client sent it, and the status it got.
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    pub method: String,
    /// Without the query string.
    pub path: String,
    /// Query parameter names only.
    pub query_keys: Vec<String>,
    /// Every transport the request carried a token by; empty = none.
    pub transport: Vec<TokenSeen>,
    /// The token value presented (any transport), for leak tests.
    pub token: Option<String>,
    /// A `client_secret` sent to `/api/oauthv2/token` (form body or Basic password).
    pub client_secret: Option<String>,
    pub user_agent: Option<String>,
    /// The `Range` header as sent (media transfers that start past byte 0, resumes).
    pub range: Option<String>,
    /// 0 when no answer was sent (a dropped connection).
    pub status: u16,
}

/// Bounded: the oldest entries go first.
const MAX_ENTRIES: usize = 100_000;

#[derive(Default)]
pub struct RequestLog(Mutex<VecDeque<LoggedRequest>>);

impl RequestLog {
    pub fn push(&self, entry: LoggedRequest) {
        let mut log = self.0.lock().unwrap();
        if log.len() >= MAX_ENTRIES {
            log.pop_front();
        }
        log.push_back(entry);
    }

    pub fn all(&self) -> Vec<LoggedRequest> {
        self.0.lock().unwrap().iter().cloned().collect()
    }

    pub fn clear(&self) {
        self.0.lock().unwrap().clear();
    }
}

fn pairs(raw: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(raw).into_owned().collect()
}

fn find<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Logs the request even when the answer never leaves (the guard writes status 0 on drop).
struct Guard<'a> {
    log: &'a RequestLog,
    entry: Option<LoggedRequest>,
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        if let Some(entry) = self.entry.take() {
            self.log.push(entry);
        }
    }
}

pub async fn layer(State(log): State<Arc<RequestLog>>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    // Form bodies are read to see `oauth_token`/`client_secret`, then handed on unchanged.
    let (body, form) = if is_form {
        match axum::body::to_bytes(body, 16 << 20).await {
            Ok(bytes) => {
                let form = pairs(&bytes);
                (Body::from(bytes), form)
            }
            Err(_) => (Body::empty(), Vec::new()),
        }
    } else {
        (body, Vec::new())
    };
    let query = pairs(parts.uri.query().unwrap_or("").as_bytes());
    let path = parts.uri.path().to_string();
    let mut transport = Vec::new();
    let mut token = None;
    let mut client_secret = None;
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let value = String::from_utf8_lossy(value.as_bytes()).trim().to_string();
        let (scheme, rest) = value.split_once(' ').unwrap_or((&value, ""));
        if scheme.eq_ignore_ascii_case("basic") {
            let decoded = base64::engine::general_purpose::STANDARD.decode(rest.trim()).unwrap_or_default();
            let text = String::from_utf8_lossy(&decoded).to_string();
            client_secret = text.split_once(':').map(|(_, s)| s.to_string());
        } else {
            transport.push(TokenSeen::Header);
            token = Some(rest.trim().to_string());
        }
    }
    if let Some(t) = find(&query, "oauth_token") {
        transport.push(TokenSeen::Query);
        token.get_or_insert_with(|| t.to_string());
    }
    if let Some(t) = find(&form, "oauth_token") {
        transport.push(TokenSeen::Form);
        token.get_or_insert_with(|| t.to_string());
    }
    if path == "/api/oauthv2/token" {
        if let Some(s) = find(&form, "client_secret") {
            client_secret = Some(s.to_string());
        }
    } else {
        client_secret = None;
    }
    let entry = LoggedRequest {
        method: parts.method.to_string(),
        path,
        query_keys: query.into_iter().map(|(k, _)| k).collect(),
        transport,
        token,
        client_secret,
        user_agent: parts
            .headers
            .get(header::USER_AGENT)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into()),
        range: parts.headers.get(header::RANGE).map(|v| String::from_utf8_lossy(v.as_bytes()).into()),
        status: 0,
    };
    let mut guard = Guard { log: &log, entry: Some(entry) };
    let res = next.run(Request::from_parts(parts, body)).await;
    if let Some(e) = guard.entry.as_mut() {
        e.status = res.status().as_u16();
    }
    drop(guard);
    res
}
