#!/usr/bin/env bash
# The main job on the embedded SQLite default: build a sample physical Rocks
# cluster in a fresh database, reserve virtual clusters on it (a data-centre
# cluster and a weekly course cluster), show the refusal of one that does not
# fit, then advance `now` through the start (materialisation: Rocks rows and
# per-host configuration, executed with the pretend executor (prints each step and records it as done); the wait for the
# virtual frontend's install and the automatic snapshot), a snapshot and a
# roll-back, the end (release, nothing left behind), then a weekly course
# cluster's windows (VMs on at the opening, off at the close) and its end.
set -euo pipefail
# Weekly windows are in the manager's local time; the demo's is UTC.
export TZ=UTC
# The demo's story runs from December 2026 to May 2027 (each sync says its
# now=); the clock of the booking commands is fixed at the story's first
# day, so the demo tells the same story on any date.
export VCLUSTER_NOW=${VCLUSTER_NOW:-2026-12-01T08:00:00Z}
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
[[ $build == /* ]] || build="$root/$build"
rocks="$build/bin/rocks"
export ROCKS_DB=${ROCKS_DB:-$build/demo/cluster.db}
out=$(dirname "$ROCKS_DB")
rm -f "$ROCKS_DB" "$ROCKS_DB-wal" "$ROCKS_DB-shm"
mkdir -p "$out"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ rocks %s\n' "$*"; "$rocks" "$@"; }
count() { "$rocks" list host output-format=json | grep -c '"host"'; }

step "A sample physical cluster: 1 manager, 2 gateways, 8 vm-servers, 2 storage nodes"
bash "$root/tools/sample-cluster.sh" "$rocks"
run list host
run list host interface gateway-0-0 vm-server-1-0 storage-2-0
run list host attr vm-server-1-0
run list appliance
physical=$(count)

step "Tenants' ssh keys"
rm -f "$out/provider" "$out/provider.pub" "$out/teacher" "$out/teacher.pub"
ssh-keygen -q -t ed25519 -N '' -C provider@example.org -f "$out/provider"
ssh-keygen -q -t ed25519 -N '' -C teacher@example.org -f "$out/teacher"

step "Reservations: a data centre's 16-node cluster and a weekly course"
run add vcluster dc1 start=2026-12-07T09:00:00Z end=2026-12-31T23:59:59Z nodes=16 memory=2GiB disk=20GiB \
    rolls=base,kernel,os,hpc,sge sshkey="$out/provider.pub" owner=provider fqdn=dc1.example.org
run add vcluster hpc101 start=2027-02-02T00:00:00Z end=2027-05-28T00:00:00Z nodes=8 cpus=2 memory=4GiB \
    disk=10GiB repeat=tue@13:00-16:00 sshkey="$out/teacher.pub" owner=teacher fqdn=hpc101.example.org
step "A request that does not fit is refused, with the earliest start that would"
printf '$ rocks add vcluster big start=2026-12-08T00:00:00Z end=2026-12-20T00:00:00Z nodes=16 cpus=16 memory=8GiB ...\n'
"$rocks" add vcluster big start=2026-12-08T00:00:00Z end=2026-12-20T00:00:00Z nodes=16 cpus=16 memory=8GiB \
    sshkey="$out/provider.pub" && exit 1 || true
run list vcluster
run list vcluster node dc1
run report vcluster calendar from=2026-12-01T00:00:00Z to=2027-01-01T00:00:00Z host=vm-server-1-0
"$rocks" report vcluster calendar from=2026-12-01T00:00:00Z to=2027-06-01T00:00:00Z output-format=svg \
    > "$out/calendar.svg"
echo "(the capacity calendar as a Gantt chart: $out/calendar.svg)"

step "Before the start: the plan (which host gets what)"
run report vcluster dc1 | head -30

step "Monday 09:00: the start of dc1 (pretend executor: prints each host's step, records it as done)"
echo "(storage, networks, the frontend VM; the install probe, which pretend takes as passed;"
echo " the 'installed' snapshot; then the computes)"
run sync vcluster now=2026-12-07T09:00:30Z executor=pretend
run list vcluster
run list vcluster snapshot dc1
run list vcluster node dc1
run report vcluster dc1 dir="$out/dc1-config" > /dev/null
echo "(every host's generated files and apply/teardown scripts: $out/dc1-config)"
ls "$out/dc1-config"
echo "the tenant's key, installed on the virtual frontend:"
cat "$out/dc1-config/gateway-0-0/files/kit/dc1/authorized_keys"
printf 'hosts in the database: %s physical + %s virtual\n' "$physical" "$(($(count) - physical))"

step "A snapshot before a risky change, then a roll-back to it (done by the next sync)"
VCLUSTER_NOW=2026-12-14T10:00:00Z run create vcluster snapshot dc1 label=before-upgrade
run sync vcluster now=2026-12-14T10:00:30Z executor=pretend | grep -E '^(---|VCLUSTER|dc1:)'
run rollback vcluster dc1 label=before-upgrade
echo "(VMs off, iSCSI logouts, target stopped so LVM merges at once, merge + new snapshot,"
echo " target and logins back, frontend then computes on)"
run sync vcluster now=2026-12-15T08:00:00Z executor=pretend | grep -E '^(---|VCLUSTER|dc1:)'
run list vcluster snapshot dc1

step "New Year: the end of dc1, everything released"
run sync vcluster now=2027-01-01T00:00:00Z executor=pretend | tail -3
run list vcluster
left=$(($(count) - physical))
printf 'virtual hosts left in the database: %s\n' "$left"
[[ $left -eq 0 ]]

step "hpc101, a weekly course (tue@13:00-16:00): built at its start, on only in its windows"
run sync vcluster now=2027-02-02T00:00:30Z executor=pretend | grep -E '^(VCLUSTER|hpc101:)'
run sync vcluster now=2027-02-02T13:00:30Z executor=pretend | grep -E '^(---|VCLUSTER|hpc101:)'
echo "(the teacher wants the freshly installed cluster back for the class)"
run rollback vcluster hpc101
run sync vcluster now=2027-02-02T13:05:00Z executor=pretend | grep -E '^(VCLUSTER|hpc101:)'
run sync vcluster now=2027-02-02T16:00:30Z executor=pretend | grep -E '^(---|VCLUSTER|hpc101:)'
run list vcluster
echo "(syncs missed for weeks converge to the right power state: in the window of 2027-03-09)"
run sync vcluster now=2027-03-09T14:00:00Z executor=pretend | grep -E '^(VCLUSTER|hpc101:)'

step "The end of the course"
run sync vcluster now=2027-05-28T00:00:30Z executor=pretend | grep -E '^(VCLUSTER|hpc101:)'
left=$(($(count) - physical))
printf 'virtual hosts left in the database: %s\n' "$left"
[[ $left -eq 0 ]]
echo
echo "database: $ROCKS_DB"
