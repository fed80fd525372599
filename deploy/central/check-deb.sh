#!/usr/bin/env bash
# Checks a built kiosk-central .deb: name and architecture, the files it
# installs, its conffile, its maintainer scripts, its systemd unit
# (hardening lines, and systemd-analyze verify where systemd is installed)
# and the installed central.toml.
#   usage: deploy/central/check-deb.sh PATH/kiosk-central_VERSION_ARCH.deb
set -euo pipefail
deb=${1:?usage: deploy/central/check-deb.sh PATH/kiosk-central_VERSION_ARCH.deb}
fail() { echo "check-deb: $*" >&2; exit 1; }

arch=$(dpkg-deb -f "$deb" Architecture)
case "$(basename "$deb")" in
    kiosk-central_*_"$arch".deb) ;;
    *) fail "$deb is not named kiosk-central_<version>_$arch.deb" ;;
esac
case "$arch" in amd64 | arm64) ;; *) fail "Architecture is $arch, not amd64 or arm64" ;; esac

files=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')
for f in /usr/bin/kiosk-central /etc/kiosk-central/central.toml \
    /usr/lib/systemd/system/kiosk-central.service \
    /usr/lib/sysusers.d/kiosk-central.conf \
    /usr/share/doc/kiosk-central/README.md /usr/share/doc/kiosk-central/copyright \
    /usr/share/doc/kiosk-central/changelog.gz /usr/share/man/man1/kiosk-central.1.gz; do
    grep -qx "$f" <<<"$files" || fail "$f is missing; the package holds:
$files"
done
dpkg-deb -c "$deb" | grep -E '^-rwxr-xr-x .* \./usr/bin/kiosk-central$' >/dev/null \
    || fail "/usr/bin/kiosk-central is not mode 0755"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -e "$deb" "$tmp/DEBIAN"
dpkg-deb -x "$deb" "$tmp/root"

[ "$(cat "$tmp/DEBIAN/conffiles")" = /etc/kiosk-central/central.toml ] \
    || fail "conffiles should be exactly /etc/kiosk-central/central.toml, is: $(cat "$tmp/DEBIAN/conffiles")"
for s in postinst postrm; do
    [ -x "$tmp/DEBIAN/$s" ] || fail "maintainer script $s is missing"
done
grep -q 'systemd-sysusers kiosk-central.conf' "$tmp/DEBIAN/postinst" || fail "postinst does not create the user"
grep -q 'runuser -u kiosk-central -- /usr/bin/kiosk-central migrate' "$tmp/DEBIAN/postinst" \
    || fail "postinst does not make the database as the service user"
grep -q 'deb-systemd-helper' "$tmp/DEBIAN/postinst" || fail "postinst does not enable the unit"

conf="$tmp/root/etc/kiosk-central/central.toml"
grep -qx 'url = "sqlite:/var/lib/kiosk-central/central.db"' "$conf" \
    || fail "central.toml: [database] url is not sqlite:/var/lib/kiosk-central/central.db"
grep -qx 'listen = "127.0.0.1:8470"' "$conf" || fail "central.toml: does not listen on 127.0.0.1 only"

unit="$tmp/root/usr/lib/systemd/system/kiosk-central.service"
for line in User=kiosk-central StateDirectory=kiosk-central Restart=always \
    'ExecStart=/usr/bin/kiosk-central serve --config /etc/kiosk-central/central.toml' \
    NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' CapabilityBoundingSet= MemoryMax=256M; do
    grep -qx "$line" "$unit" || fail "kiosk-central.service lacks $line"
done

if command -v systemd-analyze >/dev/null; then
    # verify wants the ExecStart binary to exist: point it at the unpacked one.
    sed "s|^ExecStart=/usr/bin/kiosk-central|ExecStart=$tmp/root/usr/bin/kiosk-central|" "$unit" \
        > "$tmp/kiosk-central.service"
    out=$(systemd-analyze verify "$tmp/kiosk-central.service" 2>&1) || fail "systemd-analyze verify: $out"
    if grep -i 'kiosk-central.service' <<<"$out"; then
        fail "systemd-analyze verify warns about kiosk-central.service"
    fi
    echo "   systemd-analyze verify: ok"
else
    echo "   systemd-analyze not installed: unit not verified"
fi
echo "   $(basename "$deb"): $(stat -c %s "$deb") bytes, $(wc -l <<<"$files") entries: ok"
