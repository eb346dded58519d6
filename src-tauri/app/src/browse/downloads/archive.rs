//! "Download all" as a zip, the user's choice: the basket's files download as usual into a hidden
//! staging folder beside the zip-to-be (`.<name>.zip.parts`, same disk, story folders inside), and once
//! the last of them is in, one more item of the job — the archive — packs them into `<name>.zip`.
//! Media files are compressed already, so entries are stored, not deflated: packing costs one copy.
//! The zip is written to `<name>.zip.part` and renamed when whole; the staging folder goes only then,
//! so a failure or a crash loses nothing (the archive's Retry packs again; a restart resumes the job).
//!
//! The archive item waits (queued) while a file of its job runs, waits or failed: retrying the failed
//! files packs once they are in; clearing them from the list packs what arrived. Cancelling the archive
//! cancels the job and removes the staging folder once nothing of it runs.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use phraseanet_client::{CancellationToken, Error, Result};

use super::{fail, update, DownloadEvent, DownloadEventKind, DownloadId, DownloadKind, DownloadState, Job};

/// The staging folder of the zip `zip_name` in `root`.
pub(super) fn staging(root: &Path, zip_name: &str) -> PathBuf {
    root.join(format!(".{zip_name}.parts"))
}

/// `<base>.zip` in `root`, or `<base> (2).zip`…: a name whose zip and staging folder are both free.
pub(super) fn free_zip_name(root: &Path, base: &str) -> String {
    (1..)
        .map(|n| if n == 1 { format!("{base}.zip") } else { format!("{base} ({n}).zip") })
        .find(|name| {
            !root.join(name).exists()
                && !staging(root, name).exists()
                && !root.join(format!("{name}.part")).exists()
        })
        .expect("some name is free")
}

/// Looks at a job's archive after one of its items changed: packs when its files are in, cleans up
/// after a cancel. `on_packed` runs when the archive item ends (the caller keeps the pending list).
pub(super) fn settle(
    jobs: &Arc<Mutex<BTreeMap<DownloadId, Job>>>,
    job_id: u64,
    on_packed: impl FnOnce() + Send + 'static,
) {
    let (id, root, name, cancel, told) = {
        let mut all = jobs.lock().expect("downloads lock");
        let mine = || all.values().filter(|j| j.item.job.as_ref().is_some_and(|job| job.id == job_id));
        let Some(archive) = mine().find(|j| j.item.kind == DownloadKind::Archive) else { return };
        let files: Vec<_> =
            mine().filter(|j| j.item.kind == DownloadKind::File).map(|j| j.item.state).collect();
        let moving = |s: &DownloadState| matches!(s, DownloadState::Queued | DownloadState::Running);
        let (root, name) = (PathBuf::from(&archive.item.folder), archive.item.file_name.clone());
        match archive.item.state {
            DownloadState::Cancelled if !files.iter().any(moving) => {
                let _ = std::fs::remove_dir_all(staging(&root, &name));
                return;
            }
            DownloadState::Queued if !files.iter().any(moving) && !files.contains(&DownloadState::Failed) => {
            }
            _ => return,
        }
        // Marked running under the same lock that saw it queued: two files ending at once pack once.
        let id = archive.item.id;
        let archive = all.get_mut(&id).expect("the archive is listed");
        archive.item.state = DownloadState::Running;
        archive.item.received = 0;
        archive.item.total = None;
        let told = (
            archive.on_event.clone(),
            DownloadEvent { kind: DownloadEventKind::Progress, item: archive.item.clone() },
        );
        (id, root, name, archive.cancel.clone(), told)
    };
    (told.0)(told.1);
    let jobs = jobs.clone();
    tokio::task::spawn_blocking(move || {
        let last = Mutex::new(Instant::now());
        let progress = |done: u64, total: u64| {
            let mut at = last.lock().expect("progress lock");
            if at.elapsed() >= Duration::from_millis(100) {
                *at = Instant::now();
                update(&jobs, id, DownloadEventKind::Progress, |i| {
                    i.received = done;
                    i.total = Some(total);
                });
            }
        };
        let result = pack(&staging(&root, &name), &root.join(&name), progress, &cancel);
        match result {
            Ok(size) => {
                let _ = std::fs::remove_dir_all(staging(&root, &name));
                update(&jobs, id, DownloadEventKind::Done, |i| {
                    i.state = DownloadState::Done;
                    i.path = Some(root.join(&name).to_string_lossy().into_owned());
                    i.received = size;
                    i.total = Some(size);
                })
            }
            Err(Error::Cancelled) => {
                update(&jobs, id, DownloadEventKind::Cancelled, |i| i.state = DownloadState::Cancelled)
            }
            Err(e) => update(&jobs, id, DownloadEventKind::Failed, |i| fail(i, &e)),
        }
        on_packed();
    });
}

/// Every file under `dir`, as (path inside the zip with `/`, path on disk), sorted.
fn files_in(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut todo = vec![(String::new(), dir.to_path_buf())];
    while let Some((prefix, d)) = todo.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let kind = entry.file_type()?;
            // A `.part` is a transfer that never ended: not a file of the basket.
            if kind.is_dir() {
                todo.push((format!("{prefix}{name}/"), entry.path()));
            } else if kind.is_file() && !name.ends_with(".part") {
                out.push((format!("{prefix}{name}"), entry.path()));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Packs the files under `dir` into the zip `to` (stored entries, zip64 where a file needs it),
/// through `<to>.part`. Returns the zip's size.
pub(super) fn pack(
    dir: &Path,
    to: &Path,
    mut progress: impl FnMut(u64, u64),
    cancel: &CancellationToken,
) -> Result<u64> {
    let files = files_in(dir)?;
    let sizes: Vec<u64> =
        files.iter().map(|(_, p)| std::fs::metadata(p).map(|m| m.len())).collect::<std::io::Result<_>>()?;
    let total = sizes.iter().sum();
    let part = PathBuf::from(format!("{}.part", to.display()));
    let zip_error = |e: zip::result::ZipError| Error::Io(format!("the zip could not be written: {e}"));
    let written = (|| {
        let mut zip = zip::ZipWriter::new(BufWriter::with_capacity(1 << 20, File::create(&part)?));
        let mut done = 0u64;
        let mut buf = vec![0u8; 1 << 20];
        for ((name, path), size) in files.iter().zip(&sizes) {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
                .large_file(*size >= u64::from(u32::MAX));
            zip.start_file(name.as_str(), options).map_err(zip_error)?;
            let mut file = File::open(path)?;
            loop {
                if cancel.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                let n = file.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                zip.write_all(&buf[..n])?;
                done += n as u64;
                progress(done, total);
            }
        }
        let mut out = zip.finish().map_err(zip_error)?;
        out.flush()?;
        out.into_inner().map_err(|e| Error::Io(e.to_string()))?.sync_all()?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    std::fs::rename(&part, to)?;
    Ok(std::fs::metadata(to)?.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browse::downloads::testing::job_item;

    #[tokio::test]
    async fn the_zip_waits_while_a_file_failed_and_packs_once_it_is_in() {
        let root = tempfile::tempdir().unwrap();
        let parts = staging(root.path(), "Selects.zip");
        std::fs::create_dir_all(&parts).unwrap();
        std::fs::write(parts.join("one.jpg"), b"first").unwrap();
        let jobs = Arc::new(Mutex::new(BTreeMap::from([
            job_item(1, DownloadKind::File, DownloadState::Done, &parts, "one.jpg"),
            job_item(2, DownloadKind::File, DownloadState::Failed, &parts, "two.jpg"),
            job_item(3, DownloadKind::Archive, DownloadState::Queued, root.path(), "Selects.zip"),
        ])));
        let state = |id| jobs.lock().unwrap()[&id].item.state;
        settle(&jobs, 9, || {});
        assert_eq!(state(3), DownloadState::Queued, "a failed file holds the zip back");

        // Retried and in: the zip packs both, the staging folder goes.
        std::fs::write(parts.join("two.jpg"), b"second").unwrap();
        jobs.lock().unwrap().get_mut(&2).unwrap().item.state = DownloadState::Done;
        let (tx, rx) = tokio::sync::oneshot::channel();
        settle(&jobs, 9, move || {
            let _ = tx.send(());
        });
        rx.await.unwrap();
        assert_eq!(state(3), DownloadState::Done, "{:?}", jobs.lock().unwrap()[&3].item.error);
        let zip = zip::ZipArchive::new(File::open(root.path().join("Selects.zip")).unwrap()).unwrap();
        assert_eq!(zip.len(), 2);
        assert!(!parts.exists(), "the staging folder is gone");
    }

    #[test]
    fn packs_every_file_with_its_folder_and_leaves_nothing_half_written() {
        let dir = tempfile::tempdir().unwrap();
        let parts = dir.path().join("parts");
        std::fs::create_dir_all(parts.join("A story")).unwrap();
        std::fs::write(parts.join("one.jpg"), b"first").unwrap();
        std::fs::write(parts.join("A story/two.mp4"), vec![7u8; 3 << 20]).unwrap();
        std::fs::write(parts.join("left.jpg.part"), b"unfinished").unwrap();
        let to = dir.path().join("Basket.zip");
        let mut last = (0, 0);
        let size = pack(&parts, &to, |d, t| last = (d, t), &CancellationToken::new()).unwrap();
        assert_eq!(size, std::fs::metadata(&to).unwrap().len());
        assert_eq!(last, (5 + (3 << 20), 5 + (3 << 20)));
        let mut zip = zip::ZipArchive::new(File::open(&to).unwrap()).unwrap();
        let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
        names.sort();
        assert_eq!(names, ["A story/two.mp4", "one.jpg"]);
        let mut body = Vec::new();
        zip.by_name("A story/two.mp4").unwrap().read_to_end(&mut body).unwrap();
        assert_eq!(body, vec![7u8; 3 << 20]);
        assert!(!dir.path().join("Basket.zip.part").exists());
    }

    #[test]
    fn a_cancelled_pack_removes_its_part_and_keeps_the_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("one.jpg"), b"first").unwrap();
        let cancel = CancellationToken::new();
        cancel.cancel();
        let to = dir.path().join("out/Basket.zip");
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        assert!(matches!(pack(dir.path(), &to, |_, _| {}, &cancel), Err(Error::Cancelled)));
        assert!(!to.exists() && !PathBuf::from(format!("{}.part", to.display())).exists());
        assert!(dir.path().join("one.jpg").exists(), "the downloaded file stays");
    }

    #[test]
    fn zip_names_skip_what_exists() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(free_zip_name(dir.path(), "Selects"), "Selects.zip");
        std::fs::write(dir.path().join("Selects.zip"), b"").unwrap();
        std::fs::create_dir(staging(dir.path(), "Selects (2).zip")).unwrap();
        assert_eq!(free_zip_name(dir.path(), "Selects"), "Selects (3).zip");
    }
}
