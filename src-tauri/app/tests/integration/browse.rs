//! Browse use cases against the Phraseanet double over real HTTP: baskets, vote baskets,
//! records, stories, hostile strings, the 10,000-element basket, and a revoked token.

use std::time::Instant;

use phraseanet_app::browse::{ElementRef, MediaKind};
use phraseanet_client::RecordRef;
use phraseanet_sim::{Dataset, SimOptions};

use crate::common::{World, P};

async fn world(dataset: Dataset) -> World {
    crate::common::world(SimOptions { dataset, ..Default::default() }).await
}

fn rr(r: phraseanet_sim::RecordRef) -> RecordRef {
    RecordRef::new(r.databox_id, r.record_id)
}

#[tokio::test]
async fn baskets_come_newest_first_with_vote_info_and_known_counts() {
    let w = world(Dataset::Demo).await;
    let f = w.sim.fixtures();
    let list = w.desktop.baskets(P).await.unwrap();
    let mut ids: Vec<i64> = list.iter().map(|b| b.info.id).collect();
    ids.sort();
    let mut expected = f.basket_ids.clone();
    expected.sort();
    assert_eq!(ids, expected);
    // Newest first (the double's dates share one offset, so the strings compare like the instants).
    let dates: Vec<&str> = list.iter().map(|b| b.info.updated_on.as_deref().unwrap_or("")).collect();
    assert!(dates.windows(2).all(|p| p[0] >= p[1]), "{dates:?}");
    assert!(list.iter().all(|b| b.element_count.is_none()), "unknown before any content load");

    let vote = list.iter().find(|b| b.info.id == f.vote_basket_id).unwrap();
    let info = vote.vote.as_ref().expect("vote info");
    assert_eq!(info.initiator.as_deref(), Some(f.second_user.display_name.as_str()));
    assert!(!info.is_initiator);
    assert!(info.expires_on.is_some());
    assert_eq!(vote.info.owner.as_deref(), Some(f.second_user.display_name.as_str()));
    let own = list.iter().find(|b| b.info.id == f.own_vote_basket_id).unwrap();
    assert!(own.vote.as_ref().unwrap().is_initiator);
    assert!(list.iter().find(|b| b.info.id == f.plain_basket_id).unwrap().vote.is_none());

    let view = w.desktop.basket(P, f.plain_basket_id).await.unwrap();
    let list = w.desktop.baskets(P).await.unwrap();
    let plain = list.iter().find(|b| b.info.id == f.plain_basket_id).unwrap();
    assert_eq!(plain.element_count, Some(view.elements.len() as u32));
    assert_eq!(plain.info.description, "", "empty description stays empty");
}

#[tokio::test]
async fn a_vote_basket_shows_participants_votes_and_the_lightbox() {
    let w = world(Dataset::Demo).await;
    let f = w.sim.fixtures();
    let view = w.desktop.basket(P, f.vote_basket_id).await.unwrap();
    let vote = view.header.vote.as_ref().expect("vote header");
    assert_eq!(vote.lightbox_url, format!("{}/lightbox/validate/{}/", w.sim.url(), f.vote_basket_id));
    assert!(vote.participants.len() >= 2, "{:?}", vote.participants);
    let me = vote.participants.iter().find(|p| p.name == f.display_name).expect("the user participates");
    assert!(!me.readonly, "the caller is the one participant that is not readonly");
    assert!(view.elements.iter().all(|e| e.vote.is_some()), "vote fields on every element");
    let voted = view.elements.iter().find(|e| e.vote.unwrap().yes + e.vote.unwrap().no > 0).expect("a vote");
    assert!(view.elements.iter().any(|e| e.vote.unwrap().yes + e.vote.unwrap().no == 0), "one without");

    let el = ElementRef { basket_id: f.vote_basket_id, element_id: voted.element_id.unwrap() };
    let r = RecordRef::new(voted.databox_id, voted.record_id);
    let details = w.desktop.record(P, r, Some(el)).await.unwrap();
    assert!(!details.votes.is_empty());
    assert!(details.votes.iter().all(|v| !v.participant.is_empty()));
    assert!(details.votes.iter().any(|v| v.agreement.is_some()));

    // Plain baskets carry no vote fields at all (lean payload).
    let plain = w.desktop.basket(P, f.plain_basket_id).await.unwrap();
    assert!(plain.header.vote.is_none());
    let json = serde_json::to_string(&plain).unwrap();
    assert!(!json.contains("\"vote\":{"), "no vote objects in a plain basket");
}

#[tokio::test]
async fn empty_basket_story_and_records_without_thumbnail() {
    let w = world(Dataset::Demo).await;
    let f = w.sim.fixtures();
    let empty = w.desktop.basket(P, f.empty_basket_id).await.unwrap();
    assert!(empty.elements.is_empty());
    assert_eq!(empty.header.info.id, f.empty_basket_id);

    let plain = w.desktop.basket(P, f.plain_basket_id).await.unwrap();
    let story = plain.elements.iter().find(|e| e.kind == MediaKind::Story).expect("a story element");
    assert_eq!((story.databox_id, story.record_id), (f.story.databox_id, f.story.record_id));
    let nothumb = f.no_thumbnail_record;
    if let Some(e) = plain.elements.iter().find(|e| e.record_id == nothumb.record_id) {
        assert!(e.thumb.is_none());
    }
    assert!(plain.elements.iter().any(|e| e.thumb.is_some_and(|t| t.w > 0 && t.h > 0)));

    let s = w.desktop.story(P, rr(f.story)).await.unwrap();
    assert!(!s.title.is_empty());
    assert!(!s.records.is_empty());
    assert!(s.records.iter().all(|r| r.element_id.is_none() && r.kind != MediaKind::Story));
    let as_record = w.desktop.record(P, rr(f.story), None).await.unwrap();
    assert_eq!(as_record.kind, MediaKind::Story);
    assert!(as_record.mime.is_none() && as_record.sha256.is_none());
    let e = w.desktop.story(P, rr(f.empty_story)).await.unwrap();
    assert!(e.records.is_empty());
    let err = w.desktop.story(P, rr(f.image_record)).await.unwrap_err();
    assert_eq!(err.code(), "not-a-story");
}

#[tokio::test]
async fn record_details_have_caption_status_labels_and_subdefs() {
    let w = world(Dataset::Demo).await;
    let f = w.sim.fixtures();
    let d = w.desktop.record(P, rr(f.image_record), None).await.unwrap();
    assert_eq!(d.kind, MediaKind::Image);
    assert!(!d.title.is_empty());
    assert!(d.caption.iter().any(|c| c.value.as_deref().is_some_and(|v| !v.is_empty())), "{:?}", d.caption);
    assert!(!d.technical.is_empty());
    assert!(!d.status.is_empty(), "the databox defines status bits");
    for s in &d.status {
        assert!(s.on_label.is_some() && s.off_label.is_some(), "{s:?}");
        assert_eq!(s.label, if s.state { s.on_label.clone() } else { s.off_label.clone() });
    }
    let names: Vec<&str> = d.subdefs.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"document") && names.contains(&"preview"), "{names:?}");
    let preview = d.subdefs.iter().find(|s| s.name == "preview").unwrap();
    assert!(preview.width > 0 && preview.height > 0 && preview.filesize > 0);
    assert_eq!(
        preview.path,
        format!("sub/{}/{}/preview", f.image_record.databox_id, f.image_record.record_id)
    );
    assert!(d.votes.is_empty());

    let np = w.desktop.record(P, rr(f.no_permalink_record), None).await.unwrap();
    assert!(np.subdefs.iter().any(|s| s.name == "preview" && s.permalink.is_none()));
    let v = w.desktop.record(P, rr(f.video_record), None).await.unwrap();
    assert_eq!(v.kind, MediaKind::Video);
    let err = w.desktop.record(P, rr(f.inaccessible_record), None).await.unwrap_err();
    assert_eq!(err.code(), "unauthorized", "a permission 401 is not a sign-out");
}

#[tokio::test]
async fn hostile_strings_come_back_byte_identical() {
    let w = world(Dataset::Hostile).await;
    let f = w.sim.fixtures();
    let plain = w.desktop.basket(P, f.plain_basket_id).await.unwrap();
    for e in &plain.elements {
        let ok = phraseanet_sim::hostile::TEXT.iter().any(|t| e.title == format!("{t} #{}", e.record_id));
        assert!(ok, "title changed: {:?}", e.title);
    }
    let list = w.desktop.baskets(P).await.unwrap();
    for b in &list {
        let ok =
            phraseanet_sim::hostile::TEXT.iter().any(|t| b.info.name == format!("{t} basket {}", b.info.id));
        assert!(ok, "basket name changed: {:?}", b.info.name);
    }
    let d = w.desktop.record(P, rr(f.hostile_record), None).await.unwrap();
    assert_eq!(d.caption[0].value.as_deref(), Some(d.title.as_str()), "caption passed through untouched");
    assert!(
        phraseanet_sim::hostile::NAMES.iter().any(|n| d.original_name.as_deref() == Some(*n))
            || d.original_name.as_deref().is_some_and(|n| n.len() > 1000)
    );
}

#[tokio::test]
async fn a_ten_thousand_element_basket_builds_and_serializes_quickly() {
    let w = world(Dataset::Large).await;
    let f = w.sim.fixtures();
    let id = f.large_basket_id.expect("large basket");
    let t = Instant::now();
    let raw = w.desktop.session(P).unwrap().api().basket(id).await.unwrap();
    println!("large basket: plain client call (HTTP + decode) {:?}", t.elapsed());
    drop(raw);
    let t0 = Instant::now();
    let view = w.desktop.basket(P, id).await.unwrap();
    let built = t0.elapsed();
    let t1 = Instant::now();
    let json = serde_json::to_vec(&view).unwrap();
    let serialized = t1.elapsed();
    assert_eq!(view.elements.len(), f.large_basket_size);
    assert!(view.elements.windows(2).all(|p| p[0].element_id != p[1].element_id));
    println!(
        "large basket: {} elements, basket() {:?} (HTTP + decode + build), serialize {:?}, {} KiB JSON ({} B/element)",
        view.elements.len(),
        built,
        serialized,
        json.len() / 1024,
        json.len() / view.elements.len().max(1)
    );
    // The index knows every thumbnail: the first one is served without another API call.
    let first = view.elements.iter().find(|e| e.thumb.is_some()).unwrap();
    let t2 = Instant::now();
    let m = w
        .desktop
        .media_request(P, &format!("thumb/{}/{}", first.databox_id, first.record_id), None)
        .await
        .unwrap();
    println!("first thumbnail: {:?}, {} bytes", t2.elapsed(), m.body.len());
    assert_eq!(m.status, 200);
}

fn send<T: Send>(_: T) {}

/// The shell's async commands need `Send` futures and a `Send + Sync` `Desktop`.
#[tokio::test]
async fn the_browse_futures_are_send() {
    fn sync<T: Send + Sync>(_: &T) {}
    let w = world(Dataset::Demo).await;
    let d = &w.desktop;
    sync(d);
    let r = RecordRef::new(1, 1);
    send(d.baskets(P));
    send(d.basket(P, 1));
    send(d.record(P, r, Some(ElementRef { basket_id: 1, element_id: 1 })));
    send(d.story(P, r));
    send(d.media_request(P, "thumb/1/1", Some("bytes=0-")));
    send(d.search(P, "", 0, 10));
    send(d.feeds(P));
    send(d.feed(P, None, 0, 10));
    send(d.download_record(P, r, None, None, |_| {}));
    send(d.download_basket(P, 1, None, false, |_| {}));
    send(d.retry_download(1));
}

#[tokio::test]
async fn a_revoked_token_gives_signed_out_on_every_browse_call() {
    let w = world(Dataset::Demo).await;
    let f = w.sim.fixtures().clone();
    let calls = ["baskets", "basket", "record", "story", "media"];
    let mut token = f.developer_token.clone();
    for call in calls {
        assert!(w.sim.revoke_token(&token));
        let err = match call {
            "baskets" => w.desktop.baskets(P).await.map(|_| ()),
            "basket" => w.desktop.basket(P, f.plain_basket_id).await.map(|_| ()),
            "record" => w.desktop.record(P, rr(f.image_record), None).await.map(|_| ()),
            "story" => w.desktop.story(P, rr(f.story)).await.map(|_| ()),
            _ => w.desktop.media_request(P, "sub/1/1/preview", None).await.map(|_| ()),
        }
        .unwrap_err();
        assert_eq!(err.code(), "signed-out", "{call}");
        let again = w.desktop.baskets(P).await.unwrap_err();
        assert!(matches!(again.code().as_str(), "signed-out" | "not-signed-in"), "{call}: {}", again.code());
        token = w.sim.issue_token(&f.desktop_app.client_id).unwrap();
        w.desktop.sign_in_with_token(P, &token).await.unwrap();
    }
}

#[tokio::test]
async fn search_and_feeds_give_grid_items() {
    let w = world(Dataset::Demo).await;
    let f = w.sim.fixtures();
    let first = w.desktop.search(P, "", 0, 20).await.unwrap();
    assert_eq!(first.total as usize, f.searchable_records);
    assert_eq!(first.items.len(), 20.min(f.searchable_records));
    assert_eq!(first.next_offset, (20 < first.total).then_some(20));
    let second = w.desktop.search(P, "", 20, 20).await.unwrap();
    assert!(second
        .items
        .iter()
        .all(|i| !first.items.iter().any(|j| j.record_id == i.record_id && j.databox_id == i.databox_id)));
    let hit = first.items.iter().find(|i| i.thumb.is_some()).unwrap();
    let path = format!("thumb/{}/{}", hit.databox_id, hit.record_id);
    assert_eq!(w.desktop.media_request(P, &path, None).await.unwrap().status, 200);

    let feeds = w.desktop.feeds(P).await.unwrap();
    assert!(feeds.iter().any(|x| x.id == f.feed_id));
    let page = w.desktop.feed(P, Some(f.feed_id), 0, 10).await.unwrap();
    assert_eq!(page.feed.as_ref().map(|x| x.id), Some(f.feed_id));
    assert!(!page.entries.is_empty());
    assert!(page.entries.iter().any(|e| !e.items.is_empty()));
    let paged = w.desktop.feed(P, Some(f.paged_feed_id), 5, 5).await.unwrap();
    assert_eq!(paged.entries.len(), 2, "7 entries, from the 6th (entries as an object, api §7.11)");
    let all = w.desktop.feed(P, None, 0, 5).await.unwrap();
    assert!(all.feed.is_none() && !all.entries.is_empty());
    let err = w.desktop.feed(P, Some(f.inaccessible_feed_id), 0, 5).await.unwrap_err();
    assert_eq!(err.code(), "forbidden");
}

/// What was seen is on disk for the next start, readable with the server gone, and only for the same
/// account.
#[tokio::test]
async fn seen_views_come_back_from_disk_after_a_restart_offline() {
    let w = crate::common::world(phraseanet_sim::SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    let list = w.desktop.baskets(P).await.unwrap();
    let basket = w.desktop.basket(P, f.plain_basket_id).await.unwrap();
    let r = RecordRef::new(f.image_record.databox_id, f.image_record.record_id);
    let record = w.desktop.record(P, r, None).await.unwrap();
    // Written in the background: wait for the last one.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while w.desktop.cached_record(P, r).await.is_none() {
        assert!(std::time::Instant::now() < deadline, "the record panel was never kept");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    w.sim.shutdown().await;

    let again = phraseanet_app::Desktop::new(
        phraseanet_client::ProfileStore::at(w.dir.path().join("config")),
        phraseanet_client::Vault::session_only(),
    );
    again.set_media_cache_dir(w.dir.path().join("cache"));
    assert_eq!(again.cached_baskets(P).await.expect("the list").value, list);
    let cached = again.cached_basket(P, f.plain_basket_id).await.expect("the basket");
    assert_eq!(cached.value, basket);
    assert!(cached.saved_at > 0);
    assert_eq!(again.cached_record(P, r).await.expect("the record").value, record);
    assert!(again.cached_basket(P, f.media_basket_id).await.is_none(), "never opened");
    assert!(again.cached_baskets("Another profile").await.is_none());
}

/// Offline, a saved basket's thumbnails and a saved record's preview still load: their sources come
/// back with the saved views, and the bytes from the media cache.
#[tokio::test]
async fn saved_views_bring_their_media_back_offline() {
    let w = crate::common::world(phraseanet_sim::SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    let basket = w.desktop.basket(P, f.plain_basket_id).await.unwrap();
    let first = basket.elements.iter().find(|e| e.thumb.is_some()).expect("a thumbnail");
    let thumb = format!("thumb/{}/{}", first.databox_id, first.record_id);
    w.desktop.media_request(P, &thumb, None).await.expect("the thumbnail online");
    let r = RecordRef::new(f.image_record.databox_id, f.image_record.record_id);
    w.desktop.record(P, r, None).await.unwrap();
    let preview = format!("sub/{}/{}/preview", r.databox_id, r.record_id);
    w.desktop.media_request(P, &preview, None).await.expect("the preview online");
    let deadline = Instant::now() + std::time::Duration::from_secs(5);
    while w.desktop.cached_record(P, r).await.is_none()
        || w.desktop.cached_basket(P, f.plain_basket_id).await.is_none()
    {
        assert!(Instant::now() < deadline, "the views were never kept");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    w.sim.shutdown().await;
    // A new browse state (as after a restart): the media index is empty again.
    w.desktop.set_media_cache_dir(w.dir.path().join("cache"));
    assert!(
        w.desktop.media_request(P, &thumb, None).await.is_err(),
        "nothing resolves before the saved views"
    );

    w.desktop.cached_basket(P, f.plain_basket_id).await.expect("the saved basket");
    let answer = w.desktop.media_request(P, &thumb, None).await.expect("the thumbnail offline");
    assert_eq!(answer.status, 200);
    w.desktop.cached_record(P, r).await.expect("the saved record");
    let answer = w.desktop.media_request(P, &preview, None).await.expect("the preview offline");
    assert!(answer.content_type.starts_with("image/"), "{}", answer.content_type);
}

/// A saved basket's start (its first screen) comes with its own thumbnails' sources only; the whole copy
/// brings the others.
#[tokio::test]
async fn a_saved_basket_start_is_its_first_cells_with_their_thumbnails() {
    let w = crate::common::world(phraseanet_sim::SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    let basket = w.desktop.basket(P, f.plain_basket_id).await.unwrap();
    let thumbs: Vec<String> = basket
        .elements
        .iter()
        .filter(|e| e.thumb.is_some())
        .map(|e| format!("thumb/{}/{}", e.databox_id, e.record_id))
        .collect();
    assert!(thumbs.len() >= 2, "the plain basket has thumbnails");
    for thumb in &thumbs {
        w.desktop.media_request(P, thumb, None).await.expect("the thumbnail online");
    }
    let deadline = Instant::now() + std::time::Duration::from_secs(5);
    while w.desktop.cached_basket(P, f.plain_basket_id).await.is_none() {
        assert!(Instant::now() < deadline, "the basket was never kept");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // The media sources are kept after the view: wait until a fresh index resolves the last thumbnail.
    w.sim.shutdown().await;
    let last = thumbs.last().unwrap();
    loop {
        w.desktop.set_media_cache_dir(w.dir.path().join("cache"));
        w.desktop.cached_basket(P, f.plain_basket_id).await;
        if w.desktop.media_request(P, last, None).await.is_ok() {
            break;
        }
        assert!(Instant::now() < deadline, "the media sources were never kept");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    w.desktop.set_media_cache_dir(w.dir.path().join("cache"));

    let first = basket.elements.iter().position(|e| e.thumb.is_some()).unwrap() + 1;
    let start = w.desktop.cached_basket_start(P, f.plain_basket_id, first).await.expect("the start");
    assert_eq!(start.value.header, basket.header);
    assert_eq!(start.value.elements, basket.elements[..first]);
    assert_eq!(start.element_count as usize, basket.elements.len());
    let answer = w.desktop.media_request(P, &thumbs[0], None).await.expect("the start's thumbnail offline");
    assert_eq!(answer.status, 200);
    assert!(w.desktop.media_request(P, last, None).await.is_err(), "only the start's sources are back");
    w.desktop.cached_basket(P, f.plain_basket_id).await.expect("the whole");
    assert_eq!(w.desktop.media_request(P, last, None).await.expect("then the others").status, 200);
    // Asked for more than it holds, the start is the whole copy.
    let all = w.desktop.cached_basket_start(P, f.plain_basket_id, 10_000).await.expect("the whole start");
    assert_eq!(all.value, basket);
    assert!(w.desktop.cached_basket_start(P, f.media_basket_id, 10).await.is_none(), "never opened");
}
