# Shell helpers shared by bench/http/run.sh, bench/http/soak.sh and tests/http/openapi_prism_check.sh
# (sourced, not run): restbox-mock on a free port, a free port for a peer server, cleanup on exit.
# Set RESTBOX_MOCK (the binary) before sourcing; default the release build
# (cmake --preset native-release && cmake --build --preset native-release), else build/native
# (-O1: slower, for a quick look only).

RESTBOX_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ -z "${RESTBOX_MOCK:-}" ] && [ -x "$RESTBOX_ROOT/build/native-release/bin/restbox-mock" ]; then
  RESTBOX_MOCK="$RESTBOX_ROOT/build/native-release/bin/restbox-mock"
fi
MOCK="${RESTBOX_MOCK:-$RESTBOX_ROOT/build/native/bin/restbox-mock}"

WORK="$(mktemp -d)"
chmod 755 "$WORK"  # nginx workers (user nobody when started as root) read files below it
MOCK_PID=""
PEER_PID=""        # a server the caller started (Prism...), stopped at exit too
NGINX_PID_FILE="$WORK/nginx.pid"
cleanup() {
  for pid in "$PEER_PID" "$MOCK_PID"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  if [ -f "$NGINX_PID_FILE" ]; then kill "$(cat "$NGINX_PID_FILE")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# require TOOL...: exits with a message when one is missing.
require() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "'$tool' is missing (scripts/setup.sh installs it)" >&2; exit 1; }
  done
}

# start_mock ARGS...: starts restbox-mock on a free port; sets MOCK_URL and MOCK_PID.
start_mock() {
  [ -x "$MOCK" ] || { echo "$MOCK is not built (cmake --build --preset native --target restbox-mock)" >&2; exit 1; }
  "$MOCK" --port 0 "$@" >"$WORK/mock.out" 2>"$WORK/mock.err" &
  MOCK_PID=$!
  MOCK_URL=""
  for _ in $(seq 1 100); do
    MOCK_URL="$(grep -o -m1 'http://[0-9.]*:[0-9]*' "$WORK/mock.out" 2>/dev/null || true)"
    [ -n "$MOCK_URL" ] && break
    kill -0 "$MOCK_PID" 2>/dev/null || { cat "$WORK/mock.err" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$MOCK_URL" ] || { echo "restbox-mock did not start" >&2; exit 1; }
}

# A TCP port nobody listens on.
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port" >&2; exit 1
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# CPU time (user + system, all threads) of the given processes, in microseconds.
cpu_us() {
  local hz total=0 pid
  hz="$(getconf CLK_TCK)"
  for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo $((total * 1000000 / hz))
}

# wrk prints latencies as 850.00us, 1.20ms or 1.05s: convert to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else print "nan" }'
}
