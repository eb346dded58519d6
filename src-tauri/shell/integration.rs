//! Desktop integration the window needs from the shell: where menu clicks go, the folders of prepared
//! drags (and which paths a drag may carry), the title and notifications' text. Pure helpers are
//! tested here; `commands/desktop.rs` wires them to the webview.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use phraseanet_client::CancellationToken;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};

use crate::menu;

/// Prepared drags kept (their folders live until a newer drag pushes them out, or the app quits: the
/// file manager copies from them after the drop).
const DRAGS_KEPT: usize = 3;
/// A title or notification text longer than this is cut.
const TEXT_MAX: usize = 200;

#[derive(Default)]
pub struct DesktopShell {
    /// Where menu actions go: the channel of the UI's last `set_menu`.
    actions: Mutex<Option<Channel<String>>>,
    drags: Mutex<VecDeque<Prepared>>,
    /// The drag being prepared (a new one cancels it).
    preparing: Mutex<Option<CancellationToken>>,
}

struct Prepared {
    /// Removed with its files when dropped.
    _dir: tempfile::TempDir,
    paths: Vec<PathBuf>,
}

impl DesktopShell {
    pub fn listen_actions(&self, channel: Channel<String>) {
        *self.actions.lock().expect("menu lock") = Some(channel);
    }

    /// Hands a menu item's action to the UI; false when no UI listens yet.
    pub fn send_action(&self, id: &str) -> bool {
        self.actions.lock().expect("menu lock").as_ref().is_some_and(|c| c.send(id.to_string()).is_ok())
    }

    /// A private folder for a new drag (0700, under the temp dir); cancels a drag still preparing.
    pub fn new_drag(&self) -> std::io::Result<(tempfile::TempDir, CancellationToken)> {
        let dir = tempfile::Builder::new().prefix("phraseanet-drag-").tempdir()?;
        let cancel = CancellationToken::new();
        if let Some(old) = self.preparing.lock().expect("drag lock").replace(cancel.clone()) {
            old.cancel();
        }
        Ok((dir, cancel))
    }

    pub fn cancel_drag(&self) {
        if let Some(c) = self.preparing.lock().expect("drag lock").take() {
            c.cancel();
        }
    }

    /// Keeps a prepared drag's folder; the oldest beyond `DRAGS_KEPT` go, files and all.
    pub fn keep_drag(&self, dir: tempfile::TempDir, paths: Vec<PathBuf>) {
        let mut all = self.drags.lock().expect("drag lock");
        all.push_back(Prepared { _dir: dir, paths });
        while all.len() > DRAGS_KEPT {
            all.pop_front();
        }
    }

    /// The paths as a drag may carry them: each one a file of a prepared drag, nothing else (the
    /// webview must not make the OS drag any file it names).
    pub fn prepared(&self, paths: &[String]) -> Option<Vec<PathBuf>> {
        let all = self.drags.lock().expect("drag lock");
        let known = |p: &Path| all.iter().any(|d| d.paths.iter().any(|k| k == p));
        let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
        (!paths.is_empty() && paths.iter().all(|p| known(p) && p.is_file())).then_some(paths)
    }
}

/// A menu click or accelerator: quit and full screen are the shell's; the rest is the UI's action.
pub fn on_menu<R: Runtime>(app: &AppHandle<R>, id: &str) {
    match id {
        menu::QUIT => app.exit(0),
        menu::FULL_SCREEN => {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.set_fullscreen(!w.is_fullscreen().unwrap_or(false));
            }
        }
        _ => {
            if !app.state::<DesktopShell>().send_action(id) {
                log::info!("menu action {id} before the UI listened");
            }
        }
    }
}

/// One line of text for the title bar or a notification: no control characters, bounded.
pub fn one_line(text: &str) -> String {
    let line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(TEXT_MAX).collect();
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "Festival selects — Phraseanet Desktop", or the product's name alone.
pub fn window_title(subject: Option<&str>, product: &str) -> String {
    match subject.map(one_line).filter(|s| !s.is_empty()) {
        Some(s) => format!("{s} — {product}"),
        None => product.to_string(),
    }
}

/// Notification text as plain text: Linux notification servers read `<b>`, `<a href>` and `<img>` in
/// the body, and a basket's name is server text.
pub fn notification_text(text: &str) -> String {
    one_line(text).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_names_the_subject_on_one_line() {
        assert_eq!(
            window_title(Some("Festival selects"), "Phraseanet Desktop"),
            "Festival selects — Phraseanet Desktop"
        );
        assert_eq!(window_title(Some("  a\n\tb\u{7}  "), "P"), "a b — P");
        assert_eq!(window_title(Some(" \n "), "P"), "P");
        assert_eq!(window_title(None, "P"), "P");
        assert!(window_title(Some(&"x".repeat(1000)), "P").chars().count() <= TEXT_MAX + 4);
    }

    #[test]
    fn notification_text_is_never_markup() {
        assert_eq!(
            notification_text("<img src=x onerror=alert(1)> & <a href='https://evil'>"),
            "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;a href='https://evil'&gt;"
        );
    }

    #[test]
    fn a_drag_carries_only_files_of_a_prepared_drag() {
        let shell = DesktopShell::default();
        let (dir, _) = shell.new_drag().unwrap();
        let file = dir.path().join("a.jpg");
        std::fs::write(&file, b"x").unwrap();
        let path = file.to_string_lossy().into_owned();
        assert_eq!(shell.prepared(std::slice::from_ref(&path)), None, "not prepared yet");
        shell.keep_drag(dir, vec![file.clone()]);
        assert_eq!(shell.prepared(std::slice::from_ref(&path)), Some(vec![file.clone()]));
        assert_eq!(shell.prepared(&[path.clone(), "/etc/passwd".into()]), None);
        assert_eq!(shell.prepared(&[]), None);
        for _ in 0..DRAGS_KEPT {
            let (d, _) = shell.new_drag().unwrap();
            shell.keep_drag(d, vec![]);
        }
        assert!(!file.exists(), "an old drag's folder goes with it");
        assert_eq!(shell.prepared(&[path]), None);
    }

    #[test]
    fn a_new_drag_cancels_the_one_preparing() {
        let shell = DesktopShell::default();
        let (_a, first) = shell.new_drag().unwrap();
        let (_b, second) = shell.new_drag().unwrap();
        assert!(first.is_cancelled() && !second.is_cancelled());
        shell.cancel_drag();
        assert!(second.is_cancelled());
    }
}
