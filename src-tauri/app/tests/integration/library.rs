//! The library against the double: search with the form's filters, facets that narrow, stories,
//! paging inside the result window, collections, feeds.

use phraseanet_app::browse::{LastView, MediaKind, Place, SearchRequest, WebTarget};
use phraseanet_client::RecordRef;
use phraseanet_sim::{Dataset, Faults, SimOptions};

use crate::common::{World, P};

async fn world(dataset: Dataset) -> World {
    crate::common::world(SimOptions { dataset, ..Default::default() }).await
}

/// The double's record reference as the app takes it.
fn at(r: phraseanet_sim::RecordRef) -> RecordRef {
    RecordRef::new(r.databox_id, r.record_id)
}

fn req(edit: impl FnOnce(&mut SearchRequest)) -> SearchRequest {
    let mut r = SearchRequest::default();
    edit(&mut r);
    r
}

#[tokio::test]
async fn facets_narrow_and_filters_apply() {
    let w = world(Dataset::Demo).await;
    let all = w.desktop.search_with(P, &SearchRequest::default()).await.unwrap();
    assert_eq!(all.total as usize, w.sim.fixtures().searchable_records);
    assert_eq!(all.per_page, 50, "0 means the default page size");
    let types = all.facets.iter().find(|f| f.field == "type").expect("a type facet");
    assert!(!types.values.is_empty());
    for v in &types.values {
        // The facet's own query narrows to exactly its count.
        let narrowed = w.desktop.search_with(P, &req(|r| r.query = v.query.clone())).await.unwrap();
        assert_eq!(narrowed.total, v.count, "{}", v.query);
    }
    assert!(!all.suggestions.is_empty());

    let images = w.desktop.search_with(P, &req(|r| r.record_type = Some("image".into()))).await.unwrap();
    assert!(images.total > 0 && images.total < all.total);
    assert!(images.items.iter().all(|i| i.kind == MediaKind::Image));

    let stories = w.desktop.search_with(P, &req(|r| r.stories = true)).await.unwrap();
    assert!(!stories.items.is_empty());
    assert!(stories.items.iter().all(|i| i.kind == MediaKind::Story));

    let future = req(|r| r.date_min = Some("2100-01-01".into()));
    assert_eq!(w.desktop.search_with(P, &future).await.unwrap().total, 0, "Y-m-d is sent as Y/m/d");
    let oldest = w
        .desktop
        .search_with(
            P,
            &req(|r| (r.sort, r.ord, r.per_page) = (Some("created_on".into()), Some("asc".into()), 200)),
        )
        .await
        .unwrap();
    let newest = w
        .desktop
        .search_with(
            P,
            &req(|r| (r.sort, r.ord, r.per_page) = (Some("created_on".into()), Some("desc".into()), 200)),
        )
        .await
        .unwrap();
    assert_eq!(oldest.items.len(), all.total as usize, "one page holds them all");
    let ids =
        |p: &phraseanet_app::browse::SearchPage| p.items.iter().map(|i| i.record_id).collect::<Vec<_>>();
    let mut reversed = ids(&newest);
    reversed.reverse();
    assert_eq!(ids(&oldest), reversed);
}

#[tokio::test]
async fn collections_restrict_a_search() {
    let w = world(Dataset::Demo).await;
    let dbs = w.desktop.collections(P).await.unwrap();
    assert!(!dbs.is_empty());
    let all = w.desktop.search_with(P, &SearchRequest::default()).await.unwrap().total;
    let mut sum = 0;
    for c in dbs.iter().flat_map(|d| &d.collections) {
        sum += w.desktop.search_with(P, &req(|r| r.bases = vec![c.base_id])).await.unwrap().total;
    }
    assert_eq!(sum, all, "the collections partition the searchable records");
}

#[tokio::test]
async fn paging_stops_at_the_result_window_and_says_so() {
    let w = crate::common::world(SimOptions {
        dataset: Dataset::Large,
        basket_size: 10_050,
        server_profile: phraseanet_sim::ServerProfile::V40,
        ..Default::default()
    })
    .await;
    let first = w.desktop.search_with(P, &req(|r| r.per_page = 200)).await.unwrap();
    assert!(first.total > 10_000, "{}", first.total);
    let last = w.desktop.search_with(P, &req(|r| (r.offset, r.per_page) = (9_800, 200))).await.unwrap();
    assert_eq!(last.next_offset, None, "the next page would pass the window");
    assert!(last.beyond_window);
    assert!(!first.beyond_window);
}

#[tokio::test]
async fn search_facets_and_collections_on_every_server_profile() {
    use phraseanet_sim::{Behind, ServerProfile::*};
    for (profile, behind) in [
        (Current41, Behind::None),
        (HeaderOnly41, Behind::None),
        (V410, Behind::None),
        (V40, Behind::ApacheFpm),
        (V38, Behind::None),
        (Current41, Behind::RateLimit),
    ] {
        let name = format!("{profile:?} behind {behind:?}");
        let w =
            crate::common::world(SimOptions { server_profile: profile, behind, ..Default::default() }).await;
        let all = w
            .desktop
            .search_with(P, &SearchRequest::default())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(all.total > 0, "{name}");
        let dbs = w.desktop.collections(P).await.unwrap_or_else(|e| panic!("{name}: collections: {e}"));
        let base = dbs.first().and_then(|d| d.collections.first()).unwrap_or_else(|| panic!("{name}: none"));
        let one = w.desktop.search_with(P, &req(|r| r.bases = vec![base.base_id])).await.unwrap();
        assert!(one.total > 0 && one.total <= all.total, "{name}");
        if let Some(v) = all.facets.first().and_then(|f| f.values.first()) {
            let narrowed = w.desktop.search_with(P, &req(|r| r.query = v.query.clone())).await.unwrap();
            assert_eq!(narrowed.total, v.count, "{name}");
        }
    }
}

#[tokio::test]
async fn the_query_language_of_the_double_answers_not_fields_and_brackets() {
    let w = world(Dataset::Demo).await;
    let total = |q: &str| {
        let r = req(|r| r.query = q.into());
        let d = &w.desktop;
        async move { d.search_with(P, &r).await.unwrap().total }
    };
    let all = total("").await;
    let images = total("type:image").await;
    assert!(images > 0 && images < all);
    assert_eq!(total("NOT type:image").await, all - images);
    assert_eq!(total("(type:image OR NOT type:image)").await, all);
    assert_eq!(total("type:image AND NOT type:image").await, 0);
    // The filters are ANDed to the typed query by the app, brackets and all.
    let filtered = req(|r| {
        r.query = "type:image OR type:video".into();
        r.filters.push(phraseanet_app::browse::SearchFilter {
            facet: "Type".into(),
            value: "video".into(),
            query: "type:\"video\"".into(),
        });
    });
    assert_eq!(w.desktop.search_with(P, &filtered).await.unwrap().total, total("type:video").await);
}

#[tokio::test]
async fn the_record_panel_takes_one_call_with_the_extended_format() {
    let w = world(Dataset::Demo).await;
    let f = w.sim.fixtures().clone();
    w.desktop.baskets(P).await.unwrap(); // `/me/` and the list: not what is measured
    w.sim.clear_requests();
    let details = w.desktop.record(P, at(f.image_record), None).await.unwrap();
    let calls: Vec<String> = w.sim.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        calls,
        vec![format!("/api/v1/records/{}/{}/", f.image_record.databox_id, f.image_record.record_id)],
        "one call for record, caption, status and sub-definitions"
    );
    assert!(!details.caption.is_empty() && !details.status.is_empty());
    assert!(details.subdefs.iter().any(|s| s.name == "preview"));
    // Stories still go through their own routes.
    let story = w.desktop.record(P, at(f.story), None).await.unwrap();
    assert_eq!(story.kind, MediaKind::Story);
}

#[tokio::test]
async fn related_lists_the_baskets_and_stories_holding_a_record() {
    let w = world(Dataset::Demo).await;
    let f = w.sim.fixtures().clone();
    let story = w.desktop.story(P, at(f.story)).await.unwrap();
    let child = story.records.first().expect("a story with records");
    let child = RecordRef::new(child.databox_id, child.record_id);
    let related = w.desktop.related(P, child).await.unwrap();
    assert!(related.stories.iter().any(|s| s.record_id == f.story.record_id && s.kind == MediaKind::Story));

    let basket = w.desktop.basket(P, f.plain_basket_id).await.unwrap();
    let first = basket.elements.first().expect("a basket with records");
    let first = RecordRef::new(first.databox_id, first.record_id);
    let related = w.desktop.related(P, first).await.unwrap();
    assert!(related.baskets.iter().any(|b| b.info.id == f.plain_basket_id), "{related:?}");
}

#[tokio::test]
async fn recent_and_saved_searches_are_kept_per_profile_across_restarts() {
    let w = world(Dataset::Demo).await;
    w.desktop.run_search(P, &req(|r| r.query = "night".into())).await.unwrap();
    w.desktop.run_search(P, &req(|r| (r.query, r.offset) = ("night".into(), 50))).await.unwrap();
    w.desktop.run_search(P, &req(|r| r.bases = vec![1])).await.unwrap();
    let lists = w.desktop.searches(P);
    assert_eq!(lists.recent.len(), 1, "a typed search once; browsing a collection is not a search");
    assert_eq!(lists.recent[0].request.query, "night");

    let form = req(|r| (r.query, r.record_type) = ("sky".into(), Some("image".into())));
    w.desktop.save_search(P, "Skies", &form).unwrap();
    assert!(matches!(w.desktop.save_search(P, "  ", &form), Err(phraseanet_client::Error::InvalidInput(_))));
    // A new app on the same folder (a restart) finds them.
    let again = phraseanet_app::Desktop::new(
        phraseanet_client::ProfileStore::at(w.dir.path().join("config")),
        phraseanet_client::Vault::session_only(),
    );
    let lists = again.searches(P);
    assert_eq!(lists.saved.len(), 1);
    assert_eq!(lists.saved[0].request, form.first_page());
    let id = lists.saved[0].id;
    assert!(again.delete_saved_search(P, id).unwrap().saved.is_empty());
    assert!(again.clear_recent_searches(P).unwrap().recent.is_empty());

    w.desktop.save_search(P, "Skies", &form).unwrap();
    w.desktop.remove_profile(P).unwrap();
    assert_eq!(w.desktop.searches(P), Default::default(), "a removed profile's searches go with it");
}

#[tokio::test]
async fn one_feed_pages_newest_first_to_its_oldest_entry() {
    let w = world(Dataset::Demo).await;
    let id = w.sim.fixtures().paged_feed_id;
    let mut seen = Vec::new();
    let mut skip = Some(0);
    let mut total = 0;
    while let Some(s) = skip {
        let page = w.desktop.feed(P, Some(id), s, 2).await.unwrap();
        assert!(page.entries.len() <= 2);
        total = page.total;
        seen.extend(page.entries.iter().map(|e| (e.id, e.created_on.clone())));
        skip = page.next_offset;
        assert!(seen.len() <= total as usize, "never past the oldest entry");
    }
    assert!(total > 2, "the paged feed spans pages");
    assert_eq!(seen.len(), total as usize, "every entry once");
    let dates: Vec<_> = seen.iter().map(|(_, d)| d.clone()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(dates, sorted, "newest first");
    let all = w.desktop.feed(P, None, 0, 20).await.unwrap();
    assert!(all.total as usize >= all.entries.len());
}

#[tokio::test]
async fn results_sort_by_a_caption_field() {
    let w = world(Dataset::Demo).await;
    let by_title =
        |ord: &str| req(|r| (r.sort, r.ord, r.per_page) = (Some("Title".into()), Some(ord.into()), 200));
    let asc = w.desktop.search_with(P, &by_title("asc")).await.unwrap();
    let titles: Vec<String> = asc.items.iter().map(|i| i.title.to_lowercase()).collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted, "by the Title field, A to Z");
    let desc = w.desktop.search_with(P, &by_title("desc")).await.unwrap();
    assert_eq!(desc.items.first().map(|i| &i.record_id), asc.items.last().map(|i| &i.record_id));
}

/// A search's first page is seen again at once, with its thumbnails, when the server is gone.
#[tokio::test]
async fn a_search_first_page_comes_back_from_disk_offline() {
    let w = world(Dataset::Demo).await;
    let request = req(|r| r.query = "harbour OR festival".into());
    let page = w.desktop.run_search(P, &request).await.unwrap();
    let first = page.items.iter().find(|i| i.thumb.is_some()).expect("a thumbnail").clone();
    let thumb = format!("thumb/{}/{}", first.databox_id, first.record_id);
    w.desktop.media_request(P, &thumb, None).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while w.desktop.cached_search(P, &request).await.is_none() {
        assert!(std::time::Instant::now() < deadline, "the page was never kept");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // Later pages are not kept; the same search at another page reads the first page's copy.
    w.desktop
        .run_search(P, &req(|r| (r.query, r.offset) = ("harbour OR festival".into(), 50)))
        .await
        .unwrap();
    w.sim.shutdown().await;
    w.desktop.set_media_cache_dir(w.dir.path().join("cache"));
    let cached = w.desktop.cached_search(P, &request).await.expect("the saved page");
    assert_eq!(cached.value, page);
    assert_eq!(w.desktop.media_request(P, &thumb, None).await.expect("its thumbnail offline").status, 200);
    assert!(w.desktop.cached_search(P, &req(|r| r.query = "other".into())).await.is_none());
}

/// A failing server (5xx) or a revoked token replaces nothing that was kept: the saved search page,
/// the last view and the record's page for "Open in Phraseanet" stay as they were; each failure has
/// its code, and what was never seen fails with it instead of inventing an answer.
#[tokio::test]
async fn failures_leave_the_saved_search_the_last_view_and_the_web_page_as_they_were() {
    let w = world(Dataset::Demo).await;
    let f = w.sim.fixtures().clone();
    let request = req(|r| r.query = "harbour OR festival".into());
    let page = w.desktop.run_search(P, &request).await.unwrap();
    let seen = RecordRef::new(page.items[0].databox_id, page.items[0].record_id);
    w.desktop.record(P, seen, None).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while w.desktop.cached_search(P, &request).await.is_none()
        || w.desktop.cached_record(P, seen).await.is_none()
    {
        assert!(std::time::Instant::now() < deadline, "the page and the panel were never kept");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let record_page = |r: RecordRef| WebTarget::Record { databox_id: r.databox_id, record_id: r.record_id };
    let page_url = w.desktop.phraseanet_url(P, record_page(seen)).await.unwrap();
    let view = LastView {
        place: Place::Search { request: Box::new(request.clone()) },
        scroll: 480.0,
        selected: Some(3),
    };
    w.desktop.remember_view(P, view.clone()).unwrap();
    let unseen = f.video_record;
    let unseen = RecordRef::new(unseen.databox_id, unseen.record_id);

    w.sim.set_faults(Faults { fail_rate: 1.0, ..Default::default() });
    let failed = w.desktop.run_search(P, &request).await.unwrap_err();
    assert_eq!(failed.code(), "server");
    assert!(phraseanet_client::ErrorPayload::from(&failed).retry, "a failing server is worth a Retry");
    assert_eq!(w.desktop.cached_search(P, &request).await.unwrap().value, page, "the saved page stays");
    assert_eq!(w.desktop.last_view(P), Some(view.clone()));
    assert_eq!(
        w.desktop.phraseanet_url(P, record_page(seen)).await.unwrap(),
        page_url,
        "from the saved panel"
    );
    assert_eq!(w.desktop.phraseanet_url(P, record_page(unseen)).await.unwrap_err().code(), "server");

    w.sim.set_faults(Faults::default());
    assert!(w.sim.revoke_token(&f.developer_token));
    assert_eq!(w.desktop.run_search(P, &request).await.unwrap_err().code(), "signed-out");
    assert_eq!(w.desktop.cached_search(P, &request).await.unwrap().value, page);
    assert_eq!(w.desktop.last_view(P), Some(view), "signed out, the place to come back to stays");
    assert_eq!(w.desktop.phraseanet_url(P, record_page(seen)).await.unwrap(), page_url);
    let code = w.desktop.phraseanet_url(P, record_page(unseen)).await.unwrap_err().code();
    assert!(matches!(code.as_str(), "signed-out" | "not-signed-in"), "{code}");
}
