//! The signed-in world the browse tests share: a Phraseanet double, and a `Desktop` with a session-only
//! vault whose profile `P` is signed in with the double's developer token.

use phraseanet_app::{Desktop, NewProfile};
use phraseanet_client::{AuthMethod, ProfileStore, Vault};
use phraseanet_sim::{Sim, SimOptions};

pub const P: &str = "Work";

/// The servers in the field a feature must work on (docs/real-servers.md): older versions (the token
/// as a parameter), Apache dropping the header, the header-only 4.1, a proxy answering 429.
pub const FIELD_SERVERS: [(phraseanet_sim::ServerProfile, phraseanet_sim::Behind); 5] = {
    use phraseanet_sim::{Behind, ServerProfile};
    [
        (ServerProfile::V38, Behind::None),
        (ServerProfile::V40, Behind::ApacheFpm),
        (ServerProfile::V410, Behind::None),
        (ServerProfile::HeaderOnly41, Behind::None),
        (ServerProfile::Current41, Behind::RateLimit),
    ]
};

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
