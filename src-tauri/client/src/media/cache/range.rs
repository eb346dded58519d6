//! Byte ranges of cached files for HTTP `Range` answers (audio/video seeking).

use std::fs;
use std::io::{Read, Seek, SeekFrom};

use super::CachedMedia;
use crate::error::{Error, Result};

/// A byte range of a cached file, for HTTP `Range` answers (audio/video seeking).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeData {
    pub start: u64,
    /// Inclusive.
    pub end: u64,
    pub total: u64,
    pub bytes: Vec<u8>,
}

impl RangeData {
    /// The `Content-Range` header value.
    pub fn content_range(&self) -> String {
        format!("bytes {}-{}/{}", self.start, self.end, self.total)
    }
}

/// Parses a `Range: bytes=…` header against a size: `bytes=a-b`, `bytes=a-`, `bytes=-n`. Multi-ranges
/// use the first range. `None` when unsatisfiable or malformed (answer 416, or the whole file).
pub fn parse_range(header: &str, total: u64) -> Option<(u64, u64)> {
    let spec = header.trim().strip_prefix("bytes=")?.split(',').next()?.trim();
    let (a, b) = spec.split_once('-')?;
    if total == 0 {
        return None;
    }
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            if n == 0 {
                return None;
            }
            (total.saturating_sub(n), total - 1)
        }
        (s, "") => (s.parse().ok()?, total - 1),
        (s, e) => (s.parse().ok()?, e.parse::<u64>().ok()?.min(total - 1)),
    };
    (start <= end && start < total).then_some((start, end))
}

/// Reads `start..=end` of a cached file, capped at `max_len` bytes (players ask for open ranges).
pub fn read_range(media: &CachedMedia, start: u64, end: u64, max_len: u64) -> Result<RangeData> {
    let mut f = fs::File::open(&media.path)?;
    let total = f.metadata()?.len();
    if start >= total {
        return Err(Error::BadRequest(format!("range starts past the end ({total} bytes)")));
    }
    let end = end.min(total - 1).min(start + max_len.max(1) - 1);
    f.seek(SeekFrom::Start(start))?;
    let mut bytes = vec![0u8; (end - start + 1) as usize];
    f.read_exact(&mut bytes)?;
    Ok(RangeData { start, end, total, bytes })
}
