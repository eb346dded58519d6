//! The media pipeline against the double: pool + cache, ranges, expired URLs, downloads (checksums,
//! resume, cancellation) and the hostile dataset.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use phraseanet_client::media::{parse_range, CancellationToken};
use phraseanet_client::{
    Api, DiskCache, DownloadNote, DownloadProgress, Media, MediaOptions, MediaSource, Secret,
};
use phraseanet_sim::{Dataset, Faults, SimOptions};
use sha2::{Digest, Sha256};

use crate::common::*;

fn no_progress(_: DownloadProgress) {}

#[tokio::test]
async fn thumbnails_through_the_pool_and_cache() {
    let MediaWorld { sim, f, api, media, cache: _cache, .. } = media_world(sim().await);
    let content = api.basket(f.media_basket_id).await.unwrap();
    let sources: Vec<MediaSource> =
        content.basket_elements.iter().filter_map(|e| MediaSource::thumbnail(&e.record)).collect();
    assert!(!sources.is_empty());
    let fetched = futures_util::future::join_all(sources.iter().map(|s| media.fetch(s))).await;
    for m in &fetched {
        let m = m.as_ref().unwrap();
        assert!(m.size > 0);
        assert!(m.mime.as_deref().unwrap_or("").starts_with("image/"), "{:?}", m.mime);
        assert_eq!(hex::encode(Sha256::digest(std::fs::read(&m.path).unwrap())), m.sha256);
    }
    // Cached: found without the network.
    assert!(media.cached(&sources[0].key).is_some());
    sim.shutdown().await;
    assert!(media.fetch(&sources[0]).await.is_ok(), "served from the cache after the server is gone");
}

#[tokio::test]
async fn ranges_for_players() {
    let MediaWorld { sim, f, api, media, cache: _cache, .. } = media_world(sim().await);
    let r = rr(&f.video_record);
    let embed = api.record_embed(r, None).await.unwrap();
    let sd = embed
        .iter()
        .find(|s| s.name != "document" && s.mime_type.as_deref().unwrap_or("").starts_with("video/"));
    let sd = sd.or_else(|| embed.first()).unwrap();
    let m = media.fetch(&MediaSource::subdef(r, sd).unwrap()).await.unwrap();
    let (start, end) = parse_range("bytes=10-", m.size).unwrap();
    let part = media.read_range(&m, start, end).unwrap();
    let whole = std::fs::read(&m.path).unwrap();
    assert_eq!(part.bytes, whole[10..=(part.end as usize)]);
    assert_eq!(part.total, m.size);
    sim.shutdown().await;
}

#[tokio::test]
async fn expired_signed_url_is_refreshed_from_the_embed() {
    let MediaWorld { sim, f, api, media, cache: _cache, .. } = media_world(sim().await);
    let r = rr(&f.image_record);
    let embed = api.record_embed(r, Some(1)).await.unwrap();
    let sd = embed.iter().find(|s| s.name == "preview").unwrap();
    let source = MediaSource::subdef(r, sd).unwrap();
    assert_eq!(Some(source.url.as_str()), sd.url.as_deref(), "the signed URL, not the permalink");
    assert!(source.expires_at.is_some());
    tokio::time::sleep(Duration::from_millis(2100)).await;
    // Known expiry: the embed is re-read before the transfer.
    let m = media.fetch(&source).await.unwrap();
    assert!(m.size > 0);
    // Unknown expiry: the 403 triggers the refresh (another cache dir, so it is fetched again).
    let cache2 = tempfile::tempdir().unwrap();
    let media2 = Media::new(api.clone(), MediaOptions::in_dir(cache2.path())).unwrap();
    let blind = MediaSource { expires_at: None, ..source.clone() };
    assert!(media2.fetch(&blind).await.unwrap().size > 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn download_record_checks_sha256_and_never_overwrites() {
    let MediaWorld { sim, f, api, media, out, cache: _cache } = media_world(sim().await);
    let r = rr(&f.image_record);
    let rec = api.record(r).await.unwrap();
    let seen = Arc::new(AtomicU64::new(0));
    let s2 = seen.clone();
    let progress = move |p: DownloadProgress| {
        s2.store(p.received, Ordering::SeqCst);
    };
    let cancel = CancellationToken::new();
    let a = media.download_record(r, "document", out.path(), &progress, &cancel).await.unwrap();
    assert_eq!(a.sha256, rec.sha256.clone().map(|s| s.to_lowercase()));
    assert_eq!(seen.load(Ordering::SeqCst), a.size);
    let b = media.download_record(r, "document", out.path(), &no_progress, &cancel).await.unwrap();
    assert_ne!(a.path, b.path, "a second download gets a suffix");
    assert!(b.path.contains(" (2)"));
    let c = media.download_record(r, "preview", out.path(), &no_progress, &cancel).await.unwrap();
    assert!(c.path.contains("_preview"));
    assert_eq!(
        media.download_record(r, "nope", out.path(), &no_progress, &cancel).await.unwrap_err().code(),
        "no-such-subdef"
    );
    assert!(files_under(out.path()).iter().all(|p| !p.to_string_lossy().ends_with(".part")));
    sim.shutdown().await;
}

#[tokio::test]
async fn download_basket_skips_stories() {
    let MediaWorld { sim, f, media, out, cache: _cache, .. } = media_world(sim().await);
    let results = media
        .download_basket(f.media_basket_id, "document", out.path(), &no_progress, &CancellationToken::new())
        .await
        .unwrap();
    assert!(!results.is_empty());
    let ok = results.iter().filter(|o| o.file.is_some()).count();
    assert_eq!(files_under(out.path()).len(), ok);
    sim.shutdown().await;
}

#[tokio::test]
async fn cancelled_download_leaves_nothing() {
    let slow = Faults { slow_body: Some(Duration::from_millis(20)), ..Default::default() };
    let MediaWorld { sim, f, media, out, cache: _cache, .. } =
        media_world(sim_with(Dataset::Demo, slow).await);
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    let progress = move |p: DownloadProgress| {
        if p.received > 0 {
            c2.cancel();
        }
    };
    let killer = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(400)).await;
        killer.cancel();
    });
    let err = media
        .download_record(rr(&f.video_record), "document", out.path(), &progress, &cancel)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cancelled");
    assert!(files_under(out.path()).is_empty(), "{:?}", files_under(out.path()));
    sim.shutdown().await;
}

/// The record's sha256 (what the uploaded original hashes to), and its original downloaded into `out`.
async fn original(
    api: &Api,
    media: &Media,
    r: phraseanet_client::RecordRef,
    out: &tempfile::TempDir,
) -> (Option<String>, phraseanet_client::DownloadedFile) {
    let expected = api.record(r).await.unwrap().sha256;
    let file = media
        .download_record(r, "document", out.path(), &no_progress, &CancellationToken::new())
        .await
        .unwrap();
    (expected, file)
}

#[tokio::test]
async fn truncated_downloads_resume_with_range_requests() {
    let (logs, _guard) = Logs::capture(tracing::Level::DEBUG);
    let cut = Faults { truncate_rate: 0.4, seed: 3, ..Default::default() };
    let MediaWorld { sim, f, api, media, out, cache: _cache } =
        media_world(sim_with(Dataset::Demo, cut).await);
    for rec in [&f.image_record, &f.png_record, &f.document_record, &f.audio_record, &f.video_record] {
        let (expected, file) = original(&api, &media, rr(rec), &out).await;
        let bytes = std::fs::read(&file.path).unwrap();
        assert_eq!(bytes.len() as u64, file.size);
        let sha256 = file.sha256.clone().expect("hashed while written");
        assert_eq!(hex::encode(Sha256::digest(&bytes)), sha256);
        assert_eq!(file.original_sha256, expected);
        // A document the server rewrote (metadata writer) is kept, with its note; any other matches.
        match (expected, file.note) {
            (Some(e), None) => assert_eq!(e.to_lowercase(), sha256),
            (Some(e), Some(DownloadNote::DiffersFromOriginal)) => assert_ne!(e.to_lowercase(), sha256),
            (_, Some(DownloadNote::PreviewInstead)) => {
                panic!("the client never substitutes a preview itself")
            }
            (None, note) => assert_eq!(note, None),
        }
    }
    assert!(files_under(out.path()).iter().all(|p| !p.to_string_lossy().ends_with(".part")));
    assert!(logs.text().contains("resuming"), "at least one cut transfer was resumed");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_download_left_unhashed_gives_the_originals_sha256_to_compare_afterwards() {
    let MediaWorld { sim, f, api, media: _, out, cache } = media_world(sim().await);
    let opts = MediaOptions { hash_downloads: false, ..MediaOptions::in_dir(cache.path()) };
    let media = Media::new(api.clone(), opts).unwrap();
    for rec in [&f.image_record, &f.png_record, &f.document_record] {
        let r = rr(rec);
        let (expected, file) = original(&api, &media, r, &out).await;
        assert_eq!((file.sha256.as_deref(), file.note), (None, None), "nothing hashed, nothing noted");
        assert_eq!(file.original_sha256, expected);
        let actual =
            phraseanet_client::media::download::sha256_of_file(std::path::Path::new(&file.path)).unwrap();
        assert_eq!(actual, hex::encode(Sha256::digest(std::fs::read(&file.path).unwrap())));
        let differs = f.rewritten_documents.contains(rec);
        assert_eq!(
            DownloadNote::comparing(expected.as_deref(), &actual),
            differs.then_some(DownloadNote::DiffersFromOriginal),
            "{r:?}"
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn downloads_that_keep_failing_leave_no_file_under_the_final_name() {
    let MediaWorld { sim, f, api, media, out, cache: _cache } = media_world(sim().await);
    // The metadata calls succeed, then every media transfer is cut.
    let r = rr(&f.document_record);
    let rec = api.record(r).await.unwrap();
    sim.set_faults(Faults { truncate_rate: 1.0, ..Default::default() });
    let err = media.download_record(r, "document", out.path(), &no_progress, &CancellationToken::new()).await;
    sim.set_faults(Faults::default());
    let err = err.unwrap_err();
    assert_eq!(err.code(), "cut-off", "{err:?}");
    assert!(err.message().contains("cut off"), "{}", err.message());
    let names: Vec<String> = files_under(out.path())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| n.ends_with(".part")), "only a resumable .part may stay: {names:?}");
    // A later run completes (it starts over: a .part without the first answer's ETag is not trusted).
    let ok = media
        .download_record(r, "document", out.path(), &no_progress, &CancellationToken::new())
        .await
        .unwrap();
    if let (Some(sha), None) = (rec.sha256, ok.note) {
        assert_eq!(ok.sha256, Some(sha.to_lowercase()));
    }
    assert!(files_under(out.path()).iter().all(|p| !p.to_string_lossy().ends_with(".part")));
    sim.shutdown().await;
}

#[tokio::test]
async fn hostile_dataset_stays_in_the_target_folder() {
    let sim = sim_with(Dataset::Hostile, Faults::default()).await;
    let f = sim.fixtures().clone();
    let api = api(&sim);
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("target");
    let cache = root.path().join("cache");
    let media = Media::new(api.clone(), MediaOptions::in_dir(&cache)).unwrap();
    let cancel = CancellationToken::new();
    let _ = media.download_record(rr(&f.hostile_record), "document", &out, &no_progress, &cancel).await;
    for id in f.basket_ids.clone() {
        let _ = media.download_basket(id, "document", &out, &no_progress, &cancel).await;
    }
    let written = files_under(&out);
    assert!(!written.is_empty());
    for p in &written {
        assert_eq!(p.parent().unwrap(), out, "{p:?}");
        let name = p.file_name().unwrap().to_string_lossy();
        assert!(!name.chars().any(|c| c.is_control()), "{name:?}");
        assert!(!name.contains(['/', '\\', ':', '<', '>', '"', '|', '?', '*']), "{name:?}");
        assert_eq!(name, phraseanet_client::media::sanitize_file_name(&name));
    }
    // Nothing else appeared anywhere under the temp root besides the cache and the target folder.
    for p in files_under(root.path()) {
        assert!(p.starts_with(&out) || p.starts_with(&cache), "{p:?}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn a_later_run_resumes_the_same_version_from_its_part() {
    // The first run loses its server mid-transfer: the .part and its sidecar stay.
    let slow = Faults { slow_body: Some(Duration::from_millis(40)), ..Default::default() };
    let sim1 = sim_with(Dataset::Demo, slow).await;
    let f = sim1.fixtures().clone();
    let r = rr(&f.video_record);
    let out = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let media1 = Media::new(api(&sim1), MediaOptions::in_dir(cache.path())).unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let tx = std::sync::Mutex::new(Some(tx));
    let progress = move |p: DownloadProgress| {
        if p.received > 0 {
            if let Some(tx) = tx.lock().unwrap().take() {
                let _ = tx.send(());
            }
        }
    };
    let killer = tokio::spawn(async move {
        let _ = rx.await;
        sim1.shutdown().await;
    });
    let err = media1.download_record(r, "document", out.path(), &progress, &CancellationToken::new()).await;
    killer.await.unwrap();
    assert!(
        matches!(err.as_ref().unwrap_err().code().as_str(), "network" | "cut-off" | "stalled"),
        "{err:?}"
    );
    let mut names: Vec<String> = files_under(out.path())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].ends_with(".part") && names[1] == format!("{}.json", names[0]), "{names:?}");
    let part_len = std::fs::metadata(out.path().join(&names[0])).unwrap().len();
    assert!(part_len > 0);

    // The same record and version later (another server process, same data): resumed with a Range.
    let sim2 = sim().await;
    let api2 = api(&sim2);
    let media2 = Media::new(api2.clone(), MediaOptions::in_dir(cache.path())).unwrap();
    let done =
        media2.download_record(r, "document", out.path(), &no_progress, &CancellationToken::new()).await;
    let done = done.unwrap();
    assert!(sim2.requests().iter().any(|q| q.status == 206), "resumed with a Range");
    let sha = api2.record(r).await.unwrap().sha256.unwrap_or_default().to_lowercase();
    assert!(sha.is_empty() || done.note.is_some() || done.sha256 == Some(sha), "the resumed file is whole");
    assert_eq!(done.size, std::fs::read(&done.path).unwrap().len() as u64);
    assert_eq!(files_under(out.path()).len(), 1, "no .part nor sidecar left");
    sim2.shutdown().await;
}

#[tokio::test]
async fn cache_entries_belong_to_one_account() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let dir = tempfile::tempdir().unwrap();
    let disk = Arc::new(DiskCache::open(dir.path(), 1 << 30).unwrap());
    let api1 = api(&sim);
    let other = sim.issue_token(&f.desktop_app.client_id).expect("a second token");
    let api2 = Api::with_options(server(&sim), Secret::new(&other), fast_opts()).unwrap();
    let opts = |account: Option<&str>| MediaOptions {
        account: account.map(str::to_string),
        ..MediaOptions::in_dir(dir.path())
    };
    let rec = api1.record(rr(&f.image_record)).await.unwrap();
    let src = MediaSource::thumbnail(&rec).unwrap();
    let m1 = Media::with_cache(api1.clone(), disk.clone(), opts(None));
    m1.fetch(&src).await.unwrap();
    assert!(m1.cached(&src.key).is_some());
    let m2 = Media::with_cache(api2.clone(), disk.clone(), opts(None));
    assert!(m2.cached(&src.key).is_none(), "another session's bytes are not served");
    // A named account (the profile) shares its entries across its sessions, and only them.
    Media::with_cache(api1, disk.clone(), opts(Some("mara"))).fetch(&src).await.unwrap();
    assert!(Media::with_cache(api2.clone(), disk.clone(), opts(Some("mara"))).cached(&src.key).is_some());
    assert!(Media::with_cache(api2, disk.clone(), opts(Some("olaf"))).cached(&src.key).is_none());
    sim.shutdown().await;
}

#[tokio::test]
async fn a_trickling_server_cannot_hold_the_pool() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let api = api(&sim);
    let dir = tempfile::tempdir().unwrap();
    let opts = MediaOptions {
        concurrency: 1,
        deadline: Duration::from_millis(600),
        min_rate: u64::MAX,
        ..MediaOptions::in_dir(dir.path())
    };
    let media = Media::new(api.clone(), opts).unwrap();
    let rec = api.record(rr(&f.image_record)).await.unwrap();
    let src = MediaSource::thumbnail(&rec).unwrap();
    // Each chunk comes well within the silence budget, the whole would take many seconds.
    sim.set_faults(Faults { slow_body: Some(Duration::from_millis(250)), ..Default::default() });
    let t0 = std::time::Instant::now();
    let err = media.fetch(&src).await.unwrap_err();
    assert_eq!(err.code(), "timeout", "{err:?}");
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
    assert_eq!(files_under(dir.path()).len(), 0, "no temp file left");
    // The only pool slot is free again.
    sim.set_faults(Faults::default());
    assert!(media.fetch(&src).await.unwrap().size > 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn thumbnails_have_their_own_size_cap() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let api = api(&sim);
    let dir = tempfile::tempdir().unwrap();
    let media =
        Media::new(api.clone(), MediaOptions { max_thumbnail: 100, ..MediaOptions::in_dir(dir.path()) })
            .unwrap();
    let rec = api.record(rr(&f.image_record)).await.unwrap();
    let thumb = MediaSource::thumbnail(&rec).unwrap();
    assert_eq!(media.fetch(&thumb).await.unwrap_err().code(), "too-large");
    assert_eq!(files_under(dir.path()).len(), 0);
    // Other kinds keep theirs.
    let embed = api.record_embed(rr(&f.image_record), None).await.unwrap();
    let preview = embed.iter().find(|s| s.name == "preview").unwrap();
    let preview = MediaSource::subdef(rr(&f.image_record), preview).unwrap();
    assert!(media.fetch(&preview).await.unwrap().size > 100);
    sim.shutdown().await;
}

// Streaming playback: previews read in ranges while they arrive (`Media::stream`).

const MIB: u64 = 1 << 20;

/// A double whose video previews are `size` bytes, at `bandwidth` bytes/s per response.
async fn preview_sim(size: u64, bandwidth: Option<u64>, ignore_range: bool) -> phraseanet_sim::Sim {
    let opts = SimOptions {
        video_preview_size: Some(size),
        media_bandwidth: bandwidth,
        ignore_range,
        ..SimOptions::default()
    };
    phraseanet_sim::Sim::start(opts).await.unwrap()
}

/// The video record's preview as a media source.
async fn video_preview(sim: &phraseanet_sim::Sim) -> MediaSource {
    let r = rr(&sim.fixtures().video_record);
    let embed = api(sim).record_embed(r, None).await.unwrap();
    MediaSource::subdef(r, embed.iter().find(|s| s.name == "preview").unwrap()).unwrap()
}

/// The bytes `start..=end` of the preview, asked with a plain Range GET from a double serving the same
/// previews at full speed (the reference the streamed bytes are checked against).
async fn reference(twin: &phraseanet_sim::Sim, start: u64, end: u64) -> Vec<u8> {
    let src = video_preview(twin).await;
    let resp = phraseanet_sim::testing::http()
        .get(&src.url)
        .header("Range", format!("bytes={start}-{end}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 206);
    resp.bytes().await.unwrap().to_vec()
}

/// A media pipeline on a double the test keeps (`cache: _cache` keeps the folder).
struct Streaming {
    media: Media,
    cache: tempfile::TempDir,
}

fn media_world_of(sim: &phraseanet_sim::Sim) -> Streaming {
    let cache = tempfile::tempdir().unwrap();
    let media = Media::new(api(sim), MediaOptions::in_dir(cache.path())).unwrap();
    Streaming { media, cache }
}

/// The media requests the double saw: (status, asked range `a..=b` if any).
fn media_requests(sim: &phraseanet_sim::Sim) -> Vec<(u16, Option<(u64, u64)>)> {
    let span = |r: &str| {
        let (a, b) = r.strip_prefix("bytes=")?.split_once('-')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    };
    sim.requests()
        .iter()
        .filter(|q| q.path.starts_with("/medias/") || q.path.starts_with("/permalink/"))
        .map(|q| (q.status, q.range.as_deref().and_then(span)))
        .collect()
}

/// Waits (without asserting how long) until `done` holds.
async fn eventually(what: &str, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..600 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never: {what}");
}

#[tokio::test]
async fn a_range_far_into_a_big_preview_is_asked_at_its_offset_and_kept() {
    let total = 500 * MIB;
    let sim = preview_sim(total, Some(10_000_000), false).await;
    let twin = preview_sim(total, None, false).await;
    let Streaming { media, cache: _cache } = media_world_of(&sim);
    let src = video_preview(&sim).await;
    let stream = media.stream(&src).await.unwrap();
    assert_eq!(stream.known_total(), None, "nothing asked before the first read");
    assert!(media_requests(&sim).is_empty());

    let mid = 250 * MIB;
    let got = stream.read(mid, Some(mid + 65_535), 1 << 20).await.unwrap();
    assert_eq!((got.start, got.end, got.total), (mid, mid + 65_535, total));
    assert_eq!(got.bytes, reference(&twin, mid, mid + 65_535).await);
    let seen = media_requests(&sim);
    assert!(!seen.is_empty());
    for (status, range) in &seen {
        let (a, _) = range.expect("every request is ranged");
        assert!(a >= mid, "bytes before the range were asked for: {seen:?}");
        assert_eq!(*status, 206);
    }
    assert!(stream.progress().present < 16 * MIB, "read-ahead is bounded: {:?}", stream.progress());

    // Seek back, then forward again to bytes already there: they are not asked for again.
    let early = stream.read(100 * MIB, Some(100 * MIB + 9_999), 1 << 20).await.unwrap();
    assert_eq!(early.bytes, reference(&twin, 100 * MIB, 100 * MIB + 9_999).await);
    let before = media_requests(&sim).len();
    let again = stream.read(mid + 1_000, Some(mid + 50_000), 1 << 20).await.unwrap();
    assert_eq!(again.bytes, got.bytes[1_000..=50_000]);
    for (_, range) in &media_requests(&sim)[before..] {
        let (a, b) = range.unwrap();
        assert!(b < mid + 1_000 || a > mid + 50_000, "{a}-{b} asked again");
    }
    // A second reader shares what the first fetched.
    let other = media.stream(&src).await.unwrap();
    assert!(other.progress().present >= 65_536 + 10_000);
    let shared = other.read(mid, Some(mid + 99), 100).await.unwrap();
    assert_eq!(shared.bytes, got.bytes[..100]);
    // Past the end.
    assert_eq!(stream.read(total, None, 10).await.unwrap_err().code(), "bad-request");
}

/// Reads the whole media in the chunks a player asks for, checking each against `reference`.
async fn play_through(stream: &phraseanet_client::media::MediaStream, reference: &[u8]) {
    let mut pos = 0u64;
    while pos < reference.len() as u64 {
        let d = stream.read(pos, None, 4 * MIB).await.unwrap();
        assert_eq!(d.start, pos);
        assert_eq!(d.bytes, reference[pos as usize..=d.end as usize], "bytes at {pos}");
        pos = d.end + 1;
    }
}

#[tokio::test]
async fn a_preview_read_to_the_end_becomes_a_cache_entry() {
    let total = 12 * MIB + 123;
    let sim = preview_sim(total, None, false).await;
    let whole = reference(&sim, 0, total - 1).await;
    sim.clear_requests();
    let Streaming { media, cache } = media_world_of(&sim);
    let src = video_preview(&sim).await;
    let stream = media.stream(&src).await.unwrap();
    play_through(&stream, &whole).await;
    eventually("the preview is committed", async || media.cached(&src.key).is_some()).await;
    let m = media.cached(&src.key).unwrap();
    assert_eq!(m.size, total);
    assert_eq!(m.sha256, hex::encode(Sha256::digest(&whole)));
    assert_eq!(m.mime.as_deref(), Some("video/mp4"));
    assert!(stream.progress().cached);
    // Every byte was asked for once.
    let asked: u64 = media_requests(&sim).iter().map(|(_, r)| r.map_or(0, |(a, b)| b - a + 1)).sum();
    assert!(asked >= total && asked < total + 4 * MIB, "{asked} bytes asked for {total}");
    let mut spans: Vec<(u64, u64)> = media_requests(&sim).iter().filter_map(|(_, r)| *r).collect();
    spans.sort();
    assert!(spans.windows(2).all(|w| w[0].1 < w[1].0), "overlapping requests: {spans:?}");
    assert_eq!(media.cache().size(), total, "counted once, nothing left in flight");
    assert!(phraseanet_sim::testing::entries(&cache.path().join("tmp")).is_empty(), "no partial file left");

    // Later plays are cache hits: no request.
    sim.clear_requests();
    let later = media.stream(&src).await.unwrap();
    assert!(later.progress().cached);
    assert_eq!(
        later.read(5 * MIB, Some(5 * MIB + 9), 10).await.unwrap().bytes,
        whole[5 << 20..(5 << 20) + 10]
    );
    assert_eq!(media.fetch(&src).await.unwrap().sha256, m.sha256);
    assert!(media_requests(&sim).is_empty(), "{:?}", media_requests(&sim));
}

#[tokio::test]
async fn a_server_that_ignores_range_still_plays() {
    let total = 6 * MIB + 7;
    let sim = preview_sim(total, None, true).await;
    let twin = preview_sim(total, None, false).await;
    let whole = reference(&twin, 0, total - 1).await;
    let Streaming { media, cache: _cache } = media_world_of(&sim);
    let src = video_preview(&sim).await;
    let stream = media.stream(&src).await.unwrap();
    let mid = 3 * MIB;
    let d = stream.read(mid, Some(mid + 65_535), MIB).await.unwrap();
    assert_eq!(d.bytes, whole[mid as usize..mid as usize + 65_536]);
    assert_eq!(d.total, total);
    play_through(&stream, &whole).await;
    eventually("the preview is committed", async || media.cached(&src.key).is_some()).await;
    let seen = media_requests(&sim);
    assert!(seen.iter().all(|(s, _)| *s == 200), "{seen:?}");
    assert_eq!(seen.len(), 1, "one whole answer streamed from byte 0: {seen:?}");
}

#[tokio::test]
async fn dropping_the_reader_stops_the_transfer() {
    let sim = preview_sim(500 * MIB, Some(2_000_000), false).await;
    let Streaming { media, cache: _cache } = media_world_of(&sim);
    let src = video_preview(&sim).await;
    let stream = media.stream(&src).await.unwrap();
    let d = stream.read(0, None, 65_536).await.unwrap();
    assert!(!d.bytes.is_empty());
    assert!(stream.progress().transfers > 0, "reading ahead");
    drop(stream);
    // A handle that never reads watches the transfer end by itself.
    let watch = media.stream(&src).await.unwrap();
    eventually("the transfer stops", async || watch.progress().transfers == 0).await;
    let left = watch.progress();
    assert!(left.present < 16 * MIB, "{left:?}");
    let asked = media_requests(&sim).len();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(media_requests(&sim).len(), asked, "nothing asked once nobody reads");
    assert_eq!(watch.progress().present, left.present);
}

#[tokio::test]
async fn a_cut_off_range_is_asked_again_and_never_served_whole() {
    let total = 6 * MIB + 5;
    let sim = preview_sim(total, None, false).await;
    let whole = reference(&sim, 0, total - 1).await;
    let Streaming { media, cache: _cache } = media_world_of(&sim);
    let src = video_preview(&sim).await;

    // Every answer stops halfway: what arrives is served, the rest asked again, or the cut reported.
    sim.set_faults(Faults { truncate_rate: 1.0, ..Default::default() });
    let stream = media.stream(&src).await.unwrap();
    match stream.read(0, Some(MIB - 1), MIB).await {
        Ok(d) => assert_eq!(d.bytes, whole[..d.bytes.len()], "only bytes that arrived"),
        Err(e) => assert_eq!(e.code(), "cut-off", "{e:?}"),
    }
    assert!(!stream.progress().cached);
    assert!(media.cached(&src.key).is_none());
    assert!(stream.progress().present < total);

    // Half the answers cut: playing through still gives every byte right, and a whole cache entry.
    sim.set_faults(Faults { truncate_rate: 0.5, seed: 7, ..Default::default() });
    play_through(&stream, &whole).await;
    eventually("the preview is committed", async || media.cached(&src.key).is_some()).await;
    assert_eq!(media.cached(&src.key).unwrap().sha256, hex::encode(Sha256::digest(&whole)));
    assert!(media_requests(&sim).len() > 2, "cut answers were asked again");
}

/// The figure of the issue ("Media at real-world scale"): first bytes of a 500 MB preview at 10 MB/s,
/// beside the whole download at the same rate. Printed, not asserted; about a minute:
/// `cargo test -p phraseanet-client --test integration first_bytes_figure -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "downloads 500 MB at 10 MB/s (about a minute)"]
async fn first_bytes_figure() {
    let sim = preview_sim(500 * MIB, Some(10_000_000), false).await;
    let src = video_preview(&sim).await;
    let streamed = media_world_of(&sim);
    let t0 = std::time::Instant::now();
    let stream = streamed.media.stream(&src).await.unwrap();
    let first = stream.read(0, Some(65_535), 65_536).await.unwrap();
    let to_first = t0.elapsed();
    assert_eq!(first.bytes.len(), 65_536);
    drop(stream);
    let whole = media_world_of(&sim);
    let t1 = std::time::Instant::now();
    let m = whole.media.fetch(&src).await.unwrap();
    let to_whole = t1.elapsed();
    assert_eq!(m.size, 500 * MIB);
    println!(
        "500 MiB preview at 10 MB/s: first 64 KiB streamed in {:.0} ms, whole download {:.1} s (x{:.0})",
        to_first.as_secs_f64() * 1000.0,
        to_whole.as_secs_f64(),
        to_whole.as_secs_f64() / to_first.as_secs_f64()
    );
}
