/*
 * server/core/req_test.c - path splitting and per-segment percent-decoding,
 * version stripping, key-as-segment forms, query and header lookups.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../state/util/guid.h"
#include "req.h"

static void test_version_is_stripped_once(void **ctx)
{
	struct req req;

	(void)ctx;
	req_init(&req);
	assert_int_equal(req_set_path(&req, "/v1.0/v1.0/users"), 0);
	assert_string_equal(req.version, "v1.0");
	assert_int_equal(req.nsegs, 2);
	assert_string_equal(req.segs[0], "v1.0");
	req_release(&req);

	req_init(&req);
	assert_int_equal(req_set_path(&req, "/beta"), 0);
	assert_string_equal(req.version, "beta");
	assert_int_equal(req.nsegs, 0);
	req_release(&req);

	req_init(&req);
	assert_int_equal(req_set_path(&req, "/v1.0x/users"), 0);
	assert_string_equal(req.version, "");
	req_release(&req);
}

static void test_segments_decoded_one_by_one(void **ctx)
{
	struct req req;

	(void)ctx;
	req_init(&req);
	assert_int_equal(
	    req_set_path(&req,
	                 "/v1.0/users/bob_fabrikam.com%23EXT%23@contoso.onmicrosoft.com"),
	    0);
	assert_int_equal(req.nsegs, 2);
	assert_string_equal(req.segs[1], "bob_fabrikam.com#EXT#@contoso.onmicrosoft.com");
	req_release(&req);

	/* An encoded slash stays inside its segment. */
	req_init(&req);
	assert_int_equal(req_set_path(&req, "/v1.0/users/a%2Fb//c"), 0);
	assert_int_equal(req.nsegs, 3);
	assert_string_equal(req.segs[1], "a/b");
	assert_string_equal(req.segs[2], "c");
	req_release(&req);
}

static void test_bad_escapes_refused(void **ctx)
{
	const char *bad[] = {"/v1.0/users/%", "/v1.0/users/%2", "/v1.0/users/%zz",
	                     "/v1.0/users/a%00b"};

	(void)ctx;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct req req;
		req_init(&req);
		assert_int_equal(req_set_path(&req, bad[i]), REQ_DECODE_BAD);
		req_release(&req);
	}
}

static void test_too_many_segments(void **ctx)
{
	char path[512] = "/v1.0";
	struct req req;

	(void)ctx;
	for (int i = 0; i < REQ_MAX_SEGMENTS + 1; i++)
		strncat(path, "/a", sizeof(path) - strlen(path) - 1);
	req_init(&req);
	assert_int_equal(req_set_path(&req, path), REQ_DECODE_BAD);
	req_release(&req);
}

/* /me/memberOf becomes /me/<oid>/memberOf; a full path refuses one more. */
static void test_insert_segment(void **ctx)
{
	char path[512] = "/v1.0";
	struct req req;

	(void)ctx;
	req_init(&req);
	assert_int_equal(req_set_path(&req, "/v1.0/me/memberOf"), 0);
	assert_int_equal(req_insert_segment(&req, 1, "867c0910"), 0);
	assert_int_equal(req.nsegs, 3);
	assert_string_equal(req.segs[0], "me");
	assert_string_equal(req.segs[1], "867c0910");
	assert_string_equal(req.segs[2], "memberOf");
	assert_null(req.seg_alt_key[1]);
	assert_int_equal(req_insert_segment(&req, 4, "x"), -1);
	req_release(&req);

	for (int i = 0; i < REQ_MAX_SEGMENTS; i++)
		strncat(path, "/a", sizeof(path) - strlen(path) - 1);
	req_init(&req);
	assert_int_equal(req_set_path(&req, path), 0);
	assert_int_equal(req_insert_segment(&req, 0, "x"), -1);
	assert_int_equal(req.nsegs, REQ_MAX_SEGMENTS);
	req_release(&req);
}

static void test_key_segments(void **ctx)
{
	struct req req;

	(void)ctx;
	req_init(&req);
	assert_int_equal(
	    req_set_path(&req, "/v1.0/servicePrincipals(appId='abc')/appRoleAssignedTo"),
	    0);
	assert_int_equal(req.nsegs, 3);
	assert_string_equal(req.segs[0], "servicePrincipals");
	assert_string_equal(req.segs[1], "abc");
	assert_string_equal(req.seg_alt_key[1], "appId");
	req_release(&req);

	/* Not a key form: kept whole. */
	req_init(&req);
	assert_int_equal(req_set_path(&req, "/v1.0/users/(x)"), 0);
	assert_string_equal(req.segs[1], "(x)");
	req_release(&req);
}

static void test_namespace_alias(void **ctx)
{
	struct req req;

	(void)ctx;
	req_init(&req);
	assert_int_equal(req_set_path(&req, "/v1.0/users/x/memberOf/graph.group/$count"),
	                 0);
	assert_string_equal(req.segs[3], "microsoft.graph.group");
	assert_string_equal(req.segs[4], "$count");
	req_release(&req);
	req_init(&req);
	assert_int_equal(req_set_path(&req, "/v1.0/users/graph."), 0);
	assert_string_equal(req.segs[1], "graph.");
	req_release(&req);
}

static void test_query_and_headers(void **ctx)
{
	struct req req;

	(void)ctx;
	req_init(&req);
	assert_int_equal(req_add_query(&req, "$top", "5"), 0);
	assert_int_equal(req_add_header(&req, "ConsistencyLevel", "Eventual"), 0);
	assert_string_equal(req_query(&req, "$top"), "5");
	assert_null(req_query(&req, "$TOP"));
	assert_string_equal(req_header(&req, "consistencylevel"), "Eventual");
	assert_true(req_is_advanced(&req));
	assert_string_equal(req.request_id, req.client_request_id);
	assert_int_equal(strlen(req.request_id), 36);
	req_release(&req);
}

/* Lists grow past their first room (8) and each doubling, keeping every pair. */
/* System query options: "$" and any case everywhere, bare names on /beta only. */
static void test_options_dollar_optional_on_beta(void **ctx)
{
	struct req req;

	(void)ctx;
	req_init(&req);
	assert_int_equal(req_set_path(&req, "/beta/users"), 0);
	assert_int_equal(req_add_query(&req, "top", "5"), 0);
	assert_int_equal(req_add_query(&req, "$SELECT", "id"), 0);
	assert_int_equal(req_add_query(&req, "tenant", "x"), 0);
	assert_string_equal(req_option(&req, "$top"), "5");
	assert_string_equal(req_option(&req, "$select"), "id");
	assert_null(req_option(&req, "$filter"));
	assert_false(req_option_named(&req, "tenant", "$top"));
	assert_false(req_option_named(&req, "$tenant", "$top"));
	assert_false(req_option_named(&req, NULL, "$top"));
	req_release(&req);

	req_init(&req);
	assert_int_equal(req_set_path(&req, "/v1.0/users"), 0);
	assert_int_equal(req_add_query(&req, "top", "5"), 0);
	assert_int_equal(req_add_query(&req, "$Select", "id"), 0);
	assert_null(req_option(&req, "$top")); /* v1.0: "top" is no option */
	assert_string_equal(req_option(&req, "$select"), "id");
	req_release(&req);
}

static void test_many_pairs(void **ctx)
{
	struct req req;
	char name[16], value[16];

	(void)ctx;
	req_init(&req);
	for (int i = 0; i < 70; i++) {
		snprintf(name, sizeof(name), "X-H%d", i);
		snprintf(value, sizeof(value), "v%d", i);
		assert_int_equal(req_add_header(&req, name, value), 0);
		snprintf(name, sizeof(name), "q%d", i);
		assert_int_equal(req_add_query(&req, name, i % 2 ? value : NULL), 0);
	}
	assert_int_equal(req.nheaders, 70);
	assert_int_equal(req.nquery, 70);
	for (int i = 0; i < 70; i++) {
		snprintf(name, sizeof(name), "x-h%d", i);
		snprintf(value, sizeof(value), "v%d", i);
		assert_string_equal(req.headers[i].name, name);
		assert_string_equal(req_header(&req, name), value);
		snprintf(name, sizeof(name), "q%d", i);
		assert_string_equal(req_query(&req, name), i % 2 ? value : "");
	}
	req_release(&req);
}

static void test_percent_decode(void **ctx)
{
	char *s;

	(void)ctx;
	s = req_percent_decode("%24filter", 9);
	assert_string_equal(s, "$filter");
	free(s);
	assert_null(req_percent_decode("%0", 2));
}

/* Request ids: version-4 GUIDs from a per-thread generator, never repeated. */
static void test_request_ids(void **ctx)
{
	char seen[64][REQ_GUID_LEN + 1];

	(void)ctx;
	for (size_t i = 0; i < 64; i++) {
		struct req req;

		req_init(&req);
		assert_true(guid_valid(req.request_id));
		assert_int_equal(req.request_id[14], '4');
		assert_non_null(strchr("89ab", req.request_id[19]));
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(seen[k], req.request_id);
		memcpy(seen[i], req.request_id, sizeof(seen[i]));
		req_release(&req);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_version_is_stripped_once),
	    cmocka_unit_test(test_segments_decoded_one_by_one),
	    cmocka_unit_test(test_bad_escapes_refused),
	    cmocka_unit_test(test_insert_segment),
	    cmocka_unit_test(test_too_many_segments),
	    cmocka_unit_test(test_key_segments),
	    cmocka_unit_test(test_namespace_alias),
	    cmocka_unit_test(test_query_and_headers),
	    cmocka_unit_test(test_options_dollar_optional_on_beta),
	    cmocka_unit_test(test_many_pairs),
	    cmocka_unit_test(test_percent_decode),
	    cmocka_unit_test(test_request_ids),
	};

	return cmocka_run_group_tests_name("req", tests, NULL, NULL);
}
