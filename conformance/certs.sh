#!/bin/sh
# conformance/certs.sh - a throwaway CA and a server certificate for graphmock's
# HTTPS tests and the zero-configuration mode: `graphmock certs DIR` (made with
# GnuTLS, no openssl needed; names localhost, 127.0.0.1, ::1 and the host names
# of Graph and Entra ID: graph.microsoft.com, login.microsoftonline.com,
# login.windows.net, sts.windows.net).
# Usage: conformance/certs.sh [DIR [NAME...]]   (default build/certs)
# Writes DIR/ca.pem (trust this: NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE,
# curl --cacert), DIR/server.pem (+ DIR/server-chain.pem) and DIR/server.key;
# existing files are kept while they name all of those and stay valid a day.
# GRAPHMOCK_BIN names the binary (default build/release/graphmock; make unit
# sets the ASan build's).
set -eu
dir=${1:-build/certs}
[ $# -gt 0 ] && shift
exec "${GRAPHMOCK_BIN:-build/release/graphmock}" certs "$dir" "$@"
