#!/usr/bin/env bash
# Size report of the npm package's WebAssembly module (issue "WebAssembly", budget 5):
#   bench/wasm_size.sh [build-dir]        (default: build/wasm; the package is <build-dir>/npm)
#
# Reports raw and gzip -9 sizes of the .wasm, the Emscripten glue (restbox_wasm.mjs) and the
# public module (restbox.mjs), checks the total against the budget (450 KB gzip of wasm + js), and
# checks that no iostreams are linked: the module is relinked once with a name section
# (--profiling-funcs, into a temporary folder; the package is not touched) and its function names
# are searched for stream and locale machinery (std::istringstream alone costs ~140 KB). The same
# names give a breakdown of the code section by namespace.
# Exit status: 0 = within budget and no iostreams; 1 = over budget or iostreams found; 2 = usage.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/wasm}
budget_kb=${RESTBOX_WASM_BUDGET_KB:-450}
npm="$build/npm"
for f in restbox_wasm.wasm restbox_wasm.mjs restbox.mjs; do
  if [[ ! -f "$npm/$f" ]]; then
    echo "missing $npm/$f: build the wasm preset first (cmake --build --preset wasm)" >&2
    exit 2
  fi
done
npm=$(cd "$npm" && pwd)
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}

gz() { gzip -9 -c "$1" | wc -c; }
raw() { wc -c < "$1"; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }

printf '%-22s %12s %12s\n' file raw gzip
total_gz=0
for f in restbox_wasm.wasm restbox_wasm.mjs restbox.mjs; do
  r=$(raw "$npm/$f"); g=$(gz "$npm/$f")
  total_gz=$((total_gz + g))
  printf '%-22s %12s %12s\n' "$f" "$(kb "$r")" "$(kb "$g")"
done
printf '%-22s %12s %12s   (budget %d KB)\n' "total (wasm + js)" "" "$(kb "$total_gz")" "$budget_kb"
services=$(node --input-type=module -e "
  const { loadRestbox } = await import('file://$npm/restbox.mjs');
  const r = await loadRestbox();
  console.log(r.services.map((s) => s.id).join(', '));" 2>/dev/null || echo '?')
echo "services in this module: $services"

status=0
if (( total_gz > budget_kb * 1024 )); then
  echo "OVER BUDGET: $(kb "$total_gz") > $budget_kb KB" >&2
  status=1
fi

# Relink with function names, from the build's own link command.
link=$(ninja -C "$build" -t commands restbox_wasm 2>/dev/null | tail -n 1 || true)
if [[ "$link" != *"-o npm/restbox_wasm.mjs"* ]]; then
  echo "cannot find the link command of restbox_wasm in $build: iostream check skipped" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
link=${link//-o npm\/restbox_wasm.mjs/-o $tmp/names.mjs --profiling-funcs}
(cd "$build" && eval "${link#: && }") > "$tmp/link.log" 2>&1 || {
  cat "$tmp/link.log" >&2
  echo "relinking with names failed" >&2
  exit 1
}

python3 - "$tmp/names.wasm" <<'PY' || status=1
import collections, re, sys

data = open(sys.argv[1], 'rb').read()

def leb(i):
    result = shift = 0
    while True:
        byte = data[i]; i += 1
        result |= (byte & 0x7F) << shift; shift += 7
        if byte < 0x80:
            return result, i

def skip_limits(j):
    flags = data[j]; j += 1
    _, j = leb(j)
    if flags & 1:
        _, j = leb(j)
    return j

imported, bodies, names = 0, [], {}
i = 8
while i < len(data):
    section = data[i]; i += 1
    size, i = leb(i)
    end = i + size
    if section == 2:  # imports: function imports shift the function index space
        count, j = leb(i)
        for _ in range(count):
            for _ in range(2):
                n, j = leb(j); j += n
            kind = data[j]; j += 1
            if kind == 0: _, j = leb(j); imported += 1
            elif kind == 1: j = skip_limits(j + 1)
            elif kind == 2: j = skip_limits(j)
            elif kind == 3: j += 2
            else: j += 1; _, j = leb(j)
    elif section == 10:  # code
        count, j = leb(i)
        for _ in range(count):
            n, k = leb(j); bodies.append(n + k - j); j = k + n
    elif section == 0:
        n, j = leb(i)
        if data[j:j + n] == b'name':
            j += n
            while j < end:
                sub = data[j]; n, j = leb(j + 1); stop = j + n
                if sub == 1:
                    count, k = leb(j)
                    for _ in range(count):
                        index, k = leb(k); n, k = leb(k)
                        names[index] = data[k:k + n].decode('utf-8', 'replace'); k += n
                j = stop
    i = end

streams = re.compile(r'basic_(i|o)?stringstream|basic_ostream|basic_istream|basic_ios<|ios_base|'
                     r'std::__2::cout|std::__2::cerr|__stdoutbuf|num_put<|num_get<')
found = sorted({n for n in names.values() if streams.search(n)})
print(f"iostream check: {len(names)} named functions, {len(found)} stream/locale functions")
for n in found[:10]:
    print("   ", n[:140])

def group(name):
    if 'nlohmann' in name: return 'nlohmann::json'
    if name.startswith('restbox::'):
        parts = name.split('(')[0].split('::')
        return '::'.join(parts[:3] if parts[1] == 'mock' and len(parts) > 3 else parts[:2])
    if 'restbox' in name: return 'restbox (templates, lambdas)'
    if 'emscripten' in name: return 'embind'
    if 'std::' in name: return 'libc++'
    return 'libc, runtime, other'

groups = collections.Counter()
for index, size in enumerate(bodies):
    groups[group(names.get(index + imported, '?'))] += size
total = sum(bodies)
print(f"code section by namespace ({total} bytes, {len(bodies)} functions; build with names):")
for g, size in groups.most_common(14):
    print(f"  {size:8d}  {100 * size / total:5.1f}%  {g[:70]}")
sys.exit(1 if found else 0)
PY
exit $status
