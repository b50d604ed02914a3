/*
 * state/model/model_app.c - stored applications and service principals
 * (graph-spec §6.2, §7.2): the defaults an instantiated or POSTed app gets,
 * and the app-to-service-principal role sync.
 */
#include "model_app.h"

#include <strings.h>

#include "graph_permissions.h"
#include "model_internal.h"

static json_t *info_object(void)
{
	return json_pack("{s:n, s:n, s:n, s:n, s:n}", "logoUrl", "marketingUrl",
	                 "privacyStatementUrl", "supportUrl", "termsOfServiceUrl");
}

int model_application_complete(struct state *st, struct tenant *t, json_t *obj)
{
	char app_id[GUID_STR_LEN + 1];
	int rc = 0;

	rc |= model_ensure_id(st, t, obj);
	if (!json_is_string(json_object_get(obj, "appId"))) {
		size_t taken;

		do { /* an appId no application or service principal holds */
			state_new_id(st, app_id);
			state_dobj_lookup(t, IDX_APPID, app_id, &taken);
		} while (taken);
		rc |= json_object_set_new(obj, "appId", json_string(app_id));
	}
	rc |= model_default(obj, "applicationTemplateId", json_null());
	/* "2019-09-17T19:10:35.2742618Z": seven digits (graph-spec §7.2) */
	rc |= model_default(obj, "createdDateTime", model_timestamp_ticks(st));
	rc |= model_default(obj, "identifierUris", json_array());
	rc |= model_default(obj, "publisherDomain", json_string(t->domain));
	rc |= model_default(obj, "signInAudience", json_string("AzureADMyOrg"));
	rc |= model_default(obj, "tags", json_array());
	rc |= model_default(obj, "appRoles", json_array());
	rc |= model_default(obj, "addIns", json_array());
	rc |= model_default(
	    obj, "api",
	    json_pack("{s:i, s:n, s:[], s:[], s:[]}", "requestedAccessTokenVersion", 2,
	              "acceptMappedClaims", "knownClientApplications",
	              "oauth2PermissionScopes", "preAuthorizedApplications"));
	rc |= model_default(obj, "info", info_object());
	rc |= model_default(obj, "keyCredentials", json_array());
	rc |= model_default(obj, "parentalControlSettings",
	                    json_pack("{s:[], s:s}", "countriesBlockedForMinors",
	                              "legalAgeGroupRule", "Allow"));
	rc |= model_default(obj, "passwordCredentials", json_array());
	rc |= model_default(obj, "publicClient", json_pack("{s:[]}", "redirectUris"));
	rc |= model_default(obj, "requiredResourceAccess", json_array());
	rc |= model_default(obj, "web",
	                    json_pack("{s:[], s:n, s:n, s:{s:b, s:b}}", "redirectUris",
	                              "homePageUrl", "logoutUrl", "implicitGrantSettings",
	                              "enableIdTokenIssuance", 0,
	                              "enableAccessTokenIssuance", 0));
	rc |= model_default(obj, "spa", json_pack("{s:[]}", "redirectUris"));
	rc |= model_default(obj, "isFallbackPublicClient", json_null());
	rc |= model_application_hash_secrets(obj);
	return rc ? -1 : 0;
}

/* Microsoft Graph's own service principal gets Graph's permissions, shared. */
static int graph_permissions(json_t *obj, const char *app_id)
{
	const json_t *cat;
	int rc = 0;

	if (!app_id || strcasecmp(app_id, MODEL_GRAPH_APP_ID))
		return 0;
	cat = model_graph_permissions();
	if (!cat)
		return -1;
	rc |=
	    model_default(obj, "appRoles", json_incref(json_object_get(cat, "appRoles")));
	rc |= model_default(obj, "oauth2PermissionScopes",
	                    json_incref(json_object_get(cat, "oauth2PermissionScopes")));
	return rc;
}

int model_service_principal_complete(struct state *st, struct tenant *t, json_t *obj)
{
	const char *app_id;
	int rc = 0;

	rc |= model_ensure_id(st, t, obj);
	app_id = json_string_value(json_object_get(obj, "appId"));
	rc |= graph_permissions(obj, app_id);
	rc |= model_default(obj, "accountEnabled", json_true());
	rc |= model_default(obj, "appDisplayName",
	                    json_deep_copy(json_object_get(obj, "displayName")));
	rc |= model_default(obj, "applicationTemplateId", json_null());
	rc |= model_default(obj, "appOwnerOrganizationId", json_string(t->id));
	rc |= model_default(obj, "appRoleAssignmentRequired", json_false());
	rc |= model_default(obj, "servicePrincipalNames",
	                    app_id ? json_pack("[s]", app_id) : json_array());
	rc |= model_default(obj, "servicePrincipalType", json_string("Application"));
	rc |= model_default(obj, "signInAudience", json_string("AzureADMyOrg"));
	rc |= model_default(obj, "tags", json_array());
	rc |= model_default(obj, "appRoles", json_array());
	rc |= model_default(obj, "alternativeNames", json_array());
	rc |= model_default(obj, "notificationEmailAddresses", json_array());
	rc |= model_default(obj, "replyUrls", json_array());
	rc |= model_default(obj, "addIns", json_array());
	rc |= model_default(obj, "info", info_object());
	rc |= model_default(obj, "keyCredentials", json_array());
	rc |= model_default(obj, "passwordCredentials", json_array());
	rc |= model_default(obj, "oauth2PermissionScopes", json_array());
	rc |= model_default(obj, "resourceSpecificApplicationPermissions", json_array());
	rc |= model_default(obj, "verifiedPublisher",
	                    json_pack("{s:n, s:n, s:n}", "displayName",
	                              "verifiedPublisherId", "addedDateTime"));
	return rc ? -1 : 0;
}

int model_sp_sync_app_roles(struct dobj *sp, const json_t *app_roles)
{
	json_t *old = json_object_get(state_dobj_json(sp), "appRoles");
	json_t *roles = json_deep_copy(app_roles);
	size_t i, j;
	json_t *r, *a;

	if (!roles)
		return -1;
	json_array_foreach(old, i, r)
	{
		const char *origin = json_string_value(json_object_get(r, "origin"));
		const char *id = json_string_value(json_object_get(r, "id"));
		bool clash = false;

		if (!origin || strcasecmp(origin, "ServicePrincipal"))
			continue;
		json_array_foreach(roles, j, a)
		{
			const char *aid = json_string_value(json_object_get(a, "id"));
			clash |= id && aid && !strcasecmp(id, aid);
		}
		if (!clash && json_array_append_new(roles, json_deep_copy(r))) {
			json_decref(roles);
			return -1;
		}
	}
	return json_object_set_new(state_dobj_json(sp), "appRoles", roles);
}
