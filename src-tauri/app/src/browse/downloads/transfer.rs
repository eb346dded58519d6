//! One file's transfer: the record that names it, the same-name lock, the media slot, the client's
//! download (the preview instead, for a "download all" where the original is not the person's), and
//! how it ended.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use phraseanet_client::media::sanitize_file_name;
use phraseanet_client::models::Record;
use phraseanet_client::{CancellationToken, DownloadNote, Error, Result};

use super::{update, DownloadEventKind, DownloadId, DownloadItem, DownloadState, Job, NameLocks};
use crate::browse::state::BrowseSession;

fn name_stem(original_name: Option<&str>, title: &str) -> String {
    let name = sanitize_file_name(original_name.filter(|n| !n.trim().is_empty()).unwrap_or(title));
    name.rsplit_once('.').map(|(s, _)| s.to_string()).unwrap_or(name).to_lowercase()
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn run(
    state: &BrowseSession,
    item: &DownloadItem,
    record: Option<Arc<Record>>,
    folder: &Path,
    names: &NameLocks,
    jobs: &Arc<Mutex<BTreeMap<DownloadId, Job>>>,
    id: DownloadId,
    cancel: &CancellationToken,
) -> Result<phraseanet_client::DownloadedFile> {
    // The record names the file: hold that name's lock for the whole transfer.
    let record = match record {
        Some(r) => r,
        None => tokio::select! {
            r = state.api.record(item.record) => Arc::new(r?),
            _ = cancel.cancelled() => return Err(Error::Cancelled),
        },
    };
    let key = (folder.to_path_buf(), name_stem(record.original_name.as_deref(), &record.title));
    let lock = names.lock().expect("names lock").entry(key.clone()).or_default().clone();
    let _same_name = tokio::select! {
        g = lock.lock() => g,
        _ = cancel.cancelled() => return Err(Error::Cancelled),
    };
    let progress_jobs = jobs.clone();
    // Speed over this run only: a resumed `.part`'s first report already counts the earlier bytes.
    let first: Mutex<Option<(std::time::Instant, u64)>> = Mutex::new(None);
    let progress = move |p: phraseanet_client::DownloadProgress| {
        let now = std::time::Instant::now();
        let (t0, b0) = *first.lock().expect("speed lock").get_or_insert((now, p.received));
        let elapsed = now.duration_since(t0).as_secs_f64();
        let speed = (elapsed >= 0.5).then(|| (p.received.saturating_sub(b0) as f64 / elapsed) as u64);
        update(&progress_jobs, id, DownloadEventKind::Progress, |i| {
            i.file_name = p.file_name;
            i.received = p.received;
            i.total = p.total;
            i.bytes_per_sec = speed.filter(|s| *s > 0);
            i.seconds_left = match (i.bytes_per_sec, p.total) {
                (Some(s), Some(t)) => Some(t.saturating_sub(p.received).div_ceil(s)),
                _ => None,
            };
        })
    };
    let _slot = tokio::select! {
        s = state.media.slot() => s?,
        _ = cancel.cancelled() => return Err(Error::Cancelled),
    };
    let mut result = state.media.download_one(&record, &item.subdef, folder, &progress, cancel).await;
    // "Download all" gives what the user may have: the preview where the original is not theirs.
    if item.job.is_some() && item.subdef == "document" && matches!(result, Err(Error::NoSuchSubdef(_))) {
        result =
            state.media.download_one(&record, "preview", folder, &progress, cancel).await.map(|mut f| {
                f.note = Some(DownloadNote::PreviewInstead);
                f
            });
    }
    let mut all = names.lock().expect("names lock");
    if all.get(&key).is_some_and(|l| Arc::strong_count(l) <= 2) {
        all.remove(&key);
    }
    result
}

/// Tells how the download ended; a finished original not hashed yet comes back as (its path, the
/// uploaded original's sha256), to be compared.
pub(super) fn finish(
    jobs: &Mutex<BTreeMap<DownloadId, Job>>,
    id: DownloadId,
    folder: &Path,
    result: Result<phraseanet_client::DownloadedFile>,
) -> Option<(PathBuf, String)> {
    match result {
        Ok(file) => {
            let path = PathBuf::from(&file.path);
            // Defence in depth: the client only writes directly into the folder; refuse anything else.
            if path.parent() != Some(folder) {
                let _ = std::fs::remove_file(&path);
                let e = Error::DownloadFolder("a file name pointed outside it".into());
                update(jobs, id, DownloadEventKind::Failed, |i| fail(i, &e));
                return None;
            }
            let unchecked = file.sha256.is_none().then_some(file.original_sha256).flatten();
            update(jobs, id, DownloadEventKind::Done, |i| {
                i.state = DownloadState::Done;
                i.seconds_left = None;
                i.file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                i.path = Some(file.path);
                i.received = file.size;
                i.total = Some(file.size);
                i.note = file.note;
            });
            unchecked.map(|expected| (path, expected))
        }
        Err(Error::Cancelled) => {
            update(jobs, id, DownloadEventKind::Cancelled, |i| i.state = DownloadState::Cancelled);
            None
        }
        Err(e) => {
            update(jobs, id, DownloadEventKind::Failed, |i| fail(i, &e));
            None
        }
    }
}

pub(super) fn fail(i: &mut DownloadItem, e: &Error) {
    i.state = DownloadState::Failed;
    i.error = Some(e.into());
}
