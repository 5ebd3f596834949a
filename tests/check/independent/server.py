#!/usr/bin/env python3
"""An independent implementation of the five APIs, written from the seed documents and
API-CONTRACT.md only, to check restbox-check against a server restbox did not write.

    server.py --port 0                     serve on a free loopback port (prints its URL)
    server.py --write-fixtures FILE        also write the fixtures (restbox-mock's shape)
    server.py --break RULE [--break ...]   switch documented rules off (--list-breaks)
    server.py --limit-scale 0.1            rate windows ten times shorter (tests)

See README.md in this folder for every choice made where the documents are silent.
"""

import argparse
import http.server
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import chikage  # noqa: E402
import findhelper  # noqa: E402
import inventory  # noqa: E402
import market  # noqa: E402
import wncms  # noqa: E402
from common import BREAKS, LOCK, Clock, Request, Response, json_response  # noqa: E402

MODULES = [market, inventory, findhelper, chikage, wncms]  # order: the first that matches serves
MAX_READ = 16 * 1024 * 1024
for _m in MODULES:
    _m.declare_breaks(BREAKS)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "indep/1.0"
    # Headers and body leave in separate writes: without TCP_NODELAY every answer waits ~40 ms
    # for the client's delayed ACK.
    disable_nagle_algorithm = True
    apis = []
    verbose = False

    def log_message(self, fmt, *args):
        if self.verbose:
            sys.stderr.write("%s %s\n" % (self.log_date_time_string(), fmt % args))

    def serve(self):
        length = self.headers.get("Content-Length")
        body = b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = self.read_chunked()
        elif length:
            try:
                n = int(length)
            except ValueError:
                return self.send(json_response(400, {"error": "bad Content-Length"}), close=True)
            if n > MAX_READ:
                return self.send(json_response(413, {"error": "body too large"}), close=True)
            body = self.rfile.read(n)
        base = "http://%s:%d" % self.server.server_address[:2]
        req = Request(self.command, self.path, self.headers.items(), body, base)
        resp = None
        for api in self.apis:
            if api.match(req.path):
                with LOCK:
                    api_tick(self.apis)
                    resp = api.handle(req)
                break
        if resp is None:
            resp = json_response(404, {"error": "no API serves %s" % req.path})
        self.send(resp)

    def read_chunked(self):
        out = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return out
            out += self.rfile.read(size)
            self.rfile.readline()
            if len(out) > MAX_READ:
                return out

    def send(self, resp, close=False):
        self.send_response(resp.status)
        for k, v in resp.headers:
            self.send_header(k, v)
        body = b"" if self.command == "HEAD" else resp.body
        self.send_header("Content-Length", str(len(resp.body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = serve


def api_tick(apis):
    now = time.time()
    for api in apis:
        tick = getattr(api, "tick", None)
        if tick:
            tick(now)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=0, help="loopback port (0: a free one, printed)")
    p.add_argument("--write-fixtures", metavar="FILE", help="write the fixtures JSON there")
    p.add_argument("--break", dest="breaks", action="append", default=[], metavar="RULE",
                   help="switch one documented rule off (repeatable; --list-breaks)")
    p.add_argument("--list-breaks", action="store_true", help="print the rules as JSON and exit")
    p.add_argument("--limit-scale", type=float, default=1.0,
                   help="multiply rate-limit windows and webhook retry intervals (default 1)")
    p.add_argument("--queue-delay", type=float, default=0.3,
                   help="seconds before chikage applies a queued write (default 0.3)")
    p.add_argument("--inventory-per-minute", type=int, default=inventory.PER_MINUTE, metavar="N",
                   help="inventory's per-key limit a minute (default 60, as documented; lower "
                        "makes the server stricter than its documents)")
    p.add_argument("--wncms-disable", action="append", metavar="TOGGLE",
                   help="start with a wncms feature toggle off (e.g. wncms_api_posts_index)")
    p.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = p.parse_args(argv)

    if args.list_breaks:
        print(json.dumps(list(BREAKS.declared.values()), ensure_ascii=False, indent=1))
        return 0
    for b in args.breaks:
        if b not in BREAKS.declared:
            p.error("unknown --break %s (known: %s)" % (b, ", ".join(BREAKS.declared)))
        BREAKS.active.add(b)
    if args.limit_scale <= 0:
        p.error("--limit-scale must be > 0")
    if args.inventory_per_minute < 1:
        p.error("--inventory-per-minute must be >= 1")

    clock = Clock(args.limit_scale)
    apis = [m.Api(clock, args) for m in MODULES]
    Handler.apis = apis
    Handler.verbose = args.verbose

    if args.write_fixtures:
        fixtures = {api.name: api.fixtures() for api in apis}
        with open(args.write_fixtures, "w", encoding="utf-8") as f:
            json.dump(fixtures, f, ensure_ascii=False, indent=2)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True

    def ticker():
        while True:
            time.sleep(0.05)
            with LOCK:
                api_tick(apis)
    threading.Thread(target=ticker, daemon=True).start()

    url = "http://127.0.0.1:%d" % server.server_address[1]
    print("independent server listening on %s" % url, flush=True)
    print("  chikage     %s/api/v1/data\n  wncms       %s/api/v1\n  inventory   %s/apiV1\n"
          "  market      %s/market (platform), %s/provider/product-detail (provider backend)\n"
          "  findhelper  %s/api" % (url, url, url, url, url, url), flush=True)
    if BREAKS.active:
        print("  breaks: %s" % ", ".join(sorted(BREAKS.active)), flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
