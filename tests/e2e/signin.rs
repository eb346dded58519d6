//! Signing in, in the real window: connect a server, the OOB paste sign-in, other ways in, sign-out and the
//! re-sign-in dialog — against the Phraseanet double, with the real Secret Service. The person's
//! browser part (sign-in page, login, reading the code) is played by `phraseanet_sim::browser`.

use std::time::Duration;

use phraseanet_sim::testing::{oob_code, oob_code_as};
use phraseanet_sim::{Sim, SimOptions};

use crate::harness::{all_text_under, secret_tool_lookup, App};

const KEYRING_SERVICE: &str = "phraseanet-desktop";

pub fn host_of(sim: &Sim) -> String {
    sim.url().trim_start_matches("http://").to_string()
}

/// Fills the connect form with the sim's desktop app and waits for the sign-in screen.
pub async fn connect(app: &App, sim: &Sim) {
    app.click("#connect-btn").await;
    let f = sim.fixtures();
    app.fill("#server-url", sim.url()).await;
    app.fill("#client-id", &f.desktop_app.client_id).await;
    app.fill("#client-secret", &f.desktop_app.client_secret).await;
    app.click("#connect-submit").await;
    app.wait_text("#signin-title", "the sign-in screen", |t| t.starts_with("Sign in to")).await;
}

/// Clicks "Open sign-in page", then plays the browser: signs in and reads the code on the OOB page.
pub async fn code_from_browser(app: &App, sim: &Sim) -> String {
    app.click("#open-signin").await;
    let url =
        app.wait_text("#authorize-url", "the authorize URL", |t| t.contains("/api/oauthv2/authorize")).await;
    oob_code(sim, &url).await
}

/// Connects the sim and signs in with its developer token: the quickest way to the main view.
pub async fn sign_in_with_token(app: &App, sim: &Sim) {
    connect(app, sim).await;
    app.click("#other-ways summary").await;
    app.fill("#token-input", &sim.fixtures().developer_token).await;
    app.click("#token-submit").await;
    app.wait_text("#signed-in-as", "the main view", |t| t.starts_with("Signed in as")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn oob_sign_in_keeps_the_token_in_the_keyring_only() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let app = App::launch("signin-oob", &[]).await;
    connect(&app, &sim).await;
    app.screenshot("signin-screen").await;

    let code = code_from_browser(&app, &sim).await;
    app.fill("#code-input", &code).await;
    let expected = format!("Signed in as {} on {}", sim.fixtures().display_name, host_of(&sim));
    app.wait_text("#signed-in", "the success line", |t| t == expected).await;
    app.screenshot("signed-in").await;
    app.wait_text("#signed-in-as", "the main view", |t| t == expected).await;
    app.screenshot("main").await;

    // The profile is named after the server; its token and client secret are in the Secret Service...
    let profile = host_of(&sim);
    let token =
        secret_tool_lookup(KEYRING_SERVICE, &format!("{profile}/access-token")).expect("token in keyring");
    assert_eq!(token.len(), 32, "a Phraseanet OAuth token");
    let secret = &sim.fixtures().desktop_app.client_secret;
    assert_eq!(
        secret_tool_lookup(KEYRING_SERVICE, &format!("{profile}/client-secret")).as_ref(),
        Some(secret)
    );
    // ...and nowhere on disk.
    let on_disk = all_text_under(app.home());
    assert!(on_disk.contains(&sim.fixtures().desktop_app.client_id), "the profile was written");
    assert!(!on_disk.contains(&token), "the token is on disk");
    assert!(!on_disk.contains(secret.as_str()), "the client secret is on disk");

    // Sign out: the token leaves the keyring, the profile stays.
    app.click("#account-btn").await;
    app.click("#sign-out").await;
    app.find("#connect-btn").await;
    assert_eq!(secret_tool_lookup(KEYRING_SERVICE, &format!("{profile}/access-token")), None);
    assert!(secret_tool_lookup(KEYRING_SERVICE, &format!("{profile}/client-secret")).is_some());
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn bad_input_gets_a_clear_message_and_a_next_step() {
    let sim =
        Sim::start(SimOptions { code_lifetime: Duration::from_secs(1), ..Default::default() }).await.unwrap();
    let app = App::launch("signin-errors", &[]).await;

    // Unreachable server.
    let dead_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    app.click("#connect-btn").await;
    app.fill("#server-url", &format!("http://127.0.0.1:{dead_port}")).await;
    app.fill("#client-id", &sim.fixtures().desktop_app.client_id).await;
    app.click("#connect-submit").await;
    app.find("#error[data-code='network']").await;
    app.screenshot("unreachable").await;
    app.click(".back").await;
    connect(&app, &sim).await;

    // Text that is not a code: refused on the spot.
    app.fill("#code-input", "hello, this is not it").await;
    app.wait_text("#signin-status", "the paste verdict", |t| !t.is_empty()).await;
    assert!(!app.has("#signed-in").await);

    // A well-formed but wrong code: the server refuses it.
    app.fill("#code-input", "0123456789abcdef0123456789abcdef").await;
    app.find("#error[data-code='invalid-grant']").await;

    // An expired code: says so and offers to reopen the browser.
    let code = code_from_browser(&app, &sim).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.fill("#code-input", &code).await;
    let text =
        app.wait_text("#error[data-code='expired-code']", "the expiry message", |t| !t.is_empty()).await;
    assert!(text.contains("30 seconds"), "{text}");
    app.find("#reopen-btn").await;
    app.screenshot("expired").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn developer_token_then_revocation_asks_to_sign_in_again() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let app = App::launch("signin-revoked", &[]).await;
    connect(&app, &sim).await;

    app.click("#other-ways summary").await;
    app.fill("#token-input", &sim.fixtures().developer_token).await;
    app.click("#token-submit").await;
    let expected = format!("Signed in as {} on {}", sim.fixtures().display_name, host_of(&sim));
    app.wait_text("#signed-in-as", "the main view", |t| t == expected).await;

    // The token is revoked on the server; at the next start the app finds out.
    assert!(sim.revoke_token(&sim.fixtures().developer_token));
    let app = app.relaunch(&[]).await;
    let body = app.wait_text("#reauth-body", "the re-sign-in dialog", |t| !t.is_empty()).await;
    assert_eq!(body, format!("Your access to {} was revoked or expired — sign in again.", host_of(&sim)));
    app.screenshot("reauth-dialog").await;

    app.click("#reauth-btn").await;
    let code = code_from_browser(&app, &sim).await;
    app.fill("#code-input", &code).await;
    app.wait_text("#signed-in-as", "the main view again", |t| t == expected).await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn the_built_in_demo_server_fills_the_form_and_signs_in() {
    let app = App::launch("demo", &[]).await;
    app.click("#demo-btn").await;
    app.find("#demo-filled").await;
    let server = app.find("#server-url").await.prop("value").await.unwrap().unwrap_or_default();
    assert!(server.starts_with("http://127.0.0.1:"), "the demo runs on loopback: {server}");
    app.click("#connect-submit").await;

    // The person reads the demo login and password on screen and types them in the browser.
    let login = app.wait_text("#demo-login", "the demo login", |t| !t.is_empty()).await;
    let password = app.wait_text("#demo-password", "the demo password", |t| !t.is_empty()).await;
    app.screenshot("signin-screen").await;
    app.click("#open-signin").await;
    let url =
        app.wait_text("#authorize-url", "the authorize URL", |t| t.contains("/api/oauthv2/authorize")).await;
    let code = oob_code_as(&url, &login, &password).await;
    app.fill("#code-input", &code).await;
    app.wait_text("#signed-in-as", "the main view", |t| t.starts_with("Signed in as")).await;
    app.find("#basket-list").await;
    app.screenshot("main").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn loopback_sign_in_with_the_web_application_needs_no_paste() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let f = sim.fixtures().clone();
    let app = App::launch("signin-loopback", &[]).await;
    app.click("#connect-btn").await;
    app.fill("#server-url", sim.url()).await;
    app.fill("#client-id", &f.web_app.client_id).await;
    app.fill("#client-secret", &f.web_app.client_secret).await;
    app.click("#kind-web").await;
    app.click("#connect-submit").await;
    app.wait_text("#signin-title", "the sign-in screen", |t| t.starts_with("Sign in to")).await;
    assert!(!app.has("#code-input").await, "nothing to paste");
    app.click("#loopback-signin").await;
    let url =
        app.wait_text("#authorize-url", "the authorize URL", |t| t.contains("/api/oauthv2/authorize")).await;
    assert!(url.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"), "{url}");
    app.find("#loopback-waiting").await;
    app.screenshot("loopback-waiting").await;
    // The person's browser: sign in, and the server sends it back to the app's listener.
    let (_, shown) = phraseanet_sim::testing::come_back(&sim, &url).await;
    assert!(shown.contains("You are signed in"), "{shown}");
    let expected = format!("Signed in as {} on {}", f.display_name, host_of(&sim));
    app.wait_text("#signed-in-as", "the main view", |t| t == expected).await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn a_failed_connect_offers_the_doctor_which_names_the_cause() {
    let sim = Sim::start(SimOptions { api_disabled: true, ..Default::default() }).await.unwrap();
    let app = App::launch("doctor", &[]).await;
    app.click("#connect-btn").await;
    app.fill("#server-url", sim.url()).await;
    app.fill("#client-id", &sim.fixtures().desktop_app.client_id).await;
    app.click("#connect-submit").await;
    app.click("#doctor-btn").await;
    app.wait_text("#doctor-verdict", "the doctor's verdict", |t| t.starts_with("Something stops")).await;
    let api = app.wait_text("[data-check='api']", "the API check", |t| t.contains("✘")).await;
    assert!(api.contains("turned off"), "{api}");
    let phraseanet = app.find("[data-check='phraseanet']").await.text().await.unwrap();
    assert!(phraseanet.contains("✔"), "discovery still answers: {phraseanet}");
    app.js("document.querySelector('#doctor-panel').scrollIntoView(); return null;").await;
    app.screenshot("doctor").await;
    app.click("#doctor-copy").await;
    app.find("#doctor-copied").await;
    app.close().await;
}
