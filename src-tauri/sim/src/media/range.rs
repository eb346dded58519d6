//! Single-range `Range: bytes=` support for media routes (206 / 416), over a body made of chunks.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

#[derive(Debug, PartialEq, Eq)]
pub enum Range {
    Full,
    /// Inclusive byte positions.
    Part(u64, u64),
    Unsatisfiable,
}

/// Parses `bytes=a-b`, `bytes=a-`, `bytes=-n`. Anything else (other units, several ranges, bad syntax) is
/// ignored and the whole body is sent, as RFC 9110 allows.
pub fn parse(value: Option<&str>, len: u64) -> Range {
    let Some(spec) = value.and_then(|v| v.trim().strip_prefix("bytes=")) else { return Range::Full };
    if spec.contains(',') {
        return Range::Full;
    }
    let Some((a, b)) = spec.trim().split_once('-') else { return Range::Full };
    let (a, b) = (a.trim(), b.trim());
    match (a.parse::<u64>().ok(), b.parse::<u64>().ok()) {
        (Some(start), end) if a.bytes().all(|c| c.is_ascii_digit()) => {
            if !b.is_empty() && end.is_none() {
                return Range::Full;
            }
            if end.is_some_and(|e| e < start) {
                return Range::Full;
            }
            if start >= len {
                return Range::Unsatisfiable;
            }
            Range::Part(start, end.unwrap_or(len - 1).min(len - 1))
        }
        (None, Some(n)) if a.is_empty() => {
            if n == 0 || len == 0 {
                Range::Unsatisfiable
            } else {
                Range::Part(len.saturating_sub(n), len - 1)
            }
        }
        _ => Range::Full,
    }
}

fn slice(chunks: &[Bytes], start: u64, end_incl: u64) -> Vec<Bytes> {
    let mut out = Vec::new();
    let mut offset = 0u64;
    for c in chunks {
        let (c_start, c_end) = (offset, offset + c.len() as u64);
        offset = c_end;
        if c_end <= start || c_start > end_incl {
            continue;
        }
        let from = start.saturating_sub(c_start) as usize;
        let to = ((end_incl + 1).min(c_end) - c_start) as usize;
        out.push(c.slice(from..to));
    }
    out
}

/// Builds the 200/206/416 response for `chunks` (concatenated) with `mime`.
pub fn respond(range_header: Option<&str>, chunks: Vec<Bytes>, mime: &str, etag: &str) -> Response {
    let len: u64 = chunks.iter().map(|c| c.len() as u64).sum();
    let (status, parts, content_range) = match parse(range_header, len) {
        Range::Full => (StatusCode::OK, chunks, None),
        Range::Part(a, b) => {
            (StatusCode::PARTIAL_CONTENT, slice(&chunks, a, b), Some(format!("bytes {a}-{b}/{len}")))
        }
        Range::Unsatisfiable => {
            let mut res = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_RANGE, HeaderValue::from_str(&format!("bytes */{len}")).unwrap());
            h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            return res;
        }
    };
    let body_len: u64 = parts.iter().map(|c| c.len() as u64).sum();
    let body = if parts.len() == 1 {
        Body::from(parts.into_iter().next().unwrap())
    } else {
        Body::from_stream(futures_util::stream::iter(parts.into_iter().map(Ok::<_, std::io::Error>)))
    };
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(body_len));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    if let Some(cr) = content_range {
        h.insert(header::CONTENT_RANGE, HeaderValue::from_str(&cr).unwrap());
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges() {
        assert_eq!(parse(Some("bytes=0-9"), 100), Range::Part(0, 9));
        assert_eq!(parse(Some("bytes=90-"), 100), Range::Part(90, 99));
        assert_eq!(parse(Some("bytes=-10"), 100), Range::Part(90, 99));
        assert_eq!(parse(Some("bytes=-1000"), 100), Range::Part(0, 99));
        assert_eq!(parse(Some("bytes=50-1000"), 100), Range::Part(50, 99));
        assert_eq!(parse(Some("bytes=100-"), 100), Range::Unsatisfiable);
        assert_eq!(parse(Some("bytes=-0"), 100), Range::Unsatisfiable);
        assert_eq!(parse(Some("bytes=0-1,5-6"), 100), Range::Full);
        assert_eq!(parse(Some("items=0-1"), 100), Range::Full);
        assert_eq!(parse(Some("bytes=9-3"), 100), Range::Full);
        assert_eq!(parse(None, 100), Range::Full);
        let chunks = vec![Bytes::from_static(b"abc"), Bytes::from_static(b"defg")];
        assert_eq!(slice(&chunks, 2, 4).concat(), b"cde");
    }
}
