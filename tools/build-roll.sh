#!/usr/bin/env bash
# make roll: the vcluster roll's RPMs and its ISO, from an existing build.
#
#   tools/build-roll.sh [BUILD_DIR]          (default: build)
#
# 1. stage:  DESTDIR=<work>/stage cmake --install BUILD_DIR --prefix /opt/rocks
#            (the dispatcher in /opt/rocks/libexec/vcluster, never
#            /opt/rocks/bin/rocks; the modules for Rocks' own rocks command in
#            its site-packages), plus nodes/graphs in /export/profile (where
#            Rocks' kickstart generator reads them) and the units in
#            /usr/lib/systemd/system.
# 2. RPMs:   rpmbuild -bb src/rpm/vcluster.spec packages the staged tree (no
#            compiling in rpmbuild) into $VCLUSTER_RPMS_DIR/<arch>/:
#            vcluster, vcluster-units, roll-vcluster-kickstart.
# 3. ISO:    the Rocks roll layout (as `rocks create roll` makes it)
#              .discinfo
#              vcluster/<version>/<arch>/roll-vcluster.xml
#              vcluster/<version>/<arch>/RedHat/RPMS/*.rpm
#              vcluster/<version>/<arch>/SRPMS/
#            written by xorriso to $VCLUSTER_ISO_DIR/vcluster-<version>-<release>.<arch>.disk1.iso
#            When ROLLSROOT names Rocks' build tree ($ROLLSROOT/etc/Rolls.mk
#            exists), roll-vcluster.xml and the ISO come from Rocks' own rules
#            instead: tools/rocks-roll.mk includes Rolls.mk for the XML, then
#            Rocks' `rocks create roll` ($ROCKS_BASE_COMMAND, default
#            /opt/rocks/bin/rocks: Rocks' own command on a Rocks build host).
#
# Name, version, release, colour and arch come from version.mk only.
# Output locations (for tests; defaults write into the source tree):
#   VCLUSTER_RPMS_DIR   default <source>/RPMS
#   VCLUSTER_ISO_DIR    default <source>
#   VCLUSTER_ROLL_WORK  default BUILD_DIR/roll (scratch, recreated)
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)

mk() { sed -n "s/^$1[[:space:]]*=[[:space:]]*//p" "$src/version.mk" | tr -d '[:space:]'; }
name=$(mk NAME)
version=$(mk VERSION)
release=$(mk RELEASE)
color=$(mk COLOR)
arch=$(mk ROLLS_ARCH)
[[ -n $name && -n $version && -n $release && -n $arch ]] || {
    echo "build-roll: version.mk lacks NAME, VERSION, RELEASE or ROLLS_ARCH" >&2
    exit 1
}
[[ -x $build/bin/rocks ]] || {
    echo "build-roll: no $build/bin/rocks; build first (make build)" >&2
    exit 1
}
for tool in rpmbuild xorriso; do
    command -v "$tool" >/dev/null || {
        echo "build-roll: $tool is not installed (tests/apt-packages.txt)" >&2
        exit 1
    }
done

rpms=${VCLUSTER_RPMS_DIR:-$src/RPMS}
isodir=${VCLUSTER_ISO_DIR:-$src}
work=${VCLUSTER_ROLL_WORK:-$build/roll}
mkdir -p "$rpms" "$isodir"
rpms=$(cd "$rpms" && pwd)
isodir=$(cd "$isodir" && pwd)
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

echo "build-roll: checking the roll's node and graph files"
"$build/bin/rocks" report roll check dir="$src"

echo "build-roll: staging the install tree"
stage=$work/stage
DESTDIR=$stage cmake --install "$build" --prefix /opt/rocks >/dev/null
mkdir -p "$stage/usr/lib/systemd/system" "$stage/export/profile/nodes" \
    "$stage/export/profile/graphs/default"
mv "$stage"/opt/rocks/share/vcluster/systemd/* "$stage/usr/lib/systemd/system/"
rmdir "$stage/opt/rocks/share/vcluster/systemd"
cp "$src"/nodes/*.xml "$stage/export/profile/nodes/"
# The roll's modules in Rocks' command tree: the RPM owns the directories
# rocks-python-shims made for the roll's commands, never one of Rocks'.
pydir=/opt/rocks/$(sed -n 's/^VCLUSTER_ROCKS_PYTHON_SUBDIR:[A-Z]*=//p' "$build/CMakeCache.txt")
[[ -s $build/rocks-python/owned-dirs.txt && -d $stage$pydir/rocks/commands ]] || {
    echo "build-roll: no Rocks command modules in the build (build/rocks-python)" >&2
    exit 1
}
sed "s|^|$pydir/|" "$build/rocks-python/owned-dirs.txt" >"$work/python-files.txt"
cp "$src"/graphs/default/*.xml "$stage/export/profile/graphs/default/"

echo "build-roll: rpmbuild into $rpms"
rpmbuild -bb --quiet --target "$arch" \
    --define "_topdir $work/rpmbuild" \
    --define "_rpmdir $rpms" \
    --define "_build_id_links none" \
    --define "debug_package %{nil}" \
    --define "__strip /bin/true" \
    --define "vc_name $name" \
    --define "vc_version $version" \
    --define "vc_release $release" \
    --define "vc_stage $stage" \
    --define "vc_python_files $work/python-files.txt" \
    "$src/src/rpm/vcluster.spec"

built=("$rpms/$arch/$name-$version-$release.$arch.rpm"
    "$rpms/noarch/$name-units-$version-$release.noarch.rpm"
    "$rpms/noarch/roll-$name-kickstart-$version-$release.noarch.rpm")
for rpm in "${built[@]}"; do
    [[ -f $rpm ]] || { echo "build-roll: rpmbuild did not make $rpm" >&2; exit 1; }
done

iso=$isodir/$name-$version-$release.$arch.disk1.iso

if [[ -n ${ROLLSROOT:-} && -f $ROLLSROOT/etc/Rolls.mk ]]; then
    # Rocks' own rules: Rolls.mk writes roll-<name>.xml, `rocks create roll`
    # lays out and writes the ISO (it reads the RPMs from ./RPMS).
    echo "build-roll: ROLLSROOT=$ROLLSROOT: using Rocks' rules for the ISO"
    cp "$src/version.mk" "$work/"
    ln -s "$rpms" "$work/RPMS"
    make -C "$work" -f "$src/tools/rocks-roll.mk" ROLLSROOT="$ROLLSROOT" "roll-$name.xml"
    (cd "$work" && ${ROCKS_BASE_COMMAND:-/opt/rocks/bin/rocks} create roll "roll-$name.xml")
    mv "$work/$(basename "$iso")" "$iso"
    echo "build-roll: $iso"
    exit 0
fi

echo "build-roll: laying out the roll ISO"
disk=$work/disk1
root=$disk/$name/$version/$arch
mkdir -p "$root/RedHat/RPMS" "$root/SRPMS"
cp "${built[@]}" "$root/RedHat/RPMS/"
stamp=${SOURCE_DATE_EPOCH:-$(git -C "$src" log -1 --format=%ct 2>/dev/null || date +%s)}
cat >"$root/roll-$name.xml" <<XML
<roll name="$name" interface="6.0.2">
	<timestamp time="$(date -u -d "@$stamp" +%H:%M:%S)" date="$(date -u -d "@$stamp" '+%b %d %Y')" tz="UTC"/>
	<color edge="$color" node="$color"/>
	<info version="$version" release="$release" arch="$arch" os="linux"/>
	<iso maxsize="0" addcomps="0" bootable="0" mkisofs=""/>
	<rpm rolls="0" bin="1" src="0"/>
	<author name="${USER:-root}" host="$(hostname)"/>
</roll>
XML
xmllint --noout "$root/roll-$name.xml"
printf '%s\n%s\n%s\n%d\n' "$stamp" "$name" "$arch" 1 >"$disk/.discinfo"

rm -f "$iso"
xorriso -as mkisofs -quiet -V "$name disk1" -r -J -o "$iso" "$disk" 2>/dev/null
echo "build-roll: $iso"
ls -1 "${built[@]}"
