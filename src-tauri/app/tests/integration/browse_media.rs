//! The media scheme and the downloads manager against the Phraseanet double: real thumbnails,
//! Range answers, strict paths, originals checked by sha256, cancel and retry, hostile file names.

use std::path::{Path, PathBuf};
use std::time::Duration;

use phraseanet_app::browse::{
    DownloadEvent, DownloadEventKind, DownloadId, DownloadState, Plays, MEDIA_CHUNK,
};
use phraseanet_client::RecordRef;
use phraseanet_sim::testing::entries;
use phraseanet_sim::{Dataset, Faults, SimOptions};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use crate::common::{world, P};

fn rr(r: phraseanet_sim::RecordRef) -> RecordRef {
    RecordRef::new(r.databox_id, r.record_id)
}

pub(crate) fn listener(
) -> (impl Fn(DownloadEvent) + Clone + Send + Sync + 'static, mpsc::UnboundedReceiver<DownloadEvent>) {
    let (tx, rx) = mpsc::unbounded_channel();
    (move |e| drop(tx.send(e)), rx)
}

/// Waits for the final event of `id`.
pub(crate) async fn final_event(
    rx: &mut mpsc::UnboundedReceiver<DownloadEvent>,
    id: DownloadId,
) -> DownloadEvent {
    loop {
        let e = tokio::time::timeout(Duration::from_secs(60), rx.recv()).await.expect("an event").unwrap();
        if e.item.id == id
            && !matches!(
                e.kind,
                DownloadEventKind::Queued | DownloadEventKind::Progress | DownloadEventKind::Checked
            )
        {
            return e;
        }
    }
}

fn sha256_hex(path: &Path) -> String {
    hex(&Sha256::digest(std::fs::read(path).unwrap()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn thumbnails_are_real_images_and_ranges_stream_video() {
    let w = world(SimOptions::default()).await;
    let f = w.sim.fixtures();
    let basket = w.desktop.basket(P, f.plain_basket_id).await.unwrap();
    for e in basket.elements.iter().filter(|e| e.thumb.is_some()).take(3) {
        let m = w
            .desktop
            .media_request(P, &format!("thumb/{}/{}", e.databox_id, e.record_id), None)
            .await
            .unwrap();
        assert_eq!(m.status, 200);
        assert!(m.accept_ranges && m.content_range.is_none());
        assert_eq!(m.content_length, m.body.len() as u64);
        let jpeg = m.body.starts_with(&[0xff, 0xd8, 0xff]);
        let png = m.body.starts_with(b"\x89PNG\r\n\x1a\n");
        assert!(jpeg || png, "not an image: {:?}", &m.body[..8.min(m.body.len())]);
        assert_eq!(m.content_type, if jpeg { "image/jpeg" } else { "image/png" });
    }
    // A thumbnail never indexed before (record read on demand).
    let img = f.image_record;
    let m = w
        .desktop
        .media_request(P, &format!("thumb/{}/{}", img.databox_id, img.record_id), None)
        .await
        .unwrap();
    assert_eq!(m.status, 200);

    // A video preview: exact bytes for a closed range, a capped open range, 416 past the end.
    let video = w.desktop.record(P, rr(f.video_record), None).await.unwrap();
    let sub = video.subdefs.iter().find(|s| s.player_type.starts_with("VIDEO")).expect("a video subdef");
    let whole = w.desktop.media_request(P, &sub.path, None).await.unwrap();
    let total = whole.body.len() as u64;
    assert!(total > 300, "video of {total} bytes");
    assert!(whole.content_type.starts_with("video/"), "{}", whole.content_type);
    let part = w.desktop.media_request(P, &sub.path, Some("bytes=100-199")).await.unwrap();
    assert_eq!(part.status, 206);
    assert_eq!(part.content_range.as_deref(), Some(format!("bytes 100-199/{total}").as_str()));
    assert_eq!(part.body, whole.body[100..200]);
    assert_eq!(part.content_length, 100);
    let headers = part.headers();
    assert!(headers.contains(&("Content-Range", format!("bytes 100-199/{total}"))));
    assert!(headers.contains(&("Content-Length", "100".to_string())));
    assert!(headers.contains(&("X-Content-Type-Options", "nosniff".to_string())));
    let open = w.desktop.media_request(P, &sub.path, Some("bytes=0-")).await.unwrap();
    assert_eq!(open.status, 206);
    assert_eq!(open.body.len() as u64, total.min(MEDIA_CHUNK));
    let tail = w.desktop.media_request(P, &sub.path, Some("bytes=-10")).await.unwrap();
    assert_eq!(tail.body, whole.body[whole.body.len() - 10..]);
    let past = w.desktop.media_request(P, &sub.path, Some(&format!("bytes={total}-"))).await.unwrap();
    assert_eq!(past.status, 416);
    assert_eq!(past.content_range.as_deref(), Some(format!("bytes */{total}").as_str()));
    assert!(past.body.is_empty());

    let audio = w.desktop.record(P, rr(f.audio_record), None).await.unwrap();
    let sub = audio.subdefs.iter().find(|s| s.player_type.starts_with("AUDIO")).expect("an audio subdef");
    let a = w.desktop.media_request(P, &sub.path, Some("bytes=0-15")).await.unwrap();
    assert_eq!((a.status, a.body.len()), (206, 16));
    assert!(a.content_type.starts_with("audio/"), "{}", a.content_type);
}

/// A 500 MB video preview served at 10 MB/s plays through ranges passed on to the server: a range far
/// into it is answered with the server's bytes at that offset, without the file before it.
#[tokio::test]
async fn a_big_video_preview_is_streamed_in_ranges() {
    let total: u64 = 500 << 20;
    let w = world(SimOptions {
        video_preview_size: Some(total),
        media_bandwidth: Some(10_000_000),
        ..Default::default()
    })
    .await;
    let f = w.sim.fixtures();
    let video = w.desktop.record(P, rr(f.video_record), None).await.unwrap();
    let sub = video.subdefs.iter().find(|s| s.name == "preview").expect("a preview");
    assert_eq!((sub.plays, sub.filesize), (Plays::Video, total));
    w.sim.clear_requests();
    let media_log = || {
        let log = w.sim.requests();
        log.into_iter()
            .filter(|q| q.path.starts_with("/medias/") || q.path.starts_with("/permalink/"))
            .collect::<Vec<_>>()
    };

    let at: u64 = 300 << 20;
    let m = w.desktop.media_request(P, &sub.path, Some(&format!("bytes={at}-"))).await.unwrap();
    let n = m.body.len() as u64;
    assert_eq!(m.status, 206);
    assert!(n > 0 && n <= MEDIA_CHUNK, "{n} bytes");
    assert_eq!(m.content_range, Some(format!("bytes {at}-{}/{total}", at + n - 1)));
    assert_eq!((m.content_type.as_str(), m.content_length), ("video/mp4", n));
    let seen = media_log();
    assert!(!seen.is_empty());
    for q in &seen {
        let from: u64 = q
            .range
            .as_deref()
            .and_then(|r| r.strip_prefix("bytes=")?.split('-').next()?.parse().ok())
            .expect("a ranged request");
        assert!(from >= at, "the bytes before the range were asked for: {:?}", q.range);
    }
    // The next range goes on from there.
    let next = w.desktop.media_request(P, &sub.path, Some(&format!("bytes={}-", at + n))).await.unwrap();
    assert_eq!(next.status, 206);
    assert!(next.content_range.as_deref().unwrap().starts_with(&format!("bytes {}-", at + n)));

    // Without Range: a 206 of the first chunk, a playable MP4 (its `ftyp` first).
    let pressed = std::time::Instant::now();
    let head = w.desktop.media_request(P, &sub.path, None).await.unwrap();
    println!(
        "500 MiB preview at 10 MB/s: the player's first answer, {} KiB, in {:.0} ms",
        head.body.len() / 1024,
        pressed.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(head.status, 206);
    assert_eq!(&head.body[4..8], b"ftyp");
    assert!(head.content_range.as_deref().unwrap().starts_with("bytes 0-"));
    // A suffix, and past the end.
    let tail = w.desktop.media_request(P, &sub.path, Some("bytes=-16")).await.unwrap();
    assert_eq!(tail.content_range, Some(format!("bytes {}-{}/{total}", total - 16, total - 1)));
    let past = w.desktop.media_request(P, &sub.path, Some(&format!("bytes={total}-"))).await.unwrap();
    assert_eq!((past.status, past.content_range), (416, Some(format!("bytes */{total}"))));

    // The bytes are the server's: the same range asked straight from the double.
    let link = &sub.permalink.as_ref().expect("a permalink").url;
    let direct = phraseanet_sim::testing::http()
        .get(link)
        .header("Range", format!("bytes={at}-{}", at + n - 1))
        .send()
        .await
        .unwrap();
    assert_eq!(direct.bytes().await.unwrap(), m.body);
    let direct = phraseanet_sim::testing::http().get(link).header("Range", "bytes=-16").send().await.unwrap();
    assert_eq!(direct.bytes().await.unwrap(), tail.body);
}

#[tokio::test]
async fn invalid_media_paths_are_not_found() {
    let w = world(SimOptions::default()).await;
    let img = w.sim.fixtures().image_record;
    let (d, r) = (img.databox_id, img.record_id);
    for bad in [
        String::new(),
        "thumb".into(),
        format!("thumb/{d}"),
        format!("thumb/{d}/{r}/x"),
        format!("/thumb/{d}/{r}"),
        format!("thumb/{d}/-{r}"),
        format!("sub/{d}/{r}/../../etc/passwd"),
        format!("sub/{d}/{r}/Preview"),
        format!("sub/{d}/{r}/pre view"),
        format!("sub/{d}/{r}/{}", "a".repeat(65)),
        format!("thumb/{d}/{r}?token=x"),
        "http://evil.example/x".into(),
        format!("sub/{d}/{r}/no_such_subdef"),
        "thumb/999/999999".into(),
    ] {
        let err = w.desktop.media_request(P, &bad, None).await.unwrap_err();
        assert_eq!(err.code(), "not-found", "{bad:?}");
        assert_eq!(phraseanet_app::browse::error_status(&err), 404);
    }
}

#[tokio::test]
async fn an_original_downloads_with_its_checksum_and_the_folder_is_remembered() {
    let w = world(SimOptions::default()).await;
    let f = w.sim.fixtures();
    let folder = w.dir.path().join("downloads");
    assert!(w.desktop.download_folder().unwrap().is_absolute(), "a default folder");
    w.desktop.set_download_folder(folder.clone()).unwrap();
    assert_eq!(w.desktop.download_folder().unwrap(), folder);
    // Other settings writes (the active profile) keep it.
    w.desktop.sign_in_with_token(P, &f.developer_token).await.unwrap();
    assert_eq!(w.desktop.profiles().unwrap().active.as_deref(), Some(P));
    assert_eq!(w.desktop.download_folder().unwrap(), folder);
    assert_eq!(w.desktop.set_download_folder("relative/dir".into()).unwrap_err().code(), "download-folder");

    let (on_event, mut rx) = listener();
    let id = w.desktop.download_record(P, rr(f.image_record), None, None, on_event).await.unwrap();
    let done = final_event(&mut rx, id).await;
    assert_eq!(done.kind, DownloadEventKind::Done, "{:?}", done.item.error);
    let path = PathBuf::from(done.item.path.clone().unwrap());
    assert_eq!(path.parent(), Some(folder.as_path()));
    let details = w.desktop.record(P, rr(f.image_record), None).await.unwrap();
    assert_eq!(Some(sha256_hex(&path)), details.sha256.map(|s| s.to_lowercase()));
    assert_eq!(entries(&folder), vec![path.clone()], "no .part left");
    let listed = w.desktop.downloads();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, DownloadState::Done);
    assert_eq!(listed[0].received, std::fs::metadata(&path).unwrap().len());

    // A subdef by name, into an explicit folder.
    let other = w.dir.path().join("previews");
    let (on_event, mut rx) = listener();
    let id = w.desktop.download_record(
        P,
        rr(f.image_record),
        Some("preview".into()),
        Some(other.clone()),
        on_event,
    );
    let id = id.await.unwrap();
    let done = final_event(&mut rx, id).await;
    assert_eq!(done.kind, DownloadEventKind::Done, "{:?}", done.item.error);
    assert_eq!(entries(&other).len(), 1);
    assert_eq!(w.desktop.clear_finished_downloads().len(), 0);
}

#[tokio::test]
async fn a_cancelled_download_leaves_no_file_and_retry_completes_it() {
    let faults = Faults { slow_body: Some(Duration::from_millis(40)), ..Default::default() };
    let w = world(SimOptions { faults, ..Default::default() }).await;
    let f = w.sim.fixtures();
    let folder = w.dir.path().join("downloads");
    let (on_event, mut rx) = listener();
    let id =
        w.desktop.download_record(P, rr(f.video_record), None, Some(folder.clone()), on_event).await.unwrap();
    // Cancel once bytes are flowing into the .part.
    loop {
        let e = tokio::time::timeout(Duration::from_secs(60), rx.recv()).await.unwrap().unwrap();
        assert!(!matches!(e.kind, DownloadEventKind::Done | DownloadEventKind::Failed), "{e:?}");
        if e.kind == DownloadEventKind::Progress && e.item.received > 0 {
            break;
        }
    }
    w.desktop.cancel_download(id);
    let end = final_event(&mut rx, id).await;
    assert_eq!(end.kind, DownloadEventKind::Cancelled);
    assert!(entries(&folder).is_empty(), "nothing left: {:?}", entries(&folder));

    let item = w.desktop.retry_download(id).await.unwrap();
    assert_eq!(item.state, DownloadState::Queued);
    let done = final_event(&mut rx, id).await;
    assert_eq!(done.kind, DownloadEventKind::Done, "{:?}", done.item.error);
    assert_eq!(entries(&folder).len(), 1);
}

#[tokio::test]
async fn hostile_names_stay_inside_the_download_folder() {
    let w = world(SimOptions { dataset: Dataset::Hostile, ..Default::default() }).await;
    let f = w.sim.fixtures();
    let outer = w.dir.path().join("outer");
    let folder = outer.join("dl");
    let (on_event, mut rx) = listener();
    let mut pending = Vec::new();
    for basket in [f.plain_basket_id, f.media_basket_id] {
        let ids = w
            .desktop
            .download_basket(P, basket, Some(folder.clone()), false, on_event.clone())
            .await
            .unwrap();
        pending.extend(ids);
    }
    let n = pending.len();
    assert!(n >= 4, "{n} downloads");
    let mut done = 0;
    let mut previews = 0;
    let mut jobs = std::collections::BTreeSet::new();
    while !pending.is_empty() {
        let e = tokio::time::timeout(Duration::from_secs(120), rx.recv()).await.unwrap().unwrap();
        if matches!(
            e.kind,
            DownloadEventKind::Queued | DownloadEventKind::Progress | DownloadEventKind::Checked
        ) {
            continue;
        }
        pending.retain(|id| *id != e.item.id);
        let job = e.item.job.clone().expect("a download-all file belongs to its job");
        jobs.insert(job.id);
        assert_eq!(e.kind, DownloadEventKind::Done, "{:?}", e.item.error);
        done += 1;
        // Where the original is not the user's, the preview comes instead, and says so.
        previews += usize::from(e.item.note == Some(phraseanet_client::DownloadNote::PreviewInstead));
        // In the basket's folder (or a story's folder inside it), whatever the server's names say.
        let path = Path::new(e.item.path.as_deref().unwrap());
        let basket_folder = path.ancestors().find(|a| a.parent() == Some(folder.as_path())).unwrap();
        assert!(
            path.starts_with(basket_folder) && path.components().count() <= folder.components().count() + 3
        );
    }
    assert_eq!(jobs.len(), 2, "one job a basket");
    assert_eq!(entries(&outer), vec![folder.clone()], "nothing written beside the folder");
    let files = files_under(&folder);
    println!(
        "hostile downloads: {done} of {n} done ({previews} previews): {:?}",
        files.iter().map(|p| p.strip_prefix(&folder).unwrap()).collect::<Vec<_>>()
    );
    assert_eq!(files.len(), done);
    assert!(files.iter().all(|p| p.is_file() && !p.to_string_lossy().ends_with(".part")));
}

pub(crate) fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for p in entries(dir) {
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test]
async fn a_selection_downloads_each_record_once() {
    let w = world(SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    let folder = w.dir.path().join("selection");
    let (on_event, mut rx) = listener();
    let rr = |r: phraseanet_sim::RecordRef| phraseanet_client::RecordRef::new(r.databox_id, r.record_id);
    let picked = [rr(f.image_record), rr(f.png_record), rr(f.image_record)];
    let mut pending = w.desktop.download_records(P, &picked, Some(folder.clone()), on_event).await.unwrap();
    assert_eq!(pending.len(), 2, "the duplicate once");
    while !pending.is_empty() {
        let e = tokio::time::timeout(Duration::from_secs(60), rx.recv()).await.unwrap().unwrap();
        if matches!(
            e.kind,
            DownloadEventKind::Queued | DownloadEventKind::Progress | DownloadEventKind::Checked
        ) {
            continue;
        }
        assert_eq!(e.kind, DownloadEventKind::Done, "{:?}", e.item.error);
        pending.retain(|id| *id != e.item.id);
    }
    assert_eq!(entries(&folder).len(), 2);
}

/// The app stops in the middle of a transfer (its runtime is dropped, as when the process dies): the
/// next start carries the download on from its `.part` and the file comes out whole.
#[test]
fn an_unfinished_download_carries_on_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("dl");
    // The double runs on a runtime of its own, which outlives the two "app" runtimes.
    let sim_rt = tokio::runtime::Runtime::new().unwrap();
    // 200 kB/s: the 2 MB original is still on its way when the first run stops.
    let options = SimOptions { media_bandwidth: Some(200_000), ..Default::default() };
    let sim = sim_rt.block_on(phraseanet_sim::Sim::start(options)).unwrap();
    let f = sim.fixtures().clone();
    let url = sim.url().to_string();
    let first = tokio::runtime::Runtime::new().unwrap();
    let record = phraseanet_client::RecordRef::new(f.image_record.databox_id, f.image_record.record_id);
    let desktop = || {
        let d = phraseanet_app::Desktop::new(
            phraseanet_client::ProfileStore::at(dir.path().join("config")),
            phraseanet_client::Vault::session_only(),
        );
        d.set_media_cache_dir(dir.path().join("cache"));
        d
    };
    let sign_in = |d: &phraseanet_app::Desktop, rt: &tokio::runtime::Runtime| {
        let app = &f.desktop_app;
        let profile = phraseanet_app::NewProfile {
            name: Some(P.into()),
            server: format!("{url}/"),
            client_id: app.client_id.clone(),
            client_secret: Some(app.client_secret.clone()),
            auth: phraseanet_client::AuthMethod::OauthOob,
        };
        if d.profiles().unwrap().profiles.is_empty() {
            d.save_profile(profile).unwrap();
        }
        rt.block_on(d.sign_in_with_token(P, &f.developer_token)).unwrap();
    };

    // First run: stop once some bytes are on disk.
    let a = desktop();
    sign_in(&a, &first);
    let (on_event, mut rx) = listener();
    let id = first.block_on(a.download_record(P, record, None, Some(folder.clone()), on_event)).unwrap();
    first.block_on(async {
        loop {
            let e = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.unwrap().unwrap();
            // Past the first buffers: bytes are on disk, not only in the writer.
            if e.item.id == id && e.item.received > 600_000 {
                break;
            }
        }
    });
    // The process dies here. What it wrote is on disk as it is now; dropping the runtime below also
    // ends the transfer, but lets its error reach the job (a killed process never gets that far), so
    // the file of unfinished downloads is taken as of this instant.
    let kept = dir.path().join("config").join("downloads.json");
    let at_death = std::fs::read(&kept).expect("unfinished downloads are kept while they run");
    drop(first);
    drop(a);
    std::fs::write(&kept, &at_death).unwrap();
    // Dropping a runtime runs destructors, which may tidy the `.part` away (a killed process would
    // leave it): either way the second run must finish the file, and resume it when it is there.
    let had_part = entries(&folder).iter().any(|p| p.to_string_lossy().ends_with(".part"));
    sim.clear_requests();

    // Second run: the same folder and config; the UI asks for the unfinished ones after sign-in.
    let second = tokio::runtime::Runtime::new().unwrap();
    let b = desktop();
    sign_in(&b, &second);
    let (on_event, mut rx) = listener();
    let ids = second.block_on(b.resume_downloads(P, on_event)).unwrap();
    assert_eq!(ids.len(), 1, "kept: {}", String::from_utf8_lossy(&at_death));
    let done = second.block_on(final_event(&mut rx, ids[0]));
    assert_eq!(done.kind, DownloadEventKind::Done, "{:?}", done.item.error);
    let files = entries(&folder);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(std::fs::metadata(&files[0]).unwrap().len(), done.item.total.unwrap());
    assert!(second.block_on(b.resume_downloads(P, |_| {})).unwrap().is_empty(), "once");
    if had_part {
        let resumed =
            sim.requests().iter().any(|r| r.range.as_deref().is_some_and(|v| !v.starts_with("bytes=0-")));
        assert!(resumed, "the .part was resumed, not fetched again from its first byte");
    }
    println!("restart: the .part {} there", if had_part { "was" } else { "was not" });
    sim_rt.block_on(sim.shutdown());
}
