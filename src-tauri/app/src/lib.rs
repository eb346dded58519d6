//! The desktop app's use cases, free of Tauri: the shell's commands are one call each into [`Desktop`].
//!
//! It keeps the profiles (disk, no secrets) and the vault (OS keyring), one [`Session`] per signed-in
//! profile, the pending OOB sign-ins, and the built-in demo server. The demo profile lives in memory
//! only, with a session-only vault: the demo server is new at every start, so nothing of it is kept.
//!
//! Citations in comments: `api §N` is section N of `docs/phraseanet-api.md` (the HTTP API of Phraseanet
//! 4.1.22); `docs/real-servers.md, "Title"` is the section so titled of `docs/real-servers.md` (other
//! versions and deployments; it wins where the two differ). P = Phraseanet's source, O = oauth2-php's.

pub mod browse;
mod clock;
mod demo;
pub mod media_engine;
mod models;
pub mod rendering;
mod sessions;
mod settings;
mod signin;

use phraseanet_client::{
    discover, normalize_code, save_profile, AuthMethod, Error, ErrorPayload, HttpOptions, Profile,
    ProfileStore, ProfileSummary, Result, Secret, SecretKind, ServerInfo, ServerUrl, Session, Vault,
};

pub use demo::DEMO_PROFILE;
pub use models::{Account, CodeCheck, DemoServer, NewProfile, Offline, ProfilesState};
pub use phraseanet_client::redact;

pub struct Desktop {
    profiles: ProfileStore,
    vault: Vault,
    /// Why the OS keyring is not used, when the app fell back to session-only secrets.
    keyring_problem: Option<ErrorPayload>,
    demo: demo::Demo,
    /// Signed-in profiles' sessions and browse state, ended together.
    live: sessions::Sessions,
    http: HttpOptions,
    browse: browse::Browse,
    /// Downloads outlive a profile's browse state (a sign-out does not cancel them).
    downloads: browse::Downloads,
    /// Browser sign-ins waiting for their code, by profile.
    signing_in: signin::SigningIn,
    /// Since when each profile's server has been unreachable (kept across reconnection attempts).
    offline_since: std::sync::Mutex<std::collections::HashMap<String, u64>>,
    /// "Keep offline" runs, to cancel them.
    keeping: browse::Keeping,
}

impl Desktop {
    /// Profiles in the platform config dir, secrets in the OS keyring. Fails with
    /// `keyring-unavailable` (and a hint) when no keyring answers.
    pub fn open_default() -> Result<Desktop> {
        Ok(Desktop::new(ProfileStore::open_default()?, Vault::keyring()?))
    }

    /// What the app starts with: the OS keyring when it answers; otherwise secrets kept for this
    /// session only, and [`ProfilesState::keyring_problem`] tells the person why and how to fix it.
    pub fn open_default_or_session_only() -> Result<Desktop> {
        let profiles = ProfileStore::open_default()?;
        Ok(match Vault::keyring() {
            Ok(vault) => Desktop::new(profiles, vault),
            Err(e) => {
                let mut desktop = Desktop::new(profiles, Vault::session_only());
                desktop.keyring_problem = Some((&e).into());
                desktop
            }
        })
    }

    pub fn new(profiles: ProfileStore, vault: Vault) -> Desktop {
        let downloads = browse::Downloads::default();
        downloads.open_pending(profiles.dir());
        Desktop {
            profiles,
            vault,
            keyring_problem: None,
            demo: demo::Demo::default(),
            live: sessions::Sessions::default(),
            http: HttpOptions::default(),
            browse: browse::Browse::default(),
            downloads,
            signing_in: signin::SigningIn::default(),
            offline_since: Default::default(),
            keeping: Default::default(),
        }
    }

    /// Where the profiles live (tests check that no secret is there).
    pub fn config_dir(&self) -> &std::path::Path {
        self.profiles.dir()
    }

    /// The demo profile has its own throwaway store and vault; every other profile the real ones.
    pub(crate) fn stores_for(&self, profile: &str) -> (&ProfileStore, &Vault) {
        if profile == DEMO_PROFILE {
            (self.demo.store(), self.demo.vault())
        } else {
            (&self.profiles, &self.vault)
        }
    }

    pub(crate) fn vault_for(&self, profile: &str) -> &Vault {
        self.stores_for(profile).1
    }

    pub(crate) fn profile(&self, name: &str) -> Result<Profile> {
        self.stores_for(name).0.get(name)
    }

    fn summary(&self, profile: &Profile) -> Result<ProfileSummary> {
        let signed_in = self.vault_for(&profile.name).token_for(profile)?.is_some();
        Ok(profile.summary(signed_in))
    }

    pub fn profiles(&self) -> Result<ProfilesState> {
        let mut all = self.profiles.list()?;
        all.extend(self.demo.store().list()?);
        let profiles = all.iter().map(|p| self.summary(p)).collect::<Result<Vec<_>>>()?;
        let active =
            settings::active(self.profiles.dir()).filter(|name| profiles.iter().any(|p| &p.name == name));
        Ok(ProfilesState { profiles, active, keyring_problem: self.keyring_problem.clone() })
    }

    /// `/api/` discovery and a dummy-token probe of v1: proves the address is a Phraseanet server with
    /// its API on, before any secret is sent (and refuses plain http to a non-loopback host).
    pub async fn check_server(&self, server: &str) -> Result<ServerInfo> {
        discover(&ServerUrl::parse(server)?, &self.http).await
    }

    /// Saves a profile; its client secret goes to the keyring, never to disk.
    pub fn save_profile(&self, new: NewProfile) -> Result<ProfileSummary> {
        let server = ServerUrl::parse(&new.server)?;
        let name = match new.name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => server_label(&server.to_string()),
        };
        if name == DEMO_PROFILE {
            return Err(Error::InvalidProfile(format!("\"{DEMO_PROFILE}\" is the demo's name")));
        }
        let profile = Profile::new(&name, &server.to_string(), &new.client_id, new.auth)?;
        let moved = self.profiles.get(&name).is_ok_and(|old| old.server != profile.server);
        // The form always states the secret: a new one, or none. A profile pointed at another server or
        // application also loses its token (the UI asked before replacing a name).
        save_profile(&self.profiles, &self.vault, &profile, true)?;
        match new.client_secret.as_deref().map(str::trim) {
            Some(secret) if !secret.is_empty() => {
                self.vault.set(&name, SecretKind::ClientSecret, &Secret::new(secret))?
            }
            _ => self.vault.delete(&name, SecretKind::ClientSecret)?,
        }
        self.forget_session(&name);
        if moved {
            // Another server's collections and fields: its searches mean nothing here.
            browse::forget_searches(self.profiles.dir(), &name)?;
            browse::forget_last_view(self.profiles.dir(), &name)?;
        }
        self.summary(&self.profiles.get(&name)?)
    }

    pub fn remove_profile(&self, name: &str) -> Result<ProfilesState> {
        self.forget_session(name);
        let (store, vault) = self.stores_for(name);
        vault.forget_profile(name)?;
        store.remove(name)?;
        browse::forget_searches(self.profiles.dir(), name)?;
        browse::forget_last_view(self.profiles.dir(), name)?;
        self.forget_kept_profile(name)?;
        if settings::active(self.profiles.dir()).as_deref() == Some(name) {
            settings::set_active(self.profiles.dir(), None)?;
        }
        self.profiles()
    }

    /// Starts the built-in demo server (once) and gives its profile and demo credentials.
    pub async fn start_demo(&self) -> Result<DemoServer> {
        self.start_demo_with(AuthMethod::OauthOob).await
    }

    /// As `start_demo`, its profile set to sign in with `method` (paste or loopback): the demo has an
    /// application of each kind. Changing it forgets the demo's sign-in.
    pub async fn start_demo_with(&self, method: AuthMethod) -> Result<DemoServer> {
        let before = self.demo.store().get(DEMO_PROFILE).ok().map(|p| p.client_id);
        let (profile, fixtures) = self.demo.start(method).await?;
        if before.is_some_and(|id| id != profile.client_id) {
            self.forget_session(DEMO_PROFILE);
        }
        Ok(DemoServer {
            profile: self.summary(&profile)?,
            url: profile.server.clone(),
            login: fixtures.login,
            password: fixtures.password,
        })
    }

    pub(crate) fn account(&self, session: &Session) -> Result<Account> {
        let profile = session.profile();
        let user_name = session
            .user()
            .map(|u| u.name())
            .or_else(|| profile.user_name.clone())
            .unwrap_or_else(|| profile.client_id.clone());
        Ok(Account {
            profile: self.summary(profile)?,
            user_name,
            server: server_label(&profile.server),
            offline: None,
        })
    }

    /// The session of a signed-in profile (restored from the keyring on first use).
    pub fn session(&self, name: &str) -> Result<Session> {
        if let Some(s) = self.live.get(name) {
            return Ok(s);
        }
        let profile = self.profile(name)?;
        let (store, vault) = self.stores_for(name);
        let session = Session::restore_with(&profile, vault, self.http.clone())?;
        session.keep_transport_in(store);
        self.live.keep(name, session.clone());
        Ok(session)
    }

    /// Opens a profile again (at start, or when switching): checks the token with `/me/`.
    /// A revoked token gives `signed-out` and leaves the keyring.
    /// The profile's session at start (or to reconnect). When the server cannot be reached but the
    /// profile was signed in before, the account comes back `offline`: the app shows what it kept and
    /// calls `resume` again later. A rejected token still ends the session (through its hook,
    /// `sessions`).
    pub async fn resume(&self, name: &str) -> Result<Account> {
        let mut session = self.session(name)?;
        let known = session.profile().user_name.is_some();
        let offline = match session.refresh_user().await.map(|_| ()) {
            Ok(()) => None,
            Err(e) if e.unreachable() && known => {
                let since = *self
                    .offline_since
                    .lock()
                    .expect("offline lock")
                    .entry(name.to_string())
                    .or_insert_with(clock::unix_now);
                Some(Offline { since, problem: (&e).into() })
            }
            Err(e) => return Err(e),
        };
        if offline.is_none() {
            self.offline_since.lock().expect("offline lock").remove(name);
        }
        if name != DEMO_PROFILE {
            settings::set_active(self.profiles.dir(), Some(name))?;
        }
        let mut account = self.account(&session)?;
        account.offline = offline;
        self.live.keep(name, session);
        Ok(account)
    }

    /// Removes the profile's token from the keyring; the profile stays.
    pub fn sign_out(&self, name: &str) -> Result<ProfilesState> {
        self.forget_session(name);
        self.vault_for(name).forget_token(name)?;
        if settings::active(self.profiles.dir()).as_deref() == Some(name) {
            settings::set_active(self.profiles.dir(), None)?;
        }
        self.profiles()
    }

    pub(crate) fn forget_session(&self, name: &str) {
        self.live.end(name);
    }
}

/// The paste field's verdict, before any network call.
pub fn check_code(text: &str) -> CodeCheck {
    match normalize_code(text) {
        Ok(code) => CodeCheck { code: Some(code.as_str().to_string()), problem: None },
        Err(e) => CodeCheck { code: None, problem: Some(ErrorPayload::from(&Error::from(e))) },
    }
}

/// A code found in a clipboard text, if the text is one (or holds one).
/// Only the shape Phraseanet issues (32 hex digits) is taken from the clipboard: an unrelated password or
/// key the person copied never reaches the window.
pub fn code_in(text: &str) -> Option<String> {
    let code = normalize_code(text).ok()?;
    let hex = code.as_str().len() == 32 && code.as_str().bytes().all(|b| b.is_ascii_hexdigit());
    hex.then(|| code.as_str().to_string())
}

/// `https://dam.example.org/` → `dam.example.org`; keeps a non-default port.
pub fn server_label(server: &str) -> String {
    match url::Url::parse(server) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => server.to_string(),
        },
        Err(_) => server.to_string(),
    }
}

#[cfg(test)]
mod clipboard_tests {
    use super::code_in;

    #[test]
    fn only_a_phraseanet_code_is_taken_from_the_clipboard() {
        assert_eq!(
            code_in("0123456789abcdef0123456789ABCDEF").as_deref(),
            Some("0123456789abcdef0123456789ABCDEF")
        );
        assert_eq!(
            code_in("code=0123456789abcdef0123456789abcdef").as_deref(),
            Some("0123456789abcdef0123456789abcdef")
        );
        // A password or an API key the person copied is not a code.
        assert_eq!(code_in("Sup3rS3cretPassw0rdThatIsLong"), None);
        assert_eq!(code_in("ghp_abcdefghijklmnopqrstuvwxyz0123456789"), None);
    }
}
