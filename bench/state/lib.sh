# Shared by the durable state benchmarks (sourced; needs BIN, PORT and WORK set).

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

start() {  # start DB [extra args...]; sets PID
  "$BIN" --quiet --no-limits --port "$PORT" --state "$@" >"$WORK/out.txt" 2>&1 &
  PID=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$PORT/__restbox/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "restbox-mock did not start:"; cat "$WORK/out.txt"; exit 1
}
