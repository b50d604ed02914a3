/*
 * routes/graph/deleted_items.c - /directory/deletedItems (directory-deleteditems-*):
 * list by type cast, get, restore and permanent delete of the objects the
 * delete routes moved there (state/deleted.h). docs/change-tracking.md has
 * the choices where Microsoft's pages are silent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/deleted.h"
#include "entities.h"
#include "listing.h"
#include "permissions.h"

#define MSG_UPN_CONFLICT                                                                 \
	"Another object with the same value for property userPrincipalName already "     \
	"exists."
#define MSG_PROXY_CONFLICT                                                               \
	"Another object with the same value for property proxyAddresses already exists."

static const char *const sets[DOBJ_KIND_COUNT] = {
    [DOBJ_USER] = "users",
    [DOBJ_GROUP] = "groups",
    [DOBJ_SERVICE_PRINCIPAL] = "servicePrincipals",
    [DOBJ_APPLICATION] = "applications",
};

/* Without a cast Graph refuses the listing (directory-deleteditems-list). */
static int deleted_list_uncast(struct call *c)
{
	return resp_error(c->resp, GERR_UNSUPPORTED_QUERY,
	                  "Searches against this resource are not supported. Only "
	                  "specific instances can be queried.");
}

/* The deleted items of one kind, in deletion order. NULL on OOM. */
static struct odata_item *collect_kind(struct call *c, enum dobj_kind kind, size_t *n)
{
	const struct odata_entity *entity = entity_for_kind(kind);
	struct odata_item *items;
	size_t cap = HASH_COUNT(c->tenant->deleted);

	*n = 0;
	items = calloc(cap + 1, sizeof(*items));
	if (!items)
		return NULL;
	for (struct deleted_item *it = c->tenant->deleted; it; it = it->hh.next)
		if (it->d->kind == kind) {
			items[*n] = listing_item(it->d, entity);
			items[(*n)++].seq = it->seq; /* deleted items list by deletion */
		}
	return items;
}

#define COLLECT(name, kind)                                                              \
	static struct odata_item *name(struct call *c, size_t *n)                        \
	{                                                                                \
		return collect_kind(c, kind, n);                                         \
	}

COLLECT(collect_users, DOBJ_USER)
COLLECT(collect_groups, DOBJ_GROUP)
COLLECT(collect_sps, DOBJ_SERVICE_PRINCIPAL)
COLLECT(collect_apps, DOBJ_APPLICATION)

static listing_fn *const collectors[DOBJ_KIND_COUNT] = {
    [DOBJ_USER] = collect_users,
    [DOBJ_GROUP] = collect_groups,
    [DOBJ_SERVICE_PRINCIPAL] = collect_sps,
    [DOBJ_APPLICATION] = collect_apps,
};

static int list_kind(struct call *c, enum dobj_kind kind)
{
	const struct odata_list_opts opts = {sets[kind], false, 100, 999, NULL};

	return listing_respond(c, collectors[kind], &opts);
}

#define LIST(name, kind)                                                                 \
	static int name(struct call *c)                                                  \
	{                                                                                \
		return list_kind(c, kind);                                               \
	}

LIST(deleted_users, DOBJ_USER)
LIST(deleted_groups, DOBJ_GROUP)
LIST(deleted_sps, DOBJ_SERVICE_PRINCIPAL)
LIST(deleted_apps, DOBJ_APPLICATION)

static struct deleted_item *find_or_reply(struct call *c)
{
	const char *id = req_param(c->req, 0);
	struct deleted_item *it = state_deleted_find(c->tenant, id);

	if (!it)
		resp_not_found(c->resp, id);
	return it;
}

/*
 * 200 with "$metadata#directoryObjects/$entity", "@odata.type" and the
 * object's properties (the type's default set, or $select).
 */
static int respond_object(struct call *c, const struct dobj *d)
{
	const struct odata_entity *entity = entity_for_kind(d->kind);
	json_t *body = json_object(), *proj;
	char ctx[512];
	const char *key;
	json_t *v;

	snprintf(ctx, sizeof(ctx), "%s/%s/$metadata#directoryObjects/$entity",
	         c->req->base_url, c->req->version);
	proj = odata_project(c->odata, entity, state_dobj_json(d), true);
	if (!body || !proj ||
	    json_object_set_new(body, "@odata.context", json_string(ctx))) {
		json_decref(body);
		json_decref(proj);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	json_object_foreach(proj, key, v)
	{
		json_object_set(body, key, v);
	}
	json_decref(proj);
	return resp_odata(c->resp, 200, body);
}

static int deleted_get(struct call *c)
{
	struct deleted_item *it = find_or_reply(c);

	return it ? respond_object(c, it->d) : -1;
}

static int deleted_purge(struct call *c)
{
	struct deleted_item *it = find_or_reply(c);

	if (!it)
		return -1;
	state_deleted_purge(c->st, c->tenant, it);
	return resp_empty(c->resp, 204);
}

/* The restore action's body: both parameters optional, user-only. 0 or -1. */
static int restore_params(struct call *c, const char **upn, bool *reconcile)
{
	const json_t *body = c->req->body;
	const char *key;
	json_t *v;

	*upn = NULL;
	*reconcile = false;
	json_object_foreach((json_t *)body, key, v)
	{
		if (!strcmp(key, "newUserPrincipalName") &&
		    (json_is_string(v) || json_is_null(v)))
			*upn = json_string_value(v);
		else if (!strcmp(key, "autoReconcileProxyConflict") &&
		         (json_is_boolean(v) || json_is_null(v)))
			*reconcile = json_is_true(v);
		else
			return resp_error(
			    c->resp, GERR_BAD_REQUEST,
			    "The parameter '%s' in the request payload is not a "
			    "valid parameter for the operation 'restore'.",
			    key);
	}
	if (*upn) {
		const char *at = strchr(*upn, '@');
		if (!at || at == *upn || strcasecmp(at + 1, c->tenant->domain)) {
			resp_error(
			    c->resp, GERR_REQUEST_BAD_REQUEST,
			    "The domain portion of the userPrincipalName property is "
			    "invalid. You must use one of the verified domain names in "
			    "your organization.");
			return resp_error_detail(c->resp, "InvalidValue",
			                         "userPrincipalName");
		}
	}
	return 0;
}

static int restore_failed(struct call *c, enum restore_result rc, const struct dobj *d)
{
	const char *app_id =
	    json_string_value(json_object_get(state_dobj_json(d), "appId"));

	switch (rc) {
	case RESTORE_UPN_TAKEN:
		resp_error(c->resp, GERR_REQUEST_BAD_REQUEST, MSG_UPN_CONFLICT);
		return resp_error_detail(c->resp, "ObjectConflict", "userPrincipalName");
	case RESTORE_PROXY_TAKEN:
		resp_error(c->resp, GERR_REQUEST_BAD_REQUEST, MSG_PROXY_CONFLICT);
		return resp_error_detail(c->resp, "ObjectConflict", "proxyAddresses");
	case RESTORE_APPID_TAKEN:
		return resp_error_code(c->resp, 409,
		                       "Request_MultipleObjectsWithSameKeyValue",
		                       "The service principal cannot be created, "
		                       "updated, or restored because "
		                       "the service principal name %s is already in use.",
		                       app_id ? app_id : "");
	case RESTORE_NO_APP:
		resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		           "The appId '%s' of the service principal does not reference a "
		           "valid application object.",
		           app_id ? app_id : "");
		return resp_error_detail(c->resp, "NoBackingApplicationObject", "appId");
	case RESTORE_OOM:
	case RESTORE_OK:
		break;
	}
	return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
}

static int deleted_restore(struct call *c)
{
	struct deleted_item *it = find_or_reply(c);
	enum restore_result rc;
	struct dobj *d;
	const char *upn;
	bool reconcile;

	if (!it || restore_params(c, &upn, &reconcile))
		return -1;
	d = it->d;
	rc = state_deleted_restore(c->st, c->tenant, it,
	                           d->kind == DOBJ_USER ? upn : NULL, reconcile, &d);
	if (rc != RESTORE_OK)
		return restore_failed(c, rc, d);
	return respond_object(c, d);
}

/* Each row names the permissions of every type: the type is known only by id. */
const struct route deleted_items_routes[] = {
    {"GET", "/directory/deletedItems", deleted_list_uncast, 0, NULL, &PERMS_DELETED_READ},
    {"GET", "/directory/deletedItems/microsoft.graph.user", deleted_users, ROUTE_ODATA,
     &user_entity, &PERMS_USERS_LIST},
    {"GET", "/directory/deletedItems/microsoft.graph.group", deleted_groups, ROUTE_ODATA,
     &group_entity, &PERMS_GROUP_READ},
    {"GET", "/directory/deletedItems/microsoft.graph.servicePrincipal", deleted_sps,
     ROUTE_ODATA, &service_principal_entity, &PERMS_APP_READ},
    {"GET", "/directory/deletedItems/microsoft.graph.application", deleted_apps,
     ROUTE_ODATA, &application_entity, &PERMS_APP_READ},
    {"GET", "/directory/deletedItems/{id}", deleted_get, ROUTE_ODATA,
     &directory_object_entity, &PERMS_DELETED_READ},
    {"DELETE", "/directory/deletedItems/{id}", deleted_purge, 0, NULL,
     &PERMS_OBJECT_DELETE},
    {"POST", "/directory/deletedItems/{id}/restore", deleted_restore,
     ROUTE_JSON_BODY | ROUTE_OPTIONAL_BODY, NULL, &PERMS_OBJECT_DELETE},
    {0},
};
