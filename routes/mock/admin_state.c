/*
 * routes/mock/admin_state.c - PUT /_mock/state: replace all state atomically
 * (exporting it, streamed, and saving to --state-file are the server's:
 * server/control.c, server/export_stream.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/state.h"
#include "../../state/load/tenants.h"

static int state_put(struct call *c)
{
	char err[512];

	/* state_load() validates the whole document before it replaces anything. */
	if (state_replace(c->st, c->req->body, err, sizeof(err)))
		return resp_error(c->resp, GERR_BAD_REQUEST, "Invalid state document: %s",
		                  err);
	return resp_empty(c->resp, 204);
}

const struct route admin_state_routes[] = {
    /* Built with no lock held, swapped in under the registry lock: see
     * state_replace(). Any size (ROUTE_LARGE_BODY: spooled, not --max-body). */
    {"PUT", "/_mock/state", state_put,
     ROUTE_STATE_NONE | ROUTE_JSON_BODY | ROUTE_LARGE_BODY | ROUTE_BACKGROUND, NULL,
     NULL},
    {0},
};
