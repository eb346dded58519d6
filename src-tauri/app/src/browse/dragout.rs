//! Drag out: the records dragged from the grid to the file manager are fetched first, into a private
//! folder the caller owns, and their paths handed to the OS drag (the shell). Each file is what
//! "Download all" gives: the original where the user may have it, else the preview; names are the
//! downloads' sanitized names, also made safe inside a `file://` URI (the GTK drag writes paths into
//! URIs unescaped, so `%`, `#` and `?` would point elsewhere or nowhere).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Mutex;

use futures_util::StreamExt;
use phraseanet_client::models::Record;
use phraseanet_client::{CancellationToken, DownloadProgress, Error, RecordRef, Result};
use serde::Serialize;
use ts_rs::TS;

use crate::Desktop;

/// Files fetched at once for one drag (each also holds one of the session's media slots).
const AT_ONCE: usize = 2;
/// Records one drag carries: a drag of more is refused (it would be a download, not a drag).
pub const DRAG_MAX: usize = 200;

/// How the files of a drag are coming (sent when a file starts, as bytes arrive, and when it is done).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DragProgress {
    /// Files ready.
    pub done: u32,
    /// Files the drag will carry (stories carry none).
    pub total: u32,
    /// Bytes received so far, all files together.
    #[ts(type = "number")]
    pub received: u64,
}

/// A name that stays the same file inside an unescaped `file://` URI; never empty.
pub fn uri_safe_name(name: &str) -> String {
    let safe: String = name.chars().map(|c| if matches!(c, '%' | '#' | '?') { '_' } else { c }).collect();
    if safe.trim_matches(['.', '_', ' ']).is_empty() {
        "file".into()
    } else {
        safe
    }
}

impl Desktop {
    /// Fetches the files of `records` (stories skipped) into `dir` (created; the caller makes it
    /// private and removes it) and answers their absolute paths, in the order of `records`. A record
    /// whose original and preview both fail fails the drag: half a drop would surprise.
    pub async fn prepare_drag(
        &self,
        profile: &str,
        records: &[RecordRef],
        dir: &Path,
        progress: impl Fn(DragProgress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<Vec<PathBuf>> {
        if records.len() > DRAG_MAX {
            return Err(Error::InvalidInput(format!("a drag carries at most {DRAG_MAX} records")));
        }
        let state = self.browse_state(profile)?;
        std::fs::create_dir_all(dir)?;
        let dir = std::path::absolute(dir)?;
        let mut seen = std::collections::HashSet::new();
        let mut files: Vec<Record> = Vec::new();
        for r in records.iter().filter(|r| seen.insert(**r)) {
            let record = tokio::select! {
                r = state.api.record(*r) => r?,
                _ = cancel.cancelled() => return Err(Error::Cancelled),
            };
            if !record.looks_like_story() {
                files.push(record);
            }
        }
        let total = u32::try_from(files.len()).unwrap_or(u32::MAX);
        let done = AtomicU32::new(0);
        let received = AtomicU64::new(0);
        let report = || {
            progress(DragProgress {
                done: done.load(Ordering::Relaxed),
                total,
                received: received.load(Ordering::Relaxed),
            })
        };
        report();
        // Bytes of each file so far (a retried URL starts its file again).
        let sizes: Mutex<Vec<u64>> = Mutex::new(vec![0; files.len()]);
        // Owned items: a stream of borrowed ones makes the future not `Send` for every lifetime.
        let results = futures_util::stream::iter(files.into_iter().enumerate())
            .map(|(i, record)| {
                let (state, dir, sizes, received, done, report) =
                    (&state, &dir, &sizes, &received, &done, &report);
                async move {
                    let on_bytes = move |p: DownloadProgress| {
                        let mut all = sizes.lock().expect("drag sizes");
                        all[i] = p.received;
                        received.store(all.iter().sum(), Ordering::Relaxed);
                        drop(all);
                        report();
                    };
                    let _slot = tokio::select! {
                        s = state.media.slot() => s?,
                        _ = cancel.cancelled() => return Err(Error::Cancelled),
                    };
                    let mut file =
                        state.media.download_one(&record, "document", dir, &on_bytes, cancel).await;
                    if matches!(file, Err(Error::NoSuchSubdef(_))) {
                        file = state.media.download_one(&record, "preview", dir, &on_bytes, cancel).await;
                    }
                    let path = settle(dir, PathBuf::from(file?.path))?;
                    done.fetch_add(1, Ordering::Relaxed);
                    report();
                    Ok(path)
                }
            })
            .buffered(AT_ONCE)
            .collect::<Vec<Result<PathBuf>>>()
            .await;
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        results.into_iter().collect()
    }
}

/// The fetched file, checked to be directly in `dir` and renamed to a URI-safe name (no clobber).
fn settle(dir: &Path, path: PathBuf) -> Result<PathBuf> {
    if path.parent() != Some(dir) {
        let _ = std::fs::remove_file(&path);
        return Err(Error::DownloadFolder("a file name pointed outside it".into()));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let safe = uri_safe_name(&name);
    if safe == name {
        return Ok(path);
    }
    let (stem, ext) = match safe.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (safe.clone(), String::new()),
    };
    for n in 1..1000 {
        let candidate = if n == 1 { dir.join(&safe) } else { dir.join(format!("{stem} ({n}){ext}")) };
        // Hard link then unlink: never replaces a file that appeared meanwhile.
        if std::fs::hard_link(&path, &candidate).is_ok() {
            std::fs::remove_file(&path)?;
            return Ok(candidate);
        }
    }
    Err(Error::DownloadFolder("no free name for a dragged file".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_the_same_file_inside_a_file_uri() {
        assert_eq!(uri_safe_name("Festival selects.jpg"), "Festival selects.jpg");
        assert_eq!(uri_safe_name("%2e%2e%2fetc%2fpasswd"), "_2e_2e_2fetc_2fpasswd");
        assert_eq!(uri_safe_name("a#b?.jpg"), "a_b_.jpg");
        assert_eq!(uri_safe_name("%%"), "file");
    }

    #[test]
    fn a_renamed_file_never_replaces_another() {
        let dir = tempfile::tempdir().unwrap();
        let taken = dir.path().join("a_1.jpg");
        std::fs::write(&taken, b"first").unwrap();
        let hostile = dir.path().join("a%1.jpg");
        std::fs::write(&hostile, b"second").unwrap();
        let settled = settle(dir.path(), hostile.clone()).unwrap();
        assert_eq!(settled, dir.path().join("a_1 (2).jpg"));
        assert_eq!(std::fs::read(&taken).unwrap(), b"first");
        assert_eq!(std::fs::read(&settled).unwrap(), b"second");
        assert!(!hostile.exists());
        assert!(settle(dir.path(), PathBuf::from("/etc/passwd")).is_err());
    }
}
