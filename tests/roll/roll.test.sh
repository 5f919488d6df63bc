#!/usr/bin/env bash
# make roll end to end, into a temporary directory: tools/build-roll.sh on the
# existing build, the files each RPM holds (rpm -qpl; none of them a path of
# Rocks' own packages, /opt/rocks/bin/rocks first), an install of the RPMs
# into a scratch root (rpm --root --nodeps) whose `rocks` must find its
# plugins at the installed path, and the roll ISO's layout.
# Env (set by ctest): VCLUSTER_SOURCE_DIR, VCLUSTER_BINARY_DIR.
set -euo pipefail

src=${VCLUSTER_SOURCE_DIR:?}
build=${VCLUSTER_BINARY_DIR:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vcluster-roll-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# expect_lines LISTING LINE...: every LINE is a whole line of LISTING.
expect_lines() {
    local listing=$1
    shift
    for want in "$@"; do
        grep -qxF -- "$want" <<<"$listing" || fail "missing '$want' in:"$'\n'"$listing"
    done
}

mk() { sed -n "s/^$1[[:space:]]*=[[:space:]]*//p" "$src/version.mk" | tr -d '[:space:]'; }
name=$(mk NAME)
version=$(mk VERSION)
release=$(mk RELEASE)
arch=$(mk ROLLS_ARCH)

VCLUSTER_RPMS_DIR=$tmp/RPMS VCLUSTER_ISO_DIR=$tmp/iso VCLUSTER_ROLL_WORK=$tmp/work \
    bash "$src/tools/build-roll.sh" "$build" >"$tmp/build.log" 2>&1 ||
    { cat "$tmp/build.log" >&2; fail "tools/build-roll.sh failed"; }

main=$tmp/RPMS/$arch/$name-$version-$release.$arch.rpm
units=$tmp/RPMS/noarch/$name-units-$version-$release.noarch.rpm
kickstart=$tmp/RPMS/noarch/roll-$name-kickstart-$version-$release.noarch.rpm
iso=$tmp/iso/$name-$version-$release.$arch.disk1.iso
for f in "$main" "$units" "$kickstart" "$iso"; do
    [[ -f $f ]] || fail "not built: $f"
done

echo "--- nothing of Rocks' own in any RPM"
# Paths Rocks' own packages own (../shared/ROCKS.md): its launcher, the
# directories above the roll's files, and every package of Rocks' command
# tree (src/rocks-python/rocks-owned-commands.txt: Rocks 7 core and the KVM
# roll), as a directory or its __init__.py, for Python 2.6 and 2.7.
owned=$tmp/rocks-owned.txt
{
    printf '%s\n' /opt/rocks /opt/rocks/bin /opt/rocks/bin/rocks /opt/rocks/lib /opt/rocks/libexec \
        /opt/rocks/share /opt/rocks/etc /opt/rocks/mysql /var/opt/rocks /etc/rc.d \
        /export /export/profile /export/profile/nodes /export/profile/graphs \
        /export/profile/graphs/default /usr/lib/systemd /usr/lib/systemd/system
    for py in python2.6 python2.7; do
        site=/opt/rocks/lib/$py/site-packages
        printf '%s\n' "/opt/rocks/lib/$py" "$site" "$site/rocks" "$site/rocks/__init__.py" \
            "$site/rocks/commands" "$site/rocks/commands/__init__.py"
        grep -v -e '^#' -e '^$' "$src/src/rocks-python/rocks-owned-commands.txt" |
            sed -e "s|^|$site/rocks/commands/|" -e 'p' -e 's|$|/__init__.py|'
    done
} | sort -u >"$owned"
(($(wc -l <"$owned") > 400)) || fail "the list of Rocks' paths is short: $(wc -l <"$owned")"
for rpm in "$main" "$units" "$kickstart"; do
    clash=$(rpm -qpl "$rpm" | sort -u | comm -12 - "$owned")
    [[ -z $clash ]] || fail "$(basename "$rpm") holds paths of Rocks' own packages:"$'\n'"$clash"
done

echo "--- rpm -qpl"
pysite=/opt/rocks/lib/python2.7/site-packages/rocks/commands
expect_lines "$(rpm -qpl "$main")" \
    /opt/rocks/libexec/vcluster/rocks \
    $pysite/add/vcluster/__init__.py \
    $pysite/add/vcluster/user/token/__init__.py \
    $pysite/list/host/maintenance/__init__.py \
    $pysite/report/host/vcluster/config/__init__.py \
    $pysite/rollback/__init__.py \
    $pysite/rollback/vcluster/__init__.py \
    $pysite/sync/vcluster/__init__.py \
    /opt/rocks/lib/libvcluster-core.so.1 \
    /opt/rocks/lib/vcluster/commands/rocks-list-appliance.so \
    /opt/rocks/lib/vcluster/commands/rocks-list-appliance-graph.so \
    /opt/rocks/lib/vcluster/commands/rocks-report-roll-check.so \
    /opt/rocks/lib/vcluster/commands/rocks-report-appliance-kickstart.so \
    /opt/rocks/share/vcluster/nodes/vcluster-storage.xml \
    /opt/rocks/share/vcluster/graphs/default/vcluster.xml \
    /opt/rocks/share/vcluster/graphs/schema/kickstart.rng \
    /opt/rocks/share/vcluster/graphs/schema/graph.rng
# every plugin of the build is packaged
for so in "$build"/lib/vcluster/commands/rocks-*.so; do
    expect_lines "$(rpm -qpl "$main")" "/opt/rocks/lib/vcluster/commands/$(basename "$so")"
done
expect_lines "$(rpm -qpl "$units")" \
    /usr/lib/systemd/system/vcluster-sync.service \
    /usr/lib/systemd/system/vcluster-sync.timer \
    /usr/lib/systemd/system/vcluster-portal.service
ks_files=$(rpm -qpl "$kickstart")
expect_lines "$ks_files" /export/profile/graphs/default/vcluster.xml
for node in "$src"/nodes/*.xml; do
    expect_lines "$ks_files" "/export/profile/nodes/$(basename "$node")"
done
expect_lines "$(rpm -qp --qf '%{NAME} %{VERSION} %{RELEASE} %{ARCH}\n' "$main" "$units" "$kickstart")" \
    "$name $version $release $arch" "$name-units $version $release noarch" \
    "roll-$name-kickstart $version $release noarch"

echo "--- rpm --root install"
root=$tmp/root
mkdir -p "$root"
rpm --root "$root" --dbpath /var/lib/rpm --initdb 2>/dev/null
rpm --root "$root" --dbpath /var/lib/rpm --nodeps --noscripts -i "$main" "$units" "$kickstart" 2>&1 |
    grep -v -e 'should not be used directly' -e 'assuming you know what you are doing' || true
expect_lines "$(rpm --root "$root" --dbpath /var/lib/rpm -qa --qf '%{NAME}\n' 2>/dev/null)" \
    "$name" "$name-units" "roll-$name-kickstart"
grep -q 'ExecStart=/opt/rocks/libexec/vcluster/rocks sync vcluster' "$root/usr/lib/systemd/system/vcluster-sync.service" ||
    fail "vcluster-sync.service does not run the roll's rocks sync vcluster"
[[ ! -e $root/opt/rocks/bin/rocks ]] || fail "installing the RPMs made /opt/rocks/bin/rocks"
# the modules run the installed dispatcher
grep -qx "DISPATCHER = '/opt/rocks/libexec/vcluster/rocks'" \
    "$root$pysite/list/vcluster/__init__.py" || fail "the list vcluster module runs another rocks"

installed=$root/opt/rocks/libexec/vcluster/rocks
(
    unset ROCKS_PLUGIN_PATH VCLUSTER_ROLL_DIR
    export -n ROCKS_PLUGIN_PATH VCLUSTER_ROLL_DIR
    version_line=$("$installed" --version)
    [[ $version_line == "$name $version-$release" ]] || fail "rocks --version said '$version_line'"
    ROCKS_DB=$tmp/db "$installed" create vcluster database >/dev/null
    listing=$(ROCKS_DB=$tmp/db "$installed" list appliance)
    grep -q '^vm-server: *VM Server *default *vcluster-vm-server *yes' <<<"$listing" ||
        fail "installed rocks list appliance:"$'\n'"$listing"
    # the installed roll files are found next to the installed rocks
    check=$(ROCKS_DB=$tmp/db "$installed" report roll check)
    grep -q "^roll at $root/opt/rocks/share/vcluster: .*no problems" <<<"$check" ||
        fail "installed rocks report roll check:"$'\n'"$check"
    walk=$(ROCKS_DB=$tmp/db "$installed" list appliance graph storage)
    grep -q 'vcluster-iscsi-target' <<<"$walk" || fail "installed walk:"$'\n'"$walk"
    # and the kickstart copy in /export/profile checks too
    ROCKS_DB=$tmp/db "$installed" report roll check dir="$root/export/profile" >/dev/null ||
        fail "the /export/profile copy does not check"
)

echo "--- ISO"
iso_files=$(xorriso -indev "$iso" -find / -type f 2>/dev/null | tr -d "'")
top=/$name/$version/$arch
expect_lines "$iso_files" \
    /.discinfo \
    "$top/roll-$name.xml" \
    "$top/RedHat/RPMS/$(basename "$main")" \
    "$top/RedHat/RPMS/$(basename "$units")" \
    "$top/RedHat/RPMS/$(basename "$kickstart")"
xorriso -osirrox on -indev "$iso" -extract "$top/roll-$name.xml" "$tmp/roll.xml" >/dev/null 2>&1
xmllint --noout "$tmp/roll.xml" || fail "roll-$name.xml is not XML"
grep -q "<info version=\"$version\" release=\"$release\" arch=\"$arch\"" "$tmp/roll.xml" ||
    fail "roll-$name.xml lacks the info element: $(cat "$tmp/roll.xml")"
grep -q '<iso maxsize=' "$tmp/roll.xml" || fail "roll-$name.xml lacks <iso>"
grep -q '<rpm rolls="0" bin="1" src="0"/>' "$tmp/roll.xml" || fail "roll-$name.xml lacks <rpm>"
echo "PASS"
