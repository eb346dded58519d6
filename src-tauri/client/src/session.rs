//! A signed-in profile: the API client with the profile's token, and what happens when the server says
//! the token is no longer valid (the stale token leaves the vault, the profile stays).

use crate::api::Api;
use crate::error::{Error, Result};
use crate::http::HttpOptions;
use crate::models::User;
use crate::profile::{Profile, ProfileStore};
use crate::vault::{SecretKind, Vault};

/// Saves `profile`, adding it or replacing the one with its name. When the replaced profile pointed at
/// another server or application, its token is forgotten (the vault's binding would refuse it anyway),
/// and so is its client secret unless `keep_secret`: neither may ever reach the new server. Returns
/// whether such a profile was replaced.
pub fn save_profile(
    store: &ProfileStore,
    vault: &Vault,
    profile: &Profile,
    keep_secret: bool,
) -> Result<bool> {
    let mut profile = profile.clone();
    let moved = match store.get(&profile.name) {
        Ok(old) if old.server != profile.server || old.client_id != profile.client_id => true,
        Ok(old) => {
            // The same server: what was learnt about it still holds.
            profile.token_transport = old.token_transport;
            profile.user_name = profile.user_name.or(old.user_name);
            false
        }
        Err(Error::ProfileNotFound(_)) => false,
        Err(e) => return Err(e),
    };
    if moved {
        vault.forget_token(&profile.name)?;
        if !keep_secret {
            vault.delete(&profile.name, SecretKind::ClientSecret)?;
        }
    }
    store.save(&profile)?;
    Ok(moved)
}

/// One active profile. The desktop app keeps one per open profile.
#[derive(Debug, Clone)]
pub struct Session {
    profile: Profile,
    api: Api,
    user: Option<User>,
}

impl Session {
    /// Opens a profile with the token stored in the vault (no network call). `not-signed-in` when the
    /// vault has no token for it.
    pub fn restore(profile: &Profile, vault: &Vault) -> Result<Session> {
        Session::restore_with(profile, vault, HttpOptions::default())
    }

    pub fn restore_with(profile: &Profile, vault: &Vault, opts: HttpOptions) -> Result<Session> {
        let token = vault.token_for(profile)?.ok_or(Error::NotSignedIn)?;
        let api = Api::with_transport(profile.server_url()?, token, opts, profile.token_transport)?;
        Ok(Session::from_parts(profile.clone(), api, vault.clone()))
    }

    pub(crate) fn from_parts(profile: Profile, api: Api, vault: Vault) -> Session {
        let name = profile.name.clone();
        api.on_signed_out(move |api| {
            // api §3: 401 + WWW-Authenticate invalid_token = re-authenticate. Keep the profile.
            if let Err(e) = vault.forget_token_if(&name, api.token()) {
                tracing::warn!(profile = %name, "could not remove a rejected token: {}", e.code());
            }
        });
        Session { profile, api, user: None }
    }

    /// Records in `store` a transport switch of this session's API (the server changed, or the profile
    /// predates the probe), so the next start sends the token the right way at once.
    pub fn keep_transport_in(&self, store: &ProfileStore) {
        let (store, name) = (store.clone(), self.profile.name.clone());
        self.api.set_on_transport_changed(move |transport| {
            let saved = store.get(&name).and_then(|mut p| {
                p.token_transport = transport;
                store.save(&p)
            });
            if let Err(e) = saved {
                tracing::warn!(profile = %name, "could not record the token transport: {}", e.code());
            }
        });
    }

    pub(crate) fn with_user(mut self, user: User) -> Session {
        self.user = Some(user);
        self
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The user, when known (after a sign-in or `refresh_user`).
    pub fn user(&self) -> Option<&User> {
        self.user.as_ref()
    }

    /// Calls `/me/` (checks the token still works).
    pub async fn refresh_user(&mut self) -> Result<&User> {
        let me = self.api.me().await?;
        self.user = Some(me.user);
        Ok(self.user.as_ref().expect("just set"))
    }

    /// Forgets the token of this profile (the profile and its client secret stay).
    pub fn sign_out(self, vault: &Vault) -> Result<()> {
        vault.forget_token(&self.profile.name)
    }
}
