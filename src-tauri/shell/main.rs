//! Phraseanet Desktop: the Tauri shell. It owns the window, the plugins and IPC only; every decision
//! is made by the Tauri-free crates (`phraseanet-app` on top of `phraseanet-client`), so each command
//! is a few lines.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod state;

use tauri::Manager;

fn main() {
    tauri::Builder::default()
        // First, so a second launch only focuses the running window.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(
            tauri_plugin_log::Builder::new()
                .level(log::LevelFilter::Info)
                .format(|out, message, record| {
                    let line = phraseanet_app::redact(&message.to_string());
                    out.finish(format_args!("[{}][{}] {line}", record.level(), record.target()))
                })
                .build(),
        )
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(state::open())
        .invoke_handler(tauri::generate_handler![
            commands::about,
            commands::profiles,
            commands::check_server,
            commands::save_profile,
            commands::remove_profile,
            commands::start_demo,
            commands::open_sign_in,
            commands::check_code,
            commands::clipboard_code,
            commands::sign_in_with_code,
            commands::sign_in_with_token,
            commands::sign_in_with_password,
            commands::resume,
            commands::sign_out,
        ])
        .run(tauri::generate_context!())
        .expect("Phraseanet Desktop could not start its window");
}
