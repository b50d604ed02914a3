/*
 * state/model/model_policy.c - a tenant's authorizationPolicy, the two
 * settings graphmock honours: who may invite guests, and what a guest may
 * read (Graph: resources/authorizationpolicy; identity.md §8.2-8.3).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model_internal.h"

static const char *const invites[] = {"none", "adminsAndGuestInviters",
                                      "adminsGuestInvitersAndAllMembers", "everyone",
                                      NULL};
static const char *const guest_roles[] = {
    MODEL_GUEST_ROLE_MEMBER, MODEL_GUEST_ROLE_DEFAULT, MODEL_GUEST_ROLE_RESTRICTED, NULL};

static bool one_of(const char *const *list, const char *v)
{
	for (; v && *list; list++)
		if (!strcasecmp(*list, v))
			return true;
	return false;
}

bool model_allow_invites_valid(const char *v)
{
	return one_of(invites, v);
}

bool model_guest_role_valid(const char *v)
{
	return one_of(guest_roles, v);
}

int model_policy_load(struct tenant *t, const json_t *p, char *err, size_t errlen)
{
	const char *key, *aif, *role;
	json_t *v;

	snprintf(t->allow_invites_from, sizeof(t->allow_invites_from), "everyone");
	snprintf(t->guest_role_id, sizeof(t->guest_role_id), "%s",
	         MODEL_GUEST_ROLE_DEFAULT);
	if (!p)
		return 0;
	if (!json_is_object(p)) {
		snprintf(err, errlen, "must be an object");
		return -1;
	}
	json_object_foreach((json_t *)p, key, v)
	{
		if (strcmp(key, "allowInvitesFrom") && strcmp(key, "guestUserRoleId")) {
			snprintf(err, errlen, "%s: unknown key", key);
			return -1;
		}
	}
	aif = json_string_value(json_object_get(p, "allowInvitesFrom"));
	role = json_string_value(json_object_get(p, "guestUserRoleId"));
	if (json_object_get(p, "allowInvitesFrom") && !model_allow_invites_valid(aif)) {
		snprintf(err, errlen,
		         "allowInvitesFrom: one of none, adminsAndGuestInviters, "
		         "adminsGuestInvitersAndAllMembers, everyone");
		return -1;
	}
	if (json_object_get(p, "guestUserRoleId") && !model_guest_role_valid(role)) {
		snprintf(err, errlen, "guestUserRoleId: one of the three guest role ids");
		return -1;
	}
	if (aif)
		snprintf(t->allow_invites_from, sizeof(t->allow_invites_from), "%s", aif);
	if (role)
		guid_lower(role, t->guest_role_id);
	return 0;
}

json_t *model_policy_export(const struct tenant *t)
{
	return json_pack("{s:s, s:s}", "allowInvitesFrom", t->allow_invites_from,
	                 "guestUserRoleId", t->guest_role_id);
}
