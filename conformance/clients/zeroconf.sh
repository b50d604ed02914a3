#!/bin/sh
# zeroconf.sh - official clients with their DEFAULT endpoints against graphmock
# (README "Zero configuration"): inside a new mount and network namespace,
# /etc/hosts is replaced by a bind mount that sends graph.microsoft.com,
# login.microsoftonline.com, login.windows.net and sts.windows.net to
# 127.0.0.1, graphmock serves HTTPS on port 443 with `graphmock certs`' CA, and
# zeroconf.mjs runs @azure/identity, msal-node, the v3 client and Kiota as
# they come. The machine's own /etc/hosts and port 443 are never touched.
#
# usage: zeroconf.sh GRAPHMOCK_BIN CERTS_DIR   (make clients runs it; needs
#        node_modules from npm ci beside it, unshare and mount (util-linux),
#        ip (iproute2), and root or unprivileged user namespaces)
# Where namespaces are not permitted it prints why and exits 0 (skipped),
# unless ZEROCONF_REQUIRED=1 (CI sets it): then it fails.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: zeroconf.sh GRAPHMOCK_BIN CERTS_DIR}
certs=${2:?usage: zeroconf.sh GRAPHMOCK_BIN CERTS_DIR}
names="graph.microsoft.com login.microsoftonline.com login.windows.net sts.windows.net"

skip() {
	echo "zeroconf: SKIPPED: $*"
	if [ "${ZEROCONF_REQUIRED:-0}" = 1 ]; then
		echo "zeroconf: ZEROCONF_REQUIRED=1: a skip is a failure here" >&2
		exit 1
	fi
	exit 0
}

if [ "${ZEROCONF_INSIDE:-0}" != 1 ]; then
	command -v unshare >/dev/null || skip "no unshare (util-linux)"
	command -v ip >/dev/null || skip "no ip (iproute2) to bring up the namespace's loopback"
	if [ "$(id -u)" = 0 ]; then
		ns="unshare --mount --net"
	else
		ns="unshare --map-root-user --mount --net"
	fi
	probe=0
	# shellcheck disable=SC2086
	if ! why=$($ns true 2>&1); then
		# In a chroot "/" is no mount point, so unshare cannot make the mounts
		# private: keep their propagation, and check inside, before touching
		# /etc/hosts, that a mount made there does not reach this namespace.
		case $why in *"cannot change root filesystem propagation"*)
			ns="$ns --propagation unchanged"
			probe=1
			# shellcheck disable=SC2086
			why=$($ns true 2>&1) || skip "Linux namespaces are not permitted here ($ns: $why)"
			;;
		*) skip "Linux namespaces are not permitted here ($ns: $why)" ;;
		esac
	fi
	before=$(cksum </etc/hosts)
	rc=0
	# shellcheck disable=SC2086
	ZEROCONF_INSIDE=1 ZEROCONF_PROBE=$probe ZEROCONF_PARENT=$$ $ns "$0" "$bin" "$certs" || rc=$?
	[ "$(cksum </etc/hosts)" = "$before" ] || {
		echo "zeroconf: the machine's /etc/hosts changed" >&2
		exit 1
	}
	exit "$rc"
fi

# Inside the namespaces: our own loopback, hosts file and port 443.
ip link set lo up
if [ "${ZEROCONF_PROBE:-0}" = 1 ]; then
	# A bind mount over a file beside /etc/hosts: seen from the parent's
	# namespace (/proc/PID/root), it must not be there.
	target=$(mktemp /etc/.zeroconf-probe.XXXXXX)
	src=$(mktemp)
	echo "graphmock zeroconf probe" >"$src"
	mount --bind "$src" "$target"
	leaked=0
	grep -q "zeroconf probe" "/proc/$ZEROCONF_PARENT/root$target" 2>/dev/null && leaked=1
	umount "$target"
	rm -f "$target" "$src"
	[ "$leaked" = 0 ] || skip "mounts made in a new mount namespace reach the parent's here (shared propagation in a chroot): /etc/hosts left alone"
fi
hosts=$(mktemp)
trap 'rm -f "$hosts"' EXIT # the mount goes with the namespace
{
	echo "127.0.0.1 localhost $names"
	echo "::1 localhost ip6-localhost ip6-loopback"
} >"$hosts"
mount --bind "$hosts" /etc/hosts
echo "zeroconf: in a mount + network namespace; /etc/hosts here:"
sed 's/^/  /' /etc/hosts
cd "$here"
# Nothing but our CA, and no proxy: the clients must go straight to graphmock.
rc=0
env -u HTTP_PROXY -u HTTPS_PROXY -u http_proxy -u https_proxy -u ALL_PROXY \
	-u all_proxy -u NO_PROXY -u no_proxy \
	NODE_EXTRA_CA_CERTS="$certs/ca.pem" GRAPHMOCK_BIN="$bin" GRAPHMOCK_CERTS="$certs" \
	ZEROCONF_INSIDE=1 node --test zeroconf.mjs || rc=$?
exit "$rc"
