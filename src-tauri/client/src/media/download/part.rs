//! The `.part` file of a download and its sidecar `<name>.part.json`.
//!
//! The sidecar binds the bytes to what they are (record, subdef, `updated_on`, `filesize`) and to the
//! validator of the answer they came from (ETag, else Last-Modified), so a later run resumes only the
//! same version, with `If-Range`, and a leftover of another record or version is never spliced. Both
//! files are opened without following symlinks, and a resumed `.part` must be a regular file of ours.
//! Publishing never replaces an existing file: a hard link (atomic, fails on an existing name), or on
//! file systems without hard links a `create_new` placeholder that the rename then replaces.

use std::fs;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::media::filename::{reserve, Reservation};

/// What a `.part` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PartIdentity {
    /// `databox_id/record_id`.
    pub record: String,
    pub subdef: String,
    pub updated_on: Option<String>,
    pub filesize: i64,
}

#[derive(Serialize, Deserialize)]
struct Sidecar {
    identity: PartIdentity,
    validator: String,
}

pub(crate) fn sidecar_path(part: &Path) -> PathBuf {
    let mut s = part.as_os_str().to_owned();
    s.push(".json");
    PathBuf::from(s)
}

/// A regular file (not a symlink) owned by this user and with no other name: in a shared folder a
/// hard link planted as `.part` could point to any of our files.
fn ours(p: &Path) -> bool {
    let Ok(meta) = p.symlink_metadata() else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        if meta.uid() != unsafe { libc::geteuid() } || meta.nlink() != 1 {
            return false;
        }
    }
    meta.file_type().is_file()
}

fn no_follow(opts: &mut fs::OpenOptions) -> &mut fs::OpenOptions {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(opts, libc::O_NOFOLLOW);
    opts
}

/// The validator to resume `part` with, when its sidecar proves it holds `identity`.
pub(crate) fn resumable(part: &Path, identity: &PartIdentity) -> Option<String> {
    let side = sidecar_path(part);
    if !ours(part) || !ours(&side) {
        return None;
    }
    let mut bytes = Vec::new();
    no_follow(fs::OpenOptions::new().read(true))
        .open(&side)
        .ok()?
        .take(16 * 1024)
        .read_to_end(&mut bytes)
        .ok()?;
    let found: Sidecar = serde_json::from_slice(&bytes).ok()?;
    (found.identity == *identity && !found.validator.is_empty()).then_some(found.validator)
}

/// Records what `part` holds (best effort: without it a later run starts over).
pub(crate) fn remember(part: &Path, identity: &PartIdentity, validator: &str) {
    let side = sidecar_path(part);
    let body = serde_json::to_vec(&Sidecar { identity: identity.clone(), validator: validator.to_string() });
    let written = body.map_err(std::io::Error::other).and_then(|body| {
        let _ = fs::remove_file(&side);
        let mut f = no_follow(fs::OpenOptions::new().write(true).create_new(true)).open(&side)?;
        std::io::Write::write_all(&mut f, &body)
    });
    if let Err(e) = written {
        tracing::debug!("cannot write the download's sidecar: {e}");
        let _ = fs::remove_file(&side);
    }
}

/// Removes the `.part` and its sidecar (a link is removed, never its target).
pub(crate) fn discard(part: &Path) {
    let _ = fs::remove_file(part);
    let _ = fs::remove_file(sidecar_path(part));
}

/// A new, empty `.part`: whatever was there is removed first, and `create_new` refuses to follow a
/// symlink planted meanwhile.
pub(crate) async fn create_fresh(part: &Path) -> Result<tokio::fs::File> {
    match tokio::fs::remove_file(part).await {
        Err(e) if e.kind() != ErrorKind::NotFound => return Err(e.into()),
        _ => {}
    }
    Ok(tokio::fs::OpenOptions::new().write(true).create_new(true).open(part).await?)
}

/// The `.part` to append to, refused unless it is a regular file of ours.
pub(crate) async fn open_append(part: &Path) -> Result<tokio::fs::File> {
    let mut opts = tokio::fs::OpenOptions::new();
    opts.read(true).append(true);
    #[cfg(unix)]
    opts.custom_flags(libc::O_NOFOLLOW);
    let f = opts.open(part).await?;
    if !ours(part) {
        return Err(Error::Io("the partial download is not a regular file of this user".into()));
    }
    Ok(f)
}

/// Moves the finished `part` to `res.path`, or to the next free name when that one appeared meanwhile:
/// never over an existing file. `res` ends as the published path's reservation.
pub(crate) fn publish(part: &Path, res: &mut Reservation) -> Result<PathBuf> {
    loop {
        match link_no_clobber(part, &res.path) {
            Ok(()) => {
                let _ = fs::remove_file(sidecar_path(part));
                return Ok(res.path.clone());
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                let dir = res.path.parent().unwrap_or(Path::new(".")).to_path_buf();
                *res = reserve(&dir, &res.wanted.clone(), &|_| false)?;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

fn link_no_clobber(part: &Path, target: &Path) -> std::io::Result<()> {
    match fs::hard_link(part, target) {
        Ok(()) => fs::remove_file(part),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(e),
        // FAT, exFAT and some shares have no hard links.
        Err(_) => claim_and_rename(part, target),
    }
}

/// Claims `target` with `create_new` (fails on anything there, links included), then renames over that
/// placeholder of ours.
fn claim_and_rename(part: &Path, target: &Path) -> std::io::Result<()> {
    fs::OpenOptions::new().write(true).create_new(true).open(target)?;
    fs::rename(part, target).inspect_err(|_| {
        let _ = fs::remove_file(target);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> PartIdentity {
        PartIdentity {
            record: "1/2".into(),
            subdef: "document".into(),
            updated_on: Some("t".into()),
            filesize: 9,
        }
    }

    #[test]
    fn a_part_resumes_only_with_its_own_sidecar() {
        let dir = tempfile::tempdir().unwrap();
        let part = dir.path().join("a.jpg.part");
        fs::write(&part, b"abc").unwrap();
        assert_eq!(resumable(&part, &identity()), None, "no sidecar");
        remember(&part, &identity(), "\"e1\"");
        assert_eq!(resumable(&part, &identity()).as_deref(), Some("\"e1\""));
        let newer = PartIdentity { updated_on: Some("t2".into()), ..identity() };
        assert_eq!(resumable(&part, &newer), None, "another version");
        let other = PartIdentity { record: "1/3".into(), ..identity() };
        assert_eq!(resumable(&part, &other), None, "another record");
        discard(&part);
        assert!(!part.exists() && !sidecar_path(&part).exists());
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn symlinked_parts_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("bashrc");
        fs::write(&victim, b"precious").unwrap();
        let part = dir.path().join("r.pdf.part");
        std::os::unix::fs::symlink(&victim, &part).unwrap();
        remember(&part, &identity(), "\"e\"");
        assert_eq!(resumable(&part, &identity()), None, "a link is not resumed");
        assert!(open_append(&part).await.is_err(), "O_NOFOLLOW refuses the link");
        let mut f = create_fresh(&part).await.unwrap();
        tokio::io::AsyncWriteExt::write_all(&mut f, b"new").await.unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
        assert!(part.symlink_metadata().unwrap().file_type().is_file());
        // A hard link to one of our files is not a .part of ours either.
        drop(f);
        fs::remove_file(&part).unwrap();
        fs::hard_link(&victim, &part).unwrap();
        assert_eq!(resumable(&part, &identity()), None);
        assert!(open_append(&part).await.is_err());
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
    }

    #[test]
    fn publishing_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut res = reserve(d, "f.txt", &|_| false).unwrap();
        let part = d.join("f.txt.part");
        fs::write(&part, b"mine").unwrap();
        // Another writer takes the name between the reservation and the rename.
        fs::write(d.join("f.txt"), b"theirs").unwrap();
        let published = publish(&part, &mut res).unwrap();
        assert_eq!(published, d.join("f (2).txt"));
        assert_eq!(fs::read(d.join("f.txt")).unwrap(), b"theirs");
        assert_eq!(fs::read(&published).unwrap(), b"mine");
        assert!(!part.exists());
        // Without hard links: the placeholder refuses an existing name, link or file.
        fs::write(&part, b"again").unwrap();
        assert_eq!(claim_and_rename(&part, &d.join("f.txt")).unwrap_err().kind(), ErrorKind::AlreadyExists);
        assert_eq!(fs::read(d.join("f.txt")).unwrap(), b"theirs");
        claim_and_rename(&part, &d.join("g.txt")).unwrap();
        assert_eq!(fs::read(d.join("g.txt")).unwrap(), b"again");
    }
}
