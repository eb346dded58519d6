#!/usr/bin/env bash
# Runs a command inside a throwaway desktop session: an X server (Xvfb), a private D-Bus session and an
# unlocked gnome-keyring, so real windows and the real Secret Service work on a headless machine.
# Xvfb, a private D-Bus session and an unlocked gnome-keyring, each waited for before the tests start.
set -euo pipefail
session_dir=$(mktemp -d)
trap 'rm -rf "$session_dir"' EXIT
# The keyring's files go to a fresh data dir; HOME stays put (cargo and rustup live there).
export XDG_DATA_HOME="$session_dir/data" XDG_CONFIG_HOME="$session_dir/config" XDG_CACHE_HOME="$session_dir/cache"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
export PHRASEANET_KEYRING_TESTS=1
# gnome-keyring needs a non-empty password, or the login collection is never created.
inner='printf "session-only-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"'
exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- sh -c "$inner" sh "$@"
