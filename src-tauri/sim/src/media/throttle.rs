//! `SimOptions::media_bandwidth`: media bodies leave at most that many bytes per second, each response on
//! its own (a slow link to the server, or a web server's per-connection rate limit).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use futures_util::StreamExt;

use crate::state::Shared;

/// Bytes per slice: small enough that the pace is smooth (about 100 slices a second).
fn slice_len(rate: u64) -> usize {
    (rate / 100).clamp(1024, 64 * 1024) as usize
}

pub async fn layer(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let Some(rate) = state.config.media_bandwidth.filter(|r| *r > 0) else { return res };
    let (parts, body) = res.into_parts();
    let slice = slice_len(rate);
    let start = Instant::now();
    // (inner stream, bytes pulled but not sent yet, bytes sent)
    let paced = futures_util::stream::unfold(
        (body.into_data_stream(), Bytes::new(), 0u64),
        move |(mut inner, mut pending, sent)| async move {
            while pending.is_empty() {
                match inner.next().await? {
                    Ok(b) => pending = b,
                    Err(e) => return Some((Err(e), (inner, Bytes::new(), sent))),
                }
            }
            let piece = pending.split_to(slice.min(pending.len()));
            // Each slice leaves when the link has carried the ones before it.
            let due = start + Duration::from_secs_f64(sent as f64 / rate as f64);
            tokio::time::sleep_until(due.into()).await;
            let sent = sent + piece.len() as u64;
            Some((Ok(piece), (inner, pending, sent)))
        },
    );
    Response::from_parts(parts, Body::from_stream(paced))
}
