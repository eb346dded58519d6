//! Desktop integration and languages in the real window (#18): the shortcut overlay lists every key and
//! the app's accelerators run their actions; drag-out prepares the files (WebDriver cannot drag to the
//! OS: the backend half is driven, and its files checked); Arabic lays the window out right to left;
//! French formats numbers and dates; switching profiles (two doubles at once) returns to each one's last
//! view.

use phraseanet_sim::{Dataset, Fixtures, Sim, SimOptions};

use crate::browse::open_basket;
use phraseanet_sim::testing::files_under;

use crate::harness::{single_instance_name, App};
use crate::signin::{host_of, sign_in_with_token};

const CONTROL: &str = "\u{e009}";
const SHIFT: &str = "\u{e008}";
const RELEASE: &str = "\u{e000}";
const ESCAPE: &str = "\u{e00c}";

async fn signed_in(scenario: &str, options: SimOptions, env: &[(&str, &str)]) -> (Sim, Fixtures, App) {
    let sim = Sim::start(options).await.unwrap();
    let f = sim.fixtures().clone();
    let app = App::launch(scenario, env).await;
    sign_in_with_token(&app, &sim).await;
    app.find("#basket-list").await;
    (sim, f, app)
}

/// Picks the UI's language as the language picker does (stored, then the window reloads).
async fn choose_language(app: &App, code: &str) {
    app.js(&format!("localStorage.setItem('phraseanet.language', '{code}'); return true")).await;
    app.reload().await;
    app.wait_js(
        &format!(
            "return document.documentElement.lang === '{code}' && !!document.querySelector('#basket-list')"
        ),
        "the window in its new language",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn the_shortcut_overlay_lists_every_key_and_accelerators_run_their_actions() {
    let (_sim, f, app) = signed_in("keys", SimOptions::default(), &[]).await;
    open_basket(&app, f.plain_basket_id).await;
    let grid = app.find("#grid").await;
    grid.send_keys("?").await.unwrap();
    let overlay = app.find("#shortcuts").await;
    let rows = app.js("return document.querySelectorAll('#shortcuts .shortcut-row').length").await;
    assert!(rows.as_u64().unwrap() >= 30, "every key is listed: {rows}");
    for action in ["download-all", "find", "go-search", "shortcuts", "zoom-in", "grid-all"] {
        assert!(
            app.has(&format!("#shortcuts .shortcut-row[data-action='{action}']")).await,
            "{action} listed"
        );
    }
    app.screenshot("shortcuts").await;
    overlay.send_keys(ESCAPE).await.unwrap();
    app.wait_js("return !document.querySelector('#shortcuts')", "the overlay closed").await;

    // Ctrl+2 goes to search, Ctrl+F puts the cursor in its box, Ctrl+1 comes back to the baskets.
    app.find("#grid").await.send_keys(&format!("{CONTROL}2{RELEASE}")).await.unwrap();
    app.find("#search-input").await;
    app.find("body").await.send_keys(&format!("{CONTROL}f{RELEASE}")).await.unwrap();
    app.wait_js(
        "return document.activeElement === document.querySelector('#search-input')",
        "the search box focused",
    )
    .await;
    app.find("#search-input").await.send_keys(&format!("{CONTROL}1{RELEASE}")).await.unwrap();
    app.find("#basket-list").await;
    // Ctrl+Shift+D: "Download all" of the open basket.
    open_basket(&app, f.plain_basket_id).await;
    app.find("#grid").await.send_keys(&format!("{CONTROL}{SHIFT}d{RELEASE}")).await.unwrap();
    app.find("#download-list [data-job]").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn drag_out_prepares_the_files_the_os_drag_hands_over() {
    let temp = tempfile::tempdir().unwrap();
    let tmp = temp.path().to_string_lossy().into_owned();
    let (_sim, f, app) = signed_in(
        "dragout",
        SimOptions { dataset: Dataset::Hostile, ..Default::default() },
        &[("TMPDIR", &tmp)],
    )
    .await;
    open_basket(&app, f.media_basket_id).await;
    app.js("const c = document.querySelector('#grid .cell:not(.stack)'); \
         c.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true})); return true")
        .await;
    app.find("#grid").await.send_keys(&format!("{CONTROL}e{RELEASE}")).await.unwrap();
    app.wait_js(
        "const h = document.querySelector('#drag-out-handle'); return !!h && Number(h.dataset.count) === 1",
        "the file ready to drag",
    )
    .await;
    app.screenshot("drag-ready").await;
    let files = files_under(temp.path());
    let prepared: Vec<_> =
        files.iter().filter(|p| p.to_string_lossy().contains("phraseanet-drag-")).collect();
    assert_eq!(prepared.len(), 1, "one file prepared: {files:?}");
    let name = prepared[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        !name.contains(['/', '\\', '%', '#', '?'])
            && !name.starts_with('.')
            && std::fs::metadata(prepared[0]).unwrap().len() > 0,
        "a safe, whole file: {name:?}"
    );
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn arabic_lays_the_window_out_right_to_left_and_french_formats_numbers_and_dates() {
    let options = SimOptions { dataset: Dataset::Large, basket_size: 1200, ..Default::default() };
    let (_sim, f, app) = signed_in("languages", options, &[]).await;
    choose_language(&app, "ar").await;
    assert_eq!(app.js("return document.documentElement.dir").await, "rtl");
    let big = f.large_basket_id.unwrap();
    open_basket(&app, big).await;
    // The sidebar is on the right of the grid; the text is Arabic.
    let sides = app
        .js("const s = document.querySelector('#basket-list').getBoundingClientRect(); \
             const g = document.querySelector('#grid').getBoundingClientRect(); return s.left > g.left")
        .await;
    assert_eq!(sides, true, "the sidebar sits on the right");
    let heading = app
        .js("return document.querySelector('#basket-list').closest('nav, aside, section')?.innerText ?? ''")
        .await;
    assert!(
        heading.as_str().unwrap().chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "Arabic text: {heading}"
    );
    app.screenshot("arabic").await;

    choose_language(&app, "fr").await;
    assert_eq!(app.js("return document.documentElement.dir").await, "ltr");
    open_basket(&app, big).await;
    // 1200 elements: French groups thousands with a narrow no-break space (U+202F, as Intl writes it).
    let header = app.js("return document.querySelector('#basket-header').textContent").await;
    let header = header.as_str().unwrap_or_default();
    assert!(header.contains("1\u{202f}200 ") || header.contains("1\u{a0}200 "), "{header}");
    app.js("const c = document.querySelector('#grid .cell:not(.stack)'); \
         c.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true})); return true")
        .await;
    let meta = app.wait_text("#record-meta", "the record's dates", |t| !t.is_empty()).await;
    let months =
        ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
    assert!(months.iter().any(|m| meta.contains(m)), "a French date: {meta}");
    app.screenshot("french").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn switching_profiles_returns_to_each_ones_last_view() {
    let (first, f, app) = signed_in("profiles", SimOptions::default(), &[]).await;
    open_basket(&app, f.plain_basket_id).await;
    let on_first = shown(&app).await;
    // A second account, on a second double.
    let second = Sim::start(SimOptions::default()).await.unwrap();
    app.click("#account-btn").await;
    app.click("#add-account").await;
    let g = second.fixtures();
    app.fill("#server-url", second.url()).await;
    app.fill("#client-id", &g.desktop_app.client_id).await;
    app.fill("#client-secret", &g.desktop_app.client_secret).await;
    app.click("#connect-submit").await;
    app.wait_text("#signin-title", "the sign-in screen", |t| t.starts_with("Sign in to")).await;
    app.click("#other-ways summary").await;
    app.fill("#token-input", &g.developer_token).await;
    app.click("#token-submit").await;
    app.wait_text("#signed-in-as", "the second account", |t| t.contains(&host_of(&second))).await;
    open_basket(&app, g.media_basket_id).await;
    let on_second = shown(&app).await;
    assert_ne!(on_first, on_second, "two different baskets");

    for (sim, expected) in [(&first, &on_first), (&second, &on_second), (&first, &on_first)] {
        app.click("#account-btn").await;
        let host = host_of(sim);
        let item = format!(
            "const b = [...document.querySelectorAll('#account-menu .menu-item')].find(b => b.textContent.includes({host:?})); \
             if (!b || b.disabled) return false; b.click(); return true"
        );
        app.wait_js(&item, &format!("switch to {host}")).await;
        app.wait_text("#signed-in-as", "the profile", |t| t.contains(&host)).await;
        app.wait_text("#basket-name", "the profile's last basket", |t| t == expected.as_str()).await;
    }
    app.screenshot("switched").await;
    app.close().await;
}

/// The open basket's name, once its grid is on screen.
async fn shown(app: &App) -> String {
    app.wait_js(
        "return !!document.querySelector('#grid .cell') && !document.querySelector('.content [aria-busy]')",
        "a basket's grid",
    )
    .await;
    app.wait_text("#basket-name", "the basket's name", |t| !t.is_empty()).await
}

/// A window on its way out still holds the single-instance name but answers nothing: the new launch
/// starts anyway (shell/relaunch.rs: it starts again, then without the check), instead of ending with an
/// error and no window. Run without WebDriver: the app binary itself, as a person starts it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn a_launch_starts_even_when_the_running_window_does_not_answer() {
    use std::process::{Command, Stdio};
    let _turn = crate::harness::ONE_APP_AT_A_TIME.lock().await;
    // The name, and no object behind it: every handover call fails at once.
    let holder = zbus::blocking::Connection::session().expect("the test's D-Bus session");
    holder.request_name(single_instance_name().as_str()).expect("the single-instance name is free");
    // Its object server answers at once ("no such object") — a window quitting answers nothing at all,
    // which fails the same way; a hung one would make each try wait for D-Bus's call time limit.
    drop(holder.object_server());
    let dirs = tempfile::tempdir().unwrap();
    let mut app = Command::new(crate::harness::app_binary())
        .env("XDG_CONFIG_HOME", dirs.path().join("config"))
        .env("XDG_CACHE_HOME", dirs.path().join("cache"))
        .env("XDG_DATA_HOME", dirs.path().join("data"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the app starts");
    let pid = app.id().to_string();
    // Up: the same process (started again in place) shows a window named after the app.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let window = loop {
        if let Some(status) = app.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(app.stderr.as_mut().unwrap(), &mut err).unwrap();
            panic!("the app ended ({status}) instead of starting: {err}");
        }
        let tree = Command::new("xwininfo").args(["-root", "-tree"]).output().unwrap();
        let tree = String::from_utf8_lossy(&tree.stdout).into_owned();
        if let Some(line) = tree.lines().find(|l| l.contains("\"Phraseanet Desktop\"")) {
            break line.trim().to_string();
        }
        assert!(std::time::Instant::now() < deadline, "no window came up");
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    };
    let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    let tries = env
        .split(|b| *b == 0)
        .find_map(|kv| kv.strip_prefix(b"PHRASEANET_DESKTOP_LAUNCH_TRY=").map(|v| v.to_vec()));
    assert_eq!(tries.as_deref(), Some(&b"3"[..]), "it started again, then without the check: {window}");
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let _ = app.wait();
    drop(holder);
}
