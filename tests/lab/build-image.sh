#!/usr/bin/env bash
# Builds the lab's guest image: Debian's stock cloud kernel (vmlinuz) and an
# initramfs holding busybox, the kernel modules the roles need, and the
# binaries (with their shared libraries) of the Debian packages the generated
# scripts call: lvm2, tgt, open-iscsi, iproute2, bash, coreutils, udev (for
# the /dev/disk/by-path links), dropbear (the sshd), ssh-keyscan (the
# install probe, openssh-client), tcpdump and perl for
# tgt-admin. The guest binaries are the ones apt installed on this machine
# (same Debian release); only the kernel package is downloaded, with
# `apt-get download`, because installing it here would be wrong.
#
# Usage: build-image.sh OUT_DIR      prints the image directory
# The image is cached under OUT_DIR/image-<key>, the key a hash of the package
# versions and of the lab's own files, so a re-run with nothing changed is
# instant.
set -euo pipefail
out=${1:?usage: build-image.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

kpkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[[ -n $kpkg ]] || { echo "error - no linux-image-*-cloud-amd64 package known to apt" >&2; exit 1; }
packages=(busybox-static lvm2 dmsetup tgt open-iscsi iproute2 bash coreutils util-linux diffutils
          mawk udev dropbear-bin openssh-client tcpdump perl-base libconfig-general-perl libc6
          mtools mount dnsmasq-base curl)
versions=$(dpkg-query -W -f '${Package}=${Version}\n' "${packages[@]}"; apt-cache policy "$kpkg" | awk '/Candidate/ { print "'"$kpkg"'=" $2 }')
key=$( { echo "$versions"; cat "$here/build-image.sh" "$here/guest-init" "$here/guest-virsh" \
    "$here/guest-frontend" "$here/guest-dhcp" "$here/../../src/installer/vcluster-kit-hook"; } | sha256sum | cut -c1-16)
image=$out/image-$key
if [[ -f $image/initrd.gz && -f $image/vmlinuz ]]; then
    echo "$image"
    exit 0
fi

work=$(mktemp -d "$out/build.XXXXXX")
trap 'rm -rf -- "$work"' EXIT

# The kernel: downloaded (cached beside the images), unpacked, never installed.
mkdir -p "$out/debs"
if ! ls "$out/debs/${kpkg}"_*.deb >/dev/null 2>&1; then
    (cd "$out/debs" && apt-get download -q "$kpkg" >&2)
fi
dpkg-deb -x "$out/debs/${kpkg}"_*.deb "$work/kernel"
kver=${kpkg#linux-image-}
kdir=$work/kernel/lib/modules/$kver
depmod -b "$work/kernel" "$kver" # the package leaves modules.dep to its postinst

root=$work/root
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,run,tmp,var/run,var/lock,root,opt,lib/modules}
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
    [[ -e $root/bin/$applet ]] || ln -s busybox "$root/bin/$applet"
done

# Binaries with their libraries (ldd of this Debian 12 machine's copies).
copy_with_libs() {
    local f lib
    for f in "$@"; do
        mkdir -p "$root$(dirname "$f")"
        rm -f -- "$root$f" # not through busybox's applet link
        cp -L "$f" "$root$f"
        while read -r lib; do
            [[ -e $root$lib ]] && continue
            mkdir -p "$root$(dirname "$lib")"
            cp -L "$lib" "$root$lib"
        done < <(ldd "$f" 2>/dev/null | grep -oE '/[^ ]+' || true)
    done
}
tools=(/bin/bash /usr/bin/install /usr/bin/stat /usr/bin/cat /usr/bin/cmp /usr/bin/mawk /usr/bin/env
       /usr/bin/sort /usr/bin/timeout /usr/bin/rm /usr/bin/mkdir /usr/bin/rmdir /usr/bin/chmod
       /sbin/lvm /sbin/dmsetup /usr/sbin/tgtd /usr/sbin/tgtadm /usr/sbin/iscsid /usr/sbin/iscsiadm
       /bin/ip /sbin/bridge /usr/sbin/dropbear /usr/bin/tcpdump /usr/bin/perl
       /lib/systemd/systemd-udevd /bin/udevadm /usr/bin/dropbearkey /usr/bin/ssh-keyscan
       /usr/bin/mtools /usr/sbin/losetup /usr/sbin/dnsmasq /usr/bin/curl /usr/bin/mv
       /usr/sbin/blkdiscard /usr/bin/dd)
copy_with_libs "${tools[@]}"
ln -sf mawk "$root/usr/bin/awk"
# mtools converts long file names to the FAT code page (CP850) with iconv:
# glibc's gconv module for it and its configuration.
copy_with_libs /usr/lib/x86_64-linux-gnu/gconv/IBM850.so
cp -a /usr/lib/x86_64-linux-gnu/gconv/gconv-modules* "$root/usr/lib/x86_64-linux-gnu/gconv/"
for m in mcopy mformat mdir mlabel; do
    ln -sf mtools "$root/usr/bin/$m" # the kit image (the gateway makes it, the installer hook reads it)
done
ln -sf ../usr/bin/perl "$root/bin/perl" 2>/dev/null || true
for lv in lvs lvcreate lvremove lvconvert lvrename pvcreate vgcreate vgs pvs lvchange lvdisplay vgchange; do
    ln -sf lvm "$root/sbin/$lv"
done
ln -sf ../bin/udevadm "$root/sbin/udevadm"
cp /usr/sbin/tgt-admin "$root/usr/sbin/tgt-admin"
# Perl for tgt-admin: perl-base's library and the modules Config::General
# (libconfig-general-perl) loads from perl's full library.
mkdir -p "$root/usr/lib/x86_64-linux-gnu" "$root/usr/share/perl5"
cp -a /usr/lib/x86_64-linux-gnu/perl-base "$root/usr/lib/x86_64-linux-gnu/"
cp -a /usr/share/perl5/Config "$root/usr/share/perl5/"
while read -r pm; do
    [[ -e $root$pm ]] && continue
    mkdir -p "$root$(dirname "$pm")"
    cp -L "$pm" "$root$pm"
done < <(perl -MConfig::General -MGetopt::Long -MEnglish -MFile::Spec::Functions -MFileHandle -MIO::File \
    -e 'print "$_\n" for values %INC' | grep -E '^/.*\.pm$')
# NSS for the name "root" (dropbear, ssh) and a shell for root.
copy_with_libs /lib/x86_64-linux-gnu/libnss_files.so.2
# glibc dlopens libgcc_s for pthread_cancel (tgtd's backing-store threads on
# a target's deletion): without it tgtd aborts; ldd does not list it.
copy_with_libs /lib/x86_64-linux-gnu/libgcc_s.so.1
printf 'root:x:0:0:root:/root:/bin/bash\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
printf 'root::1::::::\n' > "$root/etc/shadow"
printf '/bin/bash\n/bin/sh\n' > "$root/etc/shells"
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' > "$root/etc/nsswitch.conf"
# LVM without udev synchronisation (udevd runs only for the by-path links).
mkdir -p "$root/etc/lvm" "$root/etc/udev/rules.d" "$root/etc/iscsi" "$root/etc/tgt/conf.d"
cat > "$root/etc/lvm/lvm.conf" <<'LVM'
activation {
    udev_sync = 0
    udev_rules = 0
    monitoring = 0
}
devices {
    obtain_device_list_from_udev = 0
}
global {
    use_lvmpolld = 0
}
LVM
cp /lib/udev/rules.d/60-persistent-storage.rules "$root/etc/udev/rules.d/"
for helper in ata_id scsi_id; do
    [[ -e /lib/udev/$helper ]] && copy_with_libs "/lib/udev/$helper"
done
cp /etc/iscsi/iscsid.conf "$root/etc/iscsi/iscsid.conf"
printf 'include /etc/tgt/conf.d/*.conf\n' > "$root/etc/tgt/targets.conf"

# Kernel modules and everything they depend on, in load order.
mods=(virtio_pci virtio_net virtio_blk 8021q bridge vxlan veth dm_mod dm_snapshot iscsi_tcp sd_mod af_packet loop)
declare -A seen=()
order=()
add_mod() { # NAME-or-PATH (as in modules.dep)
    local path=$1 dep
    if [[ $path != *.ko ]]; then
        path=$(awk -F: -v m="${1//-/_}.ko" '{ n = $1; sub(/.*\//, "", n); gsub(/-/, "_", n) } n == m { print $1; exit }' "$kdir/modules.dep")
    fi
    [[ -n $path ]] || return 0 # built into the kernel
    [[ -z ${seen[$path]:-} ]] || return 0
    seen[$path]=1
    for dep in $(awk -F: -v m="$path" '$1 == m { print $2 }' "$kdir/modules.dep"); do
        add_mod "$dep"
    done
    order+=("$path")
}
for m in "${mods[@]}"; do
    add_mod "$m"
done
for path in "${order[@]}"; do
    cp "$kdir/$path" "$root/lib/modules/"
    basename "$path" >> "$root/lib/modules/load-order"
done

install -m 0755 "$here/guest-init" "$root/init"
install -m 0755 "$here/guest-virsh" "$root/usr/sbin/virsh"
install -m 0755 "$here/guest-frontend" "$root/usr/sbin/guest-frontend"
install -m 0755 "$here/guest-dhcp" "$root/usr/sbin/guest-dhcp"
install -D -m 0755 "$here/../../src/installer/vcluster-kit-hook" "$root/usr/share/vcluster/installer/vcluster-kit-hook"

mkdir -p "$work/image"
(cd "$root" && find . | /bin/busybox cpio -o -H newc 2>/dev/null) | gzip -1 > "$work/image/initrd.gz"
cp "$work/kernel/boot/vmlinuz-$kver" "$work/image/vmlinuz"
echo "$versions" > "$work/image/versions"
rm -rf "$image"
mv "$work/image" "$image"
# Older images (other package versions) are not needed any more.
find "$out" -maxdepth 1 -name 'image-*' ! -name "image-$key" -exec rm -rf -- {} +
echo "$image"
