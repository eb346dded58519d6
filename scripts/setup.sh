#!/usr/bin/env bash
# Installs what Phraseanet Desktop needs on Debian 12 / Ubuntu, skipping what is already there.
#   scripts/setup.sh run    – what running the app needs (system libraries, UI modules)
#   scripts/setup.sh test   – plus what the full test suite needs (Xvfb, WebDriver, a Secret Service)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

# System packages. Build: WebKitGTK 4.1 and friends (Tauri's Linux needs). Media: GStreamer plugins so
# the webview can play H.264/AAC/MP3 previews. Tests: Xvfb for a real window without a screen,
# WebKitWebDriver for WebDriver, gnome-keyring + libsecret-tools for a real Secret Service, python3 for
# the import-cycle check.
run_pkgs=(libwebkit2gtk-4.1-dev build-essential pkg-config curl file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-libav xdg-utils nodejs npm)
test_pkgs=(xvfb xauth x11-utils imagemagick webkit2gtk-driver dbus dbus-x11 gnome-keyring
  libsecret-tools python3
  # Packaging (scripts/package-linux.sh, scripts/test-installed.sh): the validators, rpmbuild.
  appstream desktop-file-utils rpm cpio)
pkgs=("${run_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  # node/npm may come from elsewhere (nodesource, nvm): only ask apt when the command is missing.
  case "$p" in nodejs) command -v node >/dev/null && continue ;; npm) command -v npm >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing system packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "Rust is missing: install it with rustup (https://rustup.rs), then run this again." >&2; exit 1; }

# UI modules at the locked versions. Not `npm ci`: its strict check wants every platform's optional
# @tauri-apps/cli binary in the lock, and registry mirrors may serve only this platform's.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  say "Installing UI modules (npm install)"
  (cd ui && npm install --no-audit --no-fund)
fi

if [ "$mode" = test ] && ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  say "Installing tauri-driver (WebDriver bridge for the end-to-end tests)"
  cargo install tauri-driver --version '^2' --locked
fi
