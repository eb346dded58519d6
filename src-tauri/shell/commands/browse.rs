//! Baskets, records, stories and downloads. Media bytes do not go through commands: the
//! webview loads them from the `pmedia:` scheme (see media.rs).

use std::path::PathBuf;

use phraseanet_app::browse::{
    BasketSummary, BasketView, Cached, CachedStart, DownloadEvent, DownloadItem, ElementRef, RecordDetails,
    StoryView,
};
use phraseanet_client::RecordRef;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use super::{guarded, guarded_sync, payload, Answer};
use crate::media::MediaBase;
use crate::state::AppState;

#[tauri::command]
pub async fn baskets(state: State<'_, AppState>, profile: String) -> Answer<Vec<BasketSummary>> {
    guarded(async { state.baskets(&profile).await.map_err(payload) }).await
}

/// `received` hears the bytes of the content as they flow (none while the server prepares it).
#[tauri::command]
pub async fn basket(
    state: State<'_, AppState>,
    profile: String,
    basket: i64,
    received: Channel<u64>,
) -> Answer<BasketView> {
    guarded(async {
        let progress = move |bytes: u64| {
            let _ = received.send(bytes);
        };
        state.basket_watched(&profile, basket, &progress).await.map_err(payload)
    })
    .await
}

#[tauri::command]
pub fn cancel_basket(state: State<'_, AppState>, profile: String) -> Answer<()> {
    guarded_sync(|| {
        state.cancel_basket(&profile);
        Ok(())
    })
}

#[tauri::command]
pub async fn record(
    state: State<'_, AppState>,
    profile: String,
    record: RecordRef,
    element: Option<ElementRef>,
) -> Answer<RecordDetails> {
    guarded(async { state.record(&profile, record, element).await.map_err(payload) }).await
}

/// The basket list as last received (shown at once, then refreshed); null when never seen.
#[tauri::command]
pub async fn cached_baskets(
    state: State<'_, AppState>,
    profile: String,
) -> Answer<Option<Cached<Vec<BasketSummary>>>> {
    Ok(state.cached_baskets(&profile).await)
}

#[tauri::command]
pub async fn cached_basket(
    state: State<'_, AppState>,
    profile: String,
    basket: i64,
) -> Answer<Option<Cached<BasketView>>> {
    Ok(state.cached_basket(&profile, basket).await)
}

/// The start of a basket as last received (its first screen); the whole copy comes with `cached_basket`.
#[tauri::command]
pub async fn cached_basket_start(
    state: State<'_, AppState>,
    profile: String,
    basket: i64,
    first: u32,
) -> Answer<Option<CachedStart>> {
    Ok(state.cached_basket_start(&profile, basket, first as usize).await)
}

#[tauri::command]
pub async fn cached_record(
    state: State<'_, AppState>,
    profile: String,
    record: RecordRef,
) -> Answer<Option<Cached<RecordDetails>>> {
    Ok(state.cached_record(&profile, record).await)
}

#[tauri::command]
pub async fn story(state: State<'_, AppState>, profile: String, record: RecordRef) -> Answer<StoryView> {
    guarded(async { state.story(&profile, record).await.map_err(payload) }).await
}

/// Opens the basket in the Phraseanet Lightbox (votes cannot be cast through the API). The URL is built
/// by the core from the profile's server, never taken from the webview.
#[tauri::command]
pub fn open_lightbox(app: AppHandle, state: State<'_, AppState>, profile: String, basket: i64) -> Answer<()> {
    guarded_sync(|| {
        let url = state.lightbox(&profile, basket).map_err(payload)?;
        app.opener().open_url(url, None::<&str>).map_err(|e| {
            payload(phraseanet_client::Error::Desktop {
                action: "no browser could open the Lightbox",
                detail: e.to_string(),
            })
        })
    })
}

/// Copies a text the UI shows (a permalink) to the clipboard.
#[tauri::command]
pub fn copy_text(app: AppHandle, text: String) -> Answer<()> {
    guarded_sync(|| {
        app.clipboard().write_text(text).map_err(|e| {
            payload(phraseanet_client::Error::Desktop {
                action: "the clipboard refused the text",
                detail: e.to_string(),
            })
        })
    })
}

#[tauri::command]
pub async fn download_record(
    state: State<'_, AppState>,
    profile: String,
    record: RecordRef,
    subdef: Option<String>,
    events: Channel<DownloadEvent>,
) -> Answer<u64> {
    guarded(async {
        let on_event = move |e: DownloadEvent| {
            let _ = events.send(e);
        };
        state.download_record(&profile, record, subdef, None, on_event).await.map_err(payload)
    })
    .await
}

/// Starts again the profile's downloads left unfinished by the last run (after sign-in).
#[tauri::command]
pub async fn resume_downloads(
    state: State<'_, AppState>,
    profile: String,
    events: Channel<DownloadEvent>,
) -> Answer<Vec<u64>> {
    guarded(async {
        let on_event = move |e: DownloadEvent| {
            let _ = events.send(e);
        };
        state.resume_downloads(&profile, on_event).await.map_err(payload)
    })
    .await
}

/// The originals of a selection, each its own download.
#[tauri::command]
pub async fn download_records(
    state: State<'_, AppState>,
    profile: String,
    records: Vec<RecordRef>,
    events: Channel<DownloadEvent>,
) -> Answer<Vec<u64>> {
    guarded(async {
        let on_event = move |e: DownloadEvent| {
            let _ = events.send(e);
        };
        state.download_records(&profile, &records, None, on_event).await.map_err(payload)
    })
    .await
}

#[tauri::command]
pub async fn download_basket(
    state: State<'_, AppState>,
    profile: String,
    basket: i64,
    zip: Option<bool>,
    events: Channel<DownloadEvent>,
) -> Answer<Vec<u64>> {
    guarded(async {
        let on_event = move |e: DownloadEvent| {
            let _ = events.send(e);
        };
        let as_zip = zip.unwrap_or(false);
        state.download_basket(&profile, basket, None, as_zip, on_event).await.map_err(payload)
    })
    .await
}

#[tauri::command]
pub fn cancel_download(state: State<'_, AppState>, id: u64) {
    state.cancel_download(id);
}

#[tauri::command]
pub async fn retry_download(state: State<'_, AppState>, id: u64) -> Answer<DownloadItem> {
    guarded(async { state.retry_download(id).await.map_err(payload) }).await
}

#[tauri::command]
pub fn downloads(state: State<'_, AppState>) -> Vec<DownloadItem> {
    state.downloads()
}

#[tauri::command]
pub fn clear_downloads(state: State<'_, AppState>) -> Vec<DownloadItem> {
    state.clear_finished_downloads()
}

#[tauri::command]
pub fn download_folder(state: State<'_, AppState>) -> Answer<String> {
    guarded_sync(|| state.download_folder().map(|p| p.display().to_string()).map_err(payload))
}

/// Asks for a folder (system dialog) and remembers it; None when the person cancels.
#[tauri::command]
pub async fn choose_download_folder(app: AppHandle, state: State<'_, AppState>) -> Answer<Option<String>> {
    guarded(async {
        let Some(picked) = app.dialog().file().blocking_pick_folder() else { return Ok(None) };
        let folder: PathBuf = picked
            .into_path()
            .map_err(|e| payload(phraseanet_client::Error::DownloadFolder(e.to_string())))?;
        state.set_download_folder(folder).map(|p| Some(p.display().to_string())).map_err(payload)
    })
    .await
}

/// Shows a finished download in the file manager. Only paths of this session's downloads are accepted.
#[tauri::command]
pub fn reveal_download(app: AppHandle, state: State<'_, AppState>, id: u64) -> Answer<()> {
    guarded_sync(|| {
        let item = state.downloads().into_iter().find(|d| d.id == id);
        let Some(path) = item.and_then(|d| d.path) else {
            return Err(payload(phraseanet_client::Error::NotFound("this download has no file yet".into())));
        };
        app.opener().reveal_item_in_dir(path).map_err(|e| {
            payload(phraseanet_client::Error::Desktop {
                action: "the file manager could not open",
                detail: e.to_string(),
            })
        })
    })
}

/// Base URL of the loopback media endpoint for `<video>` and `<audio>` (see media.rs).
#[tauri::command]
pub fn media_base(base: State<'_, MediaBase>) -> String {
    base.0.clone()
}
