#!/usr/bin/env bash
# Checks a built kiosk .deb: architecture, the files it installs, its
# conffiles, its maintainer scripts, and its systemd unit (by
# systemd-analyze verify where systemd is installed).
#   usage: deploy/check-deb.sh PATH/kiosk_VERSION_arm64.deb
set -euo pipefail
deb=${1:?usage: deploy/check-deb.sh PATH/kiosk_VERSION_arm64.deb}
fail() { echo "check-deb: $*" >&2; exit 1; }

case "$(basename "$deb")" in
    kiosk_*_arm64.deb) ;;
    *) fail "$deb is not named kiosk_<version>_arm64.deb" ;;
esac
[ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || fail "Architecture is not arm64"

files=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')
for f in /usr/bin/kiosk /etc/kiosk/kiosk.toml \
    /usr/lib/systemd/system/kiosk.service \
    /usr/lib/udev/rules.d/60-kiosk-printer.rules \
    /usr/lib/sysusers.d/kiosk.conf /usr/share/doc/kiosk/README.md \
    /usr/share/doc/kiosk/copyright /usr/share/doc/kiosk/changelog.gz \
    /usr/share/man/man1/kiosk.1.gz; do
    grep -qx "$f" <<<"$files" || fail "$f is missing; the package holds:
$files"
done
# The binary is installed executable.
dpkg-deb -c "$deb" | grep -E '^-rwxr-xr-x .* \./usr/bin/kiosk$' >/dev/null \
    || fail "/usr/bin/kiosk is not mode 0755"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -e "$deb" "$tmp/DEBIAN"
dpkg-deb -x "$deb" "$tmp/root"

[ "$(cat "$tmp/DEBIAN/conffiles")" = /etc/kiosk/kiosk.toml ] \
    || fail "conffiles should be exactly /etc/kiosk/kiosk.toml, is: $(cat "$tmp/DEBIAN/conffiles")"
for s in postinst postrm; do
    [ -x "$tmp/DEBIAN/$s" ] || fail "maintainer script $s is missing"
done
grep -q 'systemd-sysusers kiosk.conf' "$tmp/DEBIAN/postinst" || fail "postinst does not create the user"
grep -q 'deb-systemd-helper' "$tmp/DEBIAN/postinst" || fail "postinst does not enable the unit"

# The installed configuration points at the state directory and the printer link.
conf="$tmp/root/etc/kiosk/kiosk.toml"
grep -qx 'database = "/var/lib/kiosk/kiosk.db"' "$conf" || fail "kiosk.toml: database is not /var/lib/kiosk/kiosk.db"
grep -qx 'transport = "/dev/kiosk-printer"' "$conf" || fail "kiosk.toml: printer is not /dev/kiosk-printer"

unit="$tmp/root/usr/lib/systemd/system/kiosk.service"
for line in Type=notify WatchdogSec=30 Restart=always User=kiosk StateDirectory=kiosk \
    NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes; do
    grep -qx "$line" "$unit" || fail "kiosk.service lacks $line"
done
if grep -Eq '^[^#]*time-sync\.target|^[^#]*network-online\.target' "$unit"; then
    fail "kiosk.service must start without network or clock synchronisation"
fi
grep -q 'SYMLINK+="kiosk-printer"' "$tmp/root/usr/lib/udev/rules.d/60-kiosk-printer.rules" \
    || fail "the udev rule makes no /dev/kiosk-printer"

if command -v systemd-analyze >/dev/null; then
    # verify wants the ExecStart binary to exist: point it at the unpacked one.
    sed "s|^ExecStart=/usr/bin/kiosk|ExecStart=$tmp/root/usr/bin/kiosk|" "$unit" > "$tmp/kiosk.service"
    out=$(systemd-analyze verify "$tmp/kiosk.service" 2>&1) || fail "systemd-analyze verify: $out"
    # Warnings about this unit (not about unrelated units on the machine) fail too.
    if grep -i 'kiosk.service' <<<"$out"; then fail "systemd-analyze verify warns about kiosk.service"; fi
    echo "   systemd-analyze verify: ok"
else
    echo "   systemd-analyze not installed: unit not verified"
fi
echo "   $(basename "$deb"): $(stat -c %s "$deb") bytes, $(wc -l <<<"$files") entries: ok"
