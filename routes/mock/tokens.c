/*
 * routes/mock/tokens.c - POST /_mock/tokens: mint any access token a test
 * needs without running a flow, so a tool's handling of every 401 and 403
 * can be tested: app-only or delegated (for "user"), chosen roles or scp,
 * an audience, a lifetime (negative: already expired), a wrong signature,
 * and any claim overridden (a foreign "tid", ...). Signed with graphmock's
 * current key, like the token endpoint's tokens.
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
#include "../../state/state.h"
#include "../../state/util/b64.h"
#include "../entra/login.h"

#define KNOWN_KEYS "tenant, clientId, user, roles, scp, aud, expiresIn, signature, claims"

static const char *const known[] = {"tenant", "clientId",  "user",      "roles",  "scp",
                                    "aud",    "expiresIn", "signature", "claims", NULL};

static int bad(struct call *c, const char *msg)
{
	return resp_error(c->resp, GERR_BAD_REQUEST, "%s", msg);
}

static int check_body(struct call *c, const json_t *b)
{
	const char *key, *sig;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)b, key, v)
	{
		for (i = 0; known[i] && strcmp(known[i], key); i++)
			;
		if (!known[i])
			return resp_error(c->resp, GERR_BAD_REQUEST,
			                  "Unknown property '%s'; known: " KNOWN_KEYS ".",
			                  key);
	}
	sig = json_string_value(json_object_get(b, "signature"));
	if (json_object_get(b, "signature") &&
	    (!sig || (strcmp(sig, "valid") && strcmp(sig, "invalid"))))
		return bad(c, "'signature' is \"valid\" or \"invalid\".");
	if (json_object_get(b, "expiresIn") &&
	    !json_is_integer(json_object_get(b, "expiresIn")))
		return bad(
		    c, "'expiresIn' is a number of seconds (negative: already expired).");
	if (json_object_get(b, "claims") && !json_is_object(json_object_get(b, "claims")))
		return bad(c, "'claims' is an object of claims to set.");
	if (json_object_get(b, "roles") && !json_is_array(json_object_get(b, "roles")))
		return bad(c, "'roles' is an array of app role values.");
	v = json_object_get(b, "scp");
	if (v && !json_is_string(v) && !json_is_array(v))
		return bad(c, "'scp' is a space-separated string or an array of scopes.");
	return 0;
}

/* The tenant: "tenant" of the body, else X-Graphmock-Tenant, else the first. */
static struct tenant *pick_tenant(struct call *c, const json_t *b)
{
	const char *want = json_string_value(json_object_get(b, "tenant"));

	if (!want)
		want = req_header(c->req, "x-graphmock-tenant");
	return want ? state_tenant_find(c->st, want) : state_tenant_default(c->st);
}

/* The client: "clientId", else the tenant's first application with a principal. */
static struct dobj *pick_client(struct tenant *t, const json_t *b)
{
	const char *id = json_string_value(json_object_get(b, "clientId"));

	if (id)
		return login_find_sp(t, id);
	for (struct dobj *a = state_dobj_first(t, DOBJ_APPLICATION); a;
	     a = state_dobj_next(a)) {
		struct dobj *sp = login_find_sp(
		    t, json_string_value(json_object_get(state_dobj_json(a), "appId")));
		if (sp)
			return sp;
	}
	return NULL;
}

/* "scp" as one space-separated string. */
static void scp_text(const json_t *v, char *out, size_t len)
{
	size_t i, used = 0;
	json_t *s;

	snprintf(out, len, "%s", json_is_string(v) ? json_string_value(v) : "User.Read");
	if (!json_is_array(v))
		return;
	out[0] = '\0';
	json_array_foreach(v, i, s)
	{
		int n = snprintf(out + used, len - used, "%s%s", used ? " " : "",
		                 json_string_value(s) ? json_string_value(s) : "");
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

static json_t *claims_for(struct call *c, struct tenant *t, const struct dobj *sp,
                          const json_t *b)
{
	const char *user = json_string_value(json_object_get(b, "user"));
	const char *aud = json_string_value(json_object_get(b, "aud"));
	struct scopes scopes;
	struct signin s = {0};
	struct dobj *u;
	json_t *claims;

	if (!user)
		return login_app_claims(t, sp, aud ? aud : GRAPH_RESOURCE, "1", c->req);
	u = login_find_user(t, user);
	if (!u)
		u = state_dobj_find(c->st, t, DOBJ_USER, user);
	if (!u)
		return json_null();
	memset(&scopes, 0, sizeof(scopes));
	snprintf(scopes.resource, sizeof(scopes.resource), "%s",
	         aud ? aud : GRAPH_RESOURCE);
	scp_text(json_object_get(b, "scp"), scopes.scp, sizeof(scopes.scp));
	s.t = t;
	s.sp = sp;
	s.user = u;
	s.scopes = &scopes;
	s.acr = "1";
	claims = login_user_claims(&s, c->req);
	return claims;
}

/* Apply lifetime, roles and the claim overrides to @claims. */
static void shape(json_t *claims, const json_t *b, int64_t now_s)
{
	json_t *in = json_object_get(b, "expiresIn");

	if (in) {
		int64_t exp = now_s + (int64_t)json_integer_value(in);
		int64_t iat = exp < now_s ? exp - ACCESS_TOKEN_LIFETIME_S : now_s;
		json_object_set_new(claims, "iat", json_integer(iat));
		json_object_set_new(claims, "nbf", json_integer(iat));
		json_object_set_new(claims, "exp", json_integer(exp));
	}
	if (json_object_get(b, "roles"))
		json_object_set(claims, "roles", json_object_get(b, "roles"));
	json_object_update(claims, json_object_get(b, "claims"));
}

/* One bit of the signature changed: a well-formed token nobody signed. */
static int spoil(char **token)
{
	char *dot = strrchr(*token, '.'), *enc, *out;
	unsigned char *sig;
	size_t n, len;

	sig = dot ? b64_decode(dot + 1, strlen(dot + 1), &n) : NULL;
	if (!sig || !n) {
		free(sig);
		return -1;
	}
	sig[n / 2] ^= 0x01;
	enc = b64url_encode(sig, n);
	free(sig);
	if (!enc)
		return -1;
	len = (size_t)(dot - *token) + strlen(enc) + 2;
	out = malloc(len);
	if (out)
		snprintf(out, len, "%.*s.%s", (int)(dot - *token), *token, enc);
	free(enc);
	if (!out)
		return -1;
	free(*token);
	*token = out;
	return 0;
}

static int mint(struct call *c, const json_t *b)
{
	const char *sig = json_string_value(json_object_get(b, "signature"));
	int64_t now_s = c->req->now_ms / 1000;
	struct tenant *t;
	struct dobj *sp;
	json_t *claims;
	char *token;
	json_int_t exp;

	if (check_body(c, b))
		return -1;
	t = pick_tenant(c, b);
	if (!t)
		return bad(
		    c, "No such tenant: 'tenant' (or X-Graphmock-Tenant) names a tenant "
		       "id or domain.");
	call_lock_tenant(c, t);
	sp = pick_client(t, b);
	if (!sp)
		return bad(
		    c,
		    "No such client: 'clientId' names the appId of a service principal "
		    "in the tenant.");
	claims = claims_for(c, t, sp, b);
	if (json_is_null(claims)) {
		json_decref(claims);
		return bad(
		    c, "No such user: 'user' is a userPrincipalName, mail or id in the "
		       "tenant.");
	}
	if (!claims)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	shape(claims, b, now_s);
	token = c->svc->token_sign(c->svc->ctx, claims);
	if (!token || (sig && !strcmp(sig, "invalid") && spoil(&token))) {
		free(token);
		json_decref(claims);
		return resp_error(c->resp, GERR_INTERNAL, "Signing the token failed.");
	}
	exp = json_integer_value(json_object_get(claims, "exp"));
	resp_json(c->resp, 200,
	          json_pack("{s:s, s:s, s:I, s:o}", "token_type", "Bearer",
	                    "access_token", token, "expires_in", exp - (json_int_t)now_s,
	                    "claims", claims));
	free(token);
	return 0;
}

static int tokens_mint(struct call *c)
{
	static const char empty[] = "{}";
	json_t *none = c->req->body ? NULL : json_loads(empty, 0, NULL);
	int rc = mint(c, c->req->body ? c->req->body : none);

	json_decref(none);
	return rc;
}

const struct route token_forge_routes[] = {
    {"POST", "/_mock/tokens", tokens_mint,
     ROUTE_JSON_BODY | ROUTE_OPTIONAL_BODY | ROUTE_STATE_SHARED, NULL, NULL},
    {0},
};
