#!/usr/bin/env bash
# End-to-end: the portal daemon on a free loopback port, driven by real
# headless Chromium (Debian's chromium + playwright-core pinned in
# package-lock.json, installed here into a cache on first use). Logs in, books
# a cluster, gets the refusal for an impossible one (the same text as the
# command line's), powers a node of a built cluster off and on with its
# buttons (carried out by the portal's own worker on the fake hosts) and
# keeps build/artifacts/portal.png.
set -euo pipefail
: "${ROCKS:?} ${VCLUSTER_SOURCE_DIR:?} ${VCLUSTER_BINARY_DIR:?}"
here="$VCLUSTER_SOURCE_DIR/tests/e2e"

# playwright-core into the build tree, once per lock file content.
lock_sum=$(sha256sum "$here/package-lock.json" | cut -c1-16)
modules="$VCLUSTER_BINARY_DIR/e2e-node/$lock_sum"
if [[ ! -f "$modules/node_modules/playwright-core/package.json" ]]; then
    mkdir -p "$VCLUSTER_BINARY_DIR/e2e-node"
    staging=$(mktemp -d "$VCLUSTER_BINARY_DIR/e2e-node/staging.XXXXXX")
    cp "$here/package.json" "$here/package-lock.json" "$staging/"
    (cd "$staging" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    mkdir -p "$(dirname "$modules")"
    rm -rf "$modules"
    mv "$staging" "$modules"
fi

work=$(mktemp -d)
portal_pid=
cleanup() {
    if [[ -n "$portal_pid" ]]; then
        kill "$portal_pid" 2>/dev/null || true
        wait "$portal_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

export ROCKS_DB="$work/cluster.db" VCLUSTER_NOW=2026-12-01T00:00:00Z
r() { "$ROCKS" "$@"; }
r create vcluster database >/dev/null
r add host gateway-0-0 membership=Gateway
for roll in base kernel os hpc; do
    r add vcluster roll $roll version=7.0
done
r set attr Kickstart_PublicHostname manager.example.org
r set attr Kickstart_PublicGateway 192.0.2.1
r set host attr gateway-0-0 vc_cpus 16
r set host attr gateway-0-0 vc_memory 65536
r set host attr gateway-0-0 vc_public_ips 192.0.2.100
r add host storage-2-0 membership=Storage
r set host attr storage-2-0 vc_pool_size 1TiB
for i in 0 1; do
    r add host vm-server-1-$i "membership=VM Server"
    r set host attr vm-server-1-$i vc_cpus 8
    r set host attr vm-server-1-$i vc_memory 16384
done
# The hosts' interfaces and attributes a build needs, and alice's c1 built
# now on the fake hosts (tests/fakehost), for the page's node buttons.
r add host interface gateway-0-0 eth0 subnet=private ip=10.1.255.250 mac=52:54:00:20:00:00
r add host interface gateway-0-0 eth1 subnet=public ip=192.0.2.10 mac=52:54:00:21:00:00
r set host attr gateway-0-0 vc_trunk_interface eth0
r set host attr gateway-0-0 vc_public_interface eth1
for i in 0 1; do
    r add host interface vm-server-1-$i eth0 subnet=private ip=10.1.254.$((i + 1)) \
        mac=52:54:00:30:00:0$i
    r set host attr vm-server-1-$i vc_trunk_interface eth0
done
r add host interface storage-2-0 eth0 subnet=private ip=10.1.253.1 mac=52:54:00:40:00:00
r set host attr storage-2-0 vc_volume_group vg_vcluster
password=alice-e2e-password
printf '%s\n' "$password" | r add vcluster user alice
ssh-keygen -q -t ed25519 -N '' -C tenant@example.org -f "$work/tenant" >/dev/null

r add vcluster c1 start=2026-12-01T00:00:00Z end=2026-12-03T00:00:00Z nodes=1 \
    sshkey="$work/tenant.pub" owner=alice >/dev/null
hosts="$work/hosts"
act=(executor=local "host-root=$hosts" "tool-path=$VCLUSTER_SOURCE_DIR/tests/fakehost/bin")
r sync vcluster now=2026-12-01T00:00:30Z "${act[@]}" >/dev/null
r list vcluster c1 | grep -q '^c1: *alice *active' || { echo "c1 not built"; exit 1; }

# Started directly (not through r), so $! is the daemon itself and the trap
# kills it. Its own worker carries out the node actions at once.
"$ROCKS" start vcluster portal listen=127.0.0.1:0 "${act[@]}" act-interval=1s \
    >"$work/portal.out" 2>"$work/portal.err" &
portal_pid=$!
for _ in $(seq 100); do
    grep -q listening "$work/portal.out" 2>/dev/null && break
    sleep 0.1
done
url=$(sed -n 's/^vcluster portal listening on //p' "$work/portal.out")
[[ "$url" == http://127.0.0.1:* ]] || { echo "portal did not start"; cat "$work/portal.err"; exit 1; }

mkdir -p "$VCLUSTER_BINARY_DIR/artifacts"
shot="$VCLUSTER_BINARY_DIR/artifacts/portal.png"
rm -f "$shot"
refusal=$(PORTAL_URL="$url" SCREENSHOT="$shot" SSH_KEY="$(cat "$work/tenant.pub")" HOSTS="$hosts" \
    ALICE_PASSWORD="$password" NODE_PATH="$modules/node_modules" node "$here/portal.e2e.js")

# What the browser booked is in the database, as alice's; the refused one is not.
listing=$(r list vcluster)
grep -q '^e2e1: *alice *scheduled' <<<"$listing" || { echo "e2e1 not booked: $listing"; exit 1; }
if grep -q '^e2e2' <<<"$listing"; then echo "e2e2 was booked"; exit 1; fi
# The page showed the command line's refusal, word for word.
set +e
cli=$(r add vcluster e2e2 start=2027-01-04T09:00:00Z end=2027-01-10T00:00:00Z nodes=2 \
    sshkey="$work/tenant.pub" owner=alice 2>&1)
rc=$?
set -e
[[ $rc -eq 2 ]] || { echo "rocks add vcluster exit $rc: $cli"; exit 1; }
[[ "$cli" == "error - $refusal" ]] || { printf 'page:  %s\ncli:   %s\n' "$refusal" "$cli"; exit 1; }
# The screenshot is a real PNG of a real size.
[[ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ]]
[[ $(stat -c %s "$shot") -gt 20000 ]]
# The buttons' actions are the cluster's history, as alice's.
history=$(r list vcluster node c1 output-format=json)
grep -q '"node":"c1-compute-0-0".*"power":"on", "action":"on done"' <<<"$history" ||
    { echo "no action on record: $history"; exit 1; }
echo "e2e: booked e2e1, refused e2e2 as the CLI does, powered c1's compute off and on;" \
    "screenshot $shot"
