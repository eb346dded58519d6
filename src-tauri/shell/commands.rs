//! Tauri commands: each calls the client core and returns its answer or its typed error.

use phraseanet_client::AppInfo;

/// What the engine is: shown on the welcome screen.
#[tauri::command]
pub fn about() -> AppInfo {
    phraseanet_client::about()
}
