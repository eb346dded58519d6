//! The built-in demo server: the project's Phraseanet double, started inside the app on a loopback
//! port. Its profile lives in a throwaway store and a session-only vault, because a new demo server
//! (new port, new tokens) starts with every app run.

use phraseanet_client::{AuthMethod, Error, Profile, ProfileStore, Result, Secret, SecretKind, Vault};
use phraseanet_sim::{Fixtures, Sim, SimOptions};

pub const DEMO_PROFILE: &str = "Demo server";

pub struct Demo {
    /// None when no temp folder could be made: the app still starts, and the demo says why it cannot.
    _dir: Option<tempfile::TempDir>,
    store: ProfileStore,
    vault: Vault,
    running: tokio::sync::Mutex<Option<(Sim, Fixtures)>>,
}

impl Default for Demo {
    fn default() -> Self {
        let dir = tempfile::Builder::new().prefix("phraseanet-demo-").tempdir().ok();
        let path = match &dir {
            Some(d) => d.path().to_path_buf(),
            None => std::env::temp_dir().join("phraseanet-demo-unavailable"),
        };
        Demo {
            _dir: dir,
            store: ProfileStore::at(path),
            vault: Vault::session_only(),
            running: Default::default(),
        }
    }
}

impl Demo {
    pub fn store(&self) -> &ProfileStore {
        &self.store
    }

    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// Starts the server once; later calls give the same one. `method` picks the demo's application:
    /// its Desktop one (OOB paste) or its web one with the callback `http://127.0.0.1` (loopback).
    pub async fn start(&self, method: AuthMethod) -> Result<(Profile, Fixtures)> {
        let mut running = self.running.lock().await;
        if let Some((sim, fixtures)) = running.as_ref() {
            let profile = match self.store.get(DEMO_PROFILE) {
                Ok(p) if p.auth == method => p,
                _ => self.save_profile(sim, fixtures, method)?,
            };
            return Ok((profile, fixtures.clone()));
        }
        let sim =
            Sim::start(SimOptions::default()).await.map_err(|e| Error::DemoUnavailable(e.to_string()))?;
        let fixtures = sim.fixtures().clone();
        let profile = self.save_profile(&sim, &fixtures, method)?;
        *running = Some((sim, fixtures.clone()));
        Ok((profile, fixtures))
    }

    fn save_profile(&self, sim: &Sim, fixtures: &Fixtures, method: AuthMethod) -> Result<Profile> {
        let app = match method {
            AuthMethod::Loopback => &fixtures.web_app,
            _ => &fixtures.desktop_app,
        };
        let method = if method == AuthMethod::Loopback { method } else { AuthMethod::OauthOob };
        let profile = Profile::new(DEMO_PROFILE, sim.url(), &app.client_id, method)?;
        self.store.save(&profile)?;
        let secret = Secret::new(app.client_secret.clone());
        self.vault.set(DEMO_PROFILE, SecretKind::ClientSecret, &secret)?;
        Ok(profile)
    }
}
