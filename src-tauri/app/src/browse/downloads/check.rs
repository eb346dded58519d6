//! Compares a finished original with the record's sha256 (the note "differs from the uploaded
//! original") after the file is published, on one thread at idle priority. Hashed while the bytes
//! arrived, it cost about 0.4 s of CPU for a 600 MB basket (SHA-NI), which on two cores slowed the
//! transfers themselves (docs/bench.md, "What a basket download's time is made of"). The file is the
//! person's as soon as it is whole; the note follows as a `Checked` event.

use std::path::PathBuf;
use std::sync::{mpsc, Mutex};

use phraseanet_client::media::download::sha256_of_file;
use phraseanet_client::DownloadNote;

struct Check {
    path: PathBuf,
    expected: String,
    done: Box<dyn FnOnce(Option<DownloadNote>) + Send>,
}

/// The checks waiting, and the thread that runs them in turn (started at the first one; it ends when
/// this is dropped).
#[derive(Default)]
pub(super) struct Checks {
    tx: Mutex<Option<mpsc::Sender<Check>>>,
}

impl Checks {
    /// Hashes `path` and calls `done` with the note it deserves against `expected` (none when the
    /// file is gone meanwhile: moved or deleted, there is nothing to say about it).
    pub fn queue(
        &self,
        path: PathBuf,
        expected: String,
        done: impl FnOnce(Option<DownloadNote>) + Send + 'static,
    ) {
        let check = Check { path, expected, done: Box::new(done) };
        let mut tx = self.tx.lock().expect("checks lock");
        let check = match tx.as_ref() {
            Some(t) => match t.send(check) {
                Ok(()) => return,
                // The thread ended (it cannot, short of a panic in a callback): a new one takes over.
                Err(mpsc::SendError(check)) => check,
            },
            None => check,
        };
        let (sender, rx) = mpsc::channel();
        let _ = sender.send(check);
        match std::thread::Builder::new().name("download-check".into()).spawn(move || run(rx)) {
            Ok(_) => *tx = Some(sender),
            Err(e) => tracing::warn!("no thread to compare downloads with their originals: {e}"),
        }
    }
}

fn run(rx: mpsc::Receiver<Check>) {
    idle_priority();
    for check in rx {
        let note = match sha256_of_file(&check.path) {
            Ok(actual) => DownloadNote::comparing(Some(&check.expected), &actual),
            Err(e) => {
                tracing::debug!("a finished download was not compared with its original: {}", e.kind());
                None
            }
        };
        (check.done)(note);
    }
}

/// `SCHED_IDLE`: the thread runs when nothing else wants the CPU (the transfers, the window, the
/// person's other programs), so a check never delays them.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn idle_priority() {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: changes the calling thread's own policy (pid 0); `param` outlives the call.
    if unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) } != 0 {
        tracing::debug!("the download check runs at normal priority: {}", std::io::Error::last_os_error());
    }
}

/// Elsewhere the thread keeps the normal priority: it is one thread, a basket's files in turn.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn idle_priority() {}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn checked(checks: &Checks, path: PathBuf, expected: &str) -> Option<DownloadNote> {
        let (tx, rx) = mpsc::channel();
        checks.queue(path, expected.into(), move |note| tx.send(note).unwrap());
        rx.recv_timeout(std::time::Duration::from_secs(10)).expect("the check ends")
    }

    #[test]
    fn a_file_is_noted_only_when_its_bytes_are_not_the_originals() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jpg");
        std::fs::write(&path, b"the bytes as uploaded").unwrap();
        let same = format!("{:x}", Sha256::digest(b"the bytes as uploaded"));
        let checks = Checks::default();
        assert_eq!(checked(&checks, path.clone(), &same), None);
        assert_eq!(checked(&checks, path.clone(), &same.to_uppercase()), None, "hex in either case");
        assert_eq!(checked(&checks, path.clone(), &"0".repeat(64)), Some(DownloadNote::DiffersFromOriginal));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(checked(&checks, path, &"0".repeat(64)), None, "a file gone meanwhile: nothing to say");
    }
}
