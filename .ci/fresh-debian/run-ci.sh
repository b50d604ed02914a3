#!/usr/bin/env bash
# Run graphmock's CI (`bash .ci/run`) as CI runs it, on a fresh Debian 12 that
# has only make, gcc, git, curl and ca-certificates (see build-root.sh).
#
# usage: run-ci.sh [REPO_DIR] [BRANCH]        defaults: this checkout, main
#
# Each run: unpack the pristine root into a new directory under $BASE, clone
# REPO_DIR's BRANCH into it (/ci/graphmock, a clean checkout) with a read-only
# copy of ../shared beside it (/ci/shared) as CI has, bind-mount /proc /sys
# /dev /dev/pts /dev/shm and resolv.conf, then chroot (host network) and run
#   env -i PATH=... HOME=/root CI=true DEBIAN_FRONTEND=noninteractive bash .ci/run </dev/null
# The log is tee'd to $LOG; the exit status, the elapsed time, each "== step"
# with its start time, and the disk the run used are printed at the end.
# Mounts are undone and the run's root deleted on any exit (KEEP=1 keeps it).
#
# This workplace reaches registries through a TLS-intercepting egress whose CA
# is in the host's /usr/local/share/ca-certificates and whose environment
# (which CI inherits) names the bundle in NODE_EXTRA_CA_CERTS, SSL_CERT_FILE...
# Every machine here has that, so by default the run's root gets the same
# anchors (update-ca-certificates, before the timed command) and those
# variables are passed through when set here. Without it, npm's https fails
# (SELF_SIGNED_CERT_IN_CHAIN); apt uses plain http and does not care.
#
# env: CMD='...'  run this bash command in the checkout instead of `bash .ci/run`
#      LOG=path   (default: last-run.log beside this script)
#      KEEP=1     keep the run's root (mounts are still undone)
#      TIMEOUT=s  kill the run after s seconds (default 5400, CI's limit)
#      HOST_CAS=0 do not add this machine's extra trust anchors (see below)
#      SHARED=dir the shared/ folder to copy beside the clone (default
#                 REPO_DIR/../shared, skipped when absent)
#      BASE, PRISTINE: as in build-root.sh
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "${1:-$here/../..}" && pwd) || exit 2
BRANCH=${2:-main}
BASE=${BASE:-/work/fresh-debian-root}
PRISTINE=${PRISTINE:-/work/fresh-debian-root.pristine.tar}
LOG=${LOG:-$here/last-run.log}
TIMEOUT=${TIMEOUT:-5400}
CMD=${CMD:-bash .ci/run}
SHARED=${SHARED:-$REPO/../shared}

[ "$(id -u)" = 0 ] || { echo "run-ci.sh: run as root" >&2; exit 2; }
[ -f "$PRISTINE" ] || { echo "run-ci.sh: no $PRISTINE: run $here/build-root.sh first" >&2; exit 2; }

mkdir -p "$BASE"
RUN=$(mktemp -d "$BASE/run.XXXXXX")
R=$RUN/root
mounts=()

cleanup() {
	local i pid
	# End what this run left running: only processes whose root is this run's root.
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		[ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$R" ] && kill -9 "$pid" 2>/dev/null
	done
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null ||
			echo "run-ci.sh: could not unmount ${mounts[i]}" >&2
	done
	mounts=()
	if mount | grep -qF " $RUN/"; then
		echo "run-ci.sh: mounts remain under $RUN; not deleting it" >&2
	elif [ "${KEEP:-0}" = 1 ]; then
		echo "run-ci.sh: kept $RUN"
	else
		rm -rf "$RUN"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

bind() { # bind SRC DST
	mount --bind "$1" "$2" || exit 2
	mounts+=("$2")
}

t0=$(date +%s)
mkdir -p "$R"
tar -C "$R" --numeric-owner -xpf "$PRISTINE" || exit 2
t_unpack=$(($(date +%s) - t0))

# A clean checkout of BRANCH, as CI's fresh clone (no hard links into REPO).
mkdir -p "$R/ci"
git clone -q --no-local --branch "$BRANCH" "$REPO" "$R/ci/graphmock" || exit 2
commit=$(git -C "$R/ci/graphmock" log -1 --format='%h %s')
if [ -d "$SHARED" ]; then
	cp -r "$SHARED" "$R/ci/shared" && chmod -R a-w "$R/ci/shared"
fi

bind /proc "$R/proc"
bind /sys "$R/sys"
bind /dev "$R/dev"
bind /dev/pts "$R/dev/pts"
mountpoint -q /dev/shm && bind /dev/shm "$R/dev/shm"
touch "$R/etc/resolv.conf"
bind /etc/resolv.conf "$R/etc/resolv.conf"

# The workplace's trust anchors and the CA variables CI inherits (see above).
cavars=()
if [ "${HOST_CAS:-1}" = 1 ]; then
	if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
		cp /usr/local/share/ca-certificates/*.crt "$R/usr/local/share/ca-certificates/"
		chroot "$R" update-ca-certificates >/dev/null 2>&1 ||
			echo "run-ci.sh: update-ca-certificates failed in the root" >&2
	fi
	for v in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE REQUESTS_CA_BUNDLE GIT_SSL_CAINFO; do
		[ -n "${!v:-}" ] && [ -e "$R${!v}" ] && cavars+=("$v=${!v}")
	done
fi

echo "run-ci.sh: $REPO $BRANCH ($commit) in $R; unpacked in ${t_unpack}s; log $LOG"
steps=$RUN/steps
: >"$steps"
start=$(date +%s)
# Copy the output unchanged to the terminal and the log; note when each step starts.
stamp() {
	local line
	while IFS= read -r line || [ -n "$line" ]; do
		printf '%s\n' "$line"
		[[ $line == "== "* ]] && printf '%5ds  %s\n' $(($(date +%s) - start)) "$line" >>"$steps"
	done
}
timeout --kill-after=30 "$TIMEOUT" \
	chroot "$R" /usr/bin/env -i \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root CI=true DEBIAN_FRONTEND=noninteractive "${cavars[@]}" \
	bash -c "cd /ci/graphmock && $CMD" </dev/null 2>&1 | stamp | tee "$LOG"
rc=${PIPESTATUS[0]}
elapsed=$(($(date +%s) - start))
used=$(du -sh "$R" 2>/dev/null | cut -f1)

{
	echo
	echo "---- run-ci.sh summary"
	echo "repo:    $REPO $BRANCH ($commit)"
	echo "command: $CMD"
	echo "extra env: ${cavars[*]:-none}"
	echo "steps (start time):"
	cat "$steps"
	[ "$rc" = 124 ] && echo "TIMED OUT after ${TIMEOUT}s"
	echo "exit status: $rc"
	echo "elapsed: ${elapsed}s ($((elapsed / 60))m$((elapsed % 60))s) + ${t_unpack}s to unpack the root"
	echo "disk used by the run's root: $used"
} | tee -a "$LOG"
exit "$rc"
