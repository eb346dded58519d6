//! Downloads to a folder: streamed to `<name>.part` with constant memory, checked, then renamed. A cut
//! connection resumes with a Range request guarded by `If-Range`; a cancellation leaves nothing behind.
//!
//! Transfer integrity comes from the lengths (Content-Length, Content-Range's complete length) and from
//! `If-Range`, not from `record.sha256`: Phraseanet stores the hash of the file *as uploaded*, then its
//! metadata writer rewrites JPEG/PNG/PDF/TIFF documents in place (docs/real-servers.md, "sha256").

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_RANGE, ETAG, IF_RANGE, LAST_MODIFIED, RANGE};
use reqwest::StatusCode;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::api::Api;
use crate::error::{Error, Result};
use crate::http::next_chunk;

use super::filename::part_path;
use super::{media_get, status_error};

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
    /// Something the person should know about the finished file.
    pub note: Option<DownloadNote>,
}

/// What the finished-download line says beside the file (the UI words it, in the person's language).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum DownloadNote {
    /// The original's bytes are not those `record.sha256` hashes: "differs from the uploaded original;
    /// the server usually writes metadata into the file".
    DiffersFromOriginal,
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
    let mut validator = None;
    let outcome = loop {
        if job.cancel.is_cancelled() {
            break Err(Error::Cancelled);
        }
        match fetch_into(api, &url, &part, &job, &file_name, &mut validator).await {
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
            Err(
                e @ (Error::Network(_)
                | Error::Timeout
                | Error::CutOff
                | Error::Stalled
                | Error::Server { .. }),
            ) if attempt < RESUME_ATTEMPTS => {
                attempt += 1;
                tracing::debug!(attempt, "download interrupted ({}), resuming", e.code());
                tokio::time::sleep(Duration::from_millis(200 * 2u64.pow(attempt - 1))).await;
            }
            Err(e) => break Err(e),
        }
    };
    match outcome {
        Ok((size, sha256)) => {
            let note = job
                .expected_sha256
                .as_deref()
                .filter(|s| !s.trim().is_empty() && !s.trim().eq_ignore_ascii_case(&sha256))
                .map(|_| DownloadNote::DiffersFromOriginal);
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
            Ok(DownloadedFile {
                id: job.id,
                path: final_path.to_string_lossy().into_owned(),
                size,
                sha256,
                note,
            })
        }
        Err(e) => {
            // A cancelled or refused download is abandoned; a network failure keeps the .part to resume.
            if !matches!(
                e,
                Error::Network(_) | Error::Timeout | Error::CutOff | Error::Stalled | Error::Server { .. }
            ) {
                let _ = tokio::fs::remove_file(&part).await;
            }
            Err(e)
        }
    }
}

/// `bytes <start>-<end>/<complete>` → (start, complete).
fn content_range(v: &str) -> Option<(u64, Option<u64>)> {
    let (range, complete) = v.strip_prefix("bytes ")?.split_once('/')?;
    let start = range.split_once('-')?.0.trim().parse().ok()?;
    Some((start, complete.trim().parse().ok()))
}

/// One HTTP attempt, appending to the .part when the server honours the Range. `validator` is the
/// first answer's ETag (or Last-Modified): a resume sends it as `If-Range`, so a document rewritten
/// between attempts comes back whole instead of being spliced.
async fn fetch_into(
    api: &Api,
    url: &str,
    part: &Path,
    job: &Job<'_>,
    file_name: &str,
    validator: &mut Option<String>,
) -> Result<(u64, String)> {
    let have = match validator {
        Some(_) => tokio::fs::metadata(part).await.map(|m| m.len()).unwrap_or(0),
        // Without a validator a leftover .part cannot be trusted to be this version: start over.
        None => 0,
    };
    let if_range = validator.clone();
    let add_range = move |req: reqwest::RequestBuilder| match (&if_range, have) {
        (Some(v), 1..) => req.header(RANGE, format!("bytes={have}-")).header(IF_RANGE, v.as_str()),
        _ => req,
    };
    let resp = tokio::select! {
        r = media_get(api, url, &add_range) => r?,
        _ = job.cancel.cancelled() => return Err(Error::Cancelled),
    };
    let status = resp.status();
    let headers = resp.headers();
    let found = headers.get(ETAG).or_else(|| headers.get(LAST_MODIFIED)).and_then(|v| v.to_str().ok());
    if status.is_success() && validator.is_none() {
        *validator = found.map(str::to_string);
    }
    let range = headers.get(CONTENT_RANGE).and_then(|v| v.to_str().ok()).and_then(content_range);
    let resuming =
        have > 0 && status == StatusCode::PARTIAL_CONTENT && range.is_some_and(|(start, _)| start == have);
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
    let total = match range {
        Some((_, Some(complete))) if resuming => Some(complete),
        _ => resp.content_length().map(|l| l + received),
    };
    let mut out = tokio::io::BufWriter::with_capacity(256 * 1024, &mut file);
    let mut stream = resp.bytes_stream();
    let mut last_report = Instant::now();
    let silence = api.options().read_timeout;
    loop {
        let next = tokio::select! {
            n = next_chunk(&mut stream, silence) => n,
            _ = job.cancel.cancelled() => return Err(Error::Cancelled),
        };
        let chunk = match next {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                out.flush().await?;
                return Err(e);
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
    if total.is_some_and(|t| received != t) {
        return Err(Error::CutOff);
    }
    Ok((received, hex::encode(hasher.finalize())))
}
