//! Desktop integration: the native menu (labels from the UI, actions back over a channel), the window
//! title, "finished" notifications while the window is in the background, and drag out (the files
//! fetched first, then the OS drag of exactly those files).

use phraseanet_app::browse::DragProgress;
use phraseanet_client::{Error, RecordRef};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State, WebviewWindow};
use tauri_plugin_notification::NotificationExt;

use super::{guarded, guarded_sync, payload, Answer};
use crate::integration::{notification_text, window_title, DesktopShell};
use crate::menu::{self, MenuLabels};
use crate::state::AppState;

/// The picture under the pointer while files are dragged out.
const DRAG_IMAGE: &[u8] = include_bytes!("../../../icons/32x32.png");

fn desktop_error(action: &'static str, e: impl std::fmt::Display) -> phraseanet_client::ErrorPayload {
    payload(Error::Desktop { action, detail: e.to_string() })
}

/// Builds the menu bar from the UI's labels (again when its language changes); each item's action
/// id comes back over `actions`.
#[tauri::command]
pub fn set_menu(
    window: WebviewWindow,
    shell: State<'_, DesktopShell>,
    labels: MenuLabels,
    actions: Channel<String>,
) -> Answer<()> {
    guarded_sync(|| {
        let planned = menu::plan(&labels);
        let bar =
            menu::build(&window, &planned).map_err(|e| desktop_error("the menu could not be built", e))?;
        window.set_menu(bar).map_err(|e| desktop_error("the menu could not be shown", e))?;
        shell.listen_actions(actions);
        Ok(())
    })
}

/// Names what the window shows in its title bar ("Festival selects — Phraseanet Desktop").
#[tauri::command]
pub fn set_title(window: WebviewWindow, subject: Option<String>) -> Answer<()> {
    guarded_sync(|| {
        let product =
            window.app_handle().config().product_name.clone().unwrap_or_else(|| "Phraseanet Desktop".into());
        window
            .set_title(&window_title(subject.as_deref(), &product))
            .map_err(|e| desktop_error("the title could not be set", e))
    })
}

/// Tells the system that something finished, unless the window has the focus (the person sees it
/// there). Answers whether a notification was shown.
#[tauri::command]
pub fn notify(app: AppHandle, window: WebviewWindow, title: String, body: String) -> Answer<bool> {
    guarded_sync(|| {
        if window.is_focused().unwrap_or(false) {
            return Ok(false);
        }
        app.notification()
            .builder()
            .title(notification_text(&title))
            .body(notification_text(&body))
            .show()
            .map_err(|e| desktop_error("no notification could be shown", e))?;
        Ok(true)
    })
}

/// Fetches the records' files (original, else preview) into a new private folder, with progress, and
/// answers their paths: what `start_drag` may then hand to the OS. A new drag cancels one preparing.
#[tauri::command]
pub async fn prepare_drag(
    state: State<'_, AppState>,
    shell: State<'_, DesktopShell>,
    profile: String,
    records: Vec<RecordRef>,
    progress: Channel<DragProgress>,
) -> Answer<Vec<String>> {
    guarded(async {
        let (dir, cancel) = shell.new_drag().map_err(|e| payload(e.into()))?;
        let report = move |p: DragProgress| {
            let _ = progress.send(p);
        };
        let paths =
            state.prepare_drag(&profile, &records, dir.path(), report, &cancel).await.map_err(payload)?;
        let answer = paths.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        shell.keep_drag(dir, paths);
        Ok(answer)
    })
    .await
}

#[tauri::command]
pub fn cancel_drag(shell: State<'_, DesktopShell>) -> Answer<()> {
    guarded_sync(|| {
        shell.cancel_drag();
        Ok(())
    })
}

/// Starts the OS drag of prepared files (called while the mouse button is down on the drag handle).
#[tauri::command]
pub async fn start_drag(
    app: AppHandle,
    window: WebviewWindow,
    shell: State<'_, DesktopShell>,
    paths: Vec<String>,
) -> Answer<()> {
    guarded(async {
        let files = shell.prepared(&paths).ok_or_else(|| {
            payload(Error::InvalidInput("only files prepared for this drag can be dragged".into()))
        })?;
        let (tx, rx) = std::sync::mpsc::channel();
        app.run_on_main_thread(move || {
            let _ = tx.send(os_drag(&window, files));
        })
        .map_err(|e| desktop_error("the drag could not start", e))?;
        rx.recv()
            .map_err(|e| desktop_error("the drag could not start", e))?
            .map_err(|e| desktop_error("the drag could not start", e))
    })
    .await
}

/// CrabNebula's `drag` on the window (GTK on Linux, the window handle elsewhere).
fn os_drag(window: &WebviewWindow, files: Vec<std::path::PathBuf>) -> Result<(), String> {
    let item = drag::DragItem::Files(files);
    let image = drag::Image::Raw(DRAG_IMAGE.to_vec());
    let done = |result: drag::DragResult, _: drag::CursorPosition| log::info!("drag out ended: {result:?}");
    #[cfg(target_os = "linux")]
    let target = window.gtk_window().map_err(|e| e.to_string())?;
    #[cfg(not(target_os = "linux"))]
    let target = window.clone();
    drag::start_drag(&target, item, image, done, drag::Options::default()).map_err(|e| e.to_string())
}
