//! Where the person is: the last view of each profile, and the server's own page of what they look at.

use phraseanet_app::browse::{LastView, WebTarget};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use super::{guarded, guarded_sync, payload, Answer};
use crate::state::AppState;

#[tauri::command]
pub fn remember_view(state: State<'_, AppState>, profile: String, view: LastView) -> Answer<()> {
    guarded_sync(|| state.remember_view(&profile, view).map_err(payload))
}

#[tauri::command]
pub fn last_view(state: State<'_, AppState>, profile: String) -> Answer<Option<LastView>> {
    guarded_sync(|| Ok(state.last_view(&profile)))
}

/// Opens the server's page of a basket or record in the browser and answers its address (the UI offers
/// to copy it when no browser opens: the error's detail names it too).
#[tauri::command]
pub async fn open_in_phraseanet(
    app: AppHandle,
    state: State<'_, AppState>,
    profile: String,
    target: WebTarget,
) -> Answer<String> {
    guarded(async {
        let url = state.phraseanet_url(&profile, target).await.map_err(payload)?;
        app.opener().open_url(url.clone(), None::<&str>).map_err(|e| {
            payload(phraseanet_client::Error::Desktop {
                action: "no browser could open the Phraseanet page",
                detail: format!("{url} ({e})"),
            })
        })?;
        Ok(url)
    })
    .await
}
