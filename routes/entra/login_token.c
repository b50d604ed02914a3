/*
 * routes/entra/login_token.c - the mock Entra ID token endpoint
 * (POST /{tenant}/oauth2/v2.0/token and the v1 /oauth2/token): client
 * credentials, resource owner password credentials, authorization codes
 * with PKCE, refresh tokens and device codes, checked in the order Entra
 * reports problems (identity.md §1.5) with its AADSTS errors. Claims are
 * built while the tenant is locked; tokens are signed after it is released
 * (RSA signing is the slowest step and touches nothing stored).
 */
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/form.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/grant.h"
#include "../../state/state.h"
#include "../../state/util/b64.h"
#include "login.h"

#define MSG_MALFORMED "Invalid request. Request is malformed or invalid."
#define MSG_BAD_GRANT "Provided grant is invalid or malformed."
#define MSG_BAD_DEVICE_CODE                                                              \
	"The provided value for the input parameter 'device_code' is not valid."

/* One token request. */
struct token_req {
	struct call *c;
	struct form f;
	struct client_cred cred;
	const char *segment;        /* {tenant} as sent */
	struct tenant *path_tenant; /* NULL for an alias */
	const char *scope;          /* scope (v2) or resource (v1) */
};

static int grant_error(struct token_req *x, unsigned code, const char *msg)
{
	return login_error(x->c->resp, x->c->req, 400, "invalid_grant", code, "%s", msg);
}

/* ---- client credentials ---- */

static int grant_client_credentials(struct token_req *x)
{
	struct call *c = x->c;
	struct tenant *t;
	struct dobj *sp;
	const char *acr;
	json_t *claims = NULL;
	char aud[300], *token;
	int rc;

	if (!x->scope || !*x->scope)
		return login_missing(c->resp, c->req, "scope");
	t = x->path_tenant ? x->path_tenant : login_tenant(c->st, x->segment, x->cred.id);
	if (!t)
		return login_invalid_tenant(c->resp, c->req, x->segment);
	state_tenant_lock(t);
	sp = login_find_sp(t, x->cred.id);
	if (!sp)
		rc = login_unknown_client(c->resp, c->req, t, x->cred.id);
	else
		rc = login_client_auth(c, t, &x->cred, x->segment, false, &acr);
	if (!rc) {
		login_audience(x->scope, aud, sizeof(aud));
		claims = login_app_claims(t, sp, aud, acr, c->req);
		rc = claims ? 0 : resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	state_tenant_unlock(t);
	if (rc)
		return rc;
	token = c->svc->token_sign(c->svc->ctx, claims);
	json_decref(claims);
	if (!token)
		return resp_error(c->resp, GERR_INTERNAL, "Signing the token failed.");
	rc =
	    login_reply(c->resp, 200,
	                json_pack("{s:s, s:i, s:i, s:s}", "token_type", "Bearer",
	                          "expires_in", ACCESS_TOKEN_LIFETIME_S, "ext_expires_in",
	                          ACCESS_TOKEN_LIFETIME_S, "access_token", token));
	free(token);
	if (rc)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	login_no_store(c->resp);
	return 0;
}

/* ---- the delegated grants' common end ---- */

/* Is @user able to get tokens now? 0, or -1 after 400 invalid_grant. */
static int user_usable(struct token_req *x, const struct tenant *t,
                       const struct dobj *user)
{
	if (!user)
		return login_error(
		    x->c->resp, x->c->req, 400, "invalid_grant", 50034,
		    "The user account {EmailHidden} does not exist in the %s "
		    "directory. To sign into this application, the account "
		    "must be added to the directory.",
		    t->display_name ? t->display_name : t->id);
	if (json_is_false(json_object_get(state_dobj_json(user), "accountEnabled")))
		return login_is_guest(user)
		           ? grant_error(x, 500571, "The guest user account is disabled.")
		           : grant_error(x, 50057, "The user account is disabled.");
	return 0;
}

/*
 * Build @is for @user of @t (locked) signed in to client @sp at
 * @auth_time_s, for the form's scope (else @dflt_scope).
 */
static int build_user_tokens(struct token_req *x, struct tenant *t, const struct dobj *sp,
                             const struct dobj *user, const char *acr,
                             const char *dflt_scope, const json_t *extra,
                             struct issue *is)
{
	const char *scope = x->scope && *x->scope ? x->scope : dflt_scope;
	const char *ci = form_get(&x->f, "client_info");
	struct scopes scopes;
	struct signin s = {0};
	int64_t auth = json_integer_value(json_object_get(extra, "auth"));

	login_scopes_parse(scope, t,
	                   login_find_app(t, json_string_value(json_object_get(
	                                         state_dobj_json(sp), "appId"))),
	                   &scopes);
	s.t = t;
	s.sp = sp;
	s.user = user;
	s.scopes = &scopes;
	s.acr = acr;
	s.nonce = json_string_value(json_object_get(extra, "nonce"));
	s.sid = json_string_value(json_object_get(extra, "sid"));
	if (s.sid && !*s.sid)
		s.sid = NULL;
	s.auth_time_s = auth ? auth : x->c->req->now_ms / 1000;
	s.client_info = ci && !strcmp(ci, "1");
	s.public_client = !strcmp(acr, "0");
	if (login_issue_build(&s, x->c->req, is))
		return resp_error(x->c->resp, GERR_INTERNAL, "Out of memory.");
	return 0;
}

/* The client's service principal in @t (locked) and its authentication. */
static int client_in(struct token_req *x, struct tenant *t, bool public_ok,
                     struct dobj **sp, const char **acr)
{
	*sp = login_find_sp(t, x->cred.id);
	if (!*sp)
		return login_unknown_client(x->c->resp, x->c->req, t, x->cred.id);
	return login_client_auth(x->c, t, &x->cred, x->segment, public_ok, acr);
}

static bool public_app(struct tenant *t, const char *app_id)
{
	return login_app_is_public(login_find_app(t, app_id));
}

/* ---- resource owner password credentials ---- */

static int ropc_checked(struct token_req *x, struct tenant *t, const char *username,
                        const char *password, struct issue *is)
{
	struct dobj *sp, *user;
	const char *acr;
	char msg[300];
	unsigned code;

	if (client_in(x, t, public_app(t, x->cred.id), &sp, &acr))
		return -1;
	user = login_find_user(t, username);
	if (user_usable(x, t, user))
		return -1;
	/* invited guests sign in at home: ROPC cannot (Learn: v2-oauth-ropc) */
	if (login_is_guest(user))
		return grant_error(
		    x, 50126,
		    "Error validating credentials due to invalid username or "
		    "password.");
	code = login_check_password(user, password, msg, sizeof(msg));
	if (code)
		return grant_error(x, code, msg);
	return build_user_tokens(x, t, sp, user, acr, "User.Read", NULL, is);
}

static int grant_password(struct token_req *x)
{
	struct call *c = x->c;
	const char *username = form_get(&x->f, "username");
	const char *password = form_get(&x->f, "password");
	struct issue is;
	struct tenant *t;
	int rc;

	if (!strcasecmp(x->segment, "common") || !strcasecmp(x->segment, "consumers"))
		return login_error(
		    c->resp, c->req, 400, "invalid_request", 9001023,
		    "The grant type is not supported over the /common or "
		    "/consumers endpoints. Please use the /organizations or "
		    "tenant-specific endpoint.");
	if (!username || !*username)
		return login_missing(c->resp, c->req, "username");
	if (!password || !*password)
		return login_missing(c->resp, c->req, "password");
	if (!x->scope || !*x->scope)
		return login_missing(c->resp, c->req, "scope");
	t = login_user_tenant(c->st, x->segment, username);
	if (!t)
		t = login_tenant(c->st, x->segment, x->cred.id);
	if (!t)
		return login_invalid_tenant(c->resp, c->req, x->segment);
	state_tenant_lock(t);
	rc = ropc_checked(x, t, username, password, &is);
	state_tenant_unlock(t);
	if (rc)
		return rc;
	rc = login_issue_send(c, &is);
	login_issue_release(&is);
	return rc ? resp_error(c->resp, GERR_INTERNAL, "Signing the token failed.") : 0;
}

/* ---- authorization codes ---- */

/* PKCE (RFC 7636): does @verifier answer @challenge by @method? */
static bool pkce_ok(const char *verifier, const char *challenge, const char *method)
{
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE];
	char enc[48];

	if (method && !strcmp(method, "plain"))
		return !strcmp(verifier, challenge);
	sha256_init(&ctx);
	sha256_update(&ctx, strlen(verifier), (const uint8_t *)verifier);
	sha256_digest(&ctx, sizeof(d), d);
	b64url_encode_to(d, sizeof(d), enc);
	return !strcmp(enc, challenge);
}

static const char *rec_str(const json_t *rec, const char *key)
{
	const char *v = json_string_value(json_object_get(rec, key));

	return v ? v : "";
}

/* The code's own checks, in Entra's order, once the client passed. */
static int code_valid(struct token_req *x, const char *code, const json_t *rec,
                      int64_t expires_ms)
{
	const char *redirect = form_get(&x->f, "redirect_uri");
	const char *verifier = form_get(&x->f, "code_verifier");
	const char *challenge = json_string_value(json_object_get(rec, "challenge"));

	if (strcasecmp(rec_str(rec, "cid"), x->cred.id))
		return grant_error(x, 70000, MSG_BAD_GRANT);
	if (x->path_tenant && strcasecmp(x->path_tenant->id, rec_str(rec, "tid")))
		return grant_error(
		    x, 700005,
		    "Provided Authorization Code is intended to use against "
		    "other tenant, thus rejected.");
	if (x->c->req->now_ms >= expires_ms)
		return grant_error(x, 70008,
		                   "The provided authorization code or refresh token has "
		                   "expired due to inactivity. Send a new interactive "
		                   "authorization request for this user and resource.");
	if (!strcmp(rec_str(rec, "state"), "redeemed"))
		return grant_error(
		    x, 54005,
		    "OAuth2 Authorization code was already redeemed, please "
		    "retry with a new valid code or use an existing refresh "
		    "token.");
	if (strcmp(redirect, rec_str(rec, "redirect_uri")))
		return login_error(
		    x->c->resp, x->c->req, 400, "invalid_grant", 50011,
		    "The reply address '%s' does not match the reply address "
		    "'%s' provided when requesting Authorization code.",
		    redirect, rec_str(rec, "redirect_uri"));
	if (challenge && (!verifier || !*verifier))
		return grant_error(x, 50148,
		                   "The code_verifier does not match the code_challenge "
		                   "supplied in the authorization request for PKCE.");
	if (challenge && !pkce_ok(verifier, challenge, rec_str(rec, "method")))
		return grant_error(x, 501481,
		                   "The Code_Verifier does not match the code_challenge "
		                   "supplied in the authorization request.");
	(void)code;
	return 0;
}

static int code_checked(struct token_req *x, struct tenant *t, const char *code,
                        const json_t *rec, int64_t expires_ms, struct issue *is)
{
	bool public_redirect = json_is_true(json_object_get(rec, "public"));
	json_t *done = json_pack("{s:s}", "state", "redeemed");
	struct dobj *sp, *user;
	const char *acr;
	int rc = -1;

	if (public_redirect && login_cred_presented(&x->cred)) {
		login_error(x->c->resp, x->c->req, 401, "invalid_client", 700025,
		            "Client is public so neither 'client_assertion' nor "
		            "'client_secret' should be presented.");
		goto out;
	}
	if (client_in(x, t, public_redirect || public_app(t, x->cred.id), &sp, &acr) ||
	    code_valid(x, code, rec, expires_ms))
		goto out;
	user = state_dobj_find(x->c->st, t, DOBJ_USER, rec_str(rec, "oid"));
	if (user_usable(x, t, user))
		goto out;
	/* single use: only the first of two racing redemptions wins */
	if (!done ||
	    state_grant_update(x->c->st, GRANT_CODE, code, "state", "issued", done)) {
		grant_error(
		    x, 54005,
		    "OAuth2 Authorization code was already redeemed, please retry "
		    "with a new valid code or use an existing refresh token.");
		goto out;
	}
	rc = build_user_tokens(x, t, sp, user, acr, rec_str(rec, "scope"), rec, is);
out:
	json_decref(done);
	return rc;
}

static int grant_code(struct token_req *x)
{
	struct call *c = x->c;
	const char *code = form_get(&x->f, "code");
	int64_t expires_ms = 0;
	struct tenant *t;
	struct issue is;
	json_t *rec;
	int rc;

	if (!code || !*code)
		return login_missing(c->resp, c->req, "code");
	if (!form_get(&x->f, "redirect_uri"))
		return login_missing(c->resp, c->req, "redirect_uri");
	rec = state_grant_get(c->st, GRANT_CODE, code, &expires_ms);
	t = rec ? state_tenant_find(c->st, rec_str(rec, "tid")) : NULL;
	if (!t) {
		json_decref(rec);
		return grant_error(x, 9002313, MSG_MALFORMED);
	}
	state_tenant_lock(t);
	rc = code_checked(x, t, code, rec, expires_ms, &is);
	state_tenant_unlock(t);
	json_decref(rec);
	if (rc)
		return rc;
	rc = login_issue_send(c, &is);
	login_issue_release(&is);
	return rc ? resp_error(c->resp, GERR_INTERNAL, "Signing the token failed.") : 0;
}

/* ---- refresh tokens ---- */

static int refresh_checked(struct token_req *x, struct tenant *t, const json_t *rt,
                           struct issue *is)
{
	int64_t issued = json_integer_value(json_object_get(rt, "iat"));
	const char *valid_from;
	struct dobj *sp, *user;
	char when[TIME_ISO_LEN], from[TIME_ISO_LEN];
	const char *acr;
	int64_t from_ms;

	if (client_in(x, t,
	              json_is_true(json_object_get(rt, "pub")) ||
	                  public_app(t, x->cred.id),
	              &sp, &acr))
		return -1;
	if (strcasecmp(rec_str(rt, "cid"), x->cred.id) ||
	    (x->path_tenant && x->path_tenant != t))
		return grant_error(x, 70000, MSG_BAD_GRANT);
	time_format(issued, TIME_FRACTION_Z, when);
	if (x->c->req->now_ms - issued > (int64_t)REFRESH_INACTIVE_S * 1000)
		return login_error_sub(
		    x->c->resp, x->c->req, 400, "invalid_grant", "bad_token", 700082,
		    "The refresh token has expired due to inactivity. The "
		    "token was issued on %s and was inactive for "
		    "90.00:00:00.",
		    when);
	user = state_dobj_find(x->c->st, t, DOBJ_USER, rec_str(rt, "oid"));
	if (user_usable(x, t, user))
		return -1;
	valid_from = json_string_value(
	    json_object_get(state_dobj_json(user), "signInSessionsValidFromDateTime"));
	if (valid_from && !time_parse_iso(valid_from, &from_ms) && from_ms >= issued) {
		time_format(from_ms, TIME_FRACTION_Z, from);
		return login_error_sub(x->c->resp, x->c->req, 400, "invalid_grant",
		                       "bad_token", 50173,
		                       "The provided grant has expired due to it being "
		                       "revoked, a fresh auth "
		                       "token is needed. The user might have changed or "
		                       "reset their password. "
		                       "The grant was issued on '%s' and the "
		                       "TokensValidFrom date (before which "
		                       "tokens are not valid) for this user is '%s'.",
		                       when, from);
	}
	return build_user_tokens(x, t, sp, user, acr, rec_str(rt, "scope"), rt, is);
}

static int grant_refresh(struct token_req *x)
{
	struct call *c = x->c;
	const char *token = form_get(&x->f, "refresh_token");
	struct tenant *t = NULL;
	struct issue is;
	json_t *rt;
	int rc;

	if (!token || !*token)
		return login_missing(c->resp, c->req, "refresh_token");
	rt = c->svc->unseal(c->svc->ctx, token);
	if (rt && !strcmp(rec_str(rt, "typ"), "rt"))
		t = state_tenant_find(c->st, rec_str(rt, "tid"));
	if (!t) {
		json_decref(rt);
		return grant_error(x, 9002313, MSG_MALFORMED);
	}
	state_tenant_lock(t);
	rc = refresh_checked(x, t, rt, &is);
	state_tenant_unlock(t);
	json_decref(rt);
	if (rc)
		return rc;
	rc = login_issue_send(c, &is);
	login_issue_release(&is);
	return rc ? resp_error(c->resp, GERR_INTERNAL, "Signing the token failed.") : 0;
}

/* ---- device codes ---- */

/* Where the state of device code @rec says polling stands; 0 when approved. */
static int device_state(struct token_req *x, const json_t *rec, int64_t expires_ms)
{
	const char *state = rec_str(rec, "state");

	if (!strcmp(state, "redeemed"))
		return grant_error(x, 7000014, MSG_BAD_DEVICE_CODE);
	if (x->c->req->now_ms >= expires_ms)
		return login_error(x->c->resp, x->c->req, 400, "expired_token", 70020,
		                   "%s This device code has expired.",
		                   MSG_BAD_DEVICE_CODE);
	if (!strcmp(state, "declined"))
		return login_error(x->c->resp, x->c->req, 400, "authorization_declined",
		                   70000, "The user has declined authorization.");
	if (strcmp(state, "approved"))
		return login_error(
		    x->c->resp, x->c->req, 400, "authorization_pending", 70016,
		    "OAuth 2.0 device flow error. Authorization is pending. "
		    "Continue polling.");
	return 0;
}

static int device_checked(struct token_req *x, struct tenant *t, const char *code,
                          const json_t *rec, int64_t expires_ms, struct issue *is)
{
	json_t *done = json_pack("{s:s}", "state", "redeemed");
	struct dobj *sp, *user;
	const char *acr;
	int rc = -1;

	/* a confidential app cannot use the device flow: Entra says so at the poll */
	if (client_in(x, t, public_app(t, x->cred.id), &sp, &acr))
		goto out;
	if (strcasecmp(rec_str(rec, "cid"), x->cred.id)) {
		grant_error(x, 70000, MSG_BAD_GRANT);
		goto out;
	}
	if (device_state(x, rec, expires_ms))
		goto out;
	user = state_dobj_find(x->c->st, t, DOBJ_USER, rec_str(rec, "oid"));
	if (user_usable(x, t, user))
		goto out;
	if (!done ||
	    state_grant_update(x->c->st, GRANT_DEVICE, code, "state", "approved", done)) {
		grant_error(x, 7000014, MSG_BAD_DEVICE_CODE);
		goto out;
	}
	rc = build_user_tokens(x, t, sp, user, acr, rec_str(rec, "scope"), rec, is);
out:
	json_decref(done);
	return rc;
}

static int grant_device(struct token_req *x)
{
	struct call *c = x->c;
	const char *code = form_get(&x->f, "device_code");
	int64_t expires_ms = 0;
	struct tenant *t;
	struct issue is;
	json_t *rec;
	int rc;

	if (!code || !*code)
		return login_missing(c->resp, c->req, "device_code");
	rec = state_grant_get(c->st, GRANT_DEVICE, code, &expires_ms);
	if (!rec)
		return grant_error(x, 7000014, MSG_BAD_DEVICE_CODE);
	/* the user's tenant once approved, else where the code was asked for */
	t = state_tenant_find(
	    c->st, rec_str(rec, json_object_get(rec, "utid") ? "utid" : "tid"));
	if (!t) {
		json_decref(rec);
		return grant_error(x, 7000014, MSG_BAD_DEVICE_CODE);
	}
	state_tenant_lock(t);
	rc = device_checked(x, t, code, rec, expires_ms, &is);
	state_tenant_unlock(t);
	json_decref(rec);
	if (rc)
		return rc;
	rc = login_issue_send(c, &is);
	login_issue_release(&is);
	return rc ? resp_error(c->resp, GERR_INTERNAL, "Signing the token failed.") : 0;
}

/* ---- the endpoint ---- */

static const struct {
	const char *name;
	int (*fn)(struct token_req *x);
} grants[] = {
    {"client_credentials", grant_client_credentials},
    {"password", grant_password},
    {"authorization_code", grant_code},
    {"refresh_token", grant_refresh},
    {GRANT_DEVICE_CODE, grant_device},
    {"device_code", grant_device}, /* what MSAL sends; Entra takes both */
};

static int dispatch(struct token_req *x)
{
	struct call *c = x->c;
	const char *grant = form_get(&x->f, "grant_type");

	if (!login_is_alias(x->segment)) {
		x->path_tenant = state_tenant_find(c->st, x->segment);
		if (!x->path_tenant)
			return login_invalid_tenant(c->resp, c->req, x->segment);
	}
	if (!grant || !*grant)
		return login_missing(c->resp, c->req, "grant_type");
	for (size_t i = 0; i < sizeof(grants) / sizeof(grants[0]); i++) {
		if (strcmp(grant, grants[i].name))
			continue;
		if (!x->cred.id)
			return login_missing(c->resp, c->req, "client_id");
		return grants[i].fn(x);
	}
	return login_error(c->resp, c->req, 400, "unsupported_grant_type", 70003,
	                   "The app requested an unsupported grant type '%s'.", grant);
}

/* POST /{tenant}/oauth2/v2.0/token, /{tenant}/oauth2/token (v1, /adfs). */
static int login_token(struct call *c)
{
	struct token_req x;
	int rc;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.segment = req_param(c->req, 0);
	if (form_parse(&x.f, c->req->raw_body ? c->req->raw_body : "", c->req->body_len))
		return login_missing(c->resp, c->req, "grant_type");
	if (login_cred_read(&x.cred, c->req, &x.f)) {
		rc = resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
		goto out;
	}
	x.scope = form_get(&x.f, "scope");
	if (!x.scope || !*x.scope)
		x.scope = form_get(&x.f, "resource"); /* the v1 endpoint */
	rc = dispatch(&x);
out:
	login_cred_release(&x.cred);
	form_release(&x.f);
	return rc;
}

const struct route login_token_routes[] = {
    {"POST", "/{tenant}/oauth2/v2.0/token", login_token, ROUTE_STATE_SHARED, NULL, NULL},
    {"POST", "/{tenant}/oauth2/token", login_token, ROUTE_STATE_SHARED, NULL, NULL},
    {0},
};
