/*
 * routes/mock/webhook.c - /_mock/webhook: a change-notification receiver
 * inside graphmock, for tests that cannot run one (the conformance runner).
 * It answers a validation request with its token as text/plain, as a
 * subscriber must, and a delivery with 202 Accepted. Query options of the
 * notificationUrl shape it: ?status=N answers deliveries with N,
 * ?validationStatus=N and ?echo=false spoil the handshake. What it was sent
 * is in GET /_mock/notifications (the sender's record); fault rules whose
 * path names /_mock/webhook* can fail it further.
 */
#include <stdlib.h>
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"

/* A status from the query (100..599), else @def. */
static unsigned query_status(const struct call *c, const char *name, unsigned def)
{
	const char *v = req_query(c->req, name);
	long n = v ? strtol(v, NULL, 10) : 0;

	return n >= 100 && n <= 599 ? (unsigned)n : def;
}

static int webhook_receive(struct call *c)
{
	const char *token = req_query(c->req, "validationToken");
	const char *echo = req_query(c->req, "echo");
	unsigned status;

	if (!token) {
		status = query_status(c, "status", 202);
		if (status >= 200 && status < 300)
			return resp_empty(c->resp, status);
		return resp_raw(c->resp, status, "text/plain", "receiver says no", 16);
	}
	status = query_status(c, "validationStatus", 200);
	if (echo && !strcmp(echo, "false"))
		token = "not the token";
	return resp_raw(c->resp, status, "text/plain; charset=utf-8", token,
	                strlen(token));
}

const struct route webhook_routes[] = {
    {"POST", "/_mock/webhook", webhook_receive, ROUTE_STATE_NONE, NULL, NULL},
    {"POST", "/_mock/webhook/{name}", webhook_receive, ROUTE_STATE_NONE, NULL, NULL},
    {0},
};
