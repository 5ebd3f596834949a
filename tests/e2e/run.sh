#!/usr/bin/env bash
# The console's browser tests: starts restbox-mock serving the built page (--static) beside the
# mocked APIs on a free port, runs tests/*.test.mjs with node's test runner (Playwright driving
# Debian's /usr/bin/chromium), stops the server. Exits non-zero when a test fails.
#
# Environment (defaults for ./test.sh, which builds the wasm preset first):
#   RESTBOX_WEB_DIR   the page's folder            (build/wasm/web)
#   RESTBOX_MOCK      the restbox-mock executable  (build/native/bin/restbox-mock, built if missing)
#   RESTBOX_E2E_OUT   screenshots, metrics, logs   (build/wasm/e2e)
#   CHROMIUM          the browser                  (/usr/bin/chromium)
#   RESTBOX_E2E_TESTS the test files to run         (tests/: all of them)
# Extra arguments go to node --test (e.g. --test-name-pattern=resize).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WEB="${RESTBOX_WEB_DIR:-$ROOT/build/wasm/web}"
OUT="${RESTBOX_E2E_OUT:-$ROOT/build/wasm/e2e}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"  # the tests run from tests/e2e

fail() { echo "tests/e2e: $*" >&2; exit 1; }

for f in index.html restbox-console.js restbox-console.wasm; do
  [ -f "$WEB/$f" ] || fail "$WEB/$f is missing: build the page first (cmake --preset wasm && cmake --build --preset wasm --target restbox_console_web)"
done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || fail "no Chromium at ${CHROMIUM:-/usr/bin/chromium} (scripts/setup.sh installs Debian's chromium)"
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --loglevel=error) || fail "npm install of playwright-core failed"
fi
if [ -z "${RESTBOX_MOCK:-}" ]; then
  RESTBOX_MOCK="$ROOT/build/native/bin/restbox-mock"
  if [ ! -x "$RESTBOX_MOCK" ]; then
    echo "tests/e2e: building restbox-mock (native preset)"
    launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)  # as ./test.sh configures it
    (cd "$ROOT" && cmake --preset native "${launcher[@]}" >/dev/null && cmake --build --preset native --target restbox-mock)
  fi
fi
[ -x "$RESTBOX_MOCK" ] || fail "no restbox-mock at $RESTBOX_MOCK"

LOG="$OUT/restbox-mock.log"
"$RESTBOX_MOCK" --static "$WEB" --port 0 --quiet >"$LOG" 2>&1 &
MOCK_PID=$!
cleanup() {
  kill "$MOCK_PID" 2>/dev/null || true
  wait "$MOCK_PID" 2>/dev/null || true
}
trap cleanup EXIT

URL=""
for _ in $(seq 1 100); do
  URL=$(sed -n 's/^restbox-mock listening on \(http:[^ ]*\).*/\1/p' "$LOG" | head -1)
  [ -n "$URL" ] && break
  kill -0 "$MOCK_PID" 2>/dev/null || { cat "$LOG" >&2; fail "restbox-mock exited before listening"; }
  sleep 0.1
done
[ -n "$URL" ] || { cat "$LOG" >&2; fail "restbox-mock did not print its address within 10 s"; }
echo "tests/e2e: page $URL/ (from $WEB), artefacts in $OUT"

cd "$HERE"
RESTBOX_URL="$URL/" RESTBOX_E2E_OUT="$OUT" node --test --test-concurrency=1 --test-timeout=600000 "$@" ${RESTBOX_E2E_TESTS:-tests/}
