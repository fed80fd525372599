#!/usr/bin/env bash
# The system test: the kiosk .deb installed on an emulated arm64 Debian 12
# machine, booted, looked at, tapped, power-cut, frozen and probed.
#   usage: tests/system/run.sh target/aarch64-unknown-linux-gnu/debian/kiosk_*_arm64.deb
# Needs root (mmdebstrap, binfmt_misc) and about 3 GiB of disk; installs the
# Debian packages it lacks. Screendumps, screenshots, the receipt, console
# logs and the journal land in target/system-test/ (or $KIOSK_SYSTEST_OUT).
# What it proves and what not: deploy/README.md, "The system test".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deb=$(realpath "${1:?usage: tests/system/run.sh DEB}")
out=${KIOSK_SYSTEST_OUT:-$here/../../target/system-test}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

missing=()
need() { command -v "$1" >/dev/null || missing+=("$2"); }
need qemu-system-aarch64 qemu-system-arm
need mmdebstrap mmdebstrap
need qemu-aarch64-static qemu-user-static
need update-binfmts binfmt-support
need debugfs e2fsprogs
need cpio cpio
need tesseract tesseract-ocr
need python3 python3
if [ ${#missing[@]} -gt 0 ]; then
    echo "== apt-get install ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The kernel and busybox come from Debian's arm64 packages.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $sudo dpkg --add-architecture arm64
    $sudo apt-get update -qq
fi

rm -rf "$out"
mkdir -p "$out"
echo "== system test: the arm64 image"
start=$SECONDS
$sudo "$here/image.sh" "$deb" "$out/image"
echo "   image ready in $((SECONDS - start)) s"

echo "== system test: boot, look, tap, cut the power"
rc=0
$sudo python3 "$here/systest.py" --deb "$deb" --image "$out/image" --out "$out" || rc=$?
# The disk copy is 2 GiB (sparse); the pictures and logs stay.
rm -f "$out/image/disk.img"
exit $rc
