/*
 * routes/graph/group_body.c - validating POST /groups and PATCH /groups/{id}
 * bodies (graph-spec §5.1, §5.6) before anything is written: every
 * property is known and writable, has the right type, and the reference
 * arrays parse. Graph's wording: "Invalid property 'x'." for unknown names
 * (seen on PATCH /groups), "Invalid value specified for property ..." for
 * bad values, "A value is required for property ..." for missing ones.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/error.h"
#include "groups.h"

enum val {
	V_STRING,      /* non-empty string */
	V_STRING_NULL, /* string or null */
	V_BOOL,
	V_BOOL_NULL,
	V_NICKNAME,
	V_GROUP_TYPES,
	V_VISIBILITY,
	V_RULE_STATE,
	V_STRINGS, /* array of strings */
};

struct writable {
	const char *name;
	enum val val;
	size_t max_len;
	bool create_only;
};

static const struct writable writables[] = {
    {"displayName", V_STRING, 256, false},
    {"description", V_STRING_NULL, 1024, false},
    {"mailEnabled", V_BOOL, 0, false},
    {"mailNickname", V_NICKNAME, 64, false},
    {"securityEnabled", V_BOOL, 0, false},
    {"groupTypes", V_GROUP_TYPES, 0, false},
    {"visibility", V_VISIBILITY, 0, false},
    {"isAssignableToRole", V_BOOL_NULL, 0, true},
    {"membershipRule", V_STRING_NULL, 3072, false},
    {"membershipRuleProcessingState", V_RULE_STATE, 0, false},
    {"classification", V_STRING_NULL, 256, false},
    {"preferredDataLocation", V_STRING_NULL, 256, false},
    {"preferredLanguage", V_STRING_NULL, 256, false},
    {"theme", V_STRING_NULL, 256, false},
    {"uniqueName", V_STRING_NULL, 256, true},
    {"resourceBehaviorOptions", V_STRINGS, 0, true},
    {"resourceProvisioningOptions", V_STRINGS, 0, true},
    {"creationOptions", V_STRINGS, 0, true},
    {NULL, V_STRING, 0, false},
};

/* Group properties Graph computes; a client sending one gets a 400 naming it. */
static const char *const read_only[] = {
    "id",
    "deletedDateTime",
    "createdDateTime",
    "renewedDateTime",
    "expirationDateTime",
    "mail",
    "proxyAddresses",
    "securityIdentifier",
    "onPremisesDomainName",
    "onPremisesLastSyncDateTime",
    "onPremisesNetBiosName",
    "onPremisesSamAccountName",
    "onPremisesSecurityIdentifier",
    "onPremisesSyncEnabled",
    "onPremisesProvisioningErrors",
    "serviceProvisioningErrors",
    NULL,
};

/* Characters Entra refuses in a mailNickname (graph-spec §5.1). */
static const char nickname_banned[] = "@()\\[]\";:.<>, ";

static const struct writable *writable_find(const char *name)
{
	for (const struct writable *w = writables; w->name; w++)
		if (!strcmp(w->name, name))
			return w;
	return NULL;
}

static bool is_read_only(const char *name)
{
	for (size_t i = 0; read_only[i]; i++)
		if (!strcmp(read_only[i], name))
			return true;
	return false;
}

static bool nickname_ok(const char *s, size_t len)
{
	if (len == 0 || len > 64)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7e || strchr(nickname_banned, c))
			return false;
	}
	return true;
}

static bool group_types_ok(const json_t *v)
{
	size_t i, j;
	json_t *e;

	if (!json_is_array(v))
		return false;
	json_array_foreach(v, i, e)
	{
		const char *s = json_string_value(e);

		if (!s ||
		    (strcasecmp(s, "Unified") && strcasecmp(s, "DynamicMembership")))
			return false;
		for (j = 0; j < i; j++)
			if (!strcasecmp(s, json_string_value(json_array_get(v, j))))
				return false;
	}
	return true;
}

static bool one_of(const char *s, const char *const *allowed)
{
	for (size_t i = 0; s && allowed[i]; i++)
		if (!strcasecmp(s, allowed[i]))
			return true;
	return false;
}

static bool strings_ok(const json_t *v)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return false;
	json_array_foreach(v, i, e) if (!json_is_string(e)) return false;
	return true;
}

static bool value_ok(const struct writable *w, const json_t *v)
{
	static const char *const visibility[] = {"Public", "Private", "HiddenMembership",
	                                         NULL};
	static const char *const rule_state[] = {"On", "Paused", NULL};
	size_t len = json_string_length(v);

	switch (w->val) {
	case V_STRING:
		return json_is_string(v) && len > 0 && len <= w->max_len;
	case V_STRING_NULL:
		return json_is_null(v) || (json_is_string(v) && len <= w->max_len);
	case V_BOOL:
		return json_is_boolean(v);
	case V_BOOL_NULL:
		return json_is_null(v) || json_is_boolean(v);
	case V_NICKNAME:
		return json_is_string(v) && nickname_ok(json_string_value(v), len);
	case V_GROUP_TYPES:
		return group_types_ok(v);
	case V_VISIBILITY:
		return json_is_null(v) || one_of(json_string_value(v), visibility);
	case V_RULE_STATE:
		return json_is_null(v) || one_of(json_string_value(v), rule_state);
	case V_STRINGS:
		return strings_ok(v);
	}
	return false;
}

static bool odata_type_ok(const json_t *v)
{
	const char *s = json_string_value(v);

	if (!s)
		return false;
	if (*s == '#')
		s++;
	return !strcasecmp(s, "microsoft.graph.group");
}

static int check_bind(const char *key, const json_t *v, struct group_binds *binds,
                      struct resp *resp)
{
	if (!strcmp(key, "members@odata.bind"))
		return odata_ref_bind(v, key, odata_ref_directory_sets, binds->members,
		                      ODATA_BIND_MAX, &binds->nmembers, resp);
	return odata_ref_bind(v, key, odata_ref_directory_sets, binds->owners,
	                      ODATA_BIND_MAX, &binds->nowners, resp);
}

static int check_property(const char *key, const json_t *v, bool create,
                          struct group_binds *binds, struct resp *resp)
{
	const struct writable *w;

	if (!strcmp(key, "members@odata.bind") || !strcmp(key, "owners@odata.bind")) {
		if (!create && !strcmp(key, "owners@odata.bind"))
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
			                  "Invalid property '%s'.", key);
		return check_bind(key, v, binds, resp);
	}
	if (!strcmp(key, "@odata.type")) {
		if (!odata_type_ok(v))
			return resp_error(resp, GERR_BAD_REQUEST, GROUP_INVALID_FMT, key);
		return 0;
	}
	w = writable_find(key);
	if (!w || (w->create_only && !create)) {
		if (w || is_read_only(key))
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
			                  "Property '%s' is read-only and cannot be set.",
			                  key);
		return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
		                  "Invalid property '%s'.", key);
	}
	if (!value_ok(w, v))
		return resp_error(resp, GERR_REQUEST_BAD_REQUEST, GROUP_INVALID_FMT, key);
	return 0;
}

static bool has_type(const json_t *types, const char *name)
{
	size_t i;
	json_t *e;

	json_array_foreach(types, i,
	                   e) if (!strcasecmp(json_string_value(e), name)) return true;
	return false;
}

/* Rules across properties of a new group. */
static int check_create(const json_t *body, struct resp *resp)
{
	static const char *const required[] = {"displayName", "mailEnabled",
	                                       "mailNickname", "securityEnabled", NULL};
	const json_t *types = json_object_get(body, "groupTypes");
	const json_t *rule = json_object_get(body, "membershipRule");

	for (size_t i = 0; required[i]; i++)
		if (!json_object_get(body, required[i]))
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
			                  GROUP_REQUIRED_FMT, required[i]);
	if (json_is_true(json_object_get(body, "mailEnabled")) &&
	    !has_type(types, "Unified"))
		return resp_error(
		    resp, GERR_REQUEST_BAD_REQUEST,
		    "The service does not currently support writes of mail-enabled "
		    "groups. Please ensure that the mail-enablement property is "
		    "unset or set to false.");
	if (has_type(types, "DynamicMembership") && !json_is_string(rule))
		return resp_error(resp, GERR_REQUEST_BAD_REQUEST, GROUP_REQUIRED_FMT,
		                  "membershipRule");
	return 0;
}

int group_body_check(const json_t *body, bool create, struct group_binds *binds,
                     struct resp *resp)
{
	const char *key;
	json_t *v;

	memset(binds, 0, sizeof(*binds));
	if (!create && json_object_size(body) == 0)
		return resp_error(resp, GERR_BAD_REQUEST, GMSG_EMPTY_PAYLOAD);
	json_object_foreach((json_t *)body, key, v)
	{
		if (check_property(key, v, create, binds, resp))
			return -1;
	}
	/* One budget of 20 references across both arrays (graph-spec §5.1). */
	if (binds->nmembers + binds->nowners > ODATA_BIND_MAX)
		return resp_error(
		    resp, GERR_REQUEST_BAD_REQUEST,
		    "A maximum of %d references can be added in a single request.",
		    ODATA_BIND_MAX);
	return create ? check_create(body, resp) : 0;
}
