#!/usr/bin/env bash
# The main job on the embedded SQLite default: build a sample physical Rocks
# cluster in a fresh database, reserve virtual clusters on it (a data-centre
# cluster and a weekly course cluster), show the refusal of one that does not
# fit, then advance `now` through the start (materialisation: Rocks rows and
# per-host configuration, executed with the pretend executor (prints each step and records it as done); the wait for the
# virtual frontend's install and the automatic snapshot), a snapshot and a
# roll-back, the end (release, nothing left behind), then a weekly course
# cluster in Berlin time with holidays (built before its first class, VMs on
# at the opening, shut down at the close, across the change to summer time)
# and its end, and a cluster per student booked, listed and removed as a group.
set -euo pipefail
# The manager's shell zone plays no part in the course's hours (they are in
# the reservation's zone): the demo's shell is in New York to show it.
export TZ=America/New_York
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

step "A new database (no other command creates one: a typo in db= is refused)"
run create vcluster database

step "A sample physical cluster: 1 manager, 2 gateways, 8 vm-servers, 2 storage nodes"
bash "$root/tools/sample-cluster.sh" "$rocks"
run list host
run list host interface gateway-0-0 vm-server-1-0 storage-2-0
run list host attr vm-server-1-0
run list appliance
physical=$(count)

step "Tenants' ssh keys"
rm -f "$out/provider" "$out/provider.pub" "$out/teacher" "$out/teacher.pub" "$out"/student*
ssh-keygen -q -t ed25519 -N '' -C provider@example.org -f "$out/provider"
ssh-keygen -q -t ed25519 -N '' -C teacher@example.org -f "$out/teacher"
for i in 1 2 3 4; do
    ssh-keygen -q -t ed25519 -N '' -C "student$i@example.org" -f "$out/student$i"
    cat "$out/student$i.pub"
done >"$out/students.keys"

step "Reservations: a data centre's 16-node cluster and a weekly course"
run add vcluster dc1 start=2026-12-07T09:00:00Z end=2026-12-31T23:59:59Z nodes=16 memory=2GiB disk=20GiB \
    rolls=base,kernel,os,hpc,sge sshkey="$out/provider.pub" owner=provider fqdn=dc1.example.org
echo "(the course: Tuesdays 13:00-16:00 Berlin time, no class on 23 March nor in the Easter week)"
run add vcluster hpc101 start=2027-02-02T00:00 end=2027-05-28T00:00 nodes=8 cpus=2 memory=4GiB \
    disk=10GiB repeat=tue@13:00-16:00 tz=Europe/Berlin skip=2027-03-23,2027-04-13..2027-04-20 \
    sshkey="$out/teacher.pub" owner=teacher fqdn=hpc101.example.org
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

step "hpc101, a weekly course (tue@13:00-16:00 Europe/Berlin): built before its first class"
echo "(its start: nothing yet; the build begins vc_install_allowance (2h) before the first window,"
echo " 13:00 CET = 12:00Z, and it stays on through that class)"
run sync vcluster now=2027-02-02T00:00:30Z executor=pretend
run sync vcluster now=2027-02-02T10:00:30Z executor=pretend | grep -E '^(VCLUSTER|hpc101:)'
echo "(the teacher wants the freshly installed cluster back for the class)"
run rollback vcluster hpc101
run sync vcluster now=2027-02-02T12:05:00Z executor=pretend | grep -E '^(VCLUSTER|hpc101:)'
echo "(the close: the guests are asked to shut down (ACPI), stopped hard only after vc_shutdown_timeout)"
run sync vcluster now=2027-02-02T15:00:30Z executor=pretend | grep -E '^(---|VCLUSTER|hpc101:)'
run list vcluster hpc101
echo "(syncs missed for weeks converge to the right power state: in the window of 2027-03-09)"
run sync vcluster now=2027-03-09T13:00:00Z executor=pretend | grep -E '^(VCLUSTER|hpc101:)'
echo "(23 March is a holiday: after the class of the 16th it stays off until the 30th, which is in"
echo " summer time: 13:00 CEST = 11:00Z)"
run sync vcluster now=2027-03-23T12:30:00Z executor=pretend | grep -E '^(VCLUSTER|hpc101:)'
run sync vcluster now=2027-03-30T11:00:30Z executor=pretend | grep -E '^(VCLUSTER|hpc101:)'
echo "(a holiday added later)"
run set vcluster hpc101 skip=+2027-05-04
run list vcluster hpc101

step "A cluster per student: lab-01 .. lab-04, booked at once, each with its student's key"
run add vcluster lab count=4 start=2027-04-01T00:00 end=2027-05-28T00:00 nodes=1 repeat=thu@09:00-12:00 \
    tz=Europe/Berlin skip=2027-04-15 sshkeys="$out/students.keys" owner=teacher
run list vcluster lab
"$rocks" report vcluster calendar from=2027-04-01T00:00:00Z to=2027-04-29T00:00:00Z output-format=svg \
    > "$out/course-calendar.svg"
echo "(the course and the group in the calendar picture, holidays hollow: $out/course-calendar.svg)"
printf '$ rocks remove vcluster lab\n'
"$rocks" remove vcluster lab && exit 1 || true
run remove vcluster lab confirm=4
run list vcluster

step "The end of the course"
run sync vcluster now=2027-05-28T00:00:30Z executor=pretend | grep -E '^(VCLUSTER|hpc101:)'
left=$(($(count) - physical))
printf 'virtual hosts left in the database: %s\n' "$left"
[[ $left -eq 0 ]]
echo
echo "database: $ROCKS_DB"
