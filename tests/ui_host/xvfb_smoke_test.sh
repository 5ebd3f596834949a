#!/usr/bin/env bash
# usage: xvfb_smoke_test.sh <restbox-console> <output dir>
# Runs the native console for 120 frames on a virtual X screen, takes a screenshot of that screen
# while it runs, and checks the dumped test state. Exit 77 = skipped (what is missing is printed).
set -euo pipefail
CONSOLE="$1"
OUT="$2"
mkdir -p "$OUT"
skip() { echo "SKIPPED: $*"; exit 77; }
command -v xvfb-run >/dev/null || skip "xvfb-run is not installed (Debian: xvfb; scripts/setup.sh installs it)"
command -v import >/dev/null || skip "ImageMagick's import is not installed (Debian: imagemagick)"
command -v jq >/dev/null || skip "jq is not installed"
# Xvfb can lose the race for a display number or start too slowly on a loaded machine (ctest -j):
# each try takes a random display number, and a display that cannot be opened is tried again.
# Only a missing OpenGL 3.2 is a skip; a display that never opens is a failure.
status=1
for attempt in 1 2 3; do
  rm -f "$OUT/state.json" "$OUT/console-xvfb.png" "$OUT/console.stderr"
  set +e
  xvfb-run -n $((100 + RANDOM % 800)) -a -s "-screen 0 1280x800x24" bash -c '
    console="$1"; out="$2"
    "$console" --frames 120 --dump-state --width 1280 --height 800 >"$out/state.json" 2>"$out/console.stderr" &
    pid=$!
    # Screenshot once the window is up and has drawn (60 fps cap: 120 frames = 2 s). The first
    # frame builds the font atlas (every CJK glyph), which takes seconds in a sanitizer build: a
    # blank screen is shot again while the console still runs, and judged below.
    for _ in $(seq 1 50); do
      if command -v xdotool >/dev/null; then xdotool search --name "restbox console" >/dev/null 2>&1 && break
      else break; fi
      sleep 0.1
    done
    sleep 1
    for _ in $(seq 1 40); do
      import -window root "$out/console-xvfb.png" 2>>"$out/console.stderr"
      [ "$(identify -format %k "$out/console-xvfb.png" 2>/dev/null || echo 0)" -ge 8 ] && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    wait "$pid"
  ' bash "$CONSOLE" "$OUT"
  status=$?
  set -e
  cat "$OUT/console.stderr" >&2 || true
  [ "$status" -eq 0 ] && break
  grep -qE "Failed to open display|no display" "$OUT/console.stderr" || break
  echo "note: try $attempt could not open the virtual display; trying again" >&2
  sleep 1
done
if [ "$status" -ne 0 ]; then
  if grep -qE "cannot open an OpenGL|GLX" "$OUT/console.stderr"; then
    skip "no usable OpenGL 3.2 under Xvfb (see the GLFW message above)"
  fi
  echo "FAIL: restbox-console exited with $status"
  exit 1
fi

fail() { echo "FAIL: $*"; exit 1; }
jq -e . "$OUT/state.json" >/dev/null || fail "--dump-state did not print JSON"
frames=$(jq '.host.frames' "$OUT/state.json")
[ "$frames" = 120 ] || fail "drew $frames frames, expected 120"
widgets=$(jq '.widgets | length' "$OUT/state.json")
[ "$widgets" -ge 5 ] || fail "only $widgets widgets on the hook"
for id in tabs/history tabs/environments tabs/mock tabs/contract top/reveal; do
  jq -e --arg id "$id" '.widgets | has($id)' "$OUT/state.json" >/dev/null || fail "widget $id was not drawn"
done
jq -e '.model.service | length > 0' "$OUT/state.json" >/dev/null || fail "no endpoint selected at start"
jq -e '.host.display == [1280, 800]' "$OUT/state.json" >/dev/null || fail "display size $(jq -c .host.display "$OUT/state.json")"
# Chinese text: CJK glyphs merged into the font (sandbox-ui/src/cjk_font.hpp), unless the font is
# not installed (Debian: fonts-droid-fallback), which the console survives.
cjk_glyphs=$(jq '.host.font.cjk_glyphs' "$OUT/state.json")
cjk_error=$(jq -r '.host.font.cjk_error' "$OUT/state.json")
if [[ "$cjk_error" == "cannot open "* ]]; then
  echo "note: no CJK font ($cjk_error): Chinese text shows as '?'"
else
  [ "$cjk_glyphs" -gt 0 ] || fail "no CJK glyphs in the font: $(jq -c .host.font "$OUT/state.json")"
fi
[ -s "$OUT/console-xvfb.png" ] || fail "no screenshot"
# A drawn console has many colours; a blank or black screen has one or two.
colours=$(identify -format '%k' "$OUT/console-xvfb.png")
[ "$colours" -ge 8 ] || fail "the screenshot has $colours colours: nothing was drawn"
echo "OK: $frames frames, $widgets widgets, $cjk_glyphs CJK glyphs, mean frame $(jq '.host.frame_ms.mean' "$OUT/state.json") ms," \
     "max $(jq '.host.frame_ms.max' "$OUT/state.json") ms; screenshot $OUT/console-xvfb.png ($colours colours)"
