/*
 * server/http/deferred.h - graphmock's admin thread: the handlers of
 * ROUTE_BACKGROUND routes (resets, tenant copies, state export and import)
 * run here, one at a time, while their connection is suspended, so no
 * worker thread (and none of the other connections it serves) waits for a
 * long admin operation. A streamed answer (the export) is written to an
 * unlinked temp file here too, and sent from it with sendfile. A second
 * one (srv->busy_waiters) runs the requests to a tenant such an operation
 * marks busy, which wait there for the tenant's lock rather than behind
 * the whole operation.
 */
#ifndef GRAPHMOCK_SERVER_HTTP_DEFERRED_H
#define GRAPHMOCK_SERVER_HTTP_DEFERRED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct MHD_Connection;
struct exchange;
struct srv;

/* What the admin thread did with one exchange, for the access handler. */
struct deferred_result {
	int step;   /* enum exchange_step exchange_run_deferred() returned */
	FILE *body; /* a streamed body spooled to a temp file, or NULL */
	size_t len; /* its length */
};

struct deferred; /* in srv.h, which the server's other layers see */

/* deferred_start() / _stop() - the admin thread; stop runs what is queued first. */
int deferred_start(struct deferred *d, struct srv *srv);
void deferred_stop(struct deferred *d);

/*
 * deferred_init() - the same queue without a thread of its own: the caller
 * runs it in deferred_run(), which returns once deferred_quit() (from any
 * thread) asked it to and what was queued has run. The server runs its
 * admin queue so on the main thread (server/main.c): what a reset or an
 * import builds is then allocated, like the start-up's, in glibc's main
 * arena (the heap, in huge pages), not in a thread's arena, where the
 * million-user reset took 9.2 s against 6.9. deferred_stop() after
 * deferred_run() returned releases it.
 */
int deferred_init(struct deferred *d, struct srv *srv);
void deferred_run(struct deferred *d);
void deferred_quit(struct deferred *d);

/*
 * deferred_add() - run exchange_run_deferred(@ex) on the admin thread into
 * @out, then resume @conn (suspended by the caller). 0, or -1 (OOM,
 * stopping; the caller resumes and serves it itself).
 */
int deferred_add(struct deferred *d, struct MHD_Connection *conn, struct exchange *ex,
                 struct deferred_result *out);

#endif
