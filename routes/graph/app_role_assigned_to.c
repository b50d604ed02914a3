/*
 * routes/graph/app_role_assigned_to.c - the resource side of app role assignments
 * (graph-spec §6.3, §6.4): /servicePrincipals/{id}/appRoleAssignedTo, also
 * behind the (appId='...') key. There is no PATCH: a role change is delete
 * plus create, and the router answers PATCH with Graph's 405.
 */
#include <stdio.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "apps.h"
#include "assignments.h"
#include "entities.h"
#include "permissions.h"

static void context(const struct dobj *sp, char *out, size_t len)
{
	snprintf(out, len, "servicePrincipals('%s')/appRoleAssignedTo", sp->id);
}

static int assigned_to_list(struct call *c)
{
	struct dobj *sp = apps_path_object(c, DOBJ_SERVICE_PRINCIPAL, 0);
	char ctx[128];

	if (!sp)
		return -1;
	context(sp, ctx, sizeof(ctx));
	return assignments_list(c, SIDE_RESOURCE, sp, ctx);
}

static int assigned_to_create(struct call *c)
{
	struct dobj *sp = apps_path_object(c, DOBJ_SERVICE_PRINCIPAL, 0);
	char ctx[128];

	if (!sp)
		return -1;
	context(sp, ctx, sizeof(ctx));
	return assignments_create(c, SIDE_RESOURCE, sp, ctx);
}

static int assigned_to_get(struct call *c)
{
	struct dobj *sp = apps_path_object(c, DOBJ_SERVICE_PRINCIPAL, 0);
	struct assignment *a = sp ? assignments_find(c, SIDE_RESOURCE, sp) : NULL;
	char ctx[128];

	if (!a)
		return -1;
	context(sp, ctx, sizeof(ctx));
	return odata_respond_entity(c->odata, c->req, c->resp, 200,
	                            &app_role_assignment_entity, a->obj, ctx);
}

static int assigned_to_delete(struct call *c)
{
	struct dobj *sp = apps_path_object(c, DOBJ_SERVICE_PRINCIPAL, 0);
	struct assignment *a = sp ? assignments_find(c, SIDE_RESOURCE, sp) : NULL;

	/* Graph's entitlement service answers a missing assignment with a 400
	 * (msgraph-sdk-dotnet#968, microsoft-graph-docs-contrib#3614). */
	if (sp && !a)
		return resp_error(
		    c->resp, GERR_REQUEST_BAD_REQUEST,
		    "EntitlementGrant being updated or deleted is not found.");
	if (!a)
		return -1;
	state_assignment_remove(c->tenant, a);
	return resp_empty(c->resp, 204);
}

const struct route app_role_assigned_to_routes[] = {
    {"GET", "/servicePrincipals/{id}/appRoleAssignedTo", assigned_to_list,
     ROUTE_ODATA | ROUTE_APPID_KEY, &app_role_assignment_entity,
     &PERMS_SP_ASSIGNMENTS_READ},
    {"POST", "/servicePrincipals/{id}/appRoleAssignedTo", assigned_to_create,
     ROUTE_JSON_BODY | ROUTE_APPID_KEY, NULL, &PERMS_SP_ASSIGN_CREATE},
    {"GET", "/servicePrincipals/{id}/appRoleAssignedTo/{aid}", assigned_to_get,
     ROUTE_ODATA | ROUTE_APPID_KEY, &app_role_assignment_entity,
     &PERMS_SP_ASSIGNMENTS_READ},
    {"DELETE", "/servicePrincipals/{id}/appRoleAssignedTo/{aid}", assigned_to_delete,
     ROUTE_APPID_KEY, NULL, &PERMS_SP_ASSIGN_DELETE},
    {0},
};
