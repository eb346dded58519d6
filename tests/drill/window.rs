//! The hostile dataset in the real window: script payloads in every text field, hostile file names on
//! every original, then a look at everything the app wrote.

use phraseanet_sim::testing::files_under;
use phraseanet_sim::{Dataset, Sim, SimOptions};

use crate::harness::App;

pub struct WindowFigures {
    /// (payload, field) pairs rendered as text somewhere in the views visited.
    pub payload_fields: u64,
    /// Alerts the payloads raised plus elements they became (iframes, inline scripts, handlers).
    pub executions: u64,
    /// Downloads of the hostile basket that finished (done or failed).
    pub downloads: u64,
    pub files_outside: u64,
    /// Files the app wrote (config, cache, data: logs and webview storage, downloads).
    pub files_scanned: u64,
    pub secret_hits: u64,
}

/// Counts, in the page, the visible text fields that hold one of the payloads.
const COUNT_FIELDS: &str = "let n = 0; \
    for (const el of document.querySelectorAll('body *')) { \
      if (el.children.length > 0) continue; \
      const t = el.textContent || ''; \
      for (const p of payloads) if (t.includes(p)) n += 1; \
    } return n;";

pub async fn drill() -> WindowFigures {
    let sim = Sim::start(SimOptions { dataset: Dataset::Hostile, ..Default::default() }).await.unwrap();
    let f = sim.fixtures().clone();
    let app = App::launch("drill", &[]).await;
    app.click("#connect-btn").await;
    app.fill("#server-url", sim.url()).await;
    app.fill("#client-id", &f.desktop_app.client_id).await;
    app.fill("#client-secret", &f.desktop_app.client_secret).await;
    app.click("#connect-submit").await;
    app.wait_text("#signin-title", "the sign-in screen", |t| t.starts_with("Sign in to")).await;
    app.click("#other-ways summary").await;
    app.fill("#token-input", &f.developer_token).await;
    app.click("#token-submit").await;
    app.wait_text("#signed-in-as", "the main view", |t| t.starts_with("Signed in as")).await;
    // The payloads call alert(): count the calls instead of letting a dialog block WebDriver.
    app.js("window.__alerts = 0; window.alert = () => { window.__alerts += 1; }; return true").await;
    app.find("#basket-list").await;

    // Short, distinctive prefixes of the payloads (the page may wrap or trim the rest).
    let payloads: Vec<String> = phraseanet_sim::hostile::TEXT
        .iter()
        .map(|p| p.chars().filter(|c| !c.is_control()).take(12).collect::<String>())
        .filter(|p| p.trim().len() >= 6)
        .collect();
    let script = format!("const payloads = {}; {COUNT_FIELDS}", serde_json::to_string(&payloads).unwrap());
    let mut payload_fields = app.js(&script).await.as_u64().unwrap_or(0);
    for id in [f.plain_basket_id, f.media_basket_id, f.vote_basket_id] {
        app.click(&format!("[data-basket='{id}']")).await;
        app.wait_js(
            "return !!document.querySelector('#grid .cell, #empty-basket') && !document.querySelector('.content [aria-busy]')",
            "the basket's grid",
        )
        .await;
        app.click("#grid .cell:not(.stack)").await;
        app.wait_text("#record-title", "the record panel", |t| !t.is_empty() && t != "Loading…").await;
        app.find("#caption dd").await;
        payload_fields += app.js(&script).await.as_u64().unwrap_or(0);
    }
    app.screenshot("hostile-panel").await;
    let injected = app
        .js("return document.querySelectorAll('iframe:not(#viewer-pdf), script:not([src]), [onerror], [onload], [onclick]').length")
        .await
        .as_u64()
        .unwrap_or(0);
    let alerts = app.js("return window.__alerts").await.as_u64().unwrap_or(0);

    app.click(&format!("[data-basket='{}']", f.media_basket_id)).await;
    app.find("#download-basket").await;
    app.download_basket().await;
    let downloads =
        app.js("return document.querySelectorAll('#download-list li').length").await.as_u64().unwrap_or(0);
    // Read before closing: the scenario's folders go with the app.
    let files = files_under(app.home());
    let files_outside = app.files_outside_downloads().len() as u64;
    let secrets = [f.developer_token.as_bytes(), f.desktop_app.client_secret.as_bytes()];
    let secret_hits = files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|bytes| secrets.iter().filter(|s| bytes.windows(s.len()).any(|w| w == **s)).count() as u64)
        .sum();
    app.close().await;
    sim.shutdown().await;
    WindowFigures {
        payload_fields,
        executions: injected + alerts,
        downloads,
        files_outside,
        files_scanned: files.len() as u64,
        secret_hits,
    }
}
