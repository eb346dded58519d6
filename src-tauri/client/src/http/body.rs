//! Reading answers: transport errors mapped to what happened (cannot connect, cut off, stalled), and
//! bodies read with a size cap and a silence watchdog.
//!
//! reqwest's own `read_timeout` also runs while waiting for the response head, which on a real server is
//! the time PHP spends building the whole answer (docs/real-servers.md, "Time budgets"): the first byte of
//! a 10,000-element basket comes after tens of seconds. So the client has no global read timeout; each
//! call waits for the head with its own budget, and once bytes flow `next_chunk` fails after `silence`.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::error::{Error, Result};

/// Maps a transport error; the URL is dropped from the text because it may carry a signed token (or, in
/// parameter mode, the access token).
pub(crate) fn map_reqwest(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        return Error::Timeout;
    }
    let body_broke = e.is_body() || e.is_decode();
    let chain = error_chain(&e.without_url());
    if chain.contains("certificate")
        || chain.contains("tls")
        || chain.contains("TLS")
        || chain.contains("rustls")
    {
        return Error::Tls(chain);
    }
    // A body error means the head arrived: the server answered, then the transfer broke.
    if body_broke {
        return Error::CutOff;
    }
    Error::Network(chain)
}

fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        src = s.source();
    }
    parts.join(": ")
}

/// The next chunk of a body, failing with `stalled` after `silence` without a byte, and with `cut-off`
/// when the connection breaks mid-body.
pub(crate) async fn next_chunk<S>(stream: &mut S, silence: Duration) -> Result<Option<Bytes>>
where
    S: Stream<Item = reqwest::Result<Bytes>> + Unpin,
{
    match tokio::time::timeout(silence, stream.next()).await {
        Err(_) => Err(Error::Stalled),
        Ok(None) => Ok(None),
        Ok(Some(Ok(chunk))) => Ok(Some(chunk)),
        Ok(Some(Err(e))) => Err(match map_reqwest(e) {
            Error::Network(_) => Error::CutOff,
            other => other,
        }),
    }
}

/// Reads a whole body, refusing more than `limit` bytes (before reading when Content-Length says so).
/// `progress` hears the running byte count.
pub(crate) async fn read_capped(
    resp: reqwest::Response,
    limit: u64,
    silence: Duration,
    progress: Option<&(dyn Fn(u64) + Send + Sync)>,
) -> Result<Bytes> {
    let announced = resp.content_length();
    if announced.is_some_and(|len| len > limit) {
        return Err(Error::TooLarge { limit });
    }
    // Memory is reserved for at most 1 MiB up front: a length the server merely announces costs nothing.
    let mut buf = BytesMut::with_capacity(announced.unwrap_or(16 * 1024).min(limit).min(1 << 20) as usize);
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = next_chunk(&mut stream, silence).await? {
        if buf.len() as u64 + chunk.len() as u64 > limit {
            return Err(Error::TooLarge { limit });
        }
        buf.extend_from_slice(&chunk);
        if let Some(p) = progress {
            p(buf.len() as u64);
        }
    }
    if announced.is_some_and(|len| len != buf.len() as u64) {
        return Err(Error::CutOff);
    }
    Ok(buf.freeze())
}

/// `Retry-After` in seconds (the HTTP-date form is rare on 429/503 and falls back to our backoff).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    v.parse::<u64>().ok().map(Duration::from_secs)
}
