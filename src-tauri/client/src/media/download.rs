//! Downloads to a folder: streamed to `<name>.part` with constant memory, checked, then renamed. A cut
//! connection resumes with a Range request; a cancellation or a bad checksum leaves nothing behind.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::header::{CONTENT_RANGE, RANGE};
use reqwest::StatusCode;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::api::Api;
use crate::error::{Error, Result};
use crate::http::map_reqwest;

use super::filename::part_path;
use super::{authorized_get, status_error};

/// Progress of one file, reported through the caller's callback.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DownloadProgress {
    /// Caller-chosen id (e.g. `databox_id/record_id`).
    pub id: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub received: u64,
    #[ts(type = "number | null")]
    pub total: Option<u64>,
    pub done: bool,
}

/// A finished download.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DownloadedFile {
    pub id: String,
    pub path: String,
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
}

/// What to fetch and where. `final_path` must already be sanitized and unique (see `Media`).
pub(crate) struct Job<'a> {
    pub id: String,
    pub url: String,
    pub final_path: PathBuf,
    pub expected_sha256: Option<String>,
    pub progress: &'a (dyn Fn(DownloadProgress) + Send + Sync),
    pub cancel: &'a CancellationToken,
}

const RESUME_ATTEMPTS: u32 = 4;

/// Runs a job to completion. `refresh` gives a fresh URL when the signed one was refused (expired).
pub(crate) async fn run<F, Fut>(api: &Api, job: Job<'_>, refresh: F) -> Result<DownloadedFile>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>>>,
{
    let part = part_path(&job.final_path);
    let file_name = job.final_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut url = job.url.clone();
    let mut refreshed = false;
    let mut attempt = 0;
    let outcome = loop {
        if job.cancel.is_cancelled() {
            break Err(Error::Cancelled);
        }
        match fetch_into(api, &url, &part, &job, &file_name).await {
            Ok(done) => break Ok(done),
            Err(Error::Forbidden(_) | Error::NotFound(_) | Error::Unauthorized(_)) if !refreshed => {
                refreshed = true;
                match refresh().await? {
                    Some(fresh) => url = fresh,
                    None => {
                        break Err(Error::NotFound(format!("{file_name}: the media URL is no longer valid")))
                    }
                }
            }
            Err(e @ (Error::Network(_) | Error::Timeout | Error::Server { .. }))
                if attempt < RESUME_ATTEMPTS =>
            {
                attempt += 1;
                tracing::debug!(attempt, "download interrupted ({}), resuming", e.code());
                tokio::time::sleep(Duration::from_millis(200 * 2u64.pow(attempt - 1))).await;
            }
            Err(e) => break Err(e),
        }
    };
    match outcome {
        Ok((size, sha256)) => {
            if let Some(expected) = job.expected_sha256.as_deref().filter(|s| !s.trim().is_empty()) {
                if !expected.trim().eq_ignore_ascii_case(&sha256) {
                    let _ = tokio::fs::remove_file(&part).await;
                    return Err(Error::ChecksumMismatch {
                        expected: expected.trim().to_lowercase(),
                        actual: sha256,
                    });
                }
            }
            let final_path = if job.final_path.exists() {
                // Someone created the name meanwhile: never overwrite.
                let dir = job.final_path.parent().unwrap_or(Path::new("."));
                super::filename::unique_path(dir, &file_name)
            } else {
                job.final_path.clone()
            };
            tokio::fs::rename(&part, &final_path).await?;
            (job.progress)(DownloadProgress {
                id: job.id.clone(),
                file_name: file_name.clone(),
                received: size,
                total: Some(size),
                done: true,
            });
            Ok(DownloadedFile { id: job.id, path: final_path.to_string_lossy().into_owned(), size, sha256 })
        }
        Err(e) => {
            // A cancelled or refused download is abandoned; a network failure keeps the .part to resume.
            if !matches!(e, Error::Network(_) | Error::Timeout | Error::Server { .. }) {
                let _ = tokio::fs::remove_file(&part).await;
            }
            Err(e)
        }
    }
}

/// One HTTP attempt, appending to the .part when the server honours the Range.
async fn fetch_into(
    api: &Api,
    url: &str,
    part: &Path,
    job: &Job<'_>,
    file_name: &str,
) -> Result<(u64, String)> {
    let have = tokio::fs::metadata(part).await.map(|m| m.len()).unwrap_or(0);
    let mut req = authorized_get(api, url)?;
    if have > 0 {
        req = req.header(RANGE, format!("bytes={have}-"));
    }
    let resp = tokio::select! {
        r = req.send() => r.map_err(map_reqwest)?,
        _ = job.cancel.cancelled() => return Err(Error::Cancelled),
    };
    let status = resp.status();
    let resuming = have > 0
        && status == StatusCode::PARTIAL_CONTENT
        && resp
            .headers()
            .get(CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with(&format!("bytes {have}-")));
    if !status.is_success() {
        if status == StatusCode::RANGE_NOT_SATISFIABLE {
            // The .part does not match what the server has: start over.
            let _ = tokio::fs::remove_file(part).await;
            return Err(Error::Network("restarting the download".into()));
        }
        return Err(status_error(status));
    }
    let mut hasher = Sha256::new();
    let mut file = if resuming {
        // Re-hash what is already there so the checksum covers the whole file.
        let mut existing = tokio::fs::File::open(part).await?;
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = existing.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        tokio::fs::OpenOptions::new().append(true).open(part).await?
    } else {
        tokio::fs::File::create(part).await?
    };
    let mut received = if resuming { have } else { 0 };
    let total = resp.content_length().map(|l| l + received);
    let mut out = tokio::io::BufWriter::with_capacity(256 * 1024, &mut file);
    let mut stream = resp.bytes_stream();
    let mut last_report = Instant::now();
    loop {
        let next = tokio::select! {
            n = stream.next() => n,
            _ = job.cancel.cancelled() => return Err(Error::Cancelled),
        };
        let Some(chunk) = next else { break };
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                out.flush().await?;
                return Err(map_reqwest(e));
            }
        };
        hasher.update(&chunk);
        out.write_all(&chunk).await?;
        received += chunk.len() as u64;
        if last_report.elapsed() >= Duration::from_millis(100) {
            last_report = Instant::now();
            (job.progress)(DownloadProgress {
                id: job.id.clone(),
                file_name: file_name.to_string(),
                received,
                total,
                done: false,
            });
        }
    }
    out.flush().await?;
    drop(out);
    file.sync_all().await?;
    if let Some(t) = total {
        if received != t {
            return Err(Error::Network(format!("the connection ended after {received} of {t} bytes")));
        }
    }
    Ok((received, hex::encode(hasher.finalize())))
}
