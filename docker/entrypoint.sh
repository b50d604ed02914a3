#!/bin/sh
# docker/entrypoint.sh - the image's entry point and health check: the mount
# points under /etc/graphmock fill in the variables they stand for (unless
# already set), then graphmock runs with the arguments given (`--healthcheck`
# and `certs DIR` included), as PID 1 so SIGTERM stops it cleanly.
#   fixtures.json              -> GRAPHMOCK_FIXTURES
#   faults.json                -> GRAPHMOCK_FAULTS
#   tls/server.pem, tls/server.key -> GRAPHMOCK_TLS_CERT, GRAPHMOCK_TLS_KEY
# GRAPHMOCK_CONFIG_DIR (default /etc/graphmock) and GRAPHMOCK_BIN (default
# /usr/bin/graphmock) let docker/check run this script outside a container.
set -eu
conf=${GRAPHMOCK_CONFIG_DIR:-/etc/graphmock}
if [ -z "${GRAPHMOCK_FIXTURES:-}" ] && [ -f "$conf/fixtures.json" ]; then
	export GRAPHMOCK_FIXTURES="$conf/fixtures.json"
fi
if [ -z "${GRAPHMOCK_FAULTS:-}" ] && [ -f "$conf/faults.json" ]; then
	export GRAPHMOCK_FAULTS="$conf/faults.json"
fi
if [ -z "${GRAPHMOCK_TLS_CERT:-}${GRAPHMOCK_TLS_KEY:-}" ] &&
	[ -f "$conf/tls/server.pem" ] && [ -f "$conf/tls/server.key" ]; then
	export GRAPHMOCK_TLS_CERT="$conf/tls/server.pem" GRAPHMOCK_TLS_KEY="$conf/tls/server.key"
fi
exec "${GRAPHMOCK_BIN:-/usr/bin/graphmock}" "$@"
