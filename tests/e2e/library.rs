//! The library in the real window: collections, feeds, "where is it used" and a story opened from it
//! (back keeps the scroll), a 10,000-hit search scrolled to the end of the result window, saved
//! searches after a restart.

use std::time::{Duration, Instant};

use phraseanet_sim::{Dataset, ServerProfile, SimOptions};

use crate::browse::{browsing, open_basket};

/// Waits for the grid's cells and for every loading mark to go.
async fn settled_grid(app: &crate::harness::App, what: &str) {
    app.wait_js(
        "return !!document.querySelector('#grid .cell') && !document.querySelector('[aria-busy=\"true\"]')",
        what,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn collections_feeds_and_where_a_record_is_used() {
    let (_sim, f, app) = browsing("library", SimOptions::default()).await;

    // A collection opens on its records, newest first, with its name and total.
    app.click("#section-collections").await;
    app.click("#collection-list [data-collection]").await;
    let title = app.wait_text("#collection-title", "the collection's name", |t| !t.is_empty()).await;
    app.wait_text("#collection-total", "its total", |t| t.ends_with("records") || t.ends_with("record"))
        .await;
    settled_grid(&app, "the collection's records").await;
    app.click("#grid .cell").await;
    app.wait_text("#record-title", "the record panel", |t| !t.is_empty() && t != "Loading…").await;
    println!("collection {title:?} opened");
    app.screenshot("collection").await;

    // A feed's entries carry their title, author and date; their records open in the panel.
    app.click("#section-feeds").await;
    app.click(&format!("#feed-list [data-feed='{}']", f.feed_id)).await;
    app.wait_text("#feed-title", "the feed's title", |t| t == "Press releases").await;
    app.wait_text("#feed-total", "its total", |t| t.starts_with('3')).await;
    let first = app.wait_text(".feed-entry .entry-title", "the newest entry", |t| !t.is_empty()).await;
    assert_eq!(first, "Archive treasures", "newest first");
    assert!(app.has(".feed-entry time.entry-date").await);
    app.click(".feed-entry .cell").await;
    app.wait_text("#record-title", "an entry's record", |t| !t.is_empty() && t != "Loading…").await;
    app.screenshot("feed").await;

    // In a basket scrolled down, a record's panel says which story holds it; the story opens in the
    // grid and Back returns to the same place.
    app.click("#section-baskets").await;
    open_basket(&app, f.plain_basket_id).await;
    app.js("const s = document.getElementById('thumb-size'); s.value = 320; \
         s.dispatchEvent(new Event('input', {bubbles: true})); return true")
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let scrolled = app
        .js("const g = document.getElementById('grid'); g.scrollTop = g.scrollHeight; return g.scrollTop")
        .await
        .as_f64()
        .unwrap();
    assert!(scrolled > 0.0, "the enlarged basket scrolls");
    // Clicked as a person would (the event): WebDriver refuses a cell partly outside the scrolled view.
    app.wait_js(
        "const c = document.querySelector(\"#grid .cell[data-record='1/3']\"); if (!c) return false; \
         c.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true})); return true",
        "record 1/3 clicked",
    )
    .await;
    // The panel narrows the grid: its rows flow again and the selected record is kept in view, so the
    // place Back returns to is the grid's scroll once the panel is open.
    app.find("#related [data-related-story='1_131']").await;
    // The panel's arrival reflows the grid a moment later (the selected cell kept in view): the place
    // to come back to is the scroll once it has settled (two reads 300 ms apart agree).
    let scroll_now =
        || async { app.js("return document.getElementById('grid').scrollTop").await.as_f64().unwrap() };
    let mut scrolled = scroll_now().await;
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = scroll_now().await;
        if now == scrolled {
            break;
        }
        scrolled = now;
    }
    app.click("#related [data-related-story='1_131']").await;
    app.wait_text("#story-title", "the story", |t| t.contains("Launch event")).await;
    app.find("#grid .cell[data-record='1/9']").await;
    app.screenshot("story-from-related").await;
    app.click("#story-back").await;
    app.find("#grid .cell[data-record='1/3']").await;
    app.wait_js(
        &format!("return Math.abs(document.getElementById('grid').scrollTop - {scrolled}) <= 2"),
        "the basket's scroll position back",
    )
    .await;
    let selected = app
        .js("return document.querySelector(\"#grid .cell[data-record='1/3']\").getAttribute('aria-selected')")
        .await;
    assert_eq!(selected.as_str(), Some("true"), "the same record selected");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn a_ten_thousand_hit_search_scrolls_to_the_end_of_the_result_window() {
    // 4.1.0 pages no further than 10,000 (Elasticsearch's window): the app stops there and says so.
    let options = SimOptions {
        dataset: Dataset::Large,
        basket_size: 10_050,
        server_profile: ServerProfile::V410,
        ..Default::default()
    };
    let (_sim, f, app) = browsing("search-10k", options).await;
    app.click("#section-search").await;
    app.click("#search-run").await;
    let total = f.searchable_records;
    assert!(total > 10_000, "{total}");
    // English groups thousands with a comma (Intl): 10,239.
    let grouped = format!("{},{:03}", total / 1000, total % 1000);
    app.wait_text("#search-total", "the total", |t| t.starts_with(&format!("{grouped} results"))).await;
    settled_grid(&app, "the first page").await;

    let started = Instant::now();
    let mut most_cells = 0;
    loop {
        let state = app
            .js("const g = document.getElementById('grid'); g.scrollTop = g.scrollHeight; \
                 return [document.querySelectorAll('#grid .cell').length, !!document.getElementById('search-window'), \
                 Math.max(...[...document.querySelectorAll('#grid .cell')].map(c => +c.dataset.index))]")
            .await;
        let cells = state[0].as_u64().unwrap();
        most_cells = most_cells.max(cells);
        if state[1].as_bool() == Some(true) && state[2].as_u64() == Some(9_999) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(300), "still scrolling after 5 min: {state}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("10,000 results scrolled in {:?}; at most {most_cells} cells in the DOM", started.elapsed());
    assert!(most_cells < 300, "only visible cells exist in the DOM, not {most_cells}");
    app.screenshot("search-window-end").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn a_saved_search_runs_again_after_a_restart() {
    let (_sim, _f, app) = browsing("saved-search", SimOptions::default()).await;
    app.click("#section-search").await;
    app.fill("#search-input", "type:image").await;
    app.click("#search-run").await;
    let total = app.wait_text("#search-total", "the images", |t| t.contains("result")).await;
    let total = total.split(" · ").next().unwrap().to_string();
    app.find("#recent-searches [data-recent-index='0']").await;
    app.click("#search-save").await;
    app.fill("#search-save-name", "Images").await;
    app.click("#search-save-confirm").await;
    app.wait_text("#saved-searches", "the saved search", |t| t.contains("Images")).await;

    let app = app.relaunch(&[]).await;
    app.wait_text("#signed-in-as", "the main view again", |t| t.starts_with("Signed in as")).await;
    app.click("#section-search").await;
    app.click("#saved-searches [data-saved-id]").await;
    app.wait_text("#search-total", "the same results", |t| t.starts_with(&total)).await;
    let typed = app.find("#search-input").await.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(typed, "type:image", "the form is restored");
    app.screenshot("saved-search").await;
    app.click("#saved-searches [data-delete-saved]").await;
    app.find("#saved-empty").await;
    app.close().await;
}
