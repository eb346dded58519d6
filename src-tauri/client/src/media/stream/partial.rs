//! The shared state of a media being streamed: the ranges present, the transfers (cursors), the
//! readers waiting, and the commit into the cache once whole.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::{watch, Semaphore};
use tokio_util::sync::CancellationToken;

use super::{fetch, StreamProgress};
use super::{MAX_CURSORS, NEAR};
use crate::api::Api;
use crate::error::{Error, Result};
use crate::media::sparse::{Ranges, SparseFile};
use crate::media::{CachedMedia, DiskCache, Media, MediaSource};

pub(in crate::media) struct Partial {
    /// The scoped cache key it is committed under.
    pub(super) key: String,
    pub(super) source: MediaSource,
    pub(super) api: Api,
    pub(super) cache: Arc<DiskCache>,
    pub(super) pool: Arc<Semaphore>,
    /// The size cap of this subdef (`MediaOptions::max_for`).
    pub(super) max: u64,
    pub(super) deadline: Duration,
    pub(super) min_rate: u64,
    pub(super) file: SparseFile,
    inner: Mutex<Inner>,
    /// Bumped on every change, for readers waiting for bytes.
    pub(super) changed: watch::Sender<u64>,
}

pub(super) struct Inner {
    pub(super) url: String,
    /// When the signed URL was last re-read from the embed (a long playback may outlive a few).
    pub(super) refreshed: Option<Instant>,
    pub(super) total: Option<u64>,
    pub(super) mime: Option<String>,
    /// ETag (else Last-Modified) of the first answer: every later answer must carry the same.
    pub(super) validator: Option<String>,
    pub(super) have: Ranges,
    /// Bytes counted in flight against the cache's limit.
    counted: u64,
    /// The server answered 200 to a Range: one transfer streams it from byte 0.
    pub(super) no_ranges: bool,
    pub(super) cursors: Vec<Cursor>,
    next_id: u64,
    /// Why recent transfers stopped, for the readers relying on them.
    pub(super) failures: VecDeque<(u64, Error)>,
    pub(super) last_read: Instant,
    /// Reads in progress.
    pub(super) waiting: usize,
    /// Where the last answer ended: a read starting there continues a playback (its answer may wait to
    /// gather bytes), any other read starts one or seeks (see `MIN_ANSWER`).
    pub(super) answered_to: Option<u64>,
    pub(super) phase: Phase,
}

pub(super) enum Phase {
    Filling,
    Committing,
    Committed(CachedMedia),
    Failed(Error),
}

/// One transfer: where it is, how far it should go.
pub(super) struct Cursor {
    pub(super) id: u64,
    /// The next byte it will land.
    pub(super) pos: u64,
    /// It stops at this byte (read-ahead target); none for a server without ranges.
    pub(super) want: u64,
    pub(super) cancel: CancellationToken,
    used: Instant,
}

impl std::fmt::Debug for Partial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Partial")
    }
}

impl Partial {
    pub(super) fn new(media: &Media, key: String, source: MediaSource, file: SparseFile) -> Partial {
        Partial {
            key,
            api: media.api.clone(),
            cache: media.cache.clone(),
            pool: media.pool.clone(),
            max: media.opts.max_for(source.subdef.as_deref()),
            deadline: media.opts.deadline,
            min_rate: media.opts.min_rate,
            file,
            changed: watch::channel(0).0,
            inner: Mutex::new(Inner {
                url: source.url.clone(),
                refreshed: None,
                total: None,
                mime: None,
                validator: None,
                have: Ranges::default(),
                counted: 0,
                no_ranges: false,
                cursors: Vec::new(),
                next_id: 0,
                failures: VecDeque::new(),
                last_read: Instant::now(),
                waiting: 0,
                answered_to: None,
                phase: Phase::Filling,
            }),
            source,
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().expect("partial lock")
    }

    pub(super) fn total(&self) -> Option<u64> {
        self.lock().total
    }

    pub(super) fn mime(&self) -> Option<String> {
        self.lock().mime.clone()
    }

    pub(super) fn progress(&self) -> StreamProgress {
        let inner = self.lock();
        StreamProgress {
            present: inner.have.present(),
            total: inner.total,
            transfers: inner.cursors.len(),
            cached: matches!(inner.phase, Phase::Committed(_)),
        }
    }

    /// Still filling, and read (or transferring) within `linger`.
    pub(super) fn in_use(&self, linger: Duration) -> bool {
        let inner = self.lock();
        let forgotten = inner.cursors.is_empty() && inner.waiting == 0 && inner.last_read.elapsed() > linger;
        matches!(inner.phase, Phase::Filling | Phase::Committing) && !forgotten
    }

    /// When it was last read, unless a read is in progress.
    pub(super) fn unread_since(&self) -> Option<Instant> {
        let inner = self.lock();
        (inner.waiting == 0).then_some(inner.last_read)
    }

    /// Cancels every transfer.
    pub(super) fn stop(&self) {
        self.lock().cursors.drain(..).for_each(|c| c.cancel.cancel());
        self.bump();
    }

    pub(super) fn bump(&self) {
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// The transfer that will land byte `at`: a running one close before it (its target raised to
    /// `want`), else a new one when `spawn`. Returns its id.
    pub(super) fn ensure(
        self: &Arc<Self>,
        inner: &mut Inner,
        at: u64,
        want: u64,
        spawn: bool,
    ) -> Option<u64> {
        let want = want.min(inner.total.unwrap_or(u64::MAX));
        let now = Instant::now();
        let no_ranges = inner.no_ranges;
        let near = |c: &Cursor| no_ranges || (c.pos <= at && at < c.pos.saturating_add(NEAR));
        if let Some(i) = inner.cursors.iter().position(near) {
            let c = &mut inner.cursors[i];
            c.want = c.want.max(want);
            c.used = now;
            return Some(c.id);
        }
        if !spawn {
            return None;
        }
        if inner.cursors.len() >= MAX_CURSORS {
            // The least recently needed transfer gives way (its readers look for another).
            if let Some(i) = (0..inner.cursors.len()).min_by_key(|&i| inner.cursors[i].used) {
                inner.cursors.remove(i).cancel.cancel();
            }
        }
        let id = inner.next_id;
        inner.next_id += 1;
        let pos = if inner.no_ranges { 0 } else { at };
        inner.cursors.push(Cursor { id, pos, want, cancel: CancellationToken::new(), used: now });
        tokio::spawn(fetch::run(self.clone(), id));
        Some(id)
    }

    /// The size, type and validator of an answer: the first one sets them, later ones must agree.
    pub(super) fn learn(&self, total: u64, mime: Option<String>, validator: Option<String>) -> Result<()> {
        let mut inner = self.lock();
        match inner.total {
            None if total > self.max => return Err(Error::TooLarge { limit: self.max }),
            None => {
                inner.total = Some(total);
                inner.mime = mime;
                inner.validator = validator;
            }
            Some(t) => {
                let other = matches!((&inner.validator, &validator), (Some(a), Some(b)) if a != b);
                if t != total || other {
                    return Err(Error::BrokenAnswer(
                        "the media changed on the server while it played".into(),
                    ));
                }
                // A 416 names the size only.
                inner.mime = inner.mime.take().or(mime);
                inner.validator = inner.validator.take().or(validator);
            }
        }
        drop(inner);
        self.bump();
        Ok(())
    }

    /// The server ignores Range: only transfer `id` goes on, from byte 0 (others would each restart it).
    pub(super) fn without_ranges(&self, id: u64) {
        let mut inner = self.lock();
        if !inner.no_ranges {
            tracing::debug!("media: the server ignores Range, streaming the whole file");
        }
        inner.no_ranges = true;
        inner.cursors.retain(|c| {
            c.id == id || {
                c.cancel.cancel();
                false
            }
        });
    }

    /// Bytes `start..end` are in the file.
    pub(super) fn landed(&self, id: u64, start: u64, end: u64) {
        let mut inner = self.lock();
        let new = inner.have.insert(start, end);
        if inner.total.is_some_and(|t| t <= self.cache.item_limit()) && new > 0 {
            self.cache.add_inflight(new);
            inner.counted += new;
        }
        if let Some(c) = inner.cursors.iter_mut().find(|c| c.id == id) {
            c.pos = c.pos.max(end);
        }
        drop(inner);
        self.bump();
    }

    pub(super) fn is_full(&self) -> bool {
        let inner = self.lock();
        inner.total.is_some_and(|t| inner.have.is_full(t))
    }

    /// A transfer ended: readers relying on it learn why. A changed or oversized media fails for all.
    pub(super) fn ended(&self, id: u64, outcome: Result<()>) {
        let mut inner = self.lock();
        inner.cursors.retain(|c| c.id != id);
        match outcome {
            Ok(()) | Err(Error::Cancelled) => {}
            Err(e @ (Error::TooLarge { .. } | Error::BrokenAnswer(_))) => {
                tracing::debug!("media stream failed: {}", e.code());
                inner.cursors.drain(..).for_each(|c| c.cancel.cancel());
                inner.phase = Phase::Failed(e);
            }
            Err(e) => {
                tracing::debug!("media transfer failed: {}", e.code());
                if inner.failures.len() >= 16 {
                    inner.failures.pop_front();
                }
                inner.failures.push_back((id, e));
            }
        }
        drop(inner);
        self.bump();
    }

    /// Every byte is there: into the cache under the media's key (once, whoever finishes).
    pub(super) async fn commit(&self) {
        {
            let mut inner = self.lock();
            if !matches!(inner.phase, Phase::Filling) || !inner.total.is_some_and(|t| inner.have.is_full(t)) {
                return;
            }
            inner.phase = Phase::Committing;
            inner.cursors.iter().for_each(|c| c.cancel.cancel());
        }
        self.bump();
        let done = self.commit_file().await;
        if let Err(e) = &done {
            tracing::warn!("a streamed media could not be cached: {}", e.code());
        }
        self.lock().phase = match done {
            Ok(m) => Phase::Committed(m),
            Err(e) => Phase::Failed(e),
        };
        self.bump();
    }

    async fn commit_file(&self) -> Result<CachedMedia> {
        self.file.close().await?;
        let path = self.file.path().to_path_buf();
        let (mime, counted, total) = {
            let mut inner = self.lock();
            (inner.mime.clone(), std::mem::take(&mut inner.counted), inner.total)
        };
        let (cache, key) = (self.cache.clone(), self.key.clone());
        tokio::task::spawn_blocking(move || {
            cache.release_inflight(counted);
            let (blob, size) = crate::media::cache::hash_file(&path)?;
            if Some(size) != total {
                return Err(Error::Io(format!("a streamed media file has {size} bytes, not {total:?}")));
            }
            cache.commit_blob(&key, mime, &path, blob, size)
        })
        .await
        .map_err(|e| Error::Internal(format!("media commit task failed: {e}")))?
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        let inner = self.inner.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.cache.release_inflight(std::mem::take(&mut inner.counted));
        if !matches!(inner.phase, Phase::Committed(_)) {
            self.file.discard();
        }
    }
}
