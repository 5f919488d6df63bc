#!/usr/bin/env bash
# tools/build-roll.sh with ROLLSROOT set hands the roll XML and the ISO to
# Rocks' own rules. Rocks' build tree is not available here, so this checks
# the hand-over with stand-ins: a Rolls.mk that writes roll-<name>.xml from
# the variables it is given, and a `rocks create roll` that checks it is run
# in a directory holding that file and RPMS/ with the roll's RPMs.
set -euo pipefail

src=${VCLUSTER_SOURCE_DIR:?}
build=${VCLUSTER_BINARY_DIR:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vcluster-rollsroot-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

mkdir -p "$tmp/rollsroot/etc" "$tmp/bin"
printf '%s\n' 'roll-$(ROLLNAME).xml:' \
    '	echo "<roll name=\"$(ROLLNAME)\"><info version=\"$(VERSION)\" release=\"$(RELEASE)\" arch=\"$(ARCH)\"/></roll>" > $@' \
    >"$tmp/rollsroot/etc/Rolls.mk"
cat >"$tmp/bin/rocks" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
[[ $1 == create && $2 == roll && -f $3 ]] || { echo "stand-in rocks: bad call $*" >&2; exit 1; }
ls RPMS/*/vcluster-*.rpm RPMS/noarch/roll-vcluster-kickstart-*.rpm >/dev/null
grep -q '<info version=' "$3"
cp "$3" "$(sed -n 's/.*name="\([^"]*\)".*version="\([^"]*\)" release="\([^"]*\)" arch="\([^"]*\)".*/\1-\2-\3.\4.disk1.iso/p' "$3")"
SH
chmod +x "$tmp/bin/rocks"

ROLLSROOT=$tmp/rollsroot ROCKS_BASE_COMMAND=$tmp/bin/rocks \
    VCLUSTER_RPMS_DIR=$tmp/RPMS VCLUSTER_ISO_DIR=$tmp/iso VCLUSTER_ROLL_WORK=$tmp/work \
    bash "$src/tools/build-roll.sh" "$build" >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; fail "build-roll.sh"; }

grep -q "using Rocks' rules" "$tmp/log" || fail "Rocks' rules were not used: $(cat "$tmp/log")"
mk() { sed -n "s/^$1[[:space:]]*=[[:space:]]*//p" "$src/version.mk" | tr -d '[:space:]'; }
iso=$tmp/iso/$(mk NAME)-$(mk VERSION)-$(mk RELEASE).$(mk ROLLS_ARCH).disk1.iso
[[ -f $iso ]] || fail "no $iso"
grep -q "<roll name=\"$(mk NAME)\"><info version=\"$(mk VERSION)\" release=\"$(mk RELEASE)\" arch=\"$(mk ROLLS_ARCH)\"/>" "$iso" ||
    fail "Rolls.mk did not get version.mk's values: $(cat "$iso")"
echo PASS
