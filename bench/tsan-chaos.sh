#!/usr/bin/env bash
# make tsan-chaos: the ThreadSanitizer build under a mixed concurrent load —
# Graph writes and reads, latency faults (suspend/resume), throttling rules,
# fault rules added and removed, the journal read and cleared, tenants created
# and deleted, /_mock/reset, PUT /_mock/state and clock moves, a fixture user
# patched and deleted while its tenant is reset, all at once —
# then a clean SIGTERM. Fails on any TSan report (race, lock-order inversion)
# or a non-zero exit. Bounded loops, loopback only, no timing assertions.
set -uo pipefail
bin=${1:-build/tsan/graphmock}
rounds=${ROUNDS:-25}
log=$(mktemp); err=$(mktemp)
TSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/tsan.supp halt_on_error=1 exitcode=66 detect_deadlocks=1 second_deadlock_stack=1" \
	"$bin" --port 0 --threads 4 --quiet >"$log" 2>"$err" &
pid=$!
for _ in $(seq 1 500); do grep -q listening "$log" && break; sleep 0.01; done
base=$(sed -n 's/^graphmock listening on //p' "$log")
[ -n "$base" ] || { echo "tsan-chaos: server did not start"; cat "$err"; exit 1; }
J='Content-Type: application/json'
c() { curl -s -o /dev/null --max-time 20 "$@"; }
writer() {
	for i in $(seq 1 "$rounds"); do
		c -H "$J" "$base/v1.0/users" -d "{\"accountEnabled\":true,\"displayName\":\"W $1-$i\",\"mailNickname\":\"w$1x$i\",\"userPrincipalName\":\"w$1x$i@contoso.onmicrosoft.com\",\"passwordProfile\":{\"password\":\"Chaos-pass-1!\"}}"
		c -H "$J" "$base/v1.0/invitations" -d "{\"invitedUserEmailAddress\":\"g$1x$i@fabrikam.com\",\"inviteRedirectUrl\":\"https://x.example\",\"sendInvitationMessage\":true}"
		c -H "$J" "$base/v1.0/groups/1892265b-9c32-4dcf-b9ab-51bf32136e62/members/\$ref" -d '{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/33c3317d-939c-4e2f-855a-95aa465db42a"}'
		c -X DELETE "$base/v1.0/groups/1892265b-9c32-4dcf-b9ab-51bf32136e62/members/33c3317d-939c-4e2f-855a-95aa465db42a/\$ref"
		c -H 'X-Graphmock-Fault: latency=1-5' "$base/v1.0/users?\$top=3"
		c -H 'X-Graphmock-Fault: error=throttled;retry-after=1' "$base/v1.0/users"
		c -H 'ConsistencyLevel: eventual' "$base/v1.0/users?\$filter=startswith(displayName,'W')&\$count=true&\$top=2"
	done
}
admin() {
	for i in $(seq 1 "$rounds"); do
		c -H "$J" "$base/_mock/faults" -d "[{\"id\":\"lat$1\",\"match\":{\"path\":\"/v1.0/groups/**\"},\"action\":{\"latency\":{\"min\":1,\"max\":3}},\"when\":{\"times\":3}},{\"id\":\"thr$1\",\"match\":{\"path\":\"/v1.0/applications\"},\"throttle\":{\"limit\":2,\"windowMs\":50,\"per\":\"tenant\"}}]"
		c "$base/v1.0/groups/1892265b-9c32-4dcf-b9ab-51bf32136e62"
		c "$base/v1.0/applications"; c "$base/v1.0/applications"; c "$base/v1.0/applications"
		c "$base/_mock/faults/stats"
		c -X DELETE "$base/_mock/faults/lat$1"; c -X DELETE "$base/_mock/faults/thr$1"
		c "$base/_mock/requests?method=POST"
		[ $((i % 5)) = 0 ] && c -X DELETE "$base/_mock/requests"
		t=$(curl -s --max-time 20 -H "$J" "$base/_mock/tenants" -d "{\"domain\":\"t$1x$i.onmicrosoft.com\"}" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -c 36)
		[ -n "$t" ] && { c -H "X-Graphmock-Tenant: $t" -H "$J" "$base/v1.0/invitations" -d '{"invitedUserEmailAddress":"x@y.com","inviteRedirectUrl":"https://x"}'; c -X DELETE "$base/_mock/tenants/$t"; }
		c -H "$J" "$base/_mock/clock" -d '{"shiftMs":1000}'
		[ $((i % 7)) = 0 ] && c -X POST "$base/_mock/reset"
		if [ $((i % 9)) = 0 ]; then
			curl -s --max-time 20 "$base/_mock/state" > "$err.state.$1"
			c -X PUT -H "$J" --data-binary @"$err.state.$1" "$base/_mock/state"
		fi
		c "$base/_mock/mailbox"
	done
}
# A fixture user patched and deleted while its tenant is reset: the reset builds
# from the fixture on the admin thread (sharing its scalars) while requests of
# the tenant replace and drop the same values.
fixture_churn() {
	local contoso=2dd67af8-8f6d-47d9-86d2-56d41895239d adele=867c0910-85c6-4427-9a19-b6e7e79332ae
	for i in $(seq 1 $((rounds * 6))); do
		c -X PATCH -H "$J" "$base/v1.0/users/$adele" -d "{\"jobTitle\":\"Churn $i\",\"displayName\":\"Adele $i\"}"
		c -X DELETE "$base/v1.0/users/$adele"
		c -X POST "$base/_mock/tenants/$contoso/reset"
	done
}
for w in 1 2 3 4; do writer "$w" & done
fixture_churn &
for a in 1 2; do admin "$a" & done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null
kill -TERM "$pid"; wait "$pid"; rc=$?
rm -f "$err".state.*
if [ "$rc" -ne 0 ] || grep -q "ThreadSanitizer" "$err"; then
	echo "tsan-chaos: FAILED (exit $rc)"; cat "$err"; exit 1
fi
echo "tsan-chaos: 4 writers + 2 control-plane clients + a fixture churner x $rounds rounds, no TSan report, clean exit"
