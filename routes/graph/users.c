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
	items[(*n)++] =
	    (struct odata_item){state_dobj_json(d), &user_entity, d->seq, NULL};
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
 * The candidates of a list or /$count. `id eq`, `userPrincipalName eq` and
 * `mail eq` come from the indexes; the engine still applies the whole filter,
 * so a superset (the mail index also holds otherMails) is fine.
 * Returns: new array (free()), NULL on OOM; *n may be 0.
 */
static struct odata_item *candidates(struct call *c, size_t *n)
{
	struct tenant *t = c->tenant;
	const struct odata_query *q = c->odata;
	const char *id = odata_filter_eq_value(q, "id");
	const char *upn = odata_filter_eq_value(q, "userPrincipalName");
	const char *mail = odata_filter_eq_value(q, "mail");
	size_t cap = state_dobj_count(t, DOBJ_USER);
	struct odata_item *items;

	if (!id && !upn && !mail)
		return listing_kind_for(c, DOBJ_USER, &user_entity, n);
	*n = 0;
	items = malloc((cap ? cap : 1) * sizeof(*items));
	if (!items)
		return NULL;
	if (id)
		add_item(c->st, items, n,
		         guid_valid(id) ? state_dobj_find(c->st, t, DOBJ_USER, id)
		                        : NULL);
	else
		add_bucket(c->st, t, upn ? IDX_UPN : IDX_MAIL, upn ? upn : mail, items,
		           n);
	qsort(items, *n, sizeof(*items), item_by_seq);
	return items;
}

static int users_list(struct call *c)
{
	static const struct odata_list_opts opts = {"users", false, 100, 999, NULL};
	const struct odata_query *q = c->odata;
	int rc;

	/* No index lookup asked for: walk the order from the $skiptoken. */
	if (!odata_filter_eq_value(q, "id") &&
	    !odata_filter_eq_value(q, "userPrincipalName") &&
	    !odata_filter_eq_value(q, "mail")) {
		rc = listing_walk(c, DOBJ_USER, &user_entity, &opts);
		return rc <= 0 ? rc
		               : listing_respond_kind(c, DOBJ_USER, &user_entity, &opts);
	}
	return listing_respond(c, candidates, &opts);
}

static int users_count(struct call *c)
{
	const struct odata_query *q = c->odata;

	/* An index lookup finds the few; else every user, walked. */
	if (odata_filter_eq_value(q, "id") ||
	    odata_filter_eq_value(q, "userPrincipalName") ||
	    odata_filter_eq_value(q, "mail"))
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
    /* /me is /me/<signed-in user> (server/exchange.c): the same handlers */
    {"GET", "/me/{id}", users_get, ROUTE_ODATA, &user_entity, &PERMS_ME_READ},
    {"PATCH", "/me/{id}", users_update, ROUTE_JSON_BODY, NULL, &PERMS_ME_WRITE},
    {0},
};
