//! Fault injection: latency, 5xx, dropped connections, truncated and slow bodies. The decisions
//! are drawn from the seeded PRNG of the state; drop and truncation really close the socket.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::BodyExt;
use hyper::body::Body as _;

use crate::http::ConnCtl;
use crate::state::Shared;

pub async fn layer(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let faults = state.faults.read().unwrap().clone();
    if faults.is_off() {
        return next.run(req).await;
    }
    let ctl = req.extensions().get::<ConnCtl>().cloned();
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    if faults.drop_rate > 0.0 && state.roll() < faults.drop_rate {
        if let Some(ctl) = &ctl {
            ctl.kill();
            // The connection task drops this future with the socket.
            std::future::pending::<()>().await;
        }
    }
    if faults.fail_rate > 0.0 && state.roll() < faults.fail_rate {
        return match (state.roll() * 3.0) as u32 {
            0 => crate::http::envelope::error(&method, &path, 500, "Injected failure".into()),
            1 => crate::http::envelope::error(&method, &path, 503, "Injected failure".into()),
            _ => (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
            )
                .into_response(),
        };
    }
    let truncate = faults.truncate_rate > 0.0 && state.roll() < faults.truncate_rate;
    let res = next.run(req).await;
    if !truncate && faults.slow_body.is_none() {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // Media bodies are streamed through (a 500 MB preview is never held); a body of unknown length is
    // read first to learn it.
    let announced = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok());
    let (full_len, inner) = match announced.or(body.size_hint().exact()) {
        Some(n) => (n, StreamExt::boxed(body.into_data_stream())),
        None => match body.collect().await {
            Ok(c) => {
                let bytes = c.to_bytes();
                (bytes.len() as u64, StreamExt::boxed(futures_util::stream::iter([Ok(bytes)])))
            }
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    };
    let limit = if truncate { full_len / 2 } else { full_len };
    let chunk = (full_len / 32).max(1024) as usize;
    let pause = faults.slow_body.unwrap_or(Duration::ZERO);
    // (inner, bytes pulled and not sent, bytes sent)
    let pieces = futures_util::stream::unfold(
        (inner, Bytes::new(), 0u64),
        move |(mut inner, mut pending, sent)| async move {
            if sent >= limit {
                return None;
            }
            while pending.is_empty() {
                match inner.next().await? {
                    Ok(b) => pending = b,
                    Err(e) => return Some((Err(std::io::Error::other(e)), (inner, Bytes::new(), limit))),
                }
            }
            let room = (limit - sent).min(chunk as u64) as usize;
            let piece = pending.split_to(room.min(pending.len()));
            if sent > 0 && !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
            let sent = sent + piece.len() as u64;
            Some((Ok(piece), (inner, pending, sent)))
        },
    );
    let stream = pieces.chain(futures_util::stream::once(async move {
        if truncate {
            // Let the partial bytes leave, then close the socket mid-body.
            tokio::time::sleep(Duration::from_millis(30)).await;
            if let Some(ctl) = ctl {
                ctl.kill();
            }
            std::future::pending::<()>().await;
        }
        Ok(Bytes::new())
    }));
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(full_len));
    Response::from_parts(parts, Body::from_stream(stream))
}

/// The fault layer of `/api/oauthv2/*`: active only with `Faults::on_oauth`.
pub async fn oauth_layer(State(state): State<Shared>, req: Request, next: Next) -> Response {
    if !state.faults.read().unwrap().on_oauth {
        return next.run(req).await;
    }
    layer(State(state), req, next).await
}
