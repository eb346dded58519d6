//! A launch that meets a window on its way out. A second launch hands over to the running window
//! (tauri-plugin-single-instance, over a D-Bus name on Linux). When that window was quit a moment ago
//! and its name is not released yet, the handover finds nobody to answer ("NoReply") and the plugin
//! ends the launch with an error: a person who quits and reopens at once would see nothing start.
//! The launch then starts over in the same process image (same pid, arguments and environment), a
//! little later; after a few tries it starts without the single-instance check rather than not at all.
//! Hand-written: the plugin has no hook for a failed handover (2.5.5, platform_impl/linux.rs).

use std::time::Duration;

const TRIES_VAR: &str = "PHRASEANET_DESKTOP_LAUNCH_TRY";
const TRIES: u32 = 3;

fn tries() -> u32 {
    std::env::var(TRIES_VAR).ok().and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// Whether this launch should hand over to a running window (false after `TRIES` failed handovers).
pub fn single_instance() -> bool {
    tries() < TRIES
}

/// The handover failed: start again shortly (never returns on Unix). Elsewhere, or when the process
/// cannot be started again, returns so the caller reports the error.
pub fn after_failed_handover(why: &str) {
    log::warn!("handing over to the running window failed ({why}); starting again");
    eprintln!("Phraseanet Desktop: the running window did not answer ({why}); starting again.");
    std::thread::sleep(Duration::from_millis(400));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let Ok(exe) = std::env::current_exe() else { return };
        let err = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env(TRIES_VAR, (tries() + 1).to_string())
            .exec();
        eprintln!("Phraseanet Desktop could not start again: {err}");
    }
}
