#!/usr/bin/env bash
# bench/callgrind.sh [BIN]: instructions per request (valgrind callgrind, all
# threads) for the bench mix, measured as the difference between two counter
# dumps around N keep-alive requests from one curl. Stable across machine
# load, unlike req/s. Figures only; nothing is asserted. CALLGRIND_KEEP=PREFIX
# keeps the profiles as PREFIX.list, PREFIX.single, PREFIX.post,
# PREFIX.invite and PREFIX.ref for callgrind_annotate;
# CALLGRIND_ONLY=list|single|post|invite|ref measures one request.
set -euo pipefail
bin=${1:-build/release/graphmock}
n=${CALLGRIND_REQUESTS:-2000}
dir=$(mktemp -d); trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$dir/cg.%p" \
	"$bin" --port 0 --quiet --threads 1 --seed 1 >"$dir/log" 2>"$dir/vg" &
pid=$!
until grep -q listening "$dir/log"; do sleep 0.05; done
base=$(sed -n 's/^graphmock listening on //p' "$dir/log")
for i in $(seq 1 20); do
	curl -fs -o /dev/null -H 'Content-Type: application/json' "$base/v1.0/users" -d \
	"{\"accountEnabled\":true,\"displayName\":\"Bench User $i\",\"mailNickname\":\"bench$i\",\"userPrincipalName\":\"bench$i@contoso.onmicrosoft.com\",\"passwordProfile\":{\"password\":\"Bench-pass-$i!\"},\"jobTitle\":\"Engineer\",\"officeLocation\":\"18/2111\",\"mobilePhone\":\"+1 425 555 0109\",\"givenName\":\"Bench\",\"surname\":\"User $i\",\"preferredLanguage\":\"en-US\"}"
done
total() { # dump the counters since the last zeroing, print their Ir
	callgrind_control -d "$pid" >/dev/null 2>&1
	sleep 0.3
	awk '/^totals:/ {s += $2} END {printf "%.0f\n", s}' "$dir"/cg.*.* 2>/dev/null
}
measure() { # name, url
	local cfg="$dir/curl.cfg" ir
	: >"$cfg"
	for _ in $(seq 1 "$n"); do printf 'url = "%s"\noutput = /dev/null\n' "$2" >>"$cfg"; done
	curl -fs -K "$cfg" # warm-up
	callgrind_control -z "$pid" >/dev/null 2>&1
	rm -f "$dir"/cg.*.*
	curl -fs -K "$cfg"
	ir=$(total)
	printf '%-22s %8d instructions/request\n' "$1" $(( ir / n ))
	[ -z "${CALLGRIND_KEEP:-}" ] || cp "$dir"/cg.*.* "$CALLGRIND_KEEP.$3"
}
post_cfg() { # file, tag: n POST /users with distinct names, one keep-alive curl
	local i
	: >"$1"
	for i in $(seq 1 "$n"); do
		[ "$i" = 1 ] || printf 'next\n'
		printf 'url = "%s/v1.0/users"\nheader = "Content-Type: application/json"\n' "$base"
		printf 'data = "{\\"accountEnabled\\":true,\\"displayName\\":\\"Post %s %d\\",' "$2" "$i"
		printf '\\"mailNickname\\":\\"p%s%d\\",' "$2" "$i"
		printf '\\"userPrincipalName\\":\\"p%s%d@contoso.onmicrosoft.com\\",' "$2" "$i"
		printf '\\"passwordProfile\\":{\\"password\\":\\"Bench-pass-%d!\\"}}"\n' "$i"
		printf 'output = /dev/null\n'
	done >"$1"
}
measure_cfgs() { # name, tag: warm-up with $dir/warm.cfg, measure $dir/post.cfg
	local ir
	curl -fs -K "$dir/warm.cfg" >/dev/null
	callgrind_control -z "$pid" >/dev/null 2>&1
	rm -f "$dir"/cg.*.*
	curl -fs -K "$dir/post.cfg" >/dev/null
	ir=$(total)
	printf '%-22s %8d instructions/request\n' "$1" $(( ir / n ))
	[ -z "${CALLGRIND_KEEP:-}" ] || cp "$dir"/cg.*.* "$CALLGRIND_KEEP.$2"
}
measure_post() { # POST /users: fresh names for the warm-up and the measured run
	post_cfg "$dir/warm.cfg" w
	post_cfg "$dir/post.cfg" m
	measure_cfgs 'POST /users' post
}
invite_cfg() { # file, tag: n POST /invitations, each a new address
	local i
	for i in $(seq 1 "$n"); do
		[ "$i" = 1 ] || printf 'next\n'
		printf 'url = "%s/v1.0/invitations"\nheader = "Content-Type: application/json"\n' "$base"
		printf 'data = "{\\"invitedUserEmailAddress\\":\\"bench%s%d@fabrikam.com\\",' "$2" "$i"
		printf '\\"inviteRedirectUrl\\":\\"https://app.example\\",\\"sendInvitationMessage\\":false}"\n'
		printf 'output = /dev/null\n'
	done >"$1"
}
measure_invite() {
	invite_cfg "$dir/warm.cfg" w
	invite_cfg "$dir/post.cfg" m
	measure_cfgs 'POST /invitations' invite
}
# POST members/$ref: 2n (group, user) pairs not joined yet, from new groups
# and every user (the fixture's and the 20 above), each pair once.
measure_ref() {
	local cfg="$dir/groups.cfg" users groups i g u f k=0 per
	users=$(curl -fs "$base/v1.0/users?%24top=999&%24select=id" | grep -o '"id":"[0-9a-f-]\{36\}"' | cut -d'"' -f4)
	per=$(echo "$users" | wc -l)
	: >"$cfg"
	for i in $(seq 1 $(( (2 * n + per - 1) / per ))); do
		[ "$i" = 1 ] || printf 'next\n'
		printf 'url = "%s/v1.0/groups"\nheader = "Content-Type: application/json"\n' "$base"
		printf 'data = "{\\"displayName\\":\\"Ref group %d\\",\\"mailEnabled\\":false,\\"mailNickname\\":\\"rg%d\\",\\"securityEnabled\\":true}"\n' "$i" "$i"
	done >"$cfg"
	groups=$(curl -fs -K "$cfg" | grep -o '"id":"[0-9a-f-]\{36\}"' | cut -d'"' -f4)
	: >"$dir/warm.cfg"
	: >"$dir/post.cfg"
	for g in $groups; do
		for u in $users; do
			k=$(( k + 1 ))
			[ "$k" -le $(( 2 * n )) ] || break 2
			f="$dir/warm.cfg"
			[ "$k" -le "$n" ] || f="$dir/post.cfg"
			[ ! -s "$f" ] || printf 'next\n' >>"$f"
			printf 'url = "%s/v1.0/groups/%s/members/$ref"\nheader = "Content-Type: application/json"\n' "$base" "$g" >>"$f"
			printf 'data = "{\\"@odata.id\\":\\"https://graph.microsoft.com/v1.0/directoryObjects/%s\\"}"\n' "$u" >>"$f"
			printf 'output = /dev/null\n' >>"$f"
		done
	done
	measure_cfgs 'POST members/$ref' ref
}
case ${CALLGRIND_ONLY:-all} in all | list) measure 'GET /users?$top=10' "$base/v1.0/users?%24top=10" list ;; esac
case ${CALLGRIND_ONLY:-all} in all | single) measure 'GET /users/{id}' "$base/v1.0/users/33c3317d-939c-4e2f-855a-95aa465db42a" single ;; esac
case ${CALLGRIND_ONLY:-all} in all | post) measure_post ;; esac
case ${CALLGRIND_ONLY:-all} in all | invite) measure_invite ;; esac
case ${CALLGRIND_ONLY:-all} in all | ref) measure_ref ;; esac
