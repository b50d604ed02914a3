/*
 * routes/mock/changelog.c - /_mock/changelog: the tenant's change log
 * (state/changelog.h) as delta queries and change notifications see it,
 * and its size, so tests can make it compact and a delta token fall out of
 * the retained window (Graph's 410 resync).
 */
#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/changelog.h"

static int changelog_get(struct call *c)
{
	json_t *out;

	if (!state_changelog(c->st, c->tenant))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	out = state_changelog_export(c->tenant);
	return out ? resp_json(c->resp, 200, out)
	           : resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
}

/* {"maxEntries": N}: keep at most N entries (at least 4), compacting now. */
static int changelog_set(struct call *c)
{
	const json_t *max = json_object_get(c->req->body, "maxEntries");

	if (!json_is_integer(max) || json_integer_value(max) < CHANGELOG_MIN_MAX ||
	    json_integer_value(max) > 10000000 || json_object_size(c->req->body) != 1)
		return resp_error(c->resp, GERR_BAD_REQUEST,
		                  "The body must be {\"maxEntries\": N} with N from 4 to "
		                  "10000000.");
	if (state_changelog_set_max(c->st, c->tenant, (size_t)json_integer_value(max)))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return changelog_get(c);
}

const struct route changelog_routes[] = {
    {"GET", "/_mock/changelog", changelog_get, 0, NULL, NULL},
    {"POST", "/_mock/changelog", changelog_set, ROUTE_JSON_BODY, NULL, NULL},
    {0},
};
