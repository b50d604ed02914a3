/*
 * routes/entra/login_token_test.c - the token endpoint through the request
 * pipeline on a real state with the default fixture and a real signing key: success with
 * each client authentication, the claims, and every AADSTS error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../server/http_testutil.h"
#include "../../server/auth/jwt.h"
#include "../../server/srv.h"
#include "../../state/model/model.h"

#define APP_ID    "bb307b24-a6db-470e-9a3b-e58a68578312"
#define APP_SP    "ffd74704-8647-49d6-8a03-b6b5cf8ce61d"
#define GRAPH_SP  "bd9c1ced-d13a-4ed9-8018-1d502b412f30"
#define RO_APP_ID "0e6a4b2c-8d1f-4e3a-b5c7-9f2d6a8e1b43"
#define TENANT    "2dd67af8-8f6d-47d9-86d2-56d41895239d"
#define GRANT     "grant_type=client_credentials"
#define SCOPE     "scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"

static int setup(void **ctx)
{
	struct test_server_opts opts = {.seed = 1};
	struct srv *srv = test_srv_new(&opts);

	snprintf(srv->cfg.public_url, sizeof(srv->cfg.public_url),
	         "https://localhost:8443");
	assert_non_null(srv_keyring(srv));
	*ctx = srv;
	return 0;
}

static int teardown(void **ctx)
{
	test_srv_free(*ctx);
	return 0;
}

struct reply {
	unsigned status;
	json_t *body; /* parsed response body (owned) */
	char cache[128];
};

/* POST /@tenant/oauth2/v2.0/token with @form (and an Authorization header). */
static struct reply post(struct srv *srv, const char *tenant, const char *form,
                         const char *authorization)
{
	char path[256], auth[1024];
	const char *headers[] = {auth, NULL};
	struct test_request rq = {"POST",
	                          path,
	                          form,
	                          "application/x-www-form-urlencoded",
	                          NULL,
	                          NULL,
	                          authorization ? headers : NULL,
	                          false,
	                          0};
	struct test_reply t;
	struct reply r;

	snprintf(path, sizeof(path), "/%s/oauth2/v2.0/token", tenant);
	snprintf(auth, sizeof(auth), "Authorization: %s",
	         authorization ? authorization : "");
	test_local(srv, &rq, &t);
	r.status = (unsigned)t.status;
	assert_string_equal(t.content_type, "application/json; charset=utf-8");
	r.body = json_incref(t.json);
	assert_non_null(r.body);
	snprintf(r.cache, sizeof(r.cache), "%s", t.cache_control);
	test_reply_release(&t);
	return r;
}

static json_t *claims_of(struct srv *srv, const struct reply *r)
{
	const char *tok = json_string_value(json_object_get(r->body, "access_token"));
	json_t *claims;

	assert_non_null(tok);
	claims = jwt_peek_payload(tok);
	assert_int_equal(keyring_verify(srv_keyring(srv),
	                                state_now_ms(&srv->state) / 1000, tok, claims),
	                 JWT_OK);
	return claims;
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_secret_post(void **ctx)
{
	struct srv *srv = *ctx;
	struct reply r =
	    post(srv, TENANT,
	         "client_id=" APP_ID "&client_secret=s3cr%2Bt&" SCOPE "&" GRANT
	         "&x-client-SKU=msal.js.node&client_info=1&claims=%7B%7D",
	         NULL);
	json_t *c;
	int64_t now = state_now_ms(&srv->state) / 1000;

	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.body, "token_type"), "Bearer");
	assert_int_equal(json_integer_value(json_object_get(r.body, "expires_in")), 3599);
	assert_int_equal(json_integer_value(json_object_get(r.body, "ext_expires_in")),
	                 3599);
	assert_string_equal(r.cache, "no-store, no-cache");
	c = claims_of(srv, &r);
	assert_string_equal(str(c, "aud"), "https://graph.microsoft.com");
	assert_string_equal(str(c, "iss"), "https://sts.windows.net/" TENANT "/");
	assert_string_equal(str(c, "tid"), TENANT);
	assert_string_equal(str(c, "oid"), APP_SP);
	assert_string_equal(str(c, "sub"), APP_SP);
	assert_string_equal(str(c, "appid"), APP_ID);
	assert_string_equal(str(c, "appidacr"), "1");
	assert_string_equal(str(c, "idtyp"), "app");
	assert_string_equal(str(c, "ver"), "1.0");
	assert_string_equal(str(c, "app_displayname"), "Guest onboarding automation");
	assert_true(json_is_array(json_object_get(c, "roles")));
	assert_int_equal(json_array_size(json_object_get(c, "roles")), 6);
	assert_true(json_integer_value(json_object_get(c, "iat")) >= now - 1);
	assert_int_equal(json_integer_value(json_object_get(c, "exp")),
	                 json_integer_value(json_object_get(c, "iat")) + 3599);
	json_decref(c);
	json_decref(r.body);
}

/* roles = the Graph app roles granted to the client's SP, in grant order */
static void test_roles_from_assignments(void **ctx)
{
	struct srv *srv = *ctx;
	struct tenant *t = state_tenant_default(&srv->state);
	struct reply r;
	json_t *c, *roles, *a;
	const char *want[] = {
	    "User.Invite.All",           "User.ReadWrite.All",
	    "GroupMember.ReadWrite.All", "Group.ReadWrite.All",
	    "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All",
	    "Application.Read.All"};

	/* The fixture grants six; grant Application.Read.All on top. */
	a = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", "role-extra", "principalId",
	              APP_SP, "resourceId", GRAPH_SP, "appRoleId",
	              "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "principalType",
	              "ServicePrincipal");
	assert_non_null(state_assignment_add(&srv->state, t, "role-extra", APP_SP,
	                                     GRAPH_SP,
	                                     "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", a));
	r = post(srv, "contoso.onmicrosoft.com",
	         "client_id=" APP_ID "&client_secret=x&" SCOPE "&" GRANT, NULL);
	assert_int_equal(r.status, 200);
	c = claims_of(srv, &r);
	roles = json_object_get(c, "roles");
	assert_int_equal(json_array_size(roles), 7);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(json_string_value(json_array_get(roles, i)), want[i]);
	json_decref(c);
	json_decref(r.body);

	/* The read-only fixture app gets only its two grants. */
	r = post(srv, "contoso.onmicrosoft.com",
	         "client_id=" RO_APP_ID "&client_secret=x&" SCOPE "&" GRANT, NULL);
	assert_int_equal(r.status, 200);
	c = claims_of(srv, &r);
	roles = json_object_get(c, "roles");
	assert_int_equal(json_array_size(roles), 2);
	assert_string_equal(json_string_value(json_array_get(roles, 0)), "User.Read.All");
	assert_string_equal(json_string_value(json_array_get(roles, 1)),
	                    "GroupMember.Read.All");
	json_decref(c);
	json_decref(r.body);
}

static void test_basic_assertion_and_scopes(void **ctx)
{
	struct srv *srv = *ctx;
	struct reply r;
	json_t *c;

	/* client_secret_basic: base64("bb307b24-...:p@ss") */
	r = post(srv, "common", "scope=https://localhost:8443//.default&" GRANT,
	         "Basic YmIzMDdiMjQtYTZkYi00NzBlLTlhM2ItZTU4YTY4NTc4MzEyOnBAc3M=");
	assert_int_equal(r.status, 200);
	c = claims_of(srv, &r);
	assert_string_equal(str(c, "aud"), "https://localhost:8443/");
	assert_string_equal(str(c, "tid"), TENANT);
	json_decref(c);
	json_decref(r.body);

	/* client_assertion (certificate): appidacr 2; ARM scope as az login sends it */
	r = post(
	    srv, "adfs",
	    "client_id=" APP_ID "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3A"
	    "client-assertion-type%3Ajwt-bearer&client_assertion=a.b.c&scope=https%3A%2F"
	    "%2Fmanagement.core.windows.net%2F%2F.default+openid+profile+offline_access"
	    "&" GRANT,
	    NULL);
	assert_int_equal(r.status, 200);
	c = claims_of(srv, &r);
	assert_string_equal(str(c, "aud"), "https://management.core.windows.net/");
	assert_string_equal(str(c, "appidacr"), "2");
	json_decref(c);
	json_decref(r.body);
}

static void expect_error(struct srv *srv, const char *tenant, const char *form,
                         unsigned status, const char *error, unsigned code,
                         const char *message)
{
	struct reply r = post(srv, tenant, form, NULL);
	const char *desc = str(r.body, "error_description");
	char prefix[1200];

	assert_int_equal(r.status, status);
	assert_string_equal(str(r.body, "error"), error);
	assert_int_equal(
	    json_integer_value(json_array_get(json_object_get(r.body, "error_codes"), 0)),
	    code);
	snprintf(prefix, sizeof(prefix), "AADSTS%u: %s\r\nTrace ID: ", code, message);
	assert_non_null(desc);
	assert_int_equal(strncmp(desc, prefix, strlen(prefix)), 0);
	assert_non_null(strstr(desc, "\r\nCorrelation ID: "));
	assert_non_null(str(r.body, "timestamp"));
	assert_non_null(str(r.body, "trace_id"));
	assert_string_equal(r.cache, "no-store, no-cache");
	json_decref(r.body);
}

static void test_errors(void **ctx)
{
	struct srv *srv = *ctx;

	expect_error(
	    srv, "nope.example", "client_id=" APP_ID "&client_secret=x&" GRANT, 400,
	    "invalid_tenant", 90002,
	    "Tenant 'nope.example' not found. This may happen if there are no "
	    "active subscriptions for the tenant. Check to make sure you have the "
	    "correct tenant ID. Check with your subscription administrator.");
	expect_error(srv, TENANT, "client_id=" APP_ID "&client_secret=x&" SCOPE, 400,
	             "invalid_request", 900144,
	             "The request body must contain the following parameter: "
	             "'grant_type'.");
	expect_error(srv, TENANT,
	             "client_id=" APP_ID "&client_secret=x&" SCOPE "&grant_type=password",
	             400, "unsupported_grant_type", 70003,
	             "The app requested an unsupported grant type 'password'.");
	expect_error(
	    srv, TENANT, "client_secret=x&" SCOPE "&" GRANT, 400, "invalid_request",
	    900144,
	    "The request body must contain the following parameter: 'client_id'.");
	expect_error(srv, TENANT, "client_id=" APP_ID "&client_secret=x&" GRANT, 400,
	             "invalid_request", 900144,
	             "The request body must contain the following parameter: 'scope'.");
	expect_error(
	    srv, TENANT,
	    "client_id=0a0a0a0a-0000-4000-8000-000000000000&client_secret=x&" SCOPE
	    "&" GRANT,
	    400, "unauthorized_client", 700016,
	    "Application with identifier '0a0a0a0a-0000-4000-8000-000000000000' was "
	    "not found in the directory 'Contoso'. This can happen if the "
	    "application has not been installed by the administrator of the "
	    "tenant or consented to by any user in the tenant. You may have sent "
	    "your authentication request to the wrong tenant.");
	expect_error(srv, TENANT, "client_id=" APP_ID "&" SCOPE "&" GRANT, 401,
	             "invalid_client", 7000218,
	             "The request body must contain the following parameter: "
	             "'client_assertion' or 'client_secret'.");
	expect_error(srv, TENANT, "client_id=%zz", 400, "invalid_request", 900144,
	             "The request body must contain the following parameter: "
	             "'grant_type'.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_secret_post),
	    cmocka_unit_test(test_roles_from_assignments),
	    cmocka_unit_test(test_basic_assertion_and_scopes),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
