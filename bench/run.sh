#!/usr/bin/env bash
# make bench: graphmock (release) on CPU 0, wrk on CPU 1, the fixed mix of
# ../shared/PERF.md: list with $top=10, GET by id, POST /users. Prints req/s and
# latency percentiles, idle RSS and start-to-first-200 time. Figures only: no
# assertion, nothing fails on a slow machine. With more than one binary
# (make bench BASELINE=old/graphmock) each runs the same mix in turn, so a
# change is compared with its baseline in the same run on the same machine.
set -euo pipefail
[ $# -gt 0 ] || set -- build/release/graphmock
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-32}
here=$(cd "$(dirname "$0")" && pwd)
pin_srv=""; pin_load=""
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	pin_srv="taskset -c 0"; pin_load="taskset -c 1"
fi

bench_one() { # binary
bin=$1
log=$(mktemp); pid=""; trap 'kill $pid 2>/dev/null; rm -f "$log"' EXIT
t0=$(date +%s%N)
$pin_srv "$bin" --port 0 --quiet --threads 1 --seed 1 >"$log" &
pid=$!
until grep -q listening "$log"; do sleep 0.005; done
base=$(sed -n 's/^graphmock listening on //p' "$log")
until curl -fs -o /dev/null "$base/_mock/health"; do sleep 0.002; done
t1=$(date +%s%N)
rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "graphmock $("$bin" --version | cut -d' ' -f2) at $base"
echo "start to first 200: $(( (t1 - t0) / 1000000 )) ms; idle RSS: $(( rss / 1024 )) MiB"

# 20 more users so a $top=10 page is full (about 3.5 KB like PERF.md's).
for i in $(seq 1 20); do
	curl -fs -o /dev/null -H 'Content-Type: application/json' "$base/v1.0/users" -d \
	"{\"accountEnabled\":true,\"displayName\":\"Bench User $i\",\"mailNickname\":\"bench$i\",\"userPrincipalName\":\"bench$i@contoso.onmicrosoft.com\",\"passwordProfile\":{\"password\":\"Bench-pass-$i!\"},\"jobTitle\":\"Engineer\",\"officeLocation\":\"18/2111\",\"mobilePhone\":\"+1 425 555 0109\",\"givenName\":\"Bench\",\"surname\":\"User $i\",\"preferredLanguage\":\"en-US\"}"
done
id=33c3317d-939c-4e2f-855a-95aa465db42a

run() { # name, wrk args...
	local name=$1; shift
	$pin_load wrk -t1 -c"$conns" -d2s "$@" >/dev/null 2>&1 || true # warm-up
	local out; out=$($pin_load wrk -t1 -c"$conns" -d"${secs}s" --latency "$@")
	printf '%-28s %10s req/s   p50 %8s   p99 %8s\n' "$name" \
		"$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
		"$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
}
run 'GET /users?$top=10' "$base/v1.0/users?\$top=10"
run 'GET /users/{id}' "$base/v1.0/users/$id"
run 'POST /users' -s "$here/post_user.lua" "$base/v1.0/users"
echo "RSS after load: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
kill "$pid"; wait "$pid" 2>/dev/null || true
}

for b in "$@"; do
	bench_one "$b"
	echo
done
