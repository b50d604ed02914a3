/*
 * routes/graph/app_role_assignments.c - creating, listing and finding app role
 * assignments for either side of the link, and the principal-side routes
 * /users|groups|servicePrincipals/{id}/appRoleAssignments (graph-spec §6.3,
 * §6.4). The resource side lives in app_role_assigned_to.c.
 */
#include "assignments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/model/model.h"
#include "../../state/model/model_app.h"
#include "apps.h"
#include "entities.h"
#include "listing.h"
#include "permissions.h"

static const struct apps_prop assignment_props[] = {
    {"principalId", AP_GUID},
    {"resourceId", AP_GUID},
    {"appRoleId", AP_GUID},
    {"id", AP_READONLY},
    {"createdDateTime", AP_READONLY},
    {"deletedDateTime", AP_READONLY},
    {"principalDisplayName", AP_READONLY},
    {"principalType", AP_READONLY},
    {"resourceDisplayName", AP_READONLY},
    {0},
};

#define INVALID_VALUE                                                                    \
	"Invalid value specified for property '%s' of resource 'AppRoleAssignment'."

static const char *body_guid(const struct req *req, const char *key)
{
	return json_string_value(json_object_get(req->body, key));
}

static int check_body(const struct req *req, struct resp *resp)
{
	static const char *const required[] = {"principalId", "resourceId", "appRoleId"};

	if (apps_body_check(req->body, assignment_props, "appRoleAssignment", resp))
		return -1;
	for (size_t i = 0; i < 3; i++)
		if (!body_guid(req, required[i]))
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST, INVALID_VALUE,
			                  required[i]);
	return 0;
}

/* The resource and principal the body names, checked against the path. */
static int resolve(struct call *c, enum assignment_side side, struct dobj *owner,
                   struct dobj **principal, struct dobj **resource)
{
	const char *pid = body_guid(c->req, "principalId");
	const char *rid = body_guid(c->req, "resourceId");

	if (side == SIDE_RESOURCE && strcasecmp(rid, owner->id))
		return resp_error(
		    c->resp, GERR_REQUEST_BAD_REQUEST,
		    "The resourceId '%s' does not match the service principal "
		    "'%s' named in the request URL.",
		    rid, owner->id);
	if (side == SIDE_PRINCIPAL && strcasecmp(pid, owner->id))
		return resp_error(
		    c->resp, GERR_REQUEST_BAD_REQUEST,
		    "The principalId '%s' does not match the object '%s' named in "
		    "the request URL.",
		    pid, owner->id);
	*resource = side == SIDE_RESOURCE
	                ? owner
	                : state_dobj_find(c->st, c->tenant, DOBJ_SERVICE_PRINCIPAL, rid);
	if (!*resource)
		return resp_error(c->resp, GERR_NOT_FOUND,
		                  "Specified resourceId was not found.");
	*principal =
	    side == SIDE_PRINCIPAL ? owner : state_dobj_find(c->st, c->tenant, -1, pid);
	if (!*principal || (*principal)->kind == DOBJ_APPLICATION)
		return resp_not_found(c->resp, pid);
	return 0;
}

int assignments_create(struct call *c, enum assignment_side side, struct dobj *owner,
                       const char *context)
{
	struct odata_query q = {.entity = &app_role_assignment_entity};
	struct dobj *principal = NULL, *resource = NULL;
	struct assignment *a;
	const char *role;
	char id[64];
	json_t *obj;

	if (check_body(c->req, c->resp) || resolve(c, side, owner, &principal, &resource))
		return -1;
	role = body_guid(c->req, "appRoleId");
	switch (model_assignment_check(c->tenant, principal, resource, role)) {
	case ASSIGN_ROLE_NOT_FOUND:
		return resp_error(
		    c->resp, GERR_REQUEST_BAD_REQUEST,
		    "Permission being assigned was not found on application.");
	case ASSIGN_DUPLICATE:
		/* Default Access (the zero GUID) answers with the entitlement text
		 * scripts see for duplicate user/group assignments (fidelity §3). */
		if (!strcasecmp(role, MODEL_DEFAULT_ACCESS_ROLE))
			return resp_error_code(c->resp, 400,
			                       "Request_MultipleObjectsWithSameKeyValue",
			                       "EntitlementGrant entry already exists.");
		/* No final period: scripts compare it with exact equality. */
		return resp_error(
		    c->resp, GERR_REQUEST_BAD_REQUEST,
		    "Permission being assigned already exists on the object");
	case ASSIGN_OK:
		break;
	}
	obj = model_assignment_new(c->st, principal, resource, role, id);
	a = obj ? state_assignment_add(c->st, c->tenant, id, principal->id, resource->id,
	                               role, obj)
	        : NULL;
	if (!a)
		return resp_error(c->resp, GERR_INTERNAL,
		                  "Storing the assignment failed.");
	resp_header(c->resp, "Location",
	            "%s/%s/servicePrincipals/%s/appRoleAssignedTo/%s", c->req->base_url,
	            c->req->version, resource->id, a->id);
	return odata_respond_entity(&q, c->req, c->resp, 201, &app_role_assignment_entity,
	                            a->obj, context);
}

/* Does @a belong to @owner's list on @side? */
static bool belongs(const struct assignment *a, enum assignment_side side,
                    const struct dobj *owner)
{
	return side == SIDE_RESOURCE ? a->resource == owner : a->principal == owner;
}

struct assignment_items {
	struct odata_item *v;
	size_t n, cap;
};

/* Append the visible assignments of one list (principal's or resource's). */
static int collect(struct call *c, struct assignment_items *out,
                   const struct assignment *a, bool principal_side)
{
	for (; a; a = principal_side ? state_assignment_next_of_principal(a)
	                             : state_assignment_next_of_resource(a)) {
		if (!state_assignment_visible(c->st, a))
			continue;
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 16;
			struct odata_item *grown = realloc(out->v, cap * sizeof(*grown));
			if (!grown)
				return -1;
			out->v = grown;
			out->cap = cap;
		}
		model_assignment_refresh(c->tenant, (struct assignment *)a);
		out->v[out->n++] = (struct odata_item){
		    a->obj, &app_role_assignment_entity, a->seq, NULL, {NULL, 0}};
	}
	return 0;
}

static int by_seq(const void *a, const void *b)
{
	uint64_t x = ((const struct odata_item *)a)->seq,
	         y = ((const struct odata_item *)b)->seq;

	return x < y ? -1 : x > y;
}

struct odata_item *assignments_items(struct call *c, enum assignment_side side,
                                     const struct dobj *owner, size_t *n)
{
	struct assignment_items items = {0};
	int rc = 0;

	*n = 0;
	if (side == SIDE_RESOURCE) {
		rc = collect(c, &items, state_assignment_first_of_resource(owner), false);
	} else {
		rc = collect(c, &items, state_assignment_first_of_principal(owner), true);
		/* §6.4: a user's list includes what its direct groups are assigned. */
		for (const struct dobj_link *l = owner->member_of;
		     !rc && owner->kind == DOBJ_USER && l; l = l->hh.next)
			rc = collect(c, &items,
			             state_assignment_first_of_principal(l->obj), true);
	}
	if (rc || !items.v) {
		free(items.v);
		return rc ? NULL : calloc(1, sizeof(struct odata_item));
	}
	/* In insertion order (seq), as one table would list them. */
	qsort(items.v, items.n, sizeof(*items.v), by_seq);
	*n = items.n;
	return items.v;
}

/*
 * A resource's list walked: its assignments are kept in seq order (state.h),
 * so a page goes on after its $skiptoken's seq and refreshes and renders only
 * its own, where the engine collected, refreshed and sorted every one (1.2-1.8
 * s a page for an app 100,000 users hold a role of). A query that filters,
 * searches, sorts, skips or expands goes to the engine: returns 1.
 */
static int walk_resource(struct call *c, const struct dobj *owner,
                         const struct odata_list_opts *opts)
{
	const struct odata_query *q = c->odata;
	const struct assignment *a = state_assignment_first_of_resource(owner),
	                        *last = NULL;
	bool more = false, counted = q && q->count && q->advanced;
	size_t top, n = 0, total = 0;
	struct odata_item *items;
	int rc;

	if (!listing_seq_walkable(q, opts) || q->filter || q->search_expr || q->nexpand)
		return 1;
	top = listing_page_size(q, opts);
	items = malloc((top + 1) * sizeof(*items));
	if (!items)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	while (a && q->token_kind && a->seq <= q->token_value)
		a = state_assignment_next_of_resource(a);
	for (; a; a = state_assignment_next_of_resource(a)) {
		if (!state_assignment_visible(c->st, a))
			continue;
		if (n == top) {
			more = true;
			break;
		}
		model_assignment_refresh(c->tenant, (struct assignment *)a);
		items[n++] = (struct odata_item){
		    a->obj, &app_role_assignment_entity, a->seq, NULL, {NULL, 0}};
		last = a;
	}
	for (a = state_assignment_first_of_resource(owner); counted && a;
	     a = state_assignment_next_of_resource(a))
		total += state_assignment_visible(c->st, a);
	rc = odata_respond_walked(q, c->req, c->resp, items, n,
	                          more ? &(struct odata_cursor){last->seq, NULL} : NULL,
	                          counted ? &total : NULL, opts);
	free(items);
	return rc;
}

int assignments_list(struct call *c, enum assignment_side side, const struct dobj *owner,
                     const char *context)
{
	struct odata_list_opts opts = {.context = context};
	struct odata_item *items;
	size_t n;
	int rc;

	if (side == SIDE_RESOURCE && (rc = walk_resource(c, owner, &opts)) <= 0)
		return rc;
	items = assignments_items(c, side, owner, &n);
	if (!items)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	rc = odata_respond_collection(c->odata, c->req, c->resp, items, n, &opts);
	free(items);
	return rc;
}

struct assignment *assignments_find(struct call *c, enum assignment_side side,
                                    const struct dobj *owner)
{
	const char *id = req_param(c->req, 1);
	struct assignment *a = state_assignment_find(c->st, c->tenant, id);

	if (!a || !belongs(a, side, owner)) {
		resp_not_found(c->resp, id);
		return NULL;
	}
	model_assignment_refresh(c->tenant, a);
	return a;
}

/* ---- principal side: /{users|groups|servicePrincipals}/{id}/appRoleAssignments ---- */

static enum dobj_kind path_kind(const struct req *req)
{
	if (!strcasecmp(req->segs[0], "users") || !strcasecmp(req->segs[0], "me"))
		return DOBJ_USER; /* /me is /me/<signed-in user> */
	if (!strcasecmp(req->segs[0], "groups"))
		return DOBJ_GROUP;
	return DOBJ_SERVICE_PRINCIPAL;
}

static void principal_context(const struct req *req, const struct dobj *d, char *out,
                              size_t len)
{
	snprintf(out, len, "%s('%s')/appRoleAssignments",
	         strcasecmp(req->segs[0], "me") ? req->segs[0] : "users", d->id);
}

static int principal_list(struct call *c)
{
	struct dobj *d = apps_path_principal(c, path_kind(c->req));
	char ctx[160];

	if (!d)
		return -1;
	principal_context(c->req, d, ctx, sizeof(ctx));
	return assignments_list(c, SIDE_PRINCIPAL, d, ctx);
}

static int principal_create(struct call *c)
{
	struct dobj *d = apps_path_principal(c, path_kind(c->req));
	char ctx[160];

	if (!d)
		return -1;
	principal_context(c->req, d, ctx, sizeof(ctx));
	return assignments_create(c, SIDE_PRINCIPAL, d, ctx);
}

static int principal_get(struct call *c)
{
	struct dobj *d = apps_path_principal(c, path_kind(c->req));
	struct assignment *a = d ? assignments_find(c, SIDE_PRINCIPAL, d) : NULL;
	char ctx[160];

	if (!a)
		return -1;
	principal_context(c->req, d, ctx, sizeof(ctx));
	return odata_respond_entity(c->odata, c->req, c->resp, 200,
	                            &app_role_assignment_entity, a->obj, ctx);
}

static int principal_delete(struct call *c)
{
	struct dobj *d = apps_path_principal(c, path_kind(c->req));
	struct assignment *a = d ? assignments_find(c, SIDE_PRINCIPAL, d) : NULL;

	if (!a)
		return -1;
	state_assignment_remove(c->tenant, a);
	return resp_empty(c->resp, 204);
}

#define E (&app_role_assignment_entity)

const struct route app_role_assignment_routes[] = {
    {"GET", "/users/{id}/appRoleAssignments", principal_list, ROUTE_ODATA, E,
     &PERMS_PRINCIPAL_ASSIGNMENTS_READ},
    {"POST", "/users/{id}/appRoleAssignments", principal_create, ROUTE_JSON_BODY, NULL,
     &PERMS_PRINCIPAL_ASSIGN_WRITE},
    {"GET", "/users/{id}/appRoleAssignments/{aid}", principal_get, ROUTE_ODATA, E,
     &PERMS_PRINCIPAL_ASSIGNMENTS_READ},
    {"DELETE", "/users/{id}/appRoleAssignments/{aid}", principal_delete, 0, NULL,
     &PERMS_PRINCIPAL_ASSIGN_WRITE},
    {"GET", "/me/{id}/appRoleAssignments", principal_list, ROUTE_ODATA, E,
     &PERMS_ME_ASSIGN_READ},
    {"POST", "/me/{id}/appRoleAssignments", principal_create, ROUTE_JSON_BODY, NULL,
     &PERMS_PRINCIPAL_ASSIGN_WRITE},
    {"GET", "/me/{id}/appRoleAssignments/{aid}", principal_get, ROUTE_ODATA, E,
     &PERMS_ME_ASSIGN_READ},
    {"DELETE", "/me/{id}/appRoleAssignments/{aid}", principal_delete, 0, NULL,
     &PERMS_PRINCIPAL_ASSIGN_WRITE},
    {"GET", "/groups/{id}/appRoleAssignments", principal_list, ROUTE_ODATA, E,
     &PERMS_PRINCIPAL_ASSIGNMENTS_READ},
    {"POST", "/groups/{id}/appRoleAssignments", principal_create, ROUTE_JSON_BODY, NULL,
     &PERMS_PRINCIPAL_ASSIGN_WRITE},
    {"GET", "/groups/{id}/appRoleAssignments/{aid}", principal_get, ROUTE_ODATA, E,
     &PERMS_PRINCIPAL_ASSIGNMENTS_READ},
    {"DELETE", "/groups/{id}/appRoleAssignments/{aid}", principal_delete, 0, NULL,
     &PERMS_PRINCIPAL_ASSIGN_WRITE},
    {"GET", "/servicePrincipals/{id}/appRoleAssignments", principal_list,
     ROUTE_ODATA | ROUTE_APPID_KEY, E, &PERMS_SP_ASSIGNMENTS_READ},
    {"POST", "/servicePrincipals/{id}/appRoleAssignments", principal_create,
     ROUTE_JSON_BODY | ROUTE_APPID_KEY, NULL, &PERMS_SP_ASSIGN_CREATE},
    {"GET", "/servicePrincipals/{id}/appRoleAssignments/{aid}", principal_get,
     ROUTE_ODATA | ROUTE_APPID_KEY, E, &PERMS_SP_ASSIGNMENTS_READ},
    {"DELETE", "/servicePrincipals/{id}/appRoleAssignments/{aid}", principal_delete,
     ROUTE_APPID_KEY, NULL, &PERMS_SP_ASSIGN_DELETE},
    {0},
};
