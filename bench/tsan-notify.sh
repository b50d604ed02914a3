#!/usr/bin/env bash
# make tsan: the ThreadSanitizer build while change notifications flow. Two
# subscriptions to graphmock's own webhook receiver (one answering 503, so
# retries run), their handshakes on suspended connections, then 6 clients
# writing users and memberships, deleting and restoring, walking delta
# rounds and reading /_mock/notifications while the delivery thread POSTs;
# SIGTERM with deliveries still queued. Fails on any TSan report or an
# unclean exit.
set -uo pipefail
bin=${1:-build/tsan/graphmock}
log=$(mktemp); err=$(mktemp)
TSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/tsan.supp halt_on_error=1 exitcode=66" "$bin" --port 0 --threads 4 --quiet >"$log" 2>"$err" &
pid=$!
for _ in $(seq 1 500); do grep -q listening "$log" && break; sleep 0.01; done
base=$(sed -n 's/^graphmock listening on //p' "$log")
[ -n "$base" ] || { echo "tsan-notify: server did not start"; cat "$err"; exit 1; }
json() { curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' "$@"; }
sub() {
	json -X POST "$base/v1.0/subscriptions" -d "{\"changeType\":\"updated,deleted\",\
\"notificationUrl\":\"$base/_mock/webhook/$1\",\"resource\":\"$2\",\
\"expirationDateTime\":\"2020-01-01T00:00:00Z\",\"lifecycleNotificationUrl\":\"$base/_mock/webhook/life\"}"
}
[ "$(sub ok users)" = 201 ] && [ "$(sub 'down?status=503' groups)" = 201 ] ||
	{ echo "tsan-notify: subscriptions were refused"; cat "$err"; kill "$pid"; exit 1; }
adele=867c0910-85c6-4427-9a19-b6e7e79332ae
group=1892265b-9c32-4dcf-b9ab-51bf32136e62
worker() {
	for i in $(seq 1 25); do
		json -X PATCH "$base/v1.0/users/$adele" -d "{\"jobTitle\":\"T $1-$i\"}" >/dev/null
		id=$(curl -s -H 'Content-Type: application/json' "$base/v1.0/users" -d \
		"{\"accountEnabled\":true,\"displayName\":\"N $1-$i\",\"mailNickname\":\"n$1x$i\",\"userPrincipalName\":\"n$1x$i@contoso.onmicrosoft.com\",\"passwordProfile\":{\"password\":\"Tsan-pass-1!\"}}" |
			sed -n 's/.*"id":"\([0-9a-f-]*\)".*/\1/p' | head -1)
		[ -n "$id" ] || continue
		json -X POST "$base/v1.0/groups/$group/members/\$ref" \
			-d "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/$id\"}" >/dev/null
		curl -s -o /dev/null -X DELETE "$base/v1.0/users/$id"
		[ $((i % 2)) = 0 ] && curl -s -o /dev/null -X POST "$base/v1.0/directory/deletedItems/$id/restore"
		curl -s -o /dev/null "$base/v1.0/groups/delta"
		curl -s -o /dev/null "$base/_mock/notifications"
	done
}
for w in $(seq 1 6); do worker "$w" & done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null
n=$(curl -s "$base/_mock/notifications" | grep -o '"outcome":"delivered"' | wc -l)
kill -TERM "$pid"; wait "$pid"; rc=$?
if [ "$rc" -ne 0 ] || grep -q "ThreadSanitizer" "$err"; then
	echo "tsan-notify: FAILED (exit $rc)"; cat "$err"; exit 1
fi
[ "$n" -gt 0 ] || { echo "tsan-notify: no notification was delivered"; exit 1; }
echo "tsan-notify: 6 clients x 25 rounds with $n deliveries, no data race reported, clean exit"
