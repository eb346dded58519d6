//! Downloads to a folder: streamed to `<name>.part` with constant memory, checked, then published under
//! a name that never replaces a file (`part::publish`). A cut connection resumes with a Range request
//! guarded by `If-Range`, in this run or a later one (the `.part.json` sidecar, `part`); a cancellation
//! leaves nothing behind. The size is capped by the subdef's `filesize` plus slack and by the free space,
//! and media are asked for without content coding (`Accept-Encoding: identity`).
//!
//! Transfer integrity comes from the lengths (Content-Length, Content-Range's complete length) and from
//! `If-Range`, not from `record.sha256`: Phraseanet stores the hash of the file *as uploaded*, then its
//! metadata writer rewrites JPEG/PNG/PDF/TIFF documents in place (docs/real-servers.md, "sha256").

use std::path::Path;
use std::time::{Duration, Instant};

mod part;
mod write;

use reqwest::header::{ACCEPT_ENCODING, CONTENT_RANGE, ETAG, IF_RANGE, LAST_MODIFIED, RANGE};
use reqwest::StatusCode;
use serde::Serialize;
use sha2::Digest;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::api::Api;
use crate::error::{Error, Result};
use crate::http::next_chunk;

use super::filename::{part_path, Reservation};
use super::{media_get, status_error};
pub(crate) use part::PartIdentity;
use write::PartWriter;

/// Whether `part` holds the version `identity` names (so `reserve` may hand its name back).
pub(crate) fn resumable(part: &Path, identity: &PartIdentity) -> bool {
    part::resumable(part, identity).is_some()
}

/// Progress of one file, reported through the caller's callback.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DownloadProgress {
    /// Caller-chosen id (e.g. `databox_id/record_id`).
    pub id: String,
    pub file_name: String,
    pub received: u64,
    pub total: Option<u64>,
    pub done: bool,
}

/// A finished download.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DownloadedFile {
    pub id: String,
    pub path: String,
    pub size: u64,
    /// The file's sha256, when it was hashed as it was written (`MediaOptions::hash_downloads`).
    pub sha256: Option<String>,
    /// What the uploaded original hashes to (the record's sha256, for an original): a caller that did
    /// not hash while writing compares the published file with it (`DownloadNote::comparing`).
    pub original_sha256: Option<String>,
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
    /// A "download all" asked for the original, which the user may not have: this is the preview.
    PreviewInstead,
}

impl DownloadNote {
    /// The note a file hashing to `actual` deserves against the original's `expected` hash (any case):
    /// none when they match or the server gave none.
    pub fn comparing(expected: Option<&str>, actual: &str) -> Option<DownloadNote> {
        expected
            .map(str::trim)
            .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case(actual))
            .map(|_| DownloadNote::DiffersFromOriginal)
    }
}

/// The sha256 of the file at `path`, in lowercase hex, read in blocks (constant memory).
pub fn sha256_of_file(path: &Path) -> std::io::Result<String> {
    let mut hasher = sha2::Sha256::new();
    hash_all(&mut std::fs::File::open(path)?, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

/// Reads `reader` to its end into `hasher`, in blocks of 256 KiB (`io::copy`'s 8 KiB would take 32
/// times the reads).
fn hash_all(reader: &mut impl std::io::Read, hasher: &mut sha2::Sha256) -> std::io::Result<()> {
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        match reader.read(&mut buf)? {
            0 => return Ok(()),
            n => hasher.update(&buf[..n]),
        }
    }
}

/// What to fetch and where. The reservation's path is sanitized and unique (see `save::reserve`).
pub(crate) struct Job<'a> {
    pub id: String,
    pub url: String,
    pub reservation: Reservation,
    /// What the bytes are: a `.part` of another record or version is never resumed.
    pub identity: PartIdentity,
    /// The subdef's `filesize`, when the server gives one (> 0).
    pub expected_size: Option<u64>,
    pub expected_sha256: Option<String>,
    /// Hash the bytes as they are written, to give the file's `sha256` and note.
    pub hash: bool,
    pub progress: &'a (dyn Fn(DownloadProgress) + Send + Sync),
    pub cancel: &'a CancellationToken,
}

const RESUME_ATTEMPTS: u32 = 4;

/// Free space left on the disk whatever the download (and the bound of a download of unknown size).
const FREE_MARGIN: u64 = 64 * 1024 * 1024;

/// Most bytes accepted for a file the server says is `size` bytes: the metadata writer may have grown a
/// document after `filesize` was recorded (docs/real-servers.md, "sha256"), by far less than this slack.
pub(crate) fn size_cap(size: u64) -> u64 {
    size.saturating_add(size / 2).saturating_add(16 * 1024 * 1024)
}

/// The byte limit of this job, or an error when the disk cannot hold it (`have` bytes already there).
fn byte_limit(dir: &Path, expected: Option<u64>, have: u64) -> Result<u64> {
    let free =
        fs4::available_space(dir).map_err(|e| Error::Io(format!("cannot read the free space: {e}")))?;
    let room = free.saturating_sub(FREE_MARGIN).saturating_add(have);
    if let Some(size) = expected.filter(|&s| s > room) {
        return Err(Error::Io(format!("not enough free space: {size} bytes needed, {free} available")));
    }
    Ok(expected.map(size_cap).unwrap_or(u64::MAX).min(room))
}

/// Runs a job to completion. `refresh` gives a fresh URL when the signed one was refused (expired).
pub(crate) async fn run<F, Fut>(api: &Api, job: Job<'_>, refresh: F) -> Result<DownloadedFile>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>>>,
{
    let mut job = job;
    let part = part_path(&job.reservation.path);
    let file_name =
        job.reservation.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut url = job.url.clone();
    let mut refreshed = false;
    let mut attempt = 0;
    // A `.part` proven to hold this version (its sidecar) resumes; anything else there starts over.
    let mut validator = part::resumable(&part, &job.identity);
    if validator.is_none() {
        part::discard(&part);
    }
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
            // A stalled server is not waited for again (the .part stays for a later retry).
            Err(e @ (Error::Network(_) | Error::Timeout | Error::CutOff | Error::Server { .. }))
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
            let note =
                sha256.as_deref().and_then(|h| DownloadNote::comparing(job.expected_sha256.as_deref(), h));
            let final_path = match part::publish(&part, &mut job.reservation) {
                Ok(p) => p,
                Err(e) => {
                    part::discard(&part);
                    return Err(e);
                }
            };
            (job.progress)(DownloadProgress {
                id: job.id.clone(),
                file_name: final_path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or(file_name),
                received: size,
                total: Some(size),
                done: true,
            });
            Ok(DownloadedFile {
                id: job.id,
                path: final_path.to_string_lossy().into_owned(),
                size,
                sha256,
                original_sha256: job.expected_sha256.filter(|s| !s.trim().is_empty()),
                note,
            })
        }
        Err(e) => {
            // A cancelled or refused download is abandoned; a network failure keeps the .part to resume.
            if !matches!(
                e,
                Error::Network(_) | Error::Timeout | Error::CutOff | Error::Stalled | Error::Server { .. }
            ) {
                part::discard(&part);
            }
            Err(e)
        }
    }
}

/// `bytes <first>-<last>/<complete>` → (first, last, complete), `complete` being `None` for `*`.
pub(super) fn content_range(v: &str) -> Option<(u64, u64, Option<u64>)> {
    let (range, complete) = v.trim().strip_prefix("bytes ")?.split_once('/')?;
    let (first, last) = range.split_once('-')?;
    let (first, last) = (first.trim().parse().ok()?, last.trim().parse().ok()?);
    let complete = match complete.trim() {
        "*" => None,
        c => Some(c.parse().ok()?),
    };
    (first <= last && complete.is_none_or(|c| last < c)).then_some((first, last, complete))
}

/// Starts the download over: the `.part` does not match what the server sends (retried as a network
/// failure, without a Range).
fn restart(part: &Path, validator: &mut Option<String>, why: &str) -> Error {
    part::discard(part);
    *validator = None;
    Error::Network(format!("restarting the download: {why}"))
}

/// One HTTP attempt, appending to the .part when the server honours the Range. `validator` is the
/// first answer's ETag (or Last-Modified), or the sidecar's: a resume sends it as `If-Range`, so a
/// document rewritten between attempts comes back whole instead of being spliced.
async fn fetch_into(
    api: &Api,
    url: &str,
    part: &Path,
    job: &Job<'_>,
    file_name: &str,
    validator: &mut Option<String>,
) -> Result<(u64, Option<String>)> {
    let have = match validator {
        Some(_) => tokio::fs::symlink_metadata(part).await.map(|m| m.len()).unwrap_or(0),
        None => 0,
    };
    let dir = part.parent().unwrap_or(Path::new("."));
    let limit = byte_limit(dir, job.expected_size, have)?;
    let if_range = validator.clone();
    // Opaque media gain nothing from content coding, and a decoded body has no length to check.
    let add_range = move |req: reqwest::RequestBuilder| match (&if_range, have) {
        (Some(v), 1..) => req
            .header(ACCEPT_ENCODING, "identity")
            .header(RANGE, format!("bytes={have}-"))
            .header(IF_RANGE, v.as_str()),
        _ => req.header(ACCEPT_ENCODING, "identity"),
    };
    let resp = tokio::select! {
        r = media_get(api, url, &add_range) => r?,
        _ = job.cancel.cancelled() => return Err(Error::Cancelled),
    };
    let status = resp.status();
    let headers = resp.headers();
    if !status.is_success() {
        if status == StatusCode::RANGE_NOT_SATISFIABLE {
            return Err(restart(part, validator, "the server cannot continue the partial file"));
        }
        return Err(status_error(status));
    }
    let range = headers.get(CONTENT_RANGE).and_then(|v| v.to_str().ok()).and_then(content_range);
    let partial = status == StatusCode::PARTIAL_CONTENT;
    let resuming = partial && have > 0 && range.is_some_and(|(first, _, _)| first == have);
    if partial && !resuming {
        // Another range than asked for (or a 206 to a plain GET): its bytes cannot be placed.
        return Err(restart(part, validator, "the server sent another part of the file"));
    }
    let total = match range {
        Some((_, _, Some(complete))) if resuming => Some(complete),
        Some((_, last, None)) if resuming => Some(last + 1),
        _ => resp.content_length().map(|l| l + if resuming { have } else { 0 }),
    };
    if total.is_some_and(|t| t > limit) {
        return Err(Error::TooLarge { limit });
    }
    let found = headers.get(ETAG).or_else(|| headers.get(LAST_MODIFIED)).and_then(|v| v.to_str().ok());
    let file = if resuming {
        part::open_append(part).await?
    } else {
        // A whole answer replaces whatever the .part held, and names the version from now on.
        *validator = found.map(str::to_string);
        let file = part::create_fresh(part).await?;
        if let Some(v) = validator.as_deref() {
            part::remember(part, &job.identity, v);
        }
        file
    };
    // A resumed `.part` is re-hashed first, so the checksum covers the whole file.
    let mut writer = PartWriter::start(file.into_std().await, job.hash, resuming);
    let mut received = if resuming { have } else { 0 };
    // Where this answer must end: a body longer than its range or length is not placed anywhere.
    let answer_end = match range {
        Some((_, last, _)) if resuming => Some(last + 1),
        _ => resp.content_length().map(|l| l + received),
    };
    let mut stream = resp.bytes_stream();
    let mut last_report = Instant::now();
    let silence = api.options().read_timeout;
    // Every way out closes the `.part` first (`abandon` keeps what arrived, for a resume).
    loop {
        let next = tokio::select! {
            n = next_chunk(&mut stream, silence) => n,
            _ = job.cancel.cancelled() => {
                writer.abandon().await;
                return Err(Error::Cancelled);
            }
        };
        let chunk = match next {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                writer.abandon().await;
                return Err(e);
            }
        };
        received += chunk.len() as u64;
        if received > limit {
            writer.abandon().await;
            return Err(Error::TooLarge { limit });
        }
        if answer_end.is_some_and(|end| received > end) {
            writer.abandon().await;
            return Err(restart(part, validator, "the server sent more than it announced"));
        }
        writer.write(chunk).await?;
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
    // No fsync, as browsers do: the file gets its name only once whole, and
    // the OS writes it back; a sync per file cost a third of the throughput (`make bench`, row 3).
    let hasher = writer.finish().await?;
    if total.is_some_and(|t| received != t) {
        return Err(Error::CutOff);
    }
    Ok((received, hasher.map(|h| hex::encode(h.finalize()))))
}

#[cfg(test)]
mod tests;
