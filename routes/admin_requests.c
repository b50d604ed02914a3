/*
 * routes/admin_requests.c - /_mock/requests: the request journal, filtered
 * by method, path pattern, status, tenant and time, oldest first; and
 * clearing it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../server/error.h"
#include "../server/req.h"
#include "../server/resp.h"
#include "../server/router.h"
#include "../server/srv.h"

static struct journal *journal(struct state *st)
{
	return &((struct srv *)st->server)->journal;
}

/* since=2024-05-01T10:00:00Z or since=<ms since the epoch>. */
static int parse_since(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!time_parse_iso(s, out))
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || !*s || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

static int requests_list(struct state *st, const struct req *req, struct resp *resp)
{
	struct journal_filter f = {.since_ms = -1};
	const char *status = req_query(req, "status");
	const char *since = req_query(req, "since");
	const char *path = req_query(req, "path");

	f.method = req_query(req, "method");
	if (f.method && !*f.method)
		f.method = NULL;
	if (path && *path)
		f.path = path;
	f.tenant = req_query(req, "tenant");
	if (f.tenant && !*f.tenant)
		f.tenant = NULL;
	if (status && *status) {
		char *end;
		long v = strtol(status, &end, 10);
		if (*end || v < 100 || v > 599)
			return resp_error(
			    resp, GERR_BAD_REQUEST,
			    "'status' must be an HTTP status code, not '%s'.", status);
		f.status = (unsigned)v;
	}
	if (since && *since && parse_since(since, &f.since_ms))
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    "'since' must be an ISO 8601 UTC time or milliseconds since the "
		    "epoch, not '%s'.",
		    since);
	return resp_json(resp, 200, journal_query(journal(st), &f));
}

static int requests_clear(struct state *st, const struct req *req, struct resp *resp)
{
	(void)req;
	journal_clear(journal(st));
	return resp_empty(resp, 204);
}

const struct route admin_requests_routes[] = {
    {"GET", "/_mock/requests", requests_list, ROUTE_NO_TENANT, NULL},
    {"DELETE", "/_mock/requests", requests_clear, ROUTE_NO_TENANT, NULL},
    {0},
};
