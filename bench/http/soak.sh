#!/usr/bin/env bash
# Soak (not a test): restbox-mock (--no-limits) under wrk at 64 connections for DURATION (default
# 60 s), 1 create for every 9 reads (soak.lua). Then checks:
#   - no write lost: the records in /__restbox/state = the fixture record + the creates answered
#     202 (plus at most one per connection for creates whose answer wrk never read at the end);
#   - memory: RSS before/after the mix (growth = the stored records, reported per record), then a
#     read-only run of READ_DURATION (default 20 s) whose RSS must stay flat (< 2 MiB growth).
#   DURATION=10s READ_DURATION=5s bench/http/soak.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DURATION="${DURATION:-60s}"
READ_DURATION="${READ_DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-64}"
require wrk curl jq

start_mock --no-limits --quiet
fixtures="$(curl -sf "$MOCK_URL/__restbox/fixtures")"
export RESTBOX_KEY="$(jq -r .chikage.test_key <<<"$fixtures")"
export RESTBOX_SLUG="$(jq -r .chikage.slug <<<"$fixtures")"
export RESTBOX_RECORD="$(jq -r .chikage.test_record_id <<<"$fixtures")"
records() {
  curl -sf -X POST "$MOCK_URL/__restbox/clock/advance" -d '{"ms":0}' >/dev/null  # apply queued writes
  curl -sf "$MOCK_URL/__restbox/state" | jq --arg s "$RESTBOX_SLUG" '.chikage.sandbox[$s] | length'
}
before_records="$(records)"
rss0="$(rss_kb "$MOCK_PID")"

echo "mix: wrk -t2 -c$CONNECTIONS -d$DURATION (1 POST create : 9 GET), RSS before ${rss0} KiB"
out="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$(dirname "${BASH_SOURCE[0]}")/soak.lua" "$MOCK_URL")"
echo "$out" | grep -E "Requests/sec|Latency  |99%|Socket errors|RESULT" || true
rss1="$(rss_kb "$MOCK_PID")"
created="$(sed -n 's/.*RESULT created=\([0-9]*\).*/\1/p' <<<"$out")"
other="$(sed -n 's/.*other=\([0-9]*\).*/\1/p' <<<"$out")"
after_records="$(records)"
stored=$((after_records - before_records))
echo "creates answered 202: $created; records stored: $stored; other statuses: $other"
lost=$((created - stored))
unread=$((stored - created))
if [ "$lost" -gt 0 ]; then
  echo "WRITES LOST: $lost"
  verdict=1
elif [ "$unread" -gt "$CONNECTIONS" ]; then
  echo "UNEXPLAINED RECORDS: $unread more than the 202s (at most $CONNECTIONS answers can be unread at the end)"
  verdict=1
else
  echo "no write lost ($unread stored creates whose 202 wrk did not read before it stopped)"
  verdict=0
fi
growth=$((rss1 - rss0))
echo "RSS after the mix: ${rss1} KiB (+${growth} KiB, $(awk -v g="$growth" -v n="$stored" 'BEGIN { if (n > 0) printf "%.0f", g * 1024 / n; else print "n/a" }') bytes per stored record)"

rss2="$(rss_kb "$MOCK_PID")"
wrk -t2 -c"$CONNECTIONS" -d"$READ_DURATION" -H "Authorization: Bearer $RESTBOX_KEY" \
  "$MOCK_URL/api/v1/data/$RESTBOX_SLUG/$RESTBOX_RECORD" | grep -E "Requests/sec|Non-2xx" || true
rss3="$(rss_kb "$MOCK_PID")"
echo "read-only run: RSS ${rss2} -> ${rss3} KiB ($((rss3 - rss2)) KiB)"
if [ $((rss3 - rss2)) -gt 2048 ]; then echo "MEMORY GROWS without writes"; verdict=1; else echo "memory flat without writes"; fi
exit "$verdict"
