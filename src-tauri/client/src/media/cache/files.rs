//! Private files of the cache: folders 0700 and files 0600 on Unix (other local users must not read
//! cached media nor learn which records were viewed), atomic writes that leave no temp file behind.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::error::Result;

/// Creates `dir` (and missing parents) as 0700, and tightens it when it already exists.
pub(super) fn private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// A new 0600 file at `path` (never an existing one).
pub(super) async fn create_private(path: &Path) -> Result<tokio::fs::File> {
    let mut opts = tokio::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    opts.mode(0o600);
    Ok(opts.open(path).await?)
}

/// Writes `bytes` to `tmp` (0600), syncs and renames it to `path`; `tmp` is removed on any failure.
pub(super) fn write_atomic(tmp: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    write_renamed(tmp, path, bytes, true)
}

/// `write_atomic` without the sync, for files whose loss or damage in a power cut reads as "absent"
/// (a key file that does not parse is a cache miss): one fsync less per cached media.
pub(super) fn write_replace(tmp: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    write_renamed(tmp, path, bytes, false)
}

fn write_renamed(tmp: &Path, path: &Path, bytes: &[u8], sync: bool) -> Result<()> {
    let written = (|| {
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(tmp)?;
        f.write_all(bytes)?;
        if sync {
            f.sync_all()?;
        }
        drop(f);
        fs::rename(tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(tmp);
    }
    Ok(written?)
}

/// A random temp file name.
pub(super) fn random_name() -> String {
    let mut rnd = [0u8; 8];
    let _ = getrandom::getrandom(&mut rnd);
    hex::encode(rnd)
}

/// A hex sha256 name (blobs and keys); anything else in those folders is a leftover.
pub(super) fn is_hash_name(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
}
