/*
 * routes/app_role_assignments.c - creating, listing and finding app role
 * assignments for either side of the link, and the principal-side routes
 * /users|groups|servicePrincipals/{id}/appRoleAssignments (graph-spec §6.3,
 * §6.4). The resource side lives in app_role_assigned_to.c.
 */
#include "assignments.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../server/error.h"
#include "../server/req.h"
#include "../server/resp.h"
#include "../server/router.h"
#include "../state/model.h"
#include "../state/model_app.h"
#include "apps.h"
#include "entities.h"

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
static int resolve(struct state *st, const struct req *req, struct resp *resp,
                   enum assignment_side side, struct dobj *owner, struct dobj **principal,
                   struct dobj **resource)
{
	const char *pid = body_guid(req, "principalId");
	const char *rid = body_guid(req, "resourceId");

	if (side == SIDE_RESOURCE && strcasecmp(rid, owner->id))
		return resp_error(
		    resp, GERR_REQUEST_BAD_REQUEST,
		    "The resourceId '%s' does not match the service principal "
		    "'%s' named in the request URL.",
		    rid, owner->id);
	if (side == SIDE_PRINCIPAL && strcasecmp(pid, owner->id))
		return resp_error(
		    resp, GERR_REQUEST_BAD_REQUEST,
		    "The principalId '%s' does not match the object '%s' named in "
		    "the request URL.",
		    pid, owner->id);
	*resource = side == SIDE_RESOURCE
	                ? owner
	                : state_dobj_find(st, req->tenant, DOBJ_SERVICE_PRINCIPAL, rid);
	if (!*resource)
		return resp_error(resp, GERR_NOT_FOUND,
		                  "Specified resourceId was not found.");
	*principal =
	    side == SIDE_PRINCIPAL ? owner : state_dobj_find(st, req->tenant, -1, pid);
	if (!*principal || (*principal)->kind == DOBJ_APPLICATION)
		return resp_not_found(resp, pid);
	return 0;
}

int assignments_create(struct state *st, const struct req *req, struct resp *resp,
                       enum assignment_side side, struct dobj *owner, const char *context)
{
	struct odata_query q = {.entity = &app_role_assignment_entity};
	struct dobj *principal = NULL, *resource = NULL;
	struct assignment *a;
	const char *role;
	char id[64];
	json_t *obj;

	if (check_body(req, resp) ||
	    resolve(st, req, resp, side, owner, &principal, &resource))
		return -1;
	role = body_guid(req, "appRoleId");
	switch (model_assignment_check(req->tenant, principal, resource, role)) {
	case ASSIGN_ROLE_NOT_FOUND:
		return resp_error(
		    resp, GERR_REQUEST_BAD_REQUEST,
		    "Permission being assigned was not found on application.");
	case ASSIGN_DUPLICATE:
		return resp_error(
		    resp, GERR_REQUEST_BAD_REQUEST,
		    "Permission being assigned already exists on the object.");
	case ASSIGN_OK:
		break;
	}
	obj = model_assignment_new(st, principal, resource, role, id);
	a = obj ? state_assignment_add(st, req->tenant, id, principal->id, resource->id,
	                               role, obj)
	        : NULL;
	if (!a)
		return resp_error(resp, GERR_INTERNAL, "Storing the assignment failed.");
	resp_header(resp, "Location", "%s/%s/servicePrincipals/%s/appRoleAssignedTo/%s",
	            req->base_url, req->version, resource->id, a->id);
	return odata_respond_entity(&q, req, resp, 201, &app_role_assignment_entity,
	                            a->obj, context);
}

/* Does @a belong to @owner's list on @side? */
static bool belongs(const struct assignment *a, enum assignment_side side,
                    const struct dobj *owner, bool via_groups)
{
	struct dobj_link *l;

	if (side == SIDE_RESOURCE)
		return !strcmp(a->resource_id, owner->id);
	if (!strcmp(a->principal_id, owner->id))
		return true;
	if (!via_groups || owner->kind != DOBJ_USER)
		return false;
	/* §6.4: a user's list includes what its direct groups are assigned. */
	HASH_FIND_STR(owner->member_of, a->principal_id, l);
	return l != NULL;
}

int assignments_list(struct state *st, const struct req *req, struct resp *resp,
                     enum assignment_side side, const struct dobj *owner,
                     const char *context)
{
	struct odata_list_opts opts = {.context = context};
	size_t n = 0, cap = HASH_COUNT(req->tenant->assignments) + 1;
	struct odata_item *items = calloc(cap, sizeof(*items));
	int rc;

	if (!items)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	for (struct assignment *a = req->tenant->assignments; a; a = a->hh.next) {
		if (!state_assignment_visible(st, a) || !belongs(a, side, owner, true))
			continue;
		model_assignment_refresh(req->tenant, a);
		items[n++] =
		    (struct odata_item){a->obj, &app_role_assignment_entity, a->seq};
	}
	rc = odata_respond_collection(&req->odata, req, resp, items, n, &opts);
	free(items);
	return rc;
}

struct assignment *assignments_find(struct state *st, const struct req *req,
                                    struct resp *resp, enum assignment_side side,
                                    const struct dobj *owner)
{
	const char *id = req_param(req, 1);
	struct assignment *a = state_assignment_find(st, req->tenant, id);

	if (!a || !belongs(a, side, owner, false)) {
		resp_not_found(resp, id);
		return NULL;
	}
	model_assignment_refresh(req->tenant, a);
	return a;
}

/* ---- principal side: /{users|groups|servicePrincipals}/{id}/appRoleAssignments ---- */

static enum dobj_kind path_kind(const struct req *req)
{
	if (!strcasecmp(req->segs[0], "users"))
		return DOBJ_USER;
	if (!strcasecmp(req->segs[0], "groups"))
		return DOBJ_GROUP;
	return DOBJ_SERVICE_PRINCIPAL;
}

static void principal_context(const struct req *req, const struct dobj *d, char *out,
                              size_t len)
{
	snprintf(out, len, "%s('%s')/appRoleAssignments", req->segs[0], d->id);
}

static int principal_list(struct state *st, const struct req *req, struct resp *resp)
{
	struct dobj *d = apps_path_principal(st, req, resp, path_kind(req));
	char ctx[160];

	if (!d)
		return -1;
	principal_context(req, d, ctx, sizeof(ctx));
	return assignments_list(st, req, resp, SIDE_PRINCIPAL, d, ctx);
}

static int principal_create(struct state *st, const struct req *req, struct resp *resp)
{
	struct dobj *d = apps_path_principal(st, req, resp, path_kind(req));
	char ctx[160];

	if (!d)
		return -1;
	principal_context(req, d, ctx, sizeof(ctx));
	return assignments_create(st, req, resp, SIDE_PRINCIPAL, d, ctx);
}

static int principal_get(struct state *st, const struct req *req, struct resp *resp)
{
	struct dobj *d = apps_path_principal(st, req, resp, path_kind(req));
	struct assignment *a =
	    d ? assignments_find(st, req, resp, SIDE_PRINCIPAL, d) : NULL;
	char ctx[160];

	if (!a)
		return -1;
	principal_context(req, d, ctx, sizeof(ctx));
	return odata_respond_entity(&req->odata, req, resp, 200,
	                            &app_role_assignment_entity, a->obj, ctx);
}

static int principal_delete(struct state *st, const struct req *req, struct resp *resp)
{
	struct dobj *d = apps_path_principal(st, req, resp, path_kind(req));
	struct assignment *a =
	    d ? assignments_find(st, req, resp, SIDE_PRINCIPAL, d) : NULL;

	if (!a)
		return -1;
	state_assignment_remove(req->tenant, a);
	return resp_empty(resp, 204);
}

#define E (&app_role_assignment_entity)

const struct route app_role_assignment_routes[] = {
    {"GET", "/users/{id}/appRoleAssignments", principal_list, ROUTE_ODATA, E},
    {"POST", "/users/{id}/appRoleAssignments", principal_create, ROUTE_JSON_BODY, NULL},
    {"GET", "/users/{id}/appRoleAssignments/{aid}", principal_get, ROUTE_ODATA, E},
    {"DELETE", "/users/{id}/appRoleAssignments/{aid}", principal_delete, 0, NULL},
    {"GET", "/groups/{id}/appRoleAssignments", principal_list, ROUTE_ODATA, E},
    {"POST", "/groups/{id}/appRoleAssignments", principal_create, ROUTE_JSON_BODY, NULL},
    {"GET", "/groups/{id}/appRoleAssignments/{aid}", principal_get, ROUTE_ODATA, E},
    {"DELETE", "/groups/{id}/appRoleAssignments/{aid}", principal_delete, 0, NULL},
    {"GET", "/servicePrincipals/{id}/appRoleAssignments", principal_list,
     ROUTE_ODATA | ROUTE_APPID_KEY, E},
    {"POST", "/servicePrincipals/{id}/appRoleAssignments", principal_create,
     ROUTE_JSON_BODY | ROUTE_APPID_KEY, NULL},
    {"GET", "/servicePrincipals/{id}/appRoleAssignments/{aid}", principal_get,
     ROUTE_ODATA | ROUTE_APPID_KEY, E},
    {"DELETE", "/servicePrincipals/{id}/appRoleAssignments/{aid}", principal_delete,
     ROUTE_APPID_KEY, NULL},
    {0},
};
