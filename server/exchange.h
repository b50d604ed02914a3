/*
 * server/exchange.h - the one request pipeline (STYLE §1), run alike for a
 * request received over HTTP and for each $batch sub-request, as h2o
 * re-processes a request rather than keeping a second copy:
 *
 *   tenant -> fault decision -> route (400/405) -> token (401) ->
 *   permission (403) -> input (413/400) -> handler under the locks and
 *   rendering -> ghost write -> journal
 *
 * A transport fills ex->req (server/http/http.c from libmicrohttpd,
 * server/batch.c from a $batch entry), calls exchange_run(), carries out
 * what it answers (wait, drop the connection, or send ex->resp), and
 * releases the exchange when the transport is done with it.
 */
#ifndef GRAPHMOCK_SERVER_EXCHANGE_H
#define GRAPHMOCK_SERVER_EXCHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../state/util/guid.h"
#include "faults/fault.h"
#include "core/call.h"
#include "core/req.h"
#include "odata/odata.h"
#include "core/resp.h"

struct srv;

/* What a transport can carry out besides sending a response. */
enum exchange_caps {
	EXCHANGE_CAN_DELAY = 1 << 0, /* suspend for injected latency */
	EXCHANGE_CAN_DROP = 1 << 1,  /* end the connection (reset, close, ...) */
	EXCHANGE_CAN_WAIT = 1 << 2,  /* suspend while a handler's webhook checks run */
	EXCHANGE_CAN_DEFER = 1 << 3, /* run a ROUTE_BACKGROUND handler elsewhere */
};

/* What the transport must do next. */
enum exchange_step {
	EXCHANGE_RESPOND, /* send ex->resp (rendered) */
	EXCHANGE_DELAY,   /* wait ex->fault.latency_ms, then exchange_resume() */
	EXCHANGE_DROP,    /* end the connection as ex->fault.conn says; for
	                     truncate, ex->resp is the real response, rendered */
	EXCHANGE_WAIT,    /* suspend, exchange_wait_start(), and once woken
	                     exchange_continue() */
	EXCHANGE_DEFER,   /* a ROUTE_BACKGROUND route, admitted: run
	                     exchange_run_deferred() off the worker thread */
};

struct exchange {
	/* req, then resp, then the rest: exchange_init() clears them in turn */
	struct req req;           /* filled by the transport */
	struct resp resp;         /* the answer; a transport may set an error before
	                             exchange_run() (a broken path), which is then sent */
	struct odata_query odata; /* parsed for ROUTE_ODATA routes */
	bool too_large; /* the upload went over --max-body (its bytes dropped) */
	unsigned caps;  /* enum exchange_caps of the transport */

	/* Decided by exchange_run(). */
	char tenant_id[GUID_STR_LEN + 1]; /* the tenant acted on; "" when none */
	char tenant_domain[256];
	char client[128];   /* throttling key: the token's appid/azp, else the peer */
	int resource_units; /* x-ms-resource-unit of a Graph request (odata_cost.c) */
	struct fault_decision fault; /* downgraded to FAULT_NONE where the
	                                transport cannot carry it out */
	int64_t started_us;          /* monotonic */
	bool journaled;
	bool me_unresolved; /* a /me path without a signed-in user: 400 once routed */

	/* A handler waiting for webhook checks (call.h webhooks_validate). */
	bool waiting;
	struct webhook_check *wait_checks; /* owned */
	size_t wait_n;
	call_fn *wait_then; /* runs under the route's locks once done */
	const struct route *wait_route;
	const struct route *deferred; /* EXCHANGE_DEFER: the route to run */
	bool tenant_busy; /* its tenant was busy (tenant.busy): deferred for that */
};

/* exchange_init() - an empty exchange with a fresh request id, started now. */
void exchange_init(struct exchange *ex);

/* exchange_release() - free what the exchange owns (not the struct). */
void exchange_release(struct exchange *ex);

/*
 * exchange_run() - the pipeline over the request in @ex, for a transport
 * that can do @caps (enum exchange_caps). Everything but EXCHANGE_DELAY is
 * final and journaled; after EXCHANGE_DELAY the transport waits and calls
 * exchange_resume().
 */
enum exchange_step exchange_run(struct srv *srv, struct exchange *ex, unsigned caps);

/* exchange_resume() - the rest of the pipeline after an injected delay. */
enum exchange_step exchange_resume(struct srv *srv, struct exchange *ex);

/*
 * exchange_wait_start() - after EXCHANGE_WAIT (the connection suspended
 * first): run the handler's checks, and call @wake(@arg) from another
 * thread when they are done. 0, or -1 when they cannot start (resume at
 * once; the checks then count as failed).
 */
int exchange_wait_start(struct srv *srv, struct exchange *ex, void (*wake)(void *arg),
                        void *arg);

/* exchange_continue() - the rest of the pipeline once the checks are done. */
enum exchange_step exchange_continue(struct srv *srv, struct exchange *ex);

/*
 * exchange_run_deferred() - after EXCHANGE_DEFER, on another thread: the
 * handler under its locks, then what follows it (ghost writes, journal).
 */
enum exchange_step exchange_run_deferred(struct srv *srv, struct exchange *ex);

/*
 * exchange_body_unbounded() - may the request @method @url take a body of any
 * size (a ROUTE_LARGE_BODY route under /_mock, and the admin token when one
 * is set: @admin_token is X-Graphmock-Admin-Token, @authorization the
 * Authorization header, either NULL)? The transport asks before the body
 * arrives, and spools such a body to a temp file (req->body_file).
 */
bool exchange_body_unbounded(struct srv *srv, const char *method, const char *url,
                             const char *admin_token, const char *authorization);

/*
 * exchange_delay_refused() - after EXCHANGE_DELAY, when the transport holds
 * cfg.max_delayed requests already: answer 503 with Retry-After (journaled)
 * instead of waiting. Returns EXCHANGE_RESPOND.
 */
enum exchange_step exchange_delay_refused(struct srv *srv, struct exchange *ex);

/*
 * exchange_journal_dropped() - journal an exchange that ended without an
 * answer (the client went away first) with status 0; a no-op when already
 * journaled or when the request never got far enough to be journaled.
 */
void exchange_journal_dropped(struct srv *srv, struct exchange *ex);

#endif
