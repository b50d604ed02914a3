/*
 * server/srv.h - the one server context main() builds and passes everywhere
 * (libmicrohttpd's cls): configuration, state, the daemon. No globals.
 */
#ifndef GRAPHMOCK_SERVER_SRV_H
#define GRAPHMOCK_SERVER_SRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../state/state.h"
#include "config.h"

struct MHD_Daemon;
struct req;
struct resp;

struct srv {
	struct config cfg;
	struct state state;
	struct MHD_Daemon *daemon;
	int listen_fd;
	unsigned port;      /* the bound port (differs from cfg.port when that is 0) */
	char addr[80];      /* the bound address as printed */
	int64_t started_us; /* monotonic, for uptime */
};

/*
 * srv_dispatch() - run the router on a fully received request: generic
 * checks, tenant, handler under the state lock, body rendered to
 * resp->bytes before the lock is released. @too_large says the upload went
 * over --max-body (its bytes were discarded).
 */
void srv_dispatch(struct srv *srv, struct req *req, struct resp *resp, bool too_large);

/* srv_start() - bind and start the HTTP daemon. 0, or -1 after printing why. */
int srv_start(struct srv *srv);

/* srv_stop() - stop the daemon and close the socket. */
void srv_stop(struct srv *srv);

/* srv_log_access() - one access-log line on stderr unless --quiet. */
void srv_log_access(const struct srv *srv, const struct req *req, const struct resp *resp,
		    int64_t micros);

#endif
