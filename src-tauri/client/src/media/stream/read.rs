//! A read of a partial media: answered from the bytes present, waiting for those a transfer is landing
//! (see `MediaStream::read` for what it answers).

use std::sync::Arc;
use std::time::Instant;

use super::partial::{Inner, Partial, Phase};
use super::{past_end, read_cached, COALESCE, LOW_WATER, MIN_ANSWER, READ_AHEAD};
use crate::error::{Error, Result};
use crate::media::{CachedMedia, RangeData};

/// What a read does next.
enum Step {
    Serve { to: u64, total: u64 },
    Cached(CachedMedia),
    Wait(Option<Instant>),
}

/// Counts a read in progress (an idle partial has none) and marks when it ended.
struct Waiting<'a>(&'a Partial);

impl<'a> Waiting<'a> {
    fn new(p: &'a Partial) -> Waiting<'a> {
        p.lock().waiting += 1;
        Waiting(p)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut inner = self.0.lock();
        inner.waiting -= 1;
        inner.last_read = Instant::now();
    }
}

impl Partial {
    pub(super) async fn read(
        self: &Arc<Self>,
        start: u64,
        end: Option<u64>,
        max_len: u64,
    ) -> Result<RangeData> {
        let mut rx = self.changed.subscribe();
        let _waiting = Waiting::new(self);
        let began = Instant::now();
        let mut relied = None;
        let mut lost = 0;
        loop {
            rx.borrow_and_update();
            let step = self.step(&mut self.lock(), start, end, max_len, began, &mut relied, &mut lost)?;
            match step {
                Step::Serve { to, total } => match self.file.read_at(start, (to - start) as usize).await {
                    Ok(bytes) => return Ok(RangeData { start, end: to - 1, total, bytes }),
                    // Committed meanwhile (the file moved into the cache): read it there.
                    Err(_) if !matches!(self.lock().phase, Phase::Filling) => continue,
                    Err(e) => return Err(e),
                },
                Step::Cached(m) => return read_cached(m, start, end, max_len).await,
                Step::Wait(Some(at)) => drop(tokio::time::timeout_at(at.into(), rx.changed()).await),
                Step::Wait(None) => {
                    rx.changed().await.map_err(|_| Error::Cancelled)?;
                }
            }
        }
    }

    /// Decides a read's next step under the lock, starting or extending the transfer it needs.
    #[allow(clippy::too_many_arguments)]
    fn step(
        self: &Arc<Self>,
        inner: &mut Inner,
        start: u64,
        end: Option<u64>,
        max_len: u64,
        began: Instant,
        relied: &mut Option<u64>,
        lost: &mut u32,
    ) -> Result<Step> {
        inner.last_read = Instant::now();
        match &inner.phase {
            Phase::Failed(e) => return Err(e.clone()),
            Phase::Committed(m) => return Ok(Step::Cached(m.clone())),
            Phase::Committing => return Ok(Step::Wait(None)),
            Phase::Filling => {}
        }
        if let Some(total) = inner.total.filter(|&t| start >= t) {
            return Err(past_end(total));
        }
        let mut to = start.saturating_add(max_len.max(1));
        to = to.min(end.map_or(u64::MAX, |e| e.saturating_add(1))).min(inner.total.unwrap_or(u64::MAX));
        if to <= start {
            return Err(Error::BadRequest("an empty byte range".into()));
        }
        let run = inner.have.run_end(start);
        let there = run.map_or(start, |r| r.min(to));
        // Bytes present imply a known size.
        let total = inner.total.unwrap_or(u64::MAX);
        if there == to {
            let run = run.unwrap_or(to);
            if run < total {
                // Read-ahead: extend a running transfer, or start one when little is left ahead.
                self.ensure(inner, run, start + READ_AHEAD, run < start + LOW_WATER);
            }
            inner.answered_to = Some(to);
            return Ok(Step::Serve { to, total });
        }
        let serve = Step::Serve { to: there, total };
        if let Some(id) = *relied {
            if !inner.cursors.iter().any(|c| c.id == id) {
                // The transfer this read waited for stopped: answer what came, or why it stopped.
                if let Some((_, e)) = inner.failures.iter().find(|(i, _)| *i == id) {
                    return if there > start { Ok(serve) } else { Err(e.clone()) };
                }
                *lost += 1;
                if *lost > 8 {
                    return if there > start { Ok(serve) } else { Err(Error::Cancelled) };
                }
            }
        }
        // A player's first read (or a seek) gets its first bytes at once: it has nothing to show yet. Reads
        // that continue a playback gather bytes for up to COALESCE, so the answers stay a few a second, and
        // so do reads of a media that ends within them (it may then come whole in one answer).
        let at_once = inner.answered_to != Some(start) && to < total;
        let enough = there - start >= MIN_ANSWER;
        if enough && (at_once || began.elapsed() >= COALESCE) {
            inner.answered_to = Some(there);
            return Ok(serve);
        }
        *relied = self.ensure(inner, there, start + READ_AHEAD, true);
        Ok(Step::Wait(enough.then_some(began + COALESCE)))
    }
}
