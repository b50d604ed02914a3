#!/bin/sh
# test-fixtures/app-certificate/regenerate.sh - make a new test certificate
# for the fixture app "Guest onboarding automation" and put it everywhere
# it is used:
#   cert.pem, key.pem          this directory (a throwaway, NOT a secret)
#   state/default_fixture.json the app's keyCredentials[0] (key, thumbprint, dates)
#   conformance/cases/identity/0[4-5]*-assertion-*/request
#                              the client assertions signed with key.pem
# Needs openssl and python3. Run from anywhere; commit what it changes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 \
	-keyout key.pem -out cert.pem -days 9125 \
	-subj "/CN=graphmock test app" 2>/dev/null
# A second key nobody registered: the "unknown certificate" cases sign with it.
openssl req -x509 -newkey rsa:2048 -nodes -sha256 \
	-keyout "${TMPDIR:-/tmp}/graphmock-stranger.key" \
	-out "${TMPDIR:-/tmp}/graphmock-stranger.pem" -days 2 \
	-subj "/CN=not registered anywhere" 2>/dev/null
python3 "$here/write_uses.py" "$here" \
	"${TMPDIR:-/tmp}/graphmock-stranger.key" "${TMPDIR:-/tmp}/graphmock-stranger.pem"
rm -f "${TMPDIR:-/tmp}/graphmock-stranger.key" "${TMPDIR:-/tmp}/graphmock-stranger.pem"
echo "new test certificate: $(openssl x509 -in cert.pem -noout -fingerprint -sha1)"
