//! Phraseanet Desktop: the Tauri shell. It owns the window, the plugins and IPC only; every decision
//! is made by the Tauri-free crates (`phraseanet-app` on top of `phraseanet-client`), so each command
//! is a few lines.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod media;
mod state;

use commands::{account, browse};
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
        .plugin(tauri_plugin_dialog::init())
        .manage(state::open())
        .register_asynchronous_uri_scheme_protocol(media::SCHEME, media::handle)
        .invoke_handler(tauri::generate_handler![
            account::about,
            account::profiles,
            account::check_server,
            account::save_profile,
            account::remove_profile,
            account::start_demo,
            account::open_sign_in,
            account::check_code,
            account::clipboard_code,
            account::sign_in_with_code,
            account::sign_in_with_token,
            account::sign_in_with_password,
            account::resume,
            account::sign_out,
            browse::baskets,
            browse::basket,
            browse::record,
            browse::story,
            browse::open_lightbox,
            browse::copy_text,
            browse::download_record,
            browse::download_basket,
            browse::cancel_download,
            browse::retry_download,
            browse::downloads,
            browse::clear_downloads,
            browse::download_folder,
            browse::choose_download_folder,
            browse::reveal_download,
        ])
        .run(tauri::generate_context!())
        .expect("Phraseanet Desktop could not start its window");
}
