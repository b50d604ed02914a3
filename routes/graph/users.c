/*
 * routes/graph/users.c - the /users resource (graph-spec §4): list with OData
 * options, /$count, get by id or userPrincipalName, delete, and the route
 * table. Creation and update live in users_write.c.
 */
#include <stdlib.h>
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/odata/odata.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/deleted.h"
#include "../../state/state.h"
#include "entities.h"
#include "expand.h"
#include "listing.h"
#include "users.h"
#include "permissions.h"

/* The visible user of an index bucket, honouring lag the way a read by id does. */
static struct dobj *resolve_upn(struct state *st, struct tenant *t, const char *upn)
{
	size_t n;
	struct dobj *const *hits = state_dobj_lookup(t, IDX_UPN, upn, &n);

	for (size_t i = 0; i < n; i++)
		if (hits[i]->kind == DOBJ_USER)
			return state_dobj_find(st, t, DOBJ_USER, hits[i]->id);
	return NULL;
}

struct dobj *users_resolve(struct call *c, const char *key)
{
	struct dobj *d = NULL;

	/* OData reserves a leading '$': Graph wants /users('$x@y.com') instead. */
	if (key[0] == '$' && !strstr(c->req->path, "('")) {
		resp_error(c->resp, GERR_BAD_REQUEST,
		           "Resource not found for the segment '%s'.", key);
		return NULL;
	}
	if (guid_valid(key))
		d = state_dobj_find(c->st, c->tenant, DOBJ_USER, key);
	else if (strchr(key, '@'))
		d = resolve_upn(c->st, c->tenant, key);
	if (!d)
		resp_not_found(c->resp, key);
	return d;
}

static int item_by_seq(const void *a, const void *b)
{
	const struct odata_item *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Append @d to @items unless it is lagging or already there (index buckets may repeat).
 */
static void add_item(struct state *st, struct odata_item *items, size_t *n,
                     struct dobj *d)
{
	if (!d || d->kind != DOBJ_USER || !state_dobj_visible(st, d))
		return;
	for (size_t i = 0; i < *n; i++)
		if (items[i].obj == state_dobj_json(d))
			return;
	items[(*n)++] = (struct odata_item){state_dobj_json(d), &user_entity, d->seq,
	                                    NULL, dobj_tag(d)};
}

static void add_bucket(struct state *st, struct tenant *t, enum dobj_index idx,
                       const char *key, struct odata_item *items, size_t *n)
{
	size_t hits;
	struct dobj *const *objs = state_dobj_lookup(t, idx, key, &hits);

	for (size_t i = 0; i < hits; i++)
		add_item(st, items, n, objs[i]);
}

/*
 * The keys an index answers the $filter with: `id`, `userPrincipalName` or
 * `mail`, `eq` one value or `in (...)` many. 0: none, every user is a
 * candidate. @idx is IDX_COUNT for ids.
 */
static size_t index_keys(const struct odata_query *q, enum dobj_index *idx,
                         const char **keys)
{
	static const struct {
		const char *prop;
		enum dobj_index idx;
	} by[] = {{"id", IDX_COUNT}, {"userPrincipalName", IDX_UPN}, {"mail", IDX_MAIL}};
	size_t n;

	for (size_t i = 0; i < sizeof(by) / sizeof(by[0]); i++) {
		n = odata_filter_key_values(q, by[i].prop, keys, ODATA_FILTER_IN_MAX);
		if (n) {
			*idx = by[i].idx;
			return n;
		}
	}
	return 0;
}

/* Does an index answer the $filter? */
static bool has_index_keys(const struct odata_query *q)
{
	const char *keys[ODATA_FILTER_IN_MAX];
	enum dobj_index idx;

	return index_keys(q, &idx, keys) > 0;
}

/*
 * The candidates of a list or /$count: the users the index finds for the
 * keys, or every user. The engine still applies the whole filter, so a
 * superset (the mail index also holds otherMails) is fine.
 * Returns: new array (free()), NULL on OOM; *n may be 0.
 */
static struct odata_item *candidates(struct call *c, size_t *n)
{
	struct tenant *t = c->tenant;
	const char *keys[ODATA_FILTER_IN_MAX];
	enum dobj_index idx;
	size_t nkeys = index_keys(c->odata, &idx, keys), cap = 0;
	struct odata_item *items;

	if (!nkeys)
		return listing_kind_for(c, DOBJ_USER, &user_entity, n);
	for (size_t k = 0; k < nkeys; k++) {
		size_t hits = 1;

		if (idx != IDX_COUNT)
			state_dobj_lookup(t, idx, keys[k], &hits);
		cap += hits;
	}
	*n = 0;
	items = malloc((cap ? cap : 1) * sizeof(*items));
	if (!items)
		return NULL;
	for (size_t k = 0; k < nkeys; k++) {
		if (idx == IDX_COUNT)
			add_item(c->st, items, n,
			         guid_valid(keys[k])
			             ? state_dobj_find(c->st, t, DOBJ_USER, keys[k])
			             : NULL);
		else
			add_bucket(c->st, t, idx, keys[k], items, n);
	}
	qsort(items, *n, sizeof(*items), item_by_seq);
	return items;
}

static int users_list(struct call *c)
{
	static const struct odata_list_opts opts = {"users", false, 100, 999, NULL};
	int rc;

	/* No index lookup asked for: walk the order from the $skiptoken. */
	if (!has_index_keys(c->odata)) {
		rc = listing_walk(c, DOBJ_USER, &user_entity, &opts);
		return rc <= 0 ? rc
		               : listing_respond_kind(c, DOBJ_USER, &user_entity, &opts);
	}
	return listing_respond(c, candidates, &opts);
}

static int users_count(struct call *c)
{
	/* An index lookup finds the few; else every user, walked. */
	if (has_index_keys(c->odata))
		return listing_respond(c, candidates, NULL);
	return listing_count(c, DOBJ_USER);
}

static int users_get(struct call *c)
{
	struct dobj *d = users_resolve(c, req_param(c->req, 0));

	if (!d)
		return -1;
	return expand_respond_one(c, d, NULL, false);
}

/* To /directory/deletedItems for 30 days, memberships and assignments kept there. */
static int users_delete(struct call *c)
{
	struct dobj *d = users_resolve(c, req_param(c->req, 0));

	if (!d)
		return -1;
	if (state_dobj_delete(c->st, c->tenant, d))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_empty(c->resp, 204);
}

const struct route users_routes[] = {
    {"GET", "/users", users_list, ROUTE_ODATA, &user_entity, &PERMS_USERS_LIST},
    {"POST", "/users", users_create, ROUTE_JSON_BODY, NULL, &PERMS_USER_CREATE},
    {"GET", "/users/$count", users_count, ROUTE_ODATA, &user_entity, &PERMS_USERS_LIST},
    {"GET", "/users/{id}", users_get, ROUTE_ODATA, &user_entity, &PERMS_USER_GET},
    {"PATCH", "/users/{id}", users_update, ROUTE_JSON_BODY, NULL, &PERMS_USER_UPDATE},
    {"DELETE", "/users/{id}", users_delete, 0, NULL, &PERMS_USER_DELETE},
    {"POST", "/users/{id}/revokeSignInSessions", users_revoke_sessions,
     ROUTE_JSON_BODY | ROUTE_OPTIONAL_BODY, NULL, &PERMS_USER_REVOKE_SESSIONS},
    /* /me is /me/<signed-in user> (server/exchange.c): the same handlers */
    {"GET", "/me/{id}", users_get, ROUTE_ODATA, &user_entity, &PERMS_ME_READ},
    {"PATCH", "/me/{id}", users_update, ROUTE_JSON_BODY, NULL, &PERMS_ME_WRITE},
    {"POST", "/me/{id}/revokeSignInSessions", users_revoke_sessions,
     ROUTE_JSON_BODY | ROUTE_OPTIONAL_BODY, NULL, &PERMS_USER_REVOKE_SESSIONS},
    {0},
};
