//! The web engine's media player, ready before the first video (issue #14). WebKitGTK plays video and
//! audio with GStreamer, which on its first use brings its registry (every plugin on the system, kept in
//! `~/.cache/gstreamer-1.0/`) up to date: on a fresh or outdated registry — a first run, or after a
//! system update brought new plugins — that scan took 1.3 s of the first video's start here, against
//! 0.3–0.5 s for the next ones. The app does that scan at start-up instead, in a child process of its own
//! at low priority: the registry is a file, so the web process later finds it current, and nothing of
//! GStreamer stays in the app's memory. Elsewhere (macOS, Windows) the engines have no such step.
//!
//! No crate does this: `gstreamer-rs` would link GStreamer into the app for one call. The child loads
//! the system's library the way WebKit does (by name) and calls `gst_init_check`; without GStreamer it
//! does nothing.

/// The argument that makes the app's binary the warm-up child (`main` checks it first).
pub const WARM_ARG: &str = "--warm-media-engine";

/// Starts the warm-up child, without waiting for it (a thread reaps it).
pub fn warm_in_background() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let Ok(exe) = std::env::current_exe() else { return };
        let child = std::process::Command::new(exe)
            .arg(WARM_ARG)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        match child {
            Ok(mut child) => {
                let _ = std::thread::Builder::new().name("media-warmup".into()).spawn(move || child.wait());
            }
            Err(e) => tracing::debug!("media engine warm-up not started: {e}"),
        }
    }
}

/// The child's work: GStreamer initialised once (its registry scanned and written), then the process
/// ends. Low priority: it must not slow the window starting beside it.
pub fn warm_here() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `nice` only lowers this process's priority. `dlopen`/`dlsym` are given NUL-terminated
    // names; the symbol is GStreamer's `gboolean gst_init_check(int *argc, char ***argv, GError **err)`,
    // called with no arguments and no error out-parameter, as its documentation allows.
    unsafe {
        libc::nice(10);
        let lib = libc::dlopen(c"libgstreamer-1.0.so.0".as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL);
        if lib.is_null() {
            return;
        }
        let init = libc::dlsym(lib, c"gst_init_check".as_ptr());
        if init.is_null() {
            return;
        }
        type InitCheck = unsafe extern "C" fn(*mut i32, *mut *mut *mut i8, *mut *mut libc::c_void) -> i32;
        let init: InitCheck = std::mem::transmute(init);
        init(std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
    }
}
