#!/usr/bin/env bash
# Durable state benchmark (issue 11 item 2; a benchmark, not a test): restbox-mock --state on
# SQLite with 100 and with 100,000 stored chikage records. For each size it measures
#   - write latency on one connection (wrk -c1, creates answered 202, each committed first),
#   - p50/p99 and throughput at 16 connections (wrk -c16),
#   - RSS per stored record (VmRSS with N records minus VmRSS with the fixtures only, / N),
#     next to the size of a record's JSON,
#   - shutdown time (SIGTERM to exit).
# Usage: bench/state/run.sh [path/to/restbox-mock] [seconds per wrk run, default 5]
set -euo pipefail
BIN=${1:-build/native/bin/restbox-mock}
SECS=${2:-5}
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/setup.sh installs it)"; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PORT=$((20000 + RANDOM % 20000))
KEY=tm_test_demo4d2f8a9c0b1e7f3a

cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer tm_test_demo4d2f8a9c0b1e7f3a"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"order_id":"BENCH-0001","amount":45000,"paid":true}'
LUA

# A world with N records (what --import-state reads), so the store starts at that size.
make_world() {
  python3 - "$1" "$2" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
records = [{"id": "rec_b%011d" % i, "data": {"order_id": "ORD-%06d" % i, "amount": i, "paid": True},
            "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"} for i in range(n)]
json.dump({"chikage": {"sandbox": {"orders": records}}}, open(path, "w"))
print(len(json.dumps(records[0])) if records else 0)
PY
}

# shellcheck source=bench/state/lib.sh
. "$(dirname "$0")/lib.sh"

stop_timed() {
  local t0 t1
  t0=$(date +%s%N)
  kill -TERM "$PID"
  wait "$PID" || true
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

# Baseline RSS: the fixtures only.
start "$WORK/base.db"
BASE_RSS=$(rss_kb "$PID")
stop_timed >/dev/null

printf "%-9s %-14s %-14s %-14s %-12s %-14s %-12s\n" records "c1 mean(ms)" "c16 p50(ms)" "c16 p99(ms)" "c16 req/s" "RSS/record(B)" "shutdown(ms)"
for N in 100 100000; do
  REC_JSON=$(make_world "$N" "$WORK/world-$N.json")
  rm -f "$WORK/s-$N.db"*
  start "$WORK/s-$N.db" --import-state "$WORK/world-$N.json"
  stop_timed >/dev/null
  start "$WORK/s-$N.db"  # a plain restart: the records come from SQLite
  curl -s -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/api/v1/data/orders/rec_b00000000000" >/dev/null
  RSS=$(rss_kb "$PID")
  C1=$(wrk -t1 -c1 -d"${SECS}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$PORT/api/v1/data/orders" | awk '/^    Latency/ {print $2}')
  OUT16=$(wrk -t2 -c16 -d"${SECS}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$PORT/api/v1/data/orders")
  P50=$(echo "$OUT16" | awk '$1=="50%" {print $2}')
  P99=$(echo "$OUT16" | awk '$1=="99%" {print $2}')
  RPS=$(echo "$OUT16" | awk '/Requests\/sec/ {print $2}')
  PER=$(( (RSS - BASE_RSS) * 1024 / N ))
  SHUT=$(stop_timed)
  printf "%-9s %-14s %-14s %-14s %-12s %-14s %-12s\n" "$N" "$C1" "$P50" "$P99" "$RPS" "$PER (json $REC_JSON)" "$SHUT"
done
