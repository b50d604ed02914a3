#!/usr/bin/env bash
# make bench-scale: graphmock with a generated fixture of SCALE_USERS users
# (default 1,000,000), 3 groups of SCALE_USERS/10 members and SCALE_USERS/10
# app role assignments (bench/gen_scale.c), plus a small second tenant. Prints
# start-up time to the ready line, RSS, paging through every user and a
# group's members with $top=999, startswith, $orderby=displayName (both
# ways), userPrincipalName and createdDateTime (the first page of each of
# the last two makes its order), queries that read every user ($count,
# $search), reset and per-tenant reset after 1,250 writes (time and RSS
# after), export
# throughput (alone, then with the readers below: on two cores they take CPU
# from it), and the p99
# of a reader of the other tenant (and of the same one) while an export and
# a tenant reset run. Figures only; nothing is asserted.
# Times are wall-clock; on a shared machine the server's own CPU time (from
# /proc, in brackets) says more; the per-tenant reset's also counts the two
# readers served meanwhile. Ends with bench/mem.c's memory breakdown and
# bench/load.c's steps without the server (CPU and page faults of the parse,
# the build and each reset that rebuilds rather than rewinds, no reader running).
# Usage: bench/scale.sh GRAPHMOCK GEN_SCALE [SCALE_CLIENT] [MEM] [LOAD]
set -euo pipefail
bin=${1:-build/release/graphmock}
gen=${2:-build/release/bench-gen-scale}
client=${3:-build/release/bench-scale-client}
mem=${4:-build/release/bench-mem}
load=${5:-build/release/bench-load}
users=${SCALE_USERS:-1000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/graphmock-scale.XXXXXX")
pid=""
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
contoso=2dd67af8-8f6d-47d9-86d2-56d41895239d
fabrikam=6b1f0c2e-3d4a-4b5c-8d6e-7f8091a2b3c4
group=000006a0-0000-4000-8000-000000000000

rss() { awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' /proc/"$pid"/status; }
tick=$(getconf CLK_TCK)
cpu() { awk -v t="$tick" '{print int(($14 + $15) * 1000 / t)}' /proc/"$pid"/stat; }
# step LABEL COMMAND...: run it, then print the server's CPU time it took.
step() {
	local label=$1 c0 out; shift
	c0=$(cpu)
	out=$("$@")
	echo "$label: $out [server CPU $(( $(cpu) - c0 )) ms]"
}
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

echo "== machine: $(nproc) cores, $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $("$bin" --version), $(pkg-config --modversion jansson 2>/dev/null | sed 's/^/jansson /'), libmicrohttpd $(pkg-config --modversion libmicrohttpd 2>/dev/null)"
t0=$(date +%s%N)
"$gen" "$users" >"$work/fixture.json"
echo "fixture: $users users, 3 groups of $((users / 10)) members, $((users / 10)) app role assignments: $(( $(stat -c %s "$work/fixture.json") / 1000000 )) MB, generated in $(ms_since "$t0") ms"

t0=$(date +%s%N)
"$bin" --port 0 --quiet --seed 1 --fixtures "$work/fixture.json" >"$work/log" 2>&1 &
pid=$!
until grep -q listening "$work/log"; do
	kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
	sleep 0.02
done
echo "start-up to the ready line: $(ms_since "$t0") ms [server CPU $(cpu) ms]; RSS $(rss)"
base=$(sed -n 's/^graphmock listening on //p' "$work/log")
B="$base/v1.0"

step 'page through every user, $top=999' "$client" page "$B/users?\$top=999" "$contoso"
step "page through a group's members, \$top=999" \
	"$client" page "$B/groups/$group/members?\$top=999" "$contoso"
step "page through an app's appRoleAssignedTo, \$top=999" \
	"$client" page "$B/servicePrincipals/0000005e-0000-4000-8000-000000000001/appRoleAssignedTo?\$top=999" "$contoso"
step 'groups/delta, a first sync of the groups and their members@delta, every page' \
	"$client" page "$B/groups/delta" "$contoso"
step "startswith(displayName,'x'), first page" \
	"$client" once GET "$B/users?\$filter=startswith(displayName,'x')&\$top=999" "$contoso"
step "startswith(displayName,'x'), every page" \
	"$client" page "$B/users?\$filter=startswith(displayName,'x')&\$top=999" "$contoso"
step '$orderby=displayName, first page' \
	"$client" once GET "$B/users?\$orderby=displayName&\$top=999" "$contoso"
step '$orderby=displayName, every page' \
	"$client" page "$B/users?\$orderby=displayName&\$top=999" "$contoso"
step '$orderby=displayName desc, every page' \
	"$client" page "$B/users?\$orderby=displayName%20desc&\$top=999" "$contoso"
# The UPN order is made by the first page that asks for it.
step '$orderby=userPrincipalName, first page' \
	"$client" once GET "$B/users?\$orderby=userPrincipalName&\$top=999" "$contoso"
step '$orderby=userPrincipalName, every page' \
	"$client" page "$B/users?\$orderby=userPrincipalName&\$top=999" "$contoso"
step '$orderby=createdDateTime desc, $count=true, first page' \
	"$client" once GET "$B/users?\$orderby=createdDateTime%20desc&\$count=true&\$top=999" "$contoso"
step '$orderby=createdDateTime desc, $count=true, every page' \
	"$client" page "$B/users?\$orderby=createdDateTime%20desc&\$count=true&\$top=999" "$contoso"
step 'one user by id' "$client" once GET "$B/users/000005e7-0000-4000-8000-000000000007" "$contoso"
step "\$filter=userType eq 'Guest' (none among a million)" "$client" once GET \
	"$B/users?\$filter=userType%20eq%20'Guest'&\$top=999" "$contoso"
step "\$filter=id in (three ids)" "$client" once GET \
	"$B/users?\$filter=id%20in%20('000005e7-0000-4000-8000-000000000007','000005e7-0000-4000-8000-000000000008','000005e7-0000-4000-8000-00000000000a')" \
	"$contoso"
echo "RSS after the reads: $(rss)"
# Queries that read every user: counted and searched on the members
# they read (users kept as text are parsed for those alone, and kept by none).
step '$count=true, first page' "$client" once GET "$B/users?\$count=true&\$top=999" "$contoso"
step '/users/$count' "$client" once GET "$B/users/\$count" "$contoso"
step "/users/\$count?\$filter=accountEnabled eq false" \
	"$client" once GET "$B/users/\$count?\$filter=accountEnabled%20eq%20false" "$contoso"
step "\$search=\"displayName:x\", \$count=true" \
	"$client" once GET "$B/users?\$search=%22displayName:x%22&\$count=true&\$top=999" "$contoso"
step "a group's transitiveMembers, first page" \
	"$client" once GET "$B/groups/$group/transitiveMembers?\$top=999" "$contoso"
echo "RSS after the queries that read every user: $(rss)"

# A reader of the other tenant (and one of the same tenant) while the export
# streams, then while Contoso is reset.
reader_during() { # label, command...
	local label=$1 stop="$work/stop" r1=$work/r1 r2=$work/r2 p1 p2; shift
	rm -f "$stop"
	"$client" reader "$B/users?\$top=5" "$stop" "$fabrikam" >"$r1" &
	p1=$!
	"$client" reader "$B/users/000005e7-0000-4000-8000-000000000001" "$stop" "$contoso" >"$r2" &
	p2=$!
	sleep 0.5
	step "$label" "$@"
	touch "$stop"
	wait "$p1" "$p2"
	echo "  reader of the other tenant (Fabrikam) meanwhile: $(cat "$r1")"
	echo "  reader of the same tenant (Contoso) meanwhile:   $(cat "$r2")"
}
step 'export GET /_mock/state, alone' "$client" once GET "$base/_mock/state"
reader_during "export GET /_mock/state, with readers" "$client" once GET "$base/_mock/state"
echo "RSS after the exports: $(rss)"
# A reset rewinds what changed since the build (state/rewind.h): first the
# writes a test might make, then the reset that undoes them.
step "1,250 writes to Contoso (users changed, made, deleted; members removed)" \
	"$client" writes 1000 "$B" "$contoso"
echo "RSS after the writes: $(rss)"
reader_during "per-tenant reset of Contoso" "$client" once POST "$base/_mock/tenants/$contoso/reset"
echo "RSS after the per-tenant reset: $(rss)"
step "1,250 writes to Contoso again" "$client" writes 1000 "$B" "$contoso"
step 'reset of every tenant (POST /_mock/reset)' "$client" once POST "$base/_mock/reset"
echo "RSS after the reset: $(rss)"
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=""
echo "== memory a user costs (bench/mem.c, malloc'd bytes):"
[ ! -x "$mem" ] || "$mem" "$work/fixture.json" | sed 's/^/  /'
if [ -x "$load" ]; then
	echo "== start-up and reset steps without the server (bench/load.c; load $(cut -d' ' -f1-3 /proc/loadavg)):"
	"$load" "$work/fixture.json" 1 | sed 's/^/  /'
fi
