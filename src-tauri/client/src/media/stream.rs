//! Streaming playback: a video or audio preview is read in ranges while it arrives, instead of after the
//! whole file is in the cache.
//!
//! A media being streamed is a [`Partial`]: a private file in the cache's `tmp/` (0600, counted against
//! the limit like any write in flight, unless the media is over `item_limit`) and the ranges it holds
//! (`sparse`). A read of `a..b` answers from the present bytes, or relies on a *cursor*: a task fetching
//! windows with `Range: bytes=…` from the first missing byte (`fetch`), whose first bytes are answered
//! as they land. Cursors read ahead a bounded amount past the last read and stop once nobody has read
//! for `IDLE`; readers of one media share one partial; bytes present are never fetched again (except
//! from a server that ignores Range, which is streamed from byte 0). Once every byte is there the file
//! is committed to the cache under the media's key, like any fetched media (too large ones go aside in
//! `stream/`, as `DiskCache::commit_blob` decides).

mod fetch;
mod partial;
mod read;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::sparse::SparseFile;
use super::{read_range, CachedMedia, Media, MediaSource, RangeData};
use crate::error::{Error, Result};
use partial::Partial;

/// Bytes fetched past the last read, so playback does not wait for the network.
const READ_AHEAD: u64 = 8 << 20;
/// A new read-ahead transfer starts only when fewer bytes than this are ahead of a read (so refills are
/// a few MB each, not one request per read).
const LOW_WATER: u64 = 4 << 20;
/// Most bytes asked for in one request (a bounded body: a cut costs at most this).
const WINDOW: u64 = 4 << 20;
/// A missing byte this close ahead of a running transfer is waited for rather than asked for again.
const NEAR: u64 = 1 << 20;
/// A read answers with fewer bytes than asked once this many are there: at once for a player's first
/// read or a seek into a media that runs past the read, else after [`COALESCE`] (a read continuing the
/// last answer: a few answers a second; a media ending within the read: it may come whole).
const MIN_ANSWER: u64 = 64 << 10;
const COALESCE: Duration = Duration::from_millis(100);
/// Transfers stop once nobody has read (or waited) for this long: a paused or closed player.
const IDLE: Duration = Duration::from_secs(3);
/// A partial nobody read for this long is dropped (its file too) at the next `Media::stream`.
const LINGER: Duration = Duration::from_secs(600);
/// Partial media kept per session, and transfers per media (two players, a seek).
const MAX_PARTIALS: usize = 4;
const MAX_CURSORS: usize = 3;
/// Largest answer of one read (a buffer in memory).
const MAX_READ: u64 = 16 << 20;

/// How far a streamed media is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamProgress {
    /// Bytes present (all of them once cached).
    pub present: u64,
    /// Known after the server's first answer.
    pub total: Option<u64>,
    /// Transfers running.
    pub transfers: usize,
    /// The whole media is in the cache.
    pub cached: bool,
}

/// A reader of one media, answering byte ranges as they arrive (see the module docs). Cheap to clone;
/// once nobody reads, the transfers stop after a few seconds (`IDLE`).
#[derive(Clone)]
pub struct MediaStream(Reader);

#[derive(Clone)]
enum Reader {
    Cached(CachedMedia),
    Partial(Arc<Partial>),
}

impl std::fmt::Debug for MediaStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MediaStream({:?})", self.progress())
    }
}

fn past_end(total: u64) -> Error {
    Error::BadRequest(format!("range starts past the end ({total} bytes)"))
}

impl MediaStream {
    /// The size, once the server has answered once (always for a cached media).
    pub fn known_total(&self) -> Option<u64> {
        match &self.0 {
            Reader::Cached(m) => Some(m.size),
            Reader::Partial(p) => p.total(),
        }
    }

    /// The size, asking the server for the first bytes when it is not known yet.
    pub async fn total(&self) -> Result<u64> {
        match self.known_total() {
            Some(t) => Ok(t),
            None => self.read(0, Some(0), 1).await.map(|d| d.total),
        }
    }

    /// The server's content type (known once it has answered).
    pub fn mime(&self) -> Option<String> {
        match &self.0 {
            Reader::Cached(m) => m.mime.clone(),
            Reader::Partial(p) => p.mime(),
        }
    }

    pub fn progress(&self) -> StreamProgress {
        match &self.0 {
            Reader::Cached(m) => {
                StreamProgress { present: m.size, total: Some(m.size), transfers: 0, cached: true }
            }
            Reader::Partial(p) => p.progress(),
        }
    }

    /// Bytes from `start` to `end` (inclusive; None: to the end), at most `max_len`, at least one. May
    /// answer fewer than asked: what had arrived once 64 KiB had (at once for a first read or a seek
    /// into a media longer than the read, else once 100 ms passed: `MIN_ANSWER`, `COALESCE`), or what
    /// arrived before the transfer failed.
    /// A `start` past the end is a `bad-request`.
    pub async fn read(&self, start: u64, end: Option<u64>, max_len: u64) -> Result<RangeData> {
        let max_len = max_len.min(MAX_READ);
        match &self.0 {
            Reader::Cached(m) => read_cached(m.clone(), start, end, max_len).await,
            Reader::Partial(p) => p.read(start, end, max_len).await,
        }
    }
}

async fn read_cached(m: CachedMedia, start: u64, end: Option<u64>, max_len: u64) -> Result<RangeData> {
    tokio::task::spawn_blocking(move || read_range(&m, start, end.unwrap_or(u64::MAX), max_len))
        .await
        .map_err(|e| Error::Internal(format!("media read task failed: {e}")))?
}

/// Partial media of one session, by scoped key.
pub(super) type Partials = Arc<Mutex<HashMap<String, Arc<Partial>>>>;

impl Media {
    /// A reader of the media: from the cache when it is there, else streamed from the server as it is
    /// read (see the module docs). Nothing is fetched before the first read.
    pub async fn stream(&self, source: &MediaSource) -> Result<MediaStream> {
        let key = self.scoped(&source.key);
        let mut map = self.partials.lock().expect("partials lock");
        prune(&mut map);
        if let Some(p) = map.get(&key) {
            return Ok(MediaStream(Reader::Partial(p.clone())));
        }
        if let Some(hit) = self.cache.get(&key) {
            return Ok(MediaStream(Reader::Cached(hit)));
        }
        let (path, file) = self.cache.tmp_file()?;
        let p = Arc::new(Partial::new(self, key.clone(), source.clone(), SparseFile::new(path, file)));
        map.insert(key, p.clone());
        Ok(MediaStream(Reader::Partial(p)))
    }
}

/// Drops finished and forgotten partials, and makes room for one more (the least recently read goes).
fn prune(map: &mut HashMap<String, Arc<Partial>>) {
    map.retain(|_, p| p.in_use(LINGER));
    while map.len() >= MAX_PARTIALS {
        let oldest =
            map.iter().filter_map(|(k, p)| Some((p.unread_since()?, k))).min().map(|(_, k)| k.clone());
        let Some(key) = oldest else { break };
        if let Some(p) = map.remove(&key) {
            p.stop();
        }
    }
}
