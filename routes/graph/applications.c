/*
 * routes/graph/applications.c - app registrations (graph-spec §7.2): create,
 * list, get (also by the appId alternate key), update and delete. Role changes flow to
 * the service principal; deleting an application moves it and its service
 * principal to deleted items (state/deleted.h).
 */
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/deleted.h"
#include "../../state/model/model.h"
#include "../../state/model/model_app.h"
#include "apps.h"
#include "entities.h"
#include "expand.h"
#include "listing.h"
#include "owners.h"
#include "permissions.h"

/* Every visible application; `appId eq` narrows the scan. NULL on OOM. */
static struct odata_item *collect(struct call *c, size_t *n)
{
	const char *app_id = odata_filter_eq_value(c->odata, "appId");
	struct odata_item *items =
	    listing_kind(c->st, c->tenant, DOBJ_APPLICATION, &application_entity, n);
	size_t kept = 0;

	if (!items || !app_id)
		return items;
	for (size_t i = 0; i < *n; i++) {
		const char *v = json_string_value(json_object_get(items[i].obj, "appId"));
		if (v && !strcasecmp(v, app_id))
			items[kept++] = items[i];
	}
	*n = kept;
	return items;
}

static int applications_list(struct call *c)
{
	static const struct odata_list_opts opts = {.context = "applications"};

	return listing_respond(c, collect, &opts);
}

static int applications_count(struct call *c)
{
	return listing_respond(c, collect, NULL);
}

static int applications_get(struct call *c)
{
	struct dobj *d = apps_path_object(c, DOBJ_APPLICATION, 0);

	if (!d)
		return -1;
	return expand_respond_one(c, d, NULL, false);
}

static const struct apps_prop application_patch_props[] = {
    {"id", AP_READONLY},
    {"appId", AP_READONLY},
    {"applicationTemplateId", AP_READONLY},
    {"createdDateTime", AP_READONLY},
    {"deletedDateTime", AP_READONLY},
    {"publisherDomain", AP_READONLY},
    {"displayName", AP_STRING},
    {"description", AP_NSTRING},
    {"notes", AP_NSTRING},
    {"signInAudience", AP_STRING},
    {"identifierUris", AP_STRINGS},
    {"tags", AP_STRINGS},
    {"appRoles", AP_APP_ROLES},
    {"addIns", AP_OBJECTS},
    {"api", AP_OBJECT},
    {"info", AP_OBJECT},
    {"isFallbackPublicClient", AP_BOOL},
    {"keyCredentials", AP_OBJECTS},
    {"parentalControlSettings", AP_OBJECT},
    {"passwordCredentials", AP_OBJECTS},
    {"publicClient", AP_OBJECT},
    {"requiredResourceAccess", AP_OBJECTS},
    {"web", AP_OBJECT},
    {"spa", AP_OBJECT},
    {0},
};

static const char *const sign_in_audiences[] = {
    "AzureADMyOrg",
    "AzureADMultipleOrgs",
    "AzureADandPersonalMicrosoftAccount",
    "PersonalMicrosoftAccount",
    NULL,
};

/*
 * A PATCH body for @d, or with @d NULL a POST body (no roles to keep), whose
 * "owners@odata.bind" goes to @binds.
 */
static int check_patch(const struct dobj *d, const json_t *body,
                       struct owner_binds *binds, struct resp *resp)
{
	const json_t *aud = json_object_get(body, "signInAudience");
	const json_t *roles = json_object_get(body, "appRoles");

	if (apps_create_body_check(body, application_patch_props, "application", binds,
	                           resp))
		return -1;
	if (json_array_size(json_object_get(body, "passwordCredentials")))
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    "New password credentials must be generated using service "
		    "actions.");
	if (aud) {
		size_t i = 0;
		while (sign_in_audiences[i] &&
		       strcmp(sign_in_audiences[i], json_string_value(aud)))
			i++;
		if (!sign_in_audiences[i])
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
			                  "Invalid value specified for property "
			                  "'signInAudience' of resource 'Application'.");
	}
	if (d && roles &&
	    apps_app_roles_removable(json_object_get(state_dobj_json(d), "appRoles"),
	                             roles, resp))
		return -1;
	return 0;
}

/* Everything that follows the application: its service principals' copies. */
static int sync_service_principals(struct tenant *t, const struct dobj *app)
{
	const char *app_id =
	    json_string_value(json_object_get(state_dobj_json(app), "appId"));
	size_t n;
	struct dobj *const *objs = state_dobj_lookup(t, IDX_APPID, app_id, &n);
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		if (objs[i]->kind != DOBJ_SERVICE_PRINCIPAL)
			continue;
		rc |= model_sp_sync_app_roles(
		    objs[i], json_object_get(state_dobj_json(app), "appRoles"));
		rc |=
		    json_object_set(state_dobj_json(objs[i]), "appDisplayName",
		                    json_object_get(state_dobj_json(app), "displayName"));
	}
	return rc ? -1 : 0;
}

static int applications_update(struct call *c)
{
	struct dobj *d = apps_path_object(c, DOBJ_APPLICATION, 0);
	json_t *patch, *roles;

	if (!d || check_patch(d, c->req->body, NULL, c->resp))
		return -1;
	patch = json_deep_copy(c->req->body);
	roles = json_object_get(patch, "appRoles");
	if (!patch)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	if (app_credentials_patch_keys(c, d, patch)) {
		json_decref(patch);
		return -1;
	}
	if (roles) {
		/* Roles defined on an application always have origin Application. */
		json_t *norm = apps_app_roles_normalize(roles, "Application", NULL);
		if (!norm || json_object_set_new(patch, "appRoles", norm)) {
			json_decref(patch);
			return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
		}
	}
	apps_apply(state_dobj_json(d), patch);
	json_decref(patch);
	if (state_dobj_reindex(c->tenant, d) || sync_service_principals(c->tenant, d))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_empty(c->resp, 204);
}

/*
 * POST /applications: an app registration as `az ad app create`, Terraform
 * and New-MgApplication make it, from the properties PATCH takes; Graph
 * gives it its id, appId, publisherDomain and creation time. Certificates in
 * keyCredentials are described as a PATCH describes them; password
 * credentials only come from addPassword, as in Graph. Owners bound with
 * "owners@odata.bind" are checked before anything is stored.
 */
static int applications_create(struct call *c)
{
	const json_t *body = c->req->body;
	const json_t *name = json_object_get(body, "displayName");
	const json_t *given_keys = json_object_get(body, "keyCredentials");
	struct owner_binds binds;
	json_t *app, *keys, *roles;
	struct dobj *d;

	if (check_patch(NULL, body, &binds, c->resp))
		return -1;
	if (!json_is_string(name) || !json_string_length(name))
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		                  "Invalid value specified for property 'displayName' of "
		                  "resource 'Application'.");
	if (owners_binds_check(c, &binds))
		return -1;
	/* the certificates are described once the application exists, as a
	 * PATCH of it describes them (completing it keeps none) */
	app = json_object();
	keys =
	    json_pack("{s:O}", "keyCredentials", given_keys ? given_keys : json_null());
	if (!app || !keys || apps_apply(app, body) ||
	    owners_binds_store(app, APP_OWNERS_KEY, &binds))
		goto out_oom;
	json_object_del(app, "keyCredentials");
	roles = json_object_get(app, "appRoles");
	if (roles &&
	    json_object_set_new(app, "appRoles",
	                        apps_app_roles_normalize(roles, "Application", NULL)))
		goto out_oom;
	if (model_application_complete(c->st, c->tenant, app))
		goto out_oom;
	d = state_dobj_add(c->st, c->tenant, DOBJ_APPLICATION, app);
	app = NULL; /* the store's now, or freed */
	if (!d)
		goto out_oom;
	if (app_credentials_patch_keys(c, d, keys)) {
		json_decref(keys);
		state_dobj_remove(c->tenant, d); /* nothing half made */
		return -1;
	}
	if (!json_is_null(json_object_get(keys, "keyCredentials")))
		apps_apply(state_dobj_json(d), keys);
	json_decref(keys);
	resp_header(
	    c->resp, "Location",
	    "%s/v2/%s/directoryObjects/%s/Microsoft.DirectoryServices.Application",
	    c->req->base_url, c->tenant->id, d->id);
	return odata_respond_entity(c->odata, c->req, c->resp, 201, &application_entity,
	                            state_dobj_json(d), NULL);

out_oom:
	json_decref(app);
	json_decref(keys);
	return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
}

static int applications_delete(struct call *c)
{
	struct dobj *d = apps_path_object(c, DOBJ_APPLICATION, 0);
	const char *app_id;
	struct dobj *const *objs;
	size_t n;

	if (!d)
		return -1;
	app_id = json_string_value(json_object_get(state_dobj_json(d), "appId"));
	/* The lookup array shrinks as objects go: take the first SP until none. */
	for (;;) {
		struct dobj *sp = NULL;
		objs = state_dobj_lookup(c->tenant, IDX_APPID, app_id, &n);
		for (size_t i = 0; i < n && !sp; i++)
			if (objs[i]->kind == DOBJ_SERVICE_PRINCIPAL)
				sp = objs[i];
		if (!sp)
			break;
		if (state_dobj_soft_delete(c->st, c->tenant, sp))
			return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	if (state_dobj_soft_delete(c->st, c->tenant, d))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_empty(c->resp, 204);
}

const struct route application_routes[] = {
    {"GET", "/applications", applications_list, ROUTE_ODATA, &application_entity,
     &PERMS_APP_READ},
    {"POST", "/applications", applications_create, ROUTE_JSON_BODY | ROUTE_ODATA,
     &application_entity, &PERMS_APP_WRITE},
    {"GET", "/applications/$count", applications_count, ROUTE_ODATA, &application_entity,
     &PERMS_APP_READ},
    {"GET", "/applications/{id}", applications_get, ROUTE_ODATA | ROUTE_APPID_KEY,
     &application_entity, &PERMS_APP_READ},
    {"PATCH", "/applications/{id}", applications_update,
     ROUTE_JSON_BODY | ROUTE_APPID_KEY, NULL, &PERMS_APP_WRITE},
    {"DELETE", "/applications/{id}", applications_delete, ROUTE_APPID_KEY, NULL,
     &PERMS_APP_WRITE},
    {0},
};
