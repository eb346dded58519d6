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
    let Ok(collected) = body.collect().await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let bytes = collected.to_bytes();
    let full_len = bytes.len();
    let sent = if truncate { &bytes[..full_len / 2] } else { &bytes[..] };
    let chunk = (full_len / 32).max(1024);
    let pieces: Vec<Bytes> = sent.chunks(chunk).map(|c| bytes.slice_ref(c)).collect();
    let pause = faults.slow_body.unwrap_or(Duration::ZERO);
    let stream = futures_util::stream::iter(pieces.into_iter().enumerate())
        .then(move |(i, piece)| async move {
            if i > 0 && !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
            Ok::<_, std::io::Error>(piece)
        })
        .chain(futures_util::stream::once(async move {
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
