/*
 * server/journal_admin.c - /_mock/requests: the request journal, filtered
 * by method, path pattern, status, tenant and time, oldest first; and
 * clearing it. A route table of the journal's own, registered by the server.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/call.h"
#include "core/error.h"
#include "core/req.h"
#include "core/resp.h"
#include "core/router.h"
#include "srv.h"

static struct journal *journal(struct call *c)
{
	return &c->srv->journal;
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

static int requests_list(struct call *c)
{
	struct journal_filter f = {.since_ms = -1};
	const char *status = req_query(c->req, "status");
	const char *since = req_query(c->req, "since");
	const char *path = req_query(c->req, "path");

	f.method = req_query(c->req, "method");
	if (f.method && !*f.method)
		f.method = NULL;
	if (path && *path)
		f.path = path;
	f.tenant = req_query(c->req, "tenant");
	if (f.tenant && !*f.tenant)
		f.tenant = NULL;
	if (status && *status) {
		char *end;
		long v = strtol(status, &end, 10);
		if (*end || v < 100 || v > 599)
			return resp_error(
			    c->resp, GERR_BAD_REQUEST,
			    "'status' must be an HTTP status code, not '%s'.", status);
		f.status = (unsigned)v;
	}
	if (since && *since && parse_since(since, &f.since_ms))
		return resp_error(
		    c->resp, GERR_BAD_REQUEST,
		    "'since' must be an ISO 8601 UTC time or milliseconds since the "
		    "epoch, not '%s'.",
		    since);
	return resp_json(c->resp, 200, journal_query(journal(c), &f));
}

static int requests_clear(struct call *c)
{
	journal_clear(journal(c));
	return resp_empty(c->resp, 204);
}

const struct route journal_admin_routes[] = {
    {"GET", "/_mock/requests", requests_list, ROUTE_STATE_NONE, NULL, NULL},
    {"DELETE", "/_mock/requests", requests_clear, ROUTE_STATE_NONE, NULL, NULL},
    {0},
};
