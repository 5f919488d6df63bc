#!/usr/bin/env bash
# `make demo` must stay true: run the main job end to end on a temporary
# database and check what it promises (reservations admitted, a refusal with
# the earliest start, materialised nodes with MACs, nothing left at the end).
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ROCKS_DB="$tmp/cluster.db"
unset ROCKS_PLUGIN_PATH
bash "$VCLUSTER_SOURCE_DIR/tools/demo.sh" "$VCLUSTER_BINARY_DIR" > "$tmp/out" 2>&1 || {
    cat "$tmp/out"
    exit 1
}
expect() {
    grep -qF -- "$1" "$tmp/out" || { echo "demo output lacks: $1"; cat "$tmp/out"; exit 1; }
}
expect "earliest start that fits: 2026-12-31T23:59:59Z"
expect "dc1:     scheduled active storage, networks and the frontend VM started; install taken as finished (pretend), snapshot 'installed' taken: built on 17 VMs"
expect "(pretend: the install is taken as finished)"
expect "dc1:     active active snapshot 'before-upgrade' taken"
expect "--- storage-2-0: merge (pretend, not executed)"
expect "dc1:     active active rolled back to snapshot 'before-upgrade', VMs restarted"
expect "dc1-compute-0-15: dc1      compute"
expect "hosts in the database: 13 physical + 17 virtual"
expect "dc1:     active released"
expect "virtual hosts left in the database: 0"
expect "nothing is due at 2027-02-02T00:00:30Z"
expect "hpc101:  scheduled active storage, networks and the frontend VM started; install taken as finished (pretend), snapshot 'installed' taken: built on 9 VMs"
expect "hpc101:  active active rolled back to snapshot 'installed', VMs restarted"
expect "hpc101:  active powered-off window closed at 2027-02-02T15:00:00Z: VMs shut down cleanly, disks kept"
expect "--- gateway-0-0: shutdown (pretend, not executed)"
expect "hpc101:  powered-off active window opened at 2027-03-09T12:00:00Z: VMs on"
expect "hpc101:  active powered-off window closed at 2027-03-16T15:00:00Z: VMs shut down cleanly, disks kept"
expect "hpc101:  powered-off active window opened at 2027-03-30T11:00:00Z: VMs on"
expect "2027-03-23,2027-04-13..2027-04-20,2027-05-04"
expect "Europe/Berlin"
expect "lab-04"
expect "error - vcluster 'lab' is a group of 4 clusters: give confirm=4 to remove them all"
expect "hpc101:  active released storage, snapshots, networks, VMs and rows removed"
[[ $(grep -c "^virtual hosts left in the database: 0$" "$tmp/out") -eq 2 ]]
grep -q '<svg' "$tmp/calendar.svg"
grep -q 'skipped 2027-04-15' "$tmp/course-calendar.svg"
test -s "$tmp/dc1-config/gateway-0-0/files/kit/dc1/authorized_keys"
echo "demo: ok"
