//! Offline in the real window: the double stops, the app starts again and shows what it kept (the basket
//! list, a basket with its thumbnails) and says since when it is offline; the double comes back and the
//! app reconnects and refreshes.

use phraseanet_sim::{Sim, SimOptions};

use crate::browse::{browsing, open_basket};

/// Thumbnails in the grid that the webview has decoded.
const LOADED_THUMBS: &str =
    "return [...document.querySelectorAll('#grid .cell img')].filter(i => i.complete && i.naturalWidth > 0).length";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn offline_the_app_shows_what_it_kept_and_reconnects() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (sim, f, app) = browsing("offline", SimOptions { port, ..Default::default() }).await;
    open_basket(&app, f.plain_basket_id).await;
    app.wait_js(&format!("{LOADED_THUMBS} >= 3"), "the basket's thumbnails").await;
    let online = app.js(LOADED_THUMBS).await.as_u64().unwrap();
    // The saved copies are written in the background: give them a moment before the server goes.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    sim.shutdown().await;

    let app = app.relaunch(&[]).await;
    app.wait_text("#offline-banner", "the offline banner", |t| t.starts_with("Offline since")).await;
    app.find(&format!("[data-basket='{}']", f.plain_basket_id)).await;
    open_basket(&app, f.plain_basket_id).await;
    // The offline banner pushes the grid down: the thumbnails in view (lazy loading) are fewer than online.
    let in_view = online.min(3);
    app.wait_js(&format!("{LOADED_THUMBS} >= {in_view}"), "the saved basket's thumbnails, offline").await;
    app.wait_text("#view-state", "the saved copy's line", |t| !t.is_empty()).await;
    let waits = app
        .js("return ['basket-rename', 'download-basket'].map(id => document.getElementById(id).disabled)")
        .await;
    assert_eq!(waits, serde_json::json!([true, true]), "what needs the server waits, offline");
    app.screenshot("offline").await;

    // The server is back: Retry (the app would also try by itself) reconnects and refreshes.
    let _back = Sim::start(SimOptions { port, ..Default::default() }).await.unwrap();
    app.click("#offline-retry").await;
    app.wait_js("return !document.getElementById('offline-banner')", "the banner gone").await;
    app.wait_js(&format!("{LOADED_THUMBS} >= {in_view}"), "the basket, fresh").await;
    app.close().await;
}
