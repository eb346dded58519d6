//! The signed-in world the browse tests share: a Phraseanet double, and a `Desktop` with a session-only
//! vault whose profile `P` is signed in with the double's developer token.

use phraseanet_app::{Desktop, NewProfile};
use phraseanet_client::{AuthMethod, ProfileStore, Vault};
use phraseanet_sim::{Sim, SimOptions};

pub const P: &str = "Work";

pub struct World {
    pub sim: Sim,
    pub desktop: Desktop,
    /// Config, cache and any folder a test needs.
    pub dir: tempfile::TempDir,
}

pub async fn world(options: SimOptions) -> World {
    let sim = Sim::start(options).await.expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let desktop = Desktop::new(ProfileStore::at(dir.path().join("config")), Vault::session_only());
    desktop.set_media_cache_dir(dir.path().join("cache"));
    let app = &sim.fixtures().desktop_app;
    let profile = NewProfile {
        name: Some(P.into()),
        server: format!("{}/", sim.url()),
        client_id: app.client_id.clone(),
        client_secret: Some(app.client_secret.clone()),
        auth: AuthMethod::OauthOob,
    };
    desktop.save_profile(profile).unwrap();
    desktop.sign_in_with_token(P, &sim.fixtures().developer_token).await.expect("signed in");
    World { sim, desktop, dir }
}
