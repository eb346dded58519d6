//! The library against the double: search with the form's filters, facets that narrow, stories,
//! paging inside the result window, collections, feeds.

use phraseanet_app::browse::{MediaKind, SearchRequest};
use phraseanet_sim::{Dataset, SimOptions};

use crate::common::{World, P};

async fn world(dataset: Dataset) -> World {
    crate::common::world(SimOptions { dataset, ..Default::default() }).await
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
