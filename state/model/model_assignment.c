/*
 * state/model/model_assignment.c - the appRoleAssignment object, Graph's id
 * format for it, and who may be given which role (graph-spec §6.3).
 */
#include "model_app.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model_internal.h"
#include "../util/b64.h"

json_t *model_assignment_new(struct state *st, const struct dobj *principal,
                             const struct dobj *resource, const char *app_role_id,
                             char id_out[64])
{
	uint8_t raw[32];
	json_t *created;
	char role[GUID_STR_LEN + 1];

	guid_to_bytes_le(principal->id, raw);
	/* The second half is an internal link id in Graph; random here. */
	for (int i = 0; i < 2; i++) {
		uint64_t r = state_random_u64(st);
		memcpy(raw + 16 + i * 8, &r, 8);
	}
	b64url_encode_to(raw, sizeof(raw), id_out);
	created = model_timestamp_ticks(st);
	guid_lower(app_role_id, role);
	/* (read, not parsed and kept: a fixture assigns many users at once) */
	json_t *pname = state_dobj_member(principal, "displayName");
	json_t *rname = state_dobj_member(resource, "displayName");
	/* Member by member, in Graph's order: json_pack's format parsing cost
	 * more than the rest of an assignment (~16k instructions). */
	struct {
		const char *key;
		json_t *value;
	} members[] = {
	    {"id", json_string_nocheck(id_out)},
	    {"deletedDateTime", json_null()},
	    {"appRoleId", json_string_nocheck(role)},
	    {"createdDateTime", created},
	    {"principalDisplayName", pname ? pname : json_null()},
	    {"principalId", json_string_nocheck(principal->id)},
	    {"principalType", json_string_nocheck(model_principal_type(principal))},
	    {"resourceDisplayName", rname ? rname : json_null()},
	    {"resourceId", json_string_nocheck(resource->id)},
	};
	json_t *obj = json_object();
	bool failed = !obj;

	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		if (failed || !members[i].value)
			json_decref(members[i].value);
		else if (json_object_set_new_nocheck(obj, members[i].key,
		                                     members[i].value))
			failed = true; /* (the value is released by the call) */
		failed |= !members[i].value;
	}
	if (failed) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

int model_assignment_id_principal(const char *id, char out[GUID_STR_LEN + 1])
{
	uint8_t raw[33];

	if (strlen(id) != 43 || b64url_decode_to(id, 43, raw, sizeof(raw)) != 32)
		return -1;
	/* bytes_le: the first three groups are stored little-endian. */
	snprintf(out, GUID_STR_LEN + 1,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         raw[3], raw[2], raw[1], raw[0], raw[5], raw[4], raw[7], raw[6], raw[8],
	         raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]);
	return 0;
}

/* Does role @r admit a principal of @d's kind? */
static bool role_admits(const json_t *r, const struct dobj *d)
{
	const char *want = d->kind == DOBJ_SERVICE_PRINCIPAL ? "Application" : "User";
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(r, "allowedMemberTypes"), i, t)
	{
		if (json_is_string(t) && !strcmp(json_string_value(t), want))
			return true;
	}
	return false;
}

static bool role_allowed(const struct dobj *principal, const struct dobj *resource,
                         const char *app_role_id)
{
	const json_t *roles = json_object_get(state_dobj_json(resource), "appRoles");
	size_t i;
	json_t *r;

	if (!strcmp(app_role_id, MODEL_DEFAULT_ACCESS_ROLE))
		return json_array_size(roles) == 0;
	json_array_foreach(roles, i, r)
	{
		const char *id = json_string_value(json_object_get(r, "id"));
		const json_t *en = json_object_get(r, "isEnabled");
		if (!id || strcasecmp(id, app_role_id))
			continue;
		return (!en || json_is_true(en)) && role_admits(r, principal);
	}
	return false;
}

bool model_assignment_duplicate(const struct dobj *principal, const struct dobj *resource,
                                const char *app_role_id)
{
	char role[GUID_STR_LEN + 1];

	if (!guid_valid(app_role_id))
		return false;
	guid_lower(app_role_id, role);
	for (const struct assignment *a = state_assignment_first_of_principal(principal);
	     a; a = state_assignment_next_of_principal(a))
		if (a->resource == resource && !strcmp(a->app_role_id, role))
			return true;
	return false;
}

enum assignment_verdict model_assignment_check(const struct tenant *t,
                                               const struct dobj *principal,
                                               const struct dobj *resource,
                                               const char *app_role_id)
{
	char role[GUID_STR_LEN + 1];

	if (!guid_valid(app_role_id))
		return ASSIGN_ROLE_NOT_FOUND;
	guid_lower(app_role_id, role);
	if (!role_allowed(principal, resource, role))
		return ASSIGN_ROLE_NOT_FOUND;
	(void)t;
	return model_assignment_duplicate(principal, resource, role) ? ASSIGN_DUPLICATE
	                                                             : ASSIGN_OK;
}

/*
 * @obj's @key as @d's displayName now. A user still kept as text in a big
 * tenant is parsed for its displayName alone, and not kept parsed: listing
 * an app's 100,000 assignments read each principal's name (0.6 KB a user
 * left parsed until the request ended, and the whole of each one parsed).
 */
static void refresh_name(json_t *obj, const char *key, const struct dobj *d)
{
	static const char *const only[] = {"id", "displayName", NULL};
	json_t *hold = NULL;
	json_t *name =
	    d ? json_object_get(state_dobj_json_some(d, only, &hold), "displayName")
	      : NULL;

	if (name && !json_equal(name, json_object_get(obj, key)))
		json_object_set_new(obj, key, json_deep_copy(name));
	json_decref(hold);
}

void model_assignment_refresh(struct tenant *t, struct assignment *a)
{
	(void)t;
	refresh_name(a->obj, "principalDisplayName", a->principal);
	refresh_name(a->obj, "resourceDisplayName", a->resource);
}
