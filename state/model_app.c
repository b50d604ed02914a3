/*
 * state/model_app.c - stored applications and service principals
 * (graph-spec §6.2, §7.2): the defaults an instantiated or POSTed app gets.
 */
#include "model_internal.h"

int model_application_complete(struct state *st, struct tenant *t, json_t *obj)
{
	char app_id[GUID_STR_LEN + 1];
	int rc = 0;

	rc |= model_ensure_id(st, obj);
	if (!json_is_string(json_object_get(obj, "appId"))) {
		state_new_id(st, app_id);
		rc |= json_object_set_new(obj, "appId", json_string(app_id));
	}
	rc |= model_default(obj, "applicationTemplateId", json_null());
	rc |= model_default(obj, "createdDateTime", model_timestamp(st));
	rc |= model_default(obj, "identifierUris", json_array());
	rc |= model_default(obj, "publisherDomain", json_string(t->domain));
	rc |= model_default(obj, "signInAudience", json_string("AzureADMyOrg"));
	rc |= model_default(obj, "tags", json_array());
	rc |= model_default(obj, "appRoles", json_array());
	rc |= model_default(obj, "keyCredentials", json_array());
	rc |= model_default(obj, "passwordCredentials", json_array());
	rc |= model_default(obj, "requiredResourceAccess", json_array());
	return rc ? -1 : 0;
}

int model_service_principal_complete(struct state *st, struct tenant *t, json_t *obj)
{
	const char *app_id;
	int rc = 0;

	rc |= model_ensure_id(st, obj);
	app_id = json_string_value(json_object_get(obj, "appId"));
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
	rc |= model_default(obj, "keyCredentials", json_array());
	rc |= model_default(obj, "passwordCredentials", json_array());
	rc |= model_default(obj, "oauth2PermissionScopes", json_array());
	return rc ? -1 : 0;
}
