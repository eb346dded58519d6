#!/usr/bin/env bash
# Fails when the TypeScript types in ui/src/lib/bindings no longer match the Rust types they come from.
set -euo pipefail
cd "$(dirname "$0")/.."
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
# ts-rs exports every `#[ts(export)]` type from a generated test named export_bindings_*.
TS_RS_EXPORT_DIR="$fresh" cargo test -q -p phraseanet-client -p phraseanet-app --lib export_bindings_ >/dev/null
if ! diff -r "$fresh" ui/src/lib/bindings; then
  echo "ui/src/lib/bindings is stale: run `make bindings` (it rewrites them) and commit." >&2
  exit 1
fi
echo "TypeScript bindings are up to date ($(ls "$fresh" | wc -l) files)."
