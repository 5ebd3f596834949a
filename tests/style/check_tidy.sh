#!/usr/bin/env bash
# clang-tidy (Debian's clang-tidy 14, the checks of .clang-tidy: DESIGN's naming, bugprone-*,
# performance-*) over every translation unit of restbox's own code in a native build, and the
# headers they include: prints each finding and exits 1 when there is one.
#   tests/style/check_tidy.sh [build-dir]      (default build/native; needs its
#                                               compile_commands.json, i.e. a configured build)
# It takes about 25 CPU-minutes for the whole tree (about 200 translation units), so ./test.sh
# runs it only when RESTBOX_TIDY=1; RESTBOX_TIDY_FILES="a.cpp b.cpp" checks only those.
set -euo pipefail
root="$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)"
build="${1:-$root/build/native}"
db="$build/compile_commands.json"
if [ ! -f "$db" ]; then
  echo "check_tidy: no $db (configure the build first: cmake --preset native)" >&2
  exit 2
fi
command -v run-clang-tidy >/dev/null || { echo "check_tidy: run-clang-tidy not installed (apt install clang-tidy)" >&2; exit 2; }
# Targets are unity builds (RESTBOX_UNITY): the database names their batches
# (Unity/unity_<n>_cxx.cxx), not the source files. Each batch's entry becomes one entry per file
# it includes, with the same command, so every file is checked as the translation unit it is in a
# build without unity.
tidy_db="$(mktemp -d)"
trap 'rm -rf "$tidy_db"' EXIT
python3 - "$db" "$tidy_db/compile_commands.json" <<'PY'
import json, re, sys
out = []
for entry in json.load(open(sys.argv[1])):
    f = entry["file"]
    if "/Unity/unity_" not in f:
        out.append(entry)
        continue
    for inc in re.findall(r'^#include "([^"]+)"', open(f).read(), re.M):
        e = dict(entry, file=inc)
        if "command" in e:
            e["command"] = e["command"].replace(f, inc)
        if "arguments" in e:
            e["arguments"] = [inc if a == f else a for a in e["arguments"]]
        out.append(e)
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
db="$tidy_db/compile_commands.json"
if [ -n "${RESTBOX_TIDY_FILES:-}" ]; then
  read -r -a files <<<"$RESTBOX_TIDY_FILES"
else
  # restbox's own sources: not third-party code and not files generated into the build tree.
  mapfile -t files < <(python3 -c '
import json, sys
for entry in json.load(open(sys.argv[1])):
    f = entry["file"]
    if f.startswith(sys.argv[2] + "/") and "/third_party/" not in f and "/build/" not in f:
        print(f)' "$db" "$root" | sort -u)
fi
jobs="${RESTBOX_TIDY_JOBS:-$(nproc)}"
log="$tidy_db/tidy.log"
# -Wno-unknown-warning-option: gcc's -Wno-restrict is in the database, clang does not know it.
run-clang-tidy -p "$tidy_db" -quiet -j "$jobs" -extra-arg=-Wno-unknown-warning-option \
  "${files[@]}" >"$log" 2>&1 || true
findings="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^/.*: (warning|error): ' | sort -u || true)"
if [ -n "$findings" ]; then
  echo "$findings"
  echo "clang-tidy: $(echo "$findings" | wc -l) findings in ${#files[@]} translation units"
  exit 1
fi
echo "clang-tidy: ${#files[@]} translation units clean"
