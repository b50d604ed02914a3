/*
 * routes/app_role_assigned_to.c - the resource side of app role assignments
 * (graph-spec §6.3, §6.4): /servicePrincipals/{id}/appRoleAssignedTo, also
 * behind the (appId='...') key. There is no PATCH: a role change is delete
 * plus create, and the router answers PATCH with Graph's 405.
 */
#include <stdio.h>

#include "../server/error.h"
#include "../server/req.h"
#include "../server/resp.h"
#include "../server/router.h"
#include "apps.h"
#include "assignments.h"
#include "entities.h"

static void context(const struct dobj *sp, char *out, size_t len)
{
	snprintf(out, len, "servicePrincipals('%s')/appRoleAssignedTo", sp->id);
}

static int assigned_to_list(struct state *st, const struct req *req, struct resp *resp)
{
	struct dobj *sp = apps_path_object(st, req, resp, DOBJ_SERVICE_PRINCIPAL, 0);
	char ctx[128];

	if (!sp)
		return -1;
	context(sp, ctx, sizeof(ctx));
	return assignments_list(st, req, resp, SIDE_RESOURCE, sp, ctx);
}

static int assigned_to_create(struct state *st, const struct req *req, struct resp *resp)
{
	struct dobj *sp = apps_path_object(st, req, resp, DOBJ_SERVICE_PRINCIPAL, 0);
	char ctx[128];

	if (!sp)
		return -1;
	context(sp, ctx, sizeof(ctx));
	return assignments_create(st, req, resp, SIDE_RESOURCE, sp, ctx);
}

static int assigned_to_get(struct state *st, const struct req *req, struct resp *resp)
{
	struct dobj *sp = apps_path_object(st, req, resp, DOBJ_SERVICE_PRINCIPAL, 0);
	struct assignment *a =
	    sp ? assignments_find(st, req, resp, SIDE_RESOURCE, sp) : NULL;
	char ctx[128];

	if (!a)
		return -1;
	context(sp, ctx, sizeof(ctx));
	return odata_respond_entity(&req->odata, req, resp, 200,
	                            &app_role_assignment_entity, a->obj, ctx);
}

static int assigned_to_delete(struct state *st, const struct req *req, struct resp *resp)
{
	struct dobj *sp = apps_path_object(st, req, resp, DOBJ_SERVICE_PRINCIPAL, 0);
	struct assignment *a =
	    sp ? assignments_find(st, req, resp, SIDE_RESOURCE, sp) : NULL;

	if (!a)
		return -1;
	state_assignment_remove(req->tenant, a);
	return resp_empty(resp, 204);
}

const struct route app_role_assigned_to_routes[] = {
    {"GET", "/servicePrincipals/{id}/appRoleAssignedTo", assigned_to_list,
     ROUTE_ODATA | ROUTE_APPID_KEY, &app_role_assignment_entity},
    {"POST", "/servicePrincipals/{id}/appRoleAssignedTo", assigned_to_create,
     ROUTE_JSON_BODY | ROUTE_APPID_KEY, NULL},
    {"GET", "/servicePrincipals/{id}/appRoleAssignedTo/{aid}", assigned_to_get,
     ROUTE_ODATA | ROUTE_APPID_KEY, &app_role_assignment_entity},
    {"DELETE", "/servicePrincipals/{id}/appRoleAssignedTo/{aid}", assigned_to_delete,
     ROUTE_APPID_KEY, NULL},
    {0},
};
