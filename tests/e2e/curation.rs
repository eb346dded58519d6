//! Building baskets in the real window: a new basket with a hostile name, three search results dragged
//! onto it and one added by the menu, one removed, renamed, deleted; a basket shared by someone else
//! offers no edit.

use phraseanet_sim::SimOptions;

use crate::browse::{browsing, open_basket};
use crate::harness::App;

/// Clicks grid cell `index` with the given modifier (`shiftKey`, `ctrlKey` or none), as a person would.
async fn click_cell(app: &App, index: usize, modifier: Option<&str>) {
    let init = modifier.map(|m| format!(", {m}: true")).unwrap_or_default();
    let script = format!(
        "const c = document.querySelector('#grid .cell[data-index=\"{index}\"]'); \
         if (!c) return false; \
         c.dispatchEvent(new MouseEvent('click', {{bubbles: true, cancelable: true{init}}})); return true"
    );
    app.wait_js(&script, &format!("cell {index}")).await;
}

/// The id of the sidebar basket whose line contains `text`.
async fn basket_id(app: &App, text: &str) -> i64 {
    let find = format!(
        "const b = [...document.querySelectorAll('[data-basket]')].find(b => b.textContent.includes({text:?})); \
         return b ? Number(b.dataset.basket) : null"
    );
    app.wait_js(&format!("return (() => {{ {find} }})() !== null"), "the new basket in the list").await;
    app.js(&find).await.as_i64().expect("a basket id")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn a_basket_is_built_from_a_search_renamed_and_deleted() {
    let (sim, f, app) = browsing("curation", SimOptions::default()).await;

    // A new basket; its hostile name and description stay text.
    let hostile = "<img src=x onerror=alert(1)> Picks";
    app.click("#basket-new").await;
    app.fill("#basket-name", hostile).await;
    app.fill("#basket-description", "<b>bold</b> & more").await;
    app.click("#basket-save").await;
    let id = basket_id(&app, "<img src=x").await;
    app.wait_text("#basket-description-text", "the description as text", |t| t == "<b>bold</b> & more").await;
    let injected = app.js("return document.querySelectorAll('img[src=\"x\"], b').length").await;
    assert_eq!(injected.as_u64(), Some(0), "no markup from the name or description");

    // Three search results, picked with Shift, dragged onto the basket (the sidebar shows the baskets
    // while the drag lasts).
    app.click("#section-search").await;
    app.click("#search-run").await;
    app.find("#grid .cell[data-index='5']").await;
    click_cell(&app, 0, None).await;
    click_cell(&app, 2, Some("shiftKey")).await;
    app.wait_text("#selection-count", "three selected", |t| t.starts_with('3')).await;
    app.screenshot("selection").await;
    app.js("window.__drag = new DataTransfer(); \
         document.querySelector('#grid .cell[data-index=\"1\"]').dispatchEvent( \
           new DragEvent('dragstart', {bubbles: true, cancelable: true, dataTransfer: window.__drag})); \
         return true")
        .await;
    let target = format!("[data-basket='{id}']");
    app.find(&target).await;
    app.js(&format!(
        "const t = document.querySelector(\"{target}\"); \
         for (const type of ['dragenter', 'dragover']) \
           t.dispatchEvent(new DragEvent(type, {{bubbles: true, cancelable: true, dataTransfer: window.__drag}})); \
         return t.classList.contains('drop-target')"
    ))
    .await;
    app.js(&format!(
        "const t = document.querySelector(\"{target}\"); \
         t.dispatchEvent(new DragEvent('drop', {{bubbles: true, cancelable: true, dataTransfer: window.__drag}})); \
         document.querySelector('#grid .cell[data-index=\"1\"]')?.dispatchEvent( \
           new DragEvent('dragend', {{bubbles: true, dataTransfer: window.__drag}})); \
         return true"
    ))
    .await;
    app.wait_text("#curation-note", "three added", |t| t.starts_with('3')).await;

    // One more by the menu (Ctrl+click picks one cell into the selection bar).
    app.js("document.getElementById('selection-clear')?.click(); return true").await;
    click_cell(&app, 5, Some("ctrlKey")).await;
    app.wait_text("#selection-count", "one selected", |t| t.starts_with('1')).await;
    app.click("#selection-add").await;
    app.click(&format!("#add-menu [data-add-to='{id}']")).await;
    app.wait_text("#curation-note", "one added", |t| t.starts_with('1')).await;

    // In the basket: four elements; one removed.
    app.click("#section-baskets").await;
    open_basket(&app, id).await;
    app.wait_js("return document.querySelectorAll('#grid .cell').length === 4", "four elements").await;
    click_cell(&app, 0, Some("ctrlKey")).await;
    app.click("#selection-remove").await;
    app.wait_js("return document.querySelectorAll('#grid .cell').length === 3", "three left").await;
    app.wait_text(&format!("{target} [data-count]"), "the sidebar count", |t| t.contains('3')).await;

    // Renamed, then deleted after a confirmation that names it and its elements.
    app.click("#basket-rename").await;
    app.fill("#basket-name", "Final picks").await;
    app.click("#basket-save").await;
    app.wait_text("#basket-name", "the new name", |t| t == "Final picks").await;
    app.click("#basket-delete").await;
    let ask = app.wait_text("#confirm-delete-text", "the confirmation", |t| t.contains("Final picks")).await;
    assert!(ask.contains('3'), "{ask}");
    app.screenshot("confirm-delete").await;
    app.click("#confirm-delete-yes").await;
    app.wait_js(&format!("return !document.querySelector(\"{target}\")"), "the basket gone").await;
    let on_server = sim.requests().iter().filter(|r| r.path.starts_with("/api/v2/baskets/")).count();
    assert_eq!(on_server, 3, "two adds and a remove through API v2");

    // Someone else's basket: no edit, and the reason.
    open_basket(&app, f.vote_basket_id).await;
    app.find("#basket-readonly-note").await;
    let disabled = app.js("return document.getElementById('basket-rename').disabled").await;
    assert_eq!(disabled.as_bool(), Some(true));
    app.close().await;
}
