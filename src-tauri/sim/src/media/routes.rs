//! The HTTP side of media: `/medias/<jwt>` (checking what `signed_url` signed) and `/permalink/v1/...`
//! (the file, with Range, and a small HTML page), both behind the fault layer, the optional nginx rate
//! limit (`Behind::RateLimit`), the optional bandwidth (`SimOptions::media_bandwidth`) and the
//! permalink's OAuth check of a present token (docs/real-servers.md, "Media").

#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;

use super::{content, ext, has_permalink, label, permalink_token, range, subdefs};
use crate::profile::Behind;
use crate::state::{Shared, State as SimState};

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/medias/{token}", get(medias))
        .route("/permalink/v1/{d}/{r}/{subdef}/", get(permalink_page))
        .route("/permalink/v1/{d}/{r}/{subdef}/{file}", get(permalink_file))
        .layer(middleware::from_fn_with_state(state.clone(), crate::faults::layer))
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit))
        .layer(middleware::from_fn_with_state(state.clone(), super::throttle::layer))
        .with_state(state)
}

/// nginx `limit_req` (`limit_req_status 429`) in front of `/medias/` and `/permalink/` (docs/real-servers.md,
/// "Media").
async fn rate_limit(State(state): State<Shared>, req: Request, next: Next) -> Response {
    if state.config.behind != Behind::RateLimit || state.take_rate_token() {
        return next.run(req).await;
    }
    let mut res = (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::CONTENT_TYPE, "text/html")],
        "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    )
        .into_response();
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    res
}

/// The permalink's `OAuthListener(['exit_not_present' => false])` (docs/real-servers.md, "Media"): `/medias/`
/// reaches it through a sub-request that keeps the original headers (`MediaAccessorController.php:66-72`).
fn check_oauth(
    state: &SimState,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Result<(), Response> {
    crate::api::auth::verify_present(state, headers, query.get("oauth_token").map(String::as_str))
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=UTF-8")], text).into_response()
}

async fn serve(state: &Shared, headers: &HeaderMap, d: i64, r: i64, name: &str, download: bool) -> Response {
    let Some(record) = state.data.record(d, r) else { return plain(StatusCode::NOT_FOUND, "Not Found") };
    let Some(info) = subdefs(record).into_iter().find(|s| s.name == name) else {
        return plain(StatusCode::NOT_FOUND, "Not Found");
    };
    let pieces = content(record, &info).await;
    let etag = format!("\"{d}-{r}-{name}-{}\"", info.size);
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let mut res = range::respond(range, pieces, info.mime, &etag, state.config.ignore_range);
    if download {
        let disposition = format!("attachment; filename=\"{}.{}\"", label(record), ext(info.mime));
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    res
}

fn json_of(segment: &str) -> Option<serde_json::Value> {
    B64.decode(segment.trim_end_matches('=')).ok().and_then(|b| serde_json::from_slice(&b).ok())
}

/// `GET /medias/<jwt>`, decoded in firebase/php-jwt v3's order (`MediaAccessorController::decodeToken`,
/// P@4.1.22 `:95-103`, docs/real-servers.md, "Media"): a wrong segment count, a bad signature or an expired
/// `exp` raise `UnexpectedValueException` → 404; an undecodable header or payload (`DomainException`) → 400.
async fn medias(
    State(state): State<Shared>,
    Path(token): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts[..] else { return plain(StatusCode::NOT_FOUND, "Not Found") };
    let (Some(_), Some(payload)) = (json_of(h), json_of(p)) else {
        return plain(StatusCode::BAD_REQUEST, "Bad Request");
    };
    let expected = B64.encode(state.sign(format!("{h}.{p}").as_bytes()));
    if expected != s {
        return plain(StatusCode::NOT_FOUND, "Not Found");
    }
    if payload["exp"].as_i64().is_some_and(|exp| exp < crate::dates::now()) {
        return plain(StatusCode::NOT_FOUND, "Not Found");
    }
    let sdef = &payload["sdef"];
    let (Some(d), Some(r), Some(name)) = (sdef[0].as_i64(), sdef[1].as_i64(), sdef[2].as_str()) else {
        return plain(StatusCode::NOT_FOUND, "Not Found");
    };
    if let Err(res) = check_oauth(&state, &headers, &q) {
        return res;
    }
    serve(&state, &headers, d, r, name, false).await
}

fn check_permalink(
    state: &SimState,
    d: &str,
    r: &str,
    name: &str,
    token: Option<&String>,
) -> Option<(i64, i64)> {
    let (d, r) = (crate::api::parse_id(d)?, crate::api::parse_id(r)?);
    let record = state.data.record(d, r)?;
    let info = subdefs(record).into_iter().find(|s| s.name == name && has_permalink(state, s))?;
    (token.map(String::as_str) == Some(permalink_token(state, record, info.name).as_str())).then_some((d, r))
}

async fn permalink_file(
    State(state): State<Shared>,
    Path((d, r, name, _file)): Path<(String, String, String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    // The listener runs before the controller looks the permalink up.
    if let Err(res) = check_oauth(&state, &headers, &q) {
        return res;
    }
    let Some((d, r)) = check_permalink(&state, &d, &r, &name, q.get("token")) else {
        return plain(StatusCode::NOT_FOUND, "Not Found");
    };
    serve(&state, &headers, d, r, &name, q.get("download").is_some_and(|v| v == "1")).await
}

/// `page_url`: a small HTML page showing the media.
async fn permalink_page(
    State(state): State<Shared>,
    Path((d, r, name)): Path<(String, String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(res) = check_oauth(&state, &headers, &q) {
        return res;
    }
    let Some((d, r)) = check_permalink(&state, &d, &r, &name, q.get("token")) else {
        return plain(StatusCode::NOT_FOUND, "Not Found");
    };
    let record = state.data.record(d, r).expect("checked");
    let info = subdefs(record).into_iter().find(|s| s.name == name).expect("checked");
    let token = q.get("token").cloned().unwrap_or_default();
    let src = format!("{}.{}?token={token}", label(record), ext(info.mime));
    let tag = match info.player {
        "VIDEO_MP4" => format!("<video controls src=\"{src}\"></video>"),
        "AUDIO_MP3" => format!("<audio controls src=\"{src}\"></audio>"),
        _ => format!("<img alt=\"\" src=\"{src}\">"),
    };
    let title = crate::oauth::pages::escape(&record.title);
    Html(format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>{tag}</body></html>"))
        .into_response()
}
