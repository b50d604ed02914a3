/*
 * routes/mock/permissions_report.c - GET /_mock/permissions: for each
 * client that called Graph with a token since the last reset (per tenant
 * and token kind), the least-privileged permission each route it called
 * needs, what its tokens were granted, what it was granted but never
 * needed (over-consent) and what it needed but lacked; each route with its
 * call count. DELETE starts a new report (POST /_mock/reset does too).
 */
#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/usage.h"

static int report_get(struct call *c)
{
	json_t *r = state_usage_report(c->st);

	return r ? resp_json(c->resp, 200, r)
	         : resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
}

static int report_clear(struct call *c)
{
	state_usage_clear(c->st);
	return resp_empty(c->resp, 204);
}

const struct route permissions_report_routes[] = {
    {"GET", "/_mock/permissions", report_get, ROUTE_STATE_NONE, NULL, NULL},
    {"DELETE", "/_mock/permissions", report_clear, ROUTE_STATE_NONE, NULL, NULL},
    {0},
};
