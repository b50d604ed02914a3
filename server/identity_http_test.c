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

#include "../state/fixture.h"
#include "auth.h"
#include "fault_apply.h"
#include "srv.h"

#define CERTS  "build/certs"
#define TENANT "2dd67af8-8f6d-47d9-86d2-56d41895239d"
#define FORM                                                                             \
	"client_id=bb307b24-a6db-470e-9a3b-e58a68578312&client_secret=s&grant_type="     \
	"client_credentials&scope="

static struct srv *server_start(bool tls, enum auth_mode auth)
{
	struct srv *srv = calloc(1, sizeof(*srv));
	char err[256];
	json_t *doc = json_loads(default_fixture_json, 0, NULL);

	config_defaults(&srv->cfg);
	srv->cfg.port = 0;
	srv->cfg.threads = 2;
	srv->cfg.quiet = true;
	srv->cfg.auth = auth;
	if (tls) {
		srv->cfg.tls_cert = CERTS "/server.pem";
		srv->cfg.tls_key = CERTS "/server.key";
	}
	srv->listen_fd = -1;
	assert_int_equal(state_init(&srv->state, 1), 0);
	srv->state.server = srv;
	assert_int_equal(srv_features_init(srv), 0);
	assert_int_equal(state_load(&srv->state, doc, err, sizeof(err)), 0);
	json_decref(doc);
	assert_int_equal(srv_start(srv), 0);
	return srv;
}

static void server_stop(struct srv *srv)
{
	fault_sleeper_stop(&srv->sleeper);
	srv_stop(srv);
	srv_features_release(srv);
	state_release(&srv->state);
	free(srv);
}

struct reply {
	CURLcode rc;
	long status;
	char body[16384];
	size_t len;
	char www_auth[512];
	json_t *json; /* parsed body or NULL (owned) */
};

static size_t on_body(char *p, size_t size, size_t n, void *cls)
{
	struct reply *r = cls;
	size_t len = size * n;

	if (r->len + len < sizeof(r->body)) {
		memcpy(r->body + r->len, p, len);
		r->len += len;
		r->body[r->len] = '\0';
	}
	return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *cls)
{
	struct reply *r = cls;
	size_t len = size * n;

	if (len > 20 && !strncasecmp(p, "WWW-Authenticate: ", 18))
		snprintf(r->www_auth, sizeof(r->www_auth), "%.*s", (int)(len - 20),
		         p + 18);
	return len;
}

/* One request to https://localhost:PORT (or http://) with an optional bearer. */
static struct reply *call(struct srv *srv, const char *method, const char *path,
                          const char *body, const char *ctype, const char *token)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct curl_slist *h = NULL;
	char url[512], hv[4096];
	CURL *c = curl_easy_init();

	snprintf(url, sizeof(url), "%s://localhost:%u%s", srv_scheme(srv), srv->port,
	         path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_CAINFO, CERTS "/ca.pem");
	if (ctype) {
		snprintf(hv, sizeof(hv), "Content-Type: %s", ctype);
		h = curl_slist_append(h, hv);
	}
	if (token) {
		snprintf(hv, sizeof(hv), "Authorization: Bearer %s", token);
		h = curl_slist_append(h, hv);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	r->rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	r->json = json_loadb(r->body, r->len, 0, NULL);
	return r;
}

static void reply_free(struct reply *r)
{
	json_decref(r->json);
	free(r);
}

/* A token for the fixture app with @scope (form-encoded), as a new string. */
static char *get_token(struct srv *srv, const char *scope)
{
	char form[512];
	struct reply *r;
	char *tok;

	snprintf(form, sizeof(form), FORM "%s", scope);
	r = call(srv, "POST", "/" TENANT "/oauth2/v2.0/token", form,
	         "application/x-www-form-urlencoded", NULL);
	assert_int_equal(r->rc, CURLE_OK);
	assert_int_equal(r->status, 200);
	tok = strdup(json_string_value(json_object_get(r->json, "access_token")));
	reply_free(r);
	return tok;
}

static void expect_401(struct srv *srv, const char *token, const char *message)
{
	struct reply *r = call(srv, "GET", "/v1.0/users", NULL, NULL, token);
	json_t *e = json_object_get(r->json, "error");

	assert_int_equal(r->status, 401);
	assert_string_equal(json_string_value(json_object_get(e, "code")),
	                    "InvalidAuthenticationToken");
	assert_string_equal(json_string_value(json_object_get(e, "message")), message);
	assert_string_equal(r->www_auth, AUTH_WWW_AUTHENTICATE);
	reply_free(r);
}

static void test_https_links_and_oidc(void **s)
{
	struct srv *srv = server_start(true, AUTH_NONE);
	struct reply *r;
	char want[128];

	(void)s;
	assert_string_equal(srv_scheme(srv), "https");
	r = call(srv, "GET", "/v1.0/users?$top=1", NULL, NULL, NULL);
	assert_int_equal(r->rc, CURLE_OK); /* the CA verified the certificate */
	assert_int_equal(r->status, 200);
	snprintf(want, sizeof(want), "https://localhost:%u/v1.0/users?", srv->port);
	assert_int_equal(
	    strncmp(json_string_value(json_object_get(r->json, "@odata.nextLink")), want,
	            strlen(want)),
	    0);
	reply_free(r);
	r = call(srv, "GET", "/" TENANT "/v2.0/.well-known/openid-configuration", NULL,
	         NULL, NULL);
	snprintf(want, sizeof(want), "https://localhost:%u/" TENANT "/oauth2/v2.0/token",
	         srv->port);
	assert_string_equal(json_string_value(json_object_get(r->json, "token_endpoint")),
	                    want);
	reply_free(r);
	server_stop(srv);
}

static void test_auth_jwt(void **s)
{
	struct srv *srv = server_start(true, AUTH_JWT);
	char *graph = get_token(srv, "https%3A%2F%2Fgraph.microsoft.com%2F.default");
	char *own, *arm, *tampered;
	char scope[128];
	struct reply *r;

	(void)s;
	snprintf(scope, sizeof(scope), "https%%3A%%2F%%2Flocalhost%%3A%u%%2F%%2F.default",
	         srv->port);
	own = get_token(srv, scope); /* az's <microsoftGraphResourceId>/.default */
	arm = get_token(srv, "https%3A%2F%2Fmanagement.core.windows.net%2F%2F.default");

	r = call(srv, "GET", "/v1.0/users/$count", NULL, NULL, graph);
	assert_int_equal(r->status, 400); /* past auth: Graph wants ConsistencyLevel */
	reply_free(r);
	r = call(srv, "GET", "/v1.0/groups", NULL, NULL, graph);
	assert_int_equal(r->status, 200);
	reply_free(r);
	r = call(srv, "GET", "/v1.0/groups", NULL, NULL, own);
	assert_int_equal(r->status, 200);
	reply_free(r);
	/* admin and login routes never need a token */
	r = call(srv, "GET", "/_mock/health", NULL, NULL, NULL);
	assert_int_equal(r->status, 200);
	reply_free(r);
	/* Graph routes before it authenticates: no token, unknown segment -> 400 */
	r = call(srv, "GET", "/v1.0/nonsense", NULL, NULL, NULL);
	assert_int_equal(r->status, 400);
	reply_free(r);
	r = call(srv, "DELETE", "/v1.0/users", NULL, NULL, NULL);
	assert_int_equal(r->status, 405);
	reply_free(r);

	expect_401(srv, NULL, AUTH_MSG_EMPTY);
	expect_401(srv, "opaque-not-a-jwt", AUTH_MSG_NOT_JWS);
	expect_401(srv, arm, AUTH_MSG_AUDIENCE);
	tampered = strdup(graph);
	tampered[strlen(tampered) - 10] =
	    tampered[strlen(tampered) - 10] == 'A' ? 'B' : 'A';
	expect_401(srv, tampered, AUTH_MSG_INVALID);

	/* an hour later on the mock clock the token has expired */
	r = call(srv, "POST", "/_mock/clock", "{\"shiftMs\": 3600000}",
	         "application/json", NULL);
	assert_int_equal(r->status, 200);
	reply_free(r);
	expect_401(srv, graph, AUTH_MSG_EXPIRED);
	free(graph);
	free(own);
	free(arm);
	free(tampered);
	server_stop(srv);
}

static int make_certs(void **s)
{
	(void)s;
	assert_int_equal(system("conformance/certs.sh " CERTS " >/dev/null"), 0);
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
	};
	return cmocka_run_group_tests(tests, make_certs, cleanup);
}
