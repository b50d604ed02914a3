/*
 * routes/graph/application_templates.c - the application gallery (graph-spec
 * §7): listing and reading templates, and instantiating one into an
 * application plus its service principal. Templates are global (st->templates).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/model/model.h"
#include "apps.h"
#include "entities.h"
#include "permissions.h"

#define INTEGRATED_APP_TAG "WindowsAzureActiveDirectoryIntegratedApp"

static int templates_list(struct call *c)
{
	struct odata_list_opts opts = {.context = "applicationTemplates"};
	size_t n = json_array_size(c->st->templates);
	struct odata_item *items = calloc(n ? n : 1, sizeof(*items));
	int rc;

	if (!items)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	for (size_t i = 0; i < n; i++) {
		items[i].obj = json_array_get(c->st->templates, i);
		items[i].entity = &application_template_entity;
		items[i].seq = i + 1;
	}
	rc = odata_respond_collection(c->odata, c->req, c->resp, items, n, &opts);
	free(items);
	return rc;
}

/* The template with id @id (any case), or NULL. Borrowed from st->templates. */
static json_t *template_find(struct state *st, const char *id)
{
	size_t i;
	json_t *tpl;

	json_array_foreach(st->templates, i, tpl)
	{
		if (!strcasecmp(json_string_value(json_object_get(tpl, "id")), id))
			return tpl;
	}
	return NULL;
}

static int templates_get(struct call *c)
{
	json_t *tpl = template_find(c->st, req_param(c->req, 0));

	if (!tpl)
		return resp_not_found(c->resp, req_param(c->req, 0));
	return odata_respond_entity(c->odata, c->req, c->resp, 200,
	                            &application_template_entity, tpl, NULL);
}

static const struct apps_prop instantiate_props[] = {
    {"displayName", AP_STRING},
    {0},
};

static json_t *new_application(const json_t *tpl, const char *name, const json_t *roles)
{
	return json_pack(
	    "{s:s, s:O, s:O, s:[], s:{s:[], s:O, s:n, s:{s:b, s:b}}}", "displayName",
	    name, "applicationTemplateId", json_object_get(tpl, "id"), "appRoles", roles,
	    "tags", "web", "redirectUris", "homePageUrl",
	    json_object_get(tpl, "homePageUrl") ? json_object_get(tpl, "homePageUrl")
	                                        : json_null(),
	    "logoutUrl", "implicitGrantSettings", "enableIdTokenIssuance", 0,
	    "enableAccessTokenIssuance", 0);
}

static json_t *new_service_principal(const json_t *tpl, const json_t *app)
{
	const json_t *home = json_object_get(tpl, "homePageUrl");

	return json_pack(
	    "{s:O, s:O, s:O, s:O, s:O, s:[s], s:b, s:O}", "displayName",
	    json_object_get(app, "displayName"), "appDisplayName",
	    json_object_get(app, "displayName"), "appId", json_object_get(app, "appId"),
	    "applicationTemplateId", json_object_get(tpl, "id"), "appRoles",
	    json_object_get(app, "appRoles"), "tags", INTEGRATED_APP_TAG,
	    "appRoleAssignmentRequired", 1, "homepage", home ? home : json_null());
}

/* Build and store both halves; on any failure nothing is left behind. */
static int instantiate_store(struct state *st, struct tenant *t, const json_t *tpl,
                             const char *name, struct dobj **app_out,
                             struct dobj **sp_out)
{
	json_t *roles = apps_app_roles_normalize(json_object_get(tpl, "appRoles"),
	                                         "Application", NULL);
	json_t *app = roles ? new_application(tpl, name, roles) : NULL;
	json_t *sp = NULL;

	json_decref(roles);
	if (!app || model_application_complete(st, t, app))
		goto out_app;
	sp = new_service_principal(tpl, app);
	if (!sp || model_service_principal_complete(st, t, sp))
		goto out_sp;
	*app_out = state_dobj_add(st, t, DOBJ_APPLICATION, app);
	if (!*app_out) {
		json_decref(sp);
		return -1;
	}
	*sp_out = state_dobj_add(st, t, DOBJ_SERVICE_PRINCIPAL, sp);
	if (!*sp_out) {
		state_dobj_remove(t, *app_out);
		return -1;
	}
	return 0;

out_sp:
	json_decref(sp);
out_app:
	json_decref(app);
	return -1;
}

static int templates_instantiate(struct call *c)
{
	json_t *tpl = template_find(c->st, req_param(c->req, 0));
	struct odata_query q = {0};
	struct dobj *app, *sp;
	const char *name;
	char ctx[512];

	if (!tpl)
		return resp_not_found(c->resp, req_param(c->req, 0));
	if (apps_body_check(c->req->body, instantiate_props, "applicationTemplate",
	                    c->resp))
		return -1;
	name = json_string_value(json_object_get(c->req->body, "displayName"));
	if (!name)
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		                  "Invalid value specified for property 'displayName' of "
		                  "resource 'ApplicationTemplate'.");
	if (instantiate_store(c->st, c->tenant, tpl, name, &app, &sp))
		return resp_error(c->resp, GERR_INTERNAL,
		                  "Storing the application failed.");
	snprintf(ctx, sizeof(ctx),
	         "%s/%s/$metadata#microsoft.graph.applicationServicePrincipal",
	         c->req->base_url, c->req->version);
	return odata_respond_body(
	    c->req, c->resp, 201,
	    json_pack("{s:s, s:o, s:o}", "@odata.context", ctx, "application",
	              odata_project(&q, &application_entity, state_dobj_json(app), false),
	              "servicePrincipal",
	              odata_project(&q, &service_principal_entity, state_dobj_json(sp),
	                            false)));
}

const struct route application_template_routes[] = {
    {"GET", "/applicationTemplates", templates_list, ROUTE_ODATA,
     &application_template_entity, &route_perms_any_token},
    {"GET", "/applicationTemplates/{id}", templates_get, ROUTE_ODATA,
     &application_template_entity, &route_perms_any_token},
    {"POST", "/applicationTemplates/{id}/instantiate", templates_instantiate,
     ROUTE_JSON_BODY, NULL, &PERMS_APP_INSTANTIATE},
    {0},
};
