//! Phraseanet client core, free of Tauri so it tests fast and serves both the desktop app and the CLI.

pub mod about;

pub use about::{about, AppInfo};
