//! Tauri commands: each calls `phraseanet-app` and hands back its answer or its `{code, message, hint}`.
//! Nothing here decides anything, and no command returns a token or a client secret.

pub mod account;
pub mod browse;

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
