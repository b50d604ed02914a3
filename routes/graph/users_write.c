/*
 * routes/graph/users_write.c - POST /users and PATCH /users/{key} (graph-spec
 * §4.3, §4.4): every property of the body is checked against the user
 * schema, the read-only list, its type and Graph's value rules before the
 * store changes at all.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/odata/odata.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../state/model/model.h"
#include "../../state/model/model_value.h"
#include "../../state/state.h"
#include "entities.h"
#include "users.h"

#define MSG_REQUIRED_FMT "Property %s value is required but is empty or missing."
#define MSG_UNKNOWN_FMT  "Property '%s' does not exist on type 'microsoft.graph.user'."
#define MSG_UPN_DOMAIN                                                                   \
	"The domain portion of the userPrincipalName property is invalid. You must use " \
	"one of the verified domain names in your organization."
#define MSG_UPN_CONFLICT                                                                 \
	"Another object with the same value for property userPrincipalName already "     \
	"exists."
#define MSG_PASSWORD                                                                     \
	"The specified password does not comply with password complexity requirements. " \
	"Please provide a different password."

/* Maintained by the directory, never by clients (graph-spec §3.2). */
static const char *const read_only[] = {
    "id",
    "createdDateTime",
    "creationType",
    "deletedDateTime",
    "externalUserState",
    "externalUserStateChangeDateTime",
    "identities",
    "imAddresses",
    "proxyAddresses",
    "onPremisesSyncEnabled",
    NULL,
};

/* Required on POST, and never null or empty on PATCH. */
static const char *const required[] = {
    "accountEnabled",    "displayName",     "mailNickname",
    "userPrincipalName", "passwordProfile", NULL,
};

/* Graph's length limits for the strings it documents; others get 1024. */
static const struct {
	const char *name;
	size_t max;
} max_len[] = {
    {"displayName", 256},
    {"givenName", 64},
    {"surname", 64},
    {"jobTitle", 128},
    {"mailNickname", 64},
    {"companyName", 64},
    {"department", 64},
    {"employeeId", 16},
    {"city", 128},
    {"state", 128},
    {"country", 128},
    {"postalCode", 40},
    {"officeLocation", 128},
    {"mobilePhone", 64},
    {"userPrincipalName", 113},
    {"mail", 256},
    {NULL, 0},
};

static bool in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return true;
	return false;
}

static size_t string_max(const char *name)
{
	for (size_t i = 0; max_len[i].name; i++)
		if (!strcmp(max_len[i].name, name))
			return max_len[i].max;
	return 1024;
}

static int invalid_value(struct resp *resp, const char *prop)
{
	resp_error(resp, GERR_REQUEST_BAD_REQUEST, USERS_INVALID_FMT, prop);
	return resp_error_detail(resp, "InvalidValue", prop);
}

static int missing_value(struct resp *resp, const char *prop)
{
	return resp_error(resp, GERR_REQUEST_BAD_REQUEST, MSG_REQUIRED_FMT, prop);
}

/* mailNickname: ASCII without spaces and the characters Exchange forbids. */
static bool nickname_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    strchr("@()\\[]\";:<>,", *s))
			return false;
	return true;
}

/* UPN local part: A-Z a-z 0-9 ' . - _ ! # ^ ~, no leading/trailing or double dot. */
static bool upn_local_ok(const char *s, size_t len)
{
	if (len == 0 || len > 64 || s[0] == '.' || s[len - 1] == '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isalnum((unsigned char)s[i]) && !strchr("'.-_!#^~", s[i]))
			return false;
		if (s[i] == '.' && s[i + 1] == '.')
			return false;
	}
	return true;
}

/* Entra's complexity rule: 8..256 characters from at least three of four classes. */
static bool password_ok(const char *p)
{
	int lower = 0, upper = 0, digit = 0, other = 0;
	size_t len = strlen(p);

	if (len < 8 || len > 256)
		return false;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		lower |= islower(c) != 0;
		upper |= isupper(c) != 0;
		digit |= isdigit(c) != 0;
		other |= !isalnum(c);
	}
	return lower + upper + digit + other >= 3;
}

static int check_password_profile(struct resp *resp, const json_t *v)
{
	const char *key;
	json_t *field;
	const json_t *pw = json_object_get(v, "password");

	json_object_foreach((json_t *)v, key, field)
	{
		if (strchr(key, '@')) { /* an annotation: "@odata.type" from an SDK */
			continue;
		} else if (!strcmp(key, "password")) {
			if (!json_is_string(field) && !json_is_null(field))
				return invalid_value(resp, "passwordProfile");
		} else if (!strcmp(key, "forceChangePasswordNextSignIn") ||
		           !strcmp(key, "forceChangePasswordNextSignInWithMfa")) {
			if (!json_is_boolean(field) && !json_is_null(field))
				return invalid_value(resp, "passwordProfile");
		} else {
			return resp_error(resp, GERR_BAD_REQUEST,
			                  "Property '%s' does not exist on type "
			                  "'microsoft.graph.passwordProfile'.",
			                  key);
		}
	}
	if (!json_is_string(pw) || !json_string_length(pw))
		return missing_value(resp, "passwordProfile.password");
	if (!password_ok(json_string_value(pw)))
		return resp_error(resp, GERR_REQUEST_BAD_REQUEST, MSG_PASSWORD);
	return 0;
}

/* Value rules beyond the JSON type, for the properties Graph constrains. */
static int check_string(struct resp *resp, const char *name, const char *s)
{
	size_t len = strlen(s);

	if (len > string_max(name))
		return invalid_value(resp, name);
	if (!strcmp(name, "displayName") && !len)
		return missing_value(resp, name);
	if (!strcmp(name, "mailNickname") && (!len || !nickname_ok(s)))
		return invalid_value(resp, name);
	if (!strcmp(name, "mail") && !strchr(s, '@'))
		return invalid_value(resp, name);
	if (!strcmp(name, "userType") && strcmp(s, "Member") && strcmp(s, "Guest"))
		return invalid_value(resp, name);
	if (!strcmp(name, "usageLocation") &&
	    (len != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1])))
		return invalid_value(resp, name);
	return 0;
}

static int check_collection(struct resp *resp, const char *name, const json_t *v)
{
	size_t i;
	json_t *item;

	if (!json_is_array(v))
		return invalid_value(resp, name);
	/* Graph keeps a single business phone number. */
	if (!strcmp(name, "businessPhones") && json_array_size(v) > 1)
		return invalid_value(resp, name);
	json_array_foreach(v, i, item)
	{
		if (!json_is_string(item) || json_string_length(item) > string_max(name))
			return invalid_value(resp, name);
		if (!strcmp(name, "otherMails") && !strchr(json_string_value(item), '@'))
			return invalid_value(resp, name);
	}
	return 0;
}

/*
 * A string that does not convert to its property's type (a date, a Guid):
 * Graph's OData reader refuses the body before the directory sees it, in
 * the words of Microsoft.OData's ReaderValidationUtils, code BadRequest.
 */
static int not_a_literal(struct resp *resp, const json_t *v, const char *type_name)
{
	return resp_error(resp, GERR_BAD_REQUEST,
	                  "Cannot convert the literal '%s' to the expected type '%s'.",
	                  json_string_value(v), type_name);
}

static int check_literal(struct resp *resp, enum odata_type type, const json_t *v)
{
	enum schema_edm edm =
	    type == ODATA_GUID ? SCHEMA_EDM_GUID : SCHEMA_EDM_DATE_TIME_OFFSET;

	if (model_literal_fits(edm, NULL, json_string_value(v), json_string_length(v)))
		return 0;
	return not_a_literal(resp, v, odata_edm_type(type));
}

/*
 * Writable on Graph's "Update user" page but outside user_entity's table
 * (entity_user.c): judged by their CSDL type alone.
 */
static const char *const csdl_writable[] = {
    "consentProvidedForMinor",
    "employeeLeaveDateTime",
    "employeeOrgData",
    "onPremisesExtensionAttributes",
    NULL,
};

/* Every string in @v within @max bytes, at any depth (a complex value's
 * members held to the limit of the user's own strings). */
static bool strings_within(const json_t *v, size_t max)
{
	const char *key;
	json_t *item;
	size_t i;

	if (json_is_string(v))
		return json_string_length(v) <= max;
	json_object_foreach((json_t *)v, key, item)
	{
		if (!strings_within(item, max))
			return false;
	}
	json_array_foreach(v, i, item)
	{
		if (!strings_within(item, max))
			return false;
	}
	return true;
}

static int check_csdl_property(struct resp *resp, const char *key, const json_t *v)
{
	const struct schema_property *p =
	    schema_property_find(schema_type_find("microsoft.graph.user"), key);
	const char *bad;
	bool undeclared;

	if (!p || strcmp(p->name, key))
		return resp_error(resp, GERR_BAD_REQUEST, MSG_UNKNOWN_FMT, key);
	if (json_is_null(v))
		return 0;
	if (!strings_within(v, string_max(key)))
		return invalid_value(resp, key);
	if (json_is_string(v) && p->edm != SCHEMA_EDM_COMPLEX) {
		if (model_value_fits(p, json_string_value(v), json_string_length(v)))
			return 0;
		return not_a_literal(resp, v, p->type_name);
	}
	if (p->edm != SCHEMA_EDM_COMPLEX || !json_is_object(v))
		return invalid_value(resp, key);
	bad = model_complex_misfit(p->type, v, &undeclared);
	if (bad && undeclared)
		return resp_error(resp, GERR_BAD_REQUEST,
		                  "Property '%s' does not exist on type '%s'.", bad,
		                  p->type_name);
	return bad ? invalid_value(resp, key) : 0;
}

/* One body property: known, writable, of the schema's type, a valid value. */
static int check_property(struct resp *resp, const char *key, const json_t *v)
{
	const struct odata_prop *p = odata_entity_prop(&user_entity, key);

	if (!p && in_list(csdl_writable, key))
		return check_csdl_property(resp, key, v);
	if (!p || strcmp(p->name, key))
		return resp_error(resp, GERR_BAD_REQUEST, MSG_UNKNOWN_FMT, key);
	if (in_list(read_only, key))
		return invalid_value(resp, key);
	if (json_is_null(v))
		return in_list(required, key) ? invalid_value(resp, key) : 0;
	switch (p->type) {
	case ODATA_STRING:
		return json_is_string(v) ? check_string(resp, key, json_string_value(v))
		                         : invalid_value(resp, key);
	case ODATA_BOOL:
		return json_is_boolean(v) ? 0 : invalid_value(resp, key);
	case ODATA_INT:
		return json_is_integer(v) ? 0 : invalid_value(resp, key);
	case ODATA_DATETIME:
	case ODATA_GUID:
		return json_is_string(v) ? check_literal(resp, p->type, v)
		                         : invalid_value(resp, key);
	case ODATA_STRING_COLLECTION:
		return check_collection(resp, key, v);
	case ODATA_OBJECT:
		if (!json_is_object(v))
			return invalid_value(resp, key);
		return strcmp(key, "passwordProfile") ? 0
		                                      : check_password_profile(resp, v);
	case ODATA_OBJECT_COLLECTION:
		return json_is_array(v) ? 0 : invalid_value(resp, key);
	}
	return invalid_value(resp, key);
}

/* Every property of the body; "@odata.type" may only name the user type. */
static int check_body(struct resp *resp, const json_t *body)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)body, key, v)
	{
		if (!strcmp(key, "@odata.type")) {
			const char *type = json_string_value(v);
			if (!type || (strcasecmp(type, "#microsoft.graph.user") &&
			              strcasecmp(type, "microsoft.graph.user")))
				return resp_error(
				    resp, GERR_BAD_REQUEST,
				    "A type named '%s' could not be resolved by the "
				    "model. When a model is available, each type name "
				    "must resolve to a valid type.",
				    type ? type : "");
			continue;
		}
		if (check_property(resp, key, v))
			return -1;
	}
	return 0;
}

/*
 * A new or changed userPrincipalName: valid local part, the tenant's domain,
 * and no other user (lagging ones included) holding it in any case.
 */
static int check_upn(struct resp *resp, struct tenant *t, const char *upn,
                     const struct dobj *self)
{
	const char *at = strchr(upn, '@');

	if (!at || strchr(at + 1, '@') || !upn_local_ok(upn, (size_t)(at - upn)))
		return invalid_value(resp, "userPrincipalName");
	if (strcasecmp(at + 1, t->domain)) {
		resp_error(resp, GERR_REQUEST_BAD_REQUEST, MSG_UPN_DOMAIN);
		return resp_error_detail(resp, "InvalidValue", "userPrincipalName");
	}
	if (model_user_upn_holder(t, upn, self)) {
		resp_error(resp, GERR_REQUEST_BAD_REQUEST, MSG_UPN_CONFLICT);
		return resp_error_detail(resp, "ObjectConflict", "userPrincipalName");
	}
	return 0;
}

/* The body as stored: its DateTimeOffsets in UTC, as Graph reads them back
 * ("2024-05-01T07:30:00Z" for "2024-05-01T09:30:00+02:00"). */
static json_t *stored_copy(const json_t *body)
{
	const struct schema_type *user = schema_type_find("microsoft.graph.user");
	json_t *obj = json_deep_copy(body), *v;
	const char *key;

	if (!obj)
		return NULL;
	json_object_del(obj, "@odata.type");
	json_object_foreach(obj, key, v)
	{
		const struct schema_property *p = schema_property_find(user, key);
		json_t *utc;

		if (!p || p->edm != SCHEMA_EDM_DATE_TIME_OFFSET || !json_is_string(v))
			continue;
		utc = model_date_time_utc(json_string_value(v), json_string_length(v));
		if (utc && json_object_set_new(obj, key, utc)) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

int users_create(struct call *c)
{
	struct tenant *t = c->tenant;
	struct dobj *d;
	json_t *obj;

	if (check_body(c->resp, c->req->body))
		return -1;
	for (size_t i = 0; required[i]; i++) {
		json_t *v = json_object_get(c->req->body, required[i]);
		if (!v || json_is_null(v))
			return missing_value(c->resp, required[i]);
	}
	if (check_upn(
	        c->resp, t,
	        json_string_value(json_object_get(c->req->body, "userPrincipalName")),
	        NULL))
		return -1;
	obj = stored_copy(c->req->body);
	if (!obj || model_user_complete(c->st, t, obj)) {
		json_decref(obj);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	/* Answer first, store last: a failure leaves neither a user nor a 201 behind. */
	if (odata_respond_entity(NULL, c->req, c->resp, 201, &user_entity, obj, NULL)) {
		json_decref(obj);
		return -1;
	}
	d = state_dobj_add(c->st, t, DOBJ_USER, obj);
	if (!d)
		return resp_error(c->resp, GERR_INTERNAL, "Storing the user failed.");
	/* Entra answers writes with its "v2" directory URL (graph-spec §1.3). */
	resp_header(c->resp, "Location",
	            "%s/v2/%s/directoryObjects/%s/Microsoft.DirectoryServices.User",
	            c->req->base_url, t->id, d->id);
	return 0;
}

/* Only these feed the UPN and mail indexes, the display-name order and the
 * tenant's guests. */
static bool touches_index(const json_t *body)
{
	return json_object_get(body, "userPrincipalName") ||
	       json_object_get(body, "mail") || json_object_get(body, "otherMails") ||
	       json_object_get(body, "displayName") || json_object_get(body, "userType");
}

/* signInSessionsValidFromDateTime = now, to the millisecond (refresh tokens compare). */
static int sessions_end_now(struct call *c, json_t *user)
{
	char when[TIME_ISO_LEN];

	time_format(c->req->now_ms, TIME_FRACTION_Z, when);
	return json_object_set_new(user, "signInSessionsValidFromDateTime",
	                           json_string(when));
}

/*
 * POST /users/{id}/revokeSignInSessions (and /me/...): the user's refresh
 * tokens issued before now stop working, as a new password ends them; access
 * tokens live on until they expire, as in Graph. 200 with Graph's boolean.
 */
int users_revoke_sessions(struct call *c)
{
	struct dobj *d = users_resolve(c, req_param(c->req, 0));
	char context[512];
	json_t *copy;

	if (!d)
		return -1;
	copy = json_deep_copy(state_dobj_json(d));
	if (!copy || sessions_end_now(c, copy)) {
		json_decref(copy);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	state_dobj_set_json(d, copy);
	snprintf(context, sizeof(context), "%s/%s/$metadata#Edm.Boolean",
	         c->req->base_url, c->req->version);
	return odata_respond_body(
	    c->req, c->resp, 200,
	    json_pack("{s:s, s:b}", "@odata.context", context, "value", 1));
}

int users_update(struct call *c)
{
	struct dobj *d = users_resolve(c, req_param(c->req, 0));
	const json_t *upn;
	json_t *copy, *changes, *old;

	if (!d || check_body(c->resp, c->req->body))
		return -1;
	upn = json_object_get(c->req->body, "userPrincipalName");
	if (upn && check_upn(c->resp, c->tenant, json_string_value(upn), d))
		return -1;
	/* Build the whole new object first, then swap it in: nothing is half-applied. */
	copy = json_deep_copy(state_dobj_json(d));
	changes = stored_copy(c->req->body);
	if (!copy || !changes || json_object_update(copy, changes)) {
		json_decref(copy);
		json_decref(changes);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	json_decref(changes);
	/* a new password is kept as its hash, and ends the user's sessions:
	 * refresh tokens issued before now stop working (AADSTS50173) */
	if (json_object_get(c->req->body, "passwordProfile") &&
	    (model_user_hash_password(copy) || sessions_end_now(c, copy))) {
		json_decref(copy);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	/* our own reference to the old properties, for the roll-back */
	old = json_incref(state_dobj_json(d));
	state_dobj_set_json(d, copy);
	if (touches_index(c->req->body) && state_dobj_reindex(c->tenant, d)) {
		state_dobj_set_json(d, old); /* releases copy (index keys are copies) */
		state_dobj_reindex(c->tenant, d);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	json_decref(old);
	return resp_empty(c->resp, 204);
}
