//! Building baskets: create, rename, describe, delete; add and remove records.

use phraseanet_app::browse::{BasketChange, BasketSummary, CurationSupport};
use phraseanet_client::RecordRef;
use tauri::State;

use super::{guarded, payload, Answer};
use crate::state::AppState;

/// Whether the profile's server can add and remove basket records (API v2).
#[tauri::command]
pub async fn curation_support(state: State<'_, AppState>, profile: String) -> Answer<CurationSupport> {
    guarded(async { state.curation_support(&profile).await.map_err(payload) }).await
}

#[tauri::command]
pub async fn create_basket(
    state: State<'_, AppState>,
    profile: String,
    name: String,
    description: String,
) -> Answer<BasketSummary> {
    guarded(async { state.create_basket(&profile, &name, &description).await.map_err(payload) }).await
}

#[tauri::command]
pub async fn rename_basket(
    state: State<'_, AppState>,
    profile: String,
    basket: i64,
    name: String,
) -> Answer<BasketSummary> {
    guarded(async { state.rename_basket(&profile, basket, &name).await.map_err(payload) }).await
}

#[tauri::command]
pub async fn describe_basket(
    state: State<'_, AppState>,
    profile: String,
    basket: i64,
    description: String,
) -> Answer<BasketSummary> {
    guarded(async { state.describe_basket(&profile, basket, &description).await.map_err(payload) }).await
}

#[tauri::command]
pub async fn delete_basket(state: State<'_, AppState>, profile: String, basket: i64) -> Answer<()> {
    guarded(async { state.delete_basket(&profile, basket).await.map_err(payload) }).await
}

#[tauri::command]
pub async fn add_to_basket(
    state: State<'_, AppState>,
    profile: String,
    basket: i64,
    records: Vec<RecordRef>,
) -> Answer<BasketChange> {
    guarded(async { state.add_to_basket(&profile, basket, &records).await.map_err(payload) }).await
}

#[tauri::command]
pub async fn remove_from_basket(
    state: State<'_, AppState>,
    profile: String,
    basket: i64,
    records: Vec<RecordRef>,
) -> Answer<BasketChange> {
    guarded(async { state.remove_from_basket(&profile, basket, &records).await.map_err(payload) }).await
}
