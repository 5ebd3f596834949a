#!/usr/bin/env bash
# Durable state benchmark (issue 11 item 2; a benchmark, not a test): restbox-mock --state on
# SQLite with 100 and with 100,000 stored records of one API (chikage records, findhelper jobs or
# inventory templates; each create measured adds one more). For each size it measures
#   - write latency on one connection, mean and p50 (wrk -c1, creates, each committed before
#     its answer),
#   - p50/p99 and throughput at 16 connections (wrk -c16),
#   - RSS per stored record (VmRSS with N records minus VmRSS with the fixtures only, / N),
#     next to the size of a record's JSON,
#   - shutdown time (SIGTERM to exit).
# Usage: bench/state/run.sh [path/to/restbox-mock] [seconds per wrk run, default 5]
#                           [chikage|findhelper|inventory, default chikage]
set -euo pipefail
BIN=${1:-build/native/bin/restbox-mock}
SECS=${2:-5}
SERVICE=${3:-chikage}
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/setup.sh installs it)"; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PORT=$((20000 + RANDOM % 20000))
# The fixtures' world (inventory's demo keys depend on the seed, and its accounts must stay).
"$BIN" --export-state "$WORK/base.json" >/dev/null

# The create that is measured: path, headers and body, per API.
case "$SERVICE" in
  chikage)
    CREATE=/api/v1/data/orders
    HEADERS=("Authorization: Bearer tm_test_demo4d2f8a9c0b1e7f3a")
    BODY='{"order_id":"BENCH-0001","amount":45000,"paid":true}' ;;
  findhelper)
    CREATE=/api/jobs
    HEADERS=("X-API-Key: fh_key_demo_3f9a1c7e52b8" "X-API-Secret: fh_secret_demo_8b2e6d4f1a9c7305")
    BODY='{"title":"bench","jobType":"general","city":"Taipei"}' ;;
  inventory)
    CREATE=/apiV1/templates
    KEY=$(python3 -c 'import json, sys
print(next(k["value"] for k in json.load(open(sys.argv[1]))["inventory"]["keys"] if k["slot"] == "api_key"))' "$WORK/base.json")
    HEADERS=("Authorization: Bearer $KEY")
    BODY='{"title":"bench","content":"c","imageUrl":"https://example.com/x.png"}' ;;
  *) echo "unknown service '$SERVICE' (chikage, findhelper or inventory)"; exit 1 ;;
esac
{
  echo 'wrk.method = "POST"'
  echo 'wrk.headers["Content-Type"] = "application/json"'
  for h in "${HEADERS[@]}"; do echo "wrk.headers[\"${h%%: *}\"] = \"${h#*: }\""; done
  echo "wrk.body = '$BODY'"
} > "$WORK/post.lua"

# A world with N records (what --import-state reads), so the store starts at that size. Prints
# the size of one record's JSON.
make_world() {
  python3 - "$SERVICE" "$1" "$WORK/base.json" "$2" <<'PY'
import json, sys
service, n, base, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
world = json.load(open(base))
if service == "chikage":
    records = [{"id": "rec_b%011d" % i, "data": {"order_id": "ORD-%06d" % i, "amount": i, "paid": True},
                "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}
               for i in range(n)]
    world["chikage"]["sandbox"] = {"orders": records}
elif service == "findhelper":
    records = [{"id": 10000 + i, "title": "job %d" % i, "jobType": "general", "city": "Taipei",
                "status": "published", "createdAt": "2026-01-01T00:00:00.000Z",
                "account": "acct_demo"} for i in range(n)]
    world["findhelper"]["jobs"] = records
else:
    first = world["inventory"]["templates"][0]
    records = [dict(first, token="tpl_bench%017d" % i, title="t %d" % i) for i in range(n)]
    world["inventory"]["templates"] = records
json.dump(world, open(path, "w"))
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

echo "$SERVICE"
printf "%-9s %-18s %-14s %-14s %-12s %-14s %-12s\n" records "c1 mean/p50" "c16 p50(ms)" "c16 p99(ms)" "c16 req/s" "RSS/record(B)" "shutdown(ms)"
for N in 100 100000; do
  REC_JSON=$(make_world "$N" "$WORK/world-$N.json")
  rm -f "$WORK/s-$N.db"*
  start "$WORK/s-$N.db" --import-state "$WORK/world-$N.json"
  stop_timed >/dev/null
  start "$WORK/s-$N.db"  # a plain restart: the records come from SQLite
  if [ "$SERVICE" = chikage ]; then  # one record read back
    curl -s -H "${HEADERS[0]}" "http://127.0.0.1:$PORT$CREATE/rec_b00000000000" >/dev/null
  fi
  RSS=$(rss_kb "$PID")
  OUT1=$(wrk -t1 -c1 -d"${SECS}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$PORT$CREATE")
  C1="$(echo "$OUT1" | awk '/^    Latency/ {print $2}')/$(echo "$OUT1" | awk '$1=="50%" {print $2}')"
  OUT16=$(wrk -t2 -c16 -d"${SECS}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$PORT$CREATE")
  P50=$(echo "$OUT16" | awk '$1=="50%" {print $2}')
  P99=$(echo "$OUT16" | awk '$1=="99%" {print $2}')
  RPS=$(echo "$OUT16" | awk '/Requests\/sec/ {print $2}')
  PER=$(( (RSS - BASE_RSS) * 1024 / N ))
  SHUT=$(stop_timed)
  printf "%-9s %-18s %-14s %-14s %-12s %-14s %-12s\n" "$N" "$C1" "$P50" "$P99" "$RPS" "$PER (json $REC_JSON)" "$SHUT"
done
