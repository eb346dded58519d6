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

/// Keep offline on the servers in the field: older versions (the token as a parameter), Apache dropping
/// the header, a proxy answering 429.
#[tokio::test]
async fn keep_offline_works_on_every_server_profile_and_deployment() {
    for (server_profile, behind) in crate::common::FIELD_SERVERS {
        let w = world(SimOptions { server_profile, behind, ..Default::default() }).await;
        let f = w.sim.fixtures().clone();
        let kept = w.desktop.keep_offline(P, f.media_basket_id, false, |_| {}).await;
        let kept = kept.unwrap_or_else(|e| panic!("{server_profile:?} behind {behind:?}: {e}"));
        assert!(kept.files > 0 && kept.bytes > 0, "{server_profile:?} behind {behind:?}: {kept:?}");
    }
}

/// A revoked token or a server that fails ends the keep with the error the UI words, and nothing is
/// listed as kept.
#[tokio::test]
async fn a_revoked_token_or_a_failing_server_ends_the_keep_with_its_error() {
    let w = world(SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    assert!(w.sim.revoke_token(&f.developer_token));
    let err = w.desktop.keep_offline(P, f.media_basket_id, false, |_| {}).await.unwrap_err();
    assert_eq!(err.code(), "signed-out");
    assert!(w.desktop.kept_baskets(P).is_empty());

    let mut options = SimOptions::default();
    options.faults.fail_rate = 1.0;
    let w = world_after_sign_in_then(options).await;
    let err = w.desktop.keep_offline(P, f.media_basket_id, false, |_| {}).await.unwrap_err();
    assert!(phraseanet_client::ErrorPayload::from(&err).retry, "a 5xx can be retried: {err}");
    assert!(w.desktop.kept_baskets(P).is_empty());
}

/// A world whose server starts failing once the profile is signed in.
async fn world_after_sign_in_then(options: SimOptions) -> crate::common::World {
    let w = world(SimOptions { faults: Default::default(), ..options.clone() }).await;
    w.sim.set_faults(options.faults);
    w
}
