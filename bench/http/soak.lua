-- wrk script for bench/http/soak.sh: 1 create (POST) for every 9 reads (GET) of the demo record,
-- counting the answers per status so the script can compare them with the server's state.
-- Environment: RESTBOX_KEY, RESTBOX_SLUG, RESTBOX_RECORD (from /__restbox/fixtures).
local key = os.getenv("RESTBOX_KEY")
local slug = os.getenv("RESTBOX_SLUG")
local record = os.getenv("RESTBOX_RECORD")
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  created = 0      -- 202 answers (only creates answer 202 here)
  read = 0         -- 200 answers
  other = 0        -- anything else
  n = 0
  create_headers = {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}
  read_headers = {["Authorization"] = "Bearer " .. key}
end

function request()
  n = n + 1
  if n % 10 == 0 then
    local body = string.format('{"order_id":"SOAK-%d-%d","amount":%d,"items":["a","b"],"paid":true}', id, n, n)
    return wrk.format("POST", "/api/v1/data/" .. slug, create_headers, body)
  end
  return wrk.format("GET", "/api/v1/data/" .. slug .. "/" .. record, read_headers)
end

function response(status, headers, body)
  if status == 202 then created = created + 1
  elseif status == 200 then read = read + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local c, r, o = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    r = r + t:get("read")
    o = o + t:get("other")
  end
  io.write(string.format("RESULT created=%d read=%d other=%d\n", c, r, o))
end
