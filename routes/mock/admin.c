/*
 * routes/mock/admin.c - the /_mock admin plane for the server itself: health,
 * reset to the fixtures, and tenants (list, create, show, delete). Paths
 * live under /_mock so they never clash with Graph's.
 */
#include <stdio.h>
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../server/core/version.h"
#include "../../state/rewind.h"
#include "../../state/state.h"
#include "../../state/load/tenants.h"

static int admin_health(struct call *c)
{
	return resp_json(
	    c->resp, 200,
	    json_pack("{s:s, s:s, s:I, s:I}", "status", "ok", "version",
	              GRAPHMOCK_VERSION, "uptimeSeconds",
	              (json_int_t)((monotonic_us() - c->st->started_us) / 1000000),
	              "tenantResetsRewound", (json_int_t)atomic_load(&c->st->rewinds)));
}

static int admin_reset(struct call *c)
{
	if (state_reset(c->st))
		return resp_error(c->resp, GERR_INTERNAL,
		                  "Reloading the fixtures failed.");
	return resp_empty(c->resp, 204);
}

static json_t *tenant_json_locked(const struct tenant *t);

/* The tenant as /_mock/tenants shows it; takes @t's lock for the counts. */
static json_t *tenant_json(struct tenant *t)
{
	json_t *o;

	state_tenant_lock(t);
	o = tenant_json_locked(t);
	state_tenant_unlock(t);
	return o;
}

static json_t *tenant_json_locked(const struct tenant *t)
{
	/* "reset": whether a reset rewinds this tenant (state/rewind.h) and how
	 * many changes it would undo, or rebuilds it. */
	return json_pack(
	    "{s:s, s:s, s:s, s:{s:I, s:I, s:I, s:I}, s:{s:s, s:I}}", "id", t->id,
	    "displayName", t->display_name, "domain", t->domain, "objects", "users",
	    (json_int_t)state_dobj_count(t, DOBJ_USER), "groups",
	    (json_int_t)state_dobj_count(t, DOBJ_GROUP), "servicePrincipals",
	    (json_int_t)state_dobj_count(t, DOBJ_SERVICE_PRINCIPAL), "applications",
	    (json_int_t)state_dobj_count(t, DOBJ_APPLICATION), "reset", "by",
	    state_rewind_ready(t) ? "rewind" : "rebuild", "changesRecorded",
	    (json_int_t)state_rewind_notes(t));
}

static int admin_tenants_list(struct call *c)
{
	json_t *list = json_array();

	for (struct tenant *t = c->st->tenants; t; t = t->hh.next)
		json_array_append_new(list, tenant_json(t));
	return resp_json(c->resp, 200, json_pack("{s:o}", "value", list));
}

static int admin_tenant_get(struct call *c)
{
	struct tenant *t = state_tenant_find(c->st, req_param(c->req, 0));

	if (!t)
		return resp_error_code(c->resp, 404, "NotFound",
		                       "Tenant '%s' does not exist.",
		                       req_param(c->req, 0));
	return resp_json(c->resp, 200, tenant_json(t));
}

static int optional_string(const struct req *req, struct resp *resp, const char *key,
                           const char **out)
{
	json_t *v = req->body ? json_object_get(req->body, key) : NULL;

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || !json_string_length(v))
		return resp_error(resp, GERR_BAD_REQUEST,
		                  "'%s' must be a non-empty string.", key);
	*out = json_string_value(v);
	return 0;
}

/* A domain asked for must name one tenant only: 400 when another holds it. */
static bool domain_taken(struct call *c, const char *domain)
{
	struct tenant *t;
	char holder[GUID_STR_LEN + 1] = "";

	if (!domain)
		return false;
	state_registry_read(c->st);
	t = state_tenant_find(c->st, domain);
	if (t)
		memcpy(holder, t->id, sizeof(holder));
	state_registry_unlock(c->st);
	if (!t)
		return false;
	resp_error(c->resp, GERR_BAD_REQUEST,
	           "Domain '%s' is already used by tenant '%s'.", domain, holder);
	return true;
}

static int admin_tenant_create(struct call *c)
{
	const char *display, *domain, *key;
	struct tenant *t;
	json_t *value;

	if (c->req->body)
		json_object_foreach(c->req->body, key, value)
		{
			if (strcmp(key, "displayName") && strcmp(key, "domain"))
				return resp_error(
				    c->resp, GERR_BAD_REQUEST,
				    "Unknown property '%s' (expected displayName, "
				    "domain).",
				    key);
		}
	if (optional_string(c->req, c->resp, "displayName", &display) ||
	    optional_string(c->req, c->resp, "domain", &domain))
		return -1;
	/* Without a domain the copy keeps the fixture's (the conformance runner's
	 * fresh tenants); a domain asked for must name one tenant only, or
	 * X-Graphmock-Tenant: <domain> would pick one of them at random. */
	if (domain_taken(c, domain))
		return -1;
	/* Built with no lock held: requests to other tenants never wait. */
	t = state_tenant_create(c->st, display, domain);
	if (!t)
		return domain_taken(c, domain)
		           ? -1
		           : resp_error(c->resp, GERR_INTERNAL,
		                        "Creating the tenant failed.");
	resp_header(c->resp, "Location", "%s/_mock/tenants/%s", c->req->base_url, t->id);
	resp_json(c->resp, 201, tenant_json(t));
	state_tenant_put(t);
	return 0;
}

static int admin_tenant_reset(struct call *c)
{
	/* New contents built with no lock held, swapped under the tenant's lock. */
	switch (state_tenant_reset_id(c->st, req_param(c->req, 0))) {
	case 0:
		return resp_empty(c->resp, 204);
	case 1:
		return resp_error_code(c->resp, 404, "NotFound",
		                       "Tenant '%s' does not exist.",
		                       req_param(c->req, 0));
	default:
		return resp_error(c->resp, GERR_INTERNAL, "Resetting the tenant failed.");
	}
}

static int admin_tenant_delete(struct call *c)
{
	/* Unlinked under the registry lock, its contents freed after. */
	if (state_tenant_remove_id(c->st, req_param(c->req, 0)))
		return resp_error_code(c->resp, 404, "NotFound",
		                       "Tenant '%s' does not exist.",
		                       req_param(c->req, 0));
	return resp_empty(c->resp, 204);
}

/*
 * The long admin operations (reset, create, tenant reset, delete) take their
 * locks themselves, briefly: requests to other tenants never wait for them.
 */
const struct route admin_routes[] = {
    {"GET", "/_mock/health", admin_health, ROUTE_STATE_NONE, NULL, NULL},
    {"POST", "/_mock/reset", admin_reset, ROUTE_STATE_NONE | ROUTE_BACKGROUND, NULL,
     NULL},
    {"GET", "/_mock/tenants", admin_tenants_list, ROUTE_STATE_SHARED, NULL, NULL},
    {"POST", "/_mock/tenants", admin_tenant_create,
     ROUTE_STATE_NONE | ROUTE_JSON_BODY | ROUTE_OPTIONAL_BODY | ROUTE_BACKGROUND, NULL,
     NULL},
    {"GET", "/_mock/tenants/{id}", admin_tenant_get, ROUTE_STATE_SHARED, NULL, NULL},
    {"POST", "/_mock/tenants/{id}/reset", admin_tenant_reset,
     ROUTE_STATE_NONE | ROUTE_BACKGROUND, NULL, NULL},
    {"DELETE", "/_mock/tenants/{id}", admin_tenant_delete,
     ROUTE_STATE_NONE | ROUTE_BACKGROUND, NULL, NULL},
    {0},
};
