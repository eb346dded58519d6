//! Single-range `Range: bytes=` support for media routes (206 / 416), over a body made of pieces: real
//! bytes, or filler generated on the fly from its position (a 500 MB preview is never held in memory).

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

/// Part of a body.
#[derive(Debug, Clone)]
pub enum Piece {
    Bytes(Bytes),
    /// `len` bytes of [`filler_at`] from position `from` of the filler.
    Fill {
        from: u64,
        len: u64,
    },
}

impl Piece {
    fn len(&self) -> u64 {
        match self {
            Piece::Bytes(b) => b.len() as u64,
            Piece::Fill { len, .. } => *len,
        }
    }

    /// `start..end` of this piece (piece-relative, end exclusive).
    fn slice(&self, start: u64, end: u64) -> Piece {
        match self {
            Piece::Bytes(b) => Piece::Bytes(b.slice(start as usize..end as usize)),
            Piece::Fill { from, .. } => Piece::Fill { from: from + start, len: end - start },
        }
    }
}

/// Filler bytes `from..from + len`: each aligned 8-byte word is a function of its position, so any
/// range is made on its own, and bytes served at the wrong offset never look right.
pub fn filler_at(from: u64, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 16);
    let mut word = from / 8;
    let skip = (from % 8) as usize;
    while out.len() < len + skip {
        out.extend_from_slice(
            &(word ^ 0x5048_5241_5345_414E).wrapping_mul(0x9E37_79B9_7F4A_7C15).to_le_bytes(),
        );
        word += 1;
    }
    out.drain(..skip);
    out.truncate(len);
    out
}

/// Bytes of filler per generated chunk.
const FILL_CHUNK: u64 = 64 * 1024;

fn slice(pieces: &[Piece], start: u64, end_incl: u64) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut offset = 0u64;
    for p in pieces {
        let (p_start, p_end) = (offset, offset + p.len());
        offset = p_end;
        if p_end <= start || p_start > end_incl {
            continue;
        }
        let from = start.saturating_sub(p_start);
        let to = (end_incl + 1).min(p_end) - p_start;
        out.push(p.slice(from, to));
    }
    out
}

/// The body of `pieces`: real bytes as they are, filler made chunk by chunk as the client reads.
fn body(pieces: Vec<Piece>) -> Body {
    if let [Piece::Bytes(b)] = &pieces[..] {
        return Body::from(b.clone());
    }
    let chunks = pieces.into_iter().flat_map(|p| -> Box<dyn Iterator<Item = Piece> + Send> {
        match p {
            Piece::Bytes(b) => Box::new(std::iter::once(Piece::Bytes(b))),
            Piece::Fill { from, len } => Box::new((0..len.div_ceil(FILL_CHUNK)).map(move |i| {
                let at = i * FILL_CHUNK;
                Piece::Fill { from: from + at, len: FILL_CHUNK.min(len - at) }
            })),
        }
    });
    Body::from_stream(futures_util::stream::iter(chunks.map(|p| {
        Ok::<_, std::io::Error>(match p {
            Piece::Bytes(b) => b,
            Piece::Fill { from, len } => Bytes::from(filler_at(from, len as usize)),
        })
    })))
}

/// Builds the 200/206/416 response for `pieces` (concatenated) with `mime`. `ignore_range`: a server
/// (or a proxy in front of it) that does not do ranges answers 200 with the whole body.
pub fn respond(
    range_header: Option<&str>,
    pieces: Vec<Piece>,
    mime: &str,
    etag: &str,
    ignore_range: bool,
) -> Response {
    let len: u64 = pieces.iter().map(Piece::len).sum();
    let range = if ignore_range { Range::Full } else { parse(range_header, len) };
    let (status, parts, content_range) = match range {
        Range::Full => (StatusCode::OK, pieces, None),
        Range::Part(a, b) => {
            (StatusCode::PARTIAL_CONTENT, slice(&pieces, a, b), Some(format!("bytes {a}-{b}/{len}")))
        }
        Range::Unsatisfiable => {
            let mut res = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_RANGE, HeaderValue::from_str(&format!("bytes */{len}")).unwrap());
            h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            return res;
        }
    };
    let body_len: u64 = parts.iter().map(Piece::len).sum();
    let mut res = (status, body(parts)).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(body_len));
    if !ignore_range {
        h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    }
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
        let chunks =
            vec![Piece::Bytes(Bytes::from_static(b"abc")), Piece::Bytes(Bytes::from_static(b"defg"))];
        let cut = slice(&chunks, 2, 4);
        let bytes: Vec<u8> = cut
            .iter()
            .flat_map(|p| match p {
                Piece::Bytes(b) => b.to_vec(),
                Piece::Fill { .. } => unreachable!(),
            })
            .collect();
        assert_eq!(bytes, b"cde");
    }

    #[test]
    fn filler_is_the_same_whatever_the_cut() {
        let whole = filler_at(0, 1000);
        for (from, len) in [(0, 1000), (3, 17), (8, 8), (13, 987), (999, 1)] {
            assert_eq!(filler_at(from, len), whole[from as usize..from as usize + len], "{from}+{len}");
        }
        let pieces = vec![Piece::Bytes(Bytes::from_static(b"head")), Piece::Fill { from: 0, len: 1 << 20 }];
        let cut = slice(&pieces, 2, 9);
        assert!(matches!(&cut[..], [Piece::Bytes(b), Piece::Fill { from: 0, len: 6 }] if &b[..] == b"ad"));
    }
}
