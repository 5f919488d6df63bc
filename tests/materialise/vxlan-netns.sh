#!/usr/bin/env bash
# Runs the generated VXLAN network configuration of two hosts for real:
# each "host" is a network namespace, joined by a veth pair (the physical
# private network, trunk0); each gets a namespace "VM" on its cluster bridge.
# Checks: the VMs ping each other across the tunnel; a second apply succeeds
# and changes nothing; teardown twice succeeds and leaves no vx*/vxbr* link,
# also after a partial apply.
# The gateway (HOST_A) also has a public leg, eth1 (192.0.2.10/24, a route
# to 198.51.100.0/24 through 192.0.2.1 in namespace "pub"): its apply makes
# the public bridge br-public from eth1, moving the address and the route
# onto it; the public network stays reachable, a second apply changes
# nothing, and teardown leaves the bridge (other clusters use it).
# Usage: vxlan-netns.sh TREE HOST_A HOST_B VNI VM_A_IP VM_B_IP
set -euo pipefail
tree=$1 host_a=$2 host_b=$3 vni=$4 vm_a_ip=$5 vm_b_ip=$6
tag=vct$$
ns_a=$tag-a ns_b=$tag-b vm_a=$tag-va vm_b=$tag-vb ns_pub=$tag-p
work=$(mktemp -d)

cleanup() {
    local ns
    for ns in "$vm_a" "$vm_b" "$ns_a" "$ns_b" "$ns_pub"; do
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -rf -- "$work"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

in_ns() {
    local ns=$1
    shift
    ip netns exec "$ns" "$@"
}

apply() { # NS HOST SCRIPT
    in_ns "$1" env VCLUSTER_SECTIONS=network VCLUSTER_ROOT="$work/$2" bash "$tree/$2/$3"
}

state() { # NS: links, addresses, routes and static forwarding entries, without counters
    in_ns "$1" ip -d -o link show | sed -E 's/ +/ /g; s/[a-z_]+_timer [0-9.]+//g' | sort
    in_ns "$1" ip -o addr show | sed -E 's/valid_lft.*//' | sort
    in_ns "$1" ip route show | sort
    in_ns "$1" bridge fdb show dev "vx$vni" 2>/dev/null | grep -v self$ | grep permanent | sort || true
}

for ns in "$ns_a" "$ns_b" "$vm_a" "$vm_b" "$ns_pub"; do
    ip netns add "$ns"
    in_ns "$ns" ip link set lo up
done
# The gateway's public leg, as a Rocks install leaves it.
ip link add "$tag-pa" type veth peer name "$tag-pb"
ip link set "$tag-pa" netns "$ns_a" name eth1
ip link set "$tag-pb" netns "$ns_pub" name eth0
in_ns "$ns_pub" ip addr add 192.0.2.1/24 dev eth0
in_ns "$ns_pub" ip link set eth0 up
in_ns "$ns_a" ip addr add 192.0.2.10/24 dev eth1
in_ns "$ns_a" ip link set eth1 up
in_ns "$ns_a" ip route add 198.51.100.0/24 via 192.0.2.1 dev eth1
ip link add "$tag-ta" type veth peer name "$tag-tb"
ip link set "$tag-ta" netns "$ns_a" name trunk0
ip link set "$tag-tb" netns "$ns_b" name trunk0
in_ns "$ns_a" ip addr add 192.168.231.1/24 dev trunk0
in_ns "$ns_b" ip addr add 192.168.231.2/24 dev trunk0
in_ns "$ns_a" ip link set trunk0 up
in_ns "$ns_b" ip link set trunk0 up

apply "$ns_a" "$host_a" apply.sh
apply "$ns_b" "$host_b" apply.sh

public_ok() { # WHEN: eth1 is a port of br-public, which has the address and the route
    in_ns "$ns_a" ip -o link show eth1 | grep -q ' master br-public ' || fail "$1: eth1 is not a port of br-public"
    in_ns "$ns_a" ip -o addr show dev br-public | grep -qF ' 192.0.2.10/24 ' || fail "$1: 192.0.2.10/24 not on br-public"
    ! in_ns "$ns_a" ip -o addr show dev eth1 | grep -qF ' inet ' || fail "$1: eth1 kept an address"
    in_ns "$ns_a" ip route show 198.51.100.0/24 | grep -qF 'via 192.0.2.1 dev br-public' || fail "$1: the route did not move to br-public"
    in_ns "$ns_a" ping -c 1 -W 2 192.0.2.1 >/dev/null || fail "$1: the public network is unreachable from the gateway"
    in_ns "$ns_pub" ping -c 1 -W 2 192.0.2.10 >/dev/null || fail "$1: the gateway's public address does not answer"
}
public_ok "after apply"

# A "VM" on each host: a namespace whose eth0 is plugged into the bridge.
plug() { # HOST_NS VM_NS IP SUFFIX
    ip link add "$tag-$4h" type veth peer name "$tag-$4g"
    ip link set "$tag-$4h" netns "$1"
    ip link set "$tag-$4g" netns "$2" name eth0
    in_ns "$1" ip link set "$tag-$4h" master "vxbr$vni"
    in_ns "$1" ip link set "$tag-$4h" up
    in_ns "$2" ip addr add "$3/16" dev eth0
    in_ns "$2" ip link set eth0 up
}
plug "$ns_a" "$vm_a" "$vm_a_ip" a
plug "$ns_b" "$vm_b" "$vm_b_ip" b

in_ns "$vm_a" ping -c 3 -W 2 "$vm_b_ip" >/dev/null || fail "VM on $host_a cannot reach $vm_b_ip"
in_ns "$vm_b" ping -c 3 -W 2 "$vm_a_ip" >/dev/null || fail "VM on $host_b cannot reach $vm_a_ip"

before_a=$(state "$ns_a")
before_b=$(state "$ns_b")
apply "$ns_a" "$host_a" apply.sh || fail "second apply on $host_a"
apply "$ns_b" "$host_b" apply.sh || fail "second apply on $host_b"
after_a=$(state "$ns_a")
after_b=$(state "$ns_b")
[[ $after_a == "$before_a" ]] || fail "second apply changed $host_a: $(diff <(echo "$before_a") <(echo "$after_a"))"
[[ $after_b == "$before_b" ]] || fail "second apply changed $host_b: $(diff <(echo "$before_b") <(echo "$after_b"))"
in_ns "$vm_a" ping -c 1 -W 2 "$vm_b_ip" >/dev/null || fail "no traffic after second apply"

for round in 1 2; do
    apply "$ns_a" "$host_a" teardown.sh || fail "teardown $round on $host_a"
    apply "$ns_b" "$host_b" teardown.sh || fail "teardown $round on $host_b"
done
for ns in "$ns_a" "$ns_b"; do
    if in_ns "$ns" ip -o link show | grep -E ": vx(br)?${vni}[:@]"; then
        fail "teardown left links in $ns"
    fi
done
in_ns "$ns_a" ip -o link show trunk0 >/dev/null || fail "teardown removed the trunk"
public_ok "after teardown"

# A half-done apply (tunnel created, bridge never made) is cleaned up too.
in_ns "$ns_a" ip link add "vx$vni" type vxlan id "$vni" local 192.168.231.1 dev trunk0 dstport 4789
apply "$ns_a" "$host_a" teardown.sh || fail "teardown after a partial apply"
if in_ns "$ns_a" ip -o link show | grep -E ": vx(br)?${vni}[:@]"; then
    fail "teardown after a partial apply left links"
fi
echo "vxlan: ping across, idempotent apply, teardown clean; public bridge made from eth1 and kept"
