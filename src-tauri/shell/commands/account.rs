//! Profiles, the demo server and signing in.

use phraseanet_app::{
    check_code as check, code_in, Account, CodeCheck, DemoServer, NewProfile, ProfilesState,
};
use phraseanet_client::doctor::DoctorReport;
use phraseanet_client::{AppInfo, AuthMethod, AuthorizeRequest, ProfileSummary, ServerInfo};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_opener::OpenerExt;

use super::{guarded, guarded_sync, payload, Answer};
use crate::state::AppState;

#[tauri::command]
pub fn about() -> Answer<AppInfo> {
    guarded_sync(|| Ok(phraseanet_client::about()))
}

#[tauri::command]
pub fn profiles(state: State<'_, AppState>) -> Answer<ProfilesState> {
    guarded_sync(|| state.profiles().map_err(payload))
}

#[tauri::command]
pub async fn check_server(state: State<'_, AppState>, server: String) -> Answer<ServerInfo> {
    guarded(async { state.check_server(&server).await.map_err(payload) }).await
}

#[tauri::command]
pub fn save_profile(state: State<'_, AppState>, profile: NewProfile) -> Answer<ProfileSummary> {
    guarded_sync(|| state.save_profile(profile).map_err(payload))
}

#[tauri::command]
pub fn remove_profile(state: State<'_, AppState>, profile: String) -> Answer<ProfilesState> {
    guarded_sync(|| state.remove_profile(&profile).map_err(payload))
}

#[tauri::command]
pub async fn start_demo(state: State<'_, AppState>, method: Option<AuthMethod>) -> Answer<DemoServer> {
    let method = method.unwrap_or_default();
    guarded(async { state.start_demo_with(method).await.map_err(payload) }).await
}

/// Opens the authorize page in the system browser. The URL is returned too, so the window can show
/// it when no browser opens.
#[tauri::command]
pub fn open_sign_in(app: AppHandle, state: State<'_, AppState>, profile: String) -> Answer<AuthorizeRequest> {
    guarded_sync(|| {
        let request = state.open_sign_in(&profile).map_err(payload)?;
        if let Err(e) = app.opener().open_url(&request.url, None::<&str>) {
            log::warn!("no browser opened for the sign-in page: {e}");
        }
        Ok(request)
    })
}

/// The loopback sign-in: opens the authorize page in the system browser (and tells `opened`, so the
/// window can show the link when no browser opens), then answers once the browser came back to the
/// app, or the wait was cancelled or timed out.
#[tauri::command]
pub async fn sign_in_loopback(
    app: AppHandle,
    state: State<'_, AppState>,
    profile: String,
    lang: String,
    opened: Channel<AuthorizeRequest>,
) -> Answer<Account> {
    guarded(async {
        let open = |request: &AuthorizeRequest| {
            if let Err(e) = app.opener().open_url(&request.url, None::<&str>) {
                log::warn!("no browser opened for the sign-in page: {e}");
            }
            let _ = opened.send(request.clone());
        };
        state.sign_in_loopback(&profile, &lang, open).await.map_err(payload)
    })
    .await
}

#[tauri::command]
pub fn cancel_sign_in(state: State<'_, AppState>, profile: String) -> Answer<()> {
    guarded_sync(|| {
        state.cancel_sign_in(&profile);
        Ok(())
    })
}

/// The connection doctor for a profile, or for the connect form's server and client id.
#[tauri::command]
pub async fn doctor(
    state: State<'_, AppState>,
    profile: Option<String>,
    server: Option<String>,
    client_id: Option<String>,
) -> Answer<DoctorReport> {
    guarded(async {
        state.doctor(profile.as_deref(), server.as_deref(), client_id.as_deref()).await.map_err(payload)
    })
    .await
}

#[tauri::command]
pub fn check_code(text: String) -> Answer<CodeCheck> {
    guarded_sync(|| Ok(check(&text)))
}

/// The access code on the clipboard, if the clipboard holds one (read by the backend, so the
/// webview needs no clipboard permission).
#[tauri::command]
pub fn clipboard_code(app: AppHandle) -> Answer<Option<String>> {
    guarded_sync(|| Ok(app.clipboard().read_text().ok().and_then(|text| code_in(&text))))
}

#[tauri::command]
pub async fn sign_in_with_code(
    state: State<'_, AppState>,
    profile: String,
    pasted: String,
) -> Answer<Account> {
    guarded(async { state.sign_in_with_code(&profile, &pasted).await.map_err(payload) }).await
}

#[tauri::command]
pub async fn sign_in_with_token(
    state: State<'_, AppState>,
    profile: String,
    token: String,
) -> Answer<Account> {
    guarded(async { state.sign_in_with_token(&profile, &token).await.map_err(payload) }).await
}

#[tauri::command]
pub async fn sign_in_with_password(
    state: State<'_, AppState>,
    profile: String,
    login: String,
    password: String,
) -> Answer<Account> {
    guarded(async { state.sign_in_with_password(&profile, &login, &password).await.map_err(payload) }).await
}

#[tauri::command]
pub async fn resume(state: State<'_, AppState>, profile: String) -> Answer<Account> {
    guarded(async { state.resume(&profile).await.map_err(payload) }).await
}

#[tauri::command]
pub fn sign_out(state: State<'_, AppState>, profile: String) -> Answer<ProfilesState> {
    guarded_sync(|| state.sign_out(&profile).map_err(payload))
}
