/*
 * routes/graph/app_owners.c - the owners of applications and service
 * principals (application-list-owners, -post-owners, -delete-owners and their
 * servicePrincipal twins), also under the (appId='...') key: listed as
 * directoryObjects, added by $ref, removed by .../{id}/$ref, each answer as
 * groups' owners routes give it (owners.h keeps the lists).
 */
#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/state.h"
#include "apps.h"
#include "entities.h"
#include "groups.h"
#include "member_walk.h"
#include "owners.h"
#include "permissions.h"

static int owners_respond(struct call *c, enum dobj_kind kind)
{
	struct dobj_list list = {0};
	struct dobj *d = apps_path_object(c, kind, 0);
	int rc;

	if (!d)
		return -1;
	if (owners_list(c, d, &list)) {
		dobj_list_release(&list);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	/* Service principals are listed on v1.0 too: they own things. */
	rc = dobjs_respond(c, &list, "directoryObjects", true, false, -1, false);
	dobj_list_release(&list);
	return rc;
}

/* POST .../owners/$ref: the body first, then the object, then the owner. */
static int owners_add_ref(struct call *c, enum dobj_kind kind)
{
	char id[GUID_STR_LEN + 1];
	struct dobj *d;

	if (odata_ref_body(c->req->body, odata_ref_directory_sets, c->resp, id))
		return -1;
	d = apps_path_object(c, kind, 0);
	if (!d || owners_check(c, d, id))
		return -1;
	if (owners_add(d, id))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_empty(c->resp, 204);
}

static int owners_remove_ref(struct call *c, enum dobj_kind kind)
{
	const char *oid = req_param(c->req, 1);
	struct dobj *d = apps_path_object(c, kind, 0);

	if (!d)
		return -1;
	if (!guid_valid(oid))
		return resp_error(c->resp, GERR_UNSUPPORTED_QUERY,
		                  "Unsupported referenced-object resource identifier for "
		                  "link property 'owners'.");
	/* Not an owner: the 404 names the owner id, as groups' owners/$ref. */
	if (!owners_remove(d, oid))
		return resp_not_found(c->resp, oid);
	return resp_empty(c->resp, 204);
}

#define OWNERS_HANDLER(name, fn, kind)                                                   \
	static int name(struct call *c)                                                  \
	{                                                                                \
		return fn(c, kind);                                                      \
	}

OWNERS_HANDLER(app_owners_list, owners_respond, DOBJ_APPLICATION)
OWNERS_HANDLER(app_owners_add, owners_add_ref, DOBJ_APPLICATION)
OWNERS_HANDLER(app_owners_remove, owners_remove_ref, DOBJ_APPLICATION)
OWNERS_HANDLER(sp_owners_list, owners_respond, DOBJ_SERVICE_PRINCIPAL)
OWNERS_HANDLER(sp_owners_add, owners_add_ref, DOBJ_SERVICE_PRINCIPAL)
OWNERS_HANDLER(sp_owners_remove, owners_remove_ref, DOBJ_SERVICE_PRINCIPAL)

#define LIST ROUTE_ODATA | ROUTE_APPID_KEY, &directory_object_entity
#define ADD  ROUTE_JSON_BODY | ROUTE_APPID_KEY, NULL, &PERMS_APP_OWNER_ADD
#define DEL  ROUTE_APPID_KEY, NULL, &PERMS_APP_OWNER_REMOVE

const struct route app_owner_routes[] = {
    {"GET", "/applications/{id}/owners", app_owners_list, LIST, &PERMS_APP_READ},
    {"POST", "/applications/{id}/owners/$ref", app_owners_add, ADD},
    {"DELETE", "/applications/{id}/owners/{oid}/$ref", app_owners_remove, DEL},
    {"GET", "/servicePrincipals/{id}/owners", sp_owners_list, LIST, &PERMS_SP_READ},
    {"POST", "/servicePrincipals/{id}/owners/$ref", sp_owners_add, ADD},
    {"DELETE", "/servicePrincipals/{id}/owners/{oid}/$ref", sp_owners_remove, DEL},
    {0},
};
