/*
 * routes/graph/owned_objects.c - what a user owns (user-list-ownedobjects),
 * also as /me/ownedObjects: the groups, applications and service principals
 * that list the user among their owners (owners.h), as a directoryObjects
 * collection in creation order, each item with its @odata.type.
 */
#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/router.h"
#include "../../state/state.h"
#include "entities.h"
#include "groups.h"
#include "member_walk.h"
#include "owners.h"
#include "permissions.h"

static int owned_objects_list(struct call *c)
{
	struct dobj_list list = {0};
	struct dobj *u = dobj_find_or_reply(c, DOBJ_USER, req_param(c->req, 0));
	int rc;

	if (!u)
		return -1;
	if (owners_owned_by(c, u, &list)) {
		dobj_list_release(&list);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	rc = dobjs_respond(c, &list, "directoryObjects", true, false, -1, false);
	dobj_list_release(&list);
	return rc;
}

#define DIR ROUTE_ODATA, &directory_object_entity

const struct route owned_objects_routes[] = {
    {"GET", "/users/{id}/ownedObjects", owned_objects_list, DIR,
     &PERMS_USER_OWNED_OBJECTS},
    {"GET", "/me/{id}/ownedObjects", owned_objects_list, DIR, &PERMS_USER_OWNED_OBJECTS},
    {0},
};
