//! Tauri commands: each calls `phraseanet-app` and hands back its answer or its `{code, message, hint}`.
//! Nothing here decides anything, and no command returns a token or a client secret.

#[macro_use]
mod list;
pub mod account;
pub mod browse;
pub mod curate;
pub mod desktop;
pub mod library;
pub mod offline;
pub mod places;

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use phraseanet_client::{Error, ErrorPayload};

pub type Answer<T> = Result<T, ErrorPayload>;

pub fn payload(e: Error) -> ErrorPayload {
    (&e).into()
}

/// A panic inside a command becomes an `internal` error: Tauri runs async commands in a task whose
/// panic never settles the webview's promise (a spinner forever), and sync ones unwind into the IPC.
fn internal(panic: Box<dyn std::any::Any + Send>) -> ErrorPayload {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into());
    log::error!("a command panicked: {what}");
    payload(Error::Internal("see the log".into()))
}

/// Runs an async command's work, catching a panic (see `internal`).
pub async fn guarded<T>(work: impl Future<Output = Answer<T>>) -> Answer<T> {
    AssertUnwindSafe(work).catch_unwind().await.unwrap_or_else(|p| Err(internal(p)))
}

/// Runs a sync command's work, catching a panic (see `internal`).
pub fn guarded_sync<T>(work: impl FnOnce() -> Answer<T>) -> Answer<T> {
    std::panic::catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|p| Err(internal(p)))
}

#[cfg(test)]
mod tests {
    /// Every listed command is allowed by the window's capability (nothing more), and is what the UI's
    /// one door, `ipc.ts`, calls (nothing more, nothing less).
    #[test]
    fn the_command_list_matches_the_capability_and_the_ui() {
        let names: &[&str] = with_commands!(command_names);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let conf: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root.join("tauri.conf.json")).unwrap()).unwrap();
        let mut allowed: Vec<String> = conf["app"]["security"]["capabilities"][0]["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        let mut expected: Vec<String> =
            names.iter().map(|n| format!("allow-{}", n.replace('_', "-"))).collect();
        allowed.sort();
        expected.sort();
        assert_eq!(allowed, expected, "tauri.conf.json's capability");

        let ipc = std::fs::read_to_string(root.join("ui/src/lib/ipc.ts")).unwrap();
        let mut called: Vec<&str> = ipc
            .split("call<")
            .skip(1)
            .filter_map(|rest| rest.split_once(">(\"")?.1.split('"').next())
            .collect();
        called.sort();
        called.dedup();
        let mut listed = names.to_vec();
        listed.sort();
        assert_eq!(called, listed, "the commands ipc.ts calls");
    }
}
