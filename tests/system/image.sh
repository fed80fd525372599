#!/usr/bin/env bash
# Builds, or finds in the cache, the Debian 12 arm64 machine the system test
# boots: a root file system made by mmdebstrap with what the kiosk .deb
# depends on, the arm64 kernel from Debian's linux-image-arm64 (unpacked on
# this host, never installed in the image), and a small initramfs made here
# from Debian's static busybox that loads the disk and ext4 modules and
# switches to the root file system. Nothing runs mkinitramfs, which is what
# makes a kernel installed under emulation slow.
#   usage: tests/system/image.sh DEB OUT-DIR
# OUT-DIR receives disk.img (ext4, sparse), vmlinuz and initrd.img. The base
# disk and the two packages are cached under $KIOSK_SYSTEST_CACHE (default
# /var/cache/kiosk-system-test), keyed by the recipe of the root file system
# (build_rootfs and the guest/ files it copies), the package list (the
# image's own plus the .deb's Depends) and the kernel's version; each run
# gets a copy, so a cached disk is never changed, and a new initramfs.
# Without a cache everything is built from scratch: the cache only saves
# time.
set -euo pipefail
# mkfs.ext4 and update-binfmts live in sbin, not always on PATH.
export PATH="$PATH:/usr/sbin:/sbin"
here=$(cd "$(dirname "$0")" && pwd)
deb=$(realpath "${1:?usage: image.sh DEB OUT-DIR}")
out=${2:?usage: image.sh DEB OUT-DIR}
cache=${KIOSK_SYSTEST_CACHE:-/var/cache/kiosk-system-test}
mkdir -p "$out" "$cache"

# What the image holds besides minbase: systemd as init, udev for the
# display and the touchscreen, Mesa's software OpenGL (the emulated GPU has
# none), sqlite3 for the checks (the README's backup step uses it too), and
# the .deb's Depends, so that installing the .deb needs no network.
base_packages=(systemd systemd-sysv udev dbus kmod procps iproute2 sqlite3
    libgl1-mesa-dri libegl-mesa0)
mapfile -t deb_depends < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' \
    | sed 's/([^)]*)//; s/|.*//; s/[[:space:]]//g' | grep -v '^$' | sort -u)
packages=$(printf '%s\n' "${base_packages[@]}" "${deb_depends[@]}" | sort -u | paste -sd, -)

# The kernel: the package linux-image-arm64 points at, today.
kernel_pkg=$(apt-cache depends --no-recommends linux-image-arm64:arm64 \
    | sed -n 's/^ *Depends: \(linux-image-[0-9].*-arm64\)\(:arm64\)\?$/\1/p' | head -1)
[ -n "$kernel_pkg" ] || { echo "image.sh: no linux-image-arm64 in apt's lists (dpkg --add-architecture arm64; apt-get update)" >&2; exit 1; }
kernel_version=$(apt-cache policy "$kernel_pkg:arm64" | sed -n 's/^ *Candidate: //p')
sources=""
for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    if [ -s "$f" ] && grep -q bookworm "$f"; then sources=$f; break; fi
done

build_rootfs() { # DIR WORK KVER: the root file system, by mmdebstrap
    local root=$1 work=$2 kver=$3
    # The test machine's own set-up, in customize hooks:
    # - the kernel's modules, so that udev loads virtio-gpu and the input
    #   drivers as on any Debian system;
    # - a root shell on TCP port 2323, socket-activated: the test's only way
    #   in (QEMU forwards it from the host's loopback; a test image only);
    # - the clock set from the kernel command line (systest.clock=EPOCH)
    #   before anything else starts, so the screen shows a known time;
    # - DHCP on the emulated network, no apt timers (no network beyond the
    #   test's own servers), no login prompt on the display.
    mmdebstrap --arch=arm64 --variant=minbase --include="$packages" \
        --customize-hook="mkdir -p \"\$1/usr/lib/modules\" && cp -a '$work/kernel/lib/modules/$kver' \"\$1/usr/lib/modules/\"" \
        --customize-hook="chroot \"\$1\" depmod $kver" \
        --customize-hook='echo kiosk-systest > "$1/etc/hostname"' \
        --customize-hook='echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" > "$1/etc/fstab"' \
        --customize-hook="cp '$here/guest/systest-shell.socket' '$here/guest/systest-shell@.service' '$here/guest/systest-clock.service' \"\$1/etc/systemd/system/\"" \
        --customize-hook="cp '$here/guest/systest-clock' \"\$1/usr/local/sbin/\" && chmod 0755 \"\$1/usr/local/sbin/systest-clock\"" \
        --customize-hook="cp '$here/guest/20-wired.network' \"\$1/etc/systemd/network/\"" \
        --customize-hook='chroot "$1" systemctl enable systemd-networkd.service systest-shell.socket systest-clock.service' \
        --customize-hook='chroot "$1" systemctl mask apt-daily.timer apt-daily-upgrade.timer getty@tty1.service' \
        --customize-hook='ln -sf /usr/share/zoneinfo/Europe/Sofia "$1/etc/localtime"' \
        bookworm "$root" ${sources:+"$sources"}
}

# The cache key: what goes into the root file system. The initramfs and the
# disk copy are made anew each run (seconds).
key=$( { declare -f build_rootfs; cat "$here"/guest/systest-* "$here/guest/20-wired.network";
         echo "$packages"; echo "$kernel_pkg $kernel_version"; } | sha256sum | cut -c1-16)
base="$cache/base-$key"
echo "   image key $key: $packages; kernel $kernel_pkg $kernel_version"

build_base() {
    local work kver
    work=$(mktemp -d "$cache/build.XXXXXX")
    trap 'umount_binfmt; rm -rf "$work"' EXIT
    mount_binfmt
    echo "   apt-get download $kernel_pkg:arm64 busybox-static:arm64"
    (cd "$work" && apt-get download -q "$kernel_pkg:arm64" busybox-static:arm64 2>&1 \
        | { grep -v 'unsandboxed as root' || true; })
    dpkg-deb -x "$work"/linux-image-*.deb "$work/kernel"
    kver=$(ls "$work/kernel/lib/modules")
    echo "   mmdebstrap --arch=arm64 --variant=minbase bookworm (sources: ${sources:-the default mirror of mmdebstrap})"
    build_rootfs "$work/root" "$work" "$kver"
    echo "   disk: mkfs.ext4 -d (2 GiB, sparse)"
    truncate -s 2G "$work/disk.img"
    mkfs.ext4 -q -F -L root -d "$work/root" "$work/disk.img"
    rm -rf "$base.tmp"
    mkdir -p "$base.tmp"
    mv "$work/disk.img" "$work"/linux-image-*.deb "$work"/busybox-static_*.deb "$base.tmp/"
    mv "$base.tmp" "$base"
    rm -rf "$work"
    umount_binfmt
    trap - EXIT
}

make_boot_files() { # the kernel and a small initramfs, into $out
    local work kver
    work=$(mktemp -d)
    dpkg-deb -x "$base"/linux-image-*.deb "$work/kernel"
    dpkg-deb -x "$base"/busybox-static_*.deb "$work/busybox"
    kver=$(ls "$work/kernel/lib/modules")
    local init="$work/initramfs" mods="$work/kernel/lib/modules/$kver" m name
    mkdir -p "$init"/{bin,dev,proc,sys,newroot,lib/modules}
    cp "$work/busybox/bin/busybox" "$init/bin/busybox"
    cp "$here/guest/init" "$init/init"
    chmod 0755 "$init/init"
    # ext4 asks the crypto API for crc32c at mount time; nothing loads it
    # by itself in an initramfs.
    python3 "$here/modules_for.py" "$mods" virtio_pci virtio_blk ext4 crc32c_generic \
        > "$init/lib/modules/order"
    while read -r m; do
        name=$(basename "$m" .xz)
        if [[ "$m" == *.xz ]]; then
            xz -dc "$mods/$m" > "$init/lib/modules/$name"
        else
            cp "$mods/$m" "$init/lib/modules/$name"
        fi
    done < "$init/lib/modules/order"
    sed -i 's|.*/||; s|\.xz$||' "$init/lib/modules/order"
    (cd "$init" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.img"
    cp "$work/kernel/boot/vmlinuz-$kver" "$out/vmlinuz"
    rm -rf "$work"
}

mounted_binfmt=""
mount_binfmt() {
    if ! mountpoint -q /proc/sys/fs/binfmt_misc; then
        mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
        mounted_binfmt=yes
    fi
    update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
    [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] \
        || { echo "image.sh: qemu-aarch64 is not registered with binfmt_misc" >&2; exit 1; }
}
umount_binfmt() {
    if [ -n "$mounted_binfmt" ]; then
        umount /proc/sys/fs/binfmt_misc || true
        mounted_binfmt=""
    fi
}

start=$SECONDS
if [ -f "$base/disk.img" ]; then
    echo "   cached base image: $base"
else
    build_base
    echo "   base image built in $((SECONDS - start)) s"
fi
cp --sparse=always "$base/disk.img" "$out/disk.img"
make_boot_files
echo "   initramfs: $(stat -c %s "$out/initrd.img") bytes"
# Older base images are of no further use.
find "$cache" -maxdepth 1 -name 'base-*' ! -name "base-$key" -exec rm -rf {} +
