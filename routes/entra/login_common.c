/*
 * routes/entra/login_common.c - Entra's error envelope, tenant segment rules,
 * finding clients and users, and reading client credentials for the mock
 * login endpoints.
 */
#include "login.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../state/state.h"
#include "../../state/util/b64.h"

int login_reply(struct resp *resp, unsigned status, json_t *body)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	int rc;

	json_decref(body);
	if (!text)
		return -1;
	rc = resp_raw(resp, status, LOGIN_CONTENT_TYPE, text, strlen(text));
	free(text);
	return rc;
}

void login_no_store(struct resp *resp)
{
	resp_header(resp, "Cache-Control", "no-store, no-cache");
	resp_header(resp, "Pragma", "no-cache");
	resp_header(resp, "Expires", "-1");
}

/* Entra writes "2023-06-02 21:00:26Z" */
static void entra_time(const struct req *req, char when[TIME_ISO_LEN])
{
	char *t;

	time_format(req->now_ms, TIME_SECONDS_Z, when);
	t = strchr(when, 'T');
	if (t)
		*t = ' ';
}

void login_description(const struct req *req, unsigned code, const char *msg, char *out,
                       size_t len)
{
	char when[TIME_ISO_LEN];

	entra_time(req, when);
	snprintf(out, len,
	         "AADSTS%u: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
	         code, msg, req->request_id, req->client_request_id, when);
}

static int verror(struct resp *resp, const struct req *req, unsigned status,
                  const char *error, const char *suberror, unsigned code, const char *fmt,
                  va_list ap)
{
	char msg[1400], when[TIME_ISO_LEN], desc[1800], uri[96];
	json_t *body;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	entra_time(req, when);
	login_description(req, code, msg, desc, sizeof(desc));
	snprintf(uri, sizeof(uri), "https://login.microsoftonline.com/error?code=%u",
	         code);
	body = json_pack("{s:s, s:s, s:[I], s:s, s:s, s:s, s:s}", "error", error,
	                 "error_description", desc, "error_codes", (json_int_t)code,
	                 "timestamp", when, "trace_id", req->request_id, "correlation_id",
	                 req->client_request_id, "error_uri", uri);
	if (body && suberror)
		json_object_set_new(body, "suberror", json_string(suberror));
	login_reply(resp, status, body);
	login_no_store(resp);
	return -1;
}

int login_error(struct resp *resp, const struct req *req, unsigned status,
                const char *error, unsigned code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(resp, req, status, error, NULL, code, fmt, ap);
	va_end(ap);
	return -1;
}

int login_error_sub(struct resp *resp, const struct req *req, unsigned status,
                    const char *error, const char *suberror, unsigned code,
                    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(resp, req, status, error, suberror, code, fmt, ap);
	va_end(ap);
	return -1;
}

int login_invalid_tenant(struct resp *resp, const struct req *req, const char *segment)
{
	return login_error(
	    resp, req, 400, "invalid_tenant", 90002,
	    "Tenant '%s' not found. Check to make sure you have the correct tenant ID "
	    "and "
	    "are signing into the correct cloud. Check with your subscription "
	    "administrator, this may happen if there are no active subscriptions for the "
	    "tenant.",
	    segment);
}

int login_missing(struct resp *resp, const struct req *req, const char *name)
{
	return login_error(resp, req, 400, "invalid_request", 900144,
	                   "The request body must contain the following parameter: '%s'.",
	                   name);
}

int login_unknown_client(struct resp *resp, const struct req *req, const struct tenant *t,
                         const char *app_id)
{
	return login_error(
	    resp, req, 400, "unauthorized_client", 700016,
	    "Application with identifier '%s' was not found in the directory '%s'. This "
	    "can happen if the application has not been installed by the administrator "
	    "of the tenant or consented to by any user in the tenant. You may have sent "
	    "your authentication request to the wrong tenant.",
	    app_id, t->display_name ? t->display_name : t->id);
}

bool login_is_alias(const char *segment)
{
	static const char *const aliases[] = {"common", "organizations", "consumers",
	                                      "adfs"};

	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcasecmp(segment, aliases[i]))
			return true;
	return false;
}

static struct dobj *find_kind(struct tenant *t, const char *app_id, enum dobj_kind kind)
{
	size_t n = 0;
	struct dobj *const *hits =
	    app_id ? state_dobj_lookup(t, IDX_APPID, app_id, &n) : NULL;

	for (size_t i = 0; i < n; i++)
		if (hits[i]->kind == kind)
			return hits[i];
	return NULL;
}

struct dobj *login_find_sp(struct tenant *t, const char *app_id)
{
	return find_kind(t, app_id, DOBJ_SERVICE_PRINCIPAL);
}

struct dobj *login_find_app(struct tenant *t, const char *app_id)
{
	return find_kind(t, app_id, DOBJ_APPLICATION);
}

struct dobj *login_find_user(struct tenant *t, const char *name)
{
	size_t n = 0;
	struct dobj *const *hits;

	if (!name || !*name)
		return NULL;
	hits = state_dobj_lookup(t, IDX_UPN, name, &n);
	for (size_t i = 0; i < n; i++)
		if (hits[i]->kind == DOBJ_USER)
			return hits[i];
	hits = state_dobj_lookup(t, IDX_MAIL, name, &n);
	for (size_t i = 0; i < n; i++)
		if (hits[i]->kind == DOBJ_USER && login_is_guest(hits[i]))
			return hits[i];
	return NULL;
}

bool login_is_guest(const struct dobj *user)
{
	const char *type =
	    json_string_value(json_object_get(state_dobj_json(user), "userType"));

	return type && !strcasecmp(type, "Guest");
}

struct tenant *login_tenant(struct state *st, const char *segment, const char *app_id)
{
	struct tenant *t;

	if (!login_is_alias(segment))
		return state_tenant_find(st, segment);
	for (t = app_id ? st->tenants : NULL; t; t = t->hh.next) {
		bool found;

		state_tenant_lock(t); /* one tenant at a time */
		found = login_find_sp(t, app_id) != NULL;
		state_tenant_unlock(t);
		if (found)
			return t;
	}
	return state_tenant_default(st);
}

struct tenant *login_user_tenant(struct state *st, const char *segment, const char *name)
{
	struct tenant *t;

	if (!login_is_alias(segment))
		return state_tenant_find(st, segment);
	for (t = st->tenants; t; t = t->hh.next) {
		bool found;

		state_tenant_lock(t); /* one tenant at a time */
		found = login_find_user(t, name) != NULL;
		state_tenant_unlock(t);
		if (found)
			return t;
	}
	return NULL;
}

json_t *login_jwt_part(const char *token, int index)
{
	const char *p = token, *end;
	unsigned char *raw;
	size_t n;
	json_t *v;

	for (int i = 0; p && i < index; i++) {
		p = strchr(p, '.');
		p = p ? p + 1 : NULL;
	}
	if (!p)
		return NULL;
	end = strchr(p, '.');
	if (!end)
		return NULL;
	raw = b64_decode(p, (size_t)(end - p), &n);
	if (!raw)
		return NULL;
	v = json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES, NULL);
	free(raw);
	if (v && !json_is_object(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* client_secret_basic: "Basic b64(urlencode(id):urlencode(secret))" (RFC 6749 §2.3.1). */
static void cred_from_basic(struct client_cred *c, const char *h)
{
	size_t n;
	unsigned char *raw;
	char *colon;

	if (!h || strncasecmp(h, "Basic ", 6))
		return;
	raw = b64_decode(h + 6, strlen(h + 6), &n);
	colon = raw ? strchr((char *)raw, ':') : NULL;
	if (colon) {
		c->id = form_decode((char *)raw, (size_t)(colon - (char *)raw));
		c->secret = form_decode(colon + 1, strlen(colon + 1));
	}
	free(raw);
}

int login_cred_read(struct client_cred *c, const struct req *req, const struct form *f)
{
	const char *id = form_get(f, "client_id");
	const char *secret = form_get(f, "client_secret");
	const char *assertion = form_get(f, "client_assertion");

	memset(c, 0, sizeof(*c));
	cred_from_basic(c, req_header(req, "authorization"));
	if (id && *id && !c->id)
		c->id = strdup(id);
	if (secret && *secret && !c->secret)
		c->secret = strdup(secret);
	if (assertion && *assertion) {
		c->assertion = assertion;
		c->assertion_type = form_get(f, "client_assertion_type");
	}
	/* with an assertion, client_id is optional: the assertion's iss names it */
	if (!c->id && c->assertion) {
		json_t *claims = login_jwt_part(c->assertion, 1);
		const char *iss = json_string_value(json_object_get(claims, "iss"));
		if (iss)
			c->id = strdup(iss);
		json_decref(claims);
	}
	if ((id && *id && !c->id) || (secret && *secret && !c->secret))
		return -1;
	return 0;
}

void login_cred_release(struct client_cred *c)
{
	free(c->id);
	free(c->secret);
	memset(c, 0, sizeof(*c));
}

bool login_cred_presented(const struct client_cred *c)
{
	return c->secret || c->assertion;
}
