/*
 * routes/entra/login_flows_test.c - people signing in, end to end through
 * the request pipeline: the authorization code flow with PKCE driven
 * through the sign-in page (prompt=none, the session cookie, login_hint),
 * refresh tokens (revoked by a password change, dead after 90 idle days,
 * bound to their client), the device code flow's polling answers, ROPC,
 * and the delegated tokens themselves (verified with GnuTLS against the
 * JWKS) used on /me with --auth jwt, for a member and for a guest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <nettle/sha2.h>

#include "../../server/http_testutil.h"
#include "../../server/srv.h"
#include "../../state/state.h"
#include "../../state/util/b64.h"
#include "login_testutil.h"

#define REDIRECT     "http://localhost:3000/redirect"
#define REDIRECT_ENC "http%3A%2F%2Flocalhost%3A3000%2Fredirect"
#define VERIFIER     "graphmock-test-verifier-0123456789abcdefghijklmnopq"
#define DEVICE_GRANT "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"

static int setup(void **ctx)
{
	*ctx = lt_srv();
	return 0;
}

static int teardown(void **ctx)
{
	test_srv_free(*ctx);
	return 0;
}

static void challenge_of(const char *verifier, char out[48])
{
	struct sha256_ctx c;
	unsigned char d[32];

	sha256_init(&c);
	sha256_update(&c, strlen(verifier), (const uint8_t *)verifier);
	sha256_digest(&c, sizeof(d), d);
	b64url_encode_to(d, sizeof(d), out);
}

/* The authorize query for the public fixture app with PKCE. */
static void authorize_query(char *out, size_t len, const char *extra)
{
	char ch[48];

	challenge_of(VERIFIER, ch);
	snprintf(out, len,
	         "client_id=%s&response_type=code&redirect_uri=%s"
	         "&scope=User.Read+openid+profile+offline_access&state=st-1&nonce=nonce-1"
	         "&code_challenge=%s&code_challenge_method=S256%s",
	         LT_PUBLIC, REDIRECT_ENC, ch, extra ? extra : "");
}

/* A query value of @url, into @out. */
static bool url_param(const char *url, const char *name, char *out, size_t len)
{
	size_t n = strlen(name);
	const char *p = strchr(url, '?');

	for (p = p ? p + 1 : NULL; p && *p;) {
		if (!strncmp(p, name, n) && p[n] == '=') {
			snprintf(out, len, "%.*s", (int)strcspn(p + n + 1, "&#"),
			         p + n + 1);
			return true;
		}
		p = strchr(p, '&');
		p = p ? p + 1 : NULL;
	}
	return false;
}

/* Sign in on the page as @user/@password; the code from the redirect into @code. */
static struct lt_reply sign_in(struct srv *srv, const char *user, const char *password,
                               const char *extra)
{
	char query[1024], form[2048], *u = lt_form_encode(user),
	                              *p = lt_form_encode(password);

	authorize_query(query, sizeof(query), extra);
	snprintf(form, sizeof(form), "%s&username=%s&password=%s&action=accept", query, u,
	         p);
	free(u);
	free(p);
	return lt_call(srv, "POST", "/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
	               form, "application/x-www-form-urlencoded", NULL);
}

static struct lt_reply redeem(struct srv *srv, const char *code, const char *verifier)
{
	char form[2048];

	snprintf(form, sizeof(form),
	         "client_id=%s&grant_type=authorization_code&code=%s&redirect_uri=%s%s%s"
	         "&client_info=1",
	         LT_PUBLIC, code, REDIRECT_ENC, verifier ? "&code_verifier=" : "",
	         verifier ? verifier : "");
	return lt_token(srv, LT_TENANT, form, NULL);
}

static void test_auth_code_pkce(void **ctx)
{
	struct srv *srv = *ctx;
	char query[1024], path[1200], code[256];
	struct lt_reply r;
	json_t *c;

	/* the page: a form carrying the request, for a plain HTTP client to post */
	authorize_query(query, sizeof(query),
	                "&login_hint="
	                "AdeleV%40contoso.onmicrosoft.com");
	snprintf(path, sizeof(path), "/contoso.onmicrosoft.com/oauth2/v2.0/authorize?%s",
	         query);
	r = lt_call(srv, "GET", path, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/html; charset=utf-8");
	assert_non_null(strstr(r.text, "<form method=\"post\">"));
	assert_non_null(strstr(r.text, "name=\"code_challenge\""));
	assert_non_null(strstr(r.text, "value=\"" LT_ADELE_UPN "\"")); /* login_hint */
	assert_non_null(
	    strstr(r.text, "Read-only reporting</strong> wants to sign you in"));
	lt_reply_release(&r);

	/* a wrong password: the page again, with AADSTS50126 */
	r = sign_in(srv, LT_ADELE_UPN, "nope", NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.text, "AADSTS50126: Error validating credentials"));
	lt_reply_release(&r);

	r = sign_in(srv, LT_ADELE_UPN, LT_ADELE_PW, NULL);
	assert_int_equal(r.status, 302);
	assert_int_equal(strncmp(r.location, REDIRECT "?code=", strlen(REDIRECT) + 6), 0);
	assert_true(url_param(r.location, "code", code, sizeof(code)));
	{
		char state[32], session[64];
		assert_true(url_param(r.location, "state", state, sizeof(state)));
		assert_string_equal(state, "st-1");
		assert_true(
		    url_param(r.location, "session_state", session, sizeof(session)));
	}
	lt_reply_release(&r);

	/* PKCE: no verifier, then a wrong one; the code survives both */
	r = redeem(srv, code, NULL);
	lt_expect_error(
	    &r, 400, "invalid_grant", 50148,
	    "The code_verifier does not match the code_challenge supplied in the "
	    "authorization request for PKCE.");
	r = redeem(srv, code, "not-the-verifier");
	lt_expect_error(
	    &r, 400, "invalid_grant", 501481,
	    "The Code_Verifier does not match the code_challenge supplied in the "
	    "authorization request.");
	r = redeem(srv, code, VERIFIER);
	assert_int_equal(r.status, 200);
	assert_string_equal(lt_str(r.body, "scope"), "User.Read openid profile");
	assert_non_null(lt_str(r.body, "refresh_token"));
	assert_non_null(lt_str(r.body, "client_info"));
	c = lt_verified_claims(srv, lt_str(r.body, "access_token"));
	assert_string_equal(lt_str(c, "idtyp"), "user");
	assert_string_equal(lt_str(c, "oid"), LT_ADELE);
	assert_string_equal(lt_str(c, "upn"), LT_ADELE_UPN);
	assert_string_equal(lt_str(c, "scp"), "User.Read");
	assert_string_equal(lt_str(c, "appidacr"), "0");
	assert_int_equal(json_integer_value(json_object_get(c, "acct")), 0);
	json_decref(c);
	c = lt_verified_claims(srv, lt_str(r.body, "id_token"));
	assert_string_equal(lt_str(c, "aud"), LT_PUBLIC);
	assert_string_equal(lt_str(c, "nonce"), "nonce-1");
	assert_string_equal(lt_str(c, "preferred_username"), LT_ADELE_UPN);
	assert_string_equal(lt_str(c, "name"), "Adele Vance");
	assert_string_equal(lt_str(c, "tid"), LT_TENANT);
	assert_string_equal(lt_str(c, "oid"), LT_ADELE);
	assert_string_equal(lt_str(c, "iss"), LT_ORIGIN "/" LT_TENANT "/v2.0");
	json_decref(c);
	lt_reply_release(&r);
	/* single use */
	r = redeem(srv, code, VERIFIER);
	lt_expect_error(&r, 400, "invalid_grant", 54005,
	                "OAuth2 Authorization code was already redeemed");
	r = redeem(srv, "1.garbage", VERIFIER);
	lt_expect_error(&r, 400, "invalid_grant", 9002313,
	                "Invalid request. Request is malformed or invalid.");
}

static void test_prompt_none_and_session(void **ctx)
{
	struct srv *srv = *ctx;
	char query[1024], path[1300], cookie[4096], code[256], *sc;
	struct lt_reply r;

	authorize_query(query, sizeof(query), "&prompt=none");
	snprintf(path, sizeof(path), "/contoso.onmicrosoft.com/oauth2/v2.0/authorize?%s",
	         query);
	/* no session: login_required, back to the app */
	r = lt_call(srv, "GET", path, NULL, NULL, NULL);
	assert_int_equal(r.status, 302);
	assert_non_null(strstr(r.location, "error=login_required"));
	assert_non_null(strstr(r.location, "AADSTS50058"));
	assert_non_null(strstr(r.location, "state=st-1"));
	lt_reply_release(&r);

	/* sign in once: the session cookie comes back with the code */
	{
		char form[2048];
		authorize_query(query, sizeof(query), NULL);
		snprintf(form, sizeof(form),
		         "%s&username=admin%%40contoso.onmicrosoft.com&password=Admin-"
		         "Pass-1%%21"
		         "&action=accept",
		         query);
		struct test_reply t;
		struct test_request rq = {
		    "POST", "/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
		    form,   "application/x-www-form-urlencoded",
		    NULL,   NULL,
		    NULL,   false,
		    0};
		test_local(srv, &rq, &t);
		assert_int_equal(t.status, 302);
		test_reply_release(&t);
	}
	/* test_local keeps no response headers but Location: seal the cookie the same way
	 */
	{
		json_t *s = json_pack("{s:s, s:s, s:s, s:s, s:I}", "typ", "session",
		                      "tid", LT_TENANT, "oid", LT_ADMIN, "sid", "sid-1",
		                      "auth", (json_int_t)1);
		sc = srv->services.seal(srv->services.ctx, s);
		json_decref(s);
		snprintf(cookie, sizeof(cookie), "Cookie: a=b; graphmock_session=%s", sc);
		free(sc);
	}
	authorize_query(query, sizeof(query), "&prompt=none");
	snprintf(path, sizeof(path), "/contoso.onmicrosoft.com/oauth2/v2.0/authorize?%s",
	         query);
	r = lt_call(srv, "GET", path, NULL, NULL, cookie);
	assert_int_equal(r.status, 302);
	assert_true(url_param(r.location, "code", code, sizeof(code)));
	lt_reply_release(&r);
	r = redeem(srv, code, VERIFIER);
	assert_int_equal(r.status, 200);
	{
		json_t *c = lt_verified_claims(srv, lt_str(r.body, "access_token"));
		assert_string_equal(lt_str(c, "oid"), LT_ADMIN);
		json_decref(c);
	}
	lt_reply_release(&r);
	/* a login_hint naming someone else than the session: login_required */
	authorize_query(query, sizeof(query),
	                "&prompt=none&login_hint=AdeleV%40contoso.onmicrosoft.com");
	snprintf(path, sizeof(path), "/contoso.onmicrosoft.com/oauth2/v2.0/authorize?%s",
	         query);
	r = lt_call(srv, "GET", path, NULL, NULL, cookie);
	assert_non_null(strstr(r.location, "error=login_required"));
	lt_reply_release(&r);
	/* a forged cookie is no session */
	r = lt_call(srv, "GET", path, NULL, NULL, "Cookie: graphmock_session=e30.AAAA");
	assert_non_null(strstr(r.location, "error=login_required"));
	lt_reply_release(&r);
}

static void test_authorize_refusals(void **ctx)
{
	struct srv *srv = *ctx;
	char query[1024], path[1300];
	struct lt_reply r;

	/* an unregistered redirect URI is shown on the page, never redirected to */
	r = lt_call(srv, "GET",
	            "/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=" LT_PUBLIC
	            "&response_type=code&scope=User.Read&redirect_uri=https%3A%2F%2Fevil."
	            "example%2F",
	            NULL, NULL, NULL);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.text, "AADSTS50011"));
	assert_string_equal(r.location, "");
	lt_reply_release(&r);
	r = lt_call(
	    srv, "GET",
	    "/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=0a0a0a0a-0000-4000-"
	    "8000-000000000000&response_type=code&scope=User.Read&redirect_"
	    "uri=" REDIRECT_ENC,
	    NULL, NULL, NULL);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.text, "AADSTS700016"));
	lt_reply_release(&r);
	/* the person cancels: access_denied to the app */
	authorize_query(query, sizeof(query), "&action=cancel");
	r = lt_call(srv, "POST", "/contoso.onmicrosoft.com/oauth2/v2.0/authorize", query,
	            "application/x-www-form-urlencoded", NULL);
	assert_int_equal(r.status, 302);
	assert_non_null(strstr(r.location, "error=access_denied"));
	assert_non_null(strstr(r.location, "AADSTS65004"));
	lt_reply_release(&r);
	/* a confidential web redirect: the code needs the app's secret */
	snprintf(path, sizeof(path), "%s",
	         "/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=" LT_APP
	         "&response_type=code&scope=User.Read&redirect_uri=http%3A%2F%"
	         "2Flocalhost%3A3000"
	         "%2Fauth%2Fcallback");
	r = lt_call(srv, "GET", path, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	lt_reply_release(&r);
}

static void test_refresh(void **ctx)
{
	struct srv *srv = *ctx;
	char form[4096], rt[2048];
	struct lt_reply r;

	r = lt_token(
	    srv, LT_TENANT,
	    "client_id=" LT_PUBLIC "&grant_type=password&username=AdeleV%40contoso."
	    "onmicrosoft.com&password=Adele-Pass-1%21&scope=User.Read+offline_access",
	    NULL);
	assert_int_equal(r.status, 200);
	snprintf(rt, sizeof(rt), "%s", lt_str(r.body, "refresh_token"));
	assert_null(lt_str(r.body, "id_token")); /* no openid asked */
	lt_reply_release(&r);
	snprintf(form, sizeof(form),
	         "client_id=" LT_PUBLIC "&grant_type=refresh_token&refresh_token=%s", rt);
	r = lt_token(srv, LT_TENANT, form, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(lt_str(r.body, "refresh_token"));
	lt_reply_release(&r);
	/* another client cannot use it */
	snprintf(form, sizeof(form),
	         "client_id=" LT_APP "&client_secret=" LT_SECRET
	         "&grant_type=refresh_token&refresh_token=%s",
	         rt);
	r = lt_token(srv, LT_TENANT, form, NULL);
	lt_expect_error(&r, 400, "invalid_grant", 70000,
	                "Provided grant is invalid or malformed.");
	/* tampered */
	r = lt_token(srv, LT_TENANT,
	             "client_id=" LT_PUBLIC
	             "&grant_type=refresh_token&refresh_token=e30.AAAA",
	             NULL);
	lt_expect_error(&r, 400, "invalid_grant", 9002313, "Invalid request.");
	/* 90 days idle on the mock clock */
	snprintf(form, sizeof(form),
	         "client_id=" LT_PUBLIC "&grant_type=refresh_token&refresh_token=%s", rt);
	atomic_store(&srv->state.clock.offset_ms, (int64_t)91 * 86400 * 1000);
	r = lt_token(srv, LT_TENANT, form, NULL);
	assert_string_equal(lt_str(r.body, "suberror"), "bad_token");
	lt_expect_error(&r, 400, "invalid_grant", 700082,
	                "The refresh token has expired due to inactivity.");
	atomic_store(&srv->state.clock.offset_ms, 0);
	/* a new password ends the sessions */
	r = lt_call(srv, "PATCH", "/v1.0/users/" LT_ADELE,
	            "{\"passwordProfile\":{\"password\":\"New-Pass-2!\"}}",
	            "application/json", NULL);
	assert_int_equal(r.status, 204);
	lt_reply_release(&r);
	r = lt_token(srv, LT_TENANT, form, NULL);
	lt_expect_error(&r, 400, "invalid_grant", 50173,
	                "The provided grant has expired due to it being revoked");
	r = lt_token(srv, LT_TENANT,
	             "client_id=" LT_PUBLIC
	             "&grant_type=password&username=AdeleV%40contoso."
	             "onmicrosoft.com&password=Adele-Pass-1%21&scope=User.Read",
	             NULL);
	lt_expect_error(&r, 400, "invalid_grant", 50126, "Error validating credentials");
	r = lt_token(srv, LT_TENANT,
	             "client_id=" LT_PUBLIC
	             "&grant_type=password&username=AdeleV%40contoso."
	             "onmicrosoft.com&password=New-Pass-2%21&scope=User.Read",
	             NULL);
	assert_int_equal(r.status, 200);
	lt_reply_release(&r);
	/* and the new password is nowhere in the state export */
	r = lt_call(srv, "GET", "/_mock/state", NULL, NULL, NULL);
	assert_null(strstr(r.text, "New-Pass-2!"));
	assert_null(strstr(r.text, "Adele-Pass-1!"));
	lt_reply_release(&r);
}

static void test_ropc_refusals(void **ctx)
{
	struct srv *srv = *ctx;
	struct lt_reply r;

	r = lt_token(srv, "common",
	             "client_id=" LT_PUBLIC
	             "&grant_type=password&username=a&password=b&scope=x",
	             NULL);
	lt_expect_error(&r, 400, "invalid_request", 9001023,
	                "The grant type is not supported over the /common or /consumers "
	                "endpoints.");
	r = lt_token(srv, LT_TENANT,
	             "client_id=" LT_PUBLIC
	             "&grant_type=password&username=nobody%40contoso."
	             "onmicrosoft.com&password=b&scope=User.Read",
	             NULL);
	lt_expect_error(&r, 400, "invalid_grant", 50034,
	                "The user account {EmailHidden} does not exist in the Contoso "
	                "directory.");
	/* a confidential app needs its secret for ROPC too */
	r = lt_token(srv, LT_TENANT,
	             "client_id=" LT_APP "&grant_type=password&username=admin%40contoso."
	             "onmicrosoft.com&password=Admin-Pass-1%21&scope=User.Read",
	             NULL);
	lt_expect_error(&r, 401, "invalid_client", 7000218,
	                "The request body must contain");
	r = lt_token(
	    srv, LT_TENANT,
	    "client_id=" LT_APP "&client_secret=" LT_SECRET
	    "&grant_type=password&username=admin%40contoso.onmicrosoft.com&password="
	    "Admin-Pass-1%21&scope=User.Read",
	    NULL);
	assert_int_equal(r.status, 200);
	lt_reply_release(&r);
	r = lt_call(srv, "PATCH", "/v1.0/users/" LT_ADMIN, "{\"accountEnabled\":false}",
	            "application/json", NULL);
	lt_reply_release(&r);
	r = lt_token(srv, LT_TENANT,
	             "client_id=" LT_PUBLIC
	             "&grant_type=password&username=admin%40contoso."
	             "onmicrosoft.com&password=Admin-Pass-1%21&scope=User.Read",
	             NULL);
	lt_expect_error(&r, 400, "invalid_grant", 50057, "The user account is disabled.");
	r = lt_call(srv, "PATCH", "/v1.0/users/" LT_ADMIN, "{\"accountEnabled\":true}",
	            "application/json", NULL);
	lt_reply_release(&r);
}

static void device_start(struct srv *srv, char *device, size_t dlen, char *user,
                         size_t ulen)
{
	struct lt_reply r = lt_call(srv, "POST", "/organizations/oauth2/v2.0/devicecode",
	                            "client_id=" LT_PUBLIC "&scope=User.Read+openid",
	                            "application/x-www-form-urlencoded", NULL);

	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.body, "expires_in")), 900);
	assert_int_equal(json_integer_value(json_object_get(r.body, "interval")), 5);
	assert_string_equal(lt_str(r.body, "verification_uri"), LT_ORIGIN "/devicelogin");
	assert_non_null(strstr(lt_str(r.body, "message"), lt_str(r.body, "user_code")));
	snprintf(device, dlen, "%s", lt_str(r.body, "device_code"));
	snprintf(user, ulen, "%s", lt_str(r.body, "user_code"));
	lt_reply_release(&r);
}

static struct lt_reply poll(struct srv *srv, const char *client, const char *device)
{
	char form[1024];

	snprintf(form, sizeof(form), "client_id=%s&%s&device_code=%s", client,
	         DEVICE_GRANT, device);
	return lt_token(srv, "organizations", form, NULL);
}

static void test_device_code(void **ctx)
{
	struct srv *srv = *ctx;
	char device[256], user[32], path[128], form[512];
	struct lt_reply r;

	device_start(srv, device, sizeof(device), user, sizeof(user));
	r = poll(srv, LT_PUBLIC, device);
	lt_expect_error(&r, 400, "authorization_pending", 70016,
	                "OAuth 2.0 device flow error. Authorization is pending. Continue "
	                "polling.");
	/* a confidential app cannot poll without its secret */
	r = poll(srv, LT_APP, device);
	lt_expect_error(&r, 401, "invalid_client", 7000218,
	                "The request body must contain");
	r = poll(srv, LT_PUBLIC, "DAQ-unknown");
	lt_expect_error(&r, 400, "invalid_grant", 7000014,
	                "The provided value for the input parameter 'device_code' is not "
	                "valid.");
	/* a person on the page: a wrong password first */
	snprintf(
	    form, sizeof(form),
	    "otc=%s&username=AdeleV%%40contoso.onmicrosoft.com&password=x&action=accept",
	    user);
	r = lt_call(srv, "POST", "/devicelogin", form,
	            "application/x-www-form-urlencoded", NULL);
	assert_non_null(strstr(r.text, "AADSTS50126"));
	lt_reply_release(&r);
	snprintf(
	    form, sizeof(form),
	    "otc=%s&username=AdeleV%%40contoso.onmicrosoft.com&password=Adele-Pass-1%%21"
	    "&action=accept",
	    user);
	r = lt_call(srv, "POST", "/devicelogin", form,
	            "application/x-www-form-urlencoded", NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.text, "You have signed in"));
	lt_reply_release(&r);
	r = poll(srv, LT_PUBLIC, device);
	assert_int_equal(r.status, 200);
	{
		json_t *c = lt_verified_claims(srv, lt_str(r.body, "access_token"));
		assert_string_equal(lt_str(c, "oid"), LT_ADELE);
		json_decref(c);
	}
	assert_non_null(lt_str(r.body, "id_token"));
	lt_reply_release(&r);
	r = poll(srv, LT_PUBLIC, device);
	lt_expect_error(&r, 400, "invalid_grant", 7000014, "The provided value");

	/* declined through the admin API */
	device_start(srv, device, sizeof(device), user, sizeof(user));
	snprintf(path, sizeof(path), "/_mock/devicecode/%s/decline", user);
	r = lt_call(srv, "POST", path, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	lt_reply_release(&r);
	r = poll(srv, LT_PUBLIC, device);
	lt_expect_error(&r, 400, "authorization_declined", 70000,
	                "The user has declined authorization.");
	r = lt_call(srv, "POST", path, NULL, NULL, NULL);
	assert_int_equal(r.status, 409);
	lt_reply_release(&r);

	/* expired on the mock clock */
	device_start(srv, device, sizeof(device), user, sizeof(user));
	atomic_store(&srv->state.clock.offset_ms, (int64_t)901 * 1000);
	r = poll(srv, LT_PUBLIC, device);
	lt_expect_error(&r, 400, "expired_token", 70020,
	                "The provided value for the input parameter 'device_code' is not "
	                "valid. This device code has expired.");
	atomic_store(&srv->state.clock.offset_ms, 0);

	/* approved through the admin API, as a test would */
	device_start(srv, device, sizeof(device), user, sizeof(user));
	snprintf(path, sizeof(path), "/_mock/devicecode/%s/approve", user);
	r = lt_call(srv, "POST", path, "{\"user\":\"nobody@contoso.onmicrosoft.com\"}",
	            "application/json", NULL);
	assert_int_equal(r.status, 400);
	lt_reply_release(&r);
	r = lt_call(srv, "POST", path, "{\"user\":\"admin@contoso.onmicrosoft.com\"}",
	            "application/json", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(lt_str(r.body, "userId"), LT_ADMIN);
	lt_reply_release(&r);
	/* MSAL sends grant_type=device_code, which Entra takes as the URN */
	snprintf(form, sizeof(form), "client_id=%s&grant_type=device_code&device_code=%s",
	         LT_PUBLIC, device);
	r = lt_token(srv, "organizations", form, NULL);
	assert_int_equal(r.status, 200);
	lt_reply_release(&r);
	r = lt_call(srv, "POST", "/_mock/devicecode/NOSUCHCODE/approve",
	            "{\"user\":\"x\"}", "application/json", NULL);
	assert_int_equal(r.status, 404);
	lt_reply_release(&r);
}

static char *ropc(struct srv *srv, const char *user, const char *password,
                  const char *scope)
{
	char form[1024], *u = lt_form_encode(user), *p = lt_form_encode(password);
	struct lt_reply r;
	char *tok;

	snprintf(form, sizeof(form),
	         "client_id=" LT_PUBLIC
	         "&grant_type=password&username=%s&password=%s&scope=%s",
	         u, p, scope);
	free(u);
	free(p);
	r = lt_token(srv, LT_TENANT, form, NULL);
	if (r.status != 200)
		fail_msg("ROPC for %s: %u %s", user, r.status, r.text);
	tok = strdup(lt_str(r.body, "access_token"));
	lt_reply_release(&r);
	return tok;
}

static unsigned graph(struct srv *srv, const char *method, const char *path,
                      const char *body, const char *token)
{
	struct test_reply *r = test_local_call(srv, method, path, body,
	                                       body ? "application/json" : NULL, token);
	unsigned status = (unsigned)r->status;

	test_reply_free(r);
	return status;
}

static void test_me_and_delegated_permissions(void **ctx)
{
	struct srv *srv = *ctx;
	char *adele = ropc(srv, LT_ADELE_UPN, LT_ADELE_PW, "User.Read");
	char *reader = ropc(srv, LT_ADELE_UPN, LT_ADELE_PW,
	                    "User.Read.All+GroupMember.ReadWrite.All");
	char *admin = ropc(srv, "admin@contoso.onmicrosoft.com", "Admin-Pass-1!",
	                   "User.ReadWrite.All+GroupMember.ReadWrite.All");
	struct lt_reply t = lt_token(srv, LT_TENANT,
	                             "client_id=" LT_APP "&client_secret=" LT_SECRET
	                             "&grant_type=client_credentials&" LT_GRAPH_SCOPE,
	                             NULL);
	char *app = strdup(lt_str(t.body, "access_token"));
	struct test_reply *r;

	lt_reply_release(&t);
	srv->cfg.auth = AUTH_JWT;
	r = test_local_call(srv, "GET", "/v1.0/me", NULL, NULL, adele);
	assert_int_equal(r->status, 200);
	assert_string_equal(lt_str(r->json, "id"), LT_ADELE);
	test_reply_free(r);
	assert_int_equal(graph(srv, "GET", "/v1.0/me/memberOf", NULL, adele), 200);
	assert_int_equal(
	    graph(srv, "GET", "/v1.0/me/transitiveMemberOf/$count", NULL, adele),
	    400); /* Graph wants ConsistencyLevel: past auth */
	/* User.Read reads only oneself */
	assert_int_equal(graph(srv, "GET", "/v1.0/users", NULL, adele), 403);
	assert_int_equal(graph(srv, "GET", "/v1.0/users", NULL, reader), 200);
	/* app-only tokens: Graph's 400, after the token passed */
	r = test_local_call(srv, "GET", "/v1.0/me", NULL, NULL, app);
	assert_int_equal(r->status, 400);
	assert_string_equal(
	    lt_str(json_object_get(r->json, "error"), "message"),
	    "/me request is only valid with delegated authentication flow.");
	test_reply_free(r);
	/* a member with the scope but no admin role cannot write users */
	assert_int_equal(
	    graph(srv, "PATCH", "/v1.0/users/" LT_ADMIN, "{\"jobTitle\":\"x\"}", reader),
	    403);
	assert_int_equal(
	    graph(srv, "POST",
	          "/v1.0/groups/1892265b-9c32-4dcf-b9ab-51bf32136e62/members/$ref",
	          "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/"
	          "directoryObjects/" LT_ADMIN "\"}",
	          reader),
	    403);
	/* the Global Administrator can */
	assert_int_equal(
	    graph(srv, "PATCH", "/v1.0/users/" LT_ADELE, "{\"jobTitle\":\"x\"}", admin),
	    204);
	srv->cfg.auth = AUTH_NONE;
	free(adele);
	free(reader);
	free(admin);
	free(app);
}

/* A guest who redeemed an invitation signs in as a guest and sees what guests may. */
static void test_guest(void **ctx)
{
	struct srv *srv = *ctx;
	struct test_reply *r;
	char user_code[32], device[256], path[128], guest[64], *tok;
	struct lt_reply l;
	json_t *c;

	r = test_local_call(srv, "POST", "/v1.0/invitations",
	                    "{\"invitedUserEmailAddress\":\"dev@fabrikam.example\","
	                    "\"inviteRedirectUrl\":\"https://myapp.example\"}",
	                    "application/json", NULL);
	assert_int_equal(r->status, 201);
	snprintf(guest, sizeof(guest), "%s",
	         lt_str(json_object_get(r->json, "invitedUser"), "id"));
	snprintf(path, sizeof(path), "/_mock/invitations/%s/redeem",
	         lt_str(r->json, "id"));
	test_reply_free(r);
	l = lt_call(srv, "POST", path, NULL, NULL, NULL);
	assert_int_equal(l.status, 200);
	lt_reply_release(&l);
	device_start(srv, device, sizeof(device), user_code, sizeof(user_code));
	snprintf(path, sizeof(path), "/_mock/devicecode/%s/approve", user_code);
	l = lt_call(srv, "POST", path, "{\"user\":\"dev@fabrikam.example\"}",
	            "application/json", NULL);
	assert_int_equal(l.status, 200);
	lt_reply_release(&l);
	l = poll(srv, LT_PUBLIC, device);
	assert_int_equal(l.status, 200);
	tok = strdup(lt_str(l.body, "access_token"));
	lt_reply_release(&l);
	c = lt_verified_claims(srv, tok);
	assert_int_equal(json_integer_value(json_object_get(c, "acct")), 1);
	assert_string_equal(lt_str(c, "idtyp"), "user");
	assert_string_equal(lt_str(c, "oid"), guest);
	assert_null(json_object_get(c, "upn"));
	assert_string_equal(lt_str(c, "email"), "dev@fabrikam.example");
	assert_string_equal(lt_str(c, "unique_name"), "mail#dev@fabrikam.example");
	json_decref(c);
	srv->cfg.auth = AUTH_JWT;
	assert_int_equal(graph(srv, "GET", "/v1.0/me", NULL, tok), 200);
	assert_int_equal(graph(srv, "GET", "/v1.0/users/" LT_ADELE, NULL, tok), 403);
	free(tok);
	srv->cfg.auth = AUTH_NONE;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_auth_code_pkce, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_prompt_none_and_session, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_authorize_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refresh, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ropc_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_device_code, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_me_and_delegated_permissions, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_guest, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
