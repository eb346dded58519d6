//! A content-addressed disk cache with a size limit and LRU eviction.
//!
//! Layout: `blobs/<sha256 of the bytes>` hold the content (identical bytes are stored once), and
//! `keys/<sha256 of the key>` map a stable media identity (server, record, subdef, version) to a blob,
//! because signed media URLs change on every embed call. Recency is the blob's mtime, touched on use,
//! so the order survives restarts without an index file to rewrite.

use std::collections::HashMap;
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::profile::write_atomic;

/// A media file present in the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CachedMedia {
    /// The identity it was stored under.
    pub key: String,
    /// Absolute path of the bytes (read-only: it may be shared by several keys).
    pub path: String,
    pub mime: Option<String>,
    #[ts(type = "number")]
    pub size: u64,
    /// sha256 of the bytes (hex).
    pub sha256: String,
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    blob: String,
    mime: Option<String>,
    size: u64,
}

struct Entry {
    size: u64,
    used: SystemTime,
}

#[derive(Default)]
struct State {
    blobs: HashMap<String, Entry>,
    total: u64,
}

/// The cache. Thread-safe; share it with an `Arc`.
pub struct DiskCache {
    dir: PathBuf,
    limit: u64,
    state: Mutex<State>,
}

impl std::fmt::Debug for DiskCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DiskCache({}, limit {} bytes)", self.dir.display(), self.limit)
    }
}

fn hex_sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl DiskCache {
    /// Opens (or creates) a cache in `dir` holding at most `limit` bytes.
    pub fn open(dir: impl Into<PathBuf>, limit: u64) -> Result<DiskCache> {
        let dir = dir.into();
        for sub in ["blobs", "keys", "tmp"] {
            fs::create_dir_all(dir.join(sub))?;
        }
        // Leftovers of an interrupted write.
        for e in fs::read_dir(dir.join("tmp"))?.flatten() {
            let _ = fs::remove_file(e.path());
        }
        let mut state = State::default();
        for e in fs::read_dir(dir.join("blobs"))?.flatten() {
            if let Ok(meta) = e.metadata() {
                let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                state.total += meta.len();
                state
                    .blobs
                    .insert(e.file_name().to_string_lossy().into_owned(), Entry { size: meta.len(), used });
            }
        }
        let cache = DiskCache { dir, limit, state: Mutex::new(state) };
        cache.evict(None);
        Ok(cache)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Bytes currently stored.
    pub fn size(&self) -> u64 {
        self.state.lock().expect("cache lock").total
    }

    fn key_path(&self, key: &str) -> PathBuf {
        self.dir.join("keys").join(hex_sha(key.as_bytes()))
    }

    fn blob_path(&self, blob: &str) -> PathBuf {
        self.dir.join("blobs").join(blob)
    }

    /// The cached media for `key`, if present (and marks it recently used).
    pub fn get(&self, key: &str) -> Option<CachedMedia> {
        let kp = self.key_path(key);
        let kf: KeyFile = serde_json::from_slice(&fs::read(&kp).ok()?).ok()?;
        if kf.blob.len() != 64 || !kf.blob.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let path = self.blob_path(&kf.blob);
        let now = SystemTime::now();
        let touched = fs::File::options().write(true).open(&path).and_then(|f| f.set_modified(now));
        if touched.is_err() {
            // Evicted blob: the key is dangling.
            let _ = fs::remove_file(&kp);
            return None;
        }
        if let Some(e) = self.state.lock().expect("cache lock").blobs.get_mut(&kf.blob) {
            e.used = now;
        }
        Some(CachedMedia {
            key: key.to_string(),
            path: path.to_string_lossy().into_owned(),
            mime: kf.mime,
            size: kf.size,
            sha256: kf.blob,
        })
    }

    /// A writer for new content under `key`; `commit` it once every byte is written.
    pub async fn writer(&self, key: &str, mime: Option<String>) -> Result<CacheWriter<'_>> {
        let mut rnd = [0u8; 8];
        let _ = getrandom::getrandom(&mut rnd);
        let tmp = self.dir.join("tmp").join(hex::encode(rnd));
        let file = tokio::fs::File::create(&tmp).await?;
        Ok(CacheWriter {
            cache: self,
            key: key.to_string(),
            mime,
            tmp,
            file: Some(tokio::io::BufWriter::with_capacity(128 * 1024, file)),
            hasher: Sha256::new(),
            size: 0,
        })
    }

    /// Stores a whole buffer (small media, tests).
    pub async fn put(&self, key: &str, mime: Option<String>, bytes: &[u8]) -> Result<CachedMedia> {
        let mut w = self.writer(key, mime).await?;
        w.write(bytes).await?;
        w.commit().await
    }

    fn commit_blob(
        &self,
        key: &str,
        mime: Option<String>,
        tmp: &Path,
        blob: String,
        size: u64,
    ) -> Result<CachedMedia> {
        let path = self.blob_path(&blob);
        fs::rename(tmp, &path)?;
        let kf = KeyFile { blob: blob.clone(), mime: mime.clone(), size };
        write_atomic(&self.key_path(key), &serde_json::to_vec(&kf).map_err(|e| Error::Io(e.to_string()))?)?;
        {
            let mut st = self.state.lock().expect("cache lock");
            let now = SystemTime::now();
            match st.blobs.insert(blob.clone(), Entry { size, used: now }) {
                Some(old) => st.total = st.total - old.size + size,
                None => st.total += size,
            }
        }
        self.evict(Some(&blob));
        Ok(CachedMedia {
            key: key.to_string(),
            path: path.to_string_lossy().into_owned(),
            mime,
            size,
            sha256: blob,
        })
    }

    /// Removes least recently used blobs until the cache is under 90% of its limit.
    fn evict(&self, keep: Option<&str>) {
        let mut st = self.state.lock().expect("cache lock");
        if st.total <= self.limit {
            return;
        }
        let target = self.limit - self.limit / 10;
        let mut order: Vec<(SystemTime, String, u64)> =
            st.blobs.iter().map(|(k, e)| (e.used, k.clone(), e.size)).collect();
        order.sort();
        for (_, blob, size) in order {
            if st.total <= target {
                break;
            }
            if Some(blob.as_str()) == keep {
                continue;
            }
            if fs::remove_file(self.blob_path(&blob)).is_ok() || !self.blob_path(&blob).exists() {
                st.blobs.remove(&blob);
                st.total = st.total.saturating_sub(size);
            }
        }
    }
}

/// Streams new content into the cache while hashing it.
pub struct CacheWriter<'a> {
    cache: &'a DiskCache,
    key: String,
    mime: Option<String>,
    tmp: PathBuf,
    file: Option<tokio::io::BufWriter<tokio::fs::File>>,
    hasher: Sha256,
    size: u64,
}

impl CacheWriter<'_> {
    pub async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        self.hasher.update(chunk);
        self.size += chunk.len() as u64;
        self.file.as_mut().expect("open until commit").write_all(chunk).await?;
        Ok(())
    }

    pub async fn commit(mut self) -> Result<CachedMedia> {
        let mut file = self.file.take().expect("open until commit");
        file.flush().await?;
        // Closed before the rename (Windows refuses to rename open files).
        drop(file.into_inner().into_std().await);
        let blob = hex::encode(std::mem::take(&mut self.hasher).finalize());
        let tmp = std::mem::take(&mut self.tmp);
        self.cache.commit_blob(&self.key, self.mime.take(), &tmp, blob, self.size)
    }
}

impl Drop for CacheWriter<'_> {
    fn drop(&mut self) {
        // Not committed (error or cancellation): leave nothing behind.
        if !self.tmp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// A byte range of a cached file, for HTTP `Range` answers (audio/video seeking).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeData {
    pub start: u64,
    /// Inclusive.
    pub end: u64,
    pub total: u64,
    pub bytes: Vec<u8>,
}

impl RangeData {
    /// The `Content-Range` header value.
    pub fn content_range(&self) -> String {
        format!("bytes {}-{}/{}", self.start, self.end, self.total)
    }
}

/// Parses a `Range: bytes=…` header against a size: `bytes=a-b`, `bytes=a-`, `bytes=-n`. Multi-ranges
/// use the first range. `None` when unsatisfiable or malformed (answer 416, or the whole file).
pub fn parse_range(header: &str, total: u64) -> Option<(u64, u64)> {
    let spec = header.trim().strip_prefix("bytes=")?.split(',').next()?.trim();
    let (a, b) = spec.split_once('-')?;
    if total == 0 {
        return None;
    }
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            if n == 0 {
                return None;
            }
            (total.saturating_sub(n), total - 1)
        }
        (s, "") => (s.parse().ok()?, total - 1),
        (s, e) => (s.parse().ok()?, e.parse::<u64>().ok()?.min(total - 1)),
    };
    (start <= end && start < total).then_some((start, end))
}

/// Reads `start..=end` of a cached file, capped at `max_len` bytes (players ask for open ranges).
pub fn read_range(media: &CachedMedia, start: u64, end: u64, max_len: u64) -> Result<RangeData> {
    let mut f = fs::File::open(&media.path)?;
    let total = f.metadata()?.len();
    if start >= total {
        return Err(Error::BadRequest(format!("range starts past the end ({total} bytes)")));
    }
    let end = end.min(total - 1).min(start + max_len.max(1) - 1);
    f.seek(SeekFrom::Start(start))?;
    let mut bytes = vec![0u8; (end - start + 1) as usize];
    f.read_exact(&mut bytes)?;
    Ok(RangeData { start, end, total, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_by_content_and_finds_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::open(dir.path(), 1 << 20).unwrap();
        let a = cache.put("k1", Some("image/jpeg".into()), b"hello").await.unwrap();
        let b = cache.put("k2", None, b"hello").await.unwrap();
        assert_eq!(a.path, b.path, "same bytes, one blob");
        assert_eq!(cache.size(), 5);
        let got = cache.get("k1").unwrap();
        assert_eq!(got.mime.as_deref(), Some("image/jpeg"));
        assert_eq!(fs::read(&got.path).unwrap(), b"hello");
        assert!(cache.get("nope").is_none());
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    }

    #[tokio::test]
    async fn evicts_least_recently_used() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::open(dir.path(), 25).unwrap();
        cache.put("a", None, &[1u8; 10]).await.unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        cache.put("b", None, &[2u8; 10]).await.unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(cache.get("a").is_some()); // a is now more recent than b
        std::thread::sleep(std::time::Duration::from_millis(20));
        cache.put("c", None, &[3u8; 10]).await.unwrap();
        assert!(cache.size() <= 25);
        assert!(cache.get("b").is_none(), "b was the least recently used");
        assert!(cache.get("a").is_some());
        assert!(cache.get("c").is_some());
        // Reopening counts what is on disk.
        drop(cache);
        let cache = DiskCache::open(dir.path(), 25).unwrap();
        assert_eq!(cache.size(), 20);
    }

    #[tokio::test]
    async fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), Some((0, 9)));
        assert_eq!(parse_range("bytes=90-", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=50-500", 100), Some((50, 99)));
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Some((0, 1)));
        assert_eq!(parse_range("bytes=100-", 100), None);
        assert_eq!(parse_range("bytes=9-1", 100), None);
        assert_eq!(parse_range("items=0-1", 100), None);
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::open(dir.path(), 1 << 20).unwrap();
        let m = cache.put("k", None, b"0123456789").await.unwrap();
        let r = read_range(&m, 2, 5, 1 << 20).unwrap();
        assert_eq!(r.bytes, b"2345");
        assert_eq!(r.content_range(), "bytes 2-5/10");
        let r = read_range(&m, 8, u64::MAX, 1 << 20).unwrap();
        assert_eq!(r.bytes, b"89");
        assert!(read_range(&m, 10, 12, 10).is_err());
    }

    #[tokio::test]
    async fn dropped_writer_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::open(dir.path(), 1 << 20).unwrap();
        let mut w = cache.writer("k", None).await.unwrap();
        w.write(b"partial").await.unwrap();
        drop(w);
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
        assert!(cache.get("k").is_none());
    }
}
