#!/usr/bin/env bash
# Writes the kiosk.toml the .deb installs as /etc/kiosk/kiosk.toml: the
# repository's commented kiosk.toml with the keys that differ on the Pi.
#   usage: deploy/installed-config.sh OUT
# Relative paths in kiosk.toml are relative to the file's directory, so the
# development values (data/kiosk.db, file:data/receipts.bin) would land in
# /etc/kiosk/data, which is read-only on a kiosk. The installed file names
# the writable state directory and the udev printer link instead. Each
# replacement must match exactly once, so a reworded kiosk.toml fails the
# package build instead of shipping development paths.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: deploy/installed-config.sh OUT}

. deploy/replace-once.sh
replace() { replace_once "$tmp" "$@"; }

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cp kiosk.toml "$tmp"
replace 'database = "data/kiosk.db"' 'database = "/var/lib/kiosk/kiosk.db"'
replace 'transport = "file:data/receipts.bin"' 'transport = "/dev/kiosk-printer"'
replace 'kind = "simulated"' 'kind = "auto"'
replace 'create = true' 'create = false'
mkdir -p "$(dirname "$out")"
install -m 0644 "$tmp" "$out"
