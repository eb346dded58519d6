//! App settings kept beside the profiles: which profile opens at start. No secret here either.

use std::path::Path;

use phraseanet_client::profile::write_atomic;
use phraseanet_client::Result;
use serde::{Deserialize, Serialize};

#[derive(Default, Serialize, Deserialize)]
struct Settings {
    #[serde(default)]
    active: Option<String>,
    /// Where downloads go, once the person chose a folder (browse).
    #[serde(default)]
    download_folder: Option<std::path::PathBuf>,
}

const FILE: &str = "settings.json";

fn load(dir: &Path) -> Settings {
    // A missing or damaged settings file only means "no active profile": never block the start.
    std::fs::read(dir.join(FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

pub fn active(dir: &Path) -> Option<String> {
    load(dir).active
}

pub fn set_active(dir: &Path, profile: Option<&str>) -> Result<()> {
    let mut settings = load(dir);
    settings.active = profile.map(str::to_string);
    let bytes = serde_json::to_vec_pretty(&settings).expect("settings serialize");
    write_atomic(&dir.join(FILE), &bytes)
}

pub fn download_folder(dir: &Path) -> Option<std::path::PathBuf> {
    load(dir).download_folder
}

pub fn set_download_folder(dir: &Path, folder: Option<&Path>) -> Result<()> {
    let mut settings = load(dir);
    settings.download_folder = folder.map(Path::to_path_buf);
    save(dir, &settings)
}

fn save(dir: &Path, settings: &Settings) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(settings).expect("settings serialize");
    write_atomic(&dir.join(FILE), &bytes)
}
