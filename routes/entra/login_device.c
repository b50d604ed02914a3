/*
 * routes/entra/login_device.c - the device code flow (identity.md §6):
 * POST /{tenant}/oauth2/v2.0/devicecode hands out a device code and a user
 * code; a person enters the user code on graphmock's page (GET/POST
 * /devicelogin, the verification_uri), signs in and approves or declines,
 * or a test decides through /_mock/devicecode (login_device_decide); the
 * client polls the token endpoint meanwhile (login_token.c).
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

/* Letters and digits nobody confuses: no 0/O, 1/I/L. */
static const char user_code_chars[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

static void new_user_code(char out[10])
{
	unsigned char r[9];

	random_bytes(r, sizeof(r));
	for (size_t i = 0; i < 9; i++)
		out[i] = user_code_chars[r[i] % (sizeof(user_code_chars) - 1)];
	out[9] = '\0';
}

/* POST /{tenant}/oauth2/v2.0/devicecode */
static int device_code(struct call *c)
{
	const char *seg = req_param(c->req, 0);
	struct form f;
	const char *client_id, *scope;
	struct tenant *t;
	bool known;
	unsigned char raw[48];
	char code[80], user_code[10], uri[400], msg[600];
	json_t *rec;
	int rc = -1;

	if (form_parse(&f, c->req->raw_body ? c->req->raw_body : "", c->req->body_len))
		return login_missing(c->resp, c->req, "client_id");
	client_id = form_get(&f, "client_id");
	scope = form_get(&f, "scope");
	if (!login_is_alias(seg) && !state_tenant_find(c->st, seg)) {
		login_invalid_tenant(c->resp, c->req, seg);
		goto out;
	}
	if (!client_id || !*client_id) {
		login_missing(c->resp, c->req, "client_id");
		goto out;
	}
	if (!scope || !*scope) {
		login_missing(c->resp, c->req, "scope");
		goto out;
	}
	t = login_tenant(c->st, seg, client_id);
	state_tenant_lock(t);
	known = login_find_sp(t, client_id) != NULL;
	state_tenant_unlock(t);
	if (!known) {
		login_unknown_client(c->resp, c->req, t, client_id);
		goto out;
	}
	random_bytes(raw, sizeof(raw));
	memcpy(code, "DAQABAAEAAAD", 12);
	b64url_encode_to(raw, sizeof(raw), code + 12);
	new_user_code(user_code);
	rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "state", "pending", "tid",
	                t->id, "cid", client_id, "scope", scope, "userCode", user_code,
	                "alias", login_is_alias(seg));
	if (state_grant_put(c->st, GRANT_DEVICE, code, user_code,
	                    c->req->now_ms + DEVICE_CODE_LIFETIME_S * 1000LL, rec)) {
		resp_error(c->resp, GERR_INTERNAL, "Too many sign-ins in progress.");
		goto out;
	}
	snprintf(uri, sizeof(uri), "%s/devicelogin", c->req->base_url);
	snprintf(
	    msg, sizeof(msg),
	    "To sign in, use a web browser to open the page %s and enter the code %s "
	    "to authenticate.",
	    uri, user_code);
	rc = login_reply(c->resp, 200,
	                 json_pack("{s:s, s:s, s:s, s:i, s:i, s:s}", "user_code",
	                           user_code, "device_code", code, "verification_uri",
	                           uri, "expires_in", DEVICE_CODE_LIFETIME_S, "interval",
	                           DEVICE_CODE_INTERVAL_S, "message", msg));
	if (rc)
		resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	else
		login_no_store(c->resp);
out:
	form_release(&f);
	return rc;
}

/* ---- deciding on a device code ---- */

static const char *jstr(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

/* The user @name in @t (locked): a sign-in name, or an object id. */
static struct dobj *find_person(struct state *st, struct tenant *t, const char *name)
{
	struct dobj *u = login_find_user(t, name);

	return u ? u : state_dobj_find(st, t, DOBJ_USER, name);
}

/*
 * Where @name signs in for device code @rec: its tenant, or for a code
 * asked for at an alias, whichever tenant holds the user.
 */
static struct tenant *person_tenant(struct state *st, const json_t *rec, const char *name)
{
	struct tenant *t = state_tenant_find(st, jstr(rec, "tid"));
	bool found = false;

	if (t) {
		state_tenant_lock(t);
		found = find_person(st, t, name) != NULL;
		state_tenant_unlock(t);
	}
	if (!found && json_is_true(json_object_get(rec, "alias")))
		for (struct tenant *o = st->tenants; o && !found; o = o->hh.next) {
			state_tenant_lock(o);
			found = find_person(st, o, name) != NULL;
			state_tenant_unlock(o);
			if (found)
				t = o;
		}
	return t;
}

int login_device_decide(struct call *c, const char *user_code, const char *user,
                        const char *password, bool approve, char *err, size_t len,
                        json_t **out)
{
	int64_t expires_ms = 0;
	char key[128], oid[GUID_STR_LEN + 1] = "";
	json_t *rec =
	    state_grant_by_user_code(c->st, user_code, &expires_ms, key, sizeof(key));
	json_t *patch = NULL;
	struct tenant *t = NULL;
	unsigned code = 0;
	int rc = DEVICE_UNKNOWN;

	if (!rec) {
		snprintf(err, len,
		         "AADSTS70018: Invalid verification code entered. Check the "
		         "code and try again.");
		goto out;
	}
	rc = DEVICE_USED;
	if (strcmp(jstr(rec, "state"), "pending")) {
		snprintf(err, len,
		         "AADSTS90120: The request was already authorized or declined.");
		goto out;
	}
	rc = DEVICE_EXPIRED;
	if (c->req->now_ms >= expires_ms) {
		snprintf(err, len,
		         "AADSTS70019: The code you entered has expired. Get a new code "
		         "from the device you're trying to sign in to and try again.");
		goto out;
	}
	if (approve) {
		rc = DEVICE_BAD_USER;
		t = user ? person_tenant(c->st, rec, user) : NULL;
		if (t) {
			struct dobj *u;
			state_tenant_lock(t);
			u = find_person(c->st, t, user);
			if (!u)
				code = 50034;
			else if (!login_find_sp(t, jstr(rec, "cid")))
				code = 700016;
			else if (password)
				code = login_check_password(u, password, err, len);
			else if (json_is_false(json_object_get(state_dobj_json(u),
			                                       "accountEnabled")))
				code = 50057;
			if (u && !code)
				snprintf(oid, sizeof(oid), "%s", u->id);
			state_tenant_unlock(t);
		}
		if (!t || code) {
			char msg[400];
			snprintf(msg, sizeof(msg), "%s", err);
			if (!t || code == 50034)
				snprintf(msg, sizeof(msg),
				         "The user account does not exist in the "
				         "directory.");
			else if (code == 700016)
				snprintf(msg, sizeof(msg),
				         "Application with identifier '%s' was not "
				         "found in the directory.",
				         jstr(rec, "cid"));
			else if (code == 50057)
				snprintf(msg, sizeof(msg),
				         "The user account is disabled.");
			snprintf(err, len, "AADSTS%u: %s", code ? code : 50034, msg);
			goto out;
		}
		patch =
		    json_pack("{s:s, s:s, s:s, s:I}", "state", "approved", "oid", oid,
		              "utid", t->id, "auth", (json_int_t)(c->req->now_ms / 1000));
	} else {
		patch = json_pack("{s:s}", "state", "declined");
	}
	rc = DEVICE_USED;
	if (!patch ||
	    state_grant_update(c->st, GRANT_DEVICE, key, "state", "pending", patch)) {
		snprintf(err, len,
		         "AADSTS90120: The request was already authorized or declined.");
		goto out;
	}
	rc = DEVICE_OK;
	*out = json_pack("{s:s, s:s, s:s, s:s}", "userCode", jstr(rec, "userCode"),
	                 "state", approve ? "approved" : "declined", "clientId",
	                 jstr(rec, "cid"), "userId", oid);
	if (*out && t)
		json_object_set_new(*out, "tenantId", json_string(t->id));
out:
	json_decref(patch);
	json_decref(rec);
	return rc;
}

/* ---- the page ---- */

static int device_page(struct call *c, const char *code, const char *username,
                       const char *error)
{
	struct buf b;

	page_begin(&b, "Enter code");
	if (error) {
		buf_addstr(&b,
		           "<p class=\"notice error\" role=\"alert\" id=\"problem\">");
		page_escape(&b, error);
		buf_addstr(&b, "</p>\n");
	}
	buf_addstr(&b,
	           "<p>Enter the code displayed on your app or device, then sign in to "
	           "allow it access.</p>\n<form method=\"post\">\n"
	           "<label for=\"otc\">Code</label>\n"
	           "<input type=\"text\" id=\"otc\" name=\"otc\" autocomplete=\"off\" "
	           "autocapitalize=\"characters\" required value=\"");
	page_escape(&b, code);
	buf_addstr(&b, "\">\n<label for=\"username\">Email, phone, or Skype</label>\n"
	               "<input type=\"email\" id=\"username\" name=\"username\" "
	               "autocomplete=\"username\" required value=\"");
	page_escape(&b, username);
	buf_addstr(&b, "\">\n<label for=\"password\">Password</label>\n"
	               "<input type=\"password\" id=\"password\" name=\"password\" "
	               "autocomplete=\"current-password\" required>\n"
	               "<div class=\"actions\">"
	               "<button type=\"submit\" name=\"action\" "
	               "value=\"accept\">Sign in and allow</button>"
	               "<button class=\"secondary\" type=\"submit\" name=\"action\" "
	               "value=\"cancel\" "
	               "formnovalidate>Cancel</button></div>\n</form>\n");
	page_end(&b);
	return page_send(c->resp, 200, &b) ? -1 : 0;
}

/* GET /devicelogin[?otc=CODE] */
static int devicelogin_get(struct call *c)
{
	return device_page(c, req_query(c->req, "otc"), NULL, NULL);
}

/* POST /devicelogin: the page submitted. */
static int devicelogin_post(struct call *c)
{
	struct form f;
	const char *code, *username, *password, *action;
	char err[600] = "";
	json_t *done = NULL;
	bool approve;
	struct buf b;
	int rc;

	if (form_parse(&f, c->req->raw_body ? c->req->raw_body : "", c->req->body_len))
		return device_page(c, NULL, NULL, "The form could not be read.");
	code = form_get(&f, "otc");
	username = form_get(&f, "username");
	password = form_get(&f, "password");
	action = form_get(&f, "action");
	approve = !action || strcmp(action, "cancel");
	if (approve && (!username || !*username || !password || !*password))
		rc = device_page(
		    c, code, username,
		    "AADSTS50126: Error validating credentials due to invalid "
		    "username or password.");
	else if (login_device_decide(c, code, username, approve ? password : NULL,
	                             approve, err, sizeof(err), &done) != DEVICE_OK)
		rc = device_page(c, code, username, err);
	else {
		page_begin(&b, approve ? "You're signed in" : "Sign-in cancelled");
		buf_addstr(
		    &b, approve ? "<p>You have signed in to the application on your "
		                  "device. You may now close this window.</p>\n"
		                : "<p>You declined to sign in to the application on your "
		                  "device. You may now close this window.</p>\n");
		page_end(&b);
		rc = page_send(c->resp, 200, &b) ? -1 : 0;
	}
	json_decref(done);
	form_release(&f);
	return rc;
}

const struct route login_device_routes[] = {
    {"POST", "/{tenant}/oauth2/v2.0/devicecode", device_code, ROUTE_STATE_SHARED, NULL,
     NULL},
    {"GET", "/devicelogin", devicelogin_get, ROUTE_STATE_NONE, NULL, NULL},
    {"POST", "/devicelogin", devicelogin_post, ROUTE_STATE_SHARED, NULL, NULL},
    {0},
};
