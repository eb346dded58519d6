//! Background downloads: originals (`document`) or a chosen subdef, one record or a whole basket, into
//! the remembered folder. Each file is one `DownloadItem` with its own cancel and retry; the files of a
//! "download all" share a `DownloadJob` (the UI shows them as one row) and go into a folder named after
//! the basket, each story's records in a folder of the story's name.
//! `start.rs`: what the UI starts (record, selection, basket), cancel, retry and the list.
//!
//! Event flow for one id: `queued` → `progress` (state `running`, first with 0 bytes, then at most every
//! 100 ms) → `done` | `failed` | `cancelled`; `retry` starts again at `queued` with the same id. An
//! original `done` is followed by `checked` once compared with the record's sha256 (`check.rs`): one
//! whose bytes differ is kept, with a note (servers write metadata into documents).
//! The client streams to `<name>.part` and renames when complete, sanitizes `original_name`, and
//! keeps every file directly in its folder.
//! Files with the same name stem in one folder are fetched one after the other, so two of them never
//! share a `.part` file (the second gets " (2)").

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use phraseanet_client::models::Record;
use phraseanet_client::{CancellationToken, DownloadNote, ErrorPayload, RecordRef};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use ts_rs::TS;

mod archive;
mod check;
mod pending;
mod start;
mod transfer;

use transfer::{fail, finish, run};

use super::state::BrowseSession;

/// A download's id (a number in TypeScript).
pub type DownloadId = u64;

/// Files transferred at once, all profiles together. Each also holds one of its session's media slots
/// (`Media::slot`, 6 a server): downloads and the grid's thumbnails together stay within what a PHP pool
/// sustains (docs/real-servers.md, "Media concurrency"), and the grid keeps two slots while a basket
/// downloads.
const CONCURRENCY: usize = 4;

/// The files of one "download all": the UI shows them as one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DownloadJob {
    #[ts(type = "number")]
    pub id: u64,
    /// The basket's name (also its folder's).
    pub name: String,
    /// Files in the job.
    pub count: u32,
}

/// What an item of the list is: a file, or the zip a "download all" as a zip packs its files into
/// (`archive.rs`; its `record` is 0/0, its `folder` the zip's, its `file_name` the zip's name).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum DownloadKind {
    #[default]
    File,
    Archive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum DownloadState {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DownloadItem {
    pub id: DownloadId,
    pub kind: DownloadKind,
    pub profile: String,
    pub record: RecordRef,
    /// `document` for the original.
    pub subdef: String,
    /// A placeholder (the title, or `<databox>_<record>`) until the file name is known, then the file name.
    pub file_name: String,
    pub folder: String,
    /// The final file, once done ("show in folder").
    pub path: Option<String>,
    pub received: u64,
    pub total: Option<u64>,
    pub state: DownloadState,
    /// Why it failed (`state` = failed).
    pub error: Option<ErrorPayload>,
    /// What to know about the finished file (`state` = done).
    pub note: Option<DownloadNote>,
    /// Average speed of this transfer while it runs (bytes a second; null until measurable).
    #[ts(type = "number | null")]
    pub bytes_per_sec: Option<u64>,
    /// Time left at that speed, when the size is known.
    #[ts(type = "number | null")]
    pub seconds_left: Option<u64>,
    /// The "download all" this file belongs to.
    pub job: Option<DownloadJob>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum DownloadEventKind {
    Queued,
    Progress,
    Done,
    Failed,
    Cancelled,
    /// A finished original was compared with the uploaded one: its `note` says whether they differ.
    Checked,
}

/// Sent to the caller's callback (the shell emits it to the webview).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DownloadEvent {
    pub kind: DownloadEventKind,
    pub item: DownloadItem,
}

type OnEvent = Arc<dyn Fn(DownloadEvent) + Send + Sync>;
/// (folder, lowercase name stem) → lock.
type NameLocks = Mutex<HashMap<(PathBuf, String), Arc<tokio::sync::Mutex<()>>>>;

struct Job {
    item: DownloadItem,
    /// The record as the basket listed it: its file needs no `/records/` call.
    record: Option<Arc<Record>>,
    cancel: CancellationToken,
    on_event: OnEvent,
}

pub(crate) struct Downloads {
    next: AtomicU64,
    jobs: Arc<Mutex<BTreeMap<DownloadId, Job>>>,
    pool: Arc<Semaphore>,
    /// (folder, lowercase name stem) → lock: same-name files in a folder run one at a time.
    names: Arc<NameLocks>,
    /// Unfinished downloads kept for the next start.
    pending: Arc<pending::PendingStore>,
    /// Finished originals waiting to be compared with the record's sha256.
    checks: Arc<check::Checks>,
}

impl Default for Downloads {
    fn default() -> Self {
        Downloads {
            next: AtomicU64::new(1),
            jobs: Arc::default(),
            pool: Arc::new(Semaphore::new(CONCURRENCY)),
            names: Arc::default(),
            pending: Arc::default(),
            checks: Arc::default(),
        }
    }
}

/// Keeps the unfinished downloads on disk (when one is queued, starts or ends; not on progress),
/// coalesced by the store (`PendingStore::keep`).
fn keep_pending(jobs: &Arc<Mutex<BTreeMap<DownloadId, Job>>>, pending: &Arc<pending::PendingStore>) {
    let jobs = jobs.clone();
    pending.keep(move || {
        let all = jobs.lock().expect("downloads lock");
        pending::PendingStore::entries(all.values().map(|j| &j.item))
    });
}

/// Packs a job's zip if its files are in (`archive::settle`), keeping the pending list when it ends.
fn settle_archive(
    jobs: &Arc<Mutex<BTreeMap<DownloadId, Job>>>,
    pending: &Arc<pending::PendingStore>,
    job: u64,
) {
    let (done_jobs, done_pending) = (jobs.clone(), pending.clone());
    archive::settle(jobs, job, move || keep_pending(&done_jobs, &done_pending));
    keep_pending(jobs, pending);
}

/// Updates a job and tells its listener (outside the lock).
fn update(
    jobs: &Mutex<BTreeMap<DownloadId, Job>>,
    id: DownloadId,
    kind: DownloadEventKind,
    f: impl FnOnce(&mut DownloadItem),
) {
    let event = {
        let mut all = jobs.lock().expect("downloads lock");
        let Some(job) = all.get_mut(&id) else { return };
        f(&mut job.item);
        (job.on_event.clone(), DownloadEvent { kind, item: job.item.clone() })
    };
    (event.0)(event.1);
}

impl Downloads {
    /// Reads the downloads the last run left unfinished (in the config folder `dir`).
    pub(crate) fn open_pending(&self, dir: &Path) {
        self.pending.open(dir);
    }

    fn spawn(&self, id: DownloadId, state: Arc<BrowseSession>) {
        let (jobs, pool, names) = (self.jobs.clone(), self.pool.clone(), self.names.clone());
        let (pending, checks) = (self.pending.clone(), self.checks.clone());
        let archive = jobs.lock().expect("downloads lock").get(&id).and_then(|j| match j.item.kind {
            DownloadKind::Archive => j.item.job.as_ref().map(|job| job.id),
            DownloadKind::File => None,
        });
        // An archive transfers nothing: it packs when its job's files are in (maybe at once).
        if let Some(job) = archive {
            return settle_archive(&jobs, &pending, job);
        }
        let Some((cancel, item, record)) = jobs
            .lock()
            .expect("downloads lock")
            .get(&id)
            .map(|j| (j.cancel.clone(), j.item.clone(), j.record.clone()))
        else {
            return;
        };
        tokio::spawn(async move {
            let _permit = tokio::select! {
                p = pool.acquire_owned() => match p { Ok(p) => p, Err(_) => return },
                _ = cancel.cancelled() => return, // `cancel` already marked it
            };
            if cancel.is_cancelled() {
                return;
            }
            update(&jobs, id, DownloadEventKind::Progress, |i| i.state = DownloadState::Running);
            keep_pending(&jobs, &pending);
            let folder = PathBuf::from(&item.folder);
            let result = run(&state, &item, record, &folder, &names, &jobs, id, &cancel).await;
            if let Some((path, expected)) = finish(&jobs, id, &folder, result) {
                let checked = jobs.clone();
                checks.queue(path.clone(), expected, move |note| {
                    update(&checked, id, DownloadEventKind::Checked, |i| {
                        // Unless a retry replaced the file meanwhile.
                        if i.path.as_deref() == path.to_str() {
                            i.note = note;
                        }
                    })
                });
            }
            keep_pending(&jobs, &pending);
            if let Some(job) = &item.job {
                settle_archive(&jobs, &pending, job.id);
            }
        });
    }
}

#[cfg(test)]
pub(super) mod testing {
    use super::*;

    /// An item of the job 9 ("Selects", 2 files), in `folder`, as the jobs map holds it.
    pub(in crate::browse::downloads) fn job_item(
        id: u64,
        kind: DownloadKind,
        state: DownloadState,
        folder: &Path,
        name: &str,
    ) -> (u64, Job) {
        let item = DownloadItem {
            id,
            kind,
            profile: "p".into(),
            record: RecordRef::new(1, id as i64),
            subdef: "document".into(),
            file_name: name.into(),
            folder: folder.to_string_lossy().into_owned(),
            path: None,
            received: 0,
            total: None,
            state,
            error: None,
            note: None,
            bytes_per_sec: None,
            seconds_left: None,
            job: Some(DownloadJob { id: 9, name: "Selects".into(), count: 2 }),
        };
        (id, Job { item, record: None, cancel: CancellationToken::new(), on_event: Arc::new(|_| {}) })
    }
}

#[cfg(test)]
mod tests {
    use super::testing::job_item;
    use super::*;

    #[tokio::test]
    async fn many_changes_to_the_pending_list_end_with_its_last_state_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let pending = Arc::new(pending::PendingStore::default());
        pending.open(dir.path());
        let jobs = Arc::new(Mutex::new(BTreeMap::from([job_item(
            1,
            DownloadKind::File,
            DownloadState::Queued,
            dir.path(),
            "one.jpg",
        )])));
        for id in 2..=300 {
            let (id, job) = job_item(id, DownloadKind::File, DownloadState::Queued, dir.path(), "x.jpg");
            jobs.lock().unwrap().insert(id, job);
            keep_pending(&jobs, &pending);
        }
        jobs.lock().unwrap().get_mut(&1).unwrap().item.state = DownloadState::Done;
        keep_pending(&jobs, &pending);
        let read = || -> Vec<serde_json::Value> {
            serde_json::from_slice(&std::fs::read(dir.path().join("downloads.json")).unwrap_or_default())
                .unwrap_or_default()
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while read().len() != 299 {
            assert!(
                std::time::Instant::now() < deadline,
                "the last state was never written: {}",
                read().len()
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(read().iter().all(|p| p["title"] != "one.jpg"), "the done one is not kept");
    }
}
