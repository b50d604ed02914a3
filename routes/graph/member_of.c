/*
 * routes/graph/member_of.c - the groups an object belongs to: memberOf (direct)
 * and transitiveMemberOf (through nested groups, cycle-safe) for users,
 * groups and service principals, with /$count and the group type cast
 * (graph-spec §5.3).
 */
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/odata/odata.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/state.h"
#include "entities.h"
#include "groups.h"
#include "member_walk.h"
#include "permissions.h"

static int direct_groups(struct state *st, struct dobj *d, struct dobj_list *out)
{
	struct dobj_link *l, *tmp;

	memset(out, 0, sizeof(*out));
	HASH_ITER(hh, d->member_of, l, tmp)
	{
		if (state_dobj_visible(st, l->obj) && dobj_list_push(out, l->obj)) {
			dobj_list_release(out);
			return -1;
		}
	}
	return 0;
}

static int member_of_respond(struct call *c, int kind, bool transitive, bool cast,
                             bool count)
{
	struct dobj_list list;
	struct dobj *d;
	int rc;

	if (kind == DOBJ_GROUP)
		d = group_find_or_reply(c, req_param(c->req, 0));
	else
		d = dobj_find_or_reply(c, kind, req_param(c->req, 0));
	if (!d)
		return -1;
	rc =
	    transitive ? member_walk_up(c->st, d, &list) : direct_groups(c->st, d, &list);
	if (rc)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	rc = dobjs_respond(c, &list, cast ? "groups" : "directoryObjects", !cast, false,
	                   cast ? DOBJ_GROUP : -1, count);
	dobj_list_release(&list);
	return rc;
}

/* One handler per (owner kind, transitive, cast, count) combination. */
#define MEMBER_OF(name, kind, transitive, cast, count)                                   \
	static int name(struct call *c)                                                  \
	{                                                                                \
		return member_of_respond(c, kind, transitive, cast, count);              \
	}

MEMBER_OF(user_member_of, DOBJ_USER, false, false, false)
MEMBER_OF(user_member_of_count, DOBJ_USER, false, false, true)
MEMBER_OF(user_member_of_groups, DOBJ_USER, false, true, false)
MEMBER_OF(user_transitive, DOBJ_USER, true, false, false)
MEMBER_OF(user_transitive_count, DOBJ_USER, true, false, true)
MEMBER_OF(user_transitive_groups, DOBJ_USER, true, true, false)
MEMBER_OF(group_member_of, DOBJ_GROUP, false, false, false)
MEMBER_OF(group_member_of_count, DOBJ_GROUP, false, false, true)
MEMBER_OF(group_transitive, DOBJ_GROUP, true, false, false)
MEMBER_OF(group_transitive_count, DOBJ_GROUP, true, false, true)
MEMBER_OF(sp_member_of, DOBJ_SERVICE_PRINCIPAL, false, false, false)
MEMBER_OF(sp_transitive, DOBJ_SERVICE_PRINCIPAL, true, false, false)

#define DIR ROUTE_ODATA, &directory_object_entity
#define GRP ROUTE_ODATA, &group_entity

const struct route member_of_routes[] = {
    {"GET", "/users/{id}/memberOf", user_member_of, DIR, &PERMS_USER_MEMBER_OF},
    {"GET", "/users/{id}/memberOf/$count", user_member_of_count, DIR,
     &PERMS_USER_MEMBER_OF},
    {"GET", "/users/{id}/memberOf/microsoft.graph.group", user_member_of_groups, GRP,
     &PERMS_USER_MEMBER_OF},
    {"GET", "/users/{id}/transitiveMemberOf", user_transitive, DIR,
     &PERMS_USER_TRANSITIVE_MEMBER_OF},
    {"GET", "/users/{id}/transitiveMemberOf/$count", user_transitive_count, DIR,
     &PERMS_USER_TRANSITIVE_MEMBER_OF},
    {"GET", "/users/{id}/transitiveMemberOf/microsoft.graph.group",
     user_transitive_groups, GRP, &PERMS_USER_TRANSITIVE_MEMBER_OF},
    {"GET", "/me/{id}/memberOf", user_member_of, DIR, &PERMS_ME_MEMBER_OF},
    {"GET", "/me/{id}/memberOf/$count", user_member_of_count, DIR, &PERMS_ME_MEMBER_OF},
    {"GET", "/me/{id}/memberOf/microsoft.graph.group", user_member_of_groups, GRP,
     &PERMS_ME_MEMBER_OF},
    {"GET", "/me/{id}/transitiveMemberOf", user_transitive, DIR, &PERMS_ME_MEMBER_OF},
    {"GET", "/me/{id}/transitiveMemberOf/$count", user_transitive_count, DIR,
     &PERMS_ME_MEMBER_OF},
    {"GET", "/me/{id}/transitiveMemberOf/microsoft.graph.group", user_transitive_groups,
     GRP, &PERMS_ME_MEMBER_OF},
    {"GET", "/groups/{id}/memberOf", group_member_of, DIR, &PERMS_GROUP_MEMBER_OF},
    {"GET", "/groups/{id}/memberOf/$count", group_member_of_count, DIR,
     &PERMS_GROUP_MEMBER_OF},
    {"GET", "/groups/{id}/transitiveMemberOf", group_transitive, DIR,
     &PERMS_GROUP_TRANSITIVE_MEMBER_OF},
    {"GET", "/groups/{id}/transitiveMemberOf/$count", group_transitive_count, DIR,
     &PERMS_GROUP_TRANSITIVE_MEMBER_OF},
    {"GET", "/servicePrincipals/{id}/memberOf", sp_member_of, DIR, &PERMS_SP_MEMBER_OF},
    {"GET", "/servicePrincipals/{id}/transitiveMemberOf", sp_transitive, DIR,
     &PERMS_SP_MEMBER_OF},
    {0},
};
