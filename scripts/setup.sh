#!/usr/bin/env bash
# Installs everything restbox needs on a fresh Debian 12 machine, idempotently: Debian packages,
# the Dear ImGui 1.86 sources (for the wasm console), and the npm test tooling (Playwright, TypeScript).
# Nothing third-party is downloaded from anywhere else, and nothing is committed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates curl jq dpkg-dev
  # One C++ style (.clang-format, checked by tests/style) and the lint rules (.clang-tidy).
  clang-format clang-tidy
  # libFuzzer targets (tests/fuzz): clang 14 with its sanitizer and fuzzer runtimes.
  clang-14 libclang-rt-14-dev libfuzzer-14-dev
  nlohmann-json3-dev libgtest-dev libgmock-dev googletest libbenchmark-dev
  libcurl4-openssl-dev libcpp-httplib-dev libssl-dev libsqlite3-dev
  # zlib: restbox-mock gzips large admin answers.
  zlib1g-dev
  emscripten
  libimgui-dev libglfw3-dev libstb-dev libgl-dev
  chromium xvfb xauth imagemagick xdotool
  # The console's CJK font: read at run time natively; subset by pyftsubset (fonttools) into the
  # browser build, with the Unihan Traditional variants (unicode-data). See sandbox-ui/fonts/.
  fonts-droid-fallback fonttools python3-fonttools unicode-data
  wrk nginx-light
  # xmllint: restbox-check's JUnit report is validated against tests/check/junit.xsd.
  libxml2-utils
)
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Dear ImGui sources (Debian's libimgui-dev has headers and an x86_64 library only; the browser
# build compiles the sources with em++). From Debian's source package, into third_party/ (ignored).
IMGUI_DIR="$ROOT/third_party/imgui"
if [ ! -f "$IMGUI_DIR/imgui.cpp" ]; then
  echo "setup: fetching the Dear ImGui 1.86 sources (Debian source package)"
  if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    uri=$(grep -h -m1 '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | awk '{print $2}')
    uri=${uri:-http://deb.debian.org/debian}
    printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" |
      $SUDO tee /etc/apt/sources.list.d/restbox-deb-src.sources >/dev/null
    $SUDO apt-get update -qq
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source -qq --download-only imgui >/dev/null 2>&1 || apt-get source --download-only imgui)
  orig=$(ls "$tmp"/imgui_*.orig.tar.* | head -1)
  mkdir -p "$IMGUI_DIR"
  tar -xf "$orig" -C "$IMGUI_DIR" --strip-components=1
  rm -rf "$tmp"
fi

# Browser-test tooling from npm (playwright-core drives Debian's /usr/bin/chromium; it never
# downloads a browser).
if [ -f "$ROOT/tests/e2e/package.json" ] && [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
  echo "setup: installing npm test tooling (tests/e2e)"
  (cd "$ROOT/tests/e2e" && npm install --no-audit --no-fund --loglevel=error)
fi
# TypeScript for the type checks of the npm package's generated declarations (tests/wasm: ctest
# wasm_js_types_*).
if [ -f "$ROOT/tests/wasm/package.json" ] && [ ! -x "$ROOT/tests/wasm/node_modules/.bin/tsc" ]; then
  echo "setup: installing npm test tooling (tests/wasm: typescript)"
  (cd "$ROOT/tests/wasm" && npm install --no-audit --no-fund --loglevel=error)
fi
echo "setup: all dependencies present"
