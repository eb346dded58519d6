//! The cache's bounds and integrity on a temp folder.

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
    let cache = DiskCache::open(dir.path(), 100).unwrap();
    for k in ["a", "b", "c", "d"] {
        cache.put(k, None, &[k.as_bytes()[0]; 25]).await.unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(cache.get("a").is_some()); // a is now more recent than b
    std::thread::sleep(std::time::Duration::from_millis(20));
    cache.put("e", None, &[5u8; 25]).await.unwrap();
    assert!(cache.size() <= 90, "down to 90% of the limit");
    assert!(cache.get("b").is_none(), "b was the least recently used");
    assert!(cache.get("c").is_none());
    assert!(cache.get("a").is_some());
    assert!(cache.get("e").is_some());
    // Reopening counts what is on disk.
    drop(cache);
    let cache = DiskCache::open(dir.path(), 100).unwrap();
    assert_eq!(cache.size(), 75);
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
    let mut w = cache.writer("k", None, u64::MAX).await.unwrap();
    w.write(b"partial").await.unwrap();
    drop(w);
    assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    assert!(cache.get("k").is_none());
}

#[cfg(unix)]
#[tokio::test]
async fn folders_are_0700_and_files_0600() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // An existing folder of an older version (0755) is tightened.
    let old = root.path().join("old");
    fs::create_dir_all(old.join("blobs")).unwrap();
    fs::set_permissions(old.join("blobs"), fs::Permissions::from_mode(0o755)).unwrap();
    DiskCache::open(&old, 1 << 20).unwrap();
    assert_eq!(mode(&old.join("blobs")), 0o700);
    // A new one is created private, the missing parents included.
    let dir = root.path().join("phraseanet-desktop").join("media");
    let cache = DiskCache::open(&dir, 1 << 20).unwrap();
    let m = cache.put("k", None, b"secret preview").await.unwrap();
    for d in [root.path().join("phraseanet-desktop"), dir.clone(), dir.join("blobs"), dir.join("keys")] {
        assert_eq!(mode(&d), 0o700, "{d:?}");
    }
    assert_eq!(mode(Path::new(&m.path)), 0o600);
    let key = fs::read_dir(dir.join("keys")).unwrap().next().unwrap().unwrap().path();
    assert_eq!(mode(&key), 0o600);
}

#[tokio::test]
async fn a_blob_of_the_wrong_size_is_never_served() {
    let dir = tempfile::tempdir().unwrap();
    let cache = DiskCache::open(dir.path(), 1 << 20).unwrap();
    let m = cache.put("k", None, b"0123456789").await.unwrap();
    // What a power cut before the data reached the disk leaves.
    fs::write(&m.path, b"01234").unwrap();
    assert!(cache.get("k").is_none());
    assert!(!Path::new(&m.path).exists());
    assert_eq!(cache.size(), 0);
}

#[tokio::test]
async fn bytes_being_written_count_against_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let cache = DiskCache::open(dir.path(), 1000).unwrap();
    for k in ["a", "b", "c", "d"] {
        cache.put(k, None, &[k.as_bytes()[0]; 200]).await.unwrap();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(cache.size(), 800);
    let mut w = cache.writer("e", None, u64::MAX).await.unwrap();
    w.write(&[9u8; 250]).await.unwrap();
    assert!(cache.size() + 250 <= 1000, "stored {} + 250 in flight", cache.size());
    assert!(cache.get("a").is_none(), "the least recently used made room");
    drop(w);
    assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    // A writer refuses more than its cap.
    let mut w = cache.writer("f", None, 10).await.unwrap();
    assert_eq!(w.write(&[0u8; 11]).await.unwrap_err().code(), "too-large");
}

#[tokio::test]
async fn items_over_a_quarter_of_the_limit_are_streamed_not_cached() {
    let dir = tempfile::tempdir().unwrap();
    let cache = DiskCache::open(dir.path(), 1000).unwrap();
    for k in ["a", "b", "c", "d"] {
        cache.put(k, None, &[k.as_bytes()[0]; 200]).await.unwrap();
    }
    let big = cache.put("big", None, &[1u8; 600]).await.unwrap();
    assert!(big.path.contains("stream"), "{}", big.path);
    assert_eq!(cache.size(), 800, "nothing evicted for it");
    assert!(["a", "b", "c", "d"].iter().all(|k| cache.get(k).is_some()));
    assert_eq!(cache.get("big").unwrap().path, big.path, "still readable while it plays");
    cache.put("big2", None, &[2u8; 600]).await.unwrap();
    cache.put("big3", None, &[3u8; 600]).await.unwrap();
    assert!(cache.get("big").is_none() && !Path::new(&big.path).exists(), "only the last two stay");
    assert!(cache.get("big3").is_some());
    // Not kept across runs.
    drop(cache);
    let cache = DiskCache::open(dir.path(), 1000).unwrap();
    assert!(cache.get("big3").is_none());
    assert_eq!(fs::read_dir(dir.path().join("stream")).unwrap().count(), 0);
}

#[tokio::test]
async fn keys_are_bounded_and_swept() {
    let dir = tempfile::tempdir().unwrap();
    let cache = DiskCache::open(dir.path(), 1 << 20).unwrap();
    let cap = cache.max_keys();
    for i in 0..cap + 20 {
        cache.put(&format!("k{i}"), None, b"same bytes").await.unwrap();
    }
    let keys = || fs::read_dir(dir.path().join("keys")).unwrap().count();
    assert!(keys() <= cap, "{} keys for a cap of {cap}", keys());
    assert!(cache.get(&format!("k{}", cap + 19)).is_some(), "the newest stay");
    // Dangling keys and temp leftovers go at open.
    let m = cache.get(&format!("k{}", cap + 19)).unwrap();
    drop(cache);
    fs::remove_file(&m.path).unwrap();
    fs::write(dir.path().join("keys").join(".abc.tmp"), b"x").unwrap();
    let _cache = DiskCache::open(dir.path(), 1 << 20).unwrap();
    assert_eq!(keys(), 0);
}

#[test]
fn a_failed_atomic_write_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("t");
    let err = files::write_atomic(&tmp, &dir.path().join("missing").join("k"), b"x");
    assert!(err.is_err());
    assert!(!tmp.exists());
}

#[tokio::test]
async fn pinned_media_are_never_evicted_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let cache = DiskCache::open(dir.path(), 100).unwrap();
    cache.put("kept", None, &[1u8; 25]).await.unwrap();
    assert!(cache.pin("basket 7", "kept").unwrap());
    assert!(!cache.pin("basket 7", "absent").unwrap(), "only what is cached");
    for (i, k) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
        std::thread::sleep(std::time::Duration::from_millis(15));
        cache.put(k, None, &[10 + i as u8; 25]).await.unwrap();
    }
    assert!(cache.get("kept").is_some(), "the oldest, but pinned");
    assert!(cache.get("a").is_none(), "the LRU went instead");
    assert_eq!(cache.pinned("basket 7"), Pinned { files: 1, bytes: 25 });

    drop(cache);
    let cache = DiskCache::open(dir.path(), 100).unwrap();
    assert_eq!(cache.pinned("basket 7").files, 1, "pins are on disk");
    cache.unpin("basket 7").unwrap();
    assert_eq!(cache.pinned("basket 7"), Pinned::default());
    for k in ["g", "h", "i", "j"] {
        std::thread::sleep(std::time::Duration::from_millis(15));
        cache.put(k, None, &[k.as_bytes()[0]; 25]).await.unwrap();
    }
    assert!(cache.get("kept").is_none(), "unpinned: back in the LRU order");
}

#[tokio::test]
async fn a_damaged_pin_file_only_loses_the_pins() {
    let dir = tempfile::tempdir().unwrap();
    let cache = DiskCache::open(dir.path(), 1 << 20).unwrap();
    cache.put("k", None, b"x").await.unwrap();
    drop(cache);
    fs::write(dir.path().join("pins.json"), b"{not json").unwrap();
    let cache = DiskCache::open(dir.path(), 1 << 20).unwrap();
    assert!(cache.get("k").is_some());
    assert_eq!(cache.pinned("any"), Pinned::default());
    assert!(cache.pin("any", "k").unwrap());
}

#[tokio::test]
async fn a_small_blob_damaged_on_disk_is_never_served() {
    let dir = tempfile::tempdir().unwrap();
    let cache = DiskCache::open(dir.path(), 1 << 20).unwrap();
    let m = cache.put("thumb", Some("image/jpeg".into()), b"the thumbnail's bytes").await.unwrap();
    // Same size, other bytes: what an unsynced write can leave after a power cut.
    fs::write(&m.path, b"XXXXXXXXXXXXXXXXXXXXX").unwrap();
    assert!(cache.get("thumb").is_none(), "its bytes no longer hash to its name");
    assert!(!std::path::Path::new(&m.path).exists(), "and it is dropped");
    cache.put("thumb", None, b"fresh").await.unwrap();
    assert_eq!(fs::read(cache.get("thumb").unwrap().path).unwrap(), b"fresh");
}
