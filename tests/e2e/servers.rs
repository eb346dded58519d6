//! A server as many are deployed (docs/real-servers.md), in the real window: Phraseanet 4.0 behind
//! Apache + PHP-FPM, where the `Authorization` header never reaches PHP and the 4.0 token library would
//! refuse it anyway. The person signs in the OOB way and browses; a big basket takes its time on the
//! server, and an original the server rewrote downloads with a note instead of being thrown away.

use std::time::Duration;

use phraseanet_sim::{Behind, Dataset, ServerProfile, Sim, SimOptions, TokenSeen};

use crate::harness::App;
use crate::signin::{code_from_browser, connect};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn phraseanet_4_0_behind_apache_signs_in_and_browses() {
    let sim = Sim::start(SimOptions {
        server_profile: ServerProfile::V40,
        behind: Behind::ApacheFpm,
        dataset: Dataset::Large,
        basket_size: 2_000,
        // PHP spends 2 ms per element before the first byte: 4 s for the big basket.
        php_per_element: Duration::from_millis(2),
        ..Default::default()
    })
    .await
    .unwrap();
    let f = sim.fixtures().clone();
    let app = App::launch("server-4.0-apache", &[]).await;
    connect(&app, &sim).await;
    let code = code_from_browser(&app, &sim).await;
    app.fill("#code-input", &code).await;
    app.wait_text("#signed-in-as", "the main view", |t| t.starts_with("Signed in as")).await;
    app.find("#basket-list").await;

    // The big basket: the window says the server is preparing it, then shows the grid.
    let id = f.large_basket_id.unwrap();
    app.click(&format!("[data-basket='{id}']")).await;
    let waiting = app.wait_text("#basket-loading", "the preparing notice", |t| t.contains("preparing")).await;
    assert!(waiting.contains(" s)"), "the elapsed time is shown: {waiting}");
    app.find("#cancel-basket").await;
    app.screenshot("preparing").await;
    app.wait_js_for(
        "return document.querySelectorAll('#grid .cell').length > 0",
        "the big basket's grid",
        Duration::from_secs(60),
    )
    .await;

    // An original the server rewrote after upload: kept, with a note.
    app.click(&format!("[data-basket='{}']", f.media_basket_id)).await;
    let refs: Vec<String> =
        f.rewritten_documents.iter().map(|r| format!("{}/{}", r.databox_id, r.record_id)).collect();
    let finder = format!(
        "(() => {{ const want = {}; const c = [...document.querySelectorAll('#grid .cell')].find(c => want.includes(c.dataset.record)); return c ? c.dataset.record : null; }})()",
        serde_json::to_string(&refs).unwrap()
    );
    app.wait_js(&format!("return {finder} !== null"), "a rewritten original in the grid").await;
    let found = app.js(&format!("return {finder}")).await;
    let cell = format!(
        "#grid .cell[data-record='{}']",
        found.as_str().expect("a rewritten document in the media basket")
    );
    app.click(&cell).await;
    app.wait_text("#record-title", "the record panel", |t| !t.is_empty() && t != "Loading…").await;
    app.click("#download-original").await;
    app.find("#download-list [data-state='done'] [data-note='differs-from-original']").await;
    app.screenshot("rewritten-original").await;
    app.close().await;

    // Every request with the token used the parameter: the header would never have arrived.
    let log = sim.requests();
    let with_token: Vec<_> =
        log.iter().filter(|r| r.token.is_some() && r.token.as_deref() != Some("0")).collect();
    assert!(!with_token.is_empty());
    assert!(with_token.iter().all(|r| !r.transport.contains(&TokenSeen::Header)), "{with_token:?}");
}
