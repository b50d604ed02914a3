/*
 * routes/users.c - the /users resource (graph-spec §4): list with OData
 * options, /$count, get by id or userPrincipalName, delete, and the route
 * table. Creation and update live in users_write.c.
 */
#include <stdlib.h>
#include <string.h>

#include "../server/error.h"
#include "../server/odata.h"
#include "../server/req.h"
#include "../server/resp.h"
#include "../server/router.h"
#include "../state/state.h"
#include "entities.h"
#include "users.h"

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

struct dobj *users_resolve(struct state *st, const struct req *req, struct resp *resp,
                           const char *key)
{
	struct dobj *d = NULL;

	/* OData reserves a leading '$': Graph wants /users('$x@y.com') instead. */
	if (key[0] == '$' && !strstr(req->path, "('")) {
		resp_error(resp, GERR_BAD_REQUEST,
		           "Resource not found for the segment '%s'.", key);
		return NULL;
	}
	if (guid_valid(key))
		d = state_dobj_find(st, req->tenant, DOBJ_USER, key);
	else if (strchr(key, '@'))
		d = resolve_upn(st, req->tenant, key);
	if (!d)
		resp_not_found(resp, key);
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
		if (items[i].obj == d->obj)
			return;
	items[*n].obj = d->obj;
	items[*n].entity = &user_entity;
	items[*n].seq = d->seq;
	(*n)++;
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
static struct odata_item *candidates(struct state *st, const struct req *req, size_t *n)
{
	struct tenant *t = req->tenant;
	size_t cap = state_dobj_count(t, DOBJ_USER);
	struct odata_item *items = malloc((cap ? cap : 1) * sizeof(*items));
	const struct odata_query *q = &req->odata;
	const char *v;

	*n = 0;
	if (!items)
		return NULL;
	v = odata_filter_eq_value(q, "id");
	if (v) {
		add_item(st, items, n,
		         guid_valid(v) ? state_dobj_find(st, t, DOBJ_USER, v) : NULL);
		return items;
	}
	v = odata_filter_eq_value(q, "userPrincipalName");
	if (v) {
		add_bucket(st, t, IDX_UPN, v, items, n);
		goto out_sort;
	}
	v = odata_filter_eq_value(q, "mail");
	if (v) {
		add_bucket(st, t, IDX_MAIL, v, items, n);
		goto out_sort;
	}
	for (struct dobj *d = state_dobj_first(t, DOBJ_USER); d; d = state_dobj_next(d)) {
		if (!state_dobj_visible(st, d))
			continue;
		items[*n].obj = d->obj;
		items[*n].entity = &user_entity;
		items[*n].seq = d->seq;
		(*n)++;
	}
	return items; /* insertion order is seq order already */

out_sort:
	qsort(items, *n, sizeof(*items), item_by_seq);
	return items;
}

static int users_list(struct state *st, const struct req *req, struct resp *resp)
{
	static const struct odata_list_opts opts = {"users", false, 100, 999};
	struct odata_item *items;
	size_t n;
	int rc;

	items = candidates(st, req, &n);
	if (!items)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	rc = odata_respond_collection(&req->odata, req, resp, items, n, &opts);
	free(items);
	return rc;
}

static int users_count(struct state *st, const struct req *req, struct resp *resp)
{
	struct odata_item *items;
	size_t n;
	int rc;

	items = candidates(st, req, &n);
	if (!items)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	rc = odata_respond_count(&req->odata, req, resp, items, n);
	free(items);
	return rc;
}

static int users_get(struct state *st, const struct req *req, struct resp *resp)
{
	struct dobj *d = users_resolve(st, req, resp, req_param(req, 0));

	if (!d)
		return -1;
	return odata_respond_entity(&req->odata, req, resp, 200, &user_entity, d->obj,
	                            NULL);
}

/* The store drops the user's memberships and app role assignments in the same step. */
static int users_delete(struct state *st, const struct req *req, struct resp *resp)
{
	struct dobj *d = users_resolve(st, req, resp, req_param(req, 0));

	if (!d)
		return -1;
	state_dobj_remove(req->tenant, d);
	return resp_empty(resp, 204);
}

const struct route users_routes[] = {
    {"GET", "/users", users_list, ROUTE_ODATA, &user_entity},
    {"POST", "/users", users_create, ROUTE_JSON_BODY, NULL},
    {"GET", "/users/$count", users_count, ROUTE_ODATA, &user_entity},
    {"GET", "/users/{id}", users_get, ROUTE_ODATA, &user_entity},
    {"PATCH", "/users/{id}", users_update, ROUTE_JSON_BODY, NULL},
    {"DELETE", "/users/{id}", users_delete, 0, NULL},
    {0},
};
