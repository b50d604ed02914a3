#!/usr/bin/env bash
# conformance/doc-examples.sh - run every shell block (```sh, ```bash) of the
# given markdown files against a fresh graphmock, so the copy-paste examples
# of README.md and docs/*.md cannot rot. `make test` runs it (make doc-examples).
#
# usage: conformance/doc-examples.sh GRAPHMOCK_BIN FILE.md...
#        conformance/doc-examples.sh --self-test GRAPHMOCK_BIN
#
# Each file runs in its own bash, block after block as a reader pastes them
# into one terminal (variables carry over), from the repository root, with
# `set -eu`, against its own graphmock (GRAPHMOCK_BIN --port 0) that stands
# for `make run`. A block breaks, and the file stops there, when:
#   - a command fails (errexit; not pipefail: `curl -si ... | head -1` may
#     end curl early), jq included: jq runs as `jq -e`, so a null or false
#     answer (an id that is not there) or no output at all is a failure;
#   - a curl exits with anything but 0 (or 23, cut short by `| head`), e.g. 7
#     when it cannot connect;
#   - a line ending in a comment that starts with a status (`# 204`,
#     `# 429, Retry-After: 1`) got another HTTP status from its last curl;
#   - it runs longer than 60 s.
# What the text says is run as written, with these substitutions only:
#   - port 8080 of localhost, 127.0.0.1 and [::1] becomes the fresh server's;
#   - /tmp/ becomes a private directory (parallel runs share /tmp).
# Markers, HTML comments on the line before a block (invisible on GitHub),
# say what cannot run as is; each needs its reason, and is reviewed as code:
#   <!-- doc-examples: skip: REASON -->        the block is not run
#   <!-- doc-examples: server -->              the block starts a server: run in
#       the background with its `--port N` as --port 0 and `exec` before the
#       command that starts graphmock, until its ready line; later blocks of
#       the file reach it as host:N; stopped with SIGTERM at the end (exit 0)
#   <!-- doc-examples: allow-fail: REASON -->  commands may fail (a curl that
#       shows a reset connection); status comments still hold
#   <!-- doc-examples: setup: SHELL -->        anywhere in the file: run first
#       (the values the prose gives, such as B=http://127.0.0.1:8080)
# A marker that is not one of these, or not followed by a block, is an error.
set -uo pipefail
shopt -s nullglob

# --self-test: this script against conformance/doc-examples-test/: pass.md must
# pass and every fail-*.md must fail, so a check that stopped biting shows.
if [ "${1:-}" = --self-test ]; then
	self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
	tests=$(dirname "$self")/doc-examples-test
	rc=0
	"$self" "${2:?usage: doc-examples.sh --self-test GRAPHMOCK_BIN}" "$tests/pass.md" \
		>"${TMPDIR:-/tmp}/doc-examples-self.$$" 2>&1 || {
		cat "${TMPDIR:-/tmp}/doc-examples-self.$$"
		echo "doc-examples: self-test: pass.md failed"
		rc=1
	}
	for f in "$tests"/fail-*.md; do
		if "$self" "$2" "$f" >"${TMPDIR:-/tmp}/doc-examples-self.$$" 2>&1; then
			echo "doc-examples: self-test: $(basename "$f") passed, but must fail"
			rc=1
		fi
	done
	rm -f "${TMPDIR:-/tmp}/doc-examples-self.$$"
	[ "$rc" = 0 ] && echo "doc-examples: self-test: pass.md passes, $(ls "$tests"/fail-*.md | wc -l) fail-*.md fail"
	exit "$rc"
fi
bin=${1:?usage: doc-examples.sh GRAPHMOCK_BIN FILE.md...}
shift
[ $# -gt 0 ] || { echo "usage: doc-examples.sh GRAPHMOCK_BIN FILE.md..." >&2; exit 2; }
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || { echo "doc-examples: no executable $bin" >&2; exit 2; }
for tool in curl jq awk; do
	command -v "$tool" >/dev/null || { echo "doc-examples: needs $tool (make deps)" >&2; exit 2; }
done
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/doc-examples.XXXXXX")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	[ -n "${DOC_EXAMPLES_KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

# extract FILE OUTDIR: one file per block (OUTDIR/NNN.sh), OUTDIR/NNN.meta
# "LINE KIND REASON" (KIND run, skip, server, allow-fail), OUTDIR/setup.sh.
extract() {
	awk -v out="$2" -v file="$1" '
	function fail(msg) { printf "%s:%d: %s\n", file, NR, msg > "/dev/stderr"; bad = 1; exit 1 }
	BEGIN { n = 0; kind = "run"; reason = ""; pend = 0 }
	/^[ \t]*<!-- doc-examples:/ {
		m = $0
		sub(/^[ \t]*<!-- doc-examples: */, "", m)
		if (m !~ / *-->$/) fail("a doc-examples marker fits on one line")
		sub(/ *-->$/, "", m)
		if (m ~ /^setup: /) { sub(/^setup: /, "", m); print m >> (out "/setup.sh"); next }
		if (pend) fail("two markers before one block")
		if (m == "server") { kind = "server"; reason = "" }
		else if (m ~ /^(skip|allow-fail): [^ ]/) {
			kind = m; sub(/:.*/, "", kind)
			reason = m; sub(/^[a-z-]*: /, "", reason)
		} else fail("unknown marker (skip: REASON, allow-fail: REASON, server, setup: SHELL)")
		pend = 1; mline = NR
		next
	}
	# a fence may be indented (a list item): its content loses that indentation
	inblock && substr($0, 1, indent + 3) == fence { inblock = 0; close(cur); next }
	inblock { line = $0; if (substr(line, 1, indent) ~ /^[ \t]*$/) line = substr(line, indent + 1); print line > cur; next }
	/^[ \t]*```(sh|bash|shell)[ \t]*$/ {
		n++
		match($0, /^[ \t]*/); indent = RLENGTH
		fence = substr($0, 1, indent) "```"
		cur = sprintf("%s/%03d.sh", out, n)
		printf "" > cur
		printf "%d %s %s\n", NR + 1, pend ? kind : "run", pend ? reason : "" > sprintf("%s/%03d.meta", out, n)
		close(sprintf("%s/%03d.meta", out, n))
		inblock = 1; pend = 0; kind = "run"; reason = ""
		next
	}
	/^[ \t]*```/ { if (pend) fail("the marker on line " mline " is not followed by a sh block"); next }
	/[^ \t]/ { if (pend) fail("the marker on line " mline " is not followed by a sh block") }
	END { if (!bad && pend) fail("a marker at the end of the file") }
	' "$1"
}

# The runner, sourced into the bash that runs one file's blocks.
cat >"$work/prelude.sh" <<'PRELUDE'
__dx_fail() {
	local what=$*
	# A failed curl call shows up as the wrapper's return: name the call.
	case $what in *'return "$__dx_rc"') what=$(grep '^__dx_curl_failed ' "$__dx_curl_log" |
		tail -n 1 | cut -d' ' -f2-) ;; esac
	printf '%s\n' "$__dx_where: $what" >>"$__dx_failures"
	exit 1
}
# Every curl notes its exit status and HTTP status for the checks below.
curl() {
	local __dx_rc=0
	command curl --max-time 20 -w '%{stderr}__dx_status %{http_code}\n' "$@" \
		2>>"$__dx_curl_log" || __dx_rc=$?
	echo "__dx_exit $__dx_rc" >>"$__dx_curl_log"
	[ "$__dx_rc" = 0 ] || echo "__dx_curl_failed exit $__dx_rc: curl $*" >>"$__dx_curl_log"
	return "$__dx_rc"
}
# jq -e, and no output at all is a failure too (jq 1.6 exits 0 on empty input).
jq() {
	local __dx_out __dx_rc=0
	__dx_out=$(command jq -e "$@") || __dx_rc=$?
	if [ -z "$__dx_out" ]; then
		[ "$__dx_rc" != 0 ] || __dx_rc=4
	else
		printf '%s\n' "$__dx_out"
	fi
	return "$__dx_rc"
}
# __dx_expect STATUS MDLINE: the last curl since the previous check answered STATUS.
__dx_expect() {
	local n last
	n=$(grep -c '^__dx_status ' "$__dx_curl_log" || true)
	last=$(grep '^__dx_status ' "$__dx_curl_log" | tail -n 1 | cut -d' ' -f2)
	[ "$n" -gt "$__dx_expect_seen" ] || __dx_fail "line $2: no curl ran for '# $1'"
	__dx_expect_seen=$n
	[ "$last" = "$1" ] || __dx_fail "line $2: HTTP $last, the comment says $1"
}
# After a block: every curl exited 0 (or 23: its reader, such as head, left).
__dx_curl_exits() {
	local bad
	bad=$(grep '^__dx_exit ' "$__dx_curl_log" | tail -n "+$((__dx_exits_seen + 1))" |
		grep -vE '^__dx_exit (0|23)$' | head -n 1)
	__dx_exits_seen=$(grep -c '^__dx_exit ' "$__dx_curl_log" || true)
	[ -z "$bad" ] || [ "$1" = allow-fail ] || __dx_fail "a curl exited ${bad#__dx_exit }"
}
__dx_expect_seen=0
__dx_exits_seen=0
: >"$__dx_curl_log"
PRELUDE

# subst PORTMAP TMPDIR FIRSTLINE: the block on stdin as run: ports ("FROM TO
# FROM TO ..."), /tmp/, and a status check after each line with a status comment.
subst() {
	awk -v map="$1" -v tmp="$2" -v first="$3" '
	function subport(l, from, to,   k, pat, out, rest, pos) {
		for (k = 1; k <= 3; k++) {
			pat = hosts[k] ":" from
			out = ""
			rest = l
			while ((pos = index(rest, pat)) > 0) {
				out = out substr(rest, 1, pos - 1)
				rest = substr(rest, pos + length(pat))
				out = out (substr(rest, 1, 1) ~ /[0-9]/ ? pat : hosts[k] ":" to)
			}
			l = out rest
		}
		return l
	}
	BEGIN { n = split(map, m, " "); split("localhost 127.0.0.1 [::1]", hosts, " ") }
	{
		line = $0
		for (i = 1; i + 1 <= n; i += 2)
			line = subport(line, m[i], m[i + 1])
		gsub(/\/tmp\//, tmp "/", line)
		print line
		if (match(line, /[ \t]#[ \t]*[1-5][0-9][0-9]([^0-9]|$)/)) {
			s = substr(line, RSTART, RLENGTH)
			gsub(/[^0-9]/, "", s)
			printf "__dx_expect %s %d\n", substr(s, 1, 3), first + NR - 1
		}
	}'
}

# wait_ready LOG: the ready line's port, once it is there (60 s).
wait_ready() {
	local i line
	for ((i = 0; i < 600; i++)); do
		line=$(grep -m1 '^graphmock listening on ' "$1" 2>/dev/null) && {
			echo "${line##*:}"
			return 0
		}
		sleep 0.1
	done
	return 1
}

run_file() { # run_file FILE.md: 0 when every block passed
	local md=$1 dir=$work/${1//\//_} blocks=0 skipped=0 port pid port_map meta kind line reason
	local -a servers=()
	mkdir -p "$dir/tmp"
	extract "$md" "$dir" || { echo "doc-examples: $md: FAILED (its markers)"; return 1; }
	"$bin" --port 0 --seed 1 >"$dir/server.out" 2>"$dir/server.err" &
	pid=$!
	pids+=("$pid")
	port=$(wait_ready "$dir/server.out") || {
		echo "doc-examples: $md: graphmock did not start"; cat "$dir/server.err"; return 1; }
	port_map="8080 $port"
	{
		echo "__dx_failures=$dir/failures; __dx_curl_log=$dir/curl.log; __dx_where=$md"
		echo ". '$work/prelude.sh'"
		echo "set -eu"
		echo "cd '$root'"
		if [ -f "$dir/setup.sh" ]; then subst "$port_map" "$dir/tmp" 0 <"$dir/setup.sh"; fi
	} >"$dir/script.sh"
	: >"$dir/failures"
	for meta in "$dir"/*.meta; do
		read -r line kind reason <"$meta"
		case $kind in
		skip)
			skipped=$((skipped + 1))
			echo "doc-examples: $md:$line: skipped: $reason"
			continue
			;;
		server)
			# Run in the background; its port joins the map once it is ready.
			local want
			want=$(grep -oE -- '--port [0-9]+' "${meta%.meta}.sh" | head -n 1 | cut -d' ' -f2)
			[ -n "$want" ] || { echo "doc-examples: $md:$line: a server block needs --port N"; return 1; }
			sed -E -e 's/--port [0-9]+/--port 0/' \
				-e 's#^(\./[^ ]*graphmock|graphmock) #exec \1 #' "${meta%.meta}.sh" |
				subst "$port_map" "$dir/tmp" "$line" >"$dir/server-$line.sh"
			(cd "$root" && exec bash -eu "$dir/server-$line.sh") >"$dir/server-$line.out" 2>&1 &
			servers+=("$!:$line")
			pids+=("$!")
			local p
			p=$(wait_ready "$dir/server-$line.out") || {
				echo "doc-examples: $md:$line: the server block did not print its ready line:"
				tail -n 20 "$dir/server-$line.out"; return 1; }
			port_map="$port_map $want $p"
			blocks=$((blocks + 1))
			continue
			;;
		esac
		blocks=$((blocks + 1))
		{
			echo "__dx_where='$md:$line'; cd '$root'"
			if [ "$kind" = allow-fail ]; then
				echo "set +e"
			else
				echo "trap '__dx_fail \"exit \$?: \$BASH_COMMAND\"' ERR"
			fi
			subst "$port_map" "$dir/tmp" "$line" <"${meta%.meta}.sh"
			echo "set -e; trap - ERR"
			echo "__dx_curl_exits $kind"
		} >>"$dir/script.sh"
	done
	local rc=0 before
	before=$(cd "$root" && ls -A)
	(cd "$root" && timeout 60 bash "$dir/script.sh") >"$dir/run.log" 2>&1 || rc=$?
	# Files the blocks wrote into the checkout (state.json, ...) go again.
	(cd "$root" && ls -A) | while IFS= read -r f; do
		grep -qxF -- "$f" <<<"$before" || { [ -f "$root/$f" ] && rm -f "$root/$f"; }
	done
	for s in "${servers[@]}"; do
		kill -TERM "${s%%:*}" 2>/dev/null
		wait "${s%%:*}" 2>/dev/null || {
			echo "$md:${s##*:}: the server did not exit 0 on SIGTERM" >>"$dir/failures"; rc=1; }
	done
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || { echo "$md: graphmock did not exit 0 on SIGTERM" >>"$dir/failures"; rc=1; }
	if [ "$rc" = 124 ]; then
		echo "$md: timed out after 60 s" >>"$dir/failures"
	elif [ "$rc" != 0 ] && [ ! -s "$dir/failures" ]; then
		echo "$md: the run exited with status $rc" >>"$dir/failures"
	fi
	if [ "$rc" != 0 ] || [ -s "$dir/failures" ]; then
		echo "doc-examples: $md: FAILED"
		sed 's/^/  /' "$dir/failures"
		echo "  -- the run's output (last 25 lines):"
		tail -n 25 "$dir/run.log" | cut -c1-300 | sed 's/^/  | /'
		echo "  -- graphmock's stderr (last 10 lines):"
		tail -n 10 "$dir/server.err" | sed 's/^/  | /'
		return 1
	fi
	echo "doc-examples: $md: ok ($blocks blocks run, $skipped skipped)"
	return 0
}

failed=0 total=0
for md in "$@"; do
	total=$((total + 1))
	run_file "$md" || failed=$((failed + 1))
done
echo "doc-examples: $((total - failed)) of $total files passed"
[ "$failed" = 0 ]
