#!/usr/bin/env bash
# make bench: the fixed mix of ../shared/PERF.md plus POST /users with one
# password for every user, POST /invitations and
# POST members/$ref, each server pinned to CPU 0 and wrk to CPU 1, in one run:
#   graphmock at its default thread count and with --threads 1,
#   nginx serving the same JSON bodies (static files; the POSTs as `return`),
#   bench/bare.c: libmicrohttpd alone with the same fixed bodies (our ceiling).
# Prints req/s and latency per request, idle RSS and start-to-first-200, and
# graphmock's ratios to nginx and to the bare server. Figures only: nothing is
# asserted, nothing fails on a slow machine. Extra binaries (make bench
# BASELINE=old/graphmock) run the same mix after, at the default thread count.
# Usage: bench/run.sh GRAPHMOCK BARE [BASELINE...]
set -euo pipefail
bin=${1:-build/release/graphmock}
bare=${2:-build/release/bench-bare}
shift 2 || shift $#
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-32}
here=$(cd "$(dirname "$0")" && pwd)
pin_srv=""; pin_load=""
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	pin_srv="taskset -c 0"; pin_load="taskset -c 1"
fi
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
declare -A rps p99

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }

# idle_rss PID: VmRSS, and of it RssAnon (the process's own memory: heap,
# stacks, libraries' data) and RssFile (pages of the binary and the shared
# libraries, shared with other processes), in MiB.
idle_rss() {
	awk '/^(VmRSS|RssAnon|RssFile):/ {v[$1] = $2 / 1024}
		END {printf "%.1f MiB (RssAnon %.1f, RssFile %.1f)", v["VmRSS:"], v["RssAnon:"], v["RssFile:"]}' "/proc/$1/status"
}

# start_graphmock BIN ARGS...: sets $pid, $base; prints start-to-200 and idle RSS.
start_graphmock() {
	local b=$1 log="$work/gm.log" t0 t1; shift
	: >"$log"
	t0=$(date +%s%N)
	$pin_srv "$b" --port 0 --quiet --seed 1 "$@" >"$log" 2>&1 &
	pid=$!; pids+=("$pid")
	until grep -q listening "$log"; do sleep 0.005; done
	base=$(sed -n 's/^graphmock listening on //p' "$log")
	until curl -fs -o /dev/null "$base/_mock/health"; do sleep 0.002; done
	t1=$(date +%s%N)
	echo "graphmock $("$b" --version | cut -d' ' -f2) $* at $base"
	echo "  start to first 200: $(( (t1 - t0) / 1000000 )) ms; idle RSS: $(idle_rss "$pid")"
}

stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }

# setup: 20 more users (a full $top=10 page, ~3.5 KB as in PERF.md), and for
# POST members/$ref 10,000 users and 100 groups: 1,000,000 (group, user) pairs,
# more than 12 s of requests at 60k/s use (a pair used twice is a cheaper 400).
setup() {
	local cfg="$work/setup.cfg" i
	: >"$cfg"
	for i in $(seq 1 20); do
		printf 'url = "%s/v1.0/users"\nheader = "Content-Type: application/json"\ndata = "{\\"accountEnabled\\":true,\\"displayName\\":\\"Bench User %d\\",\\"mailNickname\\":\\"bench%d\\",\\"userPrincipalName\\":\\"bench%d@contoso.onmicrosoft.com\\",\\"passwordProfile\\":{\\"password\\":\\"Bench-pass-%d!\\"},\\"jobTitle\\":\\"Engineer\\",\\"officeLocation\\":\\"18/2111\\",\\"mobilePhone\\":\\"+1 425 555 0109\\",\\"givenName\\":\\"Bench\\",\\"surname\\":\\"User %d\\",\\"preferredLanguage\\":\\"en-US\\"}"\nnext\n' "$base" "$i" "$i" "$i" "$i" "$i" >>"$cfg"
	done
	for i in $(seq 1 10000); do
		printf 'url = "%s/v1.0/users"\nheader = "Content-Type: application/json"\ndata = "{\\"accountEnabled\\":true,\\"displayName\\":\\"Ref %d\\",\\"mailNickname\\":\\"ref%d\\",\\"userPrincipalName\\":\\"ref%d@contoso.onmicrosoft.com\\",\\"passwordProfile\\":{\\"password\\":\\"Ref-pass-%d!\\"}}"\nnext\n' "$base" "$i" "$i" "$i" "$i" >>"$cfg"
	done
	sed -i '$d' "$cfg" # no "next" after the last one
	curl -s -K "$cfg" | grep -o '"id":"[0-9a-f-]\{36\}"' | sed 's/"id":"\([^"]*\)"/\1/' |
		tail -n 10000 >"$work/users"
	: >"$cfg"
	for i in $(seq 1 100); do
		printf 'url = "%s/v1.0/groups"\nheader = "Content-Type: application/json"\ndata = "{\\"displayName\\":\\"Bench group %d\\",\\"mailEnabled\\":false,\\"mailNickname\\":\\"bg%d\\",\\"securityEnabled\\":true}"\nnext\n' "$base" "$i" "$i" >>"$cfg"
	done
	sed -i '$d' "$cfg"
	curl -s -K "$cfg" | grep -o '"id":"[0-9a-f-]*"' | sed 's/"id":"\([^"]*\)"/\1/' >"$work/groups"
	awk 'NR==FNR {g[++n]=$1; next} {for (i = 1; i <= n; i++) print g[i], $1}' \
		"$work/groups" "$work/users" >"$work/pairs"
}

# The bodies nginx and the bare server send: graphmock's own answers.
bodies() {
	mkdir -p "$work/www/v1.0/users"
	curl -fs "$base/v1.0/users?\$top=10" >"$work/www/list.json"
	curl -fs "$base/v1.0/users/$id" >"$work/www/single.json"
	curl -fs -H 'Content-Type: application/json' "$base/v1.0/users" -d '{"accountEnabled":true,"displayName":"Body","mailNickname":"body","userPrincipalName":"body@contoso.onmicrosoft.com","passwordProfile":{"password":"Body-pass-1!"}}' >"$work/www/post.json"
	curl -fs -H 'Content-Type: application/json' "$base/v1.0/invitations" -d '{"invitedUserEmailAddress":"body@fabrikam.com","inviteRedirectUrl":"https://app.example"}' >"$work/www/invite.json"
}

run() { # server, name, wrk args...
	local server=$1 name=$2 out; shift 2
	$pin_load wrk -t1 -c"$conns" -d2s "$@" >/dev/null 2>&1 || true # warm-up
	out=$(BENCH_PAIRS="$work/pairs" $pin_load wrk -t1 -c"$conns" -d"${secs}s" --latency "$@")
	rps[$server:$name]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	p99[$server:$name]=$(awk '$1=="99%" {print $2}' <<<"$out")
	printf '  %-26s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$name" "${rps[$server:$name]}" \
		"$(awk '$1=="50%" {print $2}' <<<"$out")" "${p99[$server:$name]}" \
		"$(awk '/Non-2xx/ {n = $5} END {print n + 0}' <<<"$out")"
}

id=33c3317d-939c-4e2f-855a-95aa465db42a
names=('GET /users?$top=10' 'GET /users/{id}' 'POST /users' 'POST /users, one password'
	'POST /invitations' 'POST members/$ref')
mix() { # server, base
	run "$1" "${names[0]}" "$2/v1.0/users?\$top=10"
	run "$1" "${names[1]}" "$2/v1.0/users/$id"
	run "$1" "${names[2]}" -s "$here/post_user.lua" "$2/v1.0/users"
	run "$1" "${names[3]}" -s "$here/post_user.lua" "$2/v1.0/users" -- one-password
	run "$1" "${names[4]}" -s "$here/post_invitation.lua" "$2"
	run "$1" "${names[5]}" -s "$here/post_member_ref.lua" "$2"
}

echo "== machine: $(nproc) cores, $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | sed 's/^ *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== wrk -t1 -c$conns -d${secs}s (2 s warm-up), server on CPU 0, wrk on CPU 1"

start_graphmock "$bin"
setup
bodies
mix gm "$base"
echo "  RSS after load: $(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$pid/status) MiB"
stop
echo
start_graphmock "$bin" --threads 1
setup
mix gm1 "$base"
stop
echo

nport=$(free_port)
sed "s/\\\$/\${dollar}/g; s/'/\\\\'/g" "$work/www/post.json" >"$work/post.esc"
sed "s/\\\$/\${dollar}/g; s/'/\\\\'/g" "$work/www/invite.json" >"$work/invite.esc"
cat >"$work/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 4096; }
http {
	access_log off;
	keepalive_requests 1000000;
	client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work;
	uwsgi_temp_path $work; scgi_temp_path $work;
	geo \$dollar { default "\$"; }
	default_type application/json;
	server {
		listen 127.0.0.1:$nport;
		location = /v1.0/users {
			if (\$request_method = POST) { return 201 '$(cat "$work/post.esc")'; }
			alias $work/www/list.json;
		}
		location ~ ^/v1\.0/users/[^/]+\$ { alias $work/www/single.json; }
		location = /v1.0/invitations { return 201 '$(cat "$work/invite.esc")'; }
		location ~ /members/\\\$ref\$ { return 204; }
	}
}
EOF
$pin_srv nginx -c "$work/nginx.conf" &
pid=$!; pids+=("$pid")
until curl -fs -o /dev/null "http://127.0.0.1:$nport/v1.0/users"; do sleep 0.01; done
echo "$(nginx -v 2>&1) (one worker) at http://127.0.0.1:$nport; idle RSS: $(awk '/VmRSS/ {s += $2} END {printf "%.1f", s/1024}' /proc/$pid/status /proc/$(pgrep -P "$pid" | head -1)/status) MiB"
mix nginx "http://127.0.0.1:$nport"
stop
echo

bport=$(free_port)
$pin_srv "$bare" "$bport" "$work/www" >"$work/bare.log" &
pid=$!; pids+=("$pid")
until grep -q listening "$work/bare.log"; do sleep 0.005; done
echo "bare libmicrohttpd $(pkg-config --modversion libmicrohttpd) (bench/bare.c, one epoll thread) at http://127.0.0.1:$bport; idle RSS: $(idle_rss "$pid")"
mix bare "http://127.0.0.1:$bport"
stop
echo

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print (b > 0 ? a / b : 0)}'; }
echo "== graphmock's req/s as a ratio (default threads | --threads 1)"
printf '  %-26s %16s %16s   %s\n' request "to nginx" "to bare" "p99 default / 1 thread / nginx / bare"
for n in "${names[@]}"; do
	printf '  %-26s %7.2fx |%6.2fx %7.2fx |%6.2fx   %s / %s / %s / %s\n' "$n" \
		"$(ratio "${rps[gm:$n]}" "${rps[nginx:$n]}")" "$(ratio "${rps[gm1:$n]}" "${rps[nginx:$n]}")" \
		"$(ratio "${rps[gm:$n]}" "${rps[bare:$n]}")" "$(ratio "${rps[gm1:$n]}" "${rps[bare:$n]}")" \
		"${p99[gm:$n]}" "${p99[gm1:$n]}" "${p99[nginx:$n]}" "${p99[bare:$n]}"
done

for b in "$@"; do
	echo
	start_graphmock "$b"
	setup
	mix "base:$b" "$base"
	stop
done
