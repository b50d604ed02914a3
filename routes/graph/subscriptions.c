/*
 * routes/graph/subscriptions.c - change-notification subscriptions
 * (subscription-post-subscriptions, -get, -list, -update, -delete,
 * -reauthorize) for users, groups and group members. Creating one first
 * validates the webhook (the server's handshake, call.h webhooks_validate);
 * delivery is the server's (server/notify/). docs/change-tracking.md has
 * the choices where Microsoft's pages are silent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/subscription.h"
#include "permissions.h"

#define MINUTE_MS ((int64_t)60 * 1000)

/* What a POST or PATCH body asks for, checked. Strings are borrowed from it. */
struct sub_params {
	const char *change_type, *resource, *url, *life_url, *client_state, *tls;
	struct sub_target target;
	unsigned changes;
	int64_t expires_ms;
	bool has_expiry;
};

static const char *const writable[] = {
    "changeType",
    "notificationUrl",
    "resource",
    "expirationDateTime",
    "clientState",
    "lifecycleNotificationUrl",
    "latestSupportedTlsVersion",
    "includeResourceData",
    "encryptionCertificate",
    "encryptionCertificateId",
    "notificationQueryOptions",
    "notificationUrlAppId",
    "notificationContentType",
    "@odata.type",
    NULL,
};

static int invalid(struct call *c, const char *fmt, const char *what)
{
	return resp_error_code(c->resp, 400, "InvalidRequest", fmt, what);
}

/* http(s)://host... : Graph wants https; graphmock also takes http (tests). */
static bool url_ok(const char *u)
{
	const char *host;

	if (!u || strlen(u) >= 2000)
		return false;
	if (!strncasecmp(u, "https://", 8))
		host = u + 8;
	else if (!strncasecmp(u, "http://", 7))
		host = u + 7;
	else
		return false;
	if (!*host || *host == '/' || *host == ':' || *host == '?')
		return false;
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '\\')
			return false;
	return true;
}

/* "…Z" or "…+00:00", with or without a fraction. 0 or -1. */
static int parse_when(const char *s, int64_t *ms)
{
	char buf[64];
	size_t len;

	if (!s || (len = strlen(s)) >= sizeof(buf) - 1)
		return -1;
	memcpy(buf, s, len + 1);
	if (len > 6 && !strcmp(buf + len - 6, "+00:00"))
		snprintf(buf + len - 6, 7, "Z");
	return time_parse_iso(buf, ms);
}

static const char *str(const json_t *body, const char *key)
{
	return json_string_value(json_object_get(body, key));
}

static int check_keys(struct call *c, const json_t *body)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)body, key, v)
	{
		size_t i = 0;
		while (writable[i] && strcmp(writable[i], key))
			i++;
		if (!writable[i])
			return resp_error(c->resp, GERR_BAD_REQUEST,
			                  "Property '%s' does not exist on type "
			                  "'microsoft.graph.subscription'.",
			                  key);
		if (strcmp(key, "includeResourceData") && !json_is_string(v) &&
		    !json_is_null(v))
			return invalid(c, "Invalid '%s' attribute.", key);
	}
	return 0;
}

/* The expiry asked for: at most Graph's maximum, at least 45 minutes away. */
static int check_expiry(struct call *c, const char *when, struct sub_params *p)
{
	int64_t now = state_now_ms(c->st);

	if (parse_when(when, &p->expires_ms))
		return invalid(c, "Invalid 'expirationDateTime' attribute: '%s'.", when);
	if (p->expires_ms > now + SUBSCRIPTION_MAX_MINUTES * MINUTE_MS)
		return resp_error_code(
		    c->resp, 400, "ExtensionError",
		    "Subscription expiration can only be %d minutes in "
		    "the future.",
		    SUBSCRIPTION_MAX_MINUTES);
	if (p->expires_ms < now + SUBSCRIPTION_MIN_MINUTES * MINUTE_MS)
		p->expires_ms = now + SUBSCRIPTION_MIN_MINUTES * MINUTE_MS;
	p->has_expiry = true;
	return 0;
}

static int parse_create(struct call *c, struct sub_params *p)
{
	static const char *const required[] = {"changeType", "notificationUrl",
	                                       "resource", "expirationDateTime", NULL};
	const json_t *body = c->req->body;
	const json_t *rich = json_object_get(body, "includeResourceData");

	memset(p, 0, sizeof(*p));
	if (check_keys(c, body))
		return -1;
	for (size_t i = 0; required[i]; i++)
		if (!str(body, required[i]))
			return invalid(c, "The '%s' property is required.", required[i]);
	p->change_type = str(body, "changeType");
	p->resource = str(body, "resource");
	p->url = str(body, "notificationUrl");
	p->life_url = str(body, "lifecycleNotificationUrl");
	p->client_state = str(body, "clientState");
	p->tls = str(body, "latestSupportedTlsVersion");
	p->changes = state_subscription_changes(p->change_type);
	if (!p->changes)
		return invalid(c, "Invalid 'changeType' attribute: '%s'.",
		               p->change_type);
	if (state_subscription_target(p->resource, &p->target))
		return invalid(c, "Invalid 'resource' attribute: '%s'.", p->resource);
	/* users and groups: "updated" and "deleted" only */
	if (p->changes & SUB_CREATED)
		return invalid(c, "Invalid 'changeType' attribute: '%s'.", "created");
	if (!url_ok(p->url))
		return invalid(c, "Invalid notification url='%s'.", p->url);
	if (p->life_url && !url_ok(p->life_url))
		return invalid(c, "Invalid lifecycle notification url='%s'.",
		               p->life_url);
	if (p->client_state && strlen(p->client_state) > 128)
		return invalid(c, "Invalid '%s' attribute: at most 128 characters.",
		               "clientState");
	if (p->tls && strcmp(p->tls, "v1_0") && strcmp(p->tls, "v1_1") &&
	    strcmp(p->tls, "v1_2") && strcmp(p->tls, "v1_3"))
		return invalid(c, "Invalid 'latestSupportedTlsVersion' attribute: '%s'.",
		               p->tls);
	if (json_is_true(rich))
		return invalid(
		    c,
		    "Rich notifications (includeResourceData) are not supported "
		    "for resource '%s'.",
		    p->resource);
	return check_expiry(c, str(body, "expirationDateTime"), p);
}

/* The calling app and principal, from the token (null without one). */
static const char *claim(const struct call *c, const char *a, const char *b)
{
	const char *v = json_string_value(json_object_get(c->req->claims, a));

	return v ? v : json_string_value(json_object_get(c->req->claims, b));
}

static struct subscription *duplicate_of(struct call *c, const struct sub_params *p)
{
	const char *app = claim(c, "appid", "azp");

	for (struct subscription *s = c->tenant->subscriptions; s; s = s->hh.next) {
		const char *sapp = str(s->obj, "applicationId");
		if (state_now_ms(c->st) < s->expires_ms && s->changes == p->changes &&
		    !memcmp(&s->target, &p->target, sizeof(p->target)) &&
		    ((!app && !sapp) || (app && sapp && !strcasecmp(app, sapp))))
			return s;
	}
	return NULL;
}

/* The resource as Graph renders it; @with_secret adds clientState. New or NULL. */
static json_t *render(const struct call *c, const struct subscription *s,
                      bool with_secret, bool context)
{
	static const char *const order[] = {
	    "id",
	    "resource",
	    "applicationId",
	    "changeType",
	    "clientState",
	    "notificationUrl",
	    "notificationQueryOptions",
	    "lifecycleNotificationUrl",
	    "expirationDateTime",
	    "creatorId",
	    "includeResourceData",
	    "latestSupportedTlsVersion",
	    "encryptionCertificate",
	    "encryptionCertificateId",
	    "notificationUrlAppId",
	    NULL, /* notificationContentType is beta's: stored, not in v1.0 answers */
	};
	json_t *out = json_object();

	if (out && context) {
		char ctx[512];
		snprintf(ctx, sizeof(ctx), "%s/%s/$metadata#subscriptions/$entity",
		         c->req->base_url, c->req->version);
		json_object_set_new(out, "@odata.context", json_string(ctx));
	}
	for (size_t i = 0; out && order[i]; i++) {
		json_t *v = json_object_get(s->obj, order[i]);
		if (!strcmp(order[i], "clientState") && !with_secret)
			v = NULL;
		json_object_set(out, order[i], v ? v : json_null());
	}
	return out;
}

static json_t *new_obj(struct call *c, const struct sub_params *p)
{
	char id[GUID_STR_LEN + 1], when[TIME_ISO_LEN];

	state_new_id(c->st, id);
	time_format(p->expires_ms, TIME_FRACTION_Z, when);
	return json_pack(
	    "{s:s, s:s, s:s?, s:s, s:s?, s:s, s:n, s:s?, s:s, s:s?, s:b, s:s, "
	    "s:n, s:n, s:n, s:s}",
	    "id", id, "resource", p->resource, "applicationId", claim(c, "appid", "azp"),
	    "changeType", p->change_type, "clientState", p->client_state,
	    "notificationUrl", p->url, "notificationQueryOptions",
	    "lifecycleNotificationUrl", p->life_url, "expirationDateTime", when,
	    "creatorId", claim(c, "oid", "sub"), "includeResourceData", 0,
	    "latestSupportedTlsVersion", p->tls ? p->tls : "v1_2",
	    "encryptionCertificate", "encryptionCertificateId", "notificationUrlAppId",
	    "notificationContentType", "application/json; charset=utf-8");
}

/* A failed handshake as Graph words it (change-notifications-delivery-webhooks). */
static int validation_failed(struct call *c, const struct webhook_check *w)
{
	if (w->timed_out)
		return invalid(c, "%s", "Subscription validation request timed out.");
	if (w->status == 200)
		return invalid(c, "%s",
		               "Subscription validation request failed. Response must "
		               "exactly match validationToken query parameter.");
	return invalid(c, "%s",
	               "Subscription validation request failed. Notification endpoint "
	               "must respond with 200 OK to validation request.");
}

/* After the handshake: the locks are held again, so check afresh and store. */
static int create_validated(struct call *c)
{
	struct sub_params p;
	struct subscription *s;

	for (size_t i = 0; i < c->nchecks; i++)
		if (!c->checks[i].echoed)
			return validation_failed(c, &c->checks[i]);
	if (parse_create(c, &p))
		return -1;
	s = duplicate_of(c, &p);
	if (s)
		return resp_error_code(
		    c->resp, 409, "Conflict",
		    "Subscription Id %s already exists for the requested "
		    "combination",
		    s->id);
	s = state_subscription_add(c->st, c->tenant, new_obj(c, &p));
	if (!s)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_odata(c->resp, 201, render(c, s, true, true));
}

static void check_fill(struct webhook_check *w, const struct call *c, const char *url)
{
	snprintf(w->tenant_id, sizeof(w->tenant_id), "%s", c->tenant->id);
	snprintf(w->url, sizeof(w->url), "%s", url);
	snprintf(w->token, sizeof(w->token),
	         "Validation: Testing client application reachability for subscription "
	         "Request-Id: %s",
	         c->req->request_id);
}

static int subs_create(struct call *c)
{
	struct sub_params p;
	struct subscription *dup;
	struct webhook_check *checks;
	size_t n = 0;

	if (parse_create(c, &p))
		return -1;
	dup = duplicate_of(c, &p);
	if (dup)
		return resp_error_code(
		    c->resp, 409, "Conflict",
		    "Subscription Id %s already exists for the requested "
		    "combination",
		    dup->id);
	if (!c->svc || !c->svc->webhooks_validate)
		return resp_error(c->resp, GERR_INTERNAL,
		                  "Webhook validation is unavailable.");
	checks = calloc(2, sizeof(*checks));
	if (!checks)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	/* Graph validates the lifecycle URL too, when there is one. */
	check_fill(&checks[n++], c, p.url);
	if (p.life_url && strcmp(p.life_url, p.url))
		check_fill(&checks[n++], c, p.life_url);
	return c->svc->webhooks_validate(c->svc->ctx, c, checks, n, create_validated);
}

static struct subscription *find_or_reply(struct call *c)
{
	struct subscription *s =
	    state_subscription_find(c->st, c->tenant, req_param(c->req, 0));

	if (!s)
		resp_error_code(c->resp, 404, "ResourceNotFound",
		                "The object was not found.");
	return s;
}

static int subs_get(struct call *c)
{
	struct subscription *s = find_or_reply(c);

	return s ? resp_odata(c->resp, 200, render(c, s, true, true)) : -1;
}

/* This app's subscriptions ("for any user" app-only), clientState hidden. */
static int subs_list(struct call *c)
{
	const char *app = claim(c, "appid", "azp");
	char ctx[512];
	json_t *value = json_array();

	for (struct subscription *s = c->tenant->subscriptions; value && s;
	     s = s->hh.next) {
		const char *sapp = str(s->obj, "applicationId");
		if (state_now_ms(c->st) >= s->expires_ms ||
		    (app && (!sapp || strcasecmp(app, sapp))))
			continue;
		json_array_append_new(value, render(c, s, false, false));
	}
	snprintf(ctx, sizeof(ctx), "%s/%s/$metadata#subscriptions", c->req->base_url,
	         c->req->version);
	return resp_odata(c->resp, 200,
	                  json_pack("{s:s, s:o}", "@odata.context", ctx, "value", value));
}

/* Renewal: expirationDateTime (and notificationUrl); lifecycle URL only at creation. */
static int subs_update(struct call *c)
{
	struct subscription *s = find_or_reply(c);
	const json_t *body = c->req->body;
	const char *key;
	const char *url = str(body, "notificationUrl");
	struct sub_params p;
	json_t *v;

	if (!s || check_keys(c, body))
		return -1;
	memset(&p, 0, sizeof(p));
	json_object_foreach((json_t *)body, key, v)
	{
		if (strcmp(key, "expirationDateTime") && strcmp(key, "notificationUrl") &&
		    strcmp(key, "@odata.type"))
			return invalid(
			    c,
			    "Updating '%s' is not supported; only "
			    "expirationDateTime and notificationUrl can change.",
			    key);
	}
	if (json_object_get(body, "expirationDateTime") &&
	    check_expiry(c, str(body, "expirationDateTime"), &p))
		return -1;
	if (json_object_get(body, "notificationUrl") && !url_ok(url))
		return invalid(c, "Invalid notification url='%s'.", url ? url : "");
	if ((p.has_expiry && state_subscription_set_expiry(s, p.expires_ms)) ||
	    (url && json_object_set_new(s->obj, "notificationUrl", json_string(url))))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_odata(c->resp, 200, render(c, s, true, true));
}

static int subs_delete(struct call *c)
{
	struct subscription *s = find_or_reply(c);

	if (!s)
		return -1;
	state_subscription_remove(c->tenant, s);
	return resp_empty(c->resp, 204);
}

/* Reauthorizing asks nothing of graphmock: the subscription keeps running. */
static int subs_reauthorize(struct call *c)
{
	struct subscription *s = find_or_reply(c);

	if (!s)
		return -1;
	s->reauth_sent = false;
	return resp_empty(c->resp, 204);
}

const struct route subscriptions_routes[] = {
    {"GET", "/subscriptions", subs_list, 0, NULL, &PERMS_SUBSCRIPTION},
    {"POST", "/subscriptions", subs_create, ROUTE_JSON_BODY, NULL, &PERMS_SUBSCRIPTION},
    {"GET", "/subscriptions/{id}", subs_get, 0, NULL, &PERMS_SUBSCRIPTION},
    {"PATCH", "/subscriptions/{id}", subs_update, ROUTE_JSON_BODY, NULL,
     &PERMS_SUBSCRIPTION},
    {"DELETE", "/subscriptions/{id}", subs_delete, 0, NULL, &PERMS_SUBSCRIPTION},
    {"POST", "/subscriptions/{id}/reauthorize", subs_reauthorize, 0, NULL,
     &PERMS_SUBSCRIPTION},
    {0},
};
