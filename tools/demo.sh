#!/usr/bin/env bash
# The main job on the embedded SQLite default: build a sample physical Rocks
# cluster in a fresh database and show it. (Later stages reserve and
# materialise virtual clusters on it.)
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
rocks="$root/$build/bin/rocks"
export ROCKS_DB=${ROCKS_DB:-$root/$build/demo/cluster.db}
rm -f "$ROCKS_DB" "$ROCKS_DB-wal" "$ROCKS_DB-shm"
mkdir -p "$(dirname "$ROCKS_DB")"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ rocks %s\n' "$*"; "$rocks" "$@"; }

step "A sample physical cluster: 1 manager, 2 gateways, 8 vm-servers, 2 storage nodes"
bash "$root/tools/sample-cluster.sh" "$rocks"
run list host
run list host interface gateway-0-0 vm-server-1-0 storage-2-0
run list host attr vm-server-1-0
run list appliance
run list network
run list attr
echo
echo "database: $ROCKS_DB"
