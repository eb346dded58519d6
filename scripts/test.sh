#!/usr/bin/env bash
# Every check and test of the project, in the order that fails fastest. `make test` runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

step "Rust formatting"
cargo fmt --all --check

step "UI: type-check, unit tests, build"
(cd ui && npm run -s check && npm test -s && npm run -s build)

step "TypeScript types generated from Rust are fresh"
scripts/check-bindings.sh

step "No import cycles between the modules of a crate"
python3 scripts/check-cycles.py

step "Clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "Build the app and the tests"
cargo build --workspace --all-targets

step "Rust tests, the real Secret Service and the end-to-end suite in a real window (Xvfb + D-Bus + gnome-keyring)"
mkdir -p target/e2e-screenshots
scripts/with-desktop-session.sh cargo test --workspace --all-targets -- --include-ignored

step "The .deb as a user gets it: built in release, installed, run end to end, removed (scripts/test-installed.sh)"
scripts/test-installed.sh
