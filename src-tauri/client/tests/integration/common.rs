//! Shared helpers of the integration tests: every test runs the double in-process over real HTTP.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use phraseanet_client::{
    Api, AuthMethod, HttpOptions, Media, MediaOptions, Profile, ProfileStore, RecordRef, Secret, SecretKind,
    ServerUrl, SignIn, Vault,
};
pub use phraseanet_sim::testing::{files_under, oob_code, try_oob_code};
use phraseanet_sim::{Dataset, Faults, Fixtures, Sim, SimOptions};
use tempfile::TempDir;

pub async fn sim() -> Sim {
    Sim::start(SimOptions::default()).await.expect("the double starts")
}

pub async fn sim_with(dataset: Dataset, faults: Faults) -> Sim {
    Sim::start(SimOptions { dataset, faults, ..Default::default() }).await.expect("the double starts")
}

/// Fast retries so fault tests do not crawl.
pub fn fast_opts() -> HttpOptions {
    HttpOptions { backoff: Duration::from_millis(10), retries: 6, ..HttpOptions::default() }
}

pub fn server(sim: &Sim) -> ServerUrl {
    ServerUrl::parse(sim.url()).unwrap()
}

/// An API client with the fixture developer token.
pub fn api(sim: &Sim) -> Api {
    Api::with_options(server(sim), Secret::new(&sim.fixtures().developer_token), fast_opts()).unwrap()
}

pub fn sign_in(sim: &Sim) -> SignIn {
    let app = &sim.fixtures().desktop_app;
    SignIn::new(server(sim), &app.client_id, Some(Secret::new(&app.client_secret))).unwrap()
}

/// Plays the person on `sign_in`'s authorize page and returns the code.
pub async fn browser_code(sim: &Sim, sign_in: &SignIn) -> String {
    oob_code(sim, &sign_in.authorize_url().url).await
}

pub fn rr(r: &phraseanet_sim::RecordRef) -> RecordRef {
    RecordRef::new(r.databox_id, r.record_id)
}

/// The double seen through a media pipeline: an API client with the developer token, a cache and a
/// download folder in temp dirs. Keep `cache` bound (`cache: _cache`): dropping it deletes the cache.
pub struct MediaWorld {
    pub sim: Sim,
    pub f: Fixtures,
    pub api: Api,
    pub media: Media,
    pub out: TempDir,
    pub cache: TempDir,
}

pub fn media_world(sim: Sim) -> MediaWorld {
    let f = sim.fixtures().clone();
    let api = api(&sim);
    let cache = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let media = Media::new(api.clone(), MediaOptions::in_dir(cache.path())).unwrap();
    MediaWorld { sim, f, api, media, out, cache }
}

/// The desktop app's stores: profiles under a folder, a session-only vault, and an OOB profile "sim" for
/// the double's desktop app (not saved yet).
pub struct Accounts {
    pub profiles: ProfileStore,
    pub vault: Vault,
    pub profile: Profile,
}

impl Accounts {
    pub fn new(sim: &Sim, config_dir: &Path) -> Accounts {
        let client_id = &sim.fixtures().desktop_app.client_id;
        Accounts {
            profiles: ProfileStore::at(config_dir),
            vault: Vault::session_only(),
            profile: Profile::new("sim", sim.url(), client_id, AuthMethod::OauthOob).unwrap(),
        }
    }

    /// Saves the profile and the app's client secret, as the connect screen does.
    pub fn save(&self, sim: &Sim) {
        self.profiles.save(&self.profile).unwrap();
        let secret = Secret::new(&sim.fixtures().desktop_app.client_secret);
        self.vault.set("sim", SecretKind::ClientSecret, &secret).unwrap();
    }
}

/// What `tracing` wrote while the guard of `capture` lived, without colour codes.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Records every event up to `level` on this thread until the guard drops.
    pub fn capture(level: tracing::Level) -> (Logs, tracing::subscriber::DefaultGuard) {
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(level)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Logs {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
