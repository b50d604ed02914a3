/*
 * server/core/cors_test.c - a browser's preflight is answered with what it
 * asked for; anything else, and the admin plane, is not a preflight; what
 * cannot be a method or a list of header names is never echoed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cors.h"
#include "req.h"
#include "resp.h"

/* A request for @method @path with the headers in @kv (name, value, ...). */
static void request(struct req *req, const char *method, const char *path,
                    const char *const *kv)
{
	req_init(req);
	snprintf(req->method, sizeof(req->method), "%s", method);
	assert_int_equal(req_set_path(req, path), 0);
	for (; kv && kv[0]; kv += 2)
		assert_int_equal(req_add_header(req, kv[0], kv[1]), 0);
}

static void test_preflight_echoes_what_it_asks(void **s)
{
	static const char *const kv[] = {"Origin",
	                                 "http://localhost:3000",
	                                 "Access-Control-Request-Method",
	                                 "PATCH",
	                                 "Access-Control-Request-Headers",
	                                 "authorization, content-type, sdkversion",
	                                 NULL};
	struct req req;
	struct resp resp;

	(void)s;
	request(&req, "OPTIONS", "/v1.0/users/x", kv);
	resp_init(&resp, &req);
	assert_true(cors_preflight(&req, &resp));
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.kind, RESP_EMPTY);
	assert_string_equal(resp_header_get(&resp, "Access-Control-Allow-Methods"),
	                    "PATCH");
	assert_string_equal(resp_header_get(&resp, "Access-Control-Allow-Headers"),
	                    "authorization, content-type, sdkversion");
	resp_release(&resp);
	req_release(&req);
}

static void test_not_a_preflight(void **s)
{
	static const char *const no_method[] = {"Origin", "http://a", NULL};
	static const char *const no_origin[] = {"Access-Control-Request-Method", "GET",
	                                        NULL};
	static const char *const full[] = {"Origin", "http://a",
	                                   "Access-Control-Request-Method", "GET", NULL};
	const struct {
		const char *method, *path;
		const char *const *kv;
	} cases[] = {
	    {"OPTIONS", "/v1.0/users", no_method}, /* a plain OPTIONS */
	    {"OPTIONS", "/v1.0/users", no_origin},
	    {"GET", "/v1.0/users", full},      /* the request itself */
	    {"OPTIONS", "/_mock/state", full}, /* the admin plane */
	    {"OPTIONS", "/_mock", full},
	};

	(void)s;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req req;
		struct resp resp;

		request(&req, cases[i].method, cases[i].path, cases[i].kv);
		resp_init(&resp, &req);
		if (cors_preflight(&req, &resp))
			fail_msg("case %zu answered as a preflight", i);
		assert_int_equal(resp.kind, RESP_NONE);
		resp_release(&resp);
		req_release(&req);
	}
}

static void test_applies_beside_the_admin_plane(void **s)
{
	const struct {
		const char *path;
		bool applies;
	} cases[] = {
	    {"/v1.0/users", true},
	    {"/beta/users", true},
	    {"/common/oauth2/v2.0/token", true},
	    {"/_mockery", true},
	    {"/_mock", false},
	    {"/_mock/ui", false},
	};

	(void)s;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req req;

		request(&req, "GET", cases[i].path, NULL);
		if (cors_applies(&req) != cases[i].applies)
			fail_msg("%s: expected %d", cases[i].path, cases[i].applies);
		req_release(&req);
	}
}

/* A value no header may carry is left out, not echoed. */
static void test_never_echoes_what_is_not_a_token(void **s)
{
	char long_list[1100];
	const char *const bad_headers[] = {"x-a;y", "x-a\tb", "", long_list};

	(void)s;
	memset(long_list, 'a', sizeof(long_list) - 1);
	long_list[sizeof(long_list) - 1] = '\0';
	for (size_t i = 0; i < sizeof(bad_headers) / sizeof(bad_headers[0]); i++) {
		const char *const kv[] = {"Origin",
		                          "http://a",
		                          "Access-Control-Request-Method",
		                          "GET (x)",
		                          "Access-Control-Request-Headers",
		                          bad_headers[i],
		                          NULL};
		struct req req;
		struct resp resp;

		request(&req, "OPTIONS", "/v1.0/users", kv);
		resp_init(&resp, &req);
		assert_true(cors_preflight(&req, &resp));
		assert_null(resp_header_get(&resp, "Access-Control-Allow-Methods"));
		if (resp_header_get(&resp, "Access-Control-Allow-Headers"))
			fail_msg("case %zu echoed", i);
		resp_release(&resp);
		req_release(&req);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_preflight_echoes_what_it_asks),
	    cmocka_unit_test(test_not_a_preflight),
	    cmocka_unit_test(test_applies_beside_the_admin_plane),
	    cmocka_unit_test(test_never_echoes_what_is_not_a_token),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
