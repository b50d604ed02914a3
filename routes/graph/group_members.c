/*
 * routes/graph/group_members.c - a group's members and owners: list (direct and
 * transitive, with type casts and /$count), add and remove by $ref, and the
 * §5.5 trap where DELETE .../members/{id} without /$ref deletes the member
 * object itself (graph-spec §5.3-5.5).
 */
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
#include "groups.h"
#include "listing.h"
#include "member_walk.h"
#include "owners.h"
#include "permissions.h"

/* Direct members of @g that are visible, into @out. 0 or -1 (OOM). */
static int direct_members(struct state *st, struct dobj *g, struct dobj_list *out)
{
	struct dobj_link *l, *tmp;

	memset(out, 0, sizeof(*out));
	HASH_ITER(hh, g->members, l, tmp)
	{
		if (state_dobj_visible(st, l->obj) && dobj_list_push(out, l->obj)) {
			dobj_list_release(out);
			return -1;
		}
	}
	return 0;
}

/* Is a group among @g's direct members? Else its transitive members are its
 * direct ones. */
static bool has_nested_group(const struct dobj *g)
{
	for (const struct dobj_link *l = g->members; l; l = l->hh.next)
		if (l->obj->kind == DOBJ_GROUP)
			return true;
	return false;
}

/* The members listing of every variant: direct or @transitive, cast to @kind. */
static int members_respond(struct call *c, bool transitive, int kind, bool count)
{
	static const char *const sets[] = {"users", "groups", "servicePrincipals"};
	struct dobj_list list;
	struct dobj *g;
	int rc;

	g = group_find_or_reply(c, req_param(c->req, 0));
	if (!g)
		return -1;
	if ((!transitive || !has_nested_group(g)) && !count) {
		/* A page walked from the cursor over the members by seq (a group
		 * of 100,000 users without nested groups: its transitive members
		 * took 0.25 s a page, each page collecting them all). */
		struct odata_list_opts opts = {kind >= 0 ? sets[kind]
		                                         : "directoryObjects",
		                               kind < 0, 100, 999, NULL};
		rc = listing_walk_members(c, g, kind, kind < 0, &opts);
		if (rc <= 0)
			return rc;
	}
	rc = transitive ? member_walk_down(c->st, g, &list)
	                : direct_members(c->st, g, &list);
	if (rc)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	/* A cast names its entity set; the mixed list is "directoryObjects". */
	rc = dobjs_respond(c, &list, kind >= 0 ? sets[kind] : "directoryObjects",
	                   kind < 0, kind < 0, kind, count);
	dobj_list_release(&list);
	return rc;
}

#define MEMBERS_HANDLER(name, transitive, kind, count)                                   \
	static int name(struct call *c)                                                  \
	{                                                                                \
		return members_respond(c, transitive, kind, count);                      \
	}

MEMBERS_HANDLER(members_list, false, -1, false)
MEMBERS_HANDLER(members_count, false, -1, true)
MEMBERS_HANDLER(members_users, false, DOBJ_USER, false)
MEMBERS_HANDLER(members_users_count, false, DOBJ_USER, true)
MEMBERS_HANDLER(members_groups, false, DOBJ_GROUP, false)
MEMBERS_HANDLER(members_groups_count, false, DOBJ_GROUP, true)
MEMBERS_HANDLER(members_sps, false, DOBJ_SERVICE_PRINCIPAL, false)
MEMBERS_HANDLER(transitive_list, true, -1, false)
MEMBERS_HANDLER(transitive_count, true, -1, true)
MEMBERS_HANDLER(transitive_users, true, DOBJ_USER, false)
MEMBERS_HANDLER(transitive_groups, true, DOBJ_GROUP, false)

static int members_add(struct call *c)
{
	char id[GUID_STR_LEN + 1];
	struct dobj *g, *m;

	if (odata_ref_body(c->req->body, odata_ref_directory_sets, c->resp, id))
		return -1;
	g = group_find_or_reply(c, req_param(c->req, 0));
	if (!g)
		return -1;
	m = dobj_find_or_reply(c, -1, id);
	if (!m || group_member_refusal(g, m, c->resp))
		return -1;
	if (state_member_has(g, m->id))
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST, GROUP_DUPLICATE_FMT,
		                  "members");
	if (state_member_add(g, m, NULL))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_empty(c->resp, 204);
}

static int members_remove_ref(struct call *c)
{
	const char *mid = req_param(c->req, 1);
	struct dobj *g;

	g = group_find_or_reply(c, req_param(c->req, 0));
	if (!g)
		return -1;
	if (!guid_valid(mid))
		return resp_error(
		    c->resp, GERR_UNSUPPORTED_QUERY,
		    "Unsupported referenced-object resource identifier for link "
		    "property 'members'.");
	if (group_member_refusal(g, NULL, c->resp))
		return -1;
	/* Not a member: Graph's 404 names the group, not the member (§5.5). */
	if (state_member_remove(g, mid))
		return resp_not_found(c->resp, g->id);
	return resp_empty(c->resp, 204);
}

/* Without /$ref the member object itself is deleted (graph-spec §5.5). */
static int members_delete_object(struct call *c)
{
	const char *mid = req_param(c->req, 1);
	struct dobj *g, *m;

	g = group_find_or_reply(c, req_param(c->req, 0));
	if (!g)
		return -1;
	if (!guid_valid(mid))
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		                  "Invalid object identifier '%s'.", mid);
	if (!state_member_has(g, mid))
		return resp_not_found(c->resp, mid);
	m = state_dobj_find(c->st, c->tenant, -1, mid);
	if (!m)
		return resp_not_found(c->resp, mid);
	if (state_dobj_delete(c->st, c->tenant, m))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_empty(c->resp, 204);
}

/* ---- owners: ids kept in the group's GROUP_OWNERS_KEY array (owners.h) ---- */

static int owners_respond(struct call *c)
{
	struct dobj_list list = {0};
	struct dobj *g;
	int rc;

	g = group_find_or_reply(c, req_param(c->req, 0));
	if (!g)
		return -1;
	/* An owner deleted since is simply gone (owners.h). */
	if (owners_list(c, g, &list)) {
		dobj_list_release(&list);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	rc = dobjs_respond(c, &list, "directoryObjects", true, false, -1, false);
	dobj_list_release(&list);
	return rc;
}

static int group_owners_add(struct call *c)
{
	struct group_binds binds;
	struct dobj *g;

	memset(&binds, 0, sizeof(binds));
	if (odata_ref_body(c->req->body, odata_ref_directory_sets, c->resp,
	                   binds.owners[0]))
		return -1;
	binds.nowners = 1;
	g = group_find_or_reply(c, req_param(c->req, 0));
	if (!g || group_binds_check(c, g, &binds))
		return -1;
	if (group_binds_apply(c, g, &binds))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_empty(c->resp, 204);
}

static int owners_remove_ref(struct call *c)
{
	const char *oid = req_param(c->req, 1);
	struct dobj *g;

	g = group_find_or_reply(c, req_param(c->req, 0));
	if (!g)
		return -1;
	if (!guid_valid(oid))
		return resp_error(
		    c->resp, GERR_UNSUPPORTED_QUERY,
		    "Unsupported referenced-object resource identifier for link "
		    "property 'owners'.");
	if (!owners_remove(g, oid))
		return resp_not_found(c->resp, oid);
	return resp_empty(c->resp, 204);
}

#define DIR ROUTE_ODATA, &directory_object_entity

const struct route group_members_routes[] = {
    {"GET", "/groups/{id}/members", members_list, DIR, &PERMS_GROUP_MEMBERS_READ},
    {"GET", "/groups/{id}/members/$count", members_count, DIR, &PERMS_GROUP_MEMBERS_READ},
    {"GET", "/groups/{id}/members/microsoft.graph.user", members_users, ROUTE_ODATA,
     &user_entity, &PERMS_GROUP_MEMBERS_READ},
    {"GET", "/groups/{id}/members/microsoft.graph.user/$count", members_users_count,
     ROUTE_ODATA, &user_entity, &PERMS_GROUP_MEMBERS_READ},
    {"GET", "/groups/{id}/members/microsoft.graph.group", members_groups, ROUTE_ODATA,
     &group_entity, &PERMS_GROUP_MEMBERS_READ},
    {"GET", "/groups/{id}/members/microsoft.graph.group/$count", members_groups_count,
     ROUTE_ODATA, &group_entity, &PERMS_GROUP_MEMBERS_READ},
    {"GET", "/groups/{id}/members/microsoft.graph.servicePrincipal", members_sps,
     ROUTE_ODATA, &service_principal_entity, &PERMS_GROUP_MEMBERS_READ},
    {"POST", "/groups/{id}/members/$ref", members_add, ROUTE_JSON_BODY, NULL,
     &PERMS_MEMBER_WRITE},
    {"DELETE", "/groups/{id}/members/{mid}/$ref", members_remove_ref, 0, NULL,
     &PERMS_MEMBER_WRITE},
    {"DELETE", "/groups/{id}/members/{mid}", members_delete_object, 0, NULL,
     &PERMS_OBJECT_DELETE},
    {"GET", "/groups/{id}/transitiveMembers", transitive_list, DIR,
     &PERMS_GROUP_MEMBERS_READ},
    {"GET", "/groups/{id}/transitiveMembers/$count", transitive_count, DIR,
     &PERMS_GROUP_MEMBERS_READ},
    {"GET", "/groups/{id}/transitiveMembers/microsoft.graph.user", transitive_users,
     ROUTE_ODATA, &user_entity, &PERMS_GROUP_MEMBERS_READ},
    {"GET", "/groups/{id}/transitiveMembers/microsoft.graph.group", transitive_groups,
     ROUTE_ODATA, &group_entity, &PERMS_GROUP_MEMBERS_READ},
    {"GET", "/groups/{id}/owners", owners_respond, DIR, &PERMS_GROUP_OWNERS_READ},
    {"POST", "/groups/{id}/owners/$ref", group_owners_add, ROUTE_JSON_BODY, NULL,
     &PERMS_OWNER_WRITE},
    {"DELETE", "/groups/{id}/owners/{oid}/$ref", owners_remove_ref, 0, NULL,
     &PERMS_OWNER_WRITE},
    {0},
};
