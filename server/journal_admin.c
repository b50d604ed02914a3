/*
 * server/journal_admin.c - /_mock/requests: the request journal, filtered
 * by method, path pattern (and one to leave out), status, tenant, time and
 * sequence number, oldest first, optionally only the newest N; and
 * clearing it. A route table of the journal's own, registered by the server.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
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

/* Query option @name as a whole number 0..@max; absent or empty leaves @out. */
static int query_count(struct call *c, const char *name, long long max, long long *out)
{
	const char *s = req_query(c->req, name);
	char *end;
	long long v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || !isdigit((unsigned char)*s) || v < 0 || v > max)
		return resp_error(c->resp, GERR_BAD_REQUEST,
		                  "'%s' must be a whole number from 0 to %lld, not '%s'.",
		                  name, max, s);
	*out = v;
	return 0;
}

static int requests_list(struct call *c)
{
	struct journal_filter f = {.since_ms = -1};
	const char *status = req_query(c->req, "status");
	const char *since = req_query(c->req, "since");
	const char *path = req_query(c->req, "path");
	const char *exclude = req_query(c->req, "exclude");
	long long after = 0, last = 0;

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
	if (exclude && *exclude)
		f.exclude = exclude;
	if (query_count(c, "after", INT64_MAX, &after) ||
	    query_count(c, "last", 1000000, &last))
		return -1;
	f.after = (uint64_t)after;
	f.last = (size_t)last;
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
