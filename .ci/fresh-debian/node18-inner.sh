# The body that check-node18.sh runs inside a fresh root (through run-ci.sh's
# CMD): Debian 12's nodejs and npm, the build packages, `make release certs`,
# `npm ci` for conformance/clients, then the clients suite the way
# `make clients` runs it.
# Set before this text by check-node18.sh:
#   V4_LOCALHOST=1  map localhost to 127.0.0.1 only in this throwaway root's
#                   /etc/hosts (as this host's does), to isolate the ::1 effect
#   NODE_FLAGS=...  NODE_OPTIONS for the suite (e.g. --experimental-global-webcrypto)
set -u
if [ "${V4_LOCALHOST:-0}" = 1 ]; then
	sed -i 's/^::1[[:space:]]*localhost /::1		/' /etc/hosts
	echo "== (check) /etc/hosts: localhost -> 127.0.0.1 only"; cat /etc/hosts
fi
t() { date +%s; }
echo "== apt: nodejs npm (Debian 12)"
a=$(t)
apt-get update -qq
apt-get install -y -qq nodejs npm >/dev/null 2>/tmp/apt.err || { cat /tmp/apt.err; exit 1; }
echo "installed in $(($(t) - a))s; $(dpkg -l | grep -c '^ii') packages now"
echo "node $(node --version), npm $(npm --version), nodejs package $(dpkg-query -W -f='${Version}' nodejs)"
echo "localhost resolves to (getent ahosts, in order):"; getent ahosts localhost | awk '{print "  " $1}' | uniq
node -e 'require("dns").lookup("localhost",(e,a,f)=>console.log("node dns.lookup(localhost):",a,"family",f))'
echo "== apt: build deps for make release certs"
apt-get install -y -qq --no-install-recommends build-essential pkg-config libmicrohttpd-dev \
	libjansson-dev uthash-dev libgnutls28-dev openssl >/dev/null
echo "== make release certs"
make -j2 release certs || exit 1
echo "== npm ci (conformance/clients)"
a=$(t)
(cd conformance/clients && npm ci --no-audit --no-fund --loglevel=error)
echo "npm ci exit status: $? (${a:+$(($(t) - a))s})"
echo "== node --test (conformance/clients), as make clients runs it"
a=$(t)
[ -n "${NODE_FLAGS:-}" ] && echo "NODE_OPTIONS=$NODE_FLAGS"
(cd conformance/clients && NODE_OPTIONS=${NODE_FLAGS:-} NODE_EXTRA_CA_CERTS=$PWD/../../build/certs/ca.pem \
	GRAPHMOCK_CERTS=$PWD/../../build/certs GRAPHMOCK_BIN=$PWD/../../build/release/graphmock \
	node --test)
rc=$?
echo "node --test exit status: $rc ($(($(t) - a))s)"
exit $rc
