/*
 * routes/graph/apps_common.c - what the enterprise-app routes share: finding the
 * object a path names (ids, userPrincipalNames, the appId alternate key),
 * checking request bodies property by property, and appRole rules.
 */
#include "apps.h"

#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "owners.h"

#define GMSG_INVALID_ID "Invalid object identifier '%s'."

/* The first visible object of @kind with appId @app_id, honouring lag reads. */
static struct dobj *find_by_app_id(struct state *st, struct tenant *t,
                                   enum dobj_kind kind, const char *app_id)
{
	size_t n;
	struct dobj *const *objs = state_dobj_lookup(t, IDX_APPID, app_id, &n);

	for (size_t i = 0; i < n; i++)
		if (objs[i]->kind == kind)
			return state_dobj_find(st, t, (int)kind, objs[i]->id);
	return NULL;
}

struct dobj *apps_path_object(struct call *c, enum dobj_kind kind, size_t param)
{
	const char *key = req_param(c->req, param);
	struct dobj *d;

	if (c->req->param_alt_key[param]) {
		d = find_by_app_id(c->st, c->tenant, kind, key);
		if (!d)
			resp_not_found(c->resp, key);
		return d;
	}
	if (!guid_valid(key)) {
		resp_error(c->resp, GERR_REQUEST_BAD_REQUEST, GMSG_INVALID_ID, key);
		return NULL;
	}
	d = state_dobj_find(c->st, c->tenant, (int)kind, key);
	if (!d)
		resp_not_found(c->resp, key);
	return d;
}

struct dobj *apps_path_principal(struct call *c, enum dobj_kind kind)
{
	const char *key = req_param(c->req, 0);
	struct dobj *d = NULL;
	size_t n;

	if (kind != DOBJ_USER || guid_valid(key))
		return apps_path_object(c, kind, 0);
	/* /users/{id | userPrincipalName} */
	struct dobj *const *objs = state_dobj_lookup(c->tenant, IDX_UPN, key, &n);
	if (n)
		d = state_dobj_find(c->st, c->tenant, DOBJ_USER, objs[0]->id);
	if (!d)
		resp_not_found(c->resp, key);
	return d;
}

static bool is_string_array(const json_t *v)
{
	size_t i;
	json_t *s;

	if (!json_is_array(v))
		return false;
	json_array_foreach(v, i, s) if (!json_is_string(s)) return false;
	return true;
}

static bool is_object_array(const json_t *v)
{
	size_t i;
	json_t *o;

	if (!json_is_array(v))
		return false;
	json_array_foreach(v, i, o) if (!json_is_object(o)) return false;
	return true;
}

static bool value_fits(enum apps_prop_type type, const json_t *v)
{
	switch (type) {
	case AP_STRING:
		return json_is_string(v) && json_string_length(v) > 0;
	case AP_NSTRING:
		return json_is_string(v) || json_is_null(v);
	case AP_BOOL:
		return json_is_boolean(v);
	case AP_STRINGS:
		return is_string_array(v);
	case AP_OBJECT:
		return json_is_object(v) || json_is_null(v);
	case AP_OBJECTS:
	case AP_APP_ROLES:
		return is_object_array(v);
	case AP_GUID:
		return guid_valid(json_string_value(v));
	case AP_READONLY:
		break;
	}
	return false;
}

int apps_body_check(const json_t *body, const struct apps_prop *props,
                    const char *type_name, struct resp *resp)
{
	return apps_create_body_check(body, props, type_name, NULL, resp);
}

int apps_create_body_check(const json_t *body, const struct apps_prop *props,
                           const char *type_name, struct owner_binds *binds,
                           struct resp *resp)
{
	const char *key;
	json_t *v;

	if (binds)
		binds->n = 0;
	json_object_foreach((json_t *)body, key, v)
	{
		const struct apps_prop *p = props;

		if (!strncmp(key, "@odata.", 7))
			continue;
		if (binds && !strcmp(key, "owners@odata.bind")) {
			if (odata_ref_bind(v, key, odata_ref_directory_sets, binds->ids,
			                   ODATA_BIND_MAX, &binds->n, resp))
				return -1;
			continue;
		}
		while (p->name && strcmp(p->name, key))
			p++;
		if (!p->name)
			return resp_error(
			    resp, GERR_BAD_REQUEST,
			    "The property '%s' does not exist on type "
			    "'microsoft.graph.%s'. Make sure to only use property "
			    "names that are defined by the type or mark the type as "
			    "open type.",
			    key, type_name);
		if (p->type == AP_READONLY)
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
			                  "Property '%s' is read-only and cannot be set.",
			                  key);
		if (!value_fits(p->type, v))
			return resp_error(
			    resp, GERR_REQUEST_BAD_REQUEST,
			    "Invalid value specified for property '%s' of resource "
			    "'%c%s'.",
			    key, type_name[0] - ('a' - 'A'), type_name + 1);
		if (p->type == AP_APP_ROLES && apps_app_roles_check(v, resp))
			return -1;
	}
	return 0;
}

int apps_apply(json_t *obj, const json_t *body)
{
	const char *key;
	json_t *v;
	int rc = 0;

	json_object_foreach((json_t *)body, key, v)
	{
		/* annotations, and "owners@odata.bind" (owners.h keeps those) */
		if (!strstr(key, "@odata."))
			rc |= json_object_set_new(obj, key, json_deep_copy(v));
	}
	return rc ? -1 : 0;
}

static int role_invalid(struct resp *resp, size_t i, const char *what)
{
	return resp_error(
	    resp, GERR_REQUEST_BAD_REQUEST,
	    "Invalid value specified for property 'appRoles[%zu].%s' of resource "
	    "'AppRole'.",
	    i, what);
}

static int duplicate_value(struct resp *resp)
{
	static const char msg[] = "Request contains a property with duplicate values.";
	json_t *err;

	resp_error_code(resp, 400, "DuplicateValue", msg);
	err = json_object_get(resp->body, "error");
	json_object_set_new(err, "details",
	                    json_pack("[{s:s, s:s, s:s}]", "code", "DuplicateValue",
	                              "message", msg, "target", "appRoles"));
	return -1;
}

static int role_check(const json_t *r, size_t i, struct resp *resp)
{
	const json_t *types = json_object_get(r, "allowedMemberTypes");
	const json_t *value = json_object_get(r, "value");
	const json_t *en = json_object_get(r, "isEnabled");
	size_t k;
	json_t *t;

	if (!guid_valid(json_string_value(json_object_get(r, "id"))))
		return role_invalid(resp, i, "id");
	if (!is_string_array(types) || !json_array_size(types))
		return role_invalid(resp, i, "allowedMemberTypes");
	json_array_foreach(types, k, t)
	{
		if (strcmp(json_string_value(t), "User") &&
		    strcmp(json_string_value(t), "Application"))
			return role_invalid(resp, i, "allowedMemberTypes");
	}
	if (value && !json_is_null(value) &&
	    (!json_is_string(value) || json_string_length(value) > 120 ||
	     strchr(json_string_value(value), ' ')))
		return role_invalid(resp, i, "value");
	if (en && !json_is_boolean(en))
		return role_invalid(resp, i, "isEnabled");
	if (!value_fits(AP_NSTRING, json_object_get(r, "displayName")) &&
	    json_object_get(r, "displayName"))
		return role_invalid(resp, i, "displayName");
	if (!value_fits(AP_NSTRING, json_object_get(r, "description")) &&
	    json_object_get(r, "description"))
		return role_invalid(resp, i, "description");
	return 0;
}

int apps_app_roles_check(const json_t *roles, struct resp *resp)
{
	size_t i, j;
	json_t *r, *o;

	if (!is_object_array(roles))
		return resp_error(
		    resp, GERR_REQUEST_BAD_REQUEST,
		    "Invalid value specified for property 'appRoles' of resource "
		    "'Application'.");
	json_array_foreach(roles, i, r)
	{
		if (role_check(r, i, resp))
			return -1;
		const char *id = json_string_value(json_object_get(r, "id"));
		const char *val = json_string_value(json_object_get(r, "value"));
		for (j = 0; j < i; j++) {
			o = json_array_get(roles, j);
			if (!strcasecmp(id, json_string_value(json_object_get(o, "id"))))
				return duplicate_value(resp);
			const char *oval = json_string_value(json_object_get(o, "value"));
			if (val && oval && !strcmp(val, oval))
				return duplicate_value(resp);
		}
	}
	return 0;
}

static const json_t *role_by_id(const json_t *roles, const char *id)
{
	size_t i;
	json_t *r;

	json_array_foreach(roles, i, r)
	{
		const char *rid = json_string_value(json_object_get(r, "id"));
		if (rid && !strcasecmp(rid, id))
			return r;
	}
	return NULL;
}

static bool role_enabled(const json_t *r)
{
	const json_t *en = json_object_get(r, "isEnabled");

	return !en || json_is_true(en);
}

int apps_app_roles_removable(const json_t *old, const json_t *new_roles,
                             struct resp *resp)
{
	size_t i;
	json_t *r;

	json_array_foreach(old, i, r)
	{
		const json_t *n;

		if (!role_enabled(r))
			continue;
		n = role_by_id(new_roles, json_string_value(json_object_get(r, "id")));
		/* Disabling is the allowed first step; dropping or renaming is not. */
		if (n && (!role_enabled(n) || json_equal(json_object_get(r, "value"),
		                                         json_object_get(n, "value"))))
			continue;
		return resp_error_code(
		    resp, 400, "CannotDeleteOrUpdateEnabledEntitlement",
		    "Permission (scope or role) cannot be deleted or updated "
		    "unless disabled first.");
	}
	return 0;
}

json_t *apps_app_roles_normalize(const json_t *roles, const char *origin,
                                 const json_t *keep_origin_from)
{
	json_t *out = json_array();
	size_t i;
	json_t *r;

	if (!out)
		return NULL;
	json_array_foreach(roles, i, r)
	{
		char id[GUID_STR_LEN + 1];
		const json_t *prev;
		json_t *v;

		guid_lower(json_string_value(json_object_get(r, "id")), id);
		prev = keep_origin_from ? role_by_id(keep_origin_from, id) : NULL;
		v = json_object_get(prev, "origin");
		json_t *org = json_is_string(v) ? json_incref(v) : json_string(origin);
		v = json_pack(
		    "{s:O, s:O, s:O, s:s, s:b, s:o, s:O}", "allowedMemberTypes",
		    json_object_get(r, "allowedMemberTypes"), "description",
		    json_object_get(r, "description") ? json_object_get(r, "description")
		                                      : json_null(),
		    "displayName",
		    json_object_get(r, "displayName") ? json_object_get(r, "displayName")
		                                      : json_null(),
		    "id", id, "isEnabled", role_enabled(r), "origin", org, "value",
		    json_object_get(r, "value") ? json_object_get(r, "value")
		                                : json_null());
		if (json_array_append_new(out, v)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}
