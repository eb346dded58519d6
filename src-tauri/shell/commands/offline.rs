//! "Keep offline" on baskets: start (progress over a channel), cancel, list, forget.

use phraseanet_app::browse::{KeepProgress, KeptBasket};
use tauri::ipc::Channel;
use tauri::State;

use super::{guarded, guarded_sync, payload, Answer};
use crate::state::AppState;

#[tauri::command]
pub async fn keep_offline(
    state: State<'_, AppState>,
    profile: String,
    basket: i64,
    originals: bool,
    progress: Channel<KeepProgress>,
) -> Answer<KeptBasket> {
    guarded(async {
        let report = move |p: KeepProgress| {
            let _ = progress.send(p);
        };
        state.keep_offline(&profile, basket, originals, report).await.map_err(payload)
    })
    .await
}

#[tauri::command]
pub fn cancel_keep(state: State<'_, AppState>, profile: String, basket: i64) -> Answer<()> {
    guarded_sync(|| {
        state.cancel_keep(&profile, basket);
        Ok(())
    })
}

#[tauri::command]
pub fn kept_baskets(state: State<'_, AppState>, profile: String) -> Answer<Vec<KeptBasket>> {
    guarded_sync(|| Ok(state.kept_baskets(&profile)))
}

#[tauri::command]
pub fn forget_offline(state: State<'_, AppState>, profile: String, basket: i64) -> Answer<Vec<KeptBasket>> {
    guarded_sync(|| state.forget_offline(&profile, basket).map_err(payload))
}
