/*
 * routes/batch.c - the route of Graph's JSON batching, POST /$batch. It runs
 * outside the state lock, so srv_dispatch() hands ROUTE_BATCH routes to
 * server/batch.c instead of calling the handler here (docs/batch.md).
 */
#include "../server/error.h"
#include "../server/resp.h"
#include "../server/router.h"

/* Never called: the dispatcher intercepts ROUTE_BATCH before taking the lock. */
static int batch_post(struct state *st, const struct req *req, struct resp *resp)
{
	(void)st;
	(void)req;
	return resp_error(resp, GERR_INTERNAL, "$batch must be run by the dispatcher.");
}

const struct route batch_routes[] = {
    {"POST", "/$batch", batch_post, ROUTE_JSON_BODY | ROUTE_BATCH, NULL},
    {0},
};
