#!/usr/bin/env bash
# Writes the central.toml the kiosk-central .deb installs as
# /etc/kiosk-central/central.toml: the repository's commented
# central/central.toml with the values of an installed server.
#   usage: deploy/central/installed-config.sh OUT
# A relative SQLite path would be relative to /etc/kiosk-central, which
# the service cannot write (ProtectSystem=strict): the installed file names
# the state directory. Each replacement must match exactly once.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: deploy/central/installed-config.sh OUT}

. deploy/replace-once.sh
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cp central/central.toml "$tmp"
replace_once "$tmp" 'url = "sqlite:data/central.db"' 'url = "sqlite:/var/lib/kiosk-central/central.db"'
replace_once "$tmp" 'listen = "127.0.0.1:8470"' '# Installed: this machine only. To open the server to the kiosks on the
# LAN, leave this line as it is and let the reverse proxy listen on the LAN
# with HTTPS and pass requests to 127.0.0.1:8470 (an nginx example is in
# /usr/share/doc/kiosk-central/README.md). Listening on "0.0.0.0:8470"
# without a proxy would carry the kiosks'"'"' tokens in the clear.
listen = "127.0.0.1:8470"'
mkdir -p "$(dirname "$out")"
install -m 0644 "$tmp" "$out"
