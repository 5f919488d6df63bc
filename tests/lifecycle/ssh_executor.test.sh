#!/usr/bin/env bash
# The ssh executor for real: a real sshd on 127.0.0.1 (a free high port, a
# host key and authorized_keys made here), an ssh_config (ssh-config=) that
# maps the cluster's host names to it and gives each host, with SetEnv (which
# sshd's AcceptEnv lets through), its own fake root and the fake tool path.
# A full start -> end with executor=ssh must leave the fake hosts as a run
# with the local executor does: built (same objects, VMs running), then empty.
# The sshd is killed in all cases.
set -euo pipefail
sshd=/usr/sbin/sshd
[[ -x $sshd ]] || { echo "openssh-server is missing (tests/apt-packages.txt)"; exit 1; }
rocks="$VCLUSTER_BINARY_DIR/bin/rocks"
export ROCKS_PLUGIN_PATH="$VCLUSTER_BINARY_DIR/lib/vcluster/commands"
tools="$VCLUSTER_SOURCE_DIR/tests/fakehost/bin"
tmp=$(mktemp -d)
sshd_pid=""
cleanup() {
    if [[ -n $sshd_pid ]]; then
        kill "$sshd_pid" 2>/dev/null || true
        wait "$sshd_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
user=$(id -un)

ssh-keygen -q -t ed25519 -N '' -C vcluster-test-host -f "$tmp/host_key"
ssh-keygen -q -t ed25519 -N '' -C vcluster-test-manager -f "$tmp/manager_key"
cp "$tmp/manager_key.pub" "$tmp/authorized_keys"
chmod 600 "$tmp/authorized_keys"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$tmp/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $tmp/host_key
PidFile none
AuthorizedKeysFile $tmp/authorized_keys
AllowUsers $user
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
AcceptEnv VCLUSTER_ROOT VCLUSTER_HOST_ROOT VCLUSTER_TOOL_PATH VCLUSTER_HOST
LogLevel ERROR
CONF
# sshd run as root wants its privilege separation directory.
if [[ $(id -u) == 0 && ! -d /run/sshd ]]; then
    mkdir -p -m 0755 /run/sshd
fi
"$sshd" -D -e -f "$tmp/sshd_config" 2>"$tmp/sshd.log" &
sshd_pid=$!
echo "[127.0.0.1]:$port $(cut -d' ' -f1-2 "$tmp/host_key.pub")" >"$tmp/known_hosts"
for ((i = 0; i < 100; i++)); do
    ssh-keyscan -p "$port" 127.0.0.1 2>/dev/null | grep -q . && break
    kill -0 "$sshd_pid" 2>/dev/null || { cat "$tmp/sshd.log"; exit 1; }
    sleep 0.1
done

export ROCKS_DB="$tmp/ssh.db"
bash "$VCLUSTER_SOURCE_DIR/tools/sample-cluster.sh" "$rocks" >/dev/null
"$rocks" add vcluster c1 start=2026-12-07T09:00:00Z end=2026-12-31T00:00:00Z nodes=1 \
    sshkey="$tmp/manager_key.pub" fqdn=c1.example.org >/dev/null
cp "$tmp/ssh.db" "$tmp/local.db"

# One Host block per host of the cluster, all on the one sshd.
for host in $("$rocks" list host | awk 'NR > 1 { sub(":$", "", $1); print $1 }'); do
    cat >>"$tmp/ssh_config" <<CONF
Host $host
    HostName 127.0.0.1
    Port $port
    User $user
    IdentityFile $tmp/manager_key
    IdentitiesOnly yes
    UserKnownHostsFile $tmp/known_hosts
    StrictHostKeyChecking yes
    SetEnv VCLUSTER_ROOT=$tmp/ssh-hosts/$host VCLUSTER_HOST_ROOT=$tmp/ssh-hosts/$host VCLUSTER_TOOL_PATH=$tools VCLUSTER_HOST=$host
CONF
done
for host in $("$rocks" list host | awk 'NR > 1 { sub(":$", "", $1); print $1 }'); do
    mkdir -p "$tmp/ssh-hosts/$host"
done

# Every file the fakes keep (call logs aside), with the state of each
# domain: what both runs must agree on (CHAP secrets differ by design).
objects() {
    (cd "$1" && find . \( -type f -o -type l \) ! -name calls.log | sort)
    (cd "$1" && for d in ./*/state/domain/*; do [[ -f $d ]] && echo "$d: $(cat "$d")"; done) || true
}
fail() { echo "FAIL: $*"; exit 1; }
state() { "$rocks" list vcluster c1 output-format=json | sed -n 's/.*"state": *"\([^"]*\)".*/\1/p'; }

start=now=2026-12-07T09:00:30Z
end=now=2026-12-31T00:00:30Z
"$rocks" sync vcluster "$start" executor=ssh ssh-config="$tmp/ssh_config" >"$tmp/ssh-start.out" ||
    { cat "$tmp/ssh-start.out"; fail "ssh start"; }
[[ $(state) == active ]] || { cat "$tmp/ssh-start.out"; fail "ssh start left c1 $(state)"; }
ROCKS_DB="$tmp/local.db" "$rocks" sync vcluster "$start" executor=local host-root="$tmp/local-hosts" \
    tool-path="$tools" >"$tmp/local-start.out"
objects "$tmp/ssh-hosts" >"$tmp/ssh.objects"
objects "$tmp/local-hosts" >"$tmp/local.objects"
diff -u "$tmp/local.objects" "$tmp/ssh.objects" || fail "ssh and local starts differ"
grep -q 'state/lv/vg_vcluster/vc-c1-frontend.installed$' "$tmp/ssh.objects" || fail "no snapshot"
grep -q 'gateway-0-0/state/domain/c1-frontend: running' "$tmp/ssh.objects" || fail "frontend not running"
grep -q 'state/session/' "$tmp/ssh.objects" || fail "no iSCSI session"
# The steps really went through sshd: each host's calls were made there.
grep -q '^virsh start c1-frontend' "$tmp/ssh-hosts/gateway-0-0/state/calls.log" || fail "no virsh start"

"$rocks" sync vcluster "$end" executor=ssh ssh-config="$tmp/ssh_config" >"$tmp/ssh-end.out" ||
    { cat "$tmp/ssh-end.out"; fail "ssh end"; }
[[ $(ROCKS_DB="$tmp/ssh.db" "$rocks" list vcluster output-format=json) == "[]" ]] ||
    fail "c1 still listed after its end"
left=$(objects "$tmp/ssh-hosts")
# Only the gateway's public bridge stays (made from eth1, kept for other
# clusters; tests/support/FakeHosts.h).
kept=$(printf './gateway-0-0/%s\n' etc/sysconfig/network-scripts/ifcfg-br-public \
    etc/sysconfig/network-scripts/ifcfg-eth1 state/link/br-public/state state/link/br-public/type \
    state/link/eth1/master state/link/eth1/state)
[[ $left == "$kept" ]] || fail "left after the end: $(diff <(echo "$kept") <(echo "$left"))"
echo "ssh executor: ok (sshd on 127.0.0.1:$port)"
