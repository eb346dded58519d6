//! Streaming new content into the cache: hashed on the way, capped, counted in flight, synced.

use std::fs;
use std::path::PathBuf;

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::{CachedMedia, DiskCache};
use crate::error::{Error, Result};

/// Streams new content into the cache while hashing it.
pub struct CacheWriter<'a> {
    cache: &'a DiskCache,
    key: String,
    mime: Option<String>,
    max: u64,
    tmp: PathBuf,
    file: Option<tokio::io::BufWriter<tokio::fs::File>>,
    hasher: Sha256,
    size: u64,
    /// Bytes of this writer counted in flight (those of an item that will be cached).
    counted: u64,
}

impl<'a> CacheWriter<'a> {
    pub(super) fn new(
        cache: &'a DiskCache,
        key: &str,
        mime: Option<String>,
        max: u64,
        tmp: PathBuf,
        file: tokio::fs::File,
    ) -> CacheWriter<'a> {
        CacheWriter {
            cache,
            key: key.to_string(),
            mime,
            max,
            tmp,
            file: Some(tokio::io::BufWriter::with_capacity(128 * 1024, file)),
            hasher: Sha256::new(),
            size: 0,
            counted: 0,
        }
    }

    pub async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        let n = chunk.len() as u64;
        if self.size + n > self.max {
            return Err(Error::TooLarge { limit: self.max });
        }
        self.size += n;
        if self.size <= self.cache.item_limit() {
            self.cache.add_inflight(n);
            self.counted += n;
        } else if self.counted > 0 {
            // Too large to cache: it will be streamed aside, outside the cache's budget.
            self.cache.release_inflight(std::mem::take(&mut self.counted));
        }
        self.hasher.update(chunk);
        self.file.as_mut().expect("open until commit").write_all(chunk).await?;
        Ok(())
    }

    pub async fn commit(mut self) -> Result<CachedMedia> {
        let mut file = self.file.take().expect("open until commit");
        file.flush().await?;
        let file = file.into_inner();
        // On disk before the key points to it: a power cut must not leave a key to a short blob. Small
        // ones are checked when read instead (`VERIFIED_MAX`).
        if self.size > super::VERIFIED_MAX {
            file.sync_all().await?;
        }
        // Closed before the rename (Windows refuses to rename open files).
        drop(file.into_std().await);
        self.cache.release_inflight(std::mem::take(&mut self.counted));
        let blob = hex::encode(std::mem::take(&mut self.hasher).finalize());
        let tmp = std::mem::take(&mut self.tmp);
        let done = self.cache.commit_blob(&self.key, self.mime.take(), &tmp, blob, self.size);
        if done.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        done
    }
}

impl Drop for CacheWriter<'_> {
    fn drop(&mut self) {
        self.cache.release_inflight(self.counted);
        // Not committed (error or cancellation): leave nothing behind.
        if !self.tmp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}
