//! Saving records and baskets into a folder: which subdef, under which safe name unique within the
//! batch, then `download::run` for each file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use futures_util::StreamExt;
use serde::Serialize;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::download::{self, DownloadProgress, DownloadedFile};
use super::filename::download_name;
use super::Media;
use crate::api::RecordRef;
use crate::error::{Error, Result};
use crate::models::Record;

/// One file of a batch download: the file, or why it failed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DownloadOutcome {
    pub record: RecordRef,
    pub file: Option<DownloadedFile>,
    pub error: Option<crate::ErrorPayload>,
}

impl DownloadOutcome {
    pub fn new(record: RecordRef, result: Result<DownloadedFile>) -> DownloadOutcome {
        match result {
            Ok(file) => DownloadOutcome { record, file: Some(file), error: None },
            Err(e) => DownloadOutcome { record, file: None, error: Some((&e).into()) },
        }
    }
}

impl Media {
    /// Downloads one subdef of a record into `dir`; the `document` is checked against the record's sha256.
    pub async fn download_record(
        &self,
        r: RecordRef,
        subdef: &str,
        dir: &Path,
        progress: &(dyn Fn(DownloadProgress) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<DownloadedFile> {
        let record = self.api.record(r).await?;
        let reserved = Mutex::new(HashSet::new());
        self.download_one(&record, subdef, dir, &reserved, progress, cancel).await
    }

    /// Downloads every record of a basket (stories are skipped: they have no file). Each file's result is
    /// returned; one failure does not stop the others, a cancellation does.
    pub async fn download_basket(
        &self,
        basket_id: i64,
        subdef: &str,
        dir: &Path,
        progress: &(dyn Fn(DownloadProgress) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<Vec<DownloadOutcome>> {
        let content = self.api.basket(basket_id).await?;
        let reserved = Mutex::new(HashSet::new());
        let records: Vec<Record> =
            content.basket_elements.into_iter().map(|e| e.record).filter(|r| !r.looks_like_story()).collect();
        let results = futures_util::stream::iter(records.iter())
            .map(|rec| {
                let reserved = &reserved;
                async move {
                    let result = self.download_one(rec, subdef, dir, reserved, progress, cancel).await;
                    DownloadOutcome::new(RecordRef::from(rec), result)
                }
            })
            .buffered(self.opts.download_concurrency.max(1))
            .collect::<Vec<_>>()
            .await;
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        Ok(results)
    }

    async fn download_one(
        &self,
        record: &Record,
        subdef: &str,
        dir: &Path,
        reserved: &Mutex<HashSet<PathBuf>>,
        progress: &(dyn Fn(DownloadProgress) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<DownloadedFile> {
        let r = RecordRef::from(record);
        let embed = self.api.record_embed(r, None).await?;
        let sd = embed.iter().find(|s| s.name == subdef).ok_or_else(|| Error::NoSuchSubdef(subdef.into()))?;
        let url = sd.fetch_url().ok_or_else(|| Error::NoSuchSubdef(subdef.into()))?.to_string();
        let fallback = format!("{}_{}", r.databox_id, r.record_id);
        let name = if subdef == "document" {
            download_name(record.original_name.as_deref(), &record.title, sd.mime_type.as_deref(), &fallback)
        } else {
            let stem = record
                .original_name
                .as_deref()
                .map(|n| n.rsplit_once('.').map(|(s, _)| s).unwrap_or(n))
                .filter(|s| !s.trim().is_empty())
                .unwrap_or(&record.title);
            download_name(None, &format!("{stem}_{subdef}"), sd.mime_type.as_deref(), &fallback)
        };
        tokio::fs::create_dir_all(dir).await?;
        let final_path = reserve(dir, &name, reserved)?;
        let expected = if subdef == "document" { record.sha256.clone() } else { None };
        let job = download::Job {
            id: format!("{}/{}", r.databox_id, r.record_id),
            url,
            final_path: final_path.clone(),
            expected_sha256: expected,
            progress,
            cancel,
        };
        let name = subdef.to_string();
        let result = download::run(&self.api, job, || self.refresh_url(Some(r), Some(&name))).await;
        reserved.lock().expect("reserve lock").remove(&final_path);
        result
    }
}

/// A unique path in `dir` not already promised to another file of the same batch. A leftover `.part` of
/// the same name (an interrupted run) is reused so the download resumes.
fn reserve(dir: &Path, name: &str, reserved: &Mutex<HashSet<PathBuf>>) -> Result<PathBuf> {
    let mut taken = reserved.lock().expect("reserve lock");
    let plain = dir.join(name);
    let path = if !plain.exists() && !taken.contains(&plain) {
        plain
    } else {
        let (stem, ext) = match name.rsplit_once('.') {
            Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
            _ => (name.to_string(), String::new()),
        };
        (2..)
            .map(|i| dir.join(format!("{stem} ({i}){ext}")))
            .find(|p| !p.exists() && !taken.contains(p))
            .expect("an unbounded range finds a free name")
    };
    // Defence in depth: whatever the name, the file lands directly inside `dir`.
    if path.parent() != Some(dir) || name.contains(['/', '\\']) {
        return Err(Error::Io(format!("refusing the unsafe file name {name:?}")));
    }
    taken.insert(path.clone());
    Ok(path)
}
