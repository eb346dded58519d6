//! The `.part`'s writer: a blocking task hashes (when asked) and writes the chunks the connection hands over, so the
//! sha256 (about 1.4 GB/s with SHA-NI, `make bench` machine) and the file writes run beside the socket
//! reads instead of between them on the async worker, and each chunk goes to the file as received
//! (no copy into a `BufWriter`, then into `tokio::fs::File`'s own buffer).
//!
//! Memory stays bounded: at most `DEPTH` batches of about `BATCH` bytes wait for the disk. Every exit
//! waits for the task (`finish`, `abandon`), so the `.part` is closed before anyone removes, resumes
//! or renames it (on Windows an open file's name cannot be taken again).

use std::fs::File;
use std::io::Write;

use bytes::Bytes;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::error::{Error, Result};

/// Bytes gathered before a batch is handed to the writer (one wake-up of its thread per batch).
const BATCH: usize = 256 * 1024;
/// Batches waiting for the disk before the download waits too.
const DEPTH: usize = 4;

pub(super) struct PartWriter {
    tx: Option<mpsc::Sender<Vec<Bytes>>>,
    batch: Vec<Bytes>,
    batched: usize,
    task: Option<JoinHandle<std::io::Result<Option<Sha256>>>>,
}

impl PartWriter {
    /// Writes after what `file` holds, hashing what it writes when `hash`; with `rehash`, the bytes
    /// already there are read into the hash first (a resumed `.part`, opened for reading and appending
    /// at offset 0).
    pub fn start(file: File, hash: bool, rehash: bool) -> PartWriter {
        let (tx, mut rx) = mpsc::channel::<Vec<Bytes>>(DEPTH);
        let task = tokio::task::spawn_blocking(move || {
            let mut file = file;
            let mut hasher = hash.then(Sha256::new);
            if let Some(hasher) = hasher.as_mut().filter(|_| rehash) {
                super::hash_all(&mut file, hasher)?;
            }
            while let Some(batch) = rx.blocking_recv() {
                for chunk in batch {
                    if let Some(hasher) = hasher.as_mut() {
                        hasher.update(&chunk);
                    }
                    file.write_all(&chunk)?;
                }
            }
            Ok(hasher)
        });
        PartWriter { tx: Some(tx), batch: Vec::new(), batched: 0, task: Some(task) }
    }

    pub async fn write(&mut self, chunk: Bytes) -> Result<()> {
        self.batched += chunk.len();
        self.batch.push(chunk);
        if self.batched >= BATCH {
            self.send().await?;
        }
        Ok(())
    }

    async fn send(&mut self) -> Result<()> {
        let batch = std::mem::take(&mut self.batch);
        self.batched = 0;
        let Some(tx) = self.tx.as_ref().filter(|_| !batch.is_empty()) else { return Ok(()) };
        if tx.send(batch).await.is_err() {
            // The writer stopped on an error: it says which.
            return Err(self
                .stop()
                .await
                .err()
                .unwrap_or_else(|| Error::Io("the download's writer stopped".into())));
        }
        Ok(())
    }

    /// Writes what is left, closes the file and returns the hash of all its bytes (when hashing).
    pub async fn finish(mut self) -> Result<Option<Sha256>> {
        self.send().await?;
        self.stop().await
    }

    /// Writes what was received (a cut transfer resumes after it) and closes the file; no hash.
    pub async fn abandon(self) {
        if let Err(e) = self.finish().await {
            tracing::debug!("the download's last bytes were not written: {}", e.code());
        }
    }

    async fn stop(&mut self) -> Result<Option<Sha256>> {
        self.tx = None;
        let Some(task) = self.task.take() else {
            return Err(Error::Io("the download's writer stopped".into()));
        };
        match task.await {
            Ok(r) => Ok(r?),
            Err(e) => Err(Error::Io(format!("the download's writer failed: {e}"))),
        }
    }
}
