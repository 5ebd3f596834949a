#!/usr/bin/env bash
# Checks that restbox-mock's OpenAPI export is usable by a third-party tool: for every service,
# Prism (npm @stoplight/prism-cli) must start a mock from /__restbox/openapi/<service>.json, answer
# a request built from the document's own examples with the operation's first documented 2xx, and
# refuse the same request without credentials where the operation requires them.
#
#   tests/http/openapi_prism_check.sh [path/to/restbox-mock]
#
# Prism is found as $PRISM or `prism` on PATH. Without it the check is skipped (exit 77):
#   npm install --prefix /tmp/prism @stoplight/prism-cli && PRISM=/tmp/prism/node_modules/.bin/prism ...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MOCK="${1:-$ROOT/build/native/bin/restbox-mock}"
PRISM="${PRISM:-$(command -v prism || true)}"
if [ -z "$PRISM" ] || [ ! -x "$PRISM" ]; then
  echo "SKIPPED: Prism is not installed (set PRISM=/path/to/prism; npm install @stoplight/prism-cli)"
  exit 77
fi
for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool is missing"; exit 77; }
done

RESTBOX_MOCK="$MOCK"
source "$ROOT/bench/http/common.sh"
start_mock --quiet

# One request per operation, as JSON lines: {method, path, query, headers, body, ok, secured}.
# Values come from the document: example, then default, then enum, then a value of the type.
read -r -d '' REQUESTS_JQ <<'JQ' || true
def value:
  if .example != null then .example
  elif .default != null then .default
  elif (.enum // []) | length > 0 then .enum[0]
  elif .type == "integer" or .type == "number" then (.minimum // 1)
  elif .type == "boolean" then true
  elif .type == "array" then [range(.minItems // 0) | (.items // {} | value)]
  elif .type == "object" then
    ((.properties // {}) as $p | reduce ((.required // [])[]) as $r ({}; .[$r] = ($p[$r] // {} | value)))
  elif .format == "email" then "restbox@example.com"
  elif .format == "uri" then "https://example.com/"
  elif .format == "date-time" then "2026-01-01T00:00:00Z"
  else ("x" * ((.minLength // 1) | if . < 1 then 1 else . end)) end;
.components.securitySchemes as $schemes
| .paths | to_entries[] | .key as $path | .value | to_entries[] | .key as $method | .value as $op
| ($op.parameters // []) as $params
| {
    method: ($method | ascii_upcase),
    path: (reduce ($params[] | select(.in == "path")) as $p ($path;
             sub("\\{" + $p.name + "\\}"; ($p.schema // {} | value | tostring | @uri)))),
    query: ([$params[] | select(.in == "query" and .required) | "\(.name)=\(.schema // {} | value | tostring | @uri)"] | join("&")),
    headers: ([$params[] | select(.in == "header" and .required) | "\(.name): \(.schema // {} | value | tostring)"]),
    auth: ([($op.security // [])[0] // {} | keys[] | $schemes[.] |
            if .type == "http" then "Authorization: Bearer restbox-prism-check" else "\(.name): restbox-prism-check" end]),
    secured: ((($op.security // []) | length) > 0 and ((($op.security // []) | map(select(length == 0)) | length) == 0)),
    body: ($op.requestBody.content["application/json"] // null | if . == null then null
           elif .example != null then .example
           elif .examples != null then (.examples | to_entries[0].value.value)
           else (.schema // {} | value) end),
    ok: ([$op.responses | keys[] | select(test("^2")) | tonumber] | min)
  }
| @json
JQ

status=0
checked=0
for service in $(curl -sf "$MOCK_URL/__restbox/health" | jq -r '.services[]'); do
  doc="$WORK/$service.json"
  curl -sf "$MOCK_URL/__restbox/openapi/$service.json" >"$doc"
  port="$(free_port)"
  "$PRISM" mock -h 127.0.0.1 -p "$port" "$doc" >"$WORK/prism-$service.log" 2>&1 &
  PEER_PID=$!
  up=""
  for _ in $(seq 1 240); do
    if grep -q "Prism is listening" "$WORK/prism-$service.log"; then up=1; break; fi
    kill -0 "$PEER_PID" 2>/dev/null || break
    sleep 0.25
  done
  if [ -z "$up" ]; then
    echo "FAIL $service: prism could not serve the document"; cat "$WORK/prism-$service.log"; status=1
    PEER_PID=""; continue
  fi
  while read -r request; do
    method="$(jq -r .method <<<"$request")"
    url="http://127.0.0.1:$port$(jq -r .path <<<"$request")"
    query="$(jq -r .query <<<"$request")"
    [ -n "$query" ] && url="$url?$query"
    ok="$(jq -r .ok <<<"$request")"
    args=(-s -o "$WORK/body" -w '%{http_code}' -X "$method")
    while IFS= read -r h; do [ -n "$h" ] && args+=(-H "$h"); done < <(jq -r '.headers[]' <<<"$request")
    if [ "$(jq -r '.body != null' <<<"$request")" = true ]; then
      args+=(-H 'Content-Type: application/json' --data-binary "$(jq -c .body <<<"$request")")
    fi
    auth=()
    while IFS= read -r h; do [ -n "$h" ] && auth+=(-H "$h"); done < <(jq -r '.auth[]' <<<"$request")
    got="$(curl "${args[@]}" "${auth[@]}" "$url")"
    checked=$((checked + 1))
    if [ "$ok" != null ] && [ "$got" != "$ok" ]; then
      echo "FAIL $service $method $url: prism answered $got, expected $ok: $(head -c 300 "$WORK/body")"
      status=1
    elif ! jq -e . "$WORK/body" >/dev/null 2>&1 && [ "$got" != 204 ]; then
      echo "FAIL $service $method $url: the answer is not JSON"
      status=1
    fi
    if [ "$(jq -r .secured <<<"$request")" = true ]; then
      unauth="$(curl "${args[@]}" "$url")"
      checked=$((checked + 1))
      if [ "${unauth:0:1}" != 4 ]; then
        echo "FAIL $service $method $url: prism accepted a request without credentials ($unauth)"
        status=1
      fi
    fi
  done < <(jq -c -r "$REQUESTS_JQ" "$doc")
  kill "$PEER_PID" 2>/dev/null || true
  wait "$PEER_PID" 2>/dev/null || true
  PEER_PID=""
done

if [ "$status" = 0 ]; then
  echo "OK: prism served every exported document; $checked requests answered as documented"
fi
exit "$status"
