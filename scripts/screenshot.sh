#!/usr/bin/env bash
# scripts/screenshot.sh APP OUT.png [SECONDS] – runs APP under a virtual display and saves its window.
set -euo pipefail
app=$1 out=$2 settle=${3:-2}
mkdir -p "$(dirname "$out")"
export OUT_ABS; OUT_ABS=$(realpath -m "$out")
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- sh -c '
  "$0" >/tmp/phraseanet-screenshot.log 2>&1 & app=$!
  for _ in $(seq 150); do
    wid=$(xwininfo -root -tree 2>/dev/null | awk "/\"Phraseanet Desktop\"/ {print \$1; exit}")
    [ -n "$wid" ] && break; sleep 0.1
  done
  [ -n "$wid" ] || { echo "the window never appeared" >&2; cat /tmp/phraseanet-screenshot.log >&2; kill $app; exit 1; }
  sleep "$1"
  import -window "$wid" "$OUT_ABS"
  kill $app' "$app" "$settle"
echo "saved $out"
