//! Sign-in against the double: the whole OOB flow, every token error, revoked tokens, developer token and
//! password grant.

use std::time::Duration;

use phraseanet_client::{Error, Secret, SecretKind, ServerUrl, Session, SignIn};
use phraseanet_sim::browser::Browser;
use phraseanet_sim::{Sim, SimOptions};

use crate::common::*;

#[tokio::test]
async fn whole_oob_flow_from_authorize_page_to_vault() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let cfg = tempfile::tempdir().unwrap();
    let accounts = Accounts::new(&sim, cfg.path());
    accounts.save(&sim);
    let Accounts { profiles, vault, profile } = &accounts;

    let sign_in = SignIn::for_profile(profile, vault).unwrap();
    let req = sign_in.authorize_url();
    // The person: authorize page → login form → OOB page with the code.
    let browser = Browser::new();
    let page = browser.sign_in(&req.url, &f.login, &f.password).await.unwrap();
    let code = page.authorize_token().expect("the OOB page shows a code");
    assert_eq!(code.len(), 32);
    // They paste the whole page text, not just the code.
    let signed = sign_in.finish_oob(&page.body).await.unwrap();
    assert_eq!(signed.me.user.name(), f.display_name);
    assert!(vault.get("sim", SecretKind::AccessToken).unwrap().is_none(), "nothing stored before remember");
    let mut session = signed.remember(profiles, vault, profile).unwrap();
    assert!(vault.get("sim", SecretKind::AccessToken).unwrap().is_some());
    assert_eq!(profiles.get("sim").unwrap().user_name.as_deref(), Some(f.display_name.as_str()));
    assert_eq!(session.user().unwrap().name(), f.display_name);

    // Next launch: restore from the vault, no sign-in.
    let mut again = Session::restore(profile, vault).unwrap();
    assert_eq!(again.refresh_user().await.unwrap().name(), f.display_name);
    assert_eq!(session.refresh_user().await.unwrap().id, f.user_id);
    sim.shutdown().await;
}

#[tokio::test]
async fn paste_forms_code_equals_and_url() {
    let sim = sim().await;
    let s = sign_in(&sim);
    let code = browser_code(&sim, &s).await;
    assert!(s.finish_oob(&format!("code={code}")).await.is_ok());
    let code = browser_code(&sim, &s).await;
    assert!(s.finish_oob(&format!("  urn:ietf:wg:oauth:2.0:oob?code={code}\n")).await.is_ok());
    sim.shutdown().await;
}

#[tokio::test]
async fn garbage_is_rejected_before_any_network_call() {
    // A server that does not exist: a network call would fail with `network`, not `invalid-code`.
    let s = SignIn::new(ServerUrl::parse("http://127.0.0.1:9").unwrap(), "abc", None).unwrap();
    for bad in ["", "hello", "code=", "<html>nothing</html>"] {
        assert_eq!(s.finish_oob(bad).await.unwrap_err().code(), "invalid-code", "{bad:?}");
    }
}

#[tokio::test]
async fn expired_code_says_thirty_seconds() {
    let sim = Sim::start(SimOptions { code_lifetime: Duration::from_millis(300), ..Default::default() })
        .await
        .unwrap();
    let s = sign_in(&sim);
    let code = browser_code(&sim, &s).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let err = s.finish_oob(&code).await.unwrap_err();
    assert_eq!(err, Error::ExpiredCode);
    assert!(err.message().contains("30 seconds"));
    sim.shutdown().await;
}

#[tokio::test]
async fn unknown_code_is_invalid_grant() {
    let sim = sim().await;
    let err = sign_in(&sim).finish_oob("0123456789abcdef0123456789abcdef").await.unwrap_err();
    assert_eq!(err.code(), "invalid-grant");
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_secret_is_invalid_client() {
    let sim = sim().await;
    let f = sim.fixtures();
    let good = sign_in(&sim);
    let code = browser_code(&sim, &good).await;
    let bad = SignIn::new(server(&sim), &f.desktop_app.client_id, Some(Secret::new("wrong-secret"))).unwrap();
    assert_eq!(bad.finish_oob(&code).await.unwrap_err(), Error::InvalidClient);
    // The secret is optional for the server (api §2.3): without it, the same code works.
    let no_secret = SignIn::new(server(&sim), &f.desktop_app.client_id, None).unwrap();
    assert!(no_secret.finish_oob(&code).await.is_ok());
    sim.shutdown().await;
}

#[tokio::test]
async fn https_required_is_typed() {
    let sim = Sim::start(SimOptions { require_https: true, ..Default::default() }).await.unwrap();
    let s = sign_in(&sim);
    let code = browser_code(&sim, &s).await;
    assert_eq!(s.finish_oob(&code).await.unwrap_err(), Error::HttpsRequired);
    sim.shutdown().await;
}

#[tokio::test]
async fn developer_token_and_password_grant() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let s = sign_in(&sim);
    let signed = s.finish_developer_token(Secret::new(format!(" {} ", f.developer_token))).await.unwrap();
    assert_eq!(signed.me.user.id, f.user_id);
    assert_eq!(s.finish_developer_token(Secret::new("nope")).await.unwrap_err(), Error::SignedOut);

    // The desktop app has the password grant off; the password app has it on (api §2.4).
    let pw = Secret::new(&f.password);
    assert_eq!(s.finish_password(&f.login, &pw).await.unwrap_err(), Error::UnsupportedGrant);
    let p = SignIn::new(
        server(&sim),
        &f.password_app.client_id,
        Some(Secret::new(&f.password_app.client_secret)),
    )
    .unwrap();
    assert_eq!(p.finish_password(&f.login, &pw).await.unwrap().me.user.id, f.user_id);
    assert_eq!(p.finish_password(&f.login, &Secret::new("bad")).await.unwrap_err(), Error::InvalidGrant);
    sim.shutdown().await;
}

#[tokio::test]
async fn revoked_token_signs_out_and_removes_only_the_token() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let cfg = tempfile::tempdir().unwrap();
    let Accounts { profiles, vault, profile } = &Accounts::new(&sim, cfg.path());
    let s = sign_in(&sim);
    let code = browser_code(&sim, &s).await;
    let signed = s.finish_oob(&code).await.unwrap();
    let token = signed.token().expose().to_string();
    let session = signed.remember(profiles, vault, profile).unwrap();
    assert!(session.api().baskets().await.is_ok());

    assert!(sim.revoke_token(&token));
    let err = session.api().baskets().await.unwrap_err();
    assert_eq!(err, Error::SignedOut);
    assert_eq!(err.message(), "Signed out: sign in again");
    assert!(vault.get("sim", SecretKind::AccessToken).unwrap().is_none(), "the stale token is removed");
    assert!(profiles.get("sim").is_ok(), "the profile stays");
    assert_eq!(Session::restore(profile, vault).unwrap_err().code(), "not-signed-in");

    // Revoking the app in the account settings has the same effect on a fresh token.
    let code = browser_code(&sim, &s).await;
    let signed = s.finish_oob(&code).await.unwrap();
    assert!(sim.revoke_app(&f.desktop_app.client_id));
    assert_eq!(signed.api.me().await.unwrap_err(), Error::SignedOut);
    sim.shutdown().await;
}

#[tokio::test]
async fn consent_refused_is_access_denied() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let s =
        SignIn::new(server(&sim), &f.revoked_app.client_id, Some(Secret::new(&f.revoked_app.client_secret)))
            .unwrap();
    let browser = Browser::new();
    let page = browser.sign_in(&s.authorize_url().url, &f.login, &f.password).await.unwrap();
    assert!(page.is_consent_page());
    let denied = browser.deny_consent(&page).await.unwrap();
    assert_eq!(s.finish_oob(&denied.body).await.unwrap_err().code(), "access-denied");
    sim.shutdown().await;
}

#[tokio::test]
async fn not_a_phraseanet_server() {
    let sim = sim().await;
    let info = phraseanet_client::discover(&server(&sim), &fast_opts()).await.unwrap();
    assert_eq!(info.kind.as_deref(), Some("phraseanet"));
    // A closed port.
    let err = phraseanet_client::discover(&ServerUrl::parse("http://127.0.0.1:9").unwrap(), &fast_opts())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "network");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_server_that_expires_tokens_has_its_expiry_kept_in_the_profile() {
    let sim =
        Sim::start(SimOptions { token_lifetime: Some(Duration::from_secs(3600)), ..Default::default() })
            .await
            .unwrap();
    let cfg = tempfile::tempdir().unwrap();
    let accounts = Accounts::new(&sim, cfg.path());
    accounts.save(&sim);
    let Accounts { profiles, vault, profile } = &accounts;
    let sign_in = SignIn::for_profile(profile, vault).unwrap();
    let (request, pending) = sign_in.start_oob();
    let code = phraseanet_sim::testing::oob_code(&sim, &request.url).await;
    let signed = sign_in.finish_oob_with(&code, Some(&pending)).await.unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let at = signed.expires_at.expect("expires_in was kept");
    assert!((now + 3590..=now + 3610).contains(&at), "{at} vs {now}");
    signed.remember(profiles, vault, profile).unwrap();
    let saved = profiles.get("sim").unwrap();
    assert_eq!(saved.token_expires_at, Some(at));
    assert_eq!(saved.summary(true).token_expires_at, Some(at), "the UI sees it");
    // A developer token has no expiry (and clears a previous one).
    let dev = sign_in.finish_developer_token(Secret::new(&sim.fixtures().developer_token)).await.unwrap();
    assert!(dev.expires_at.is_none());
    dev.remember(profiles, vault, &saved).unwrap();
    assert_eq!(profiles.get("sim").unwrap().token_expires_at, None);
}

#[tokio::test]
async fn an_expired_token_of_such_a_server_signs_out() {
    let sim = Sim::start(SimOptions { token_lifetime: Some(Duration::from_secs(1)), ..Default::default() })
        .await
        .unwrap();
    let s = sign_in(&sim);
    let code = browser_code(&sim, &s).await;
    let signed = s.finish_oob(&code).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(signed.api.me().await.unwrap_err(), Error::SignedOut);
}
