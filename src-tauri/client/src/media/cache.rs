//! A content-addressed disk cache with a size limit and LRU eviction.
//!
//! Layout: `blobs/<sha256 of the bytes>` hold the content (identical bytes are stored once), and
//! `keys/<sha256 of the key>` map a stable media identity (server, account, record, subdef, version) to
//! a blob, because signed media URLs change on every embed call. Recency is the blob's mtime, touched on
//! use, so the order survives restarts without an index file to rewrite.
//!
//! Bounds: bytes being written (`tmp/`) count against the limit as well as stored ones; an item larger
//! than a quarter of the limit is kept aside in `stream/` (the last few only, never evicting the rest)
//! instead of being cached; `keys/` is swept of dangling keys and capped. Blobs are synced before they
//! are renamed into place and `get` checks their size, so a power cut cannot serve a truncated file.
//! Folders are 0700 and files 0600 (`files`).

mod files;
mod pins;
mod range;
#[cfg(test)]
mod tests;
mod writer;

use std::collections::{HashMap, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Error, Result};
use files::{is_hash_name, private_dir, random_name};
pub use pins::Pinned;
pub use range::{parse_range, read_range, RangeData};
pub use writer::CacheWriter;

/// The blob name (hex sha256) and size of a file (blocking).
pub(crate) fn hash_file(path: &Path) -> Result<(String, u64)> {
    use std::io::Read;
    let mut f = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// A media file present in the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CachedMedia {
    /// The identity it was stored under.
    pub key: String,
    /// Absolute path of the bytes (read-only: it may be shared by several keys).
    pub path: String,
    pub mime: Option<String>,
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
    /// Bytes written by writers not committed yet.
    inflight: u64,
    /// Key files on disk.
    keys: usize,
    /// Media too large to cache, newest last (`stream/`).
    streamed: VecDeque<CachedMedia>,
    /// Media kept on purpose: never evicted (`pins`).
    pins: pins::Pins,
}

/// How many too-large media stay readable (the one playing, and the one before).
const STREAMED_SLOTS: usize = 2;

/// Blobs up to this size are not synced when stored: their content is checked against their name (the
/// sha256 of the bytes) each time they are read instead, which costs microseconds, where a sync per
/// thumbnail made the cache 8× slower than the network (`make bench`). Larger ones are synced.
pub(crate) const VERIFIED_MAX: u64 = 256 * 1024;

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
        private_dir(&dir)?;
        for sub in ["blobs", "keys", "tmp", "stream"] {
            private_dir(&dir.join(sub))?;
        }
        // Leftovers of interrupted writes, and media streamed by an earlier run.
        for sub in ["tmp", "stream"] {
            for e in fs::read_dir(dir.join(sub))?.flatten() {
                let _ = fs::remove_file(e.path());
            }
        }
        let mut state = State { pins: pins::Pins::load(&dir), ..State::default() };
        for e in fs::read_dir(dir.join("blobs"))?.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            match e.metadata() {
                Ok(meta) if is_hash_name(&name) && meta.is_file() => {
                    let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                    state.total += meta.len();
                    state.blobs.insert(name, Entry { size: meta.len(), used });
                }
                _ => drop(fs::remove_file(e.path())),
            }
        }
        let cache = DiskCache { dir, limit, state: Mutex::new(state) };
        cache.sweep_keys(0);
        cache.evict(&mut cache.lock(), None);
        Ok(cache)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Bytes currently stored.
    pub fn size(&self) -> u64 {
        self.lock().total
    }

    /// The largest item that is cached; larger ones are streamed aside and never evict the rest.
    pub fn item_limit(&self) -> u64 {
        self.limit / 4
    }

    /// Most key files kept (several keys may share a blob, each costs a disk block).
    pub fn max_keys(&self) -> usize {
        (self.limit / (32 * 1024)).max(64) as usize
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("cache lock")
    }

    fn key_path(&self, key: &str) -> PathBuf {
        self.dir.join("keys").join(hex_sha(key.as_bytes()))
    }

    fn blob_path(&self, blob: &str) -> PathBuf {
        self.dir.join("blobs").join(blob)
    }

    /// The cached media for `key`, if present and whole (and marks it recently used).
    pub fn get(&self, key: &str) -> Option<CachedMedia> {
        if let Some(m) = self.lock().streamed.iter().find(|m| m.key == key) {
            return Some(m.clone());
        }
        let kp = self.key_path(key);
        let kf: KeyFile = serde_json::from_slice(&fs::read(&kp).ok()?).ok()?;
        if !is_hash_name(&kf.blob) {
            let _ = fs::remove_file(&kp);
            return None;
        }
        let path = self.blob_path(&kf.blob);
        let now = SystemTime::now();
        let len = fs::File::options().write(true).open(&path).and_then(|f| {
            f.set_modified(now)?;
            Ok(f.metadata()?.len())
        });
        // Small blobs were not synced: their bytes must still hash to their name.
        let intact = |len: u64| {
            len == kf.size && (len > VERIFIED_MAX || hash_file(&path).is_ok_and(|(h, _)| h == kf.blob))
        };
        match len {
            Ok(len) if intact(len) => {}
            Ok(_) => {
                // Cut short (a power loss before the sync) or changed: never serve it.
                let _ = fs::remove_file(&kp);
                let _ = fs::remove_file(&path);
                let mut st = self.lock();
                st.keys = st.keys.saturating_sub(1);
                if let Some(e) = st.blobs.remove(&kf.blob) {
                    st.total = st.total.saturating_sub(e.size);
                }
                return None;
            }
            Err(_) => {
                // Evicted blob: the key is dangling.
                let _ = fs::remove_file(&kp);
                let mut st = self.lock();
                st.keys = st.keys.saturating_sub(1);
                return None;
            }
        }
        if let Some(e) = self.lock().blobs.get_mut(&kf.blob) {
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

    /// A writer for new content under `key`, refusing more than `max` bytes; `commit` it once every
    /// byte is written.
    pub async fn writer(&self, key: &str, mime: Option<String>, max: u64) -> Result<CacheWriter<'_>> {
        let tmp = self.dir.join("tmp").join(random_name());
        let file = files::create_private(&tmp).await?;
        Ok(CacheWriter::new(self, key, mime, max, tmp, file))
    }

    /// A new private file in `tmp/`, readable and writable, for a media filled in pieces (`stream`);
    /// removed at the next open if left behind.
    pub(crate) fn tmp_file(&self) -> Result<(PathBuf, fs::File)> {
        let path = self.dir.join("tmp").join(random_name());
        let mut opts = fs::OpenOptions::new();
        opts.read(true).write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let file = opts.open(&path)?;
        Ok((path, file))
    }

    /// Stores a whole buffer (small media, tests).
    pub async fn put(&self, key: &str, mime: Option<String>, bytes: &[u8]) -> Result<CachedMedia> {
        let mut w = self.writer(key, mime, u64::MAX).await?;
        w.write(bytes).await?;
        w.commit().await
    }

    /// Counts `n` more bytes in flight, evicting stored media to keep the whole under the limit.
    pub(super) fn add_inflight(&self, n: u64) {
        let mut st = self.lock();
        st.inflight += n;
        self.evict(&mut st, None);
    }

    pub(super) fn release_inflight(&self, n: u64) {
        let mut st = self.lock();
        st.inflight = st.inflight.saturating_sub(n);
    }

    pub(super) fn commit_blob(
        &self,
        key: &str,
        mime: Option<String>,
        tmp: &Path,
        blob: String,
        size: u64,
    ) -> Result<CachedMedia> {
        if size > self.item_limit() {
            return self.commit_streamed(key, mime, tmp, blob, size);
        }
        let path = self.blob_path(&blob);
        fs::rename(tmp, &path)?;
        let kf = KeyFile { blob: blob.clone(), mime: mime.clone(), size };
        let kp = self.key_path(key);
        let fresh = !kp.exists();
        let json = serde_json::to_vec(&kf).map_err(|e| Error::Io(e.to_string()))?;
        files::write_replace(&self.dir.join("tmp").join(random_name()), &kp, &json)?;
        let keys = {
            let mut st = self.lock();
            let now = SystemTime::now();
            match st.blobs.insert(blob.clone(), Entry { size, used: now }) {
                Some(old) => st.total = st.total - old.size + size,
                None => st.total += size,
            }
            st.keys += usize::from(fresh);
            self.evict(&mut st, Some(&blob));
            st.keys
        };
        if keys > self.max_keys() {
            self.sweep_keys(self.max_keys() - self.max_keys() / 10);
        }
        Ok(CachedMedia {
            key: key.to_string(),
            path: path.to_string_lossy().into_owned(),
            mime,
            size,
            sha256: blob,
        })
    }

    /// Keeps a too-large media aside in `stream/` (outside the limit, so it evicts nothing); only the
    /// last `STREAMED_SLOTS` stay.
    fn commit_streamed(
        &self,
        key: &str,
        mime: Option<String>,
        tmp: &Path,
        blob: String,
        size: u64,
    ) -> Result<CachedMedia> {
        let path = self.dir.join("stream").join(random_name());
        fs::rename(tmp, &path)?;
        let media = CachedMedia {
            key: key.to_string(),
            path: path.to_string_lossy().into_owned(),
            mime,
            size,
            sha256: blob,
        };
        let mut st = self.lock();
        if let Some(i) = st.streamed.iter().position(|m| m.key == key) {
            let _ = st.streamed.remove(i).map(|old| fs::remove_file(old.path));
        }
        st.streamed.push_back(media.clone());
        while st.streamed.len() > STREAMED_SLOTS {
            if let Some(old) = st.streamed.pop_front() {
                let _ = fs::remove_file(&old.path);
            }
        }
        Ok(media)
    }

    /// Past the limit (stored plus in-flight bytes), removes least recently used blobs down to 90%.
    fn evict(&self, st: &mut State, keep: Option<&str>) {
        if st.total + st.inflight <= self.limit {
            return;
        }
        let target = self.limit - self.limit / 10;
        let pinned = st.pins.blobs();
        let mut order: Vec<(SystemTime, String, u64)> = st
            .blobs
            .iter()
            .filter(|(k, _)| !pinned.contains(*k))
            .map(|(k, e)| (e.used, k.clone(), e.size))
            .collect();
        order.sort();
        for (_, blob, size) in order {
            if st.total + st.inflight <= target {
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

    /// Removes key files that are leftovers or point to no blob, then the oldest ones above `cap`
    /// (0: no cap). A key removed while still useful only costs a refetch.
    fn sweep_keys(&self, cap: usize) {
        let Ok(dir) = fs::read_dir(self.dir.join("keys")) else { return };
        let pinned = self.lock().pins.key_files();
        let mut live: Vec<(SystemTime, PathBuf)> = Vec::new();
        for e in dir.flatten() {
            let p = e.path();
            let blob_ok = is_hash_name(&e.file_name().to_string_lossy())
                && fs::read(&p)
                    .ok()
                    .and_then(|b| serde_json::from_slice::<KeyFile>(&b).ok())
                    .is_some_and(|kf| is_hash_name(&kf.blob) && self.blob_path(&kf.blob).exists());
            match (blob_ok, e.metadata()) {
                (true, Ok(_)) if pinned.contains(e.file_name().to_string_lossy().as_ref()) => {}
                (true, Ok(meta)) => live.push((meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), p)),
                _ => drop(fs::remove_file(&p)),
            }
        }
        if cap > 0 && live.len() > cap {
            live.sort();
            let extra = live.len() - cap;
            for (_, p) in live.drain(..extra) {
                let _ = fs::remove_file(p);
            }
        }
        self.lock().keys = live.len() + pinned.len();
    }
}
