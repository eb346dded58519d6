//! The media pipeline: subdef bytes through a bounded pool into the disk cache (ranges for players),
//! video and audio streamed in ranges as they arrive (`stream`), and downloads of records and baskets
//! to a folder.

pub mod cache;
pub mod download;
pub mod filename;
mod request;
mod save;
mod sparse;
mod stream;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::CONTENT_TYPE;
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use tokio::sync::Semaphore;
use ts_rs::TS;

pub use cache::{parse_range, read_range, CachedMedia, DiskCache, RangeData};
pub use download::{DownloadNote, DownloadProgress, DownloadedFile};
pub use filename::{download_name, sanitize_file_name, unique_path};
pub use save::DownloadOutcome;
pub use stream::{MediaStream, StreamProgress};
pub use tokio_util::sync::CancellationToken;

use crate::api::{Api, RecordRef};
use crate::error::{Error, Result};
use crate::http::next_chunk;
use crate::models::{Record, Subdef};
pub(crate) use request::media_get;

/// Where and how much to cache, and how many transfers at once.
#[derive(Debug, Clone)]
pub struct MediaOptions {
    pub cache_dir: PathBuf,
    /// Bytes; least recently used media are evicted past it (bytes being written count too). An item
    /// larger than a quarter of it is streamed aside, not cached (`DiskCache::item_limit`).
    pub cache_limit: u64,
    /// Simultaneous media requests (thumbnails, previews).
    pub concurrency: usize,
    /// Simultaneous files in a basket download.
    pub download_concurrency: usize,
    /// Hash each download's bytes as they are written, for `DownloadedFile::sha256` and the note
    /// `DiffersFromOriginal`. The app turns it off and compares after publishing, at idle priority
    /// (`app/src/browse/downloads/check.rs`), so the hash never slows the transfers.
    pub hash_downloads: bool,
    /// Largest thumbnail (subdefs named `thumbnail*`).
    pub max_thumbnail: u64,
    /// Largest preview (subdefs named `preview*`).
    pub max_preview: u64,
    /// Largest other media (documents, custom subdefs, bare URLs).
    pub max_media: u64,
    /// Time a fetch may hold a pool slot, retries included, plus `received / min_rate`: a server
    /// trickling bytes cannot hold the pool, a large media on a slow link still arrives.
    pub deadline: Duration,
    /// Bytes per second that extend the deadline.
    pub min_rate: u64,
    /// Who the cache entries belong to (e.g. the profile name): two accounts on one server may be
    /// served different bytes for one record (rights, watermarks). `None` scopes by the session's token.
    pub account: Option<String>,
}

impl MediaOptions {
    /// The platform cache dir (e.g. `~/.cache/phraseanet-desktop/media`).
    pub fn default_dirs() -> Result<MediaOptions> {
        let dirs = directories::ProjectDirs::from("org", "Phraseanet", "phraseanet-desktop")
            .ok_or_else(|| Error::Io("no home directory: cannot locate the cache folder".into()))?;
        Ok(MediaOptions::in_dir(dirs.cache_dir().join("media")))
    }

    pub fn in_dir(dir: impl Into<PathBuf>) -> MediaOptions {
        MediaOptions {
            cache_dir: dir.into(),
            cache_limit: 2 * 1024 * 1024 * 1024,
            // Each media request is a whole PHP request on the server (JWT, sub-request, token check):
            // about 6 at once is what a PHP pool sustains beside the user's other work
            // (docs/real-servers.md, "Media concurrency").
            concurrency: 6,
            download_concurrency: 4,
            hash_downloads: true,
            max_thumbnail: 16 * 1024 * 1024,
            max_preview: 512 * 1024 * 1024,
            max_media: 1024 * 1024 * 1024,
            deadline: Duration::from_secs(60),
            min_rate: 64 * 1024,
            account: None,
        }
    }

    /// The size cap of a subdef by its name.
    fn max_for(&self, subdef: Option<&str>) -> u64 {
        match subdef.unwrap_or("") {
            s if s.starts_with("thumbnail") => self.max_thumbnail,
            s if s.starts_with("preview") => self.max_preview,
            _ => self.max_media,
        }
    }
}

/// A media to fetch: its URL and a stable cache key. Built from a subdef so an expired signed URL can be
/// refreshed by re-reading the embed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MediaSource {
    pub key: String,
    pub url: String,
    pub record: Option<RecordRef>,
    pub subdef: Option<String>,
    /// Unix seconds after which the signed `url` will be refused (from `url_ttl`, minus a margin): the
    /// embed is re-read first instead of waiting for a 403.
    pub expires_at: Option<i64>,
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl MediaSource {
    /// A subdef of a record. The key names the version (`updated_on`, size), not the signed URL, which
    /// changes on every call.
    pub fn subdef(record: RecordRef, subdef: &Subdef) -> Option<MediaSource> {
        let url = subdef.fetch_url()?.to_string();
        // Without `updated_on` (3.8), the permalink's path (stable, unlike a signed URL) stands in for the
        // version, so a changed file of the same size is not served stale.
        let version = match (
            subdef.updated_on.as_deref(),
            subdef.permalink.as_ref().map(|p| p.url.as_str()).filter(|u| !u.is_empty()),
        ) {
            (Some(at), _) => at.to_string(),
            (None, Some(link)) => {
                let path = link.split(['?', '#']).next().unwrap_or(link);
                format!("p{}", hex::encode(&sha2::Sha256::digest(path.as_bytes())[..8]))
            }
            (None, None) => "-".to_string(),
        };
        let key = format!(
            "{}/{}/{}/{}/{}",
            record.databox_id, record.record_id, subdef.name, version, subdef.filesize
        );
        let signed = subdef.url.as_deref() == Some(url.as_str());
        let expires_at = match subdef.url_ttl {
            // The ttl is the server's number: clamped, so no arithmetic on it can overflow (finding 15).
            Some(ttl) if signed && ttl > 0 => {
                let ttl = ttl.min(7 * 86_400);
                Some(unix_now().saturating_add(ttl - (ttl / 10).min(30)))
            }
            _ => None,
        };
        Some(MediaSource { key, url, record: Some(record), subdef: Some(subdef.name.clone()), expires_at })
    }

    /// The thumbnail of a record, if it has one (it may be null, api §7.8).
    pub fn thumbnail(record: &Record) -> Option<MediaSource> {
        MediaSource::subdef(RecordRef::from(record), record.thumbnail.as_ref()?)
    }

    /// A bare URL (keyed by itself).
    pub fn url(url: &str) -> MediaSource {
        MediaSource {
            key: url.to_string(),
            url: url.to_string(),
            record: None,
            subdef: None,
            expires_at: None,
        }
    }
}

/// A fresh URL for a record's subdef (re-reads the embed, falling back to the story embed).
async fn refresh_url(api: &Api, record: Option<RecordRef>, subdef: Option<&str>) -> Result<Option<String>> {
    let (Some(r), Some(name)) = (record, subdef) else { return Ok(None) };
    let embed = match api.record_embed(r, None).await {
        Ok(e) => e,
        Err(Error::NotFound(_)) => api.story_embed(r).await?,
        Err(e) => return Err(e),
    };
    Ok(embed.iter().find(|s| s.name == name).and_then(|s| s.fetch_url()).map(str::to_string))
}

pub(crate) fn status_error(status: StatusCode) -> Error {
    let what = format!("media answered HTTP {}", status.as_u16());
    match status.as_u16() {
        401 => Error::Unauthorized(what),
        403 | 410 => Error::Forbidden(what),
        404 => Error::NotFound(what),
        429 => Error::RateLimited,
        s if s >= 500 => Error::Server { status: s, detail: what },
        _ => Error::BadRequest(what),
    }
}

/// Media of one session. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Media {
    api: Api,
    cache: Arc<DiskCache>,
    pool: Arc<Semaphore>,
    inflight: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    /// Media being streamed (`stream`), shared by their readers.
    partials: stream::Partials,
    opts: MediaOptions,
}

impl Media {
    pub fn new(api: Api, opts: MediaOptions) -> Result<Media> {
        let cache = Arc::new(DiskCache::open(&opts.cache_dir, opts.cache_limit)?);
        Ok(Media::with_cache(api, cache, opts))
    }

    /// Several sessions (profiles) sharing one cache and its size limit: open the cache once.
    pub fn with_cache(api: Api, cache: Arc<DiskCache>, opts: MediaOptions) -> Media {
        let pool = Arc::new(Semaphore::new(opts.concurrency.max(1)));
        Media { api, cache, pool, inflight: Arc::default(), partials: Arc::default(), opts }
    }

    /// One of the session's media slots, for work of the app that talks to the same server outside this
    /// pipeline (whole-file downloads): together they stay within the server-friendly `concurrency`.
    pub async fn slot(&self) -> Result<tokio::sync::OwnedSemaphorePermit> {
        self.pool.clone().acquire_owned().await.map_err(|_| Error::Cancelled)
    }

    pub fn cache(&self) -> &DiskCache {
        &self.cache
    }

    /// Cache keys are scoped by server and account: several profiles may share one cache, and two
    /// accounts on one server may see different bytes. Without a named account the token stands for
    /// it (hashed: the key's hash is not a secret store, but the token must not be recoverable from it).
    fn scoped(&self, key: &str) -> String {
        let account = match &self.opts.account {
            Some(a) => format!("a:{a}"),
            None => format!(
                "t:{}",
                &hex::encode(sha2::Sha256::digest(self.api.token().expose().as_bytes()))[..32]
            ),
        };
        format!("{}|{account}|{key}", self.api.server())
    }

    /// A cached media by its source key, without any network call (for the webview's media scheme).
    pub fn cached(&self, key: &str) -> Option<CachedMedia> {
        self.cache.get(&self.scoped(key))
    }

    /// The media from the cache, or fetched into it (at most `concurrency` fetches at once). An expired
    /// signed URL is refreshed once by re-reading the record's embed.
    pub async fn fetch(&self, source: &MediaSource) -> Result<CachedMedia> {
        let key = self.scoped(&source.key);
        if let Some(hit) = self.cache.get(&key) {
            return Ok(hit);
        }
        // One transfer per key: a grid asking twice for the same thumbnail waits for the first fetch.
        let flight = self.inflight.lock().expect("inflight lock").entry(key.clone()).or_default().clone();
        let result = {
            let _one = flight.lock().await;
            match self.cache.get(&key) {
                Some(hit) => Ok(hit),
                None => self.fetch_uncached(&key, source).await,
            }
        };
        let mut map = self.inflight.lock().expect("inflight lock");
        if map.get(&key).is_some_and(|f| Arc::ptr_eq(f, &flight) && Arc::strong_count(f) <= 2) {
            map.remove(&key);
        }
        result
    }

    async fn fetch_uncached(&self, key: &str, source: &MediaSource) -> Result<CachedMedia> {
        let _permit = self.pool.acquire().await.map_err(|_| Error::Cancelled)?;
        // One deadline for the whole fetch (refresh and retries included) while it holds the slot.
        let start = tokio::time::Instant::now();
        let mut url = source.url.clone();
        let mut refreshed = false;
        if source.expires_at.is_some_and(|at| unix_now() >= at) {
            if let Some(fresh) = self.refresh_url(source.record, source.subdef.as_deref()).await? {
                url = fresh;
                refreshed = true;
            }
        }
        let max = self.opts.max_for(source.subdef.as_deref());
        let mut attempt = 0u32;
        loop {
            match self.fetch_once(key, &url, max, start).await {
                Ok(m) => return Ok(m),
                Err(Error::Forbidden(_) | Error::NotFound(_) | Error::Unauthorized(_)) if !refreshed => {
                    refreshed = true;
                    match self.refresh_url(source.record, source.subdef.as_deref()).await? {
                        Some(fresh) => url = fresh,
                        None => return Err(Error::NotFound("the media is no longer available".into())),
                    }
                }
                Err(Error::Network(_) | Error::CutOff | Error::Server { status: 500..=504, .. })
                    if attempt < self.api.options().retries && start.elapsed() < self.opts.deadline =>
                {
                    attempt += 1;
                    tokio::time::sleep(self.api.options().backoff * 2u32.pow(attempt - 1)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// One transfer into the cache, refusing more than `max` bytes and failing with `timeout` once the
    /// fetch's deadline (`start + deadline + received / min_rate`) passes.
    async fn fetch_once(
        &self,
        key: &str,
        url: &str,
        max: u64,
        start: tokio::time::Instant,
    ) -> Result<CachedMedia> {
        let rate = self.opts.min_rate.max(1);
        let until = |received: u64| start + self.opts.deadline + Duration::from_secs(received / rate);
        // Opaque media gain nothing from content coding, and a decoded body has no length to check: the
        // workspace's reqwest decodes gzip, so a server ignoring `identity` is still capped by `max`.
        let identity = |r: reqwest::RequestBuilder| r.header(reqwest::header::ACCEPT_ENCODING, "identity");
        let resp = tokio::time::timeout_at(until(0), media_get(&self.api, url, &identity))
            .await
            .map_err(|_| Error::Timeout)??;
        let status = resp.status();
        if !status.is_success() {
            return Err(status_error(status));
        }
        if resp.content_length().is_some_and(|l| l > max) {
            return Err(Error::TooLarge { limit: max });
        }
        let mime = resp.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
        let expected = resp.content_length();
        let mut w = self.cache.writer(key, mime, max).await?;
        let mut stream = resp.bytes_stream();
        let mut n = 0u64;
        let silence = self.api.options().read_timeout;
        loop {
            let next = tokio::time::timeout_at(until(n), next_chunk(&mut stream, silence)).await;
            let Some(chunk) = next.map_err(|_| Error::Timeout)?? else { break };
            n += chunk.len() as u64;
            w.write(&chunk).await?;
        }
        if expected.is_some_and(|e| e != n) {
            return Err(Error::CutOff);
        }
        w.commit().await
    }

    async fn refresh_url(&self, record: Option<RecordRef>, subdef: Option<&str>) -> Result<Option<String>> {
        refresh_url(&self.api, record, subdef).await
    }

    /// Reads part of a cached media for an HTTP Range answer.
    pub fn read_range(&self, media: &CachedMedia, start: u64, end: u64) -> Result<RangeData> {
        read_range(media, start, end, 8 * 1024 * 1024)
    }
}

#[cfg(test)]
mod source_tests {
    use super::*;
    use crate::models::Permalink;

    #[test]
    fn without_updated_on_the_permalink_path_names_the_version() {
        let link = |u: &str| Some(Permalink { url: u.into(), ..Default::default() });
        let sd = |p| Subdef { name: "preview".into(), filesize: 10, permalink: p, ..Default::default() };
        let key = |s: &Subdef| MediaSource::subdef(RecordRef::new(1, 2), s).unwrap().key;
        let a = key(&sd(link("https://d.org/permalink/v1/1/2/preview/a.jpg?token=x")));
        let a_again = key(&sd(link("https://d.org/permalink/v1/1/2/preview/a.jpg?token=y")));
        let b = key(&sd(link("https://d.org/permalink/v1/1/2/preview/b.jpg?token=x")));
        assert_eq!(a, a_again, "the token of the link is not part of the version");
        assert_ne!(a, b, "another file is another version");
    }

    #[test]
    fn a_huge_url_ttl_neither_overflows_nor_expires_everything() {
        let sd = Subdef {
            name: "preview".into(),
            url: Some("https://dam.example.org/medias/x".into()),
            url_ttl: Some(i64::MAX),
            ..Default::default()
        };
        let src = MediaSource::subdef(RecordRef::new(1, 2), &sd).unwrap();
        let at = src.expires_at.unwrap();
        assert!(at > unix_now() && at <= unix_now() + 7 * 86_400, "{at}");
    }
}
