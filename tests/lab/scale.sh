#!/usr/bin/env bash
# Time from a reservation's start (`rocks sync vcluster` at the start time)
# to "all virtual nodes reachable", for 1, 4 and 16 compute nodes per
# cluster, on the QEMU lab: one VLAN cluster alone on freshly booted guests.
# Not part of `make test`: three lab runs take a while.
# Usage: scale.sh BUILD_DIR [SIZES...]
set -euo pipefail
build=${1:?usage: scale.sh BUILD_DIR [SIZES...]}
shift
sizes=("$@")
((${#sizes[@]} > 0)) || sizes=(1 4 16)
here=$(cd "$(dirname "$0")" && pwd)
summary=()
for n in "${sizes[@]}"; do
    out=$(bash "$here/lab.sh" "$build" "$n" timing 2>&1) || { echo "$out"; exit 1; }
    echo "$out"
    summary+=("$(grep -E '^(REACHABLE|TIME a: sync at start)' <<< "$out" | tr '\n' ' ')")
done
echo
echo "== start -> all nodes reachable, per cluster size"
printf '%s\n' "${summary[@]}"
