/*
 * routes/entra/login_authorize.c - the authorization endpoint of the
 * authorization code flow (identity.md §4.1): GET /{tenant}/oauth2/v2.0/
 * authorize checks the client and redirect URI (errors on a page, since
 * the redirect cannot be trusted yet), then either answers at once
 * (prompt=none, or an existing sign-in session) or shows graphmock's
 * sign-in page; the page posts back to the same URL, and a good username
 * and password redirect to the app with a single-use code (PKCE remembered
 * for the token endpoint). The session is a sealed cookie.
 */
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
#include "../../state/util/buf.h"
#include "login.h"

/* The parameters of one authorization request, from the query or the page's form. */
struct authz {
	struct call *c;
	struct form post;    /* the page's submission (POST), else empty */
	const char *segment; /* {tenant} as sent */
	const char *client_id, *redirect_uri, *response_type, *response_mode;
	const char *scope, *state, *nonce, *prompt, *login_hint;
	const char *challenge, *method;
	/* found while checking */
	struct tenant *t; /* not locked */
	char app_name[256];
	bool public_redirect; /* redirect_uri registered under publicClient or spa */
};

static const char *param(const struct authz *a, const char *name)
{
	const char *v = a->post.n ? form_get(&a->post, name) : req_query(a->c->req, name);

	return v && *v ? v : NULL;
}

static void read_params(struct authz *a)
{
	a->client_id = param(a, "client_id");
	a->redirect_uri = param(a, "redirect_uri");
	a->response_type = param(a, "response_type");
	a->response_mode = param(a, "response_mode");
	a->scope = param(a, "scope");
	a->state = param(a, "state");
	a->nonce = param(a, "nonce");
	a->prompt = param(a, "prompt");
	a->login_hint = param(a, "login_hint");
	a->challenge = param(a, "code_challenge");
	a->method = param(a, "code_challenge_method");
}

/* application/x-www-form-urlencoded, as Entra writes its redirects. */
static void url_add(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || strchr("-_.~", ch))
			buf_addch(b, (char)ch);
		else if (ch == ' ')
			buf_addch(b, '+');
		else
			buf_addf(b, "%%%02X", ch);
	}
}

/* ---- redirect URIs ---- */

/* http://localhost and 127.0.0.1 match on any port (Learn: reply-url). */
static bool loopback_match(const char *registered, const char *sent)
{
	static const char *const hosts[] = {"http://localhost", "http://127.0.0.1"};

	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(hosts[i]);
		const char *r = registered + n, *s = sent + n;
		if (strncasecmp(registered, hosts[i], n) ||
		    strncasecmp(sent, hosts[i], n))
			continue;
		if (*r == ':')
			r += strspn(r + 1, "0123456789") + 1;
		if (*s == ':')
			s += strspn(s + 1, "0123456789") + 1;
		if (!strcmp(*r ? r : "/", *s ? s : "/"))
			return true;
	}
	return false;
}

static bool listed(const json_t *platform, const char *uri)
{
	size_t i;
	json_t *v;

	json_array_foreach(json_object_get(platform, "redirectUris"), i, v)
	{
		const char *r = json_string_value(v);
		if (r && (!strcmp(r, uri) || loopback_match(r, uri)))
			return true;
	}
	return false;
}

/* ---- answering the application ---- */

/* Redirect to the app with @pairs ("code", v, "state", v, ..., NULL) as its mode says. */
static int to_app(struct authz *a, const char *const *pairs)
{
	bool fragment = a->response_mode && !strcmp(a->response_mode, "fragment");
	bool form_post = a->response_mode && !strcmp(a->response_mode, "form_post");
	struct buf b;
	size_t len;
	char *loc;

	if (form_post) {
		page_begin(&b, "Signing you in");
		buf_addstr(&b, "<form method=\"post\" action=\"");
		page_escape(&b, a->redirect_uri);
		buf_addstr(&b, "\">\n");
		for (size_t i = 0; pairs[i]; i += 2)
			page_hidden(&b, pairs[i], pairs[i + 1]);
		buf_addstr(&b, "<div class=\"actions\"><button "
		               "type=\"submit\">Continue</button></div></form>\n"
		               "<script>document.forms[0].submit()</script>\n");
		page_end(&b);
		return page_send(a->c->resp, 200, &b) ? -1 : 0;
	}
	buf_init(&b, 64 * 1024);
	buf_addstr(&b, a->redirect_uri);
	buf_addch(&b, fragment ? '#' : strchr(a->redirect_uri, '?') ? '&' : '?');
	for (size_t i = 0; pairs[i]; i += 2) {
		if (!pairs[i + 1])
			continue;
		if (i)
			buf_addch(&b, '&');
		buf_addstr(&b, pairs[i]);
		buf_addch(&b, '=');
		url_add(&b, pairs[i + 1]);
	}
	loc = buf_detach(&b, &len);
	if (!loc)
		return resp_error(a->c->resp, GERR_INTERNAL, "Out of memory.");
	resp_header(a->c->resp, "Location", "%s", loc);
	free(loc);
	return resp_empty(a->c->resp, 302);
}

/* An error the app hears about: error, error_description (AADSTS...), state. */
static int app_error(struct authz *a, const char *error, unsigned code, const char *msg)
{
	char desc[1600];
	const char *pairs[] = {"error",  error, "error_description", desc, "state",
	                       a->state, NULL};

	login_description(a->c->req, code, msg, desc, sizeof(desc));
	to_app(a, pairs);
	return -1;
}

/* ---- checks before anything is shown ---- */

/* The client and redirect URI; errors on a page. Locks @a->t while reading it. */
static int check_client(struct authz *a)
{
	struct call *c = a->c;
	struct dobj *sp, *app;
	const char *name;
	bool known_redirect = false;

	if (!a->client_id)
		return page_error(
		    c, 400, 900144,
		    "The request body must contain the following parameter: "
		    "'client_id'.");
	if (!a->redirect_uri)
		return page_error(
		    c, 400, 900144,
		    "The request body must contain the following parameter: "
		    "'redirect_uri'.");
	a->t = login_tenant(c->st, a->segment, a->client_id);
	if (!a->t)
		return page_error(
		    c, 400, 90002,
		    "Tenant '%s' not found. Check to make sure you have the "
		    "correct tenant ID and are signing into the correct cloud.",
		    a->segment);
	state_tenant_lock(a->t);
	sp = login_find_sp(a->t, a->client_id);
	app = login_find_app(a->t, a->client_id);
	name = sp ? json_string_value(json_object_get(state_dobj_json(sp), "displayName"))
	          : NULL;
	snprintf(a->app_name, sizeof(a->app_name), "%s", name ? name : "");
	if (app) {
		a->public_redirect =
		    listed(json_object_get(state_dobj_json(app), "publicClient"),
		           a->redirect_uri) ||
		    listed(json_object_get(state_dobj_json(app), "spa"), a->redirect_uri);
		known_redirect =
		    a->public_redirect ||
		    listed(json_object_get(state_dobj_json(app), "web"), a->redirect_uri);
	}
	state_tenant_unlock(a->t);
	if (!sp)
		return page_error(
		    c, 400, 700016,
		    "Application with identifier '%s' was not found in the "
		    "directory '%s'. This can happen if the application has not "
		    "been installed by the administrator of the tenant or "
		    "consented to by any user in the tenant. You may have sent "
		    "your authentication request to the wrong tenant.",
		    a->client_id, a->t->display_name);
	if (!known_redirect)
		return page_error(
		    c, 400, 50011,
		    "The redirect URI '%s' specified in the request does not "
		    "match the redirect URIs configured for the application "
		    "'%s'. Make sure the redirect URI sent in the request "
		    "matches one added to your application in the Azure "
		    "portal. Navigate to https://aka.ms/redirectUriMismatchError "
		    "to learn more about how to fix this.",
		    a->redirect_uri, a->client_id);
	return 0;
}

/* What the app asked for; errors go back to it. */
static int check_request(struct authz *a)
{
	if (!a->response_type || strcmp(a->response_type, "code"))
		return app_error(
		    a, "unsupported_response_type", 700054,
		    "response_type is not enabled for the application: graphmock "
		    "supports 'code'.");
	if (!a->scope)
		return app_error(a, "invalid_request", 900144,
		                 "The request body must contain the following parameter: "
		                 "'scope'.");
	if (a->method && strcmp(a->method, "S256") && strcmp(a->method, "plain"))
		return app_error(a, "invalid_request", 5002, /* graphmock's choice */
		                 "Invalid code_challenge_method: use S256 or plain.");
	return 0;
}

/* ---- the session ---- */

static const char *jstr(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

/* The signed-in session for @a->t from the cookie: its user id and sid. */
static bool session(struct authz *a, char *oid, size_t olen, char *sid, size_t slen)
{
	char cookie[2048];
	json_t *s;
	bool ok;

	if (!page_cookie(a->c->req, SESSION_COOKIE, cookie, sizeof(cookie)))
		return false;
	s = a->c->svc->unseal(a->c->svc->ctx, cookie);
	ok = s && !strcmp(jstr(s, "typ"), "session") &&
	     !strcasecmp(jstr(s, "tid"), a->t->id);
	if (ok) {
		snprintf(oid, olen, "%s", jstr(s, "oid"));
		snprintf(sid, slen, "%s", jstr(s, "sid"));
	}
	json_decref(s);
	return ok;
}

/*
 * The session user, when usable for this request: enabled, and matching a
 * login_hint. Locks @a->t while reading. Returns: 1 yes, 0 no.
 */
static int session_user(struct authz *a, const char *oid, json_t **who)
{
	struct dobj *u;
	int ok = 0;

	state_tenant_lock(a->t);
	u = state_dobj_find(a->c->st, a->t, DOBJ_USER, oid);
	if (u && !json_is_false(json_object_get(state_dobj_json(u), "accountEnabled")) &&
	    (!a->login_hint || login_find_user(a->t, a->login_hint) == u)) {
		*who = json_pack("{s:s}", "oid", u->id);
		ok = *who != NULL;
	}
	state_tenant_unlock(a->t);
	return ok;
}

/* ---- issuing the code ---- */

static int issue_code(struct authz *a, const char *oid, const char *sid, int64_t auth_s)
{
	struct call *c = a->c;
	unsigned char raw[48];
	char code[80], enc[72];
	const char *pairs[] = {"code",          code, "state", a->state,
	                       "session_state", sid,  NULL};
	json_t *rec;

	random_bytes(raw, sizeof(raw));
	b64url_encode_to(raw, sizeof(raw), enc);
	snprintf(code, sizeof(code), "1.%s", enc);
	rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:b}", "state",
	                "issued", "tid", a->t->id, "oid", oid, "cid", a->client_id,
	                "redirect_uri", a->redirect_uri, "scope", a->scope, "auth",
	                (json_int_t)auth_s, "sid", sid, "public", a->public_redirect);
	if (rec && a->challenge) {
		json_object_set_new(rec, "challenge", json_string(a->challenge));
		json_object_set_new(rec, "method",
		                    json_string(a->method ? a->method : "plain"));
	}
	if (rec && a->nonce)
		json_object_set_new(rec, "nonce", json_string(a->nonce));
	if (state_grant_put(c->st, GRANT_CODE, code, NULL,
	                    c->req->now_ms + CODE_LIFETIME_S * 1000LL, rec))
		return resp_error(c->resp, GERR_INTERNAL,
		                  "Too many sign-ins in progress; try again later.");
	return to_app(a, pairs);
}

/* Remember the sign-in for prompt=none and SSO: a sealed, HttpOnly cookie. */
static void set_session(struct authz *a, const char *oid, const char *sid, int64_t auth_s)
{
	json_t *s =
	    json_pack("{s:s, s:s, s:s, s:s, s:I}", "typ", "session", "tid", a->t->id,
	              "oid", oid, "sid", sid, "auth", (json_int_t)auth_s);
	char *sealed = s ? a->c->svc->seal(a->c->svc->ctx, s) : NULL;

	if (sealed)
		resp_header(a->c->resp, "Set-Cookie",
		            "%s=%s; Path=/; HttpOnly; SameSite=Lax", SESSION_COOKIE,
		            sealed);
	free(sealed);
	json_decref(s);
}

/* ---- the page ---- */

static int show_page(struct authz *a, const char *username, const char *error)
{
	static const char *const carried[] = {"client_id",
	                                      "redirect_uri",
	                                      "response_type",
	                                      "response_mode",
	                                      "scope",
	                                      "state",
	                                      "nonce",
	                                      "prompt",
	                                      "login_hint",
	                                      "code_challenge",
	                                      "code_challenge_method",
	                                      NULL};
	struct scopes scopes;
	struct buf b;

	state_tenant_lock(a->t);
	login_scopes_parse(a->scope, a->t, login_find_app(a->t, a->client_id), &scopes);
	state_tenant_unlock(a->t);
	page_begin(&b, "Sign in");
	if (error) {
		buf_addstr(&b,
		           "<p class=\"notice error\" role=\"alert\" id=\"problem\">");
		page_escape(&b, error);
		buf_addstr(&b, "</p>\n");
	}
	buf_addstr(&b, "<p>to <strong>");
	page_escape(&b, a->t->display_name);
	buf_addstr(&b, "</strong></p>\n");
	login_consent_line(&b, a->app_name, &scopes);
	buf_addstr(&b, "<form method=\"post\">\n");
	for (size_t i = 0; carried[i]; i++)
		page_hidden(&b, carried[i], param(a, carried[i]));
	buf_addstr(&b, "<label for=\"username\">Email, phone, or Skype</label>\n"
	               "<input type=\"email\" id=\"username\" name=\"username\" "
	               "autocomplete=\"username\" required value=\"");
	page_escape(&b, username ? username : a->login_hint);
	buf_addstr(&b, "\"");
	if (error)
		buf_addstr(&b, " aria-describedby=\"problem\"");
	buf_addstr(&b, ">\n<label for=\"password\">Password</label>\n"
	               "<input type=\"password\" id=\"password\" name=\"password\" "
	               "autocomplete=\"current-password\" required>\n"
	               "<div class=\"actions\">"
	               "<button type=\"submit\" name=\"action\" "
	               "value=\"accept\">Sign in and accept</button>"
	               "<button class=\"secondary\" type=\"submit\" name=\"action\" "
	               "value=\"cancel\" "
	               "formnovalidate>Cancel</button></div>\n</form>\n");
	page_end(&b);
	return page_send(a->c->resp, 200, &b) ? -1 : 0;
}

/* ---- the two handlers ---- */

static int authz_start(struct call *c, struct authz *a)
{
	memset(a, 0, sizeof(*a));
	a->c = c;
	a->segment = req_param(c->req, 0);
	if (!strcmp(c->req->method, "POST") &&
	    form_parse(&a->post, c->req->raw_body ? c->req->raw_body : "",
	               c->req->body_len))
		return page_error(c, 400, 900144,
		                  "The request body is not a valid form.");
	read_params(a);
	if (check_client(a) || check_request(a))
		return -1;
	return 0;
}

/* GET /{tenant}/oauth2/v2.0/authorize */
static int authorize_get(struct call *c)
{
	struct authz a;
	char oid[64], sid[64];
	json_t *who = NULL;
	bool silent, forced;
	int rc;

	rc = authz_start(c, &a);
	if (rc)
		goto out;
	silent = a.prompt && !strcmp(a.prompt, "none");
	forced = a.prompt && strcmp(a.prompt, "none");
	if (!forced && session(&a, oid, sizeof(oid), sid, sizeof(sid)) &&
	    session_user(&a, oid, &who)) {
		rc = issue_code(&a, oid, sid, c->req->now_ms / 1000);
		goto out;
	}
	if (silent) {
		rc = app_error(
		    &a, "login_required", 50058,
		    "A silent sign-in request was sent but no user is signed in.");
		goto out;
	}
	rc = show_page(&a, NULL, NULL);
out:
	json_decref(who);
	form_release(&a.post);
	return rc;
}

/* Check the page's username and password; the user's id into @oid. */
static int page_signin(struct authz *a, const char *username, const char *password,
                       char *oid, size_t len, char *problem, size_t plen)
{
	struct tenant *home = login_user_tenant(a->c->st, a->segment, username);
	struct dobj *u = NULL;
	char msg[300];
	unsigned code = 50034;

	snprintf(
	    msg, sizeof(msg),
	    "The user account does not exist in the '%s' directory. To sign into this "
	    "application, the account must be added to the directory.",
	    a->t->display_name);
	if (home && home != a->t && login_is_alias(a->segment)) {
		/* the person's own tenant decides where the code is valid */
		state_tenant_lock(home);
		if (login_find_sp(home, a->client_id))
			a->t = home;
		state_tenant_unlock(home);
	}
	state_tenant_lock(a->t);
	u = login_find_user(a->t, username);
	if (u)
		code = login_check_password(u, password, msg, sizeof(msg));
	if (u && !code)
		snprintf(oid, len, "%s", u->id);
	state_tenant_unlock(a->t);
	if (code)
		login_description(a->c->req, code, msg, problem, plen);
	return code ? -1 : 0;
}

/* POST /{tenant}/oauth2/v2.0/authorize: the sign-in page submitted. */
static int authorize_post(struct call *c)
{
	struct authz a;
	const char *action, *username, *password;
	char oid[64], sid[GUID_STR_LEN + 1], problem[1600];
	int rc;

	rc = authz_start(c, &a);
	if (rc)
		goto out;
	action = form_get(&a.post, "action");
	username = form_get(&a.post, "username");
	password = form_get(&a.post, "password");
	if (action && !strcmp(action, "cancel")) {
		rc = app_error(&a, "access_denied", 65004,
		               "User declined to consent to access the app.");
		goto out;
	}
	if (!username || !*username || !password ||
	    page_signin(&a, username, password ? password : "", oid, sizeof(oid), problem,
	                sizeof(problem))) {
		if (!username || !*username || !password)
			login_description(
			    c->req, 50126,
			    "Error validating credentials due to invalid username "
			    "or password.",
			    problem, sizeof(problem));
		rc = show_page(&a, username, problem);
		goto out;
	}
	guid_random(sid);
	set_session(&a, oid, sid, c->req->now_ms / 1000);
	rc = issue_code(&a, oid, sid, c->req->now_ms / 1000);
out:
	form_release(&a.post);
	return rc;
}

const struct route login_authorize_routes[] = {
    {"GET", "/{tenant}/oauth2/v2.0/authorize", authorize_get, ROUTE_STATE_SHARED, NULL,
     NULL},
    {"POST", "/{tenant}/oauth2/v2.0/authorize", authorize_post, ROUTE_STATE_SHARED, NULL,
     NULL},
    {0},
};
