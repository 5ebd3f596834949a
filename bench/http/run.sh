#!/usr/bin/env bash
# HTTP benchmark (not a test): restbox-mock (--no-limits) against nginx serving the same JSON body
# as a static file, with wrk, in one run. Prints both throughputs, p50/p99 latency, the ratio and
# the targets: restbox-mock >= 50% of nginx's requests/s, p99 < 5 ms at 64 connections, and no
# non-2xx answer.
#
#   bench/http/run.sh                      # build/native-release/bin/restbox-mock (else build/native)
#   DURATION=30s CONNECTIONS=128 bench/http/run.sh
#   RESTBOX_MOCK=build/h-x/bin/restbox-mock bench/http/run.sh
#
# The request is a cheap documented GET: chikage's demo record with the test key, both read from
# /__restbox/fixtures.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
require wrk curl jq nginx

start_mock --no-limits --quiet
fixtures="$(curl -sf "$MOCK_URL/__restbox/fixtures")"
key="$(jq -r .chikage.test_key <<<"$fixtures")"
path="/api/v1/data/$(jq -r .chikage.slug <<<"$fixtures")/$(jq -r .chikage.test_record_id <<<"$fixtures")"

# nginx: same body, same path, on its own loopback port, everything under $WORK.
mkdir -p "$WORK/www$(dirname "$path")" "$WORK/tmp"
curl -sf -H "Authorization: Bearer $key" "$MOCK_URL$path" >"$WORK/www$path"
chmod -R a+rX "$WORK/www"
nginx_port="$(free_port)"
cat >"$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $NGINX_PID_FILE;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  types { }
  default_type application/json;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/tmp/body;
  proxy_temp_path $WORK/tmp/proxy;
  fastcgi_temp_path $WORK/tmp/fastcgi;
  uwsgi_temp_path $WORK/tmp/uwsgi;
  scgi_temp_path $WORK/tmp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $WORK/www;
  }
}
CONF
nginx -e "$WORK/nginx-error.log" -p "$WORK" -c "$WORK/nginx.conf"
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$nginx_port$path" >/dev/null && break; sleep 0.1; done

# run NAME URL PID...: one wrk run (after a 1 s warm-up); fills RPS_, P50_, P99_, BAD_ and CPU_
# (server CPU microseconds per request: the figure that a busy machine disturbs least).
run() {
  local name="$1" url="$2" out cpu0 cpu1 requests
  shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d1s -H "Authorization: Bearer $key" "$url" >/dev/null
  cpu0="$(cpu_us "$@")"
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $key" "$url")"
  cpu1="$(cpu_us "$@")"
  echo "$out" >"$WORK/wrk-$name.txt"
  requests="$(awk '/requests in/ {print $1}' <<<"$out")"
  printf -v "CPU_$name" '%s' "$(awk -v c=$((cpu1 - cpu0)) -v n="$requests" 'BEGIN { printf "%.1f", c / n }')"
  printf -v "RPS_$name" '%s' "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
  printf -v "P50_$name" '%s' "$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")"
  printf -v "P99_$name" '%s' "$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
  local bad errors
  bad="$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")"
  errors="$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")"
  printf -v "BAD_$name" '%s' "$(( ${bad:-0} + ${errors:-0} ))"
}

echo "GET $path  (wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
nginx_workers="$(pgrep -P "$(cat "$NGINX_PID_FILE")" | tr '\n' ' ')"
run mock "$MOCK_URL$path" "$MOCK_PID"
# shellcheck disable=SC2086  # one argument per worker
run nginx "http://127.0.0.1:$nginx_port$path" $nginx_workers

printf '%-14s %12s %10s %10s %14s %12s\n' server "requests/s" "p50 ms" "p99 ms" "non-2xx/errors" "CPU us/req"
printf '%-14s %12s %10s %10s %14s %12s\n' restbox-mock "$RPS_mock" "$P50_mock" "$P99_mock" "$BAD_mock" "$CPU_mock"
printf '%-14s %12s %10s %10s %14s %12s\n' nginx "$RPS_nginx" "$P50_nginx" "$P99_nginx" "$BAD_nginx" "$CPU_nginx"
ratio="$(awk -v a="$RPS_mock" -v b="$RPS_nginx" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio restbox-mock / nginx: $ratio"
verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "MISSED"; fi; }
echo "target throughput >= 0.5 x nginx: $(verdict "$(awk -v r="$ratio" 'BEGIN { print (r >= 0.5) }')")"
echo "target p99 < 5 ms:                $(verdict "$(awk -v p="$P99_mock" 'BEGIN { print (p < 5) }')")"
echo "target no non-2xx/socket errors:  $(verdict "$([ "$BAD_mock" = 0 ] && echo 1 || echo 0)")"
echo "(on a machine busy with other work the throughputs swing widely; CPU us/req stays comparable)"
