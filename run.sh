#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh), builds, and starts the restbox mock server in the
# foreground. Extra arguments go to restbox-mock (e.g. ./run.sh --port 9090 --state state.json).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./scripts/setup.sh
export CCACHE_DIR="${CCACHE_DIR:-$PWD/build/.ccache}"
cmake --preset native -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build --preset native -j "$(nproc)" --target restbox-mock
exec build/native/bin/restbox-mock "$@"
