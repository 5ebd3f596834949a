#!/usr/bin/env python3
"""Docs are tests: every fenced ```sh, ```cpp and ```js block of the READMEs runs.

  run_blocks.py --mock BIN --prefix DIR --snippet-project DIR --npm DIR --work DIR
                [--cmake BIN] [--cxx BIN] [--launcher BIN] README.md...

- sh:  run with bash (set -e, pipefail) against a restbox-mock this script starts on a free
       loopback port; every "127.0.0.1:8080" / "localhost:8080" in the block is that address,
       and RESTBOX_MOCK names the program (for blocks that start more of them).
- cpp: each block is a whole program (main); all are built against the installed SDK
       (find_package, tests/support/snippet_project) and run, with the mock's base URL as their
       only argument and the same address rewrite.
- js:  run under node as an ES module (import 'restbox-wasm' resolves to the npm package), with
       the same address rewrite.
The mock is reset (POST /__restbox/reset) before each block; each block gets its own empty
TMPDIR, and a block that names a fixed /tmp/ path fails (a stale file would answer it: use mktemp). A block that is not meant to run
says so in its info string: ```sh no-run (commands that build or serve, fragments). Any other
language (text, cmake, json) is not run. A block fails on a non-zero exit; its output is shown.
Ends with one line "N passed, N failed, N skipped".
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

RUNNABLE = {"sh", "bash", "cpp", "c++", "js", "javascript", "mjs"}
ADDRESS = re.compile(r"(127\.0\.0\.1|localhost):8080")
FIXED_TMP = re.compile(r"(?<![\w$}])/tmp/")


def blocks_of(path):
    """(language, flags, first line number, text) of every fenced block of a Markdown file."""
    out = []
    fence = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if fence is None:
            m = re.match(r"^(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$", stripped)
            if m:
                fence = (m.group(1), m.group(2).lower(), m.group(3).split(), number, [])
        elif stripped.startswith(fence[0]) and stripped.strip("`~") == "":
            out.append((fence[1], fence[2], fence[3], "\n".join(fence[4]) + "\n"))
            fence = None
        else:
            fence[4].append(line)
    if fence is not None:
        raise SystemExit(f"{path}:{fence[3]}: unterminated code block")
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mock:
    def __init__(self, binary, work):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(work, "restbox-mock.log"), "w")
        self.process = subprocess.Popen([binary, "--host", "127.0.0.1", "--port", str(self.port)],
                                        stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/__restbox/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("restbox-mock did not start: see " + self.log.name)

    def reset(self):
        request = urllib.request.Request(self.url + "/__restbox/reset", data=b"{}", method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as r:
            assert r.status == 200, r.status

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def run(argv, env=None, cwd=None, timeout=120):
    try:
        p = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return 124, (e.stdout or b"").decode("utf-8", "replace") + f"\n(timed out after {timeout} s)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mock", required=True)
    ap.add_argument("--prefix", required=True)
    ap.add_argument("--snippet-project", required=True)
    ap.add_argument("--npm", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cmake", default="cmake")
    ap.add_argument("--cxx", default="")
    ap.add_argument("--launcher", default="")
    ap.add_argument("--root", default=os.getcwd(), help="shown paths are relative to it")
    ap.add_argument("readmes", nargs="+")
    args = ap.parse_args()

    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    cases = []  # (name, language, text)
    skipped = []
    for readme in args.readmes:
        rel = os.path.relpath(readme, args.root)
        for language, flags, line, text in blocks_of(readme):
            name = f"{rel}:{line}"
            if language not in RUNNABLE:
                continue
            if "no-run" in flags:
                skipped.append(name)
                continue
            cases.append((name, language, text))

    mock = Mock(args.mock, args.work)
    results = []  # (name, ok, detail)
    # RESTBOX_MOCK: the program under test, for blocks that start more of them (record and replay).
    env = dict(os.environ, no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost",
               RESTBOX_MOCK=os.path.abspath(args.mock))
    try:
        # C++: one project builds every block, against the installed SDK.
        cpp = [(i, c) for i, c in enumerate(cases) if c[1] in ("cpp", "c++")]
        build_ok, build_log = True, ""
        if cpp:
            src = os.path.join(args.work, "cpp", "src")
            os.makedirs(src)
            for i, (name, _, text) in cpp:
                with open(os.path.join(src, f"block{i}.cpp"), "w") as f:
                    f.write(f"// {name}\n" + ADDRESS.sub(mock.url[len('http://'):], text))
            configure = [args.cmake, "-S", args.snippet_project, "-B", os.path.join(args.work, "cpp", "build"),
                         "-G", "Ninja", f"-DCMAKE_PREFIX_PATH={args.prefix}", f"-DSNIPPET_SOURCES={src}"]
            if args.cxx:
                configure.append(f"-DCMAKE_CXX_COMPILER={args.cxx}")
            if args.launcher:
                configure.append(f"-DCMAKE_CXX_COMPILER_LAUNCHER={args.launcher}")
            rc, out = run(configure, env=env, timeout=300)
            if rc == 0:
                rc, out = run([args.cmake, "--build", os.path.join(args.work, "cpp", "build"), "-j", "2",
                               "--", "-k", "0"], env=env, timeout=1800)
            build_ok, build_log = rc == 0, out

        node_modules = os.path.join(args.work, "js", "node_modules")
        os.makedirs(node_modules, exist_ok=True)
        if os.path.exists(os.path.join(args.npm, "restbox.mjs")):
            os.symlink(os.path.abspath(args.npm), os.path.join(node_modules, "restbox-wasm"))
        for i, (name, language, text) in enumerate(cases):
            if FIXED_TMP.search(text):
                # A fixed path outlives the run: a stale file from an earlier run (or another user)
                # answers the block's waits and reads. Blocks use mktemp -d.
                results.append((name, False, "writes a fixed /tmp path; use out=$(mktemp -d)"))
                continue
            mock.reset()
            env["TMPDIR"] = os.path.join(args.work, f"tmp{i}")
            os.makedirs(env["TMPDIR"], exist_ok=True)
            body = ADDRESS.sub(mock.url[len("http://"):], text)
            if language in ("sh", "bash"):
                path = os.path.join(args.work, f"block{i}.sh")
                with open(path, "w") as f:
                    f.write("set -euo pipefail\n" + body)
                rc, out = run(["bash", path], env=env, cwd=args.root)
            elif language in ("cpp", "c++"):
                binary = os.path.join(args.work, "cpp", "build", "bin", f"block{i}")
                if not os.path.exists(binary):
                    results.append((name, False, "does not compile:\n" + build_log[-6000:]))
                    continue
                rc, out = run([binary, mock.url], env=env)
            else:
                if not os.path.exists(os.path.join(args.npm, "restbox.mjs")):
                    if os.environ.get("RESTBOX_REQUIRE_NPM"):
                        results.append((name, False, f"no npm package at {args.npm} (build the wasm preset)"))
                    else:
                        skipped.append(name + " (no npm package: the wasm build is missing)")
                    continue
                path = os.path.join(args.work, "js", f"block{i}.mjs")
                with open(path, "w") as f:
                    f.write(body)
                rc, out = run(["node", path], env=env)
            results.append((name, rc == 0, f"exit {rc}\n{out}"))
    finally:
        mock.stop()

    failed = [r for r in results if not r[1]]
    for name, ok, detail in results:
        print(f"{'PASS' if ok else 'FAIL'} {name}")
        if not ok:
            print("    " + detail.strip().replace("\n", "\n    "))
    for name in skipped:
        print(f"SKIP {name} (marked no-run)" if "(" not in name else f"SKIP {name}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed, {len(skipped)} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
