//! What the UI starts: downloads of a record, a selection or a basket into the chosen folder, and
//! cancel, retry and the list.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use phraseanet_client::media::sanitize_file_name;
use phraseanet_client::models::Record;
use phraseanet_client::{CancellationToken, Error, RecordRef, Result};

use super::{
    archive, keep_pending, settle_archive, update, DownloadEvent, DownloadEventKind, DownloadId,
    DownloadItem, DownloadJob, DownloadKind, DownloadState, Job, OnEvent,
};
use crate::{settings, Desktop};

/// The OS Downloads folder, else the home folder.
fn default_download_folder() -> Result<PathBuf> {
    let dirs = directories::UserDirs::new()
        .ok_or_else(|| Error::DownloadFolder("there is no home folder to default to".into()))?;
    Ok(dirs.download_dir().map(Path::to_path_buf).unwrap_or_else(|| dirs.home_dir().to_path_buf()))
}

impl Desktop {
    /// The folder downloads go to: the one chosen last, else the OS Downloads folder (else home).
    pub fn download_folder(&self) -> Result<PathBuf> {
        match settings::download_folder(self.profiles.dir()) {
            Some(f) => Ok(f),
            None => default_download_folder(),
        }
    }

    /// Remembers the download folder (absolute; created if missing).
    pub fn set_download_folder(&self, folder: PathBuf) -> Result<PathBuf> {
        if !folder.is_absolute() {
            return Err(Error::DownloadFolder("it must be an absolute path".into()));
        }
        std::fs::create_dir_all(&folder)?;
        settings::set_download_folder(self.profiles.dir(), Some(&folder))?;
        Ok(folder)
    }

    fn target_folder(&self, folder: Option<PathBuf>) -> Result<PathBuf> {
        let folder = match folder {
            Some(f) => f,
            None => self.download_folder()?,
        };
        if !folder.is_absolute() {
            return Err(Error::DownloadFolder("it must be an absolute path".into()));
        }
        std::fs::create_dir_all(&folder)?;
        Ok(folder)
    }

    #[allow(clippy::too_many_arguments)]
    fn queue(
        &self,
        profile: &str,
        r: RecordRef,
        subdef: &str,
        title: &str,
        folder: &Path,
        on_event: &OnEvent,
        job: Option<DownloadJob>,
        record: Option<Arc<Record>>,
        kind: DownloadKind,
    ) -> DownloadId {
        let d = &self.downloads;
        let id = d.next.fetch_add(1, Ordering::Relaxed);
        let item = DownloadItem {
            id,
            kind,
            profile: profile.to_string(),
            record: r,
            subdef: subdef.to_string(),
            file_name: title.to_string(),
            folder: folder.to_string_lossy().into_owned(),
            path: None,
            received: 0,
            total: None,
            state: DownloadState::Queued,
            error: None,
            note: None,
            bytes_per_sec: None,
            seconds_left: None,
            job,
        };
        let job = Job { item, record, cancel: CancellationToken::new(), on_event: on_event.clone() };
        d.jobs.lock().expect("downloads lock").insert(id, job);
        update(&d.jobs, id, DownloadEventKind::Queued, |_| {});
        keep_pending(&d.jobs, &d.pending);
        id
    }

    /// Downloads one record's original (`subdef` None) or subdef in the background (must be called
    /// inside a tokio runtime). `folder` None = the remembered folder.
    pub async fn download_record(
        &self,
        profile: &str,
        r: RecordRef,
        subdef: Option<String>,
        folder: Option<PathBuf>,
        on_event: impl Fn(DownloadEvent) + Send + Sync + 'static,
    ) -> Result<DownloadId> {
        let state = self.browse_state(profile)?;
        let folder = self.target_folder(folder)?;
        let subdef = subdef.unwrap_or_else(|| "document".into());
        let on_event: OnEvent = Arc::new(on_event);
        let title = format!("{}_{}", r.databox_id, r.record_id);
        let id = self.queue(profile, r, &subdef, &title, &folder, &on_event, None, None, DownloadKind::File);
        self.downloads.spawn(id, state.clone());
        Ok(id)
    }

    /// Downloads the originals of several records (a selection), each as its own download; duplicates once.
    pub async fn download_records(
        &self,
        profile: &str,
        records: &[RecordRef],
        folder: Option<PathBuf>,
        on_event: impl Fn(DownloadEvent) + Send + Sync + 'static,
    ) -> Result<Vec<DownloadId>> {
        let state = self.browse_state(profile)?;
        let folder = self.target_folder(folder)?;
        let on_event: OnEvent = Arc::new(on_event);
        let mut seen = std::collections::HashSet::new();
        let mut ids = Vec::new();
        for r in records.iter().filter(|r| seen.insert(**r)) {
            let title = format!("{}_{}", r.databox_id, r.record_id);
            let id = self.queue(
                profile,
                *r,
                "document",
                &title,
                &folder,
                &on_event,
                None,
                None,
                DownloadKind::File,
            );
            self.downloads.spawn(id, state.clone());
            ids.push(id);
        }
        Ok(ids)
    }

    /// "Download all": the originals of a basket's records (the preview where the user may not have the
    /// original) as one job, into a folder named after the basket; a story's records go into a folder of
    /// the story's name inside it. `as_zip`: the same tree packed into `<basket>.zip` instead, by one more
    /// item of the job once the files are in (`archive.rs`).
    pub async fn download_basket(
        &self,
        profile: &str,
        basket_id: i64,
        folder: Option<PathBuf>,
        as_zip: bool,
        on_event: impl Fn(DownloadEvent) + Send + Sync + 'static,
    ) -> Result<Vec<DownloadId>> {
        let state = self.browse_state(profile)?;
        let root = self.target_folder(folder)?;
        let content = state.api.basket(basket_id).await?;
        let name = folder_name(&content.basket.name, &format!("basket {basket_id}"));
        let zip_name = as_zip.then(|| archive::free_zip_name(&root, &name));
        let folder = match &zip_name {
            Some(zip) => archive::staging(&root, zip),
            None => root.join(&name),
        };
        // Every file, stories opened (one request each), before the first is queued: the job's count.
        let mut files: Vec<(PathBuf, Record)> = Vec::new();
        for e in &content.basket_elements {
            if !e.record.looks_like_story() {
                files.push((folder.clone(), e.record.clone()));
                continue;
            }
            let story = state.api.story(RecordRef::from(&e.record)).await?;
            let name = story.title().map(str::to_string).unwrap_or_else(|| e.record.title.clone());
            let inside = folder.join(folder_name(&name, &format!("story {}", story.story_id)));
            files.extend(
                story.records.into_iter().filter(|r| !r.looks_like_story()).map(|r| (inside.clone(), r)),
            );
        }
        let mut seen = std::collections::HashSet::new();
        files.retain(|(_, r)| seen.insert(RecordRef::from(r)));
        for dir in files.iter().map(|(d, _)| d).collect::<std::collections::BTreeSet<_>>() {
            std::fs::create_dir_all(dir)?;
        }
        let job = DownloadJob {
            id: self.downloads.next.fetch_add(1, Ordering::Relaxed),
            name: content.basket.name.clone(),
            count: files.len().try_into().unwrap_or(u32::MAX),
        };
        let on_event: OnEvent = Arc::new(on_event);
        let mut ids = Vec::new();
        for (dir, record) in files {
            let r = RecordRef::from(&record);
            // The name the file will have, from the start (the title when the server gives none).
            let shown =
                record.original_name.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or(&record.title);
            let shown = sanitize_file_name(shown);
            let record = Some(Arc::new(record));
            let kind = DownloadKind::File;
            let id =
                self.queue(profile, r, "document", &shown, &dir, &on_event, Some(job.clone()), record, kind);
            self.downloads.spawn(id, state.clone());
            ids.push(id);
        }
        if let Some(zip) = zip_name {
            let (r, kind) = (RecordRef::new(0, 0), DownloadKind::Archive);
            let id = self.queue(profile, r, "zip", &zip, &root, &on_event, Some(job), None, kind);
            self.downloads.spawn(id, state);
            ids.push(id);
        }
        Ok(ids)
    }

    /// Cancels a queued or running download (its `.part` is removed). Unknown or finished ids: no-op.
    /// Cancelling a zip cancels its job's files too (the staging folder goes once none runs).
    pub fn cancel_download(&self, id: DownloadId) {
        let d = &self.downloads;
        let (queued, job, files) = {
            let all = d.jobs.lock().expect("downloads lock");
            let Some(job) = all.get(&id) else { return };
            if !matches!(job.item.state, DownloadState::Queued | DownloadState::Running) {
                return;
            }
            job.cancel.cancel();
            let job_id = job.item.job.as_ref().map(|j| j.id);
            let files: Vec<DownloadId> = match (job.item.kind, job_id) {
                (DownloadKind::Archive, Some(job_id)) => all
                    .values()
                    .filter(|j| {
                        j.item.kind == DownloadKind::File
                            && j.item.job.as_ref().is_some_and(|x| x.id == job_id)
                    })
                    .map(|j| j.item.id)
                    .collect(),
                _ => Vec::new(),
            };
            (job.item.state == DownloadState::Queued, job_id, files)
        };
        // A running one reports `cancelled` when the transfer stops.
        if queued {
            update(&d.jobs, id, DownloadEventKind::Cancelled, |i| i.state = DownloadState::Cancelled);
            keep_pending(&d.jobs, &d.pending);
        }
        for file in files {
            self.cancel_download(file);
        }
        // The rest of a job may be in: its zip can pack (or, cancelled, clean up).
        if let Some(job) = job {
            settle_archive(&d.jobs, &d.pending, job);
        }
    }

    /// Starts again the profile's downloads that were unfinished when the app last stopped (each
    /// resumes its `.part`), telling `on_event` about them. Once per profile and run: later calls
    /// find nothing left.
    pub async fn resume_downloads(
        &self,
        profile: &str,
        on_event: impl Fn(DownloadEvent) + Send + Sync + 'static,
    ) -> Result<Vec<DownloadId>> {
        let state = self.browse_state(profile)?;
        let on_event: OnEvent = Arc::new(on_event);
        let mut ids = Vec::new();
        // Job ids are per run: a resumed job gets a fresh one, so it never merges with a new job's row.
        let mut fresh = std::collections::HashMap::new();
        for p in self.downloads.pending.take(profile) {
            let job = p.job.clone().map(|mut j| {
                j.id =
                    *fresh.entry(j.id).or_insert_with(|| self.downloads.next.fetch_add(1, Ordering::Relaxed));
                j
            });
            let folder = Path::new(&p.folder);
            let id = self.queue(profile, p.record, &p.subdef, &p.title, folder, &on_event, job, None, p.kind);
            self.downloads.spawn(id, state.clone());
            ids.push(id);
        }
        Ok(ids)
    }

    /// Starts a failed or cancelled download again (same id, same listener).
    pub async fn retry_download(&self, id: DownloadId) -> Result<DownloadItem> {
        let d = &self.downloads;
        let profile = {
            let all = d.jobs.lock().expect("downloads lock");
            let job = all.get(&id).ok_or_else(|| Error::NotFound(format!("download {id}")))?;
            // A cancelled zip was given up with its files: nothing is left to pack.
            let given_up =
                job.item.kind == DownloadKind::Archive && job.item.state == DownloadState::Cancelled;
            if given_up || !matches!(job.item.state, DownloadState::Failed | DownloadState::Cancelled) {
                return Ok(job.item.clone());
            }
            job.item.profile.clone()
        };
        // A fresh pipeline: the session may have changed since (signed in again).
        let state = self.browse_state(&profile)?;
        if let Some(job) = d.jobs.lock().expect("downloads lock").get_mut(&id) {
            job.cancel = CancellationToken::new();
        }
        update(&d.jobs, id, DownloadEventKind::Queued, |i| {
            i.state = DownloadState::Queued;
            i.error = None;
            i.note = None;
            i.received = 0;
            i.total = None;
            i.path = None;
        });
        d.spawn(id, state.clone());
        let all = d.jobs.lock().expect("downloads lock");
        Ok(all.get(&id).map(|j| j.item.clone()).expect("the job exists"))
    }

    /// Every download of this run, oldest first.
    pub fn downloads(&self) -> Vec<DownloadItem> {
        self.downloads.jobs.lock().expect("downloads lock").values().map(|j| j.item.clone()).collect()
    }

    /// Drops finished (done, failed, cancelled) downloads from the list. A zip waiting for failed files
    /// that are cleared packs what arrived.
    pub fn clear_finished_downloads(&self) -> Vec<DownloadItem> {
        let d = &self.downloads;
        let waiting: Vec<u64> = {
            let mut all = d.jobs.lock().expect("downloads lock");
            all.retain(|_, j| matches!(j.item.state, DownloadState::Queued | DownloadState::Running));
            all.values()
                .filter(|j| j.item.kind == DownloadKind::Archive)
                .filter_map(|j| j.item.job.as_ref().map(|x| x.id))
                .collect()
        };
        for job in waiting {
            settle_archive(&d.jobs, &d.pending, job);
        }
        d.jobs.lock().expect("downloads lock").values().map(|j| j.item.clone()).collect()
    }
}

/// A folder name from server text (a basket's or story's name): sanitized like a file name, else
/// `fallback`.
fn folder_name(name: &str, fallback: &str) -> String {
    let clean = sanitize_file_name(name.trim());
    if clean.trim_matches(['.', '_', ' ']).is_empty() {
        sanitize_file_name(fallback)
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::folder_name;

    #[test]
    fn folders_are_named_safely() {
        assert_eq!(folder_name("Festival selects", "basket 1"), "Festival selects");
        for hostile in ["../../etc", "a/b", "..", "   ", "CON"] {
            let name = folder_name(hostile, "basket 1");
            assert!(!name.contains('/') && name != ".." && !name.trim().is_empty(), "{hostile:?} → {name:?}");
        }
    }
}
