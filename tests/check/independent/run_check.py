#!/usr/bin/env python3
"""restbox-check against the independent server (ctest: check_independent_*).

    run_check.py faithful --check build/native/bin/restbox-check
    run_check.py variants --check ...   every --break of server.py --list-breaks
    run_check.py resend   --check ...   a server stricter than documented: 429, wait, resend
    run_check.py budget   --check ...   --budget N through the command line

Each starts server.py on a free loopback port (--port 0), runs restbox-check against it and stops
it. Rate windows are shortened 10x on both sides (--limit-scale) so the limit rows take seconds.
Exit 0 when every expectation holds; the failures are printed.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "server.py")
SCALE = "0.1"
FAILURES = []


def expect(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL: " + what, flush=True)
    return cond


class Server:
    """server.py on a free port, with its fixtures written to a temporary file."""

    def __init__(self, work, *args, scale=SCALE):
        self.scale = scale
        self.fixtures = os.path.join(work, "fixtures-%d.json" % time.monotonic_ns())
        self.proc = subprocess.Popen(
            [sys.executable, SERVER, "--port", "0", "--write-fixtures", self.fixtures,
             "--limit-scale", scale] + list(args),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.proc.stdout.readline()
        if "listening on " not in line:
            self.stop()
            raise RuntimeError("server.py did not start: %r" % line)
        self.url = line.split("listening on ")[1].strip()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def run_check(check, server, work, *flags, services=("chikage", "wncms", "inventory", "findhelper",
                                                     "market"), provider=True):
    """restbox-check against `server`; returns (exit status, JSON report, stdout)."""
    report = os.path.join(work, "report-%d.json" % time.monotonic_ns())
    argv = [check, "--fixtures", server.fixtures, "--limit-scale", server.scale, "--json", report]
    for s in services:
        argv += ["--service", "%s=%s" % (s, server.url)]
    if provider:
        argv += ["--market-provider", server.url + "/provider/product-detail"]
    argv += list(flags)
    started = time.monotonic()
    run = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=300)
    elapsed = time.monotonic() - started
    data = {}
    if os.path.exists(report) and os.path.getsize(report) > 0:
        with open(report, encoding="utf-8") as f:
            data = json.load(f)
    print("$ %s\n  exit %d in %.1f s; %s" % (" ".join(argv), run.returncode, elapsed,
                                             summary_line(data)), flush=True)
    return run.returncode, data, run.stdout


def summary_line(data):
    s = data.get("summary", {})
    return "%s rows: %s passed, %s failed, %s skipped; %s requests, at most %s to one API a minute" % (
        s.get("rows"), s.get("pass"), s.get("fail"), s.get("skip"), s.get("requests"),
        s.get("max_requests_per_minute"))


def row_id(row):
    parts = [row["service"], row["endpoint"], str(row["status"])]
    if row["code"]:
        parts.append(row["code"])
    return "/".join(parts + [row["mode"]])


def failed_rows(data):
    return [r for r in data.get("rows", []) if r["outcome"] == "fail"]


def describe(row):
    problems = "; ".join("%s: expected %s, got %s" % (p["path"], p["expected"], p["actual"])
                         for p in row["problems"])
    return "%s %s %s" % (row_id(row), row["outcome"], problems or row["reason"])


# ---- the faithful server ------------------------------------------------------------------------

def faithful(check, work):
    with Server(work) as server:
        # Twice on the same server: the second run meets what the first one created (menu names,
        # shared templates...) and must pass as well; the second adds the limit rows.
        for flags in (["--allow-writes"], ["--allow-writes", "--include-limits"]):
            code, data, out = run_check(check, server, work, *flags)
            expect(code == 0, "restbox-check %s exits 0, got %d:\n%s" % (" ".join(flags), code, out))
            for row in failed_rows(data):
                expect(False, "faithful row failed: " + describe(row))
            s = data.get("summary", {})
            least = 190 if "--include-limits" in flags else 170
            expect(s.get("pass", 0) >= least, "at least %d rows pass (got %s)" % (least, s.get("pass")))
            skips = s.get("skip_reasons", {})
            allowed = ("forced rows", "needs restbox-mock's admin API")
            for reason, n in skips.items():
                expect(reason.startswith(allowed) or
                       (reason.startswith("rate-limit") and "--include-limits" not in flags),
                       "a skip the independent server should not cause: %d x %s" % (n, reason))
            rows = {row_id(r): r for r in data.get("rows", [])}
            for must in ("market/provider/200/1001/realistic", "market/call/200/1005/realistic",
                         "chikage/get/200/realistic", "wncms/menus.sync/200/realistic",
                         "inventory/templates.revoke/200/realistic"):
                expect(must in rows and rows[must]["outcome"] == "pass", must + " passes")
            if "--include-limits" in flags:
                for must in ("findhelper/jobs.list/429/TOO_MANY_REQUESTS/realistic",
                             "inventory/items.list/429/RATE_LIMIT_EXCEEDED/realistic",
                             "chikage/create/429/realistic"):
                    expect(must in rows and rows[must]["outcome"] == "pass", must + " passes")


# ---- the variants ---------------------------------------------------------------------------------

def variants(check, work):
    listed = subprocess.run([sys.executable, SERVER, "--list-breaks"], stdout=subprocess.PIPE,
                            text=True, check=True)
    breaks = json.loads(listed.stdout)
    apis = {b["api"] for b in breaks}
    expect(len(breaks) >= 10, "at least ten breaks (got %d)" % len(breaks))
    expect(apis == {"chikage", "wncms", "inventory", "market", "findhelper"},
           "a break for every API (got %s)" % sorted(apis))
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read().split("## Breaks", 1)[-1]
    listed_in_readme = re.findall(r"^\| `([a-z0-9-]+)` \|", readme, re.MULTILINE)
    expect(sorted(listed_in_readme) == sorted(b["name"] for b in breaks),
           "README.md's table of breaks names the breaks server.py declares")
    print("%-38s %-58s %s" % ("break", "row", "what restbox-check said"))
    for b in breaks:
        with Server(work, "--break", b["name"]) as server:
            code, data, out = run_check(check, server, work, "--only", b["row"], *b["args"])
        rows = data.get("rows", [])
        ran = [r for r in rows if r["outcome"] != "skip"]
        ok = expect(len(ran) == 1, "%s: one row ran for %s (got %s)" % (
            b["name"], b["row"], [describe(r) for r in rows]))
        if not ok:
            continue
        row = ran[0]
        print("%-38s %-58s %s" % (b["name"], row_id(row), describe(row).split(" ", 1)[1]), flush=True)
        expect(code == 1, "%s: restbox-check exits 1 (got %d)" % (b["name"], code))
        expect(row["outcome"] == "fail", "%s: %s fails" % (b["name"], row_id(row)))
        paths = [p["path"] for p in row["problems"]]
        expect(any(p == b["path"] or p == "header " + b["path"] or p.startswith(b["path"] + ".")
                   or p.startswith(b["path"] + "[") for p in paths),
               "%s: a problem at %s (got %s)" % (b["name"], b["path"], paths))


# ---- a 429 the run did not mean to cause -----------------------------------------------------------

def resend(check, work):
    # The server allows 2 requests per (scaled: 1.2 s) minute where 60 are documented: the paced
    # run meets 429s, holds for the Retry-After and sends each such request once more.
    with Server(work, "--inventory-per-minute", "2", scale="0.02") as server:
        code, data, out = run_check(
            check, server, work, "--only",
            r"^inventory/(items|templates)\.(list|get)/(200|400|404)(/[A-Z_]+)?/realistic$",
            services=("inventory",), provider=False)
    expect(code == 0, "every row passes after its resend (exit %d):\n%s" % (code, out))
    resent = [r for r in data.get("rows", [])
              if len(r["exchanges"]) >= 2 and r["exchanges"][0]["response"]
              and r["exchanges"][0]["response"]["status"] == 429]
    expect(len(resent) >= 2, "at least two rows were resent after a 429 (got %d)" % len(resent))
    for r in resent:
        expect(r["outcome"] == "pass", "resent row passes: " + describe(r))
        last = r["exchanges"][-1]["response"]
        expect(last and last["status"] != 429, "the resend is answered: " + describe(r))


# ---- --budget ----------------------------------------------------------------------------------------

def budget(check, work):
    with Server(work) as server:
        code, data, out = run_check(check, server, work, "--allow-writes", "--budget", "12")
    s = data.get("summary", {})
    expect(code == 0, "a run cut by the budget exits 0 (got %d):\n%s" % (code, out))
    expect(s.get("requests", 99) <= 12, "at most 12 requests sent (got %s)" % s.get("requests"))
    cut = s.get("skip_reasons", {}).get("the request budget (--budget 12) is used up", 0)
    expect(cut >= 50, "the rows after the budget are skipped naming it (got %d)" % cut)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["faithful", "variants", "resend", "budget"])
    p.add_argument("--check", required=True, help="the restbox-check binary")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="restbox-indep-") as work:
        globals()[args.what](args.check, work)
    if FAILURES:
        print("\n%d expectation(s) failed" % len(FAILURES))
        return 1
    print("\nall expectations hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
