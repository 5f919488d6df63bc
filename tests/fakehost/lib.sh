# Shared by the fake host tools in bin/: each tool keeps its state as files
# under "$VCLUSTER_HOST_ROOT/state/" and logs every call to state/calls.log.
# Like the real tools, a fake fails when asked to create what exists or to
# remove what does not, so a step repeated in a harmful way breaks the run.
set -euo pipefail
: "${VCLUSTER_HOST_ROOT:?the fake host tools need VCLUSTER_HOST_ROOT}"
state=$VCLUSTER_HOST_ROOT/state
[[ -d $state ]] || mkdir -p -- "$state"

fake_log() {
    local tool=$1
    shift
    printf '%s %s\n' "$tool" "$*" >>"$state/calls.log"
}

# fake_put FILE TEXT: FILE holds TEXT (and a newline) in one step, as the
# real tools' records change for their host: written aside, then renamed, so
# a kill leaves the old content or the new one, never an empty file.
fake_put() {
    printf '%s\n' "$2" >"$1.tmp"
    mv -f -- "$1.tmp" "$1"
}

fake_die() {
    local code=$1
    shift
    echo "$*" >&2
    exit "$code"
}

# by-path links of a logged-in target's LUNs, as udev makes them; they point
# at any block device of this machine so that `[[ -b ... ]]` holds.
fake_make_links() {
    local iqn portal dev="" d lun
    for d in /dev/loop0 /dev/*; do
        if [[ -b $d ]]; then
            dev=$d
            break
        fi
    done
    [[ -n $dev ]] || return 0
    for s in "$state"/session/*; do
        [[ -f $s ]] || continue
        iqn=${s##*/}
        portal=$(cat -- "$s")
        mkdir -p -- "$VCLUSTER_HOST_ROOT/dev/disk/by-path"
        for ((lun = 1; lun <= 8; lun++)); do
            ln -sfn -- "$dev" "$VCLUSTER_HOST_ROOT/dev/disk/by-path/ip-$portal-iscsi-$iqn-lun-$lun"
        done
    done
}
