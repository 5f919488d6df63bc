#!/usr/bin/env bash
# The main job on the embedded SQLite default: build a sample physical Rocks
# cluster in a fresh database, reserve virtual clusters on it (a data-centre
# cluster and a weekly course cluster), show the refusal of one that does not
# fit, then advance `now` through the start (materialisation: Rocks rows and
# per-host configuration, executed with the dry-run executor) and the end
# (release, nothing left behind).
set -euo pipefail
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

step "Monday 09:00: the start of dc1 (dry-run executor: prints each host's step)"
run sync vcluster now=2026-12-07T09:00:30Z executor=dry-run
run list vcluster
run list vcluster node dc1
run report vcluster dc1 dir="$out/dc1-config" > /dev/null
echo "(every host's generated files and apply/teardown scripts: $out/dc1-config)"
ls "$out/dc1-config"
echo "the tenant's key, installed on the virtual frontend:"
cat "$out/dc1-config/gateway-0-0/files/kit/dc1/authorized_keys"
printf 'hosts in the database: %s physical + %s virtual\n' "$physical" "$(($(count) - physical))"

step "New Year: the end of dc1, everything released"
run sync vcluster now=2027-01-01T00:00:00Z executor=dry-run | tail -3
run list vcluster
left=$(($(count) - physical))
printf 'virtual hosts left in the database: %s\n' "$left"
[[ $left -eq 0 ]]
echo
echo "database: $ROCKS_DB"
