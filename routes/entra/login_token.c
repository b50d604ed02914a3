/*
 * routes/entra/login_token.c - the mock Entra ID token endpoint: client
 * credentials (client_secret_post, client_secret_basic, client_assertion),
 * Entra's AADSTS errors (graph-spec §10.4), and an RS256 access token with
 * the claims of an app-only Graph token (§10.1) on the mock clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../state/util/b64.h"
#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/form.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/state.h"
#include "login.h"

#define TOKEN_LIFETIME_S 3599

/* The client's credentials, from the form or an HTTP Basic header (owned). */
struct client_cred {
	char *id;
	char *secret;
	bool assertion;
};

static void cred_release(struct client_cred *c)
{
	free(c->id);
	free(c->secret);
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

static void cred_from_form(struct client_cred *c, const struct form *f)
{
	const char *id = form_get(f, "client_id");
	const char *secret = form_get(f, "client_secret");

	if (id && *id && !c->id)
		c->id = strdup(id);
	if (secret && *secret && !c->secret)
		c->secret = strdup(secret);
	c->assertion =
	    form_get(f, "client_assertion") && *form_get(f, "client_assertion");
}

static int missing_parameter(struct resp *resp, const struct req *req, const char *name)
{
	return login_error(resp, req, 400, "invalid_request", 900144,
	                   "The request body must contain the following parameter: '%s'.",
	                   name);
}

/*
 * The audience a scope (v2) or resource (v1) asks for: the first scope
 * ending in "/.default" without that suffix ("https://localhost:8443//.default"
 * gives "https://localhost:8443/"); Graph's URI or app id gives Graph's URI.
 */
static void audience(const char *scope, char *out, size_t len)
{
	const char *p = scope;

	snprintf(out, len, "%s", GRAPH_RESOURCE);
	while (p && *p) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		if (n > 9 && !strncmp(p + n - 9, "/.default", 9)) {
			snprintf(out, len, "%.*s", (int)(n - 9), p);
			break;
		}
		p = sp ? sp + 1 : NULL;
	}
	if (!strcasecmp(out, GRAPH_RESOURCE "/") || !strcasecmp(out, GRAPH_APP_ID))
		snprintf(out, len, "%s", GRAPH_RESOURCE);
}

static struct dobj *find_sp(struct tenant *t, const char *app_id)
{
	size_t n = 0;
	struct dobj *const *hits = state_dobj_lookup(t, IDX_APPID, app_id, &n);

	for (size_t i = 0; i < n; i++)
		if (hits[i]->kind == DOBJ_SERVICE_PRINCIPAL)
			return hits[i];
	return NULL;
}

/* The value of app role @role_id on @resource, or NULL. Borrowed. */
static const char *role_value(const struct dobj *resource, const char *role_id)
{
	json_t *roles = json_object_get(resource->obj, "appRoles"), *r;
	size_t i;

	json_array_foreach(roles, i, r)
	{
		const char *id = json_string_value(json_object_get(r, "id"));
		if (id && !strcasecmp(id, role_id))
			return json_string_value(json_object_get(r, "value"));
	}
	return NULL;
}

/* The Graph app roles granted to @sp: its appRoleAssignments on Microsoft Graph's SP. */
static json_t *graph_roles(struct tenant *t, const struct dobj *sp)
{
	struct dobj *graph = find_sp(t, GRAPH_APP_ID);
	json_t *roles = json_array();
	struct assignment *a;

	if (!graph)
		return roles;
	for (a = state_assignment_first_of_principal(sp); a;
	     a = state_assignment_next_of_principal(a)) {
		const char *v;
		if (a->resource != graph)
			continue;
		v = role_value(graph, a->app_role_id);
		if (v)
			json_array_append_new(roles, json_string(v));
	}
	return roles;
}

static json_t *token_claims(struct tenant *t, const struct dobj *sp, const char *aud,
                            bool assertion, const struct req *req)
{
	json_int_t now = (json_int_t)(req->now_ms / 1000);
	const char *name = json_string_value(json_object_get(sp->obj, "displayName"));
	const char *app_id = json_string_value(json_object_get(sp->obj, "appId"));
	char iss[128], uti[GUID_STR_LEN + 1];
	json_t *roles = req_graph_audience(req, aud) ? graph_roles(t, sp) : json_array();

	snprintf(iss, sizeof(iss), "https://sts.windows.net/%s/", t->id);
	guid_random(uti);
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, "
	                 "s:s, s:s, s:s, s:s}",
	                 "aud", aud, "iss", iss, "iat", now, "nbf", now, "exp",
	                 now + TOKEN_LIFETIME_S, "app_displayname", name ? name : "",
	                 "appid", app_id, "appidacr", assertion ? "2" : "1", "idp", iss,
	                 "idtyp", "app", "oid", sp->id, "roles", roles, "sub", sp->id,
	                 "tid", t->id, "uti", uti, "ver", "1.0");
}

/* The token answer for signed @token, as Entra sends it. */
static int issue(struct resp *resp, const char *token)
{
	login_reply(resp, 200,
	            json_pack("{s:s, s:i, s:i, s:s}", "token_type", "Bearer",
	                      "expires_in", TOKEN_LIFETIME_S, "ext_expires_in",
	                      TOKEN_LIFETIME_S, "access_token", token));
	resp_header(resp, "Cache-Control", "no-store, no-cache");
	resp_header(resp, "Pragma", "no-cache");
	resp_header(resp, "Expires", "-1");
	return 0;
}

/* The client's service principal and credentials in @t (locked), then the claims. */
static int client_checked(struct resp *resp, const struct req *req, struct tenant *t,
                          const struct client_cred *c, const char *scope, json_t **claims)
{
	char aud[300];
	struct dobj *sp = find_sp(t, c->id);

	if (!sp)
		return login_error(
		    resp, req, 400, "unauthorized_client", 700016,
		    "Application with identifier '%s' was not found in the directory "
		    "'%s'. "
		    "This can happen if the application has not been installed by the "
		    "administrator of the tenant or consented to by any user in the "
		    "tenant. "
		    "You may have sent your authentication request to the wrong tenant.",
		    c->id, t->display_name ? t->display_name : t->id);
	if (!c->secret && !c->assertion)
		return login_error(
		    resp, req, 401, "invalid_client", 7000218,
		    "The request body must contain the following parameter: "
		    "'client_assertion' or 'client_secret'.");
	audience(scope, aud, sizeof(aud));
	*claims = token_claims(t, sp, aud, c->assertion, req);
	return *claims ? 0 : resp_error(resp, GERR_INTERNAL, "Out of memory.");
}

/*
 * The checks in the order Entra reports them: tenant, grant, client,
 * credentials; then the claims of the token to issue into *@claims (new).
 * Locking: the registry held shared; takes the tenant's lock itself.
 */
static int token_checked(struct state *st, const struct req *req, struct resp *resp,
                         const struct form *f, struct client_cred *c, json_t **claims)
{
	const char *seg = req_param(req, 0);
	const char *grant = form_get(f, "grant_type");
	const char *scope = form_get(f, "scope");
	struct tenant *t;
	int rc;

	if (!scope || !*scope)
		scope = form_get(f, "resource"); /* the v1 endpoint */
	t = login_tenant(st, seg, c->id);
	if (!t)
		return login_invalid_tenant(resp, req, seg);
	if (!grant || !*grant)
		return missing_parameter(resp, req, "grant_type");
	if (strcmp(grant, "client_credentials"))
		return login_error(resp, req, 400, "unsupported_grant_type", 70003,
		                   "The app requested an unsupported grant type '%s'.",
		                   grant);
	if (!c->id)
		return missing_parameter(resp, req, "client_id");
	if (!scope || !*scope)
		return missing_parameter(resp, req, "scope");
	state_tenant_lock(t);
	rc = client_checked(resp, req, t, c, scope, claims);
	state_tenant_unlock(t);
	return rc;
}

/*
 * POST /{tenant}/oauth2/v2.0/token, /{tenant}/oauth2/token (v1, /adfs).
 * The token is signed after the tenant's lock is released: RSA signing is
 * the slowest step, and it touches nothing stored.
 */
static int login_token(struct call *c)
{
	struct client_cred cred = {NULL, NULL, false};
	json_t *claims = NULL;
	char *token = NULL;
	struct form f;
	int rc;

	if (form_parse(&f, c->req->raw_body ? c->req->raw_body : "", c->req->body_len))
		return login_error(
		    c->resp, c->req, 400, "invalid_request", 900144,
		    "The request body must contain the following parameter: "
		    "'grant_type'.");
	cred_from_basic(&cred, req_header(c->req, "authorization"));
	cred_from_form(&cred, &f);
	rc = token_checked(c->st, c->req, c->resp, &f, &cred, &claims);
	if (!rc) {
		token = c->svc->token_sign(c->svc->ctx, claims);
		rc = token ? issue(c->resp, token)
		           : resp_error(c->resp, GERR_INTERNAL,
		                        "Signing the token failed.");
	}
	free(token);
	json_decref(claims);
	cred_release(&cred);
	form_release(&f);
	return rc;
}

const struct route login_token_routes[] = {
    {"POST", "/{tenant}/oauth2/v2.0/token", login_token, ROUTE_STATE_SHARED, NULL, NULL},
    {"POST", "/{tenant}/oauth2/token", login_token, ROUTE_STATE_SHARED, NULL, NULL},
    {0},
};
