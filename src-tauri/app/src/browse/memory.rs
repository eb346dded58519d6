//! Memory given back after a big answer (issue #14). A 10,000-element basket is a 17 MB answer decoded
//! into a model, then into the grid's view: once those are dropped, glibc keeps the freed pages in its
//! arenas for reuse, and the process stays that much bigger for the rest of its life. `malloc_trim`
//! hands them back to the system. A few milliseconds on a blocking thread; other allocators (macOS,
//! Windows, musl) return memory their own way, and there it does nothing.

/// Returns the heap's free pages to the system, in the background.
pub(crate) fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn_blocking(|| {
            // SAFETY: malloc_trim only walks glibc's own arenas; it takes their locks like malloc does.
            unsafe { libc::malloc_trim(0) };
        });
    }
}

/// How long the media answers must have stopped before their buffers' pages are given back.
const QUIET_MS: u64 = 2_000;

/// After a run of media answers (a grid scrolled through thousands of thumbnails, each answer a
/// buffer freed on whichever thread served it): gives the pages back once none came for `QUIET_MS`.
pub(crate) fn give_back_when_quiet() {
    static MEDIA: Quiet = Quiet::new();
    let started = *START.get_or_init(std::time::Instant::now);
    let now = move || started.elapsed().as_millis() as u64;
    if !MEDIA.touch(now()) {
        return; // a waiter runs already, and sees this answer
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
    runtime.spawn(async move {
        let mut wait = QUIET_MS;
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
            match MEDIA.due(now()) {
                None => return give_back(),
                Some(left) => wait = left,
            }
        }
    });
}

static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// The time of the last answer, and whether a waiter runs.
struct Quiet {
    last: std::sync::atomic::AtomicU64,
    waiting: std::sync::atomic::AtomicBool,
}

impl Quiet {
    const fn new() -> Quiet {
        Quiet {
            last: std::sync::atomic::AtomicU64::new(0),
            waiting: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// An answer at `now` (ms): true when no waiter runs, so the caller starts one.
    fn touch(&self, now: u64) -> bool {
        use std::sync::atomic::Ordering::SeqCst;
        self.last.store(now, SeqCst);
        !self.waiting.swap(true, SeqCst)
    }

    /// For the waiter at `now`: `None` when it is quiet enough (the waiter ends), else how much longer.
    fn due(&self, now: u64) -> Option<u64> {
        use std::sync::atomic::Ordering::SeqCst;
        let since = now.saturating_sub(self.last.load(SeqCst));
        if since < QUIET_MS {
            return Some(QUIET_MS - since);
        }
        self.waiting.store(false, SeqCst);
        // An answer between the look and the release started no waiter: this one goes on for it.
        if self.last.load(SeqCst) > now.saturating_sub(since) && !self.waiting.swap(true, SeqCst) {
            return Some(QUIET_MS);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_given_back_once_the_answers_stop_for_the_quiet_time() {
        let quiet = Quiet::new();
        assert!(quiet.touch(1_000), "the first answer starts a waiter");
        assert!(!quiet.touch(1_500), "later ones do not");
        assert!(!quiet.touch(2_900));
        // The waiter wakes 2 s after the first answer: the last came 100 ms before, so it waits on.
        assert_eq!(quiet.due(3_000), Some(QUIET_MS - 100));
        assert_eq!(quiet.due(4_900), None, "quiet: given back, the waiter ends");
        assert!(quiet.touch(10_000), "the next run of answers starts a new waiter");
    }
}
