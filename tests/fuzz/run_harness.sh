#!/usr/bin/env bash
# Runs one libFuzzer harness for a fixed time on its corpus without writing into the corpus
# (tests/fuzz/CMakeLists.txt: restbox_fuzz). New inputs go to a fresh scratch folder (libFuzzer
# writes only into the first corpus folder it is given); a crash, leak, timeout or UBSan report
# leaves its input in the artifacts folder and fails the run.
#   run_harness.sh <harness> <corpus dir> <scratch dir> <artifacts dir> <seconds> [<dict>]
set -euo pipefail
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
harness=$1 corpus=$2 scratch=$3 artifacts=$4 seconds=$5 dict=${6:-}
rm -rf "$scratch"
mkdir -p "$scratch" "$artifacts"
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
  -artifact_prefix="$artifacts/")
if [ -n "$dict" ]; then args+=(-dict="$dict"); fi
"$harness" "${args[@]}" "$scratch" "$corpus"
