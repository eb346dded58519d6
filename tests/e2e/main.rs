//! End-to-end scenarios: the real app window, driven over WebDriver (tauri-driver + WebKitWebDriver).
//! They need a display and a Secret Service, so they are `#[ignore]`d by default and run by
//! `make test` inside `scripts/with-desktop-session.sh` (Xvfb + D-Bus + gnome-keyring).

mod browse;
mod curation;
mod desktop;
mod harness;
mod keyring;
mod library;
mod offline;
mod servers;
mod signin;
mod ux;
mod welcome;
