//! "Keep offline" against the double: a kept basket opens whole with the server gone (thumbnails and
//! previews, without its record panels ever opened), the kept list says what is kept and how big it is,
//! forgetting gives the media back, and a keep can be cancelled.

use std::time::Duration;

use phraseanet_app::browse::{KeepProgress, MediaKind};
use phraseanet_client::Error;
use phraseanet_sim::SimOptions;

use crate::common::{world, P};

#[tokio::test]
async fn a_kept_basket_opens_whole_offline() {
    let w = world(SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<KeepProgress>();
    let kept = w.desktop.keep_offline(P, f.media_basket_id, false, move |p| drop(tx.send(p))).await.unwrap();
    let mut last = None;
    while let Ok(p) = rx.try_recv() {
        last = Some(p);
    }
    let last = last.expect("progress after each record");
    assert_eq!((last.done, last.basket_id), (last.total, f.media_basket_id));
    assert!(kept.files > last.total && kept.bytes > 0, "thumbnails and previews: {kept:?}");
    assert_eq!(w.desktop.kept_baskets(P), vec![kept.clone()]);

    // The server goes; a new browse state (as after a restart) knows nothing but what is on disk.
    w.sim.shutdown().await;
    w.desktop.set_media_cache_dir(w.dir.path().join("cache"));
    let basket = w.desktop.cached_basket(P, f.media_basket_id).await.expect("the kept basket");
    let mut previews = 0;
    for e in basket.value.elements.iter().filter(|e| e.thumb.is_some()) {
        let thumb = format!("thumb/{}/{}", e.databox_id, e.record_id);
        assert_eq!(w.desktop.media_request(P, &thumb, None).await.expect("thumbnail offline").status, 200);
        if e.kind == MediaKind::Story {
            continue;
        }
        let preview = format!("sub/{}/{}/preview", e.databox_id, e.record_id);
        if let Ok(answer) = w.desktop.media_request(P, &preview, Some("bytes=0-")).await {
            assert!(matches!(answer.status, 200 | 206));
            previews += 1;
        }
    }
    assert!(previews >= 2, "previews offline without opening their panels: {previews}");
    assert_eq!(w.desktop.kept_baskets(P)[0].bytes, kept.bytes, "the size, read from the cache");

    let left = w.desktop.forget_offline(P, f.media_basket_id).unwrap();
    assert!(left.is_empty());
}

#[tokio::test]
async fn a_keep_can_be_cancelled() {
    let mut options = SimOptions::default();
    options.faults.latency = Duration::from_millis(150);
    let w = world(options).await;
    let f = w.sim.fixtures().clone();
    let desktop = std::sync::Arc::new(w.desktop);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<KeepProgress>();
    let running = {
        let d = desktop.clone();
        tokio::spawn(
            async move { d.keep_offline(P, f.media_basket_id, true, move |p| drop(tx.send(p))).await },
        )
    };
    let first = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.unwrap().unwrap();
    assert!(first.done < first.total, "{first:?}");
    desktop.cancel_keep(P, f.media_basket_id);
    let err = tokio::time::timeout(Duration::from_secs(10), running).await.unwrap().unwrap().unwrap_err();
    assert_eq!(err, Error::Cancelled);
    assert!(desktop.kept_baskets(P).is_empty(), "not listed as kept");
}
