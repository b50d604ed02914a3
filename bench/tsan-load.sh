#!/usr/bin/env bash
# make tsan: the ThreadSanitizer build under parallel POST and GET against one
# tenant (4 worker threads, 8 client processes), then a clean SIGTERM. Fails
# if TSan reports anything or the server does not exit 0.
set -uo pipefail
bin=${1:-build/tsan/graphmock}
log=$(mktemp); err=$(mktemp)
TSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/tsan.supp halt_on_error=1 exitcode=66" "$bin" --port 0 --threads 4 --quiet >"$log" 2>"$err" &
pid=$!
for _ in $(seq 1 500); do grep -q listening "$log" && break; sleep 0.01; done
base=$(sed -n 's/^graphmock listening on //p' "$log")
[ -n "$base" ] || { echo "tsan: server did not start"; cat "$err"; exit 1; }
worker() {
	for i in $(seq 1 40); do
		curl -s -o /dev/null -H 'Content-Type: application/json' "$base/v1.0/users" -d \
		"{\"accountEnabled\":true,\"displayName\":\"T $1-$i\",\"mailNickname\":\"t$1x$i\",\"userPrincipalName\":\"t$1x$i@contoso.onmicrosoft.com\",\"passwordProfile\":{\"password\":\"Tsan-pass-1!\"}}"
		curl -s -o /dev/null "$base/v1.0/users?\$top=5"
		curl -s -o /dev/null "$base/v1.0/users/33c3317d-939c-4e2f-855a-95aa465db42a"
		curl -s -o /dev/null "$base/v1.0/groups/1892265b-9c32-4dcf-b9ab-51bf32136e62/members"
	done
}
for w in $(seq 1 8); do worker "$w" & done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null
kill -TERM "$pid"; wait "$pid"; rc=$?
if [ "$rc" -ne 0 ] || grep -q "ThreadSanitizer" "$err"; then
	echo "tsan: FAILED (exit $rc)"; cat "$err"; exit 1
fi
echo "tsan: 8 clients x 160 requests, no data race reported, clean exit"
