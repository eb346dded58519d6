//! The desktop use cases against the Phraseanet double, over real HTTP: the person's browser part is
//! played by `phraseanet_sim::browser`. Secrets go to a session-only vault here; the real keyring is
//! covered by the end-to-end suite.

use std::time::Duration;

use phraseanet_app::{check_code, Desktop, NewProfile, DEMO_PROFILE};
use phraseanet_client::{AuthMethod, ProfileStore, SecretKind, Vault};
use phraseanet_sim::testing::{come_back_as, files_under, oob_code, oob_code_as};
use phraseanet_sim::{Sim, SimOptions};

struct World {
    sim: Sim,
    desktop: Desktop,
    vault: Vault,
    _dir: tempfile::TempDir,
}

async fn world(options: SimOptions) -> World {
    let sim = Sim::start(options).await.expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::session_only();
    let desktop = Desktop::new(ProfileStore::at(dir.path().join("config")), vault.clone());
    World { sim, desktop, vault, _dir: dir }
}

impl World {
    fn new_profile(&self, name: &str) -> NewProfile {
        let app = &self.sim.fixtures().desktop_app;
        NewProfile {
            name: Some(name.into()),
            server: format!("{}/", self.sim.url()),
            client_id: app.client_id.clone(),
            client_secret: Some(app.client_secret.clone()),
            auth: AuthMethod::OauthOob,
        }
    }

    async fn code_for(&self, profile: &str) -> String {
        let request = self.desktop.open_sign_in(profile).unwrap();
        oob_code(&self.sim, &request.url).await
    }

    fn files_text(&self) -> String {
        let mut all = String::new();
        for entry in files_under(self.desktop.config_dir()) {
            all.push_str(&String::from_utf8_lossy(&std::fs::read(entry).unwrap()));
        }
        all
    }
}

#[tokio::test]
async fn oob_sign_in_names_the_user_and_keeps_secrets_off_disk() {
    let w = world(SimOptions::default()).await;
    let server = w.desktop.check_server(w.sim.url()).await.expect("the sim is a Phraseanet");
    assert_eq!(server.kind.as_deref(), Some("phraseanet"));

    let summary = w.desktop.save_profile(w.new_profile("Work")).unwrap();
    assert!(!summary.signed_in);
    let code = w.code_for("Work").await;
    // The person pastes the whole OOB page line rather than the bare code: still accepted.
    let account = w.desktop.sign_in_with_code("Work", &format!("  code={code}\n")).await.expect("signed in");
    assert_eq!(account.user_name, w.sim.fixtures().display_name);
    assert_eq!(account.server, phraseanet_app::server_label(w.sim.url()));

    let state = w.desktop.profiles().unwrap();
    assert_eq!(state.active.as_deref(), Some("Work"));
    assert!(state.profiles.iter().any(|p| p.name == "Work" && p.signed_in));

    let token = w.vault.get("Work", SecretKind::AccessToken).unwrap().expect("token in the vault");
    let on_disk = w.files_text();
    assert!(on_disk.contains("Work"), "the profile is on disk");
    assert!(!on_disk.contains(token.expose()), "no token on disk");
    assert!(!on_disk.contains(&w.sim.fixtures().desktop_app.client_secret), "no client secret on disk");
}

#[tokio::test]
async fn junk_in_the_paste_field_is_refused_before_any_network_call() {
    let check = check_code("hello there");
    assert!(check.code.is_none());
    let problem = check.problem.expect("a reason");
    assert_eq!(problem.code, "invalid-code");
    assert!(check_code("0123456789abcdef0123456789abcdef").code.is_some());
}

#[tokio::test]
async fn an_expired_code_says_so() {
    let w = world(SimOptions { code_lifetime: Duration::from_millis(300), ..Default::default() }).await;
    w.desktop.save_profile(w.new_profile("Work")).unwrap();
    let code = w.code_for("Work").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let err = w.desktop.sign_in_with_code("Work", &code).await.unwrap_err();
    assert_eq!(err.code(), "expired-code");
    assert!(!w.desktop.profiles().unwrap().profiles[0].signed_in);
}

#[tokio::test]
async fn a_revoked_token_signs_the_profile_out_but_keeps_it() {
    let w = world(SimOptions::default()).await;
    w.desktop.save_profile(w.new_profile("Work")).unwrap();
    let code = w.code_for("Work").await;
    w.desktop.sign_in_with_code("Work", &code).await.unwrap();
    let token = w.vault.get("Work", SecretKind::AccessToken).unwrap().unwrap();

    assert!(w.sim.revoke_token(token.expose()));
    let err = w.desktop.resume("Work").await.unwrap_err();
    assert_eq!(err.code(), "signed-out");
    assert!(w.vault.get("Work", SecretKind::AccessToken).unwrap().is_none(), "stale token removed");
    let state = w.desktop.profiles().unwrap();
    assert!(state.profiles.iter().any(|p| p.name == "Work" && !p.signed_in), "profile kept");

    // Signing in again brings it back.
    let code = w.code_for("Work").await;
    w.desktop.sign_in_with_code("Work", &code).await.unwrap();
    assert!(w.desktop.resume("Work").await.is_ok());
}

#[tokio::test]
async fn developer_token_sign_in_and_sign_out() {
    let w = world(SimOptions::default()).await;
    w.desktop.save_profile(w.new_profile("Dev")).unwrap();
    let bad = w.desktop.sign_in_with_token("Dev", "not-a-real-token-at-all").await.unwrap_err();
    assert_eq!(bad.code(), "signed-out", "the server rejects an unknown token with invalid_token");

    let token = w.sim.fixtures().developer_token.clone();
    let account = w.desktop.sign_in_with_token("Dev", &token).await.unwrap();
    assert_eq!(account.user_name, w.sim.fixtures().display_name);

    let state = w.desktop.sign_out("Dev").unwrap();
    assert!(state.profiles.iter().any(|p| p.name == "Dev" && !p.signed_in));
    assert_eq!(state.active, None);
    assert!(w.vault.get("Dev", SecretKind::AccessToken).unwrap().is_none());
    assert!(w.vault.get("Dev", SecretKind::ClientSecret).unwrap().is_some(), "the client secret stays");

    let state = w.desktop.remove_profile("Dev").unwrap();
    assert!(state.profiles.is_empty());
    assert!(w.vault.get("Dev", SecretKind::ClientSecret).unwrap().is_none(), "removing forgets secrets");
}

#[tokio::test]
async fn unreachable_and_insecure_servers_are_explained() {
    let w = world(SimOptions::default()).await;
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let err = w.desktop.check_server(&format!("http://127.0.0.1:{port}/")).await.unwrap_err();
    assert_eq!(err.code(), "network");
    let err = w.desktop.check_server("http://dam.example.org/").await.unwrap_err();
    assert_eq!(err.code(), "insecure-http");
    let err =
        w.desktop.save_profile(NewProfile { server: "http://dam.example.org".into(), ..w.new_profile("X") });
    assert_eq!(err.unwrap_err().code(), "insecure-http");
}

#[tokio::test]
async fn the_demo_server_signs_in_without_touching_the_real_config() {
    let w = world(SimOptions::default()).await;
    let demo = w.desktop.start_demo().await.expect("demo starts");
    assert_eq!(demo.profile.name, DEMO_PROFILE);
    assert!(!demo.login.is_empty() && !demo.password.is_empty());
    let again = w.desktop.start_demo().await.unwrap();
    assert_eq!(again.url, demo.url, "one demo server per app run");

    let request = w.desktop.open_sign_in(DEMO_PROFILE).unwrap();
    let code = oob_code_as(&request.url, &demo.login, &demo.password).await;
    let account = w.desktop.sign_in_with_code(DEMO_PROFILE, &code).await.unwrap();
    assert_eq!(account.profile.name, DEMO_PROFILE);
    assert!(w.desktop.profiles().unwrap().profiles.iter().any(|p| p.name == DEMO_PROFILE && p.signed_in));
    assert!(
        w.vault.get(DEMO_PROFILE, SecretKind::AccessToken).unwrap().is_none(),
        "demo token not in the vault"
    );
    assert!(files_under(w.desktop.config_dir()).is_empty(), "nothing of the demo in the config dir");
}

#[tokio::test]
async fn a_stale_sessions_rejected_token_leaves_the_newer_sign_in_alone() {
    let w = world(SimOptions::default()).await;
    w.desktop.save_profile(w.new_profile("Work")).unwrap();
    let code = w.code_for("Work").await;
    w.desktop.sign_in_with_code("Work", &code).await.unwrap();
    let old = w.desktop.session("Work").unwrap().api().clone();
    let old_token = w.vault.get("Work", SecretKind::AccessToken).unwrap().unwrap();

    // A new sign-in (as after a settings change), while something still holds the old session's API.
    let code = w.code_for("Work").await;
    w.desktop.sign_in_with_code("Work", &code).await.unwrap();
    let new_token = w.vault.get("Work", SecretKind::AccessToken).unwrap().unwrap();
    assert_ne!(old_token.expose(), new_token.expose());

    assert!(w.sim.revoke_token(old_token.expose()));
    assert_eq!(old.me().await.unwrap_err().code(), "signed-out");
    let kept = w.vault.get("Work", SecretKind::AccessToken).unwrap().unwrap();
    assert_eq!(kept.expose(), new_token.expose(), "the newer token stays in the keyring");
    assert!(!w.desktop.session("Work").unwrap().api().is(&old), "the newer session stays");
    assert!(w.desktop.resume("Work").await.is_ok());

    // The current session's own rejection still ends it.
    assert!(w.sim.revoke_token(new_token.expose()));
    assert_eq!(w.desktop.baskets("Work").await.unwrap_err().code(), "signed-out");
    assert!(w.vault.get("Work", SecretKind::AccessToken).unwrap().is_none());
    assert_eq!(w.desktop.baskets("Work").await.unwrap_err().code(), "not-signed-in");
}

/// The "open the browser" of a loopback sign-in: the person's browser, played in the background.
fn come_back(login: String, password: String) -> impl FnOnce(&phraseanet_client::AuthorizeRequest) {
    move |request| {
        let url = request.url.clone();
        tokio::spawn(async move { come_back_as(None, &url, &login, &password).await });
    }
}

#[tokio::test]
async fn the_demo_offers_the_loopback_sign_in_with_its_web_application() {
    let w = world(SimOptions::default()).await;
    let oob = w.desktop.start_demo().await.unwrap();
    assert_eq!(oob.profile.auth, AuthMethod::OauthOob);
    let demo = w.desktop.start_demo_with(AuthMethod::Loopback).await.unwrap();
    assert_eq!(demo.profile.auth, AuthMethod::Loopback);
    assert_eq!(demo.url, oob.url, "the same demo server");
    assert_ne!(demo.profile.client_id, oob.profile.client_id, "its web application");

    let open = come_back(demo.login.clone(), demo.password.clone());
    let account = w.desktop.sign_in_loopback(DEMO_PROFILE, "en", open).await.unwrap();
    assert_eq!(account.profile.name, DEMO_PROFILE);
    assert!(w.desktop.baskets(DEMO_PROFILE).await.is_ok(), "the session works");
}

#[tokio::test]
async fn a_loopback_profile_remembers_its_kind_and_a_wait_can_be_cancelled() {
    let w = world(SimOptions::default()).await;
    let web = &w.sim.fixtures().web_app;
    let profile = NewProfile {
        client_id: web.client_id.clone(),
        client_secret: Some(web.client_secret.clone()),
        auth: AuthMethod::Loopback,
        ..w.new_profile("Web")
    };
    assert_eq!(w.desktop.save_profile(profile).unwrap().auth, AuthMethod::Loopback);
    assert_eq!(w.desktop.profiles().unwrap().profiles[0].auth, AuthMethod::Loopback, "kept on disk");

    // Cancel: nothing opens in the browser, the wait ends with `cancelled`, nothing is stored.
    let waiting = w.desktop.sign_in_loopback("Web", "en", |_| {});
    let cancel = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        w.desktop.cancel_sign_in("Web");
    };
    let (outcome, ()) = tokio::join!(waiting, cancel);
    assert_eq!(outcome.unwrap_err().code(), "cancelled");
    assert!(!w.desktop.profiles().unwrap().profiles[0].signed_in);

    let f = w.sim.fixtures();
    let open = come_back(f.login.clone(), f.password.clone());
    let account = w.desktop.sign_in_loopback("Web", "en", open).await.unwrap();
    assert!(account.profile.signed_in);
    assert!(w.vault.get("Web", SecretKind::AccessToken).unwrap().is_some());
}

#[tokio::test]
async fn a_token_with_an_expiry_reaches_the_ui_in_the_account() {
    let w = world(SimOptions { token_lifetime: Some(Duration::from_secs(900)), ..Default::default() }).await;
    w.desktop.save_profile(w.new_profile("Work")).unwrap();
    let code = w.code_for("Work").await;
    let account = w.desktop.sign_in_with_code("Work", &code).await.unwrap();
    let at = account.profile.token_expires_at.expect("the expiry the server gave");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!((now + 890..=now + 910).contains(&at));
    assert_eq!(
        w.desktop.resume("Work").await.unwrap().profile.token_expires_at,
        Some(at),
        "kept across starts"
    );
}

/// A server that is gone at start leaves the profile signed in, offline since the first failure; the
/// next `resume` once it is back is online again.
#[tokio::test]
async fn an_unreachable_server_resumes_offline_and_reconnects() {
    let w = crate::common::world(phraseanet_sim::SimOptions::default()).await;
    let port: u16 = w.sim.url().rsplit(':').next().unwrap().trim_end_matches('/').parse().unwrap();
    w.sim.shutdown().await;
    let first = w.desktop.resume(crate::common::P).await.expect("offline, not an error");
    let offline = first.offline.expect("marked offline");
    assert_eq!(offline.problem.code.as_str(), "network");
    let again = w.desktop.resume(crate::common::P).await.unwrap();
    assert_eq!(again.offline.unwrap().since, offline.since, "since the first failure");

    let _back =
        phraseanet_sim::Sim::start(phraseanet_sim::SimOptions { port, ..Default::default() }).await.unwrap();
    let online = w.desktop.resume(crate::common::P).await.unwrap();
    assert!(online.offline.is_none());
    assert!(!online.user_name.is_empty());
}
