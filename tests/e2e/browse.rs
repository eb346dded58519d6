//! Browsing in the real window: baskets, the virtualized grid with thumbnails from the backend's media
//! scheme, the record panel, the viewer, downloads, vote baskets — against the Phraseanet double.

use std::time::{Duration, Instant};

use phraseanet_sim::testing::{files_under, oob_code};
use phraseanet_sim::{Dataset, Fixtures, RecordRef, Sim, SimOptions};
use sha2::{Digest, Sha256};

use crate::harness::App;
use crate::signin::sign_in_with_token;

const RIGHT: &str = "\u{E014}";
const ESCAPE: &str = "\u{E00C}";

/// A signed-in app on a fresh double, showing its basket list.
pub(crate) async fn browsing(scenario: &str, options: SimOptions) -> (Sim, Fixtures, App) {
    let sim = Sim::start(options).await.unwrap();
    let f = sim.fixtures().clone();
    let app = App::launch(scenario, &[]).await;
    sign_in_with_token(&app, &sim).await;
    app.find("#basket-list").await;
    (sim, f, app)
}

/// Selects a record in the grid and waits for its panel.
async fn open_record(app: &App, r: RecordRef) {
    app.click(&format!("#grid .cell[data-record='{}/{}']", r.databox_id, r.record_id)).await;
    app.wait_text("#record-title", "the record panel", |t| !t.is_empty() && t != "Loading…").await;
}

pub(crate) async fn open_basket(app: &App, id: i64) {
    app.click(&format!("[data-basket='{id}']")).await;
    app.wait_js(
        "return !!document.querySelector('#grid .cell, #empty-basket') && !document.querySelector('.content [aria-busy]')",
        "the basket's grid",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn baskets_grid_record_viewer_and_download() {
    let (_sim, f, app) = browsing("browse", SimOptions::default()).await;

    // A plain basket: thumbnails really load through the media scheme; stories show as stacks.
    open_basket(&app, f.plain_basket_id).await;
    app.wait_js(
        "return [...document.querySelectorAll('#grid .cell img')].some(i => i.complete && i.naturalWidth > 0)",
        "a thumbnail decoded",
    )
    .await;
    assert!(app.has("#grid .cell.stack").await, "the story in the basket is drawn as a stack");
    app.screenshot("baskets").await;

    // The record panel shows the caption; the viewer moves with the keyboard.
    app.click("#grid .cell:not(.stack)").await;
    app.wait_text("#record-title", "the record's title", |t| !t.is_empty() && t != "Loading…").await;
    app.find("#caption dd").await;
    app.click("#view-btn").await;
    let viewer = app.find("#viewer").await;
    let before = app.wait_text("#viewer-position", "the position", |t| !t.is_empty()).await;
    viewer.send_keys(RIGHT).await.unwrap();
    app.wait_text("#viewer-position", "the next record", |t| t != before).await;
    app.wait_js(
        "const i = document.querySelector('#viewer-image'); return !!i && i.complete && i.naturalWidth > 0",
        "the viewer's image decoded",
    )
    .await;
    app.screenshot("viewer").await;
    app.find("#viewer").await.send_keys(ESCAPE).await.unwrap();
    app.wait_js("return !document.querySelector('#viewer')", "the viewer closed").await;

    // Download an original: it lands in the folder, whole, with the record's sha256.
    open_basket(&app, f.media_basket_id).await;
    app.click("#grid .cell:not(.stack)").await;
    let sha = app.wait_text("#sha256", "the record's sha256", |t| t.len() == 64).await;
    app.click("#download-original").await;
    app.find("#download-list [data-state='done']").await;
    let files = files_under(&app.downloads_dir());
    assert_eq!(files.len(), 1, "one file, no .part left: {files:?}");
    let bytes = std::fs::read(&files[0]).unwrap();
    assert_eq!(format!("{:x}", Sha256::digest(&bytes)), sha);
    app.screenshot("downloaded").await;

    // A vote basket: participants, and the way to vote.
    open_basket(&app, f.vote_basket_id).await;
    let people = app.wait_text("#participants", "the participants", |t| !t.is_empty()).await;
    assert!(people.contains(&f.display_name) || people.contains("you"), "{people}");
    app.find("#open-lightbox").await;
    app.screenshot("vote-basket").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn hostile_data_never_runs_and_downloads_stay_in_the_folder() {
    let sim = Sim::start(SimOptions { dataset: Dataset::Hostile, ..Default::default() }).await.unwrap();
    let f = sim.fixtures().clone();
    let app = App::launch("hostile", &[]).await;
    sign_in_with_token(&app, &sim).await;
    // The payloads call alert(): count the calls instead of letting a dialog block WebDriver.
    app.js("window.__alerts = 0; window.alert = () => { window.__alerts += 1; }; return true").await;
    app.find("#basket-list").await;

    for id in [f.plain_basket_id, f.media_basket_id] {
        open_basket(&app, id).await;
        app.click("#grid .cell:not(.stack)").await;
        app.wait_text("#record-title", "the record panel", |t| !t.is_empty() && t != "Loading…").await;
    }
    app.wait_js(
        "return [...document.querySelectorAll('#grid .cell img')].some(i => i.complete && i.naturalWidth > 0)",
        "a thumbnail decoded",
    )
    .await;
    app.screenshot("panel").await;
    let injected = app
        .js("return document.querySelectorAll('iframe, script:not([src]), [onerror], [onload], [onclick]').length")
        .await;
    assert_eq!(injected, serde_json::json!(0), "markup from the server became elements");
    assert_eq!(app.js("return window.__alerts").await, serde_json::json!(0), "a payload ran");

    app.download_basket().await;
    let outside = app.files_outside_downloads();
    assert!(outside.is_empty(), "files landed outside the download folder: {outside:?}");
    let downloads = app.downloads_dir();
    assert!(!files_under(&downloads).is_empty(), "the hostile basket downloaded something");
    app.screenshot("downloads").await;

    // The same basket as a zip, the person's choice in the downloads panel: one archive holding the
    // tree the folder download made, nothing else left beside it.
    let [tree] = std::fs::read_dir(&downloads)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    app.click("#download-all-as input[value='zip']").await;
    let chosen =
        app.js("return document.querySelector(\"#download-all-as input[value='zip']\").checked").await;
    assert_eq!(chosen, serde_json::json!(true), "the zip is the chosen way");
    app.download_basket().await;
    app.wait_js(
        "return [...document.querySelectorAll('[data-job-archive]')].some(p => p.dataset.state === 'done')",
        "the zip is made",
    )
    .await;
    let mut beside: Vec<_> = std::fs::read_dir(&downloads).unwrap().map(|e| e.unwrap().path()).collect();
    beside.sort();
    let zip_path = beside.iter().find(|p| p.extension().is_some_and(|e| e == "zip")).expect("a zip");
    assert_eq!(beside.len(), 2, "the folder and the zip, no staging folder: {beside:?}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(zip_path).unwrap()).unwrap();
    let mut inside: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    inside.sort();
    let mut expected: Vec<String> = files_under(&tree)
        .iter()
        .map(|p| p.strip_prefix(&tree).unwrap().to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/"))
        .collect();
    expected.sort();
    assert_eq!(inside, expected, "the zip holds the folder's tree");
    assert!(zip.by_index(0).unwrap().size() > 0);
    app.js("document.querySelector('[data-job-archive]').scrollIntoView({ block: 'center' }); return true")
        .await;
    app.screenshot("downloads-zip").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn ten_thousand_elements_render_and_scroll_to_the_end() {
    let options = SimOptions { dataset: Dataset::Large, basket_size: 10_000, ..Default::default() };
    let (_sim, f, app) = browsing("large", options).await;
    let id = f.large_basket_id.expect("the large basket");

    let started = Instant::now();
    app.click(&format!("[data-basket='{id}']")).await;
    // A debug build decodes 17 MB of JSON on both ends: allow a minute (the figure is printed, not asserted).
    app.wait_js_for(
        "return [...document.querySelectorAll('#grid .cell img')].filter(i => i.complete && i.naturalWidth > 0).length >= 8",
        "the first screen of thumbnails",
        Duration::from_secs(90),
    )
    .await;
    println!("large basket: first screen of thumbnails after {:?}", started.elapsed());
    app.screenshot("top").await;

    let cells = app.js("return document.querySelectorAll('#grid .cell').length").await;
    assert!(cells.as_u64().unwrap() < 300, "only visible cells exist in the DOM, not {cells}");
    app.js("const g = document.getElementById('grid'); g.scrollTop = g.scrollHeight; return true").await;
    app.wait_js("return !!document.querySelector('#grid .cell[data-index=\"9999\"]')", "the last cell").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.screenshot("end").await;
    app.close().await;
}

/// Video and audio stream to the players from the backend's loopback endpoint (WebKitGTK's player cannot
/// read a custom scheme, tauri-apps/tauri#3725), with ranges, allowed by the CSP extended at start-up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn video_and_audio_play_in_the_viewer() {
    let (_sim, f, app) = browsing("playback", SimOptions::default()).await;
    open_basket(&app, f.media_basket_id).await;

    for (record, what) in [(f.video_record, "video"), (f.audio_record, "audio")] {
        open_record(&app, record).await;
        app.click("#view-btn").await;
        // HAVE_CURRENT_DATA or more, and a known duration: the player decoded real bytes.
        app.wait_js(
            "const m = document.querySelector('#viewer-media'); return !!m && m.readyState >= 2 && m.duration > 0",
            &format!("the {what} is playable"),
        )
        .await;
        assert!(!app.has("#playback-failed").await, "the {what} failed to play");
        app.screenshot(what).await;
        app.find("#viewer").await.send_keys(ESCAPE).await.unwrap();
        app.wait_js("return !document.querySelector('#viewer')", "the viewer closed").await;
    }
    app.close().await;
}

/// The media player's registry is brought up to date at start-up, by the app, before any video is
/// opened (phraseanet_app::media_engine): on a fresh one, the first video would wait for that scan.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn the_media_player_is_ready_before_the_first_video() {
    let dir = tempfile::tempdir().unwrap();
    let registry = dir.path().join("registry.bin");
    let app = App::launch("media-warmup", &[("GST_REGISTRY", registry.to_str().unwrap())]).await;
    app.find("#about-btn").await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !registry.exists() {
        assert!(Instant::now() < deadline, "no media player registry a minute after the start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(std::fs::metadata(&registry).unwrap().len() > 1000, "a registry with the system's plugins");
    assert!(!app.has("video, audio").await, "no player was made for it");
    app.close().await;
}

/// A PDF document shows inline: the engine's PDF viewer renders its page from the loopback endpoint.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn a_pdf_document_shows_inline_in_the_viewer() {
    let (_sim, f, app) = browsing("pdf", SimOptions::default()).await;
    open_basket(&app, f.media_basket_id).await;
    let d = f.document_record;
    open_record(&app, d).await;
    app.click("#view-btn").await;
    app.find("#viewer-pdf").await;
    // Inside the frame: the PDF viewer drew a page with the document's text.
    // The frame holds the engine's plugin document, whose own frame is the PDF viewer.
    app.client.enter_frame(0).await.expect("the PDF frame");
    app.wait_js("return window.frames.length > 0", "the PDF viewer inside the frame").await;
    app.client.enter_frame(0).await.expect("the PDF viewer");
    app.wait_js(
        "return (document.body.innerText || '').includes('Phraseanet sample document')",
        "the PDF's text rendered",
    )
    .await;
    app.client.enter_parent_frame().await.expect("out of the viewer");
    app.client.enter_parent_frame().await.expect("back to the app");
    app.screenshot("inline").await;
    app.close().await;
}

/// A token revoked while browsing: the next call raises the re-sign-in dialog, and signing in again
/// comes back to the basket that was open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn a_revoked_token_while_browsing_comes_back_to_the_same_basket() {
    let (sim, f, app) = browsing("browse-revoked", SimOptions::default()).await;
    open_basket(&app, f.vote_basket_id).await;
    let name = app.wait_text("#basket-name", "the basket's name", |t| !t.is_empty()).await;

    assert!(sim.revoke_token(&f.developer_token));
    app.click("#refresh-baskets").await;
    app.wait_text("#reauth-body", "the re-sign-in dialog", |t| t.contains("revoked or expired")).await;
    app.click("#reauth-btn").await;
    app.click("#open-signin").await;
    let url =
        app.wait_text("#authorize-url", "the authorize URL", |t| t.contains("/api/oauthv2/authorize")).await;
    let code = oob_code(&sim, &url).await;
    app.fill("#code-input", &code).await;
    app.wait_text("#basket-name", "the same basket again", |t| t == name).await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn search_narrows_by_a_facet_and_widens_again() {
    let (_sim, f, app) = browsing("search", SimOptions::default()).await;
    app.click("#section-search").await;
    app.find("#search-input").await;
    // An empty query matches everything.
    app.click("#search-run").await;
    let all = format!("{} results", f.searchable_records);
    app.wait_text("#search-total", "the total", |t| t.starts_with(&all)).await;
    app.find("#grid .cell").await;
    app.screenshot("search").await;

    // A facet value narrows to its count; removing its chip widens again.
    let value = app.find("#facets [data-facet-value]").await;
    let label = value.text().await.unwrap();
    let count: String =
        label.chars().rev().take_while(|c| c.is_ascii_digit()).collect::<String>().chars().rev().collect();
    value.click().await.unwrap();
    app.find("#active-filters [data-remove-filter]").await;
    app.wait_text("#search-total", "the narrowed total", |t| t.starts_with(&format!("{count} result"))).await;
    app.screenshot("search-facet").await;
    app.click("#active-filters [data-remove-filter]").await;
    app.wait_text("#search-total", "the total again", |t| t.starts_with(&all)).await;

    // The record panel works on a result, and the baskets keep their place.
    app.click("#grid .cell").await;
    app.wait_text("#record-title", "the record panel", |t| !t.is_empty() && t != "Loading…").await;
    app.click("#section-baskets").await;
    app.find("#basket-list").await;
    app.close().await;
}
