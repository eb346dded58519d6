//! A partially filled file: which byte ranges are present, and positional reads and writes of a private
//! file in the cache's `tmp/` (see `stream`).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::error::{Error, Result};

/// Byte ranges present, sorted, disjoint and never adjacent (half-open).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Ranges(Vec<(u64, u64)>);

impl Ranges {
    /// Adds `start..end`; returns how many of those bytes were not present before.
    pub fn insert(&mut self, start: u64, end: u64) -> u64 {
        if start >= end {
            return 0;
        }
        // The runs touching `start..end` (adjacent ones included) merge into one.
        let first = self.0.partition_point(|&(_, e)| e < start);
        let last = self.0.partition_point(|&(s, _)| s <= end);
        let mut merged = (start, end);
        let mut overlap = 0;
        for &(s, e) in &self.0[first..last] {
            overlap += e.min(end).saturating_sub(s.max(start));
            merged = (merged.0.min(s), merged.1.max(e));
        }
        self.0.splice(first..last, [merged]);
        (end - start) - overlap
    }

    /// The end of the present run holding byte `at`, or None when `at` is missing.
    pub fn run_end(&self, at: u64) -> Option<u64> {
        let i = self.0.partition_point(|&(_, e)| e <= at);
        self.0.get(i).filter(|&&(s, _)| s <= at).map(|&(_, e)| e)
    }

    /// The start of the first present run after byte `at` (`at` being missing).
    pub fn next_start(&self, at: u64) -> Option<u64> {
        let i = self.0.partition_point(|&(s, _)| s <= at);
        self.0.get(i).map(|&(s, _)| s)
    }

    /// Bytes present.
    pub fn present(&self) -> u64 {
        self.0.iter().map(|(s, e)| e - s).sum()
    }

    /// Whether every byte of `0..total` is present.
    pub fn is_full(&self, total: u64) -> bool {
        total == 0 || self.0.first() == Some(&(0, total))
    }
}

/// The private file behind a partial media. Reads and writes run off the async threads; `close` waits
/// for those in progress (Windows refuses to rename an open file).
pub(super) struct SparseFile {
    path: PathBuf,
    file: Mutex<Option<Arc<File>>>,
}

impl SparseFile {
    pub fn new(path: PathBuf, file: File) -> SparseFile {
        SparseFile { path, file: Mutex::new(Some(Arc::new(file))) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn handle(&self) -> Result<Arc<File>> {
        let file = self.file.lock().expect("file lock").clone();
        file.ok_or_else(|| Error::Io("the partial media file is closed".into()))
    }

    pub async fn write_at(&self, at: u64, bytes: Bytes) -> Result<()> {
        let file = self.handle()?;
        tokio::task::spawn_blocking(move || write_all_at(&file, &bytes, at))
            .await
            .map_err(|e| Error::Internal(format!("media write task failed: {e}")))??;
        Ok(())
    }

    pub async fn read_at(&self, at: u64, len: usize) -> Result<Vec<u8>> {
        let file = self.handle()?;
        let bytes = tokio::task::spawn_blocking(move || {
            let mut buf = vec![0u8; len];
            read_exact_at(&file, &mut buf, at).map(|_| buf)
        });
        Ok(bytes.await.map_err(|e| Error::Internal(format!("media read task failed: {e}")))??)
    }

    /// Closes and removes the file (a partial never committed).
    pub fn discard(&self) {
        drop(self.file.lock().unwrap_or_else(|p| p.into_inner()).take());
        let _ = std::fs::remove_file(&self.path);
    }

    /// Syncs and closes the file once no read or write holds it; later ones fail.
    pub async fn close(&self) -> Result<()> {
        let Some(mut file) = self.file.lock().expect("file lock").take() else { return Ok(()) };
        let until = Instant::now() + Duration::from_secs(10);
        let file = loop {
            match Arc::try_unwrap(file) {
                Ok(f) => break f,
                Err(_) if Instant::now() > until => {
                    return Err(Error::Io("the partial media file stayed in use".into()))
                }
                Err(shared) => {
                    file = shared;
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
            }
        };
        // On disk before the cache's key points to it (a power cut must not leave a short blob).
        tokio::task::spawn_blocking(move || file.sync_all())
            .await
            .map_err(|e| Error::Internal(format!("media sync task failed: {e}")))??;
        Ok(())
    }
}

#[cfg(unix)]
fn write_all_at(f: &File, buf: &[u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(f, buf, at)
}

#[cfg(unix)]
fn read_exact_at(f: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, at)
}

#[cfg(windows)]
fn write_all_at(f: &File, mut buf: &[u8], mut at: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(f, buf, at)?;
        buf = &buf[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn read_exact_at(f: &File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(f, buf, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_merge_and_count_new_bytes() {
        let mut r = Ranges::default();
        assert_eq!(r.insert(10, 20), 10);
        assert_eq!(r.insert(30, 40), 10);
        assert_eq!(r.insert(15, 35), 10, "only the gap is new");
        assert_eq!(r, Ranges(vec![(10, 40)]));
        assert_eq!(r.insert(40, 50), 10, "adjacent runs merge");
        assert_eq!(r.insert(0, 5), 5);
        assert_eq!(r.insert(12, 13), 0);
        assert_eq!(r, Ranges(vec![(0, 5), (10, 50)]));
        assert_eq!(
            (r.run_end(0), r.run_end(4), r.run_end(5), r.run_end(10), r.run_end(49)),
            (Some(5), Some(5), None, Some(50), Some(50))
        );
        assert_eq!((r.next_start(5), r.next_start(50)), (Some(10), None));
        assert_eq!(r.present(), 45);
        assert!(!r.is_full(50));
        r.insert(0, 60);
        assert!(r.is_full(60) && !r.is_full(61));
        assert_eq!(r.insert(7, 7), 0);
    }

    #[tokio::test]
    async fn positional_io_and_close() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p");
        let f = std::fs::File::options().read(true).write(true).create_new(true).open(&path).unwrap();
        let file = SparseFile::new(path.clone(), f);
        file.write_at(100, Bytes::from_static(b"late")).await.unwrap();
        file.write_at(0, Bytes::from_static(b"early")).await.unwrap();
        assert_eq!(file.read_at(100, 4).await.unwrap(), b"late");
        assert_eq!(file.read_at(1, 3).await.unwrap(), b"arl");
        file.close().await.unwrap();
        assert_eq!(file.read_at(0, 1).await.unwrap_err().code(), "io");
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 104);
    }
}
