#!/usr/bin/env bash
# Build the pristine "fresh Debian 12" root once:
#   debootstrap --variant=minbase bookworm, the host's Debian mirror and suites
#   (bookworm, bookworm-updates, bookworm-security), then exactly
#   `apt-get install make gcc git curl ca-certificates` (apt's defaults, i.e.
#   with Recommends, as a person typing that line on a fresh machine gets),
#   apt caches and lists emptied, packed to $PRISTINE; the build directory is
#   then removed. run-ci.sh unpacks $PRISTINE into a new directory under
#   $BASE for every run.
#
# usage: build-root.sh            (rebuilds $PRISTINE from scratch, ~2 min)
# env:   BASE=/work/fresh-debian-root PRISTINE=/work/fresh-debian-root.pristine.tar
#        MIRROR=http://deb.debian.org/debian
set -euo pipefail

BASE=${BASE:-/work/fresh-debian-root}
ROOT=$BASE/build
PRISTINE=${PRISTINE:-/work/fresh-debian-root.pristine.tar}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY=${SECURITY:-http://deb.debian.org/debian-security}
PKGS="make gcc git curl ca-certificates"

[ "$(id -u)" = 0 ] || { echo "build-root.sh: run as root" >&2; exit 1; }
command -v debootstrap >/dev/null || {
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; }

mounts=()
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null || true
	done
}
trap cleanup EXIT
bind() { # bind SRC DST
	mount --bind "$1" "$2" && mounts+=("$2")
}

start=$(date +%s)
if mount | grep -q " $ROOT/"; then echo "build-root.sh: $ROOT has mounts; refusing" >&2; exit 1; fi
rm -rf "$ROOT"
mkdir -p "$BASE"
debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR"

# The same sources a Debian 12 machine (and this host) has: main, updates, security.
rm -f "$ROOT/etc/apt/sources.list"
cat >"$ROOT/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

bind /proc "$ROOT/proc"
bind /sys "$ROOT/sys"
bind /dev "$ROOT/dev"
bind /dev/pts "$ROOT/dev/pts"
touch "$ROOT/etc/resolv.conf"
bind /etc/resolv.conf "$ROOT/etc/resolv.conf"

in_root() {
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root DEBIAN_FRONTEND=noninteractive "$@"
}
in_root apt-get update -qq
in_root apt-get upgrade -y -qq
in_root apt-get install -y -qq $PKGS
in_root apt-get clean
cleanup
mounts=()
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin
: >"$ROOT/etc/resolv.conf"

# Record what the root holds.
chroot "$ROOT" dpkg-query -W -f='${Package} ${Version}\n' >"$(dirname "$0")/pristine-packages.txt"
tar -C "$ROOT" --numeric-owner -cpf "$PRISTINE.tmp" .
mv "$PRISTINE.tmp" "$PRISTINE"
rm -rf "$ROOT"
echo "pristine root: $PRISTINE ($(du -h "$PRISTINE" | cut -f1)), $(wc -l <"$(dirname "$0")/pristine-packages.txt") packages, built in $(($(date +%s) - start)) s"
