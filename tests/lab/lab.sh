#!/usr/bin/env bash
# The QEMU lab (issue #7): a physical Rocks cluster of four QEMU guests
# (storage-2-0, vm-server-1-0, vm-server-1-1, gateway-0-0) booting Debian's
# stock cloud kernel, driven by the real `rocks` binary and a SQLite database
# on this machine through the ssh executor. Two overlapping reservations A and
# B (802.1Q VLANs), then C (VXLAN), are built and released by
# `rocks sync vcluster` running only the generated scripts on the guests.
#
# Network: everything lives in one network namespace this script creates
# (the manager runs its `rocks` and ssh in it). Inside: bridge lan0 (the
# private network; it carries the guests' untagged management traffic and the
# clusters' 802.1Q frames) with the manager at 10.1.1.1, and bridge pub0 (the
# public network) with the manager's public leg at 192.0.2.2. Each guest's
# NICs are taps on those bridges. Nothing leaves the namespace.
#
# Virtual nodes: the guests' `virsh` is a stand-in (tests/lab/guest-virsh)
# that turns the generated domain XML into a network namespace with one veth
# per <interface> on the named bridge, carrying the MAC; the lab gives it the
# IP address of its Rocks row (a real node would get it from its frontend).
# The real domain XML is validated with virt-xml-validate here.
#
# Usage: lab.sh BUILD_DIR [NODES] [vlan|vxlan|both|timing]
#   NODES     compute nodes per cluster (default 2: one on each vm-server)
#   timing    only one VLAN cluster's start -> all nodes reachable (scale.sh)
# Prints one line per check (PASS/FAIL) and the wall time of each phase;
# exits non-zero when any check fails. Everything it made is removed on exit.
set -euo pipefail
build=${1:?usage: lab.sh BUILD_DIR [NODES] [vlan|vxlan|both]}
nodes=${2:-2}
networks=${3:-both}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
rocks=$build/bin/rocks
[[ -x $rocks ]] || { echo "error - no $rocks: build first" >&2; exit 1; }

tag=vclab$$
ns=$tag
work=$(mktemp -d "/tmp/$tag.XXXXXX")
export ROCKS_DB=$work/cluster.db
failures=0
t_lab=$(date +%s.%N)

cleanup() {
    local pidfile cm
    set +e
    for cm in "$work"/cm-*; do
        [[ -S $cm ]] && ip netns exec "$ns" ssh -F "$work/ssh_config.lab" -O exit "${cm##*/cm-}" > /dev/null 2>&1
    done
    for pidfile in "$work"/*.pid; do
        [[ -f $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null
    done
    sleep 0.5
    for pidfile in "$work"/*.pid; do
        [[ -f $pidfile ]] && kill -9 "$(cat "$pidfile")" 2>/dev/null
    done
    # Nothing the lab started may outlive it: whatever still names its
    # work directory is a leak (killed, and the lab fails).
    local leftover='' try
    for ((try = 0; try < 20; try++)); do
        leftover=$(pgrep -f -- "$work/" | paste -sd' ')
        [[ -z $leftover ]] && break
        sleep 0.1
    done
    if [[ -n $leftover ]]; then
        echo "lab: FAIL processes outlived the lab: $(ps -o pid=,args= -p "${leftover// /,}" 2>/dev/null | head -5)"
        kill -9 $leftover 2>/dev/null
        leaked=1
    fi
    ip netns del "$ns" 2>/dev/null
    if [[ ${LAB_KEEP_LOGS:-} != "" && -d $work ]]; then
        mkdir -p "$LAB_KEEP_LOGS" && cp "$work"/*.console "$work"/*.log "$LAB_KEEP_LOGS"/ 2>/dev/null
    fi
    rm -rf -- "$work"
    if ((leaked)); then
        exit 1
    fi
}
leaked=0
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
phase() { # NAME START
    printf 'TIME %-40s %6s s\n' "$1" "$(since "$2")"
}
pass() { printf 'PASS %s\n' "$*"; }
fail() {
    printf 'FAIL %s\n' "$*"
    failures=$((failures + 1))
}
die() {
    printf 'FAIL %s\n' "$*"
    exit 1
}
r() { "$rocks" "$@"; }
in_ns() { ip netns exec "$ns" "$@"; }
g() { # HOST COMMAND...: run a command on a guest over ssh
    local host=$1
    shift
    in_ns ssh -F "$work/ssh_config.lab" "$host" "$@" < /dev/null
}
json() { # PYTHON-EXPR over the JSON on stdin bound to d
    python3 -c 'import json, sys
d = json.load(sys.stdin)
r = eval(sys.argv[1])
print("\n".join(r) if isinstance(r, list) else r)' "$1"
}

# ---------------------------------------------------------------- image
t=$(now)
image=$(bash "$here/build-image.sh" "$build/lab")
phase "image (build or cache)" "$t"

# ---------------------------------------------------------------- guests
# name role private-ip mac [public-ip public-mac]
guests=(
    "storage-2-0 storage 10.1.253.1 52:54:00:40:00:00"
    "vm-server-1-0 vm-server 10.1.254.1 52:54:00:30:00:00"
    "vm-server-1-1 vm-server 10.1.254.2 52:54:00:30:00:01"
    "gateway-0-0 gateway 10.1.255.250 52:54:00:20:00:00 192.0.2.10 52:54:00:21:00:00"
)
vg=vg_vcluster

t=$(now)
ssh-keygen -q -t ed25519 -N '' -C lab-manager -f "$work/id"
ssh-keygen -q -t ed25519 -N '' -C tenant@example.org -f "$work/tenant"
{
    printf 'Host *\n  User root\n  IdentityFile %s\n  IdentitiesOnly yes\n' "$work/id"
    printf '  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n'
    printf '  ConnectTimeout 5\n  ServerAliveInterval 10\n'
} > "$work/ssh_config"
# The lab's own checks share one connection per guest (the ssh executor of
# `rocks sync vcluster` uses the plain ssh_config: one connection per step).
{
    printf 'Host *\n  ControlMaster auto\n  ControlPath %s/cm-%%h\n  ControlPersist 600\n' "$work"
    printf 'Include %s\n' "$work/ssh_config"
} > "$work/ssh_config.lab"

ip netns add "$ns"
in_ns ip link set lo up
in_ns ip link add lan0 type bridge stp_state 0
in_ns ip link add pub0 type bridge stp_state 0
in_ns ip addr add 10.1.1.1/16 dev lan0
in_ns ip addr add 192.0.2.2/24 dev pub0
in_ns ip link set lan0 up
in_ns ip link set pub0 up
truncate -s 2G "$work/storage.img"

i=0
for spec in "${guests[@]}"; do
    read -r name role ip mac pubip pubmac <<< "$spec"
    printf 'Host %s\n  HostName %s\n' "$name" "$ip" >> "$work/ssh_config"
    # The guest's own files: its role and addresses, the manager's key.
    extra=$work/extra-$name
    mkdir -p "$extra/etc" "$extra/root/.ssh"
    {
        echo "LAB_HOST=$name LAB_ROLE=$role LAB_VG=$vg"
        echo "LAB_PRIVATE_IP=$ip LAB_PRIVATE_PREFIX=16"
        [[ -z ${pubip:-} ]] || echo "LAB_PUBLIC_IP=$pubip LAB_PUBLIC_PREFIX=24"
    } > "$extra/etc/lab.conf"
    cp "$work/id.pub" "$extra/root/.ssh/authorized_keys"
    if [[ $role == gateway ]]; then
        # Where a Rocks gateway has the installer's kernel and initrd (the
        # defaults of vc_installer_kernel/initrd); the stand-in frontend never
        # boots them, the generated kit step checks they are there.
        mkdir -p "$extra/boot/kickstart/default"
        echo "lab: stands in for Rocks' installer kernel" > "$extra/boot/kickstart/default/vmlinuz-7.0-x86_64"
        echo "lab: stands in for Rocks' installer initrd" > "$extra/boot/kickstart/default/initrd.img-7.0-x86_64"
    fi
    (cd "$extra" && find . | busybox cpio -o -H newc 2>/dev/null) | gzip -1 > "$work/$name.extra.cpio.gz"
    cat "$image/initrd.gz" "$work/$name.extra.cpio.gz" > "$work/$name.initrd"
    in_ns ip tuntap add mode tap name "lt$i" && in_ns ip link set "lt$i" master lan0 up
    nics=(-netdev "tap,id=n0,ifname=lt$i,script=no,downscript=no" -device "virtio-net-pci,netdev=n0,mac=$mac")
    if [[ -n ${pubip:-} ]]; then
        in_ns ip tuntap add mode tap name "lp$i" && in_ns ip link set "lp$i" master pub0 up
        nics+=(-netdev "tap,id=n1,ifname=lp$i,script=no,downscript=no" -device "virtio-net-pci,netdev=n1,mac=$pubmac")
    fi
    disk=()
    [[ $role != storage ]] || disk=(-drive "file=$work/storage.img,if=virtio,format=raw,cache=unsafe")
    in_ns qemu-system-x86_64 -machine pc,accel=tcg -cpu max -m 512 -smp 1 -no-reboot -nodefaults -no-user-config \
        -display none -kernel "$image/vmlinuz" -initrd "$work/$name.initrd" \
        -append "console=ttyS0 panic=-1 quiet" -serial "file:$work/$name.console" \
        "${nics[@]}" "${disk[@]}" -pidfile "$work/$name.pid" -daemonize
    i=$((i + 1))
    unset pubip pubmac
done

for spec in "${guests[@]}"; do
    read -r name _ <<< "$spec"
    for ((try = 0; ; try++)); do
        g "$name" true 2>/dev/null && break
        kill -0 "$(cat "$work/$name.pid")" 2>/dev/null || { tail -20 "$work/$name.console"; die "guest $name stopped"; }
        ((try < 60)) || { tail -20 "$work/$name.console"; die "guest $name: no ssh after 180 s"; }
        sleep 2
    done
done
phase "boot 4 guests to ssh" "$t"

# ---------------------------------------------------------------- database
# The physical cluster in the database mirrors the guests.
t=$(now)
r create vcluster database >/dev/null
r add host manager-0-0 membership=Frontend cpus=2 rack=0 rank=0
r add host interface manager-0-0 eth0 subnet=private ip=10.1.1.1 mac=52:54:00:10:00:01
r add host gateway-0-0 membership=Gateway cpus=1 rack=0 rank=1
r add host interface gateway-0-0 eth0 subnet=private ip=10.1.255.250 mac=52:54:00:20:00:00
r add host interface gateway-0-0 eth1 subnet=public ip=192.0.2.10 mac=52:54:00:21:00:00
r set host attr gateway-0-0 vc_cpus 16
r set host attr gateway-0-0 vc_memory 4096
r set host attr gateway-0-0 vc_public_ips 192.0.2.100-192.0.2.109
r set host attr gateway-0-0 vc_trunk_interface eth0
r set host attr gateway-0-0 vc_public_interface eth1
r set host attr gateway-0-0 vc_public_bridge br-public
for n in 0 1; do
    h=vm-server-1-$n
    r add host "$h" membership="VM Server" cpus=1 rack=1 rank=$n
    r add host interface "$h" eth0 subnet=private ip=10.1.254.$((n + 1)) mac=52:54:00:30:00:0$n
    r set host attr "$h" vc_cpus 32
    r set host attr "$h" vc_memory 8192
    r set host attr "$h" vc_trunk_interface eth0
done
r add host storage-2-0 membership=Storage cpus=1 rack=2 rank=0
r add host interface storage-2-0 eth0 subnet=private ip=10.1.253.1 mac=52:54:00:40:00:00
r set host attr storage-2-0 vc_volume_group "$vg"
r set host attr storage-2-0 vc_pool_size 1800MiB
# The rolls the manager's roll server offers, and the site's answers to a
# virtual frontend's install (public router: the manager's public leg).
for roll in base kernel os; do
    r add vcluster roll "$roll" version=7.0
done
r add vcluster roll vcluster version=1.0.0
r set attr Kickstart_PublicHostname 192.0.2.2
r set attr Kickstart_PublicGateway 192.0.2.2
r set attr Kickstart_PublicDNSServers 192.0.2.2
r set attr vc_placement spread
r set attr vc_vlan_range 100-199
r set attr vc_executor ssh
r set attr vc_ssh_config "$work/ssh_config"
# The portal the virtual frontends' vc-power reaches (https, with a
# self-signed certificate the kits carry), its tenant user "lab": each
# cluster's kit gets a credential scoped to it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=192.0.2.2 -addext subjectAltName=IP:192.0.2.2 \
    -keyout "$work/portal.key" -out "$work/portal.pem" 2> /dev/null
printf 'lab tenant passphrase\n' | r add vcluster user lab > /dev/null
r set attr vc_portal_url https://192.0.2.2:8443
r set attr vc_portal_cacert "$work/portal.pem"
# Its own worker carries the tenants' node actions out on the guests (ssh).
# Not through in_ns: $! of a backgrounded function is its subshell, which a
# kill leaves the portal outliving (it did, holding the namespace alive);
# ip netns exec becomes the portal itself.
ip netns exec "$ns" "$rocks" start vcluster portal listen=192.0.2.2:8443 cert="$work/portal.pem" \
    key="$work/portal.key" executor=ssh act-interval=2s > "$work/portal.log" 2>&1 &
echo $! > "$work/portal.pid"
for ((try = 0; try < 50; try++)); do
    grep -q 'listening on' "$work/portal.log" && break
    kill -0 "$(cat "$work/portal.pid")" 2>/dev/null || die "the portal stopped: $(cat "$work/portal.log")"
    sleep 0.2
done
grep -q 'listening on https://192.0.2.2:8443' "$work/portal.log" || die "the portal is not listening: $(cat "$work/portal.log")"
phase "database (physical cluster)" "$t"

# ---------------------------------------------------------------- helpers
# The lab's story happens on 2026-12-01..02 (every sync says now=); the
# clock the booking commands read is fixed before it, so the lab runs the
# same on any date (a reservation may not end in the past).
export VCLUSTER_NOW=2026-11-30T00:00:00Z
T0=2026-12-01T00:00:00Z
size=16MiB
reserve() { # NAME START END [network=...]
    r add vcluster "$1" start="$2" end="$3" nodes="$nodes" cpus=1 memory=64MiB disk=$size \
        fe-cpus=1 fe-memory=64MiB fe-disk=$size sshkey="$work/tenant.pub" owner=lab "${@:4}" |
        tee "$work/booked-$1"
}
# As the provider: root on a cluster's virtual frontend, with the tenant's key.
tenant_ssh() { # PUBLIC-IP COMMAND...
    local ip=$1
    shift
    in_ns ssh -F /dev/null -i "$work/tenant" -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \
        -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5 -o BatchMode=yes \
        "root@$ip" "$@" < /dev/null
}
sync_at() { # NOW: the lifecycle, on the guests, from the lab's namespace
    in_ns "$rocks" sync vcluster now="$1" executor=ssh ssh-config="$work/ssh_config" >> "$work/sync.log" 2>&1
}
state_of() { r list vcluster output-format=json | json "[x['state'] for x in d if x['name'] == '$1']"; }
rows() { # CLUSTER: "node role host mac ip public" per virtual node (kept
    # while the cluster is built: the checks ask often)
    if [[ ! -s $work/rows-$1 ]]; then
        r list vcluster node "$1" output-format=json |
            json "[' '.join([x['node'], x['role'], x['host'], x['mac'], x['ip'], x['public'] or '-']) for x in d if x['role'] != 'storage']" > "$work/rows-$1"
    fi
    cat "$work/rows-$1"
}
# Nodes get their addresses as real ones do: the stand-in frontend from its
# kit (site.attrs), the computes from their frontend's DHCP by MAC.
# sync_until CLUSTER STATE NOW: sync (the same instant again: the install
# probe) until CLUSTER is in STATE, at most 6 times.
sync_until() {
    local try
    for ((try = 0; try < 6; try++)); do
        sync_at "$3" || true
        [[ $(state_of "$1") == "$2" ]] && return 0
        sleep 1
    done
    return 1
}
# every_node_reaches CLUSTER: each compute pings its frontend and the
# frontend pings each compute (one round, 1 s timeout).
reachable() { # CLUSTER
    local fe_host fe_ip node role host mac ip public
    read -r _ _ fe_host _ fe_ip _ < <(rows "$1" | awk '$2 == "frontend"')
    while read -r node role host mac ip public; do
        [[ $role == compute ]] || continue
        g "$host" "ip netns exec vm-$node ping -c 1 -W 1 $fe_ip" > /dev/null 2>&1 || return 1
        g "$fe_host" "ip netns exec vm-$1-frontend ping -c 1 -W 1 $ip" > /dev/null 2>&1 || return 1
    done < <(rows "$1")
}
wait_reachable() { # CLUSTER
    local try
    for ((try = 0; try < 60; try++)); do
        reachable "$1" && return 0
        sleep 0.5
    done
    return 1
}
start_cluster() { # CLUSTER NOW: syncs from the start until active, wait for reachability
    local t0
    t0=$(now)
    sync_until "$1" active "$2" || { tail -30 "$work/sync.log"; return 1; }
    phase "$1: syncs at start until active ($nodes nodes)" "$t0"
    wait_reachable "$1" || return 1
    phase "$1: start -> all nodes reachable ($nodes nodes)" "$t0"
    echo "REACHABLE $1 nodes=$nodes seconds=$(since "$t0")"
}

# Guest state the checks read: read_state fetches everything with one ssh
# per guest (in parallel) into $work/state-HOST; the accessors below read it.
read_state() {
    g storage-2-0 "lvs --noheadings --units b --nosuffix -o lv_name,lv_size $vg | awk '{ print \"lv\", \$1, \$2 }'
        tgtadm --lld iscsi --mode target --op show | awk '/^Target [0-9]+:/ { print \"target\", \$3 }'
        tgtadm --lld iscsi --mode account --op show | awk 'NR > 1 { print \"account\", \$1 }'" > "$work/state-storage-2-0" &
    local host pids=($!)
    for host in vm-server-1-0 vm-server-1-1 gateway-0-0; do
        g "$host" "iscsiadm -m session 2>/dev/null | awk '{ print \"session\", \$4 }'
            ip -o link show | awk -F': ' '{ sub(/@.*/, \"\", \$2); print \"link\", \$2 }'
            ls /run/netns 2>/dev/null | sed 's/^/netns /'; true" > "$work/state-$host" &
        pids+=($!)
    done
    wait "${pids[@]}" # these, not the portal running beside the lab
}
field() { awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$work/state-$1" | sort; }
lvs_of() { field storage-2-0 lv; }
targets() { field storage-2-0 target; }
accounts() { field storage-2-0 account; }
sessions() { field "$1" session; }
links() { field "$1" link | grep -E '^(vlan|vcbr|vx|vxbr)' || true; }
netns_of() { field "$1" netns; }
hosts_of() { sort -u < <(rows "$1" | awk '{ print $3 }'); }
iqn_of() { grep -o 'iqn[^>]*' "$work/tree-$1/storage-2-0/files/tgt/vcluster-$1.conf"; }

vlan_phase() {
    local t a_start a_end b_end
    t=$(now)
    a_start=$T0
    a_end=2026-12-01T06:00:00Z
    b_end=2026-12-01T12:00:00Z
    # ---- 1. admission and materialisation
    reserve a "$a_start" "$a_end" > /dev/null || die "1 reservation a refused"
    reserve b 2026-12-01T00:00:00Z "$b_end" > /dev/null || die "1 reservation b refused"
    local vlan_a vlan_b
    vlan_a=$(r list vcluster output-format=json | json "[x['vlan'] for x in d if x['name'] == 'a']")
    vlan_b=$(r list vcluster output-format=json | json "[x['vlan'] for x in d if x['name'] == 'b']")
    start_cluster a 2026-12-01T00:00:05Z || fail "1 cluster a not built (see sync log above)"
    # b starts at the same instant; the syncs above built it too.
    [[ $(state_of b) == active ]] || sync_until b active 2026-12-01T00:00:05Z || fail "1 cluster b not active"
    wait_reachable b || fail "1 cluster b nodes not reachable"
    r report vcluster a dir="$work/tree-a" > /dev/null
    r report vcluster b dir="$work/tree-b" > /dev/null
    local ok=1 host
    read_state
    [[ -n $vlan_a && -n $vlan_b && $vlan_a != "$vlan_b" ]] || ok=0
    [[ $(state_of a) == active && $(state_of b) == active ]] || ok=0
    for host in $(hosts_of a | grep -v storage); do
        links "$host" | grep -qx "vlan$vlan_a" || ok=0
    done
    for host in $(hosts_of b | grep -v storage); do
        links "$host" | grep -qx "vlan$vlan_b" || ok=0
    done
    for f in "$work"/tree-[ab]/*/files/libvirt/*.xml; do
        virt-xml-validate "$f" domain > /dev/null 2>&1 || { ok=0; echo "invalid domain XML: $f"; }
    done
    if ((ok)); then
        pass "1 overlapping reservations a (VLAN $vlan_a) and b (VLAN $vlan_b) admitted and built on the guests by rocks sync vcluster (domain XML valid)"
    else
        fail "1 a/b built: vlan a=$vlan_a b=$vlan_b states $(state_of a)/$(state_of b)"
    fi

    # ---- 2. isolation
    check_isolation a b "$vlan_a" "$vlan_b"
    # ---- 3. storage
    check_storage a b
    # ---- 4. frontend kit and public leg
    check_frontend a
    # ---- 7. the unattended install's chain: kit image, tenant's login, DHCP
    check_install a b "$vlan_a"
    phase "checks 1-4, 7" "$t"
    # ---- 8. the tenant resets a compute from inside its frontend
    t=$(now)
    check_tenant_power a b
    phase "a: reset from inside the frontend (check 8)" "$t"
    # ---- 4b. the install snapshot and a roll-back to it, on real LVM
    t=$(now)
    check_rollback a
    phase "a: roll-back (check 4b)" "$t"
    # ---- 5d (part 1). a's volumes filled with a marker before its end
    [[ $networks != both ]] || mark_lvs a

    # ---- 5. teardown of a at its end, b untouched
    t=$(now)
    local before_b after_b
    before_b=$(snapshot b "$vlan_b")
    sync_at 2026-12-01T06:00:05Z || true
    phase "a: sync at end" "$t"
    check_released a "$vlan_a"
    after_b=$(snapshot b "$vlan_b")
    if [[ $before_b == "$after_b" ]] && reachable b; then
        pass "5b cluster b untouched by a's teardown (LVs, targets, sessions, links, namespaces identical; nodes reachable)"
    else
        fail "5b cluster b changed by a's teardown"
        diff <(echo "$before_b") <(echo "$after_b") || true
    fi
    t=$(now)
    if [[ $networks == both ]]; then
        # b's end and c's (VXLAN) start at the same instant: one sync
        # releases b and builds c.
        reserve c "$b_end" 2026-12-01T18:00:00Z network=vxlan > /dev/null || die "6 reservation c refused"
        sync_until c active 2026-12-01T12:00:05Z || fail "6 cluster c (vxlan) not built"
        phase "b: end + c (vxlan): syncs until active" "$t"
    else
        sync_at 2026-12-01T12:00:05Z || true
    fi
    check_released b "$vlan_b"
}

check_rollback() { # A: the `installed` snapshot of each LV after the install,
    # a marker written on a compute's LV is gone after `rocks rollback`.
    local a=$1 ok=1 lv want got before after
    want=$(rows "$a" | awk '{ print "vc-" $1 ".installed" }' | sort)
    read_state
    got=$(lvs_of | awk '{ print $1 }' | grep -- "^vc-$a-.*\.installed\$" || true)
    [[ $want == "$got" ]] || { ok=0; echo "snapshots: want $(echo $want) got $(echo $got)"; }
    lv=/dev/$vg/vc-$(rows "$a" | awk '$2 == "compute" { print $1; exit }')
    local marker=LAB-ROLLBACK-MARKER
    readback="sync; echo 3 > /proc/sys/vm/drop_caches; dd if=$lv bs=19 count=1 2>/dev/null | tr -d '\\000'"
    before=$(g storage-2-0 "printf $marker | dd of=$lv conv=notrunc 2>/dev/null && $readback")
    [[ $before == "$marker" ]] || { ok=0; echo "marker not written on $lv: '$before'"; }
    r rollback vcluster "$a" > /dev/null || { ok=0; echo "rollback of $a refused"; }
    sync_at 2026-12-01T00:30:00Z || true
    after=$(g storage-2-0 "$readback")
    [[ -z $after ]] || { ok=0; echo "after the roll-back $lv starts with '$after'"; }
    read_state
    got=$(lvs_of | awk '{ print $1 }' | grep -- "^vc-$a-.*\.installed\$" || true)
    [[ $want == "$got" ]] || { ok=0; echo "snapshots after the roll-back: want $(echo $want) got $(echo $got)"; }
    [[ $(state_of "$a") == active ]] || { ok=0; echo "$a is $(state_of "$a") after the roll-back"; }
    wait_reachable "$a" || { ok=0; echo "$a's nodes not reachable after the roll-back"; }
    if ((ok)); then
        pass "4b each of $a's $(wc -l <<< "$want") LVs has its 'installed' snapshot (lvs); a marker written on $lv is gone after rocks rollback vcluster $a + sync (lvconvert --merge), the snapshot is taken again and the nodes answer"
    else
        fail "4b install snapshot / roll-back of $a"
    fi
}

snapshot() { # CLUSTER ID: what the guests hold for it
    read_state
    lvs_of | grep -- "^vc-$1-" || true
    targets | grep -- "vcluster\.$1\$" || true
    accounts | grep -x -- "vc-$1" || true
    local host
    for host in vm-server-1-0 vm-server-1-1 gateway-0-0; do
        echo "$host: $(sessions "$host" | grep -- "vcluster\.$1\$" | tr '\n' ' ')" \
            "$(links "$host" | grep -E "^(vlan|vcbr|vx|vxbr)$2\$" | tr '\n' ' ')" \
            "$(netns_of "$host" | grep -- "^vm-$1-" | tr '\n' ' ')"
    done
}

check_isolation() { # A B VLAN_A VLAN_B
    local a=$1 b=$2 vlan_a=$3 vlan_b=$4
    local -a ca
    mapfile -t ca < <(rows "$a" | awk '$2 == "compute"')
    local n0 h0 ip0 n1 h1 ip1 mac0
    read -r n0 _ h0 mac0 ip0 _ <<< "${ca[0]}"
    read -r n1 _ h1 _ ip1 _ <<< "${ca[${#ca[@]} - 1]}"
    # Captures: on b's bridge of every host of the trunk, and (a positive
    # control) on the trunk of a's first vm-server, for 802.1Q tags.
    local host
    for host in vm-server-1-0 vm-server-1-1 gateway-0-0; do
        g "$host" "setsid tcpdump -Z root -i vcbr$vlan_b -nn -e -U -w /tmp/capb.pcap </dev/null >/dev/null 2>&1 & echo \$! > /tmp/capb.pid"
    done
    g "$h0" "setsid tcpdump -Z root -i eth0 -nn -e -U -w /tmp/trunk.pcap </dev/null >/dev/null 2>&1 & echo \$! > /tmp/trunk.pid"
    sleep 2
    local ok=1
    if [[ $h0 != "$h1" ]]; then
        g "$h0" "ip netns exec vm-$n0 ping -c 3 -W 2 $ip1" > /dev/null || ok=0
        g "$h1" "ip netns exec vm-$n1 ping -c 3 -W 2 $ip0" > /dev/null || ok=0
    else
        ok=2
    fi
    # An ARP broadcast for an address nobody has, and pings to it.
    g "$h0" "ip netns exec vm-$n0 arping -c 3 -I eth0 10.1.200.200 >/dev/null 2>&1; ip netns exec vm-$n0 ping -c 2 -W 1 10.1.200.200 >/dev/null 2>&1; true"
    sleep 2
    for host in vm-server-1-0 vm-server-1-1 gateway-0-0; do
        g "$host" 'kill -INT "$(cat /tmp/capb.pid)"' || true
    done
    g "$h0" 'kill -INT "$(cat /tmp/trunk.pid)"' || true
    sleep 1
    local leaked=0 seen_b
    for host in vm-server-1-0 vm-server-1-1 gateway-0-0; do
        seen_b=$(g "$host" "tcpdump -Z root -r /tmp/capb.pcap -nn -e 2>/dev/null | grep -ci -- '$mac0' || true")
        leaked=$((leaked + seen_b))
    done
    local tagged arp_tagged
    g "$h0" "tcpdump -Z root -r /tmp/trunk.pcap -nn -e 2>/dev/null | grep -i -- '$mac0'" > "$work/trunk.txt" || true
    tagged=$(grep -c "vlan $vlan_a," "$work/trunk.txt" || true)
    arp_tagged=$(grep "vlan $vlan_a," "$work/trunk.txt" | grep -c 'ARP.*10\.1\.200\.200' || true)
    if ((ok == 1)) && ((leaked == 0)) && ((tagged > 0)) && ((arp_tagged > 0)); then
        pass "2 $a's nodes ping each other across vm-servers ($n0@$h0 <-> $n1@$h1); $tagged frames from $mac0 tagged VLAN $vlan_a on the trunk ($arp_tagged ARP broadcasts), 0 of them on $b's bridge vcbr$vlan_b on any host"
    else
        fail "2 isolation: cross-server ping ok=$ok, frames of $a on $b's bridges=$leaked, tagged on trunk=$tagged, ARP tagged=$arp_tagged"
        head -n 5 "$work/trunk.txt"
    fi
}

check_storage() { # A B
    local a=$1 b=$2 want got ok=1 bytes
    bytes=$(( ${size%MiB} * 1048576 ))
    want=$( { rows "$a"; rows "$b"; } | awk -v s="$bytes" '{ print "vc-" $1, s }' | sed -E 's/^vc-([a-z0-9]+)-/vc-\1-/' | sort)
    read_state
    got=$(lvs_of | grep -v '\.installed ' || true) # the snapshots: check 4b
    [[ $want == "$got" ]] || { ok=0; echo "LVs: want"; echo "$want"; echo "got"; echo "$got"; }
    local host c expect
    for host in vm-server-1-0 vm-server-1-1 gateway-0-0; do
        expect=$(for c in "$a" "$b"; do hosts_of "$c" | grep -qx "$host" && iqn_of "$c"; done | sort)
        [[ $(sessions "$host") == "$expect" ]] || { ok=0; echo "sessions on $host: $(sessions "$host" | tr '\n' ' ') want $expect"; }
        # Each cluster's node record keeps its own CHAP account (a later
        # cluster's discovery on the same host must not reset it), so the
        # host can log in again after a reboot.
        for c in "$a" "$b"; do
            hosts_of "$c" | grep -qx "$host" || continue
            local auth
            auth=$(g "$host" "iscsiadm -m node -T $(iqn_of "$c") -p 10.1.253.1:3260 -o show 2>/dev/null |
                grep -E '^node.session.auth.(authmethod|username) '" | awk '{ print $3 }' | tr '\n' ' ')
            [[ $auth == "CHAP vc-$c " ]] || { ok=0; echo "node record of $c on $host has auth '$auth', not CHAP vc-$c"; }
            # The password was written into the record file itself (never an
            # iscsiadm argument): the file iscsiadm reads, owner-only.
            local mode
            mode=$(g "$host" "stat -c %a /etc/iscsi/nodes/$(iqn_of "$c")/10.1.253.1,3260,*/default 2>&1")
            [[ $mode == 600 ]] || { ok=0; echo "node record file of $c on $host: mode '$mode', not 600"; }
        done
    done
    # b's credentials on a's target, from a host in a's initiator ACL, through
    # a second iSCSI interface so that a's own session stays up.
    local h0 user secret portal
    h0=$(rows "$a" | awk '$2 == "compute" { print $3; exit }')
    user=vc-$b
    secret=$(cat "$work/tree-$b/$(hosts_of "$b" | grep -v storage | head -n 1)/files/iscsi/vcluster-$b.secret")
    portal=10.1.253.1:3260
    local out
    if out=$(g "$h0" "iscsiadm -m iface -I labprobe -o new >/dev/null 2>&1 || true
        iscsiadm -m discovery -t sendtargets -p $portal -I labprobe >/dev/null
        iscsiadm -m node -T $(iqn_of "$a") -p $portal -I labprobe -o update -n node.session.auth.authmethod -v CHAP
        iscsiadm -m node -T $(iqn_of "$a") -p $portal -I labprobe -o update -n node.session.auth.username -v $user
        iscsiadm -m node -T $(iqn_of "$a") -p $portal -I labprobe -o update -n node.session.auth.password -v $secret
        iscsiadm -m node -T $(iqn_of "$a") -p $portal -I labprobe --login 2>&1; rc=\$?
        iscsiadm -m node -T $(iqn_of "$a") -p $portal -I labprobe -o delete >/dev/null 2>&1
        iscsiadm -m node -T $(iqn_of "$b") -p $portal -I labprobe -o delete >/dev/null 2>&1
        exit \$rc" 2>&1); then
        ok=0
        echo "login to $a's target with $b's credentials succeeded: $out"
    elif ! grep -qi 'auth' <<< "$out"; then
        ok=0
        echo "login with $b's credentials failed, but not on authentication: $out"
    fi
    if ((ok)); then
        pass "3 storage-2-0 holds exactly the LVs of $a and $b ($(wc -l <<< "$got") LVs of $bytes bytes); each host is logged in to exactly its clusters' targets with CHAP; $b's credentials on $a's target: $(grep -io 'authorization failure\|authentication failure' <<< "$out" | head -n 1)"
    else
        fail "3 storage/iSCSI"
    fi
}

check_frontend() { # A
    local a=$1 ok=1 key fe_host
    fe_host=$(rows "$a" | awk '$2 == "frontend" { print $3 }')
    key=$(cut -d' ' -f1-2 "$work/tenant.pub")
    g "$fe_host" "grep -qF '$key' /export/vcluster/$a/kit/authorized_keys" || { ok=0; echo "tenant key not in $a's kit"; }
    # The frontend's second NIC: its host end is a port of the public bridge
    # whose uplink is the gateway's vc_public_interface (eth1).
    local pub
    pub=$(rows "$a" | awk '$2 == "frontend" { print $6 }')
    g "$fe_host" "peer=\$(ip -n vm-$a-frontend -o link show eth1 | sed -n 's/.*@if\([0-9]*\).*/\1/p')
        port=\$(ip -o link show | awk -F': ' -v i=\"\$peer\" '\$1 == i { sub(/@.*/, \"\", \$2); print \$2 }')
        ip -o link show \$port | grep -q 'master br-public' && ip -o link show eth1 | grep -q 'master br-public'" ||
        { ok=0; echo "frontend's eth1 not on br-public with eth1"; }
    in_ns ping -c 2 -W 2 "$pub" > /dev/null || { ok=0; echo "frontend public address $pub unreachable from the public network"; }
    # The bridge was made by the generated step from eth1 (guest-init only
    # gave eth1 an address and a route): both moved onto the bridge.
    g "$fe_host" "ip -o addr show dev br-public | grep -qF ' 192.0.2.10/24 ' &&
        ! ip -o addr show dev eth1 | grep -qF ' inet ' &&
        ip route show 198.51.100.0/24 | grep -qF 'via 192.0.2.2 dev br-public'" ||
        { ok=0; echo "the gateway's address or route did not move from eth1 to br-public"; }
    in_ns ping -c 2 -W 2 192.0.2.10 > /dev/null || { ok=0; echo "the gateway's public address 192.0.2.10 unreachable after the bridge was made"; }
    if ((ok)); then
        pass "4 tenant's ssh key in $a's frontend kit; the public bridge made by the roll from eth1 (the gateway's address and route moved onto it, 192.0.2.10 answers); the frontend's public NIC is on it, $pub answers from the public network"
    else
        fail "4 frontend kit / public leg"
    fi
}

check_install() { # A B VLAN_A: what the stand-in frontends consumed, and how
    local a=$1 b=$2 vlan_a=$3 ok pub_a pub_b fe_host out
    fe_host=$(rows "$a" | awk '$2 == "frontend" { print $3 }')
    pub_a=$(rows "$a" | awk '$2 == "frontend" { print $6 }')
    pub_b=$(rows "$b" | awk '$2 == "frontend" { print $6 }')
    # 7a. The installer read the kit from the image attached to its VM (a
    # loop device), not from /export, and found every key it needs.
    ok=1
    out=$(g "$fe_host" "cat /run/lab-virsh/$a-frontend.install.log; cat /var/lib/lab-vm/$a-frontend/install.log") || ok=0
    # (mtools may first warn, on the same line, that a loop device has no geometry)
    grep -q "vcluster kit read from /dev/loop[0-9]* into /tmp\$" <<< "$out" || ok=0
    grep -q "required site.attrs keys present and non-empty" <<< "$out" || ok=0
    g "$fe_host" "cmp /export/vcluster/$a/kit/site.attrs /var/lib/lab-vm/$a-frontend/site.attrs" || ok=0
    if ((ok)); then
        pass "7a $a's stand-in installer read its kit from the attached kit image ($(grep -o '/dev/loop[0-9]*' <<< "$out" | head -n 1), the roll's installer hook) and found $(grep -o '^all [0-9]* required' <<< "$out" | cut -d' ' -f2) required site.attrs keys non-empty, with rolls and url="
    else
        fail "7a kit of $a through the kit image: $out"
    fi
    # 7b. The provider's view: root on the frontend's public address with
    # the tenant's key runs a command; without that key, no login.
    ok=1
    local who
    who=$(tenant_ssh "$pub_a" 'echo "$(id -un)@$(cat /proc/sys/kernel/hostname) $(wc -l < /root/.ssh/authorized_keys)"') || ok=0
    [[ $who == root@* ]] || ok=0
    if in_ns ssh -F /dev/null -i "$work/id" -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \
        -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5 -o BatchMode=yes \
        "root@$pub_a" true < /dev/null 2>/dev/null; then
        ok=0
        echo "the lab manager's key (not the tenant's) logs in to $a's frontend"
    fi
    if ((ok)); then
        pass "7b ssh -i tenant root@$pub_a runs a command on $a's frontend ($who key line); another key is refused"
    else
        fail "7b tenant login to $a's frontend ($pub_a): '$who'"
    fi
    # 7c. Each compute took its name and address from its frontend's DHCP
    # by MAC; a's frontend's DHCP answers none of b's MACs.
    ok=1
    local node role host mac ip lease guest
    while read -r node role host mac ip _; do
        [[ $role == compute ]] || continue
        guest=${node#*-} # <cluster>-compute-0-N is compute-0-N inside
        lease=$(g "$host" "cat /run/lab-virsh/$node.lease 2>/dev/null")
        [[ $lease == "$guest $ip "* ]] || { ok=0; echo "$node ($mac) lease '$lease', want '$guest $ip'"; }
    done < <(rows "$a"; rows "$b")
    local bmac
    read -r _ _ _ bmac _ < <(rows "$b" | awk '$2 == "compute"' | head -n 1)
    # A stand-in VM carrying b's compute MAC, on a's private bridge.
    if g "$fe_host" "ip netns add labprobe && ip link add lpv0 type veth peer name eth0 netns labprobe &&
        ip -n labprobe link set eth0 address $bmac && ip link set lpv0 master vcbr$vlan_a &&
        ip link set lpv0 up && ip -n labprobe link set eth0 up &&
        ip netns exec labprobe udhcpc -i eth0 -n -q -t 3 -T 1 -s /bin/true > /dev/null 2>&1; rc=\$?
        ip netns del labprobe; ip link del lpv0 2>/dev/null; exit \$rc"; then
        ok=0
        echo "$b's MAC $bmac got a lease on $a's VLAN"
    fi
    local seen
    # a's dnsmasq saw the probe's DISCOVER and offered nothing.
    seen=$(tenant_ssh "$pub_a" "grep -i -- '$bmac' /run/lab-fe/dhcp.log | grep -ciE 'DHCPOFFER|DHCPACK' || true")
    [[ $seen == 0 ]] || { ok=0; echo "$a's DHCP offered $b's MAC an address ($seen lines)"; }
    if ((ok)); then
        pass "7c every compute of $a and $b got its own name and address from its frontend's DHCP (dnsmasq, by the kit's MACs); $b's MAC $bmac on $a's VLAN gets no offer from $a's frontend"
    else
        fail "7c DHCP of the computes by MAC"
    fi
    # 7d. Another cluster's VM cannot read a's kit: on the gateway it is
    # root-only and attached to a's frontend only; from inside b's frontend
    # (root, by b's tenant key) neither the files nor any device hold it.
    ok=1
    out=$(g "$fe_host" "stat -c '%a %U' /export/vcluster/$a /export/vcluster/$a/kit /export/vcluster/$a/kit.img /export/vcluster/$a/kit/site.attrs /export/vcluster/$a/kit/authorized_keys | sort -u | tr '\n' ' '")
    [[ $out == "600 root 700 root " ]] || { ok=0; echo "modes of a's kit on the gateway: $out"; }
    if tenant_ssh "$pub_b" "cat /export/vcluster/$a/kit/site.attrs /export/vcluster/$a/kit.img" > /dev/null 2>&1; then
        ok=0
        echo "$b's frontend reads $a's kit files"
    fi
    out=$(tenant_ssh "$pub_b" "for d in /dev/loop[0-9]* /dev/vd? /dev/fd0; do [ -b \$d ] && mcopy -n -i \$d ::site.attrs - 2>/dev/null; done | grep -c '^Info_ClusterName:$a\$' || true")
    [[ $out == 0 ]] || { ok=0; echo "$b's frontend finds $a's kit on a device ($out)"; }
    if ((ok)); then
        pass "7d $a's kit is root-only on the gateway (dirs 0700, files and image 0600) and attached only to $a's VM: from $b's frontend neither the files nor a device with it can be read"
    else
        fail "7d another cluster reads $a's kit"
    fi
}

# Check 8: as Rocks' airboss lets a tenant, root on a's frontend resets one
# of its computes with the kit's vc-power: over https to the portal (the
# site's CA from the kit), carried out by the portal's own worker through the
# ssh executor on the vm-server (virsh reset); the compute boots again and
# asks its frontend's DHCP anew; its console tail comes back the same way.
# The credential acts on a's nodes only.
check_tenant_power() { # A B
    local a=$1 b=$2 ok=1 pub node host mac guest before after out state try
    pub=$(rows "$a" | awk '$2 == "frontend" { print $6 }')
    read -r node _ host mac _ _ < <(rows "$a" | awk '$2 == "compute"' | head -n 1)
    guest=${node#*-}
    vcp() { tenant_ssh "$pub" "/opt/vcluster/bin/vc-power $*"; }
    acks() { tenant_ssh "$pub" "grep -i 'DHCPACK' /run/lab-fe/dhcp.log | grep -ci -- '$mac' || true"; }
    tenant_ssh "$pub" "grep -qx 'cacert=/root/.vc-power-ca.pem' /root/.vc-power.conf && grep -q 'BEGIN CERTIFICATE' /root/.vc-power-ca.pem" ||
        { ok=0; echo "$a's frontend has no vc-power credential with the site's CA"; }
    before=$(acks)
    out=$(vcp "$guest" reset 2>&1) || { ok=0; echo "vc-power $guest reset: $out"; }
    state=
    for ((try = 0; try < 60; try++)); do
        state=$(vcp "$guest" history | json "d[0]['state']" 2>/dev/null) || state=
        [[ $state == done || $state == failed ]] && break
        sleep 1
    done
    [[ $state == done ]] || { ok=0; echo "the reset of $guest is '$state' after ${try} s: $(tail -n 5 "$work/portal.log")"; }
    out=$(g "$host" "cat /run/lab-virsh/$node.resets 2>/dev/null")
    [[ $out == 1 ]] || { ok=0; echo "$node on $host was reset '$out' times, not once"; }
    for ((try = 0; try < 20; try++)); do
        after=$(acks)
        ((after > before)) && break
        sleep 0.5
    done
    ((after > before)) || { ok=0; echo "$a's DHCP acked $mac $before times before the reset and $after after"; }
    wait_reachable "$a" || { ok=0; echo "$a's nodes not reachable after the reset"; }
    # The console, the same way: captured by the worker, then read.
    out=$(vcp "$guest" console 2>&1) || { ok=0; echo "vc-power $guest console: $out"; }
    local console=
    for ((try = 0; try < 60; try++)); do
        console=$(vcp "$guest" tail 2>/dev/null) && break
        sleep 1
    done
    grep -qx "lab: $node reset" <<< "$console" || { ok=0; echo "the console tail of $guest lacks its reset: '$console'"; }
    # Scoped to a: b's nodes are unknown to it, nothing else answers.
    local refused
    refused=$(tenant_ssh "$pub" "sed 's/^cluster=.*/cluster=$b/' /root/.vc-power.conf > /tmp/other.conf
        VC_POWER_CONF=/tmp/other.conf /opt/vcluster/bin/vc-power $guest reset" 2>&1) && ok=0
    [[ $refused == "error - unknown vcluster '$b'" ]] || { ok=0; echo "a's credential on $b: '$refused'"; }
    local bnode bhost
    read -r bnode _ bhost _ < <(rows "$b" | awk '$2 == "compute"' | head -n 1)
    out=$(g "$bhost" "cat /run/lab-virsh/$bnode.resets 2>/dev/null || echo 0")
    [[ $out == 0 ]] || { ok=0; echo "$b's $bnode was reset"; }
    if ((ok)); then
        pass "8 root on $a's frontend: vc-power $guest reset over https (the kit's CA) -> the portal's worker ran virsh reset on $host over ssh (once); $guest asked $a's DHCP again ($before -> $after acks) and answers; its console tail shows the reset; the credential on $b: $refused"
    else
        fail "8 the tenant's reset from inside $a's frontend"
    fi
}

# Check 5d: no tenant reads another's blocks. mark_lvs fills every LV of a
# cluster (not its snapshots) with a marker and keeps the extents they all
# had; check_zeroed, once a later cluster is built after the first one's end,
# reads each of its LVs through: none may show the marker, and some of its
# extents must be ones the first cluster had (or nothing is proven).
extents() { # CLUSTER: "PV:first-last" of each segment of its LVs and snapshots
    g storage-2-0 "lvs --noheadings -o lv_name,seg_pe_ranges $vg" | awk -v c="vc-$1-" 'index($1, c) == 1 { print $2 }'
}
mark_lvs() { # CLUSTER
    local lv
    read_state
    extents "$1" > "$work/extents-$1"
    for lv in $(lvs_of | awk -v c="vc-$1-" 'index($1, c) == 1 && $1 !~ /\./ { print $1 }'); do
        g storage-2-0 "yes LAB-TENANT-MARKER | dd of=/dev/$vg/$lv bs=64k conv=fsync 2>/dev/null; sync; true"
    done
}
check_zeroed() { # OLD NEW
    local ok=1 lv n shared lvs=0
    read_state
    shared=$(awk 'function add(r, t,   p, a, i) { split(r, p, ":"); split(p[2], a, "-"); for (i = a[1] + 0; i <= a[2] + 0; i++) t[p[1] ":" i] = 1 }
        FILENAME == ARGV[1] { add($1, old); next }
        { split("", cur); add($1, cur); for (k in cur) if (k in old) n++ }
        END { print n + 0 }' "$work/extents-$1" <(extents "$2"))
    for lv in $(lvs_of | awk -v c="vc-$2-" 'index($1, c) == 1 && $1 !~ /\./ { print $1 }'); do
        lvs=$((lvs + 1))
        n=$(g storage-2-0 "echo 3 > /proc/sys/vm/drop_caches; dd if=/dev/$vg/$lv bs=64k 2>/dev/null | grep -a -c LAB-TENANT-MARKER; true")
        [[ ${n:-0} == 0 ]] || { ok=0; echo "$lv shows $n line(s) of $1's marker"; }
    done
    ((lvs > 0 && shared > 0)) || { ok=0; echo "$2: $lvs LVs, $shared extents that $1 had: nothing proven"; }
    if ((ok)); then
        pass "5d $2's $lvs new LVs, on $shared extents $1's LVs had (filled with a marker before its end), read back without any of $1's data (zeroed under a temporary name before their own)"
    else
        fail "5d $2's LVs show $1's blocks"
    fi
}

check_released() { # CLUSTER VLAN-or-VNI-DEVICE-SUFFIX
    local c=$1 id=$2 ok=1 host left
    read_state
    left=$(lvs_of | grep -c -- "^vc-$c-" || true)
    ((left == 0)) || { ok=0; echo "$left LVs of $c left"; }
    targets | grep -q -- "vcluster\.$c\$" && { ok=0; echo "target of $c left"; }
    accounts | grep -qx -- "vc-$c" && { ok=0; echo "CHAP account of $c left"; }
    for host in vm-server-1-0 vm-server-1-1 gateway-0-0; do
        sessions "$host" | grep -q -- "vcluster\.$c\$" && { ok=0; echo "session of $c left on $host"; }
        links "$host" | grep -qE "^(vlan|vcbr|vx|vxbr)$id\$" && { ok=0; echo "links of $c left on $host: $(links "$host" | tr '\n' ' ')"; }
        netns_of "$host" | grep -q -- "^vm-$c-" && { ok=0; echo "VM of $c left on $host"; }
    done
    r list host output-format=json | grep -q "\"$c-" && { ok=0; echo "host rows of $c left"; }
    case $(state_of "$c") in
    released | "") ;; # released reservations may leave the listing
    *) ok=0; echo "$c is $(state_of "$c")" ;;
    esac
    if ((ok)); then
        pass "5 at its end $c is torn down: no LV (nor snapshot), target, CHAP account, session, VLAN/VXLAN link, bridge, VM or host row of $c remains"
    else
        fail "5 teardown of $c"
        g storage-2-0 "tail -n 20 /var/log/tgtd.log" || true
    fi
}

vxlan_phase() { # c: already started by vlan_phase's last sync (both), or here
    local t vni c_end=2026-12-01T18:00:05Z
    t=$(now)
    if [[ $networks == vxlan ]]; then
        reserve c 2026-12-02T00:00:00Z 2026-12-02T06:00:00Z network=vxlan > /dev/null || die "6 reservation c refused"
        start_cluster c 2026-12-02T00:00:05Z || fail "6 cluster c (vxlan) not built"
        c_end=2026-12-02T06:00:05Z
    fi
    wait_reachable c || fail "6 cluster c nodes not reachable"
    vni=$(r list vcluster output-format=json | json "[x['vlan'] for x in d if x['name'] == 'c']")
    r report vcluster c dir="$work/tree-c" > /dev/null
    local -a cc
    mapfile -t cc < <(rows c | awk '$2 == "compute"')
    local n0 h0 ip0 n1 h1 ip1 ok=1 host
    read -r n0 _ h0 _ ip0 _ <<< "${cc[0]}"
    read -r n1 _ h1 _ ip1 _ <<< "${cc[${#cc[@]} - 1]}"
    g "$h0" "ip netns exec vm-$n0 ping -c 2 -W 2 $ip1" > /dev/null || ok=0
    g "$h1" "ip netns exec vm-$n1 ping -c 2 -W 2 $ip0" > /dev/null || ok=0
    read_state
    for host in $(hosts_of c | grep -v storage); do
        links "$host" | grep -q '^vx' || { ok=0; echo "no vxlan link on $host"; }
    done
    if ((ok)); then
        pass "6 VXLAN cluster c (VNI ${vni:-?}) built on the guests; $n0@$h0 <-> $n1@$h1 ping over the tunnel"
    else
        fail "6 VXLAN cluster c"
    fi
    # ---- 5d (part 2). c, built after a's end, reads none of a's blocks
    [[ $networks != both ]] || check_zeroed a c
    sync_at "$c_end" || true
    check_released c "[0-9]+"
    phase "vxlan cluster c (check, release)" "$t"
}

timing_phase() { # one VLAN cluster alone: start -> all nodes reachable
    reserve a "$T0" 2026-12-01T06:00:00Z > /dev/null || die "reservation a refused"
    start_cluster a 2026-12-01T00:00:05Z || fail "cluster a not built or not reachable"
}

case $networks in
vlan) vlan_phase ;;
timing) timing_phase ;;
vxlan) vxlan_phase ;;
both)
    vlan_phase
    vxlan_phase
    ;;
*) die "the mode must be vlan, vxlan, both or timing" ;;
esac

phase "lab total" "$t_lab"
if ((failures > 0)); then
    echo "lab: $failures check(s) failed; sync log tail:"
    tail -40 "$work/sync.log"
    exit 1
fi
echo "lab: all checks passed"
