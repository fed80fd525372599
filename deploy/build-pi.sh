#!/usr/bin/env bash
# Builds kiosk_<version>_arm64.deb for the Raspberry Pi (64-bit Raspberry Pi
# OS) on an x86_64 Debian 12 or 13 machine:
#   deploy/build-pi.sh          # → target/aarch64-unknown-linux-gnu/debian/
# Installs what it needs (as root or through sudo): the arm64 cross linker,
# the arm64 -dev packages the `pi` feature links against (Debian multiarch),
# qemu-user (to write the manual page with the arm64 binary), the Rust
# target and cargo-deb. Then builds the release binary with the
# `pi` feature (Slint on KMS/DRM, libinput touch, femtovg and software
# renderers), writes the installed kiosk.toml and packages everything.
#
# What the `pi` feature links (readelf -d, printed below): libinput,
# libudev, libxkbcommon and libgbm. Fontconfig (the fonts are embedded),
# EGL and GLES are opened at run time, so they need no -dev package here;
# the .deb depends on their runtime packages.
set -euo pipefail
cd "$(dirname "$0")/.."

target=aarch64-unknown-linux-gnu
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

dev_packages=(libinput-dev:arm64 libudev-dev:arm64 libxkbcommon-dev:arm64 libgbm-dev:arm64)
missing=()
command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu)
command -v pkg-config >/dev/null || missing+=(pkg-config)
# Runs the arm64 binary here to write its manual page.
command -v qemu-aarch64-static >/dev/null || command -v qemu-aarch64 >/dev/null \
    || missing+=(qemu-user-static)
for p in "${dev_packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== apt-get install ${missing[*]}"
    dpkg --print-foreign-architectures | grep -qx arm64 || $sudo dpkg --add-architecture arm64
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
rustup target list --installed | grep -qx "$target" || rustup target add "$target"
command -v cargo-deb >/dev/null || cargo install --locked cargo-deb

# .cargo/config.toml points pkg-config at the arm64 .pc files.
echo "== cargo build --release --target $target --no-default-features --features pi"
cargo build --locked --release --target "$target" --no-default-features --features pi --bin kiosk
target_dir="${CARGO_TARGET_DIR:-target}"
bin="$target_dir/$target/release/kiosk"
echo "   $(stat -c %s "$bin") bytes; links:"
readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/     \1/p'

echo "== the installed kiosk.toml and the manual page"
# cargo-deb takes them from here whatever CARGO_TARGET_DIR says.
deploy/installed-config.sh target/kiosk-deb/kiosk.toml
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64)
"$qemu" -L /usr/aarch64-linux-gnu "$bin" manual | gzip -9n > target/kiosk-deb/kiosk.1.gz
gzip -9n < deploy/debian/changelog > target/kiosk-deb/changelog.gz

echo "== cargo deb"
cargo deb --no-build --target "$target" "$@"
