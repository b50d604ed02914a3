/*
 * server/core/router_test.c - every registered route table is well formed, and
 * matching prefers literals, reports the first unknown segment, tells a
 * wrong method from a wrong path, and captures alternate keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../http_testutil.h"
#include "req.h"
#include "router.h"
#include "../srv.h"

static int dummy(struct call *c)
{
	(void)c;
	return 0;
}

static const struct route test_routes[] = {
    {"GET", "/", dummy, 0, NULL, NULL},
    {"GET", "/users", dummy, 0, NULL, NULL},
    {"GET", "/users/{id}", dummy, 0, NULL, NULL},
    {"GET", "/users/$count", dummy, 0, NULL, NULL},
    {"POST", "/groups/{id}/members/$ref", dummy, 0, NULL, NULL},
    {"DELETE", "/groups/{id}/members/{mid}/$ref", dummy, 0, NULL, NULL},
    {"DELETE", "/groups/{id}/members/{mid}", dummy, 0, NULL, NULL},
    {"GET", "/servicePrincipals/{id}", dummy, ROUTE_APPID_KEY, NULL, NULL},
    {0},
};

static const struct route *const test_tables[] = {test_routes, NULL};

static void match(const char *method, const char *path, struct req *req,
                  struct route_match *m)
{
	req_init(req);
	assert_int_equal(req_set_path(req, path), 0);
	router_match(test_tables, method, req, m);
}

static struct srv *g_srv; /* for its route tables: routes/' and the server's own */

static void test_every_table_is_well_formed(void **ctx)
{
	const struct route *const *lists[] = {g_srv->graph_tables, g_srv->root_tables};

	(void)ctx;
	for (size_t l = 0; l < 2; l++) {
		for (size_t t = 0; lists[l][t]; t++) {
			for (const struct route *r = lists[l][t]; r->method; r++) {
				assert_true(router_pattern_valid(r->pattern));
				assert_non_null(r->fn);
				assert_true(!strcmp(r->method, "GET") ||
				            !strcmp(r->method, "POST") ||
				            !strcmp(r->method, "PATCH") ||
				            !strcmp(r->method, "PUT") ||
				            !strcmp(r->method, "DELETE"));
				if (r->flags & ROUTE_ODATA)
					assert_non_null(r->entity);
				/* one lock mode at most */
				assert_true(__builtin_popcount(r->flags &
				                               (ROUTE_STATE_NONE |
				                                ROUTE_STATE_SHARED |
				                                ROUTE_STATE_ALL)) <= 1);
			}
		}
	}
}

static void test_no_duplicate_method_and_pattern(void **ctx)
{
	const struct route *const *lists[] = {g_srv->graph_tables, g_srv->root_tables};

	(void)ctx;
	for (size_t l = 0; l < 2; l++)
		for (size_t t = 0; lists[l][t]; t++)
			for (const struct route *a = lists[l][t]; a->method; a++)
				for (size_t u = 0; lists[l][u]; u++)
					for (const struct route *b = lists[l][u];
					     b->method; b++)
						if (a != b &&
						    !strcmp(a->method, b->method))
							assert_string_not_equal(
							    a->pattern, b->pattern);
}

static void test_version_root(void **ctx)
{
	struct route_match m;
	struct req req;

	(void)ctx;
	match("GET", "/v1.0/", &req, &m);
	assert_non_null(m.route);
	assert_string_equal(m.route->pattern, "/");
	req_release(&req);
	match("GET", "/v1.0/users", &req, &m);
	assert_string_equal(m.route->pattern, "/users");
	req_release(&req);
}

static void test_literal_beats_capture(void **ctx)
{
	struct route_match m;
	struct req req;

	(void)ctx;
	match("GET", "/v1.0/users/$count", &req, &m);
	assert_non_null(m.route);
	assert_string_equal(m.route->pattern, "/users/$count");
	assert_int_equal(req.nparams, 0);
	req_release(&req);

	match("GET", "/v1.0/Users/abc", &req, &m);
	assert_non_null(m.route);
	assert_string_equal(m.route->pattern, "/users/{id}");
	assert_string_equal(req_param(&req, 0), "abc");
	req_release(&req);
}

static void test_ref_suffix_is_distinct(void **ctx)
{
	struct route_match m;
	struct req req;

	(void)ctx;
	match("DELETE", "/v1.0/groups/g/members/u/$ref", &req, &m);
	assert_string_equal(m.route->pattern, "/groups/{id}/members/{mid}/$ref");
	assert_string_equal(req_param(&req, 1), "u");
	req_release(&req);
	match("DELETE", "/v1.0/groups/g/members/u", &req, &m);
	assert_string_equal(m.route->pattern, "/groups/{id}/members/{mid}");
	req_release(&req);
}

static void test_unknown_segment_and_method(void **ctx)
{
	struct route_match m;
	struct req req;

	(void)ctx;
	match("GET", "/v1.0/nonsense", &req, &m);
	assert_null(m.route);
	assert_false(m.method_mismatch);
	assert_int_equal(m.bad_segment, 0);
	req_release(&req);

	match("GET", "/v1.0/users/abc/bogus", &req, &m);
	assert_null(m.route);
	assert_int_equal(m.bad_segment, 2);
	req_release(&req);

	match("DELETE", "/v1.0/users", &req, &m);
	assert_null(m.route);
	assert_true(m.method_mismatch);
	char allow[64];
	router_allow(test_tables, &req, allow, sizeof(allow));
	assert_string_equal(allow, "GET");
	req_release(&req);
}

static void test_alternate_key(void **ctx)
{
	struct route_match m;
	struct req req;

	(void)ctx;
	match("GET",
	      "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')",
	      &req, &m);
	assert_non_null(m.route);
	assert_string_equal(req_param(&req, 0), "00000003-0000-0000-c000-000000000000");
	assert_string_equal(req.param_alt_key[0], "appId");
	req_release(&req);

	match("GET", "/beta/users('$admin@contoso.com')", &req, &m);
	assert_non_null(m.route);
	assert_string_equal(req_param(&req, 0), "$admin@contoso.com");
	assert_null(req.param_alt_key[0]);
	assert_string_equal(req.version, "beta");
	req_release(&req);
}

static int setup(void **unused)
{
	struct test_server_opts opts = {.seed = 1};

	(void)unused;
	g_srv = test_srv_new(&opts);
	return 0;
}

static int teardown(void **unused)
{
	(void)unused;
	test_srv_free(g_srv);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_table_is_well_formed),
	    cmocka_unit_test(test_no_duplicate_method_and_pattern),
	    cmocka_unit_test(test_version_root),
	    cmocka_unit_test(test_literal_beats_capture),
	    cmocka_unit_test(test_ref_suffix_is_distinct),
	    cmocka_unit_test(test_unknown_segment_and_method),
	    cmocka_unit_test(test_alternate_key),
	};

	return cmocka_run_group_tests_name("router", tests, setup, teardown);
}
