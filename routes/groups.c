/*
 * routes/groups.c - the /groups resource: list, $count, get, create,
 * update, delete (graph-spec §5.1, §5.2, §5.6). Bodies are validated by
 * group_body.c; membership routes live in group_members.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../server/error.h"
#include "../server/odata.h"
#include "../server/req.h"
#include "../server/resp.h"
#include "../server/router.h"
#include "../state/model.h"
#include "../state/state.h"
#include "entities.h"
#include "groups.h"
#include "listing.h"

/* Every visible group as OData candidates; NULL on OOM. */
static struct odata_item *group_items(struct state *st, const struct req *req, size_t *n)
{
	return listing_kind(st, req->tenant, DOBJ_GROUP, &group_entity, n);
}

static int groups_list(struct state *st, const struct req *req, struct resp *resp)
{
	static const struct odata_list_opts opts = {"groups", false, 100, 999};

	return listing_respond(st, req, resp, group_items, &opts);
}

static int groups_count(struct state *st, const struct req *req, struct resp *resp)
{
	return listing_respond(st, req, resp, group_items, NULL);
}

static int groups_get(struct state *st, const struct req *req, struct resp *resp)
{
	struct dobj *g = group_find_or_reply(st, req, resp, req_param(req, 0));

	if (!g)
		return -1;
	return odata_respond_entity(&req->odata, req, resp, 200, &group_entity, g->obj,
	                            NULL);
}

/* The stored object of a new group: the body's properties plus Graph's defaults. */
static json_t *group_new_obj(struct state *st, const struct req *req)
{
	json_t *obj = json_deep_copy(req->body);
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
		         req->tenant->domain);
		json_object_set_new(obj, "mail", json_string(mail));
		json_object_set_new(obj, "proxyAddresses",
		                    json_pack("[s+]", "SMTP:", mail));
		if (!json_object_get(obj, "visibility"))
			json_object_set_new(obj, "visibility", json_string("Public"));
	}
	if (model_group_complete(st, req->tenant, obj)) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/* 201 body: context, then "@odata.id" (the v2 directory URL), then the group. */
static int created_body(const struct req *req, struct resp *resp, const struct dobj *g)
{
	struct odata_query q;
	char url[512];
	json_t *body, *out;
	const char *key;
	json_t *v;

	memset(&q, 0, sizeof(q));
	q.entity = &group_entity;
	if (odata_respond_entity_json(&q, req, resp, 201, &group_entity, g->obj, NULL))
		return -1;
	snprintf(url, sizeof(url),
	         "%s/v2/%s/directoryObjects/%s/Microsoft.DirectoryServices.Group",
	         req->base_url, req->tenant->id, g->id);
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
	resp_header(resp, "Location", "%s", url);
	return 0;
}

static int groups_create(struct state *st, const struct req *req, struct resp *resp)
{
	struct group_binds binds;
	struct dobj *g;
	json_t *obj;

	if (group_body_check(req->body, true, &binds, resp) ||
	    group_binds_check(st, req, NULL, &binds, resp))
		return -1;
	obj = group_new_obj(st, req);
	if (!obj)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	g = state_dobj_add(st, req->tenant, DOBJ_GROUP, obj);
	if (!g)
		return resp_error(resp, GERR_INTERNAL, "Storing the group failed.");
	if (group_binds_apply(st, req, g, &binds)) {
		state_dobj_remove(req->tenant, g);
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	}
	return created_body(req, resp, g);
}

static int groups_update(struct state *st, const struct req *req, struct resp *resp)
{
	struct group_binds binds;
	const char *key;
	struct dobj *g;
	json_t *v;

	g = group_find_or_reply(st, req, resp, req_param(req, 0));
	if (!g || group_body_check(req->body, false, &binds, resp) ||
	    group_binds_check(st, req, g, &binds, resp))
		return -1;
	if (group_binds_apply(st, req, g, &binds))
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	json_object_foreach(req->body, key, v)
	{
		if (strchr(key, '@'))
			continue;
		json_object_set_new(g->obj, key, json_deep_copy(v));
	}
	return resp_empty(resp, 204);
}

static int groups_delete(struct state *st, const struct req *req, struct resp *resp)
{
	struct dobj *g = group_find_or_reply(st, req, resp, req_param(req, 0));

	if (!g)
		return -1;
	/* Memberships both ways and app role assignments go in the same step. */
	state_dobj_remove(req->tenant, g);
	return resp_empty(resp, 204);
}

const struct route groups_routes[] = {
    {"GET", "/groups", groups_list, ROUTE_ODATA, &group_entity},
    {"POST", "/groups", groups_create, ROUTE_JSON_BODY, NULL},
    {"GET", "/groups/$count", groups_count, ROUTE_ODATA, &group_entity},
    {"GET", "/groups/{id}", groups_get, ROUTE_ODATA, &group_entity},
    {"PATCH", "/groups/{id}", groups_update, ROUTE_JSON_BODY, NULL},
    {"DELETE", "/groups/{id}", groups_delete, 0, NULL},
    {0},
};
