/*
 * routes/graph/groups.c - the /groups resource: list, $count, get, create,
 * update, delete (graph-spec §5.1, §5.2, §5.6). Bodies are validated by
 * group_body.c; membership routes live in group_members.c.
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
#include "../../state/deleted.h"
#include "../../state/model/model.h"
#include "../../state/state.h"
#include "entities.h"
#include "expand.h"
#include "groups.h"
#include "listing.h"
#include "permissions.h"

static int groups_list(struct call *c)
{
	static const struct odata_list_opts opts = {"groups", false, 100, 999, NULL};
	int rc = listing_walk(c, DOBJ_GROUP, &group_entity, &opts);

	return rc <= 0 ? rc : listing_respond_kind(c, DOBJ_GROUP, &group_entity, &opts);
}

static int groups_count(struct call *c)
{
	return listing_count(c, DOBJ_GROUP);
}

static int groups_get(struct call *c)
{
	struct dobj *g = group_find_or_reply(c, req_param(c->req, 0));

	if (!g)
		return -1;
	return expand_respond_one(c, g, NULL, false);
}

/* The stored object of a new group: the body's properties plus Graph's defaults. */
static json_t *group_new_obj(struct call *c)
{
	json_t *obj = json_deep_copy(c->req->body);
	const json_t *types;
	size_t i;
	json_t *e;

	if (!obj)
		return NULL;
	json_object_del(obj, "@odata.type");
	json_object_del(obj, "members@odata.bind");
	json_object_del(obj, "owners@odata.bind");
	types = json_object_get(obj, "groupTypes");
	json_array_foreach(types, i, e)
	{
		char mail[320];

		if (strcasecmp(json_string_value(e), "Unified"))
			continue;
		/* Microsoft 365 groups get a mailbox address and are Public by default.
		 */
		snprintf(mail, sizeof(mail), "%s@%s",
		         json_string_value(json_object_get(obj, "mailNickname")),
		         c->tenant->domain);
		json_object_set_new(obj, "mail", json_string(mail));
		json_object_set_new(obj, "proxyAddresses",
		                    json_pack("[s+]", "SMTP:", mail));
		if (!json_object_get(obj, "visibility"))
			json_object_set_new(obj, "visibility", json_string("Public"));
	}
	if (model_group_complete(c->st, c->tenant, obj)) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/* 201 body: context, then "@odata.id" (the v2 directory URL), then the group. */
static int created_body(const struct req *req, struct resp *resp, const struct tenant *t,
                        const struct dobj *g)
{
	struct odata_query q;
	char url[512];
	json_t *body, *out;
	const char *key;
	json_t *v;

	memset(&q, 0, sizeof(q));
	q.entity = &group_entity;
	if (odata_respond_entity_json(&q, req, resp, 201, &group_entity,
	                              state_dobj_json(g), NULL))
		return -1;
	snprintf(url, sizeof(url),
	         "%s/v2/%s/directoryObjects/%s/Microsoft.DirectoryServices.Group",
	         req->base_url, t->id, g->id);
	body = resp->body;
	out = json_object();
	if (!out)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	json_object_set(out, "@odata.context", json_object_get(body, "@odata.context"));
	json_object_set_new(out, "@odata.id", json_string(url));
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "@odata.context"))
			json_object_set(out, key, v);
	}
	json_decref(body);
	resp->body = out;
	if (odata_metadata_none(req))
		odata_strip_metadata(out);
	resp_header(resp, "Location", "%s", url);
	return 0;
}

/*
 * A Microsoft 365 group's address must be free: no object of the directory
 * holds it, nor a deleted group waiting for its restore (state/deleted.h).
 */
static int check_mail_free(struct call *c, const json_t *obj)
{
	const char *mail = json_string_value(json_object_get(obj, "mail"));
	size_t n = 0;

	if (mail)
		state_dobj_lookup(c->tenant, IDX_MAIL, mail, &n);
	if (!n && !(mail && state_deleted_holder(c->tenant, IDX_MAIL, mail, DOBJ_GROUP)))
		return 0;
	resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
	           "Another object with the same value for property mailNickname "
	           "already exists.");
	return resp_error_detail(c->resp, "ObjectConflict", "mailNickname");
}

static int groups_create(struct call *c)
{
	struct group_binds binds;
	struct dobj *g;
	json_t *obj;

	if (group_body_check(c->req->body, true, &binds, c->resp) ||
	    group_binds_check(c, NULL, &binds))
		return -1;
	obj = group_new_obj(c);
	if (!obj)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	if (check_mail_free(c, obj)) {
		json_decref(obj);
		return -1;
	}
	g = state_dobj_add(c->st, c->tenant, DOBJ_GROUP, obj);
	if (!g)
		return resp_error(c->resp, GERR_INTERNAL, "Storing the group failed.");
	if (group_binds_apply(c, g, &binds)) {
		state_dobj_remove(c->tenant, g);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	return created_body(c->req, c->resp, c->tenant, g);
}

static int groups_update(struct call *c)
{
	struct group_binds binds;
	const char *key;
	struct dobj *g;
	json_t *v;

	g = group_find_or_reply(c, req_param(c->req, 0));
	if (!g || group_body_check(c->req->body, false, &binds, c->resp) ||
	    group_binds_check(c, g, &binds))
		return -1;
	if (group_binds_apply(c, g, &binds))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	json_object_foreach(c->req->body, key, v)
	{
		if (strchr(key, '@'))
			continue;
		json_object_set_new(state_dobj_json(g), key, json_deep_copy(v));
	}
	/* displayName orders the listing (t->by_name) */
	if (state_dobj_reindex(c->tenant, g))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_empty(c->resp, 204);
}

static int groups_delete(struct call *c)
{
	struct dobj *g = group_find_or_reply(c, req_param(c->req, 0));

	if (!g)
		return -1;
	/* Soft delete, except distribution groups (state/deleted.h). */
	if (state_dobj_delete(c->st, c->tenant, g))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_empty(c->resp, 204);
}

const struct route groups_routes[] = {
    {"GET", "/groups", groups_list, ROUTE_ODATA, &group_entity, &PERMS_GROUP_READ},
    {"POST", "/groups", groups_create, ROUTE_JSON_BODY, NULL, &PERMS_GROUP_CREATE},
    {"GET", "/groups/$count", groups_count, ROUTE_ODATA, &group_entity,
     &PERMS_GROUP_READ},
    {"GET", "/groups/{id}", groups_get, ROUTE_ODATA, &group_entity, &PERMS_GROUP_READ},
    {"PATCH", "/groups/{id}", groups_update, ROUTE_JSON_BODY, NULL, &PERMS_GROUP_UPDATE},
    {"DELETE", "/groups/{id}", groups_delete, 0, NULL, &PERMS_GROUP_DELETE},
    {0},
};
