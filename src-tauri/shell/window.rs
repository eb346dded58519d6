//! The main window, built from its `tauri.conf.json` entry (`"create": false`) so that it gets what
//! the config cannot say: the webview stays on the app. The only document
//! in it that a server controls is an inline PDF; a link there must not replace the app or open windows.

use tauri::webview::{NewWindowResponse, WebviewWindowBuilder};
use tauri::Url;
use tauri::{App, Manager, Runtime};
use tauri_plugin_opener::OpenerExt;

/// Where the main webview may go: the app itself (`tauri://localhost`, `http://tauri.localhost` on
/// Windows), and the loopback media endpoint (the PDF frame).
pub fn stays_in_app(url: &Url, media_origin: &str) -> bool {
    match url.scheme() {
        "tauri" | "about" | "data" | "blob" => true,
        "http" | "https" => {
            url.host_str() == Some("tauri.localhost") || url.origin().ascii_serialization() == media_origin
        }
        _ => false,
    }
}

/// A second launch: the running window comes forward (shown, restored, focused) instead.
pub fn bring_forward<R: Runtime, M: Manager<R>>(app: &M) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

pub fn open_main<R: Runtime>(app: &App<R>, media_origin: String) -> tauri::Result<()> {
    let config = app.config().app.windows.iter().find(|w| w.label == "main").cloned();
    let config = config.ok_or_else(|| tauri::Error::WindowNotFound)?;
    let opener = app.handle().clone();
    WebviewWindowBuilder::from_config(app, &config)?
        .on_navigation(move |url| {
            if stays_in_app(url, &media_origin) {
                return true;
            }
            // A web link goes to the person's browser, never into the app's window.
            if url.scheme() == "https" {
                let _ = opener.opener().open_url(url.as_str(), None::<&str>);
            }
            log::info!("kept the window on the app (refused a navigation to a {} URL)", url.scheme());
            false
        })
        .on_new_window(|_, _| NewWindowResponse::Deny)
        // The app makes its own downloads (checked, into the chosen folder); the engine makes none.
        .on_download(|_, _| false)
        .build()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_app_and_its_media_endpoint_stay_in_the_window() {
        let media = "http://127.0.0.1:40123";
        for ok in ["tauri://localhost/index.html", "http://tauri.localhost/", "http://127.0.0.1:40123/s/p/x"]
        {
            assert!(stays_in_app(&Url::parse(ok).unwrap(), media), "{ok}");
        }
        for out in [
            "https://evil.example/login",
            "http://127.0.0.1:40124/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "http://tauri.localhost.evil.example/",
        ] {
            assert!(!stays_in_app(&Url::parse(out).unwrap(), media), "{out}");
        }
    }
}
