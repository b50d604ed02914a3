/*
 * server/core/router_test.c - every registered route table is well formed, and
 * matching prefers literals, reports the first unknown segment, tells a
 * wrong method from a wrong path, and captures alternate keys.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
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

/* Match @path both ways, linear and indexed, and require the same answer. */
static void same_both_ways(const struct route *const *tables,
                           const struct router_index *ix, const char *method,
                           const char *path)
{
	struct route_match a, b;
	struct req ra, rb;

	req_init(&ra);
	req_init(&rb);
	if (req_set_path(&ra, path) || req_set_path(&rb, path)) {
		req_release(&ra);
		req_release(&rb);
		return;
	}
	router_match(tables, method, &ra, &a);
	router_index_match(ix, method, &rb, &b);
	if (a.route != b.route || a.method_mismatch != b.method_mismatch ||
	    a.bad_segment != b.bad_segment)
		fail_msg("%s %s: linear %s %d %zu, indexed %s %d %zu", method, path,
		         a.route ? a.route->pattern : "-", a.method_mismatch,
		         a.bad_segment, b.route ? b.route->pattern : "-",
		         b.method_mismatch, b.bad_segment);
	assert_int_equal(ra.nparams, rb.nparams);
	for (size_t i = 0; a.route && i < ra.nparams; i++) {
		assert_string_equal(ra.params[i], rb.params[i]);
		assert_ptr_equal(ra.param_alt_key[i], rb.param_alt_key[i]);
	}
	req_release(&ra);
	req_release(&rb);
}

/* A path for @pattern: captures become "x1", literals upper-cased if @upper. */
static void path_of(const char *prefix, const char *pattern, bool upper, char *out,
                    size_t len)
{
	size_t n = (size_t)snprintf(out, len, "%s", prefix);

	for (const char *p = pattern; *p && n + 4 < len;) {
		if (*p == '{') {
			out[n++] = 'x';
			out[n++] = '1';
			p = strchr(p, '}') + 1;
			continue;
		}
		out[n++] = upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
		p++;
	}
	out[n] = '\0';
}

/* Every path a pattern suggests, with every method, and its near misses. */
static void same_for_pattern(const struct route *const *tables,
                             const struct router_index *ix, const char *prefix,
                             const char *pattern, size_t *compared)
{
	static const char *const methods[] = {"GET", "POST", "PATCH", "PUT", "DELETE"};
	char path[512], variant[600];

	for (int upper = 0; upper < 2; upper++) {
		path_of(prefix, pattern, upper, path, sizeof(path));
		for (size_t k = 0; k < 5; k++) {
			same_both_ways(tables, ix, methods[k], path);
			snprintf(variant, sizeof(variant), "%s/bogus", path);
			same_both_ways(tables, ix, methods[k], variant);
			snprintf(variant, sizeof(variant), "%s(appId='a1')", path);
			same_both_ways(tables, ix, methods[k], variant);
			snprintf(variant, sizeof(variant), "%s/x2/x3", path);
			same_both_ways(tables, ix, methods[k], variant);
			*compared += 4;
		}
	}
}

static const struct route wild_routes[] = {
    {"GET", "/{tenant}/oauth2/token", dummy, 0, NULL, NULL},
    {"GET", "/users/{id}/manager", dummy, 0, NULL, NULL},
    {"POST", "/{tenant}/users", dummy, 0, NULL, NULL},
    {"GET", "/_mock/users", dummy, 0, NULL, NULL},
    {0},
};

static void test_index_matches_as_linear(void **ctx)
{
	const struct route *const local[] = {test_routes, wild_routes, NULL};
	const struct route *const *lists[] = {g_srv->graph_tables, g_srv->root_tables,
	                                      local};
	const char *prefixes[] = {"/v1.0", "", "/v1.0"};
	static const char *const odd[] = {
	    "/v1.0/",
	    "/v1.0",
	    "/",
	    "/v1.0/nonsense",
	    "/v1.0/USERS",
	    "/v1.0/users/",
	    "/beta/users('a@b')",
	    "/_mock",
	    "/_mock/nope",
	    "/common/oauth2/v2.0/token",
	    "/x/y/z/w/v/u/t/s",
	    "/v1.0/users/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r", /* deeper than
	                                                          ROUTER_DEPTHS */
	    "/v1.0/%24metadata",
	    "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')",
	};
	size_t compared = 0;

	(void)ctx;
	for (size_t l = 0; l < 3; l++) {
		struct router_index ix;
		assert_int_equal(router_index_init(&ix, lists[l]), 0);
		for (size_t t = 0; lists[l][t]; t++)
			for (const struct route *r = lists[l][t]; r->method; r++)
				same_for_pattern(lists[l], &ix, prefixes[l], r->pattern,
				                 &compared);
		for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
			for (size_t k = 0; k < 2; k++)
				same_both_ways(lists[l], &ix, k ? "POST" : "GET", odd[i]);
		router_index_release(&ix);
	}
	assert_true(compared > 2000); /* every registered row, both ways */
}

/* The server matches with its indexes: a known row found through them. */
static void test_server_index_finds_rows(void **ctx)
{
	struct route_match m;
	struct req req;

	(void)ctx;
	req_init(&req);
	assert_int_equal(req_set_path(&req, "/v1.0/users/abc"), 0);
	router_index_match(&g_srv->graph_index, "GET", &req, &m);
	assert_non_null(m.route);
	assert_string_equal(m.route->pattern, "/users/{id}");
	assert_string_equal(req_param(&req, 0), "abc");
	req_release(&req);
	req_init(&req);
	assert_int_equal(req_set_path(&req, "/contoso.onmicrosoft.com/oauth2/v2.0/token"),
	                 0);
	router_index_match(&g_srv->root_index, "POST", &req, &m);
	assert_non_null(m.route);
	assert_string_equal(m.route->pattern, "/{tenant}/oauth2/v2.0/token");
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
	    cmocka_unit_test(test_index_matches_as_linear),
	    cmocka_unit_test(test_server_index_finds_rows),
	};

	return cmocka_run_group_tests_name("router", tests, setup, teardown);
}
