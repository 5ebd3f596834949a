#!/usr/bin/env bash
# Durable state benchmark for wncms (issue 11 item 2; a benchmark, not a test): restbox-mock
# --state with 100 and with 100,000 stored posts. For each size: the latency of posts.store on
# one connection (wrk -c1; each create gets a generated slug and is committed before its answer),
# and RSS per stored post (VmRSS with N posts minus VmRSS with the fixtures, / N).
# Usage: bench/state/wncms.sh [path/to/restbox-mock] [seconds per wrk run, default 5]
set -euo pipefail
BIN=${1:-build/native/bin/restbox-mock}
SECS=${2:-5}
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/setup.sh installs it)"; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PORT=$((20000 + RANDOM % 20000))
TOKEN=wncms_demo_7f3a9c2e5b1d4f60a8e2c4b6

cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"api_token":"$TOKEN","title":"Bench post","content":"<p>bench</p>"}'
LUA

# shellcheck source=bench/state/lib.sh
. "$(dirname "$0")/lib.sh"

stop() { kill -TERM "$PID"; wait "$PID" || true; }

# The fixtures' world, with posts added up to N (what --import-state reads).
"$BIN" --export-state "$WORK/fixtures.json" >/dev/null 2>&1
make_world() {
  python3 - "$1" "$WORK/fixtures.json" "$2" <<'PY'
import json, sys
n, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
world = json.load(open(src))
posts = world["wncms"]["posts"]
model = dict(posts[0], translations={})
for i in range(n - len(posts)):
    posts.append(dict(model, id=1000 + i, slug="bench-%07d" % i, title="Stored post %d" % i))
json.dump(world, open(dst, "w"))
print(len(json.dumps(model)))
PY
}

start "$WORK/base.db"
BASE_RSS=$(rss_kb "$PID")
stop

printf "%-9s %-14s %-14s %-14s %-12s %-14s\n" posts "c1 mean" "c1 p50" "c1 p99" "req/s" "RSS/post(B)"
for N in 100 100000; do
  POST_JSON=$(make_world "$N" "$WORK/world-$N.json")
  start "$WORK/s-$N.db" --import-state "$WORK/world-$N.json"
  stop
  start "$WORK/s-$N.db"  # a plain restart: the posts come from SQLite
  RSS=$(rss_kb "$PID")
  OUT=$(wrk -t1 -c1 -d"${SECS}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$PORT/api/v1/posts/store")
  if echo "$OUT" | grep -q "Non-2xx"; then echo "posts.store did not answer 200:"; echo "$OUT"; exit 1; fi
  MEAN=$(echo "$OUT" | awk '/^    Latency/ {print $2}')
  P50=$(echo "$OUT" | awk '$1=="50%" {print $2}')
  P99=$(echo "$OUT" | awk '$1=="99%" {print $2}')
  RPS=$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')
  PER=$(( (RSS - BASE_RSS) * 1024 / N ))
  stop
  printf "%-9s %-14s %-14s %-14s %-12s %-14s\n" "$N" "$MEAN" "$P50" "$P99" "$RPS" "$PER (json $POST_JSON)"
done
