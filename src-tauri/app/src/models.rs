//! What the desktop UI receives and sends, exported to TypeScript (ui/src/lib/bindings).
//! None of these carries a token or a client secret back to the webview.

use phraseanet_client::{AuthMethod, ErrorPayload, ProfileSummary};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The connect form. The client secret travels webview → backend only, straight into the keyring.
#[derive(Clone, Deserialize, TS)]
#[ts(export)]
pub struct NewProfile {
    /// Shown in the account menu; defaults to the server's host.
    pub name: Option<String>,
    pub server: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub auth: AuthMethod,
}

impl std::fmt::Debug for NewProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewProfile")
            .field("name", &self.name)
            .field("server", &self.server)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Every profile, and the one the app opens at start.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ProfilesState {
    pub profiles: Vec<ProfileSummary>,
    pub active: Option<String>,
    /// Set when no OS keyring answers: sign-ins then last until the app quits.
    pub keyring_problem: Option<ErrorPayload>,
}

/// A signed-in profile, as the UI names it: "Signed in as <user_name> on <server>".
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Account {
    pub profile: ProfileSummary,
    pub user_name: String,
    /// The server as people read it: its host (and port when not the default).
    pub server: String,
    /// Set when the server could not be reached at start: the app shows what it kept (`cached_*`) and
    /// calls `resume` again to reconnect.
    pub offline: Option<Offline>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Offline {
    /// Seconds since 1970 (UTC) when the server was first found unreachable.
    #[ts(type = "number")]
    pub since: u64,
    /// What happened, for the banner's details.
    pub problem: phraseanet_client::ErrorPayload,
}

/// The built-in demo server: where it runs and what to type on its sign-in page.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DemoServer {
    pub profile: ProfileSummary,
    pub url: String,
    /// The demo user's login and password, shown on screen so people can type them in the browser.
    pub login: String,
    pub password: String,
}

/// What the paste field holds: a code ready to exchange, or why it is not one.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CodeCheck {
    pub code: Option<String>,
    pub problem: Option<ErrorPayload>,
}
