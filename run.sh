#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh), builds restbox-mock (native) and the browser console
# (wasm preset: build/wasm/web), then starts restbox-mock in the foreground serving the mocked APIs
# and the console page on one port: open the printed URL (http://127.0.0.1:8080/ by default).
# Extra arguments go to restbox-mock (e.g. ./run.sh --port 9090 --state state.json).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./scripts/setup.sh
export NODE_PATH=/usr/share/nodejs  # Emscripten 3.1.6 needs it at -O2 and above
export CCACHE_DIR="${CCACHE_DIR:-$PWD/build/.ccache}"
# Build folders and clones share cache entries (the folder is not part of the key; -g1 line
# tables then name the folder that compiled first, which nothing reads).
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
JOBS="${JOBS:-$(nproc)}"

echo "== building restbox-mock (native)"
cmake --preset native -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build --preset native -j "$JOBS" --target restbox-mock
echo "== building the console page (wasm)"
cmake --preset wasm -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build --preset wasm -j "$JOBS" --target restbox_console_web

# The address restbox-mock will use, for the line below (its own banner repeats it exactly).
host=127.0.0.1
port=8080
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --port) port="${args[i + 1]:-$port}" ;;
    --port=*) port="${args[i]#--port=}" ;;
    --host) host="${args[i + 1]:-$host}" ;;
    --host=*) host="${args[i]#--host=}" ;;
  esac
done
case "$host" in 0.0.0.0 | "::") host=127.0.0.1 ;; *:*) host="[$host]" ;; esac
echo
echo "  ┌────────────────────────────────────────────────────────────┐"
if [ "$port" = 0 ]; then
  printf "  │  restbox console: %-41s│\n" "see the URL restbox-mock prints below"
else
  printf "  │  restbox console: %-41s│\n" "http://$host:$port/"
fi
echo "  └────────────────────────────────────────────────────────────┘"
echo
exec build/native/bin/restbox-mock --static build/wasm/web "$@"
