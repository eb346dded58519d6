//! How soon a streamed read answers, against the double throttled like a slow link.

use phraseanet_sim::{Sim, SimOptions};

use crate::api::{Api, RecordRef};
use crate::media::{Media, MediaOptions, MediaSource};
use crate::url::ServerUrl;
use crate::vault::Secret;

const KIB: u64 = 1 << 10;

/// The double's video preview (`size` bytes, at `rate` bytes a second per response) as a media source,
/// and a pipeline with its cache in `dir`.
async fn throttled_preview(sim: &Sim, dir: &std::path::Path) -> (Media, MediaSource) {
    let api =
        Api::new(ServerUrl::parse(sim.url()).unwrap(), Secret::new(&sim.fixtures().developer_token)).unwrap();
    let v = &sim.fixtures().video_record;
    let r = RecordRef::new(v.databox_id, v.record_id);
    let embed = api.record_embed(r, None).await.unwrap();
    let src = MediaSource::subdef(r, embed.iter().find(|s| s.name == "preview").unwrap()).unwrap();
    (Media::new(api, MediaOptions::in_dir(dir)).unwrap(), src)
}

#[tokio::test]
async fn a_first_read_gets_its_first_bytes_at_once_and_the_next_ones_gather() {
    // 4 MB/s: the first 64 KiB land in about 16 ms; gathering for COALESCE (100 ms) would bring ~400 KB.
    let opts = SimOptions {
        video_preview_size: Some(64 << 20),
        media_bandwidth: Some(4_000_000),
        ..Default::default()
    };
    let sim = Sim::start(opts).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (media, src) = throttled_preview(&sim, dir.path()).await;
    let stream = media.stream(&src).await.unwrap();
    let first = stream.read(0, None, 4 << 20).await.unwrap();
    let n = first.bytes.len() as u64;
    assert!(
        (64 * KIB..256 * KIB).contains(&n),
        "the first answer is the first bytes, not a gathered MB: {n}"
    );
    assert_eq!(first.start, 0);
    // The player continues where the answer ended: that read gathers (never a trickle of tiny answers).
    let next = stream.read(first.end + 1, None, 4 << 20).await.unwrap();
    assert_eq!(next.start, first.end + 1);
    assert!(next.bytes.len() as u64 >= 64 * KIB, "a continuing read gathers at least MIN_ANSWER");
    // A seek far ahead is a new start: answered once its first bytes are there, whatever came before.
    let seek = stream.read(32 << 20, None, 4 << 20).await.unwrap();
    let n = seek.bytes.len() as u64;
    assert!((64 * KIB..256 * KIB).contains(&n), "a seek's answer is its first bytes: {n}");
    sim.shutdown().await;
}
