#!/usr/bin/env bash
# The reservation flow on the sample cluster, as tools/demo.sh drives it: a
# 16-node data-centre cluster, a weekly course cluster, listings, a refusal
# with the earliest start, start=earliest, and the calendar as SVG.
set -euo pipefail
: "${ROCKS:?} ${VCLUSTER_SOURCE_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ROCKS_DB=$work/cluster.db TZ=UTC
bash "$VCLUSTER_SOURCE_DIR/tools/sample-cluster.sh" "$ROCKS" >/dev/null
# A syntactically valid ed25519 public key (type string + 32 bytes).
key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa tenant@example.org"
echo "$key" >"$work/tenant.pub"

"$ROCKS" add vcluster dc1 start=2030-12-02T09:00:00Z end=2030-12-31T23:59:59Z nodes=16 \
    memory=2GiB disk=20GiB rolls=base,kernel,os,hpc,sge sshkey="$work/tenant.pub" owner=provider
"$ROCKS" add vcluster hpc101 start=2031-02-04T00:00:00Z end=2031-05-30T00:00:00Z nodes=8 \
    cpus=2 memory=4GiB disk=10GiB repeat=tue@13:00-16:00 sshkey="$work/tenant.pub" owner=teacher
"$ROCKS" list vcluster | grep -q '^dc1:.*provider.*scheduled'
"$ROCKS" list vcluster node dc1 | grep -q 'dc1-compute-0-15'

# 8 vm-servers x 32 CPUs: a second cluster of 8 x 32 CPUs does not fit beside dc1.
set +e
err=$("$ROCKS" add vcluster big start=2030-12-10T00:00:00Z duration=2d nodes=8 cpus=32 \
    sshkey="$work/tenant.pub" 2>&1 >/dev/null)
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "expected exit 2, got $rc: $err"; exit 1; }
echo "$err" | grep -q '^error - refused: vm-server CPUs run out on vm-server-1-0 at 2030-12-10T00:00:00Z'
echo "$err" | grep -q 'earliest start that fits: 2030-12-31T23:59:59Z'
VCLUSTER_NOW=2030-12-10T00:00:00Z "$ROCKS" add vcluster big start=earliest duration=2d nodes=8 \
    cpus=32 sshkey="$work/tenant.pub" >/dev/null
"$ROCKS" list vcluster big | grep -q '2030-12-31T23:59:59Z'

"$ROCKS" report vcluster calendar from=2030-12-01T00:00:00Z to=2031-01-05T00:00:00Z \
    output-format=svg >"$work/calendar.svg"
xmllint --noout "$work/calendar.svg"
"$ROCKS" remove vcluster big
echo ok
