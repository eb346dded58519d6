//! The library: search with its filters and facets, collections, feeds.

use phraseanet_app::browse::{
    Cached, DataboxView, FeedPage, FeedSummary, RelatedView, SearchLists, SearchPage, SearchRequest,
};
use phraseanet_client::RecordRef;
use tauri::State;

use super::{guarded, guarded_sync, payload, Answer};
use crate::state::AppState;

#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    profile: String,
    request: SearchRequest,
) -> Answer<SearchPage> {
    guarded(async { state.run_search(&profile, &request).await.map_err(payload) }).await
}

/// A search's first page as last seen (shown while the server answers, and offline).
#[tauri::command]
pub async fn cached_search(
    state: State<'_, AppState>,
    profile: String,
    request: SearchRequest,
) -> Answer<Option<Cached<SearchPage>>> {
    Ok(state.cached_search(&profile, &request).await)
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

/// Where a record is used: the user's baskets holding it and the stories containing it.
#[tauri::command]
pub async fn related(state: State<'_, AppState>, profile: String, record: RecordRef) -> Answer<RelatedView> {
    guarded(async { state.related(&profile, record).await.map_err(payload) }).await
}

/// The profile's saved and recent searches.
#[tauri::command]
pub fn searches(state: State<'_, AppState>, profile: String) -> Answer<SearchLists> {
    guarded_sync(|| Ok(state.searches(&profile)))
}

#[tauri::command]
pub fn save_search(
    state: State<'_, AppState>,
    profile: String,
    name: String,
    request: SearchRequest,
) -> Answer<SearchLists> {
    guarded_sync(|| state.save_search(&profile, &name, &request).map_err(payload))
}

#[tauri::command]
pub fn delete_saved_search(state: State<'_, AppState>, profile: String, id: u32) -> Answer<SearchLists> {
    guarded_sync(|| state.delete_saved_search(&profile, id).map_err(payload))
}

#[tauri::command]
pub fn clear_recent_searches(state: State<'_, AppState>, profile: String) -> Answer<SearchLists> {
    guarded_sync(|| state.clear_recent_searches(&profile).map_err(payload))
}
