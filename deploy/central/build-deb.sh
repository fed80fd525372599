#!/usr/bin/env bash
# Builds the kiosk-central .deb on an x86_64 Debian 12 or 13 machine:
#   deploy/central/build-deb.sh            # amd64, for a server or a VM
#   deploy/central/build-deb.sh arm64      # arm64, for a Raspberry Pi
# → target/kiosk-central-deb/kiosk-central_<version>_<arch>.deb
# Installs what it needs (as root or through sudo): for arm64 the cross
# linker and qemu-user (to write the manual page with the arm64 binary),
# the Rust target, and cargo-deb. The server links no system library
# beyond libc (SQLite is compiled in), so no -dev package is needed.
set -euo pipefail
cd "$(dirname "$0")/../.."

arch=${1:-amd64}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
target_dir="${CARGO_TARGET_DIR:-target}"
out=target/kiosk-central-deb
case "$arch" in
    amd64)
        # The host's own build: shares its dependencies with `cargo build --release`.
        target_args=()
        bin="$target_dir/release/kiosk-central"
        run=()
        ;;
    arm64)
        target=aarch64-unknown-linux-gnu
        target_args=(--target "$target")
        bin="$target_dir/$target/release/kiosk-central"
        missing=()
        command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu)
        command -v qemu-aarch64-static >/dev/null || command -v qemu-aarch64 >/dev/null \
            || missing+=(qemu-user-static)
        if [ ${#missing[@]} -gt 0 ]; then
            echo "== apt-get install ${missing[*]}"
            $sudo apt-get update -qq
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
        fi
        rustup target list --installed | grep -qx "$target" || rustup target add "$target"
        run=("$(command -v qemu-aarch64-static || command -v qemu-aarch64)" -L /usr/aarch64-linux-gnu)
        ;;
    *)
        echo "usage: deploy/central/build-deb.sh [amd64|arm64]" >&2
        exit 2
        ;;
esac
command -v cargo-deb >/dev/null || cargo install --locked cargo-deb

echo "== cargo build --release -p kiosk-central ${target_args[*]}"
cargo build --locked --release -p kiosk-central "${target_args[@]}"
echo "   $(stat -c %s "$bin") bytes; links:"
readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/     \1/p'

echo "== the installed central.toml, the manual page, the changelog"
# cargo-deb takes them from here whatever CARGO_TARGET_DIR says.
mkdir -p "$out"
deploy/central/installed-config.sh "$out/central.toml"
"${run[@]}" "$bin" manual | gzip -9n > "$out/kiosk-central.1.gz"
gzip -9n < deploy/central/debian/changelog > "$out/changelog.gz"

echo "== cargo deb -p kiosk-central"
cargo deb -p kiosk-central --no-build "${target_args[@]}" --output "$out/"
