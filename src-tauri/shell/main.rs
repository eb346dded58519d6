//! Phraseanet Desktop: the Tauri shell. It owns the window, the plugins and IPC only; every decision
//! is made by the Tauri-free crates (`phraseanet-app` on top of `phraseanet-client`), so each command
//! is a few lines.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[macro_use]
mod commands;
mod integration;
mod media;
mod menu;
mod relaunch;
mod state;
mod window;

use commands::{account, browse, curate, desktop, library, offline, places};

/// `generate_handler!` over the one command list (`commands/list.rs`).
macro_rules! handlers {
    ($($path:path),* $(,)?) => {
        tauri::generate_handler![$($path),*]
    };
}
use media::MediaBase;
use phraseanet_app::browse::MediaEndpoint;
use phraseanet_app::media_engine;

fn main() {
    // The app's own child that readies the web engine's media player (phraseanet_app::media_engine).
    if std::env::args_os().nth(1).is_some_and(|a| a == media_engine::WARM_ARG) {
        return media_engine::warm_here();
    }
    phraseanet_app::rendering::choose_compositing();
    let desktop = state::open();
    // Video and audio come from a loopback endpoint (WebKitGTK cannot play from a custom scheme): bind
    // it first, so the CSP can allow exactly its origin for `media-src`.
    let endpoint = MediaEndpoint::bind().expect("a loopback port for media");
    let media_base = MediaBase(endpoint.base());
    let mut context = tauri::generate_context!();
    media::allow_media_origin(&mut context, endpoint.origin());
    let served = desktop.clone();
    let media_origin = endpoint.origin().to_string();

    let mut builder = tauri::Builder::default();
    if relaunch::single_instance() {
        // First, so a second launch only focuses the running window.
        builder =
            builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| window::bring_forward(app)));
    }
    let ran = builder
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
        .plugin(tauri_plugin_notification::init())
        .manage(integration::DesktopShell::default())
        .on_menu_event(|app, event| integration::on_menu(app, event.id().as_ref()))
        .manage(desktop)
        .manage(media_base)
        .setup(move |app| {
            window::open_main(app, media_origin)?;
            media_engine::warm_in_background();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = endpoint.serve(served).await {
                    log::error!("the media endpoint stopped: {e}");
                }
            });
            Ok(())
        })
        .register_asynchronous_uri_scheme_protocol(media::SCHEME, media::handle)
        .invoke_handler(with_commands!(handlers))
        .run(context);
    if let Err(tauri::Error::PluginInitialization(plugin, why)) = &ran {
        if plugin == "single-instance" {
            relaunch::after_failed_handover(why);
        }
    }
    ran.expect("Phraseanet Desktop could not start its window");
}
