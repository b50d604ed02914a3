/*
 * routes/mock/admin_state.c - /_mock/state: export all state in the fixture
 * format and replace it atomically (saving to --state-file is the server's:
 * server/control.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/load/export.h"
#include "../../state/state.h"
#include "../../state/load/tenants.h"

static int state_get(struct call *c)
{
	json_t *doc = state_export(c->st);

	if (!doc)
		return resp_error(c->resp, GERR_INTERNAL, "Exporting the state failed.");
	return resp_json(c->resp, 200, doc);
}

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
    {"GET", "/_mock/state", state_get, ROUTE_STATE_SHARED, NULL, NULL},
    {"PUT", "/_mock/state", state_put, ROUTE_STATE_ALL | ROUTE_JSON_BODY, NULL, NULL},
    {0},
};
