// The app's own commands get generated `allow-<command>` permissions, so the window's capability
// (tauri.conf.json) lists exactly the commands the UI calls and nothing else is reachable.
include!("commands/list.rs");

const COMMANDS: &[&str] = with_commands!(command_names);

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
