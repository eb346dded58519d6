//! The OS keyring really works where the app's tests run: a secret goes into the Secret Service
//! (gnome-keyring in `scripts/with-desktop-session.sh`), `secret-tool` sees it, and it goes away again.

use crate::harness::secret_tool_lookup;

#[test]
#[ignore = "needs a Secret Service session: run `make test`"]
fn secret_round_trips_through_the_real_secret_service() {
    // Explicitly the Secret Service store: a silent fallback to a mock would prove nothing.
    keyring::set_default_credential_builder(keyring::secret_service::default_credential_builder());
    let service = "org.phraseanet.desktop.selftest";
    let user = format!("probe-{}", std::process::id());
    let entry = keyring::Entry::new(service, &user).expect("keyring entry");
    let secret = format!("s3cr3t-{}", std::process::id());

    entry.set_password(&secret).expect("store a secret in the Secret Service");
    assert_eq!(entry.get_password().expect("read it back"), secret);
    assert_eq!(
        secret_tool_lookup(service, &user).as_deref(),
        Some(secret.as_str()),
        "gnome-keyring holds it"
    );

    entry.delete_credential().expect("delete it");
    assert!(matches!(entry.get_password(), Err(keyring::Error::NoEntry)));
    assert_eq!(secret_tool_lookup(service, &user), None, "gone from gnome-keyring too");
}
