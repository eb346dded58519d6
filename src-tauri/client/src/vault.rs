//! Secrets (access tokens, client secrets) live only in the OS keyring. An in-memory store exists for
//! tests and for a session-only sign-in the caller asks for explicitly: it is never a silent fallback.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::profile::Profile;

/// A secret string whose `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    /// The value itself: only for the wire, never for logs or messages.
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

/// The bytes are wiped when a secret is dropped (copies made by the HTTP stack are beyond our reach).
impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Which secret of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    AccessToken,
    ClientSecret,
    /// Which server and application issued the access token (`<server>\n<client id>`): not a secret,
    /// kept beside the token so that a token can never be sent to another server (`Vault::token_for`).
    TokenBinding,
}

impl SecretKind {
    fn suffix(self) -> &'static str {
        match self {
            SecretKind::AccessToken => "access-token",
            SecretKind::ClientSecret => "client-secret",
            SecretKind::TokenBinding => "token-binding",
        }
    }
}

fn binding(profile: &Profile) -> String {
    format!("{}\n{}", profile.server, profile.client_id)
}

/// A place secrets can be kept, keyed by an account string.
pub trait SecretStore: Send + Sync {
    fn get(&self, account: &str) -> Result<Option<Secret>>;
    fn set(&self, account: &str, secret: &Secret) -> Result<()>;
    /// Deleting a missing entry is not an error.
    fn delete(&self, account: &str) -> Result<()>;
    /// Whether secrets outlive the process (false for the memory store).
    fn persistent(&self) -> bool;
}

/// Service name under which every entry is filed in the OS keyring.
pub const KEYRING_SERVICE: &str = "phraseanet-desktop";

/// The OS keyring: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows (the native
/// backends are enabled explicitly in the workspace manifest, never keyring's mock store).
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl Default for KeyringStore {
    fn default() -> Self {
        KeyringStore { service: KEYRING_SERVICE.to_string() }
    }
}

impl KeyringStore {
    /// A store under another service name (tests use a unique one).
    pub fn with_service(service: impl Into<String>) -> KeyringStore {
        KeyringStore { service: service.into() }
    }

    /// Checks that a keyring answers, so the UI can explain what is missing before a sign-in.
    pub fn probe(&self) -> Result<()> {
        self.get("probe").map(|_| ())
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, account).map_err(map_keyring)
    }
}

fn map_keyring(e: keyring::Error) -> Error {
    use keyring::Error as K;
    match e {
        K::PlatformFailure(inner) => Error::KeyringUnavailable(platform_text(&inner.to_string())),
        K::NoStorageAccess(inner) => {
            Error::KeyringUnavailable(format!("the keyring is locked or refused access ({inner})"))
        }
        other => Error::Keyring(other.to_string()),
    }
}

fn platform_text(raw: &str) -> String {
    if raw.contains("dbus") || raw.contains("D-Bus") || raw.contains("DBus") {
        format!("no Secret Service on the session bus ({raw})")
    } else {
        raw.to_string()
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        match self.entry(account)?.get_password() {
            Ok(v) => Ok(Some(Secret(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring(e)),
        }
    }
    fn set(&self, account: &str, secret: &Secret) -> Result<()> {
        self.entry(account)?.set_password(secret.expose()).map_err(map_keyring)
    }
    fn delete(&self, account: &str) -> Result<()> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring(e)),
        }
    }
    fn persistent(&self) -> bool {
        true
    }
}

/// Secrets kept in this process only: gone when it exits.
#[derive(Default)]
pub struct MemoryStore {
    map: Mutex<HashMap<String, Secret>>,
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.map.lock().map(|m| m.len()).unwrap_or(0);
        write!(f, "MemoryStore({n} secrets)")
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        Ok(self.map.lock().expect("memory store lock").get(account).cloned())
    }
    fn set(&self, account: &str, secret: &Secret) -> Result<()> {
        self.map.lock().expect("memory store lock").insert(account.to_string(), secret.clone());
        Ok(())
    }
    fn delete(&self, account: &str) -> Result<()> {
        self.map.lock().expect("memory store lock").remove(account);
        Ok(())
    }
    fn persistent(&self) -> bool {
        false
    }
}

/// The secrets of every profile. Cheap to clone.
#[derive(Clone)]
pub struct Vault {
    store: Arc<dyn SecretStore>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Vault(persistent: {})", self.store.persistent())
    }
}

impl Vault {
    /// The OS keyring. Fails with `keyring-unavailable` (and how to fix it) when none answers.
    pub fn keyring() -> Result<Vault> {
        let store = KeyringStore::default();
        store.probe()?;
        Ok(Vault { store: Arc::new(store) })
    }

    /// Session-only secrets, forgotten at exit. Only when the person asked for it.
    pub fn session_only() -> Vault {
        Vault { store: Arc::new(MemoryStore::default()) }
    }

    pub fn with_store(store: Arc<dyn SecretStore>) -> Vault {
        Vault { store }
    }

    pub fn persistent(&self) -> bool {
        self.store.persistent()
    }

    fn account(profile: &str, kind: SecretKind) -> String {
        format!("{profile}/{}", kind.suffix())
    }

    pub fn get(&self, profile: &str, kind: SecretKind) -> Result<Option<Secret>> {
        self.store.get(&Self::account(profile, kind))
    }

    pub fn set(&self, profile: &str, kind: SecretKind, secret: &Secret) -> Result<()> {
        self.store.set(&Self::account(profile, kind), secret)
    }

    pub fn delete(&self, profile: &str, kind: SecretKind) -> Result<()> {
        self.store.delete(&Self::account(profile, kind))
    }

    /// The profile's token, only if it was issued by the profile's current server for its current
    /// application. A token without that binding, or bound elsewhere (the profile was pointed at another
    /// server), counts as "signed out": it is never sent anywhere.
    pub fn token_for(&self, profile: &Profile) -> Result<Option<Secret>> {
        let bound = self.get(&profile.name, SecretKind::TokenBinding)?;
        if bound.as_ref().map(Secret::expose) != Some(binding(profile).as_str()) {
            return Ok(None);
        }
        self.get(&profile.name, SecretKind::AccessToken)
    }

    /// Stores a validated token with its binding to the profile's server and application.
    pub fn set_token(&self, profile: &Profile, token: &Secret) -> Result<()> {
        self.set(&profile.name, SecretKind::TokenBinding, &Secret::new(binding(profile)))?;
        self.set(&profile.name, SecretKind::AccessToken, token)
    }

    /// Forgets the token (and its binding); the profile and its client secret stay.
    pub fn forget_token(&self, profile: &str) -> Result<()> {
        self.delete(profile, SecretKind::AccessToken)?;
        self.delete(profile, SecretKind::TokenBinding)
    }

    /// Forgets the token only if it is still `token`: a rejection seen by an older session (a download
    /// started before a new sign-in) must not remove the newer token.
    pub fn forget_token_if(&self, profile: &str, token: &Secret) -> Result<()> {
        match self.get(profile, SecretKind::AccessToken)? {
            Some(stored) if stored.expose() == token.expose() => self.forget_token(profile),
            _ => Ok(()),
        }
    }

    pub fn client_secret(&self, profile: &str) -> Result<Option<Secret>> {
        self.get(profile, SecretKind::ClientSecret)
    }

    /// Removes every secret of a profile (when the profile itself is removed).
    pub fn forget_profile(&self, profile: &str) -> Result<()> {
        self.forget_token(profile)?;
        self.delete(profile, SecretKind::ClientSecret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::AuthMethod;

    #[test]
    fn a_token_is_only_given_for_the_server_and_app_that_issued_it() {
        let v = Vault::session_only();
        let a = Profile::new("p", "https://dam.example.org", "app-one", AuthMethod::OauthOob).unwrap();
        v.set_token(&a, &Secret::new("tok")).unwrap();
        assert_eq!(v.token_for(&a).unwrap().unwrap().expose(), "tok");
        let moved = Profile { server: "https://dam-example.com".into(), ..a.clone() };
        assert!(v.token_for(&moved).unwrap().is_none(), "another server never gets it");
        let other_app = Profile { client_id: "app-two".into(), ..a.clone() };
        assert!(v.token_for(&other_app).unwrap().is_none(), "nor another application");
        // A token stored without a binding (older versions) is not trusted either.
        v.set("legacy", SecretKind::AccessToken, &Secret::new("old")).unwrap();
        let legacy = Profile { name: "legacy".into(), ..a.clone() };
        assert!(v.token_for(&legacy).unwrap().is_none());
        v.forget_token("p").unwrap();
        assert!(v.get("p", SecretKind::TokenBinding).unwrap().is_none());
    }

    #[test]
    fn secrets_never_show_in_debug_or_display() {
        let s = Secret::new("0c5e2b8a9f1d4e7b6a3c2d1e0f9a8b7c");
        assert!(!format!("{s:?} {s}").contains("0c5e"));
    }

    #[test]
    fn memory_vault_keeps_profiles_apart() {
        let v = Vault::session_only();
        assert!(!v.persistent());
        v.set("a", SecretKind::AccessToken, &Secret::new("ta")).unwrap();
        v.set("b", SecretKind::AccessToken, &Secret::new("tb")).unwrap();
        v.set("a", SecretKind::ClientSecret, &Secret::new("sa")).unwrap();
        assert_eq!(v.get("a", SecretKind::AccessToken).unwrap().unwrap().expose(), "ta");
        assert_eq!(v.get("b", SecretKind::AccessToken).unwrap().unwrap().expose(), "tb");
        assert_eq!(v.client_secret("a").unwrap().unwrap().expose(), "sa");
        v.forget_profile("a").unwrap();
        assert!(v.get("a", SecretKind::AccessToken).unwrap().is_none());
        assert!(v.client_secret("a").unwrap().is_none());
        assert!(v.get("b", SecretKind::AccessToken).unwrap().is_some());
        v.delete("zzz", SecretKind::AccessToken).unwrap();
    }
}
