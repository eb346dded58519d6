// The app's own commands get generated `allow-<command>` permissions, so the window's capability
// (tauri.conf.json) lists exactly the commands the UI calls and nothing else is reachable.
const COMMANDS: &[&str] = &[
    "about",
    "profiles",
    "check_server",
    "save_profile",
    "remove_profile",
    "start_demo",
    "open_sign_in",
    "check_code",
    "clipboard_code",
    "sign_in_with_code",
    "sign_in_with_token",
    "sign_in_with_password",
    "resume",
    "sign_out",
    "baskets",
    "basket",
    "cancel_basket",
    "record",
    "story",
    "open_lightbox",
    "copy_text",
    "download_record",
    "download_basket",
    "cancel_download",
    "retry_download",
    "downloads",
    "clear_downloads",
    "download_folder",
    "choose_download_folder",
    "reveal_download",
    "media_base",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
