//! The library: search with its filters and facets, collections, feeds.

use phraseanet_app::browse::{DataboxView, FeedPage, FeedSummary, SearchPage, SearchRequest};
use tauri::State;

use super::{guarded, payload, Answer};
use crate::state::AppState;

#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    profile: String,
    request: SearchRequest,
) -> Answer<SearchPage> {
    guarded(async { state.search_with(&profile, &request).await.map_err(payload) }).await
}

#[tauri::command]
pub async fn collections(state: State<'_, AppState>, profile: String) -> Answer<Vec<DataboxView>> {
    guarded(async { state.collections(&profile).await.map_err(payload) }).await
}

#[tauri::command]
pub async fn feeds(state: State<'_, AppState>, profile: String) -> Answer<Vec<FeedSummary>> {
    guarded(async { state.feeds(&profile).await.map_err(payload) }).await
}

/// One feed's entries (`feed`), or the newest entries of every feed (none).
#[tauri::command]
pub async fn feed(
    state: State<'_, AppState>,
    profile: String,
    feed: Option<i64>,
    offset: u32,
    per_page: u32,
) -> Answer<FeedPage> {
    guarded(async { state.feed(&profile, feed, offset, per_page).await.map_err(payload) }).await
}
