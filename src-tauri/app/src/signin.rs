//! Signing in: the browser flows (OOB paste, loopback redirect), the developer token and the password
//! grant, each ending in `remember` (token to the keyring, profile made active, session kept).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use phraseanet_client::doctor::{diagnose, DoctorInput, DoctorReport};
use phraseanet_client::{
    AuthMethod, AuthorizeRequest, CancellationToken, Pending, Result, Secret, SignIn, SignedIn,
    LOOPBACK_TIME_LIMIT,
};

use crate::{settings, Account, Desktop, DEMO_PROFILE};

/// Browser sign-ins under way, by profile: the OOB page's PKCE half, and how to cancel a loopback wait.
#[derive(Default)]
pub(crate) struct SigningIn {
    oob: Mutex<HashMap<String, Arc<Pending>>>,
    loopback: Mutex<HashMap<String, (u64, CancellationToken)>>,
    waits: AtomicU64,
}

impl Desktop {
    /// The authorize page to open in the system browser (OOB flow, api §2.2). Its PKCE verifier waits
    /// here for the pasted code.
    pub fn open_sign_in(&self, name: &str) -> Result<AuthorizeRequest> {
        let (request, pending) = self.sign_in_for(name)?.start_oob();
        self.signing_in.oob.lock().expect("sign-in lock").insert(name.to_string(), Arc::new(pending));
        Ok(request)
    }

    fn sign_in_for(&self, name: &str) -> Result<SignIn> {
        let profile = self.profile(name)?;
        let secret = self.vault_for(name).client_secret(name)?;
        SignIn::with_options(profile.server_url()?, &profile.client_id, secret, self.http.clone())
    }

    pub async fn sign_in_with_code(&self, name: &str, pasted: &str) -> Result<Account> {
        let pending = self.signing_in.oob.lock().expect("sign-in lock").get(name).cloned();
        let signed_in = self.sign_in_for(name)?.finish_oob_with(pasted, pending.as_deref()).await?;
        self.signing_in.oob.lock().expect("sign-in lock").remove(name);
        self.remember(name, signed_in)
    }

    /// The loopback sign-in (RFC 8252 §7.3): opens a one-shot listener, has `open` show the authorize
    /// page in the browser, and signs in when the browser comes back. A new one for the same profile
    /// replaces it; `cancel_sign_in` and the time limit end it.
    pub async fn sign_in_loopback(
        &self,
        name: &str,
        lang: &str,
        open: impl FnOnce(&AuthorizeRequest),
    ) -> Result<Account> {
        let loopback = self.sign_in_for(name)?.start_loopback(lang).await?;
        let (id, cancel) = (self.signing_in.waits.fetch_add(1, Ordering::Relaxed), CancellationToken::new());
        let replaced = self
            .signing_in
            .loopback
            .lock()
            .expect("sign-in lock")
            .insert(name.to_string(), (id, cancel.clone()));
        if let Some((_, previous)) = replaced {
            previous.cancel();
        }
        open(loopback.authorize());
        let outcome = loopback.finish(cancel, LOOPBACK_TIME_LIMIT).await;
        {
            // Only this wait's own entry: a newer one may have replaced it.
            let mut waiting = self.signing_in.loopback.lock().expect("sign-in lock");
            if waiting.get(name).is_some_and(|(w, _)| *w == id) {
                waiting.remove(name);
            }
        }
        self.remember(name, outcome?)
    }

    /// Ends a loopback sign-in's wait (the Cancel button); nothing happens when none waits.
    pub fn cancel_sign_in(&self, name: &str) {
        if let Some((_, c)) = self.signing_in.loopback.lock().expect("sign-in lock").remove(name) {
            c.cancel();
        }
    }

    pub async fn sign_in_with_token(&self, name: &str, token: &str) -> Result<Account> {
        let signed_in = self.sign_in_for(name)?.finish_developer_token(Secret::new(token)).await?;
        self.remember(name, signed_in)
    }

    pub async fn sign_in_with_password(&self, name: &str, login: &str, password: &str) -> Result<Account> {
        let signed_in = self.sign_in_for(name)?.finish_password(login, &Secret::new(password)).await?;
        self.remember(name, signed_in)
    }

    /// Stores the validated token, makes the profile active, keeps its session.
    fn remember(&self, name: &str, signed_in: SignedIn) -> Result<Account> {
        let profile = self.profile(name)?;
        let (store, vault) = self.stores_for(name);
        let session = signed_in.remember(store, vault, &profile)?;
        if name != DEMO_PROFILE {
            settings::set_active(self.profiles.dir(), Some(name))?;
        }
        let account = self.account(&session)?;
        self.live.keep(name, session);
        Ok(account)
    }
}

impl Desktop {
    /// The connection doctor for a saved profile (its server, application, sign-in kind and token), or
    /// for what the connect form holds (`server`, `client_id`) before any profile exists.
    pub async fn doctor(
        &self,
        profile: Option<&str>,
        server: Option<&str>,
        client_id: Option<&str>,
    ) -> Result<DoctorReport> {
        let input = match profile {
            Some(name) => {
                let p = self.profile(name)?;
                DoctorInput {
                    server: p.server.clone(),
                    client_id: Some(p.client_id.clone()).filter(|_| p.auth != AuthMethod::DeveloperToken),
                    auth: Some(p.auth),
                    token: self.vault_for(name).token_for(&p)?,
                    transport: Some(p.token_transport),
                }
            }
            None => DoctorInput {
                server: server.unwrap_or_default().to_string(),
                client_id: client_id.map(str::to_string),
                ..DoctorInput::default()
            },
        };
        Ok(diagnose(&input, &self.http).await)
    }
}
