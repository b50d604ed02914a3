/*
 * server/http/http.h - the HTTP transport (libmicrohttpd): serving a struct srv
 * on its socket, over TLS with --tls-cert, with the latency timer that
 * resumes suspended connections. Only main() and tests start it.
 */
#ifndef GRAPHMOCK_SERVER_HTTP_HTTP_H
#define GRAPHMOCK_SERVER_HTTP_HTTP_H

struct srv;

/*
 * srv_start() - bind, start the latency timer and the HTTP daemon. 0, or -1
 * after printing why (nothing left running).
 */
int srv_start(struct srv *srv);

/* srv_stop() - resume every delayed request, stop the daemon, close the socket. */
void srv_stop(struct srv *srv);

/* srv_scheme() - "https" when serving TLS (--tls-cert), else "http". */
const char *srv_scheme(const struct srv *srv);

#endif
