//! Tauri commands: each calls `phraseanet-app` and hands back its answer or its `{code, message, hint}`.
//! Nothing here decides anything, and no command returns a token or a client secret.

pub mod account;
pub mod browse;

use phraseanet_client::ErrorPayload;

pub type Answer<T> = Result<T, ErrorPayload>;

pub fn payload(e: phraseanet_client::Error) -> ErrorPayload {
    (&e).into()
}
