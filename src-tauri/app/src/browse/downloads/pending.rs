//! Downloads that were queued or running when the app stopped, kept in `downloads.json` beside the
//! profiles so they carry on at the next start (the client resumes each `.part` where it stopped).
//! A profile's are started again when its UI asks (`Desktop::resume_downloads`, after sign-in); until
//! then they stay in the file. No secret here: record ids, subdef names and folders.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use phraseanet_client::profile::write_atomic;
use phraseanet_client::RecordRef;
use serde::{Deserialize, Serialize};

use super::{DownloadItem, DownloadJob, DownloadKind, DownloadState};

const FILE: &str = "downloads.json";
/// Least time between two saves of the list while downloads start and end.
const MIN_GAP: std::time::Duration = std::time::Duration::from_millis(500);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Pending {
    pub profile: String,
    pub record: RecordRef,
    pub subdef: String,
    pub folder: String,
    /// The name shown until the record names the file.
    pub title: String,
    /// The "download all" it belongs to.
    #[serde(default)]
    pub job: Option<DownloadJob>,
    /// A file, or a job's zip (older files: a file).
    #[serde(default)]
    pub kind: DownloadKind,
}

impl Pending {
    pub fn of(i: &DownloadItem) -> Pending {
        Pending {
            profile: i.profile.clone(),
            record: i.record,
            subdef: i.subdef.clone(),
            folder: i.folder.clone(),
            title: i.file_name.clone(),
            job: i.job.clone(),
            kind: i.kind,
        }
    }
}

/// Where the file is, and the entries of profiles not resumed yet in this run.
#[derive(Default)]
pub(super) struct PendingStore {
    dir: Mutex<Option<PathBuf>>,
    waiting: Mutex<Vec<Pending>>,
    /// One save at a time, so the file last written is the state last computed.
    writing: Mutex<()>,
    /// The jobs changed since the last snapshot was taken (`keep`).
    dirty: AtomicBool,
    /// A writer runs (`keep`): the others only say the jobs changed.
    writer: AtomicBool,
}

fn load(dir: &Path) -> Vec<Pending> {
    // A damaged file only loses the unfinished downloads: never block the start.
    std::fs::read(dir.join(FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

impl PendingStore {
    /// Reads what the last run left (once, when the app opens its config folder).
    pub fn open(&self, dir: &Path) {
        *self.waiting.lock().expect("pending lock") = load(dir);
        *self.dir.lock().expect("pending lock") = Some(dir.to_path_buf());
    }

    /// Takes the profile's waiting entries out (they become jobs again).
    pub fn take(&self, profile: &str) -> Vec<Pending> {
        let mut waiting = self.waiting.lock().expect("pending lock");
        let (mine, rest) = waiting.drain(..).partition(|p| p.profile == profile);
        *waiting = rest;
        mine
    }

    /// The unfinished ones of `items`, as kept.
    pub fn entries<'a>(items: impl Iterator<Item = &'a DownloadItem>) -> Vec<Pending> {
        items
            .filter(|i| matches!(i.state, DownloadState::Queued | DownloadState::Running))
            .map(Pending::of)
            .collect()
    }

    /// Keeps the latest state on disk, coalesced: at most one write runs, off the async workers, and
    /// each writes the `snapshot` taken when it starts. Written at every change, a 300-file basket
    /// rewrote the whole list about 1,200 times with an fsync each, which held "download all" to a
    /// fifth of curl's throughput (docs/bench.md, "What a basket download's time is made of").
    pub fn keep(self: &Arc<Self>, snapshot: impl Fn() -> Vec<Pending> + Send + 'static) {
        self.dirty.store(true, Ordering::SeqCst);
        if self.writer.swap(true, Ordering::SeqCst) {
            return; // the running writer sees the change
        }
        let store = self.clone();
        let write = move || loop {
            while store.dirty.swap(false, Ordering::SeqCst) {
                store.save_entries(snapshot());
                // The changes meanwhile wait: each save ends with an fsync, and saves back to back
                // held a basket download to 0.77-0.83x curl's throughput, 0.98-1.05x with this gap
                // (six alternating runs each, docs/bench.md). A crash loses at most this much.
                std::thread::sleep(MIN_GAP);
            }
            store.writer.store(false, Ordering::SeqCst);
            // A change that came between the last look and the release: write it, unless another
            // writer took over.
            if !store.dirty.load(Ordering::SeqCst) || store.writer.swap(true, Ordering::SeqCst) {
                break;
            }
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn_blocking(write)),
            Err(_) => write(),
        }
    }

    /// Writes the unfinished jobs and the entries still waiting (the jobs' writer takes a snapshot
    /// first instead: `save_entries`).
    #[cfg(test)]
    pub fn save<'a>(&self, unfinished: impl Iterator<Item = &'a DownloadItem>) {
        self.save_entries(Self::entries(unfinished));
    }

    /// Writes `unfinished` (the jobs' entries) and the entries still waiting.
    fn save_entries(&self, unfinished: Vec<Pending>) {
        let Some(dir) = self.dir.lock().expect("pending lock").clone() else { return };
        let _one = self.writing.lock().expect("pending write lock");
        let mut all: Vec<Pending> = self.waiting.lock().expect("pending lock").clone();
        all.extend(unfinished);
        let bytes = serde_json::to_vec_pretty(&all).expect("pending downloads serialize");
        if let Err(e) = write_atomic(&dir.join(FILE), &bytes) {
            tracing::warn!("unfinished downloads not kept: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(profile: &str, r: i64) -> Pending {
        Pending {
            profile: profile.into(),
            record: RecordRef::new(1, r),
            subdef: "document".into(),
            folder: "/tmp/x".into(),
            title: format!("1_{r}"),
            job: None,
            kind: DownloadKind::File,
        }
    }

    #[test]
    fn waiting_entries_survive_saves_until_their_profile_takes_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE),
            serde_json::to_vec(&vec![pending("a", 1), pending("b", 2)]).unwrap(),
        )
        .unwrap();
        let store = PendingStore::default();
        store.open(dir.path());
        store.save(std::iter::empty());
        assert_eq!(load(dir.path()).len(), 2, "a save before any resume keeps both");
        assert_eq!(store.take("a"), vec![pending("a", 1)]);
        store.save(std::iter::empty());
        assert_eq!(load(dir.path()), vec![pending("b", 2)]);
    }

    #[test]
    fn a_damaged_file_means_nothing_pending() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), b"[{").unwrap();
        let store = PendingStore::default();
        store.open(dir.path());
        assert!(store.take("a").is_empty());
    }
}
