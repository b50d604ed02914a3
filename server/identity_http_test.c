/*
 * server/identity_http_test.c - HTTPS and --auth jwt end to end: a real
 * daemon on port 0 serving TLS with a throwaway CA (conformance/certs.sh),
 * libcurl verifying it; tokens from the mock token endpoint used on Graph
 * routes; every 401 of graph-spec §10.3 with its WWW-Authenticate header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../state/load/fixture.h"
#include "auth/auth.h"
#include "http/fault_apply.h"
#include "http_testutil.h"
#include "srv.h"
#include "http/http.h"

#define TENANT "2dd67af8-8f6d-47d9-86d2-56d41895239d"
#define APP    "bb307b24-a6db-470e-9a3b-e58a68578312"

static struct srv *server_start(bool tls, enum auth_mode auth)
{
	struct test_server_opts o = {.seed = 1, .tls = tls, .auth = auth};

	return test_server_start(&o);
}

static void expect_401(struct srv *srv, const char *token, const char *message)
{
	struct test_reply *r = test_call(srv, "GET", "/v1.0/users", NULL, NULL, token);
	json_t *e = json_object_get(r->json, "error");

	assert_int_equal(r->status, 401);
	assert_string_equal(json_string_value(json_object_get(e, "code")),
	                    "InvalidAuthenticationToken");
	assert_string_equal(json_string_value(json_object_get(e, "message")), message);
	assert_string_equal(r->www_auth, AUTH_WWW_AUTHENTICATE);
	test_reply_free(r);
}

static void test_https_links_and_oidc(void **s)
{
	struct srv *srv = server_start(true, AUTH_NONE);
	struct test_reply *r;
	char want[128];

	(void)s;
	assert_string_equal(srv_scheme(srv), "https");
	r = test_call(srv, "GET", "/v1.0/users?$top=1", NULL, NULL, NULL);
	assert_int_equal(r->rc, CURLE_OK); /* the CA verified the certificate */
	assert_int_equal(r->status, 200);
	snprintf(want, sizeof(want), "https://localhost:%u/v1.0/users?", srv->port);
	assert_int_equal(
	    strncmp(json_string_value(json_object_get(r->json, "@odata.nextLink")), want,
	            strlen(want)),
	    0);
	test_reply_free(r);
	r = test_call(srv, "GET", "/" TENANT "/v2.0/.well-known/openid-configuration",
	              NULL, NULL, NULL);
	snprintf(want, sizeof(want), "https://localhost:%u/" TENANT "/oauth2/v2.0/token",
	         srv->port);
	assert_string_equal(json_string_value(json_object_get(r->json, "token_endpoint")),
	                    want);
	test_reply_free(r);
	test_server_stop(srv);
}

static void test_auth_jwt(void **s)
{
	struct srv *srv = server_start(true, AUTH_JWT);
	char *graph =
	    test_token(srv, TENANT, APP, "https%3A%2F%2Fgraph.microsoft.com%2F.default");
	char *own, *arm, *tampered;
	char scope[128];
	struct test_reply *r;

	(void)s;
	snprintf(scope, sizeof(scope), "https%%3A%%2F%%2Flocalhost%%3A%u%%2F%%2F.default",
	         srv->port);
	own = test_token(srv, TENANT, APP,
	                 scope); /* az's <microsoftGraphResourceId>/.default */
	arm = test_token(srv, TENANT, APP,
	                 "https%3A%2F%2Fmanagement.core.windows.net%2F%2F.default");

	r = test_call(srv, "GET", "/v1.0/users/$count", NULL, NULL, graph);
	assert_int_equal(r->status, 400); /* past auth: Graph wants ConsistencyLevel */
	test_reply_free(r);
	r = test_call(srv, "GET", "/v1.0/groups", NULL, NULL, graph);
	assert_int_equal(r->status, 200);
	test_reply_free(r);
	r = test_call(srv, "GET", "/v1.0/groups", NULL, NULL, own);
	assert_int_equal(r->status, 200);
	test_reply_free(r);
	/* admin and login routes never need a token */
	r = test_call(srv, "GET", "/_mock/health", NULL, NULL, NULL);
	assert_int_equal(r->status, 200);
	test_reply_free(r);
	/* Graph routes before it authenticates: no token, unknown segment -> 400 */
	r = test_call(srv, "GET", "/v1.0/nonsense", NULL, NULL, NULL);
	assert_int_equal(r->status, 400);
	test_reply_free(r);
	r = test_call(srv, "DELETE", "/v1.0/users", NULL, NULL, NULL);
	assert_int_equal(r->status, 405);
	test_reply_free(r);

	expect_401(srv, NULL, AUTH_MSG_EMPTY);
	expect_401(srv, "opaque-not-a-jwt", AUTH_MSG_NOT_JWS);
	expect_401(srv, arm, AUTH_MSG_AUDIENCE);
	tampered = strdup(graph);
	tampered[strlen(tampered) - 10] =
	    tampered[strlen(tampered) - 10] == 'A' ? 'B' : 'A';
	expect_401(srv, tampered, AUTH_MSG_INVALID);

	/* an hour later on the mock clock the token has expired */
	r = test_call(srv, "POST", "/_mock/clock", "{\"shiftMs\": 3600000}",
	              "application/json", NULL);
	assert_int_equal(r->status, 200);
	test_reply_free(r);
	expect_401(srv, graph, AUTH_MSG_EXPIRED);
	free(graph);
	free(own);
	free(arm);
	free(tampered);
	test_server_stop(srv);
}

/* A token from POST /_mock/tokens with @body. New string. */
static char *forged(struct srv *srv, const char *body)
{
	struct test_reply *r =
	    test_call(srv, "POST", "/_mock/tokens", body, "application/json", NULL);
	char *tok;

	assert_int_equal(r->status, 200);
	tok = strdup(json_string_value(json_object_get(r->json, "access_token")));
	test_reply_free(r);
	return tok;
}

static long status_of(struct srv *srv, const char *method, const char *path,
                      const char *token)
{
	struct test_reply *r = test_call(srv, method, path, NULL, NULL, token);
	long status = r->status;

	test_reply_free(r);
	return status;
}

/* Every 401/403 a tool meets, from tokens minted on demand. */
static void test_forged_tokens(void **s)
{
	struct srv *srv = server_start(false, AUTH_JWT);
	char *ok = forged(srv, "{}");
	char *expired = forged(srv, "{\"expiresIn\": -60}");
	char *bad_sig = forged(srv, "{\"signature\": \"invalid\"}");
	char *arm = forged(srv, "{\"aud\": \"https://management.azure.com\"}");
	char *no_roles = forged(srv, "{\"roles\": [\"Group.Read.All\"]}");
	char *adele = forged(srv, "{\"user\": \"AdeleV@contoso.onmicrosoft.com\", "
	                          "\"scp\": \"User.Read\"}");

	(void)s;
	assert_int_equal(status_of(srv, "GET", "/v1.0/users", ok), 200);
	expect_401(srv, expired, AUTH_MSG_EXPIRED);
	expect_401(srv, bad_sig, AUTH_MSG_INVALID);
	expect_401(srv, arm, AUTH_MSG_AUDIENCE);
	assert_int_equal(status_of(srv, "GET", "/v1.0/users", no_roles), 403);
	assert_int_equal(status_of(srv, "GET", "/v1.0/me", adele), 200);
	assert_int_equal(status_of(srv, "GET", "/v1.0/users", adele), 403);
	free(ok);
	free(expired);
	free(bad_sig);
	free(arm);
	free(no_roles);
	free(adele);
	test_server_stop(srv);
}

/* After a rotation both keys are published; old tokens work until they expire. */
static void test_key_rotation(void **s)
{
	struct srv *srv = server_start(false, AUTH_JWT);
	char *old = forged(srv, "{}"), *fresh;
	struct test_reply *r;

	(void)s;
	r = test_call(srv, "POST", "/_mock/keys/rotate", NULL, NULL, NULL);
	assert_int_equal(r->status, 201);
	test_reply_free(r);
	fresh = forged(srv, "{}");
	r = test_call(srv, "GET", "/common/discovery/v2.0/keys", NULL, NULL, NULL);
	assert_int_equal(json_array_size(json_object_get(r->json, "keys")), 2);
	test_reply_free(r);
	assert_int_equal(status_of(srv, "GET", "/v1.0/groups", old), 200);
	assert_int_equal(status_of(srv, "GET", "/v1.0/groups", fresh), 200);
	/* past the old token's expiry the old key is gone from the JWKS */
	r = test_call(srv, "POST", "/_mock/clock", "{\"shiftMs\": 3600000}",
	              "application/json", NULL);
	test_reply_free(r);
	r = test_call(srv, "GET", "/common/discovery/v2.0/keys", NULL, NULL, NULL);
	assert_int_equal(json_array_size(json_object_get(r->json, "keys")), 1);
	test_reply_free(r);
	expect_401(srv, old, AUTH_MSG_INVALID);
	free(old);
	free(fresh);
	test_server_stop(srv);
}

static int make_certs(void **s)
{
	(void)s;
	assert_int_equal(system("conformance/certs.sh " TEST_CERTS " >/dev/null"), 0);
	curl_global_init(CURL_GLOBAL_ALL);
	return 0;
}

static int cleanup(void **s)
{
	(void)s;
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_https_links_and_oidc),
	    cmocka_unit_test(test_auth_jwt),
	    cmocka_unit_test(test_forged_tokens),
	    cmocka_unit_test(test_key_rotation),
	};
	return cmocka_run_group_tests(tests, make_certs, cleanup);
}
