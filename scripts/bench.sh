#!/usr/bin/env bash
# `make bench` (issue #14): builds the release binaries once, then prints one table of figures, each
# beside a baseline measured in the same run (target/bench/latest.md keeps it). No timing is asserted.
# Flags are passed to phraseanet-bench: --no-window (skip the release-window rows), --pss-variants
# (also measure PSS under WebKit environment variables; slow).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*" >&2; }

for tool in curl tauri-driver WebKitWebDriver xvfb-run; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/setup.sh test installs it)" >&2; exit 1; }
done

step "UI build (the release app embeds ui/dist)"
(cd ui && npm run -s build)

step "Release build: the app, the double, the bench"
cargo build --release -p phraseanet-desktop -p phraseanet-sim -p phraseanet-bench

step "The window program (it drives the release app; its own speed is not measured)"
cargo test --test bench --no-run

step "Measuring (about 5 minutes)"
mkdir -p target/bench target/e2e-screenshots
scripts/with-desktop-session.sh target/release/phraseanet-bench "$@"
