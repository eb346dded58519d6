//! One transfer of a partial media: windows of at most [`WINDOW`] bytes asked with `Range: bytes=a-b`
//! from the first missing byte, landed in the file as they arrive, until the read-ahead target, the end
//! of the media or [`IDLE`]. The request policy is `Media::fetch`'s (`media_get`: token only to the API
//! origin, same-host redirects, 429/503 waits; identity encoding; the pool; the deadline extended by
//! `min_rate`; retries of network errors, cuts and 5xx, one refresh of a refused signed URL). A window
//! cut short keeps the bytes that came (they are the genuine start of the range) and asks again from
//! there; a server that answers 200 is streamed from byte 0 (docs/real-servers.md, "Media").

use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::{CONTENT_ENCODING, CONTENT_RANGE, CONTENT_TYPE, ETAG, LAST_MODIFIED, RANGE};
use reqwest::StatusCode;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::partial::{Partial, Phase};
use super::{IDLE, WINDOW};
use crate::error::{Error, Result};
use crate::http::next_chunk;
use crate::media::download::content_range;
use crate::media::{media_get, refresh_url, status_error, unix_now};

/// Bytes gathered before they are written and handed to readers (or after [`FLUSH_AFTER`]).
const FLUSH_BYTES: usize = 64 * 1024;
const FLUSH_AFTER: Duration = Duration::from_millis(20);

/// What to ask for next.
struct Window {
    from: u64,
    /// Exclusive; None: the whole file (a server without ranges).
    to: Option<u64>,
    cancel: CancellationToken,
}

pub(super) async fn run(p: Arc<Partial>, id: u64) {
    let outcome = drive(&p, id).await;
    if p.is_full() {
        p.commit().await;
    }
    p.ended(id, outcome);
}

async fn drive(p: &Partial, id: u64) -> Result<()> {
    // A signed URL known to be expired is refreshed before the first request.
    if p.source.expires_at.is_some_and(|at| unix_now() >= at) && p.lock().refreshed.is_none() {
        refresh(p).await?;
    }
    let opts = p.api.options().clone();
    let mut failures = 0u32;
    loop {
        let Some(window) = next_window(p, id) else { return Ok(()) };
        let before = p.lock().have.present();
        let result = fetch_window(p, id, &window).await;
        if p.is_full() {
            return Ok(());
        }
        let progressed = p.lock().have.present() > before;
        match result {
            Ok(()) => failures = 0,
            Err(Error::Cancelled) => return Ok(()),
            Err(Error::Forbidden(_) | Error::NotFound(_) | Error::Unauthorized(_)) if may_refresh(p) => {
                refresh(p).await?;
            }
            Err(e @ (Error::Network(_) | Error::CutOff | Error::Server { status: 500..=504, .. })) => {
                // A cut that brought bytes is progress, not a failure: the next window starts after them.
                failures = if progressed { 0 } else { failures + 1 };
                if failures > opts.retries {
                    return Err(e);
                }
                tracing::debug!(failures, "media stream interrupted ({}), asking again", e.code());
                let pause = opts.backoff * 2u32.saturating_pow(failures.saturating_sub(1));
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = window.cancel.cancelled() => return Ok(()),
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// A refused URL is re-read once, and again only after a while: a signed URL expires during a long
/// playback (its `url_ttl`, api §6), a URL refused right after a refresh is really refused.
fn may_refresh(p: &Partial) -> bool {
    p.lock().refreshed.is_none_or(|at| at.elapsed() > Duration::from_secs(60))
}

async fn refresh(p: &Partial) -> Result<()> {
    p.lock().refreshed = Some(std::time::Instant::now());
    match refresh_url(&p.api, p.source.record, p.source.subdef.as_deref()).await? {
        Some(url) => {
            p.lock().url = url;
            Ok(())
        }
        None => Err(Error::NotFound("the media is no longer available".into())),
    }
}

/// Whether transfer `id` should stop: replaced, cancelled, nobody reading, or the media is done.
fn stopped(p: &Partial, id: u64) -> bool {
    let inner = p.lock();
    let idle = inner.waiting == 0 && inner.last_read.elapsed() > IDLE;
    idle || !matches!(inner.phase, Phase::Filling)
        || !inner.cursors.iter().any(|c| c.id == id && !c.cancel.is_cancelled())
}

/// The next window of transfer `id`: from its first missing byte to the next present one (at most
/// [`WINDOW`]), or None when it has nothing left to do.
fn next_window(p: &Partial, id: u64) -> Option<Window> {
    if stopped(p, id) {
        return None;
    }
    let mut guard = p.lock();
    let inner = &mut *guard;
    let c = inner.cursors.iter_mut().find(|c| c.id == id)?;
    if inner.no_ranges {
        c.pos = 0;
        return Some(Window { from: 0, to: None, cancel: c.cancel.clone() });
    }
    let mut pos = c.pos;
    while let Some(end) = inner.have.run_end(pos) {
        pos = end;
    }
    c.pos = pos;
    let total = inner.total.unwrap_or(u64::MAX);
    if pos >= total || pos >= c.want {
        return None;
    }
    let to = (pos + WINDOW).min(inner.have.next_start(pos).unwrap_or(u64::MAX)).min(total);
    Some(Window { from: pos, to: Some(to), cancel: c.cancel.clone() })
}

/// `bytes */<complete>` of a 416.
fn unsatisfied_total(v: &str) -> Option<u64> {
    v.trim().strip_prefix("bytes */")?.trim().parse().ok()
}

fn broken(why: &str) -> Error {
    Error::BrokenAnswer(why.to_string())
}

/// One request: its answer's bytes land in the file as they come.
async fn fetch_window(p: &Partial, id: u64, w: &Window) -> Result<()> {
    let cancel = &w.cancel;
    let _permit = tokio::select! {
        permit = p.pool.acquire() => permit.map_err(|_| Error::Cancelled)?,
        _ = cancel.cancelled() => return Err(Error::Cancelled),
    };
    // The wait for a slot may have outlived the readers.
    if stopped(p, id) {
        return Err(Error::Cancelled);
    }
    let start = Instant::now();
    let rate = p.min_rate.max(1);
    let until = |received: u64| start + p.deadline + Duration::from_secs(received / rate);
    let url = p.lock().url.clone();
    let range = w.to.map(|to| format!("bytes={}-{}", w.from, to - 1));
    // Opaque media gain nothing from content coding, and a coded body's bytes are not the file's.
    let extra = move |r: reqwest::RequestBuilder| {
        let r = r.header(reqwest::header::ACCEPT_ENCODING, "identity");
        match &range {
            Some(v) => r.header(RANGE, v.as_str()),
            None => r,
        }
    };
    let resp = tokio::select! {
        r = tokio::time::timeout_at(until(0), media_get(&p.api, &url, &extra)) => {
            r.map_err(|_| Error::Timeout)??
        }
        _ = cancel.cancelled() => return Err(Error::Cancelled),
    };
    let status = resp.status();
    let headers = resp.headers();
    let text = |name| headers.get(name).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok());
    if status == StatusCode::RANGE_NOT_SATISFIABLE {
        // Asked past the end (the size was not known yet): the answer names the size.
        let total = text(CONTENT_RANGE).and_then(unsatisfied_total).ok_or_else(|| status_error(status))?;
        if w.from < total {
            return Err(broken("the server refused a range inside the media"));
        }
        return p.learn(total, None, None);
    }
    if !status.is_success() {
        return Err(status_error(status));
    }
    if text(CONTENT_ENCODING).is_some_and(|v| !v.trim().eq_ignore_ascii_case("identity")) {
        return Err(broken("the media came compressed, so its byte ranges cannot be placed"));
    }
    let mime = text(CONTENT_TYPE).map(str::to_string);
    let validator = text(ETAG).or_else(|| text(LAST_MODIFIED)).map(str::to_string);
    let length = resp.content_length();
    let (at, len) = match status {
        StatusCode::PARTIAL_CONTENT => {
            let (first, last, complete) = text(CONTENT_RANGE)
                .and_then(content_range)
                .ok_or_else(|| broken("a partial media answer has no valid Content-Range"))?;
            let total = complete
                .or(p.lock().total)
                .ok_or_else(|| broken("a partial media answer does not give the media's size"))?;
            if first > w.from || last >= total || length.is_some_and(|l| l != last - first + 1) {
                return Err(broken("the server sent another part of the media than asked"));
            }
            p.learn(total, mime, validator)?;
            (first, last - first + 1)
        }
        StatusCode::OK => {
            // No ranges here (a proxy, or ranges off): the whole file, from byte 0.
            let total = length.ok_or_else(|| broken("the server sent the media without its length"))?;
            p.learn(total, mime, validator)?;
            p.without_ranges(id);
            (0, total)
        }
        other => return Err(broken(&format!("unexpected HTTP {} for a media", other.as_u16()))),
    };
    let end = at + len;
    let mut pos = at;
    let mut buf = BytesMut::new();
    let mut flushed = Instant::now();
    let mut stream = resp.bytes_stream();
    let silence = p.api.options().read_timeout;
    let outcome = loop {
        let next = tokio::select! {
            n = tokio::time::timeout_at(until(pos - at), next_chunk(&mut stream, silence)) => {
                n.unwrap_or(Err(Error::Timeout))
            }
            _ = cancel.cancelled() => Err(Error::Cancelled),
        };
        let mut chunk = match next {
            Ok(Some(c)) => c,
            Ok(None) if pos + (buf.len() as u64) < end => break Err(Error::CutOff),
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        };
        let room = end - (pos + buf.len() as u64);
        let over = chunk.len() as u64 > room;
        if over {
            chunk.truncate(room as usize);
        }
        buf.extend_from_slice(&chunk);
        if over {
            break Err(broken("the server sent more than it announced"));
        }
        if buf.len() >= FLUSH_BYTES || flushed.elapsed() >= FLUSH_AFTER {
            pos = flush(p, id, pos, &mut buf).await?;
            flushed = Instant::now();
            if stopped(p, id) {
                break Err(Error::Cancelled);
            }
        }
    };
    // What came before a cut is the genuine start of the range: kept.
    flush(p, id, pos, &mut buf).await?;
    outcome
}

/// Writes what was gathered at `at` and hands it to readers; returns the next position.
async fn flush(p: &Partial, id: u64, at: u64, buf: &mut BytesMut) -> Result<u64> {
    if buf.is_empty() {
        return Ok(at);
    }
    let bytes: Bytes = buf.split().freeze();
    let end = at + bytes.len() as u64;
    p.file.write_at(at, bytes).await?;
    p.landed(id, at, end);
    Ok(end)
}
