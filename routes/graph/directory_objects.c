/*
 * routes/graph/directory_objects.c - /directoryObjects: get one object of any
 * kind, getByIds, and the membership actions checkMemberGroups,
 * getMemberGroups, checkMemberObjects, getMemberObjects on users, groups,
 * service principals and directoryObjects (graph-spec §1.4; the Azure CLI
 * calls these, real-clients.md §5.3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/odata/odata.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/state.h"
#include "action_params.h"
#include "entities.h"
#include "expand.h"
#include "groups.h"
#include "member_walk.h"
#include "permissions.h"

#define GETBYIDS_MAX 1000
#define CHECK_MAX    20

/* The subject of /{set}/{id}/...: kind from the route's first segment. */
static struct dobj *subject(struct call *c)
{
	const char *set = c->req->segs[0], *id = req_param(c->req, 0);

	if (!strcasecmp(set, "users") || !strcasecmp(set, "me"))
		return dobj_find_or_reply(c, DOBJ_USER, id);
	if (!strcasecmp(set, "groups"))
		return group_find_or_reply(c, id);
	if (!guid_valid(id)) {
		resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		           "Invalid object identifier '%s'.", id);
		return NULL;
	}
	if (!strcasecmp(set, "servicePrincipals"))
		return dobj_find_or_reply(c, DOBJ_SERVICE_PRINCIPAL, id);
	return dobj_find_or_reply(c, -1, id);
}

static int dobj_get(struct call *c)
{
	struct dobj *d = subject(c);

	return d ? expand_respond_one(c, d, "directoryObjects", true) : -1;
}

/* ---- action bodies ---- */

static int bad_value(struct resp *resp, const char *param, const char *action)
{
	return resp_error(resp, GERR_BAD_REQUEST,
	                  "Invalid value specified for parameter '%s' of operation '%s'.",
	                  param, action);
}

/* @arr must be an array of at most @max GUID strings. */
static int check_id_array(const json_t *arr, const char *param, const char *action,
                          size_t max, struct resp *resp)
{
	size_t i;
	json_t *v;

	if (!json_is_array(arr))
		return bad_value(resp, param, action);
	if (json_array_size(arr) > max)
		return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
		                  "The number of items in '%s' exceeds the limit of %zu.",
		                  param, max);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v))
			return bad_value(resp, param, action);
		if (!guid_valid(json_string_value(v)))
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
			                  "Invalid object identifier '%s'.",
			                  json_string_value(v));
	}
	return 0;
}

static bool list_has(const struct dobj_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcasecmp(l->v[i]->id, id))
			return true;
	return false;
}

static bool list_has_json(const json_t *arr, const char *id)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) if (!strcmp(json_string_value(v), id)) return true;
	return false;
}

static int respond_strings(const struct req *req, struct resp *resp, json_t *value)
{
	char ctx[512];

	snprintf(ctx, sizeof(ctx), "%s/%s/$metadata#Collection(Edm.String)",
	         req->base_url, req->version);
	if (!value)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	return odata_respond_body(
	    req, resp, 200,
	    json_pack("{s:s, s:o}", "@odata.context", ctx, "value", value));
}

/* check*: which of the listed ids are groups the subject is in, transitively. */
static int check_member(struct call *c, const char *param, const char *action)
{
	const char *const allowed[] = {param, NULL};
	json_t *ids = json_object_get(c->req->body, param), *out, *v;
	struct dobj_list groups;
	struct dobj *d;
	size_t i;

	if (action_params_check(c->resp, c->req->body, action, allowed, allowed[0]) ||
	    check_id_array(ids, param, action, CHECK_MAX, c->resp))
		return -1;
	d = subject(c);
	if (!d)
		return -1;
	if (member_walk_up(c->st, d, &groups))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	out = json_array();
	json_array_foreach(ids, i, v)
	{
		char id[GUID_STR_LEN + 1];

		guid_lower(json_string_value(v), id);
		if (list_has(&groups, id) && !list_has_json(out, id))
			json_array_append_new(out, json_string(id));
	}
	dobj_list_release(&groups);
	return respond_strings(c->req, c->resp, out);
}

/* get*: every group the subject is in, transitively. */
static int get_member(struct call *c, const char *action)
{
	static const char *const allowed[] = {"securityEnabledOnly", NULL};
	const json_t *only = json_object_get(c->req->body, "securityEnabledOnly");
	struct dobj_list groups;
	struct dobj *d;
	json_t *out;

	if (action_params_check(c->resp, c->req->body, action, allowed, allowed[0]))
		return -1;
	if (!json_is_boolean(only))
		return bad_value(c->resp, "securityEnabledOnly", action);
	d = subject(c);
	if (!d)
		return -1;
	if (member_walk_up(c->st, d, &groups))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	member_walk_sort(&groups);
	out = json_array();
	for (size_t i = 0; i < groups.n; i++) {
		const json_t *g = state_dobj_json(groups.v[i]);

		if (json_is_true(only) &&
		    !json_is_true(json_object_get(g, "securityEnabled")))
			continue;
		json_array_append_new(out, json_string(groups.v[i]->id));
	}
	dobj_list_release(&groups);
	return respond_strings(c->req, c->resp, out);
}

static int check_member_groups(struct call *c)
{
	return check_member(c, "groupIds", "checkMemberGroups");
}

static int check_member_objects(struct call *c)
{
	return check_member(c, "ids", "checkMemberObjects");
}

static int get_member_groups(struct call *c)
{
	return get_member(c, "getMemberGroups");
}

static int get_member_objects(struct call *c)
{
	return get_member(c, "getMemberObjects");
}

/* ---- getByIds ---- */

/* Type names getByIds accepts; those graphmock does not store match nothing. */
static const struct {
	const char *name;
	int kind;
} by_id_types[] = {
    {"user", DOBJ_USER},
    {"group", DOBJ_GROUP},
    {"servicePrincipal", DOBJ_SERVICE_PRINCIPAL},
    {"application", DOBJ_APPLICATION},
    {"device", -1},
    {"orgContact", -1},
    {"directoryRole", -1},
    {"administrativeUnit", -1},
    {"directoryObjectPartnerReference", -1},
    {"contract", -1},
    {"directoryRoleTemplate", -1},
    {"directoryObject", -2}, /* every kind */
};

/* Bit mask of the kinds @types selects (all when absent); -1 after a 400. */
static int type_mask(const json_t *types, unsigned *mask, struct resp *resp)
{
	size_t i, k;
	json_t *v;

	*mask = types ? 0 : ~0u;
	if (types && !json_is_array(types))
		return bad_value(resp, "types", "getByIds");
	json_array_foreach(types, i, v)
	{
		const char *s = json_string_value(v);

		if (!s)
			return bad_value(resp, "types", "getByIds");
		if (!strncasecmp(s, "microsoft.graph.", 16))
			s += 16;
		for (k = 0; k < sizeof(by_id_types) / sizeof(by_id_types[0]); k++)
			if (!strcasecmp(s, by_id_types[k].name))
				break;
		if (k == sizeof(by_id_types) / sizeof(by_id_types[0]))
			return resp_error(
			    resp, GERR_REQUEST_BAD_REQUEST,
			    "Invalid value specified for parameter 'types': '%s' is "
			    "not a directory object type.",
			    json_string_value(v));
		if (by_id_types[k].kind == -2)
			*mask = ~0u;
		else if (by_id_types[k].kind >= 0)
			*mask |= 1u << by_id_types[k].kind;
	}
	return 0;
}

static int get_by_ids(struct call *c)
{
	static const char *const allowed[] = {"ids", "types", NULL};
	const json_t *ids = json_object_get(c->req->body, "ids");
	struct odata_query q;
	struct dobj_list seen = {0};
	unsigned mask;
	char ctx[512];
	json_t *out, *v;
	size_t i;

	if (action_params_check(c->resp, c->req->body, "getByIds", allowed, allowed[0]) ||
	    check_id_array(ids, "ids", "getByIds", GETBYIDS_MAX, c->resp) ||
	    type_mask(json_object_get(c->req->body, "types"), &mask, c->resp))
		return -1;
	memset(&q, 0, sizeof(q));
	q.entity = &directory_object_entity;
	out = json_array();
	json_array_foreach(ids, i, v)
	{
		/* Unknown ids and unselected kinds are skipped, each object once. */
		struct dobj *d =
		    state_dobj_find(c->st, c->tenant, -1, json_string_value(v));

		if (!d || !(mask & (1u << d->kind)) || list_has(&seen, d->id))
			continue;
		if (dobj_list_push(&seen, d) ||
		    json_array_append_new(out, odata_project(&q, entity_for_kind(d->kind),
		                                             state_dobj_json(d), true))) {
			dobj_list_release(&seen);
			json_decref(out);
			return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
		}
	}
	dobj_list_release(&seen);
	snprintf(ctx, sizeof(ctx), "%s/%s/$metadata#directoryObjects", c->req->base_url,
	         c->req->version);
	return odata_respond_body(
	    c->req, c->resp, 200,
	    json_pack("{s:s, s:o}", "@odata.context", ctx, "value", out));
}

#define ACTION(path, fn, perms)                                                          \
	{                                                                                \
		"POST", path, fn, ROUTE_JSON_BODY, NULL, perms                           \
	}

const struct route directory_objects_routes[] = {
    {"GET", "/directoryObjects/{id}", dobj_get, ROUTE_ODATA, &directory_object_entity,
     &PERMS_DIR_READ},
    {"POST", "/directoryObjects/getByIds", get_by_ids, ROUTE_JSON_BODY, NULL,
     &PERMS_DIR_READ},
    ACTION("/directoryObjects/{id}/checkMemberGroups", check_member_groups,
           &PERMS_DIR_MEMBER_GROUPS),
    ACTION("/directoryObjects/{id}/getMemberGroups", get_member_groups,
           &PERMS_DIR_MEMBER_GROUPS),
    ACTION("/directoryObjects/{id}/checkMemberObjects", check_member_objects,
           &PERMS_DIR_MEMBER_OBJECTS),
    ACTION("/directoryObjects/{id}/getMemberObjects", get_member_objects,
           &PERMS_DIR_MEMBER_OBJECTS),
    ACTION("/users/{id}/checkMemberGroups", check_member_groups,
           &PERMS_USER_MEMBER_GROUPS),
    ACTION("/users/{id}/getMemberGroups", get_member_groups, &PERMS_USER_MEMBER_GROUPS),
    ACTION("/users/{id}/checkMemberObjects", check_member_objects,
           &PERMS_USER_MEMBER_OBJECTS),
    ACTION("/users/{id}/getMemberObjects", get_member_objects,
           &PERMS_USER_MEMBER_OBJECTS),
    ACTION("/me/{id}/checkMemberGroups", check_member_groups, &PERMS_ME_CHECK),
    ACTION("/me/{id}/getMemberGroups", get_member_groups, &PERMS_ME_CHECK),
    ACTION("/me/{id}/checkMemberObjects", check_member_objects, &PERMS_ME_CHECK),
    ACTION("/me/{id}/getMemberObjects", get_member_objects, &PERMS_ME_CHECK),
    ACTION("/groups/{id}/checkMemberGroups", check_member_groups,
           &PERMS_GROUP_MEMBERSHIP_ACTIONS),
    ACTION("/groups/{id}/getMemberGroups", get_member_groups,
           &PERMS_GROUP_MEMBERSHIP_ACTIONS),
    ACTION("/groups/{id}/checkMemberObjects", check_member_objects,
           &PERMS_GROUP_MEMBERSHIP_ACTIONS),
    ACTION("/groups/{id}/getMemberObjects", get_member_objects,
           &PERMS_GROUP_MEMBERSHIP_ACTIONS),
    ACTION("/servicePrincipals/{id}/checkMemberGroups", check_member_groups,
           &PERMS_SP_MEMBERSHIP_ACTIONS),
    ACTION("/servicePrincipals/{id}/getMemberGroups", get_member_groups,
           &PERMS_SP_MEMBERSHIP_ACTIONS),
    ACTION("/servicePrincipals/{id}/checkMemberObjects", check_member_objects,
           &PERMS_SP_MEMBERSHIP_ACTIONS),
    ACTION("/servicePrincipals/{id}/getMemberObjects", get_member_objects,
           &PERMS_SP_MEMBERSHIP_ACTIONS),
    {0},
};
