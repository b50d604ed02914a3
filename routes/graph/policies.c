/*
 * routes/graph/policies.c - GET and PATCH /policies/authorizationPolicy
 * (Graph: authorizationpolicy-get, -update), for the two settings
 * graphmock honours: allowInvitesFrom (who may POST /invitations) and
 * guestUserRoleId (what a signed-in guest may read). The other properties
 * are answered with their defaults and cannot be changed.
 */
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/model/model.h"
#include "../../state/state.h"
#include "permissions.h"

static int policy_get(struct call *c)
{
	char ctx[400];
	json_t *p;

	snprintf(ctx, sizeof(ctx), "%s/%s/$metadata#policies/authorizationPolicy/$entity",
	         c->req->base_url, c->req->version);
	p = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:s, s:{s:b, s:b, s:b, "
	    "s:b, s:[]}}",
	    "@odata.context", ctx, "id", "authorizationPolicy", "displayName",
	    "Authorization Policy", "description",
	    "Used to manage authorization related settings across the company.",
	    "allowInvitesFrom", c->tenant->allow_invites_from,
	    "allowedToSignUpEmailBasedSubscriptions", 1, "allowedToUseSSPR", 1,
	    "allowEmailVerifiedUsersToJoinOrganization", 1, "blockMsolPowerShell", 0,
	    "guestUserRoleId", c->tenant->guest_role_id, "defaultUserRolePermissions",
	    "allowedToCreateApps", 1, "allowedToCreateSecurityGroups", 1,
	    "allowedToCreateTenants", 1, "allowedToReadOtherUsers", 1,
	    "permissionGrantPoliciesAssigned");
	return p ? resp_odata(c->resp, 200, p)
	         : resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
}

static int invalid(struct call *c, const char *prop)
{
	return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
	                  "Invalid value specified for property '%s' of resource "
	                  "'AuthorizationPolicy'.",
	                  prop);
}

static int policy_update(struct call *c)
{
	const json_t *b = c->req->body;
	const char *key, *aif, *role;
	json_t *v;

	json_object_foreach((json_t *)b, key, v)
	{
		if (strcmp(key, "allowInvitesFrom") && strcmp(key, "guestUserRoleId") &&
		    strncmp(key, "@odata.", 7))
			return resp_error(
			    c->resp, GERR_BAD_REQUEST,
			    "graphmock keeps only allowInvitesFrom and "
			    "guestUserRoleId of the authorization policy; '%s' "
			    "cannot be changed.",
			    key);
	}
	aif = json_string_value(json_object_get(b, "allowInvitesFrom"));
	role = json_string_value(json_object_get(b, "guestUserRoleId"));
	if (json_object_get(b, "allowInvitesFrom") && !model_allow_invites_valid(aif))
		return invalid(c, "allowInvitesFrom");
	if (json_object_get(b, "guestUserRoleId") && !model_guest_role_valid(role))
		return invalid(c, "guestUserRoleId");
	if (aif)
		snprintf(c->tenant->allow_invites_from,
		         sizeof(c->tenant->allow_invites_from), "%s", aif);
	if (role)
		guid_lower(role, c->tenant->guest_role_id);
	return resp_empty(c->resp, 204);
}

const struct route policy_routes[] = {
    {"GET", "/policies/authorizationPolicy", policy_get, 0, NULL, &PERMS_POLICY_READ},
    {"PATCH", "/policies/authorizationPolicy", policy_update, ROUTE_JSON_BODY, NULL,
     &PERMS_POLICY_WRITE},
    {0},
};
