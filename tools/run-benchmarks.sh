#!/usr/bin/env bash
# Runs every benchmark program of the build and prints its figures.
set -euo pipefail
build=${1:-build}
for b in "$build"/bin/bench-*; do
    [[ -x "$b" ]] || continue
    echo "== $(basename "$b")"
    "$b"
    echo
done
echo "== portal (wrk)"
bash "$(dirname "$0")/../bench/portal_bench.sh" "$build"
