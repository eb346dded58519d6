//! The web engine's memory (issue #14). WebKitGTK's default cache model is a web browser's: it keeps
//! decoded images and pages in memory for going back and forth, sized from the machine's RAM. This app
//! shows one page whose images come from its own media endpoint (cached on disk, answered in
//! milliseconds), so the document viewer's model fits: WebKit keeps no memory cache of resources it
//! no longer shows. Tauri has no setting for it; wry's webkit2gtk web context has.

use tauri::{Runtime, WebviewWindow};

/// `PHRASEANET_DESKTOP_WEB_CACHE=web-browser` keeps the engine's default (`make bench --pss-variants`
/// measures both in one run).
pub fn lighten<R: Runtime>(window: &WebviewWindow<R>) {
    if std::env::var("PHRASEANET_DESKTOP_WEB_CACHE").is_ok_and(|v| v == "web-browser") {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        let done = window.with_webview(|webview| {
            use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
        if let Err(e) = done {
            log::warn!("the web engine's cache model stays the default: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
