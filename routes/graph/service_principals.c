/*
 * routes/graph/service_principals.c - enterprise apps (graph-spec §6.1, §6.2):
 * list with the OData engine (appId eq served from the appId index), $count,
 * get by id or (appId='...'), create for an application of the tenant,
 * update and delete (deleting cascades to its app role assignments).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/deleted.h"
#include "../../state/model/model.h"
#include "apps.h"
#include "entities.h"
#include "expand.h"
#include "listing.h"
#include "owners.h"
#include "permissions.h"

static void add_item(struct state *st, struct dobj *d, struct odata_item *items,
                     size_t *n)
{
	if (d->kind == DOBJ_SERVICE_PRINCIPAL && state_dobj_visible(st, d))
		items[(*n)++] =
		    (struct odata_item){state_dobj_json(d), &service_principal_entity,
		                        d->seq, NULL, dobj_tag(d)};
}

/* Every visible service principal; `appId eq` comes from the index. NULL on OOM. */
static struct odata_item *collect(struct call *c, size_t *n)
{
	struct tenant *t = c->tenant;
	const char *app_id = odata_filter_eq_value(c->odata, "appId");
	struct odata_item *items;
	struct dobj *const *objs;
	size_t m;

	if (!app_id)
		return listing_kind(c->st, t, DOBJ_SERVICE_PRINCIPAL,
		                    &service_principal_entity, n);
	/* The appId index also holds applications: add_item keeps the SPs. */
	objs = state_dobj_lookup(t, IDX_APPID, app_id, &m);
	items = calloc(m + 1, sizeof(*items));
	*n = 0;
	if (!items)
		return NULL;
	for (size_t i = 0; i < m; i++)
		add_item(c->st, objs[i], items, n);
	return items;
}

static int sp_list(struct call *c)
{
	static const struct odata_list_opts opts = {.context = "servicePrincipals"};

	return listing_respond(c, collect, &opts);
}

static int sp_count(struct call *c)
{
	return listing_respond(c, collect, NULL);
}

static int sp_get(struct call *c)
{
	struct dobj *d = apps_path_object(c, DOBJ_SERVICE_PRINCIPAL, 0);

	if (!d)
		return -1;
	return expand_respond_one(c, d, NULL, false);
}

/* Writable on POST and PATCH; POST additionally takes appId. */
static const struct apps_prop sp_props[] = {
    {"id", AP_READONLY},
    {"deletedDateTime", AP_READONLY},
    {"appDisplayName", AP_READONLY},
    {"appOwnerOrganizationId", AP_READONLY},
    {"applicationTemplateId", AP_READONLY},
    {"servicePrincipalNames", AP_READONLY},
    {"signInAudience", AP_READONLY},
    {"accountEnabled", AP_BOOL},
    {"alternativeNames", AP_STRINGS},
    {"appDescription", AP_NSTRING},
    {"appRoleAssignmentRequired", AP_BOOL},
    {"appRoles", AP_APP_ROLES},
    {"description", AP_NSTRING},
    {"displayName", AP_STRING},
    {"homepage", AP_NSTRING},
    {"loginUrl", AP_NSTRING},
    {"logoutUrl", AP_NSTRING},
    {"notes", AP_NSTRING},
    {"notificationEmailAddresses", AP_STRINGS},
    {"preferredSingleSignOnMode", AP_NSTRING},
    {"replyUrls", AP_STRINGS},
    {"servicePrincipalType", AP_STRING},
    {"tags", AP_STRINGS},
    {"info", AP_OBJECT},
    {"addIns", AP_OBJECTS},
    {"keyCredentials", AP_OBJECTS},
    {"oauth2PermissionScopes", AP_OBJECTS},
    {"appId", AP_READONLY}, /* last: sp_create_props overrides it */
    {0},
};

#define SP_PROPS_N (sizeof(sp_props) / sizeof(sp_props[0]))

static const char *const sso_modes[] = {"password", "saml", "notSupported", "oidc", NULL};

/* A PATCH body, or with @binds a POST body whose owners@odata.bind goes there. */
static int check_body(const json_t *body, const struct apps_prop *props,
                      struct owner_binds *binds, struct resp *resp)
{
	const char *sso =
	    json_string_value(json_object_get(body, "preferredSingleSignOnMode"));

	if (apps_create_body_check(body, props, "servicePrincipal", binds, resp))
		return -1;
	if (sso) {
		size_t i = 0;
		while (sso_modes[i] && strcmp(sso_modes[i], sso))
			i++;
		if (!sso_modes[i])
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
			                  "Invalid value specified for property "
			                  "'preferredSingleSignOnMode' of resource "
			                  "'ServicePrincipal'.");
	}
	return 0;
}

/* The stored copy of a request body: SP-defined roles keep earlier origins. */
static json_t *body_copy(const json_t *body, const json_t *old_roles)
{
	json_t *copy = json_deep_copy(body);
	json_t *roles = json_object_get(copy, "appRoles");

	if (copy && roles &&
	    json_object_set_new(
	        copy, "appRoles",
	        apps_app_roles_normalize(roles, "ServicePrincipal", old_roles))) {
		json_decref(copy);
		return NULL;
	}
	return copy;
}

static struct dobj *backing_application(struct tenant *t, const char *app_id)
{
	size_t n;
	struct dobj *const *objs = state_dobj_lookup(t, IDX_APPID, app_id, &n);

	for (size_t i = 0; i < n; i++)
		if (objs[i]->kind == DOBJ_APPLICATION)
			return objs[i];
	return NULL;
}

static bool has_service_principal(struct tenant *t, const char *app_id)
{
	size_t n;
	struct dobj *const *objs = state_dobj_lookup(t, IDX_APPID, app_id, &n);

	for (size_t i = 0; i < n; i++)
		if (objs[i]->kind == DOBJ_SERVICE_PRINCIPAL)
			return true;
	return false;
}

static int no_backing_app(struct resp *resp, const char *app_id)
{
	char msg[160];

	snprintf(msg, sizeof(msg),
	         "The appId '%s' of the service principal does not reference a valid "
	         "application object.",
	         app_id);
	resp_error(resp, GERR_REQUEST_BAD_REQUEST, "%s", msg);
	json_object_set_new(json_object_get(resp->body, "error"), "details",
	                    json_pack("[{s:s, s:s, s:s}]", "code",
	                              "NoBackingApplicationObject", "message", msg,
	                              "target", "appId"));
	return -1;
}

static json_t *new_sp(const struct dobj *app, const json_t *body,
                      const struct owner_binds *binds)
{
	json_t *sp = body_copy(body, NULL);
	const json_t *a = state_dobj_json(app);

	if (!sp)
		return NULL;
	json_object_del(sp, "owners@odata.bind");
	if (owners_binds_store(sp, APP_OWNERS_KEY, binds)) {
		json_decref(sp);
		return NULL;
	}
	/* The application's values, unless the body set them. */
	json_object_set_new(sp, "appId", json_deep_copy(json_object_get(a, "appId")));
	if (!json_object_get(sp, "displayName"))
		json_object_set(sp, "displayName", json_object_get(a, "displayName"));
	json_object_set(sp, "appDisplayName", json_object_get(a, "displayName"));
	json_object_set(sp, "applicationTemplateId",
	                json_object_get(a, "applicationTemplateId"));
	json_object_set_new(sp, "appRoles",
	                    json_deep_copy(json_object_get(a, "appRoles")));
	return sp;
}

static int sp_create(struct call *c)
{
	struct apps_prop props[SP_PROPS_N];
	struct owner_binds binds;
	const char *app_id;
	struct dobj *app, *d;
	json_t *sp;

	memcpy(props, sp_props, sizeof(props));
	props[SP_PROPS_N - 2].type = AP_STRING;
	if (check_body(c->req->body, props, &binds, c->resp))
		return -1;
	app_id = json_string_value(json_object_get(c->req->body, "appId"));
	if (!app_id)
		return resp_error(
		    c->resp, GERR_REQUEST_BAD_REQUEST,
		    "Invalid value specified for property 'appId' of resource "
		    "'ServicePrincipal'.");
	app = backing_application(c->tenant, app_id);
	if (!app)
		return no_backing_app(c->resp, app_id);
	if (has_service_principal(c->tenant, app_id))
		return resp_error_code(
		    c->resp, 409, "Request_MultipleObjectsWithSameKeyValue",
		    "The service principal cannot be created, updated, or "
		    "restored because the service principal name %s is already "
		    "in use.",
		    json_string_value(json_object_get(state_dobj_json(app), "appId")));
	/* owners last, as POST /groups resolves its binds after the body's rules */
	if (owners_binds_check(c, &binds))
		return -1;
	sp = new_sp(app, c->req->body, &binds);
	if (!sp || model_service_principal_complete(c->st, c->tenant, sp)) {
		json_decref(sp);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	d = state_dobj_add(c->st, c->tenant, DOBJ_SERVICE_PRINCIPAL, sp);
	if (!d)
		return resp_error(c->resp, GERR_INTERNAL,
		                  "Storing the service principal failed.");
	resp_header(
	    c->resp, "Location",
	    "%s/v2/%s/directoryObjects/%s/Microsoft.DirectoryServices.ServicePrincipal",
	    c->req->base_url, c->tenant->id, d->id);
	return odata_respond_entity(c->odata, c->req, c->resp, 201,
	                            &service_principal_entity, state_dobj_json(d), NULL);
}

static int sp_update(struct call *c)
{
	struct dobj *d = apps_path_object(c, DOBJ_SERVICE_PRINCIPAL, 0);
	json_t *old_roles, *patch;

	if (!d || check_body(c->req->body, sp_props, NULL, c->resp))
		return -1;
	old_roles = json_object_get(state_dobj_json(d), "appRoles");
	if (json_object_get(c->req->body, "appRoles") &&
	    apps_app_roles_removable(old_roles, json_object_get(c->req->body, "appRoles"),
	                             c->resp))
		return -1;
	patch = body_copy(c->req->body, old_roles);
	if (!patch)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	apps_apply(state_dobj_json(d), patch);
	json_decref(patch);
	/* displayName orders the listing (t->by_name) */
	if (state_dobj_reindex(c->tenant, d))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_empty(c->resp, 204);
}

static int sp_delete(struct call *c)
{
	struct dobj *d = apps_path_object(c, DOBJ_SERVICE_PRINCIPAL, 0);

	if (!d)
		return -1;
	if (state_dobj_soft_delete(c->st, c->tenant, d))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_empty(c->resp, 204);
}

const struct route service_principal_routes[] = {
    {"GET", "/servicePrincipals", sp_list, ROUTE_ODATA, &service_principal_entity,
     &PERMS_SP_READ},
    {"POST", "/servicePrincipals", sp_create, ROUTE_JSON_BODY | ROUTE_ODATA,
     &service_principal_entity, &PERMS_SP_WRITE},
    {"GET", "/servicePrincipals/$count", sp_count, ROUTE_ODATA, &service_principal_entity,
     &PERMS_SP_READ},
    {"GET", "/servicePrincipals/{id}", sp_get, ROUTE_ODATA | ROUTE_APPID_KEY,
     &service_principal_entity, &PERMS_SP_READ},
    {"PATCH", "/servicePrincipals/{id}", sp_update, ROUTE_JSON_BODY | ROUTE_APPID_KEY,
     NULL, &PERMS_SP_WRITE},
    {"DELETE", "/servicePrincipals/{id}", sp_delete, ROUTE_APPID_KEY, NULL,
     &PERMS_SP_WRITE},
    {0},
};
