#!/usr/bin/env bash
# packaging/bump-version.sh X.Y.Z [YYYY-MM-DD] – `make release VERSION=X.Y.Z` runs it.
# The version lives in Cargo.toml's [workspace.package] (every crate inherits it; tauri.conf.json has no
# version, so Tauri takes Cargo's). This sets it there and everywhere it is copied: Cargo.lock (through
# cargo), ui/package.json and its lock, and adds the release to the AppStream metadata and CHANGELOG.md
# with the day's date. It runs in the current folder's checkout (`make` runs it at the top).
set -euo pipefail
version=${1:?usage: packaging/bump-version.sh X.Y.Z [YYYY-MM-DD]}
date=${2:-$(date -u +%F)}
die() { printf 'bump-version: %s\n' "$*" >&2; exit 1; }

[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "$version is not X.Y.Z"
[[ $date =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || die "$date is not YYYY-MM-DD"
metainfo=$(ls packaging/*.metainfo.xml)
for f in Cargo.toml Cargo.lock ui/package.json ui/package-lock.json CHANGELOG.md "$metainfo"; do
  [ -f "$f" ] || die "$f is missing: run this at the top of the checkout"
done
current=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
[ -n "$current" ] || die "no version in Cargo.toml's [workspace.package]"
[ "$current" != "$version" ] || die "the version is $version already"
grep -q "<release version=\"$version\"" "$metainfo" && die "$metainfo has a $version release already"
grep -q "^## $version " CHANGELOG.md && die "CHANGELOG.md has a $version entry already"

# Text edits, not a JSON/TOML rewrite: the files keep their layout and comments.
VERSION=$version DATE=$date METAINFO=$metainfo python3 - <<'EOF'
import os, re

version, date, metainfo = os.environ["VERSION"], os.environ["DATE"], os.environ["METAINFO"]

def edit(path, pattern, replacement, flags=0):
    text = open(path, encoding="utf-8").read()
    new, n = re.subn(pattern, replacement, text, count=1, flags=flags)
    if n != 1:
        raise SystemExit(f"bump-version: {path}: nothing matched {pattern!r}")
    open(path, "w", encoding="utf-8").write(new)

# The one version: [workspace.package]'s, not any dependency's.
edit("Cargo.toml", r'(\[workspace\.package\][^\[]*?\nversion = ")[^"]*(")', rf"\g<1>{version}\g<2>")
# The UI's package and its lock (top level and the root package entry), as `npm version` would.
edit("ui/package.json", r'(\n  "version": ")[^"]*(")', rf"\g<1>{version}\g<2>")
edit("ui/package-lock.json", r'(\n  "version": ")[^"]*(")', rf"\g<1>{version}\g<2>")
edit("ui/package-lock.json", r'(\n    "": \{[^}]*?\n      "version": ")[^"]*(")', rf"\g<1>{version}\g<2>")
# AppStream: newest release first.
edit(metainfo, r'(\n(\s*)<releases>\n)',
     rf'\g<1>\g<2>  <release version="{version}" date="{date}"/>\n')
# The changelog: a heading above the newest entry, to be filled in before tagging.
edit("CHANGELOG.md", r"(\n)(## )",
     rf"\g<1>## {version} - {date}\n\n- (what changed: write it before tagging v{version})\n\n\g<2>")
EOF

# Cargo.lock's copies of the workspace's own versions, nothing else (no network).
cargo update --workspace --offline --quiet
grep -A1 '^name = "phraseanet-desktop"$' Cargo.lock | grep -q "^version = \"$version\"" ||
  die "Cargo.lock did not take $version"

echo "Version $current -> $version ($date): Cargo.toml, Cargo.lock, ui/package.json, ui/package-lock.json,"
echo "$metainfo, CHANGELOG.md. Next: write the changelog entry, commit, then tag v$version and push the tag"
echo "(.github/workflows/release.yml builds every OS's packages into a draft release)."
