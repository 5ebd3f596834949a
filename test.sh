#!/usr/bin/env bash
# Runs every test restbox has, after installing whatever is missing (scripts/setup.sh):
#   1. the wasm build's suites under node (ctest --preset wasm),
#   2. the browser tests (Playwright + Debian's Chromium) when the page exists,
#   3. the sanitizer subset (tests/README.md, "Sanitizers") under ThreadSanitizer, building only
#      that subset's targets; any report fails the run,
#   4. the native suites (ctest --preset native),
#   5. one clang build with ASan + UBSan (preset fuzz): the sanitizer subset again, under ASan +
#      UBSan, and the libFuzzer harnesses, 20 s each on their corpus (tests/fuzz).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# Each section says when it starts and how long it took (CI's budget is read from these lines).
section() {
  if [ -n "${_section:-}" ]; then echo "== $_section: $((SECONDS - _since)) s"; fi
  _section=$1 _since=$SECONDS
  if [ -n "$1" ]; then echo "== $1"; fi
}

section "setup (scripts/setup.sh)"
./scripts/setup.sh
export NODE_PATH=/usr/share/nodejs  # Emscripten 3.1.6 needs it at -O2 and above
export CCACHE_DIR="${CCACHE_DIR:-$PWD/build/.ccache}"
# Build folders and clones share cache entries (the folder is not part of the key; -g1 line
# tables then name the folder that compiled first, which nothing reads).
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
# Paths under the parent folder are hashed relative to it, so clones and worktrees side by side
# share entries too.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$PWD")}"
JOBS="${JOBS:-$(nproc)}"
section "wasm build + tests under node"
cmake --preset wasm -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build --preset wasm -j "$JOBS"
ctest --preset wasm -j "$JOBS" --output-on-failure

if [ -x tests/e2e/run.sh ]; then
  section "browser tests (Playwright, Chromium)"
  tests/e2e/run.sh
fi

# Where races and memory errors live (core, transports, mock engine, webhooks, HTTP front): only
# those targets are built (--target sanitizer_subset), and only those tests run (their label).
# A report ends its test (TSan: halt_on_error=1 from the preset; ASan + UBSan: -fno-sanitize-recover).
section "sanitizer subset under ThreadSanitizer"
cmake --preset native-tsan -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build --preset native-tsan -j "$JOBS" --target sanitizer_subset
ctest --preset native-tsan -j "$JOBS"

section "native build + tests"
cmake --preset native -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build --preset native -j "$JOBS"
# The JS exports and README js blocks run against the npm package built above: missing is a failure.
RESTBOX_REQUIRE_NPM=1 ctest --preset native -j "$JOBS" --output-on-failure

# clang-tidy over the whole tree (.clang-tidy) takes about 25 CPU-minutes: on request only.
if [ "${RESTBOX_TIDY:-0}" = 1 ]; then
  section "clang-tidy (RESTBOX_TIDY=1)"
  tests/style/check_tidy.sh build/native
fi

# The sanitizer subset under ASan + UBSan and the fuzz harnesses share one instrumented build
# (clang 14; the build preset makes only the targets fuzz_harnesses and sanitizer_subset, the test
# preset runs the labels fuzz and sanitizer_subset): the libraries are compiled once for both.
section "sanitizer subset under AddressSanitizer + UBSan, fuzz harnesses (clang, 20 s each)"
cmake --preset fuzz -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build --preset fuzz -j "$JOBS"
ctest --preset fuzz -j "$JOBS" --output-on-failure
section ""
echo "== all tests passed in $SECONDS s"
