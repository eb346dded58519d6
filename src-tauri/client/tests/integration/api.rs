//! Every v1 call and quirk against the double, and the fault flags.

use std::time::{Duration, Instant};

use phraseanet_client::models::SearchQuery;
use phraseanet_client::{Error, RecordRef};
use phraseanet_sim::{Dataset, Faults};

use crate::common::*;

#[tokio::test]
async fn me_and_baskets() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let api = api(&sim);
    let me = api.me().await.unwrap();
    assert_eq!(me.user.id, f.user_id);
    assert!(!me.collections.is_empty());

    let baskets = api.baskets().await.unwrap();
    assert_eq!(baskets.iter().map(|b| b.basket_id).collect::<Vec<_>>(), f.basket_ids);
    let vote = baskets.iter().find(|b| b.basket_id == f.vote_basket_id).unwrap();
    assert!(vote.validation_basket);
    assert!(!vote.validation_users.is_empty());

    let plain = api.basket(f.plain_basket_id).await.unwrap();
    assert_eq!(plain.basket.description, "");
    assert!(plain.basket_elements.iter().any(|e| e.record.looks_like_story()));
    assert!(plain.basket_elements.iter().any(|e| e.record.thumbnail.is_none()));

    let vote = api.basket(f.vote_basket_id).await.unwrap();
    assert!(vote.basket_elements.iter().any(|e| e.validation_choices.is_empty()));
    assert!(vote.basket_elements.iter().any(|e| !e.validation_choices.is_empty()));

    assert!(api.basket(f.empty_basket_id).await.unwrap().basket_elements.is_empty());
    assert_eq!(api.basket(f.forbidden_basket_id).await.unwrap_err().code(), "forbidden");
    assert_eq!(api.basket(987_654).await.unwrap_err().code(), "not-found");
    sim.shutdown().await;
}

#[tokio::test]
async fn basket_writes() {
    let sim = sim().await;
    let api = api(&sim);
    let b = api.create_basket("Fresh <b>one</b>").await.unwrap();
    assert_eq!(b.name, "Fresh <b>one</b>");
    let b2 = api.rename_basket(b.basket_id, "Renamed").await.unwrap();
    assert_eq!(b2.name, "Renamed");
    let b3 = api.set_basket_description(b.basket_id, "About it").await.unwrap();
    assert_eq!(b3.description, "About it");
    assert!(api.baskets().await.unwrap().iter().any(|x| x.basket_id == b.basket_id));
    let rest = api.delete_basket(b.basket_id).await.unwrap();
    assert!(!rest.iter().any(|x| x.basket_id == b.basket_id));
    assert_eq!(api.create_basket("").await.unwrap_err().code(), "bad-request");
    sim.shutdown().await;
}

/// API v2's basket records on each server family: 4.1 (header), 4.0 behind Apache (the token only as a
/// parameter, here in the query string beside the JSON body), 3.8 (no v2: `not-supported`).
#[tokio::test]
async fn basket_records_through_v2_on_every_server_family() {
    use phraseanet_sim::{Behind, ServerProfile, SimOptions};
    for (profile, behind) in [
        (ServerProfile::Current41, Behind::None),
        (ServerProfile::V40, Behind::ApacheFpm),
        (ServerProfile::V38, Behind::None),
    ] {
        let sim =
            phraseanet_sim::Sim::start(SimOptions { server_profile: profile, behind, ..Default::default() })
                .await
                .unwrap();
        let f = sim.fixtures().clone();
        let token = phraseanet_client::Secret::new(&f.developer_token);
        let api = phraseanet_client::Api::probed(server(&sim), token, fast_opts()).await.unwrap();
        let info = phraseanet_client::discover(&server(&sim), &fast_opts()).await.unwrap();
        let b = api.create_basket("Curated").await.unwrap();
        let records = [rr(&f.image_record), rr(&f.video_record), rr(&f.image_record)];
        let added = api.add_to_basket(b.basket_id, &records).await;
        if profile == ServerProfile::V38 {
            assert!(!info.has_v2());
            assert_eq!(added.unwrap_err().code(), "not-supported", "{profile:?}");
            sim.shutdown().await;
            continue;
        }
        assert!(info.has_v2(), "{profile:?}");
        assert_eq!(added.unwrap(), 2, "{profile:?}: the duplicate is skipped");
        assert_eq!(api.basket(b.basket_id).await.unwrap().basket_elements.len(), 2);
        assert_eq!(api.remove_from_basket(b.basket_id, &[rr(&f.video_record)]).await.unwrap(), 1);
        assert_eq!(api.basket(b.basket_id).await.unwrap().basket_elements.len(), 1);
        let err = api.add_to_basket(987_654, &records).await.unwrap_err();
        assert_eq!(err.code(), "not-found", "{profile:?}: {err}");
        let err = api.add_to_basket(f.forbidden_basket_id, &records).await.unwrap_err();
        assert_eq!(err.code(), "forbidden", "{profile:?}: {err}");
        let v2: Vec<_> = sim.requests().into_iter().filter(|r| r.path.starts_with("/api/v2/")).collect();
        assert_eq!(v2.len(), 4, "{profile:?}");
        assert!(v2.iter().all(|r| r.transport.len() == 1), "{profile:?}: one token transport per request");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn records_and_their_parts() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let api = api(&sim);
    let r = rr(&f.image_record);
    let rec = api.record(r).await.unwrap();
    assert_eq!((rec.databox_id, rec.record_id), (r.databox_id, r.record_id));
    assert!(rec.thumbnail.is_some());
    let embed = api.record_embed(r, None).await.unwrap();
    assert!(embed.iter().any(|s| s.name == "preview"));
    assert!(embed.iter().all(|s| s.fetch_url().is_some()));
    assert!(!api.record_caption(r).await.unwrap().is_empty());
    assert!(!api.record_metadatas(r).await.unwrap().is_empty());
    let status = api.record_status(r).await.unwrap();
    assert!(status.iter().all(|s| s.bit >= 4));
    let _related = api.record_related(r).await.unwrap();

    assert!(api.record(rr(&f.no_thumbnail_record)).await.unwrap().thumbnail.is_none());
    let np = api.record_embed(rr(&f.no_permalink_record), None).await.unwrap();
    assert!(np.iter().any(|s| s.permalink.is_none()));
    // A 401 envelope is a permission error, not a sign-out (api §3).
    assert_eq!(api.record(rr(&f.inaccessible_record)).await.unwrap_err().code(), "unauthorized");
    assert_eq!(api.record(RecordRef::new(1, 99_999_999)).await.unwrap_err().code(), "not-found");
    sim.shutdown().await;
}

#[tokio::test]
async fn stories() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let api = api(&sim);
    let s = api.story(rr(&f.story)).await.unwrap();
    assert_eq!(s.story_id, f.story.record_id);
    assert!(!s.records.is_empty());
    let _ = api.story_embed(rr(&f.story)).await.unwrap();
    let empty = api.story(rr(&f.empty_story)).await.unwrap();
    assert!(empty.records.is_empty() && empty.thumbnail.is_none());
    // api §7.12
    assert_eq!(api.story(rr(&f.image_record)).await.unwrap_err().code(), "not-a-story");
    sim.shutdown().await;
}

#[tokio::test]
async fn search_pages_through_everything() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let api = api(&sim);
    let mut q = SearchQuery { per_page: 25, ..SearchQuery::new("") };
    let mut seen = std::collections::HashSet::new();
    loop {
        let page = api.search(&q).await.unwrap();
        assert_eq!(page.available_results as usize, page.results.records.len());
        for r in &page.results.records {
            seen.insert((r.databox_id, r.record_id));
        }
        match q.next_page(&page) {
            Some(next) => q = next,
            None => {
                assert_eq!(page.total_results as usize, f.searchable_records);
                break;
            }
        }
    }
    assert_eq!(seen.len(), f.searchable_records);
    let stories = api.search(&SearchQuery { stories: true, ..SearchQuery::new("") }).await.unwrap();
    assert!(!stories.results.stories.is_empty());
    assert!(stories.results.records.is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn databoxes_collections_feeds() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let api = api(&sim);
    let dbs = api.databoxes().await.unwrap();
    for id in &f.databox_ids {
        assert!(dbs.iter().any(|d| d.databox_id == *id));
    }
    assert!(!api.collections(f.databox_ids[0]).await.unwrap().is_empty());
    assert!(api.collections(f.empty_databox_id).await.unwrap().is_empty());
    assert_eq!(api.collections(f.restricted_databox_id).await.unwrap_err().code(), "unauthorized");

    let feeds = api.feeds().await.unwrap();
    assert!(feeds.iter().any(|x| x.id == f.feed_id));
    let feed = api.feed(f.feed_id, 0, 10).await.unwrap();
    assert!(!feed.entries.is_empty());
    // api §7.11: with offset_start > 0 the entries come as an object.
    let all = api.feed(f.paged_feed_id, 0, 100).await.unwrap();
    let tail = api.feed(f.paged_feed_id, 5, 5).await.unwrap();
    assert_eq!(tail.entries.len(), all.entries.len() - 5);
    assert_eq!(tail.entries[0].id, all.entries[5].id);
    assert_eq!(api.feed(f.inaccessible_feed_id, 0, 5).await.unwrap_err().code(), "forbidden");
    let entry = api.feed_entry(feed.entries[0].id).await.unwrap();
    assert_eq!(entry.id, feed.entries[0].id);
    assert_eq!(api.feed_entry(f.inaccessible_entry_id).await.unwrap_err().code(), "forbidden");
    let agg = api.feeds_content(0, 5).await.unwrap();
    assert!(!agg.entries.is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn faults_are_absorbed_by_retries() {
    for (name, faults) in [
        ("latency", Faults { latency: Duration::from_millis(50), ..Default::default() }),
        ("5xx", Faults { fail_rate: 0.3, seed: 7, ..Default::default() }),
        ("drops", Faults { drop_rate: 0.3, seed: 8, ..Default::default() }),
        ("truncation", Faults { truncate_rate: 0.3, seed: 9, ..Default::default() }),
        ("slow body", Faults { slow_body: Some(Duration::from_millis(1)), ..Default::default() }),
    ] {
        let sim = sim_with(Dataset::Demo, faults).await;
        let api = api(&sim);
        for _ in 0..8 {
            let baskets = api.baskets().await.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!baskets.is_empty(), "{name}");
        }
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn persistent_failures_end_with_a_typed_error_and_posts_are_not_retried() {
    let sim = sim_with(Dataset::Demo, Faults { fail_rate: 1.0, ..Default::default() }).await;
    let api = api(&sim);
    let start = Instant::now();
    let err = api.baskets().await.unwrap_err();
    assert!(matches!(err, Error::Server { .. }), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(10));
    let err = api.create_basket("x").await.unwrap_err();
    assert_eq!(err.code(), "server");
    sim.shutdown().await;

    let sim = sim_with(Dataset::Demo, Faults { drop_rate: 1.0, ..Default::default() }).await;
    assert_eq!(crate::common::api(&sim).me().await.unwrap_err().code(), "network");
    sim.shutdown().await;
}

#[tokio::test]
async fn large_basket_decodes_quickly() {
    let sim = phraseanet_sim::Sim::start(phraseanet_sim::SimOptions {
        dataset: Dataset::Large,
        basket_size: 10_000,
        ..Default::default()
    })
    .await
    .unwrap();
    let f = sim.fixtures().clone();
    let api = api(&sim);
    let start = Instant::now();
    let c = api.basket(f.large_basket_id.unwrap()).await.unwrap();
    eprintln!("10,000-element basket fetched and decoded in {:?}", start.elapsed());
    assert_eq!(c.basket_elements.len(), f.large_basket_size);
    sim.shutdown().await;
}
