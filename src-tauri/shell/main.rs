//! Phraseanet Desktop: the Tauri shell. It owns windows and IPC only; every decision is made by
//! the Tauri-free `phraseanet-client` crate, so commands stay a few lines each.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![commands::about])
        .run(tauri::generate_context!())
        .expect("Phraseanet Desktop could not start its window");
}
