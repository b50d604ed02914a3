#!/usr/bin/env bash
# The official-client suite on Debian 12's own Node.js (18) in a fresh root:
# apt-get install nodejs npm, make release certs, npm ci, node --test.
#
# usage: check-node18.sh [REPO_DIR] [BRANCH]        defaults: this checkout, main
# env:   V4_LOCALHOST=1   localhost -> 127.0.0.1 only inside the root (isolates ::1)
#        NODE_FLAGS='...' NODE_OPTIONS for the suite, e.g.
#                         '--experimental-global-webcrypto --enable-network-family-autoselection'
#        LOG=path         default: node18-check.log beside this script
# Everything else (fresh root, mounts, cleanup, summary) is run-ci.sh's.
here=$(cd "$(dirname "$0")" && pwd)
pre="V4_LOCALHOST=${V4_LOCALHOST:-0}; NODE_FLAGS='${NODE_FLAGS:-}';"
LOG=${LOG:-$here/node18-check.log} CMD="$pre
$(cat "$here/node18-inner.sh")" exec "$here/run-ci.sh" "$@"
