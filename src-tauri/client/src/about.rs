//! What the engine says about itself: shown on the welcome screen and by `phraseanet-cli --version`.

use serde::Serialize;
use ts_rs::TS;

/// Identity of the client engine, as the UI and the CLI display it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// Product name shown to people.
    pub name: String,
    /// Version of the engine crate (same as the app's: one workspace version).
    pub version: String,
    /// The Phraseanet API the engine speaks (v1 routes, envelope `api_version` 2.0.0).
    pub api: String,
    /// User-Agent sent with every request: a desktop UA, because mobile UAs get an OOB page with an
    /// empty code field (api §2.2, quirk 16).
    pub user_agent: String,
}

/// Describes this build of the engine.
pub fn about() -> AppInfo {
    let version = env!("CARGO_PKG_VERSION").to_string();
    AppInfo {
        name: "Phraseanet Desktop".into(),
        api: "Phraseanet API v1 (OAuth2 draft v9)".into(),
        user_agent: format!("PhraseanetDesktop/{version} (X11; Linux x86_64)"),
        version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_names_the_product_and_a_desktop_user_agent() {
        let info = about();
        assert_eq!(info.name, "Phraseanet Desktop");
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert!(info.user_agent.starts_with("PhraseanetDesktop/"));
        assert!(!info.user_agent.contains("Mobile"), "mobile UAs get an empty OOB code field");
    }
}
