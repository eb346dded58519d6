//! Saving records and baskets into a folder: which subdef, under which safe name unique within the
//! batch, then `download::run` for each file.

use std::path::Path;

use futures_util::StreamExt;
use serde::Serialize;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::download::{self, DownloadProgress, DownloadedFile, PartIdentity};
use super::filename::{download_name, fit_name, reserve, MAX_PATH_BYTES};
use super::Media;
use crate::api::RecordRef;
use crate::error::{Error, Result};
use crate::models::Record;

/// One file of a batch download: the file, or why it failed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
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
        self.download_one(&record, subdef, dir, progress, cancel).await
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
        let records: Vec<Record> =
            content.basket_elements.into_iter().map(|e| e.record).filter(|r| !r.looks_like_story()).collect();
        let results = futures_util::stream::iter(records.iter())
            .map(|rec| async move {
                let result = self.download_one(rec, subdef, dir, progress, cancel).await;
                DownloadOutcome::new(RecordRef::from(rec), result)
            })
            .buffered(self.opts.download_concurrency.max(1))
            .collect::<Vec<_>>()
            .await;
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        Ok(results)
    }

    /// `download_record` for a record already read (a basket's element): no `/records/` call.
    pub async fn download_one(
        &self,
        record: &Record,
        subdef: &str,
        dir: &Path,
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
        // The path limit applies to the absolute path, whatever folder the caller named.
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let name = fit_name(&absolute, &name, MAX_PATH_BYTES)?;
        let identity = PartIdentity {
            record: format!("{}/{}", r.databox_id, r.record_id),
            subdef: subdef.to_string(),
            updated_on: sd.updated_on.clone(),
            filesize: sd.filesize,
        };
        // Names are promised process-wide (case- and Unicode-folded), so two downloads of this process
        // never share a file; a `.part` of this very version is taken back to resume it.
        let reservation = reserve(dir, &name, &|part| download::resumable(part, &identity))?;
        let expected = if subdef == "document" { record.sha256.clone() } else { None };
        let job = download::Job {
            id: format!("{}/{}", r.databox_id, r.record_id),
            url,
            reservation,
            identity,
            expected_size: u64::try_from(sd.filesize).ok().filter(|&s| s > 0),
            expected_sha256: expected,
            hash: self.opts.hash_downloads,
            progress,
            cancel,
        };
        let name = subdef.to_string();
        download::run(&self.api, job, || self.refresh_url(Some(r), Some(&name))).await
    }
}
