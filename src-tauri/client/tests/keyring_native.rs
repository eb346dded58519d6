//! The real OS keyring. Runs only when `PHRASEANET_KEYRING_TESTS` is set (the project's test command sets it
//! inside `dbus-run-session` with an unlocked gnome-keyring); skipped otherwise, saying why.
//!
//! A test binary of its own, not a module of `tests/integration`: it writes to the session's real Secret
//! Service, which no other client test touches (they use session-only vaults), and can be run alone
//! (`cargo test -p phraseanet-client --test keyring_native`).

use phraseanet_client::{KeyringStore, Secret, SecretKind, SecretStore, Vault};

fn enabled() -> bool {
    if std::env::var_os("PHRASEANET_KEYRING_TESTS").is_none() {
        eprintln!(
            "skipped: set PHRASEANET_KEYRING_TESTS=1 and run inside a session with an unlocked Secret Service \
             (dbus-run-session + gnome-keyring-daemon --unlock)"
        );
        return false;
    }
    true
}

#[test]
fn keyring_round_trip_and_profiles_apart() {
    if !enabled() {
        return;
    }
    let service = format!("phraseanet-desktop-test-{}", std::process::id());
    let store = KeyringStore::with_service(&service);
    store.probe().expect("a keyring answers");
    let vault = Vault::with_store(std::sync::Arc::new(store.clone()));
    assert!(vault.persistent());
    vault.set("a", SecretKind::AccessToken, &Secret::new("token-a")).unwrap();
    vault.set("b", SecretKind::AccessToken, &Secret::new("token-b")).unwrap();
    vault.set("a", SecretKind::ClientSecret, &Secret::new("secret-a")).unwrap();
    // A second handle (another process would see the same).
    let again = KeyringStore::with_service(&service);
    assert_eq!(again.get("a/access-token").unwrap().unwrap().expose(), "token-a");
    assert_eq!(vault.get("b", SecretKind::AccessToken).unwrap().unwrap().expose(), "token-b");
    assert_eq!(vault.client_secret("a").unwrap().unwrap().expose(), "secret-a");
    vault.forget_profile("a").unwrap();
    vault.forget_profile("b").unwrap();
    assert!(vault.get("a", SecretKind::AccessToken).unwrap().is_none());
    assert!(vault.get("b", SecretKind::AccessToken).unwrap().is_none());
    vault.forget_profile("never-existed").unwrap();
}

#[test]
fn default_vault_opens_on_the_native_keyring() {
    if !enabled() {
        return;
    }
    let vault = Vault::keyring().expect("the native keyring answers");
    assert!(vault.persistent());
}

/// Without any session bus (plain shell, CI container), the vault says what is missing.
#[test]
fn no_keyring_is_a_typed_error_with_a_fix() {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || std::env::var_os("DISPLAY").is_some() {
        eprintln!("skipped: a session bus or display exists here, a keyring may answer");
        return;
    }
    match Vault::keyring() {
        Err(e) => {
            assert_eq!(e.code(), "keyring-unavailable", "{e:?}");
            assert!(e.hint().unwrap().contains("keyring"));
            eprintln!("{} / {}", e.message(), e.hint().unwrap());
        }
        Ok(_) => eprintln!("a keyring answered without a session bus (keyutils?)"),
    }
}

/// The whole OOB flow ending in the real keyring: authorize page → login → OOB page → paste → token →
/// `/me/` → keyring; then a restore from the keyring alone, and a revocation that removes only the token.
#[tokio::test]
async fn oob_flow_into_the_keyring() {
    if !enabled() {
        return;
    }
    use phraseanet_client::{AuthMethod, Profile, ProfileStore, Session, SignIn};
    let sim = phraseanet_sim::Sim::start(phraseanet_sim::SimOptions::default()).await.unwrap();
    let f = sim.fixtures().clone();
    let cfg = tempfile::tempdir().unwrap();
    let profiles = ProfileStore::at(cfg.path());
    let service = format!("phraseanet-desktop-flow-{}", std::process::id());
    let vault = Vault::with_store(std::sync::Arc::new(KeyringStore::with_service(&service)));
    let name = "sim-keyring";
    let profile = Profile::new(name, sim.url(), &f.desktop_app.client_id, AuthMethod::OauthOob).unwrap();
    profiles.save(&profile).unwrap();
    vault.set(name, SecretKind::ClientSecret, &Secret::new(&f.desktop_app.client_secret)).unwrap();

    let sign_in = SignIn::for_profile(&profile, &vault).unwrap();
    let page = phraseanet_sim::browser::Browser::new()
        .sign_in(&sign_in.authorize_url().url, &f.login, &f.password)
        .await
        .unwrap();
    let signed = sign_in.finish_oob(&page.body).await.unwrap();
    let token = signed.token().expose().to_string();
    signed.remember(&profiles, &vault, &profile).unwrap();

    let fresh = Vault::with_store(std::sync::Arc::new(KeyringStore::with_service(&service)));
    assert_eq!(fresh.get(name, SecretKind::AccessToken).unwrap().unwrap().expose(), token);
    let session = Session::restore(&profile, &fresh).unwrap();
    assert_eq!(session.api().me().await.unwrap().user.id, f.user_id);

    sim.revoke_token(&token);
    assert_eq!(session.api().me().await.unwrap_err().code(), "signed-out");
    assert!(fresh.get(name, SecretKind::AccessToken).unwrap().is_none(), "the stale token left the keyring");
    assert!(fresh.client_secret(name).unwrap().is_some(), "the client secret stays");
    fresh.forget_profile(name).unwrap();
    sim.shutdown().await;
}
