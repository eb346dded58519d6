//! Browsing that feels native, in the real window (#16): the layout at the smallest and a large window
//! size, the viewer's zoom, slideshow and compare, focus back on the grid, an error with Retry that works
//! once the server is back, and the last basket reopened after a relaunch; and "Keep offline" (#14): a
//! kept basket's previews open with the server gone.

use std::time::Duration;

use phraseanet_sim::{Dataset, Sim, SimOptions};

use crate::browse::{browsing, open_basket};
use crate::harness::App;

const ESCAPE: &str = "\u{e00c}";
/// The viewer image's zoom (1 = fit to the stage).
const SCALE: &str = "Number(document.querySelector('#viewer-image').dataset.scale)";

/// Clicks grid cell `index` (with Ctrl when `add`), as a person would.
async fn click_cell(app: &App, index: usize, add: bool) {
    let init = if add { ", ctrlKey: true" } else { "" };
    let script = format!(
        "const c = document.querySelector('#grid .cell[data-index=\"{index}\"]'); \
         if (!c) return false; \
         c.dispatchEvent(new MouseEvent('click', {{bubbles: true, cancelable: true{init}}})); return true"
    );
    app.wait_js(&script, &format!("cell {index}")).await;
}

/// The index of the first grid cell that is a record with a picture (not a story).
async fn first_picture(app: &App) -> usize {
    let script = "const c = [...document.querySelectorAll('#grid .cell:not(.stack)')] \
                  .find(c => ['image'].includes(c.dataset.kind)); return c ? Number(c.dataset.index) : null";
    app.wait_js(&format!("return (() => {{ {script} }})() !== null"), "an image in the grid").await;
    app.js(script).await.as_u64().unwrap() as usize
}

async fn resize(app: &App, width: u32, height: u32) {
    app.client.set_window_size(width, height).await.expect("the window resizes");
    app.wait_js(
        &format!("return window.innerWidth <= {width} && window.innerWidth > {width} - 80"),
        "the new size",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn the_layout_adapts_from_the_smallest_window_to_a_large_one() {
    let (_sim, f, app) = browsing("layout", SimOptions::default()).await;
    open_basket(&app, f.plain_basket_id).await;
    click_cell(&app, first_picture(&app).await, false).await;
    app.wait_text("#record-title", "the record panel", |t| !t.is_empty()).await;

    resize(&app, 720, 480).await;
    // The panel floats over the grid instead of squeezing it (the window's resize reaches the page a
    // moment later under Xvfb: wait for the layout, then measure).
    app.wait_js(
        "const w = document.querySelector('.workspace'); return !!w && w.classList.contains('overlay-panel')",
        "the narrow layout",
    )
    .await;
    app.wait_js(
        "return document.querySelector('#grid').getBoundingClientRect().width >= 300",
        "the grid's width",
    )
    .await;
    // No name wraps one letter per line; nothing overflows sideways.
    let geometry = app
        .js("const h = document.querySelector('#basket-name'); \
             const line = parseFloat(getComputedStyle(h).lineHeight) || 24; \
             return { title_lines: h.getBoundingClientRect().height / line, \
                      scroll: document.documentElement.scrollWidth - window.innerWidth }")
        .await;
    assert!(geometry["title_lines"].as_f64().unwrap() < 1.6, "the title stays on one line: {geometry}");
    assert!(geometry["scroll"].as_f64().unwrap() <= 1.0, "nothing overflows sideways: {geometry}");
    app.screenshot("720x480").await;

    resize(&app, 1600, 1000).await;
    app.wait_js(
        "const w = document.querySelector('.workspace'); return !!w && !w.classList.contains('overlay-panel')",
        "the wide layout",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Rows fill the width: the first full row ends at the grid's right edge (no ragged gutter).
    let gutter = app
        .js("const g = document.querySelector('#grid'); const r = g.getBoundingClientRect(); \
             const cells = [...g.querySelectorAll('.cell')].map(c => c.getBoundingClientRect()); \
             const top = Math.min(...cells.map(c => c.top)); \
             const row = cells.filter(c => Math.abs(c.top - top) < 2); \
             if (row.length === cells.length) return 0; \
             return r.left + g.clientWidth - Math.max(...row.map(c => c.right))")
        .await;
    assert!(gutter.as_f64().unwrap().abs() <= 24.0, "the first row spans the width (gutter {gutter} px)");
    app.screenshot("1600x1000").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn the_viewer_zooms_runs_a_slideshow_compares_and_gives_focus_back() {
    let (_sim, f, app) = browsing("viewer", SimOptions::default()).await;
    open_basket(&app, f.plain_basket_id).await;
    let index = first_picture(&app).await;
    click_cell(&app, index, false).await;
    app.click("#view-btn").await;
    app.wait_js(
        "const i = document.querySelector('#viewer-image'); return !!i && i.complete && i.naturalWidth > 0",
        "the viewer's image decoded",
    )
    .await;
    // Fit to the window, upscaling: the image fills the stage in one dimension.
    let fill = app
        .js("const s = document.querySelector('#viewer-stage').getBoundingClientRect(); \
             const i = document.querySelector('#viewer-image').getBoundingClientRect(); \
             return Math.max(i.width / s.width, i.height / s.height)")
        .await;
    assert!(fill.as_f64().unwrap() > 0.9, "the image fills the stage: {fill}");
    let fit = app.js(&format!("return {SCALE}")).await.as_f64().unwrap();
    app.click("#viewer-zoom-in").await;
    app.wait_js(&format!("return {SCALE} > {fit} * 1.1"), "zoomed in").await;
    app.click("#viewer-fit").await;
    app.wait_js(&format!("return Math.abs({SCALE} - {fit}) < 0.01"), "back to fit").await;

    // The slideshow moves on by itself.
    let before = app.wait_text("#viewer-position", "the position", |t| !t.is_empty()).await;
    app.click("#viewer-slideshow").await;
    let mut moved = false;
    for _ in 0..150 {
        let now = app.js("return document.querySelector('#viewer-position').textContent").await;
        if now.as_str().is_some_and(|t| t.split_whitespace().collect::<Vec<_>>().join(" ") != before) {
            moved = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(moved, "the slideshow advanced");
    app.click("#viewer-slideshow").await;
    app.screenshot("viewer").await;

    // Esc: the focus is back on the grid.
    app.find("#viewer").await.send_keys(ESCAPE).await.unwrap();
    app.wait_js("return !document.querySelector('#viewer')", "the viewer closed").await;
    app.wait_js(
        "return !!document.activeElement && !!document.activeElement.closest('#grid')",
        "focus on the grid",
    )
    .await;

    // Two records side by side, zoomed together.
    let pictures: Vec<usize> = serde_json::from_value(
        app.js("return [...document.querySelectorAll('#grid .cell:not(.stack)')].map(c => Number(c.dataset.index))")
            .await,
    )
    .unwrap();
    click_cell(&app, pictures[0], false).await;
    click_cell(&app, pictures[1], true).await;
    app.click("#selection-compare").await;
    // Each pane's picture is its preview, loaded: a pane shows the thumbnail until the record's details
    // come, and its fit (the scale read below) changes when the preview takes its place.
    app.wait_js(
        "const p = [...document.querySelectorAll('#viewer-compare .compare-pane')]; \
         return p.length === 2 && p.every(x => { const i = x.querySelector('img[data-scale]'); \
           return !!i && i.complete && i.naturalWidth > 0 && !decodeURIComponent(i.getAttribute('src')).includes('/thumb/'); })",
        "two records compared, each with its preview",
    )
    .await;
    // Linked zoom: one click zooms every pane by the same factor (each from its own fit).
    let read = "return [...document.querySelectorAll('#viewer-compare .compare-pane img[data-scale]')].map(i => Number(i.dataset.scale))";
    let before: Vec<f64> = serde_json::from_value(app.js(read).await).unwrap();
    app.click("#compare-zoom-in").await;
    app.wait_js(
        &format!("const s = (() => {{ {read} }})(); return s.length >= 2 && s[0] > {} * 1.05", before[0]),
        "zoomed",
    )
    .await;
    let after: Vec<f64> = serde_json::from_value(app.js(read).await).unwrap();
    let factors: Vec<f64> = after.iter().zip(&before).map(|(a, b)| a / b).collect();
    assert!(
        factors.len() >= 2 && factors.iter().all(|f| *f > 1.05 && (f - factors[0]).abs() < 0.01),
        "linked zoom: {before:?} → {after:?}"
    );
    app.screenshot("compare").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn a_failed_open_says_so_with_retry_and_retry_works_once_the_server_is_back() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (sim, f, app) = browsing("retry", SimOptions { port, ..Default::default() }).await;
    open_basket(&app, f.plain_basket_id).await;
    let shown: Vec<String> = serde_json::from_value(
        app.js("return [...document.querySelectorAll('#grid .cell')].map(c => c.dataset.record)").await,
    )
    .unwrap();
    sim.shutdown().await;

    app.click(&format!("[data-basket='{}']", f.media_basket_id)).await;
    let message = app.wait_text("#browse-error .message", "the error", |t| !t.is_empty()).await;
    assert!(!message.contains("os error") && !message.contains("tcp"), "a message in words: {message}");
    app.find("#browse-error-retry").await;
    let left: Vec<String> = serde_json::from_value(
        app.js("return [...document.querySelectorAll('#grid .cell')].map(c => c.dataset.record)").await,
    )
    .unwrap();
    assert!(left.iter().all(|r| !shown.contains(r)), "the other basket's content is not left on screen");
    app.screenshot("error").await;

    let _back = Sim::start(SimOptions { port, ..Default::default() }).await.unwrap();
    app.click("#browse-error-retry").await;
    open_basket_shown(&app).await;
    assert!(!app.has("#browse-error").await, "the error went with the success");
    app.close().await;
}

/// The open basket's grid is on screen (after a Retry).
async fn open_basket_shown(app: &App) {
    app.wait_js(
        "return !!document.querySelector('#grid .cell') && !document.querySelector('.content [aria-busy]')",
        "the basket's grid",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn a_relaunch_reopens_the_last_basket_where_it_was_scrolled() {
    let options = SimOptions { dataset: Dataset::Large, basket_size: 600, ..Default::default() };
    let (_sim, f, app) = browsing("continuity", options).await;
    let big = f.large_basket_id.expect("the large dataset's big basket");
    open_basket(&app, big).await;
    app.js("document.querySelector('#grid').scrollTop = 1500; return true").await;
    app.wait_js("return document.querySelector('#grid').scrollTop >= 1400", "scrolled").await;
    // The position is kept a second after the scroll stops.
    tokio::time::sleep(Duration::from_millis(1800)).await;

    let app = app.relaunch(&[]).await;
    open_basket_shown(&app).await;
    // The big basket's records are numbered from 10,001 (the `large` dataset).
    let records: Vec<String> = serde_json::from_value(
        app.js("return [...document.querySelectorAll('#grid .cell')].map(c => c.dataset.record)").await,
    )
    .unwrap();
    let big_ones =
        records.iter().filter_map(|r| r.split('/').nth(1)?.parse::<i64>().ok()).filter(|id| *id > 10_000);
    assert!(!records.is_empty() && big_ones.count() == records.len(), "the big basket: {records:?}");
    app.wait_js(
        "return Math.abs(document.querySelector('#grid').scrollTop - 1500) < 120",
        "the same scroll position",
    )
    .await;
    app.screenshot("reopened").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn a_kept_basket_shows_its_previews_with_the_server_gone() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (sim, f, app) = browsing("keep", SimOptions { port, ..Default::default() }).await;
    open_basket(&app, f.media_basket_id).await;
    app.click("#keep-offline").await;
    app.wait_js_for(
        "return !!document.querySelector('#kept-state')",
        "the basket kept offline",
        Duration::from_secs(60),
    )
    .await;
    app.find(&format!(
        "[data-basket='{}'][data-kept], [data-basket='{}'] [data-kept]",
        f.media_basket_id, f.media_basket_id
    ))
    .await;
    app.screenshot("kept").await;
    sim.shutdown().await;

    let app = app.relaunch(&[]).await;
    app.wait_text("#offline-banner", "the offline banner", |t| !t.is_empty()).await;
    open_basket(&app, f.media_basket_id).await;
    // A record whose panel was never opened: its preview comes from what was kept.
    click_cell(&app, first_picture(&app).await, false).await;
    app.click("#view-btn").await;
    app.wait_js(
        "const i = document.querySelector('#viewer-image'); return !!i && i.complete && i.naturalWidth > 0 && !document.querySelector('#viewer-loading')",
        "the preview, offline",
    )
    .await;
    app.screenshot("kept-offline-viewer").await;
    app.close().await;
}
