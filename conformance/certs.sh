#!/bin/sh
# conformance/certs.sh - a throwaway CA and a server certificate for
# localhost / 127.0.0.1 / ::1, for graphmock's HTTPS tests (make certs).
# Usage: conformance/certs.sh [DIR]   (default build/certs)
# Writes DIR/ca.pem (trust this: NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE,
# curl --cacert), DIR/server.pem (+ DIR/server-chain.pem) and DIR/server.key.
# Needs openssl. Existing files are kept unless they expire within a day.
set -eu

dir=${1:-build/certs}
mkdir -p "$dir"
cd "$dir"

if [ -f ca.pem ] && [ -f server.pem ] && [ -f server.key ] &&
	openssl x509 -checkend 86400 -noout -in server.pem >/dev/null 2>&1; then
	echo "certs: up to date in $dir"
	exit 0
fi

umask 077
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 \
	-keyout ca.key -out ca.pem -subj "/CN=graphmock test CA" \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -sha256 -keyout server.key -out server.csr \
	-subj "/CN=localhost" 2>/dev/null
cat >server.ext <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
EXT
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
	-days 30 -sha256 -extfile server.ext -out server.pem 2>/dev/null
cat server.pem ca.pem >server-chain.pem
chmod 644 ca.pem server.pem server-chain.pem
rm -f server.csr server.ext ca.srl
echo "certs: CA $dir/ca.pem, server $dir/server.pem + $dir/server.key"
