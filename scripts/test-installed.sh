#!/usr/bin/env bash
# The app as a user gets it: builds the .deb (release, once: cargo reuses target/release), installs it with
# dpkg and apt, starts the binary its desktop entry names under Xvfb, runs the end-to-end first-screen and
# demo sign-in scenarios against it, then removes the package and checks that nothing of it is left while
# the user's own data is. `make install-test` runs it; `make test` (CI) runs it last.
#   scripts/test-installed.sh          – builds the .deb first (scripts/package-linux.sh deb)
#   scripts/test-installed.sh FILE.deb – tests that package as it is (e.g. one from a release)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }
die() { printf 'test-installed: %s\n' "$*" >&2; exit 1; }
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
app_id=$(python3 -c 'import json; print(json.load(open("tauri.conf.json"))["identifier"])')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -n "${1:-}" ]; then
  deb=$(realpath "$1")
else
  step "Build the .deb (release)"
  start=$(date +%s)
  # The shipped profile unless told; CI builds with `release-ci` (Cargo.toml says why).
  deb=$(PACKAGE_PROFILE=${PACKAGE_PROFILE:-release} scripts/package-linux.sh deb | tail -1)
  echo "built $deb in $(( $(date +%s) - start )) s"
fi
package=$(dpkg-deb -f "$deb" Package)
version=$(dpkg-deb -f "$deb" Version)
cargo_version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
[ "$version" = "$cargo_version" ] || die "the package says $version, Cargo.toml $cargo_version"
dpkg-deb -f "$deb" Maintainer | grep -q '<.*@.*>' || die "the Maintainer field has no address"
dpkg-deb -f "$deb" Recommends | grep -q gstreamer1.0-libav || die "no GStreamer plugins recommended"

if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
  # This test ends by removing the package: never take away a copy a person installed on purpose.
  [ -n "${CI:-}" ] || [ -n "${INSTALL_TEST_REPLACE:-}" ] ||
    die "$package is installed here already: remove it first, or set INSTALL_TEST_REPLACE=1"
fi

step "Install it: dpkg -i, then apt-get -f install for its dependencies"
$sudo dpkg -i "$deb" || true # dpkg stops at missing dependencies; apt brings them and finishes.
$sudo env DEBIAN_FRONTEND=noninteractive apt-get -f install -y -q
dpkg-query -W -f='${Status}' "$package" | grep -q "install ok installed" || die "$package is not installed"
dpkg -L "$package" | sort >"$work/installed"

desktop=/usr/share/applications/$app_id.desktop
for f in "$desktop" "/usr/share/metainfo/$app_id.metainfo.xml" "/usr/share/doc/$package/copyright" \
  "/usr/share/doc/$package/changelog.gz" "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"; do
  grep -qxF "$f" "$work/installed" || die "the package does not install $f"
done
desktop-file-validate "$desktop"
appstreamcli validate --no-net "/usr/share/metainfo/$app_id.metainfo.xml"
grep -q "<release version=\"$version\"" "/usr/share/metainfo/$app_id.metainfo.xml" ||
  die "the AppStream metadata has no <release> for $version"

# What a launcher starts: the desktop entry's Exec, looked up on PATH as a launcher does.
exec_name=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop" | head -1)
binary=$(command -v "$exec_name") || die "Exec=$exec_name is not on PATH"
[ "$binary" = "/usr/bin/$exec_name" ] || die "Exec=$exec_name resolves to $binary, not /usr/bin"
grep -qxF "$binary" "$work/installed" || die "$binary is not the package's"

step "Start $binary as a launcher would (a fresh user: its own config, data and cache)"
user=$work/user
mkdir -p "$user/config" "$user/data" "$user/cache"
# The app runs until its window is mapped, then it is stopped (by its pid).
# WebKit's helper processes can outlive the app for a moment: each carries a marker, and all are ended
# before the user's data is read, so that nothing writes to it any more.
marker="phraseanet-install-test-$$"
ended_marked() {
  local pids=() p i
  for i in $(seq 1 50); do
    pids=()
    for p in /proc/[0-9]*; do
      tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qx "PHRASEANET_INSTALL_TEST=$marker" && pids+=("${p#/proc/}")
    done
    [ ${#pids[@]} -eq 0 ] && return 0
    if [ "$i" -lt 30 ]; then kill -TERM "${pids[@]}" 2>/dev/null || true; else kill -KILL "${pids[@]}" 2>/dev/null || true; fi
    sleep 0.1
  done
  die "processes of the app would not end: ${pids[*]}"
}
PHRASEANET_INSTALL_TEST=$marker APP="$binary" scripts/with-desktop-session.sh sh -c '
    XDG_CONFIG_HOME=$0/config XDG_DATA_HOME=$0/data XDG_CACHE_HOME=$0/cache "$APP" >"$0/app.out" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do
      xwininfo -root -tree 2>/dev/null | grep -q "\"Phraseanet Desktop\"" && break
      kill -0 "$pid" 2>/dev/null || { echo "the app exited:" >&2; cat "$0/app.out" >&2; exit 1; }
      sleep 0.1
    done
    xwininfo -root -tree | grep -q "\"Phraseanet Desktop\"" || { echo "no window in 30 s" >&2; kill "$pid"; exit 1; }
    sleep 1
    kill -TERM "$pid"; wait "$pid" || true' "$user"
ended_marked
rm -f "$user/app.out"
# A user's data, as the app leaves it: it must outlive the package.
mkdir -p "$user/config/phraseanet-desktop"
[ -f "$user/config/phraseanet-desktop/profiles.json" ] ||
  echo '{"version":1,"profiles":[]}' >"$user/config/phraseanet-desktop/profiles.json"
(cd "$user" && find . -type f -exec sha256sum {} + | sort) >"$work/user-before"
grep -q "/$app_id/logs/" "$work/user-before" || die "the app wrote nothing under $app_id"

step "The installed app in a real window: first screen, then the demo server's sign-in"
mkdir -p target/e2e-screenshots
PHRASEANET_DESKTOP_BIN=$binary scripts/with-desktop-session.sh cargo test -q --test e2e -- --ignored --exact \
  welcome::welcome_screen_round_trips_through_rust signin::the_built_in_demo_server_fills_the_form_and_signs_in

step "Remove it: dpkg -r leaves nothing of the package, and the user's data as it was"
$sudo dpkg -r "$package"
left=()
while read -r f; do
  if [ -d "$f" ]; then
    # A folder may stay when another package owns it too (/usr/share/icons/hicolor/...).
    dpkg -S "$f" >/dev/null 2>&1 || [ "$f" = /. ] || left+=("$f/")
  elif [ -e "$f" ] || [ -L "$f" ]; then
    left+=("$f")
  fi
done <"$work/installed"
[ ${#left[@]} -eq 0 ] || die "left behind after dpkg -r: ${left[*]}"
(cd "$user" && find . -type f -exec sha256sum {} + | sort) >"$work/user-after"
diff -u "$work/user-before" "$work/user-after" || die "removing the package changed the user's data"
echo "installed, ran, signed in and removed cleanly: $package $version"
