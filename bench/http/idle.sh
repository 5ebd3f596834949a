#!/usr/bin/env bash
# Idle-connection benchmark (not a test): how long an ordinary request takes while many other
# connections are open and silent, or trickle a request in one byte at a time. Starts
# restbox-mock, opens IDLE silent connections and DRIP slow ones (a byte each every 100 ms),
# then times REQUESTS GET /__restbox/health, each on a fresh connection (connect to last byte of
# the answer), and prints p50, p99 and the worst, beside the same requests with nothing else open.
# Target (issue 13 item 2): 1,000 idle or slow-drip connections delay a request by < 10 ms.
#
#   bench/http/idle.sh                          # 1000 silent, 0 dripping, 100 requests
#   IDLE=800 DRIP=200 bench/http/idle.sh
#   RESTBOX_MOCK=/path/to/restbox-mock bench/http/idle.sh
#
# A request that gets no answer within 10 s counts as 10 s (a front with a thread per connection
# serves nobody else while its threads are held); the run stops after 60 s of such requests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
IDLE="${IDLE:-1000}"
DRIP="${DRIP:-0}"
REQUESTS="${REQUESTS:-100}"
require python3 curl

start_mock --no-limits --quiet
curl -sf "$MOCK_URL/__restbox/health" >/dev/null
port="${MOCK_URL##*:}"
echo "restbox-mock: $MOCK ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"

python3 - "$port" "$IDLE" "$DRIP" "$REQUESTS" <<'PY'
import resource, socket, sys, threading, time

port, idle, drip, requests = (int(a) for a in sys.argv[1:5])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
need = idle + drip + 64
if hard != resource.RLIM_INFINITY and hard < need:
    sys.exit(f"needs {need} open files; the hard limit (ulimit -Hn) is {hard}")
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
REQUEST = b"GET /__restbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
CAP = 10.0

def timed_request():
    start = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=CAP) as s:
            s.sendall(REQUEST)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk:
                    return CAP
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(body) < length:
                chunk = s.recv(65536)
                if not chunk:
                    return CAP
                body += chunk
    except OSError:
        return CAP
    return time.perf_counter() - start

def measure(label):
    times = []
    deadline = time.monotonic() + 60
    while len(times) < requests and time.monotonic() < deadline:
        times.append(timed_request())
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000
    print(f"{label:<34} {len(times):>5} requests  p50 {pick(0.5):8.2f} ms  "
          f"p99 {pick(0.99):8.2f} ms  worst {times[-1] * 1000:8.2f} ms")

measure("nothing else open")
silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(idle)]
slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(drip)]
trickle = b"POST /__restbox/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"p" * 4000 + b"\r\n\r\n"
stop = threading.Event()
def dripper():
    pos = 0
    while not stop.is_set() and pos < len(trickle):
        for s in slow:
            try:
                s.send(trickle[pos:pos + 1])
            except OSError:
                pass
        pos += 1
        stop.wait(0.1)
thread = threading.Thread(target=dripper)
thread.start()
time.sleep(0.5)  # every connection accepted, the drip going
measure(f"{idle} silent + {drip} dripping open")
stop.set()
thread.join()
PY
