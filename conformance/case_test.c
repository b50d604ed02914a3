/*
 * conformance/case_test.c - unit tests for case.c (request files, expect.json
 * shape checks, case discovery and loading in a scratch directory, target
 * encoding) and vars.c ({{name}} expansion).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "vars.h"

static void parse_ok(const char *text, struct case_request *rq)
{
	char err[256];

	if (case_request_parse(text, strlen(text), rq, err, sizeof(err)))
		fail_msg("parse failed: %s", err);
}

static void parse_fails(const char *text, const char *msg_part)
{
	struct case_request rq;
	char err[256] = "";

	assert_int_equal(case_request_parse(text, strlen(text), &rq, err, sizeof(err)),
	                 -1);
	if (!strstr(err, msg_part))
		fail_msg("message '%s' lacks '%s'", err, msg_part);
	case_request_release(&rq);
}

static void test_request_get(void **state)
{
	struct case_request rq;

	(void)state;
	parse_ok("GET /v1.0/users?$filter=displayName eq 'Dev group'\n", &rq);
	assert_string_equal(rq.method, "GET");
	assert_string_equal(rq.target, "/v1.0/users?$filter=displayName eq 'Dev group'");
	assert_int_equal(rq.nheaders, 0);
	assert_int_equal(rq.body_len, 0);
	case_request_release(&rq);

	parse_ok("GET {{next}}", &rq); /* no newline at all */
	assert_string_equal(rq.target, "{{next}}");
	case_request_release(&rq);
}

static void test_request_headers_body(void **state)
{
	struct case_request rq;

	(void)state;
	parse_ok("POST /v1.0/users\r\nContent-Type: application/json\r\nX-A:b  \r\n"
	         "X-Empty:\r\n\r\n{\"a\":1}\n",
	         &rq);
	assert_string_equal(rq.method, "POST");
	assert_string_equal(rq.target, "/v1.0/users");
	assert_int_equal(rq.nheaders, 3);
	assert_string_equal(rq.headers[0].name, "Content-Type");
	assert_string_equal(rq.headers[0].value, "application/json");
	assert_string_equal(rq.headers[1].name, "X-A");
	assert_string_equal(rq.headers[1].value, "b");
	assert_string_equal(rq.headers[2].value, "");
	assert_int_equal(rq.body_len, 7);
	assert_string_equal(rq.body, "{\"a\":1}");
	case_request_release(&rq);
}

static void test_request_body_exact(void **state)
{
	struct case_request rq;

	(void)state;
	/* only one final newline is dropped; the rest is byte-exact */
	parse_ok("POST /x\n\nline1\n\nline3\n\n", &rq);
	assert_int_equal(rq.body_len, 13);
	assert_memory_equal(rq.body, "line1\n\nline3\n", 13);
	case_request_release(&rq);

	parse_ok("POST /x\n\n{\"a\":1}", &rq);
	assert_string_equal(rq.body, "{\"a\":1}");
	case_request_release(&rq);

	parse_ok("POST /x\n\n", &rq);
	assert_int_equal(rq.body_len, 0);
	case_request_release(&rq);

	parse_ok("POST /x\n\n\n", &rq);
	assert_int_equal(rq.body_len, 0);
	case_request_release(&rq);

	parse_ok("POST /x\n\n  {not json\r\n}\n", &rq);
	assert_string_equal(rq.body, "  {not json\r\n}");
	case_request_release(&rq);
}

static void test_request_errors(void **state)
{
	(void)state;
	parse_fails("", "METHOD TARGET");
	parse_fails("\nGET /x\n", "METHOD TARGET");
	parse_fails("GET\n", "METHOD TARGET");
	parse_fails("get /x\n", "bad method");
	parse_fails("GET \n", "missing target");
	parse_fails("GET /x\nno colon here\n", "line 2");
	parse_fails("GET /x\n: v\n", "line 2");
	parse_fails("GET /x\nBad Name: v\n", "bad header name");
}

static void check_expect(const char *text, const char *msg_part)
{
	json_t *v = json_loads(text, 0, NULL);
	char err[256] = "";
	int rc;

	assert_non_null(v);
	rc = case_expect_check(v, err, sizeof(err));
	json_decref(v);
	if (!msg_part) {
		if (rc)
			fail_msg("'%s' rejected: %s", text, err);
		return;
	}
	assert_int_equal(rc, -1);
	if (!strstr(err, msg_part))
		fail_msg("message '%s' lacks '%s'", err, msg_part);
}

static void test_expect_check(void **state)
{
	(void)state;
	check_expect("{\"status\":200}", NULL);
	check_expect(
	    "{\"status\":201,\"headers\":{\"a\":\"b\"},\"body\":[1],\"body_text\":\"x\","
	    "\"body_empty\":false,\"capture\":{\"uid\":\"body.id\",\"loc\":"
	    "\"headers.location\"},\"sleep_ms\":200,\"comment\":\"why\"}",
	    NULL);
	check_expect("{\"transport_error\":true}", NULL);
	check_expect("{}", "\"status\" is required");
	check_expect("{\"transport_error\":false}", "\"status\" is required");
	check_expect("{\"status\":200,\"bodyy\":{}}", "unknown key \"bodyy\"");
	check_expect("{\"status\":\"200\"}", "bad value for \"status\"");
	check_expect("{\"status\":99}", "bad value for \"status\"");
	check_expect("{\"status\":200,\"body_empty\":1}", "bad value");
	check_expect("{\"status\":200,\"sleep_ms\":-1}", "bad value");
	check_expect("{\"status\":200,\"capture\":{\"a-b\":\"body.id\"}}",
	             "capture name");
	check_expect("{\"status\":200,\"capture\":{\"a\":\"id\"}}", "must be a path");
	check_expect("{\"status\":200,\"capture\":{\"a\":1}}", "must be a path");
}

static void test_url_encode(void **state)
{
	char *s;

	(void)state;
	s = case_url_encode("http://h:1/v1.0/users?$filter=displayName eq 'Dev \"x\"'#y");
	assert_string_equal(
	    s, "http://h:1/v1.0/users?$filter=displayName%20eq%20'Dev%20%22x%22'%23y");
	free(s);
	s = case_url_encode("/u/a%23EXT%23@b?$select=id,displayName&$top=(2):@/");
	assert_string_equal(s, "/u/a%23EXT%23@b?$select=id,displayName&$top=(2):@/");
	free(s);
	s = case_url_encode("/x<>\\^`{|}\t\x7f\xc3\xa9");
	assert_string_equal(s, "/x%3C%3E%5C%5E%60%7B%7C%7D%09%7F%C3%A9");
	free(s);
}

static void test_vars(void **state)
{
	struct vars vars;
	char err[128] = "";
	size_t len;
	char *s;

	(void)state;
	vars_init(&vars);
	assert_int_equal(vars_set(&vars, "base", "http://h:1"), 0);
	assert_int_equal(vars_set(&vars, "uid", "u-1"), 0);
	assert_int_equal(vars_set(&vars, "uid", "u-2"), 0);
	assert_string_equal(vars_get(&vars, "uid"), "u-2");
	assert_null(vars_get(&vars, "ui"));

	s = vars_expand(&vars, "{{base}}/users/{{uid}}", 22, &len, err, sizeof(err));
	assert_string_equal(s, "http://h:1/users/u-2");
	assert_int_equal(len, strlen(s));
	free(s);
	/* not variables: kept as written */
	s = vars_expand(&vars, "{{ uid }} {{}} {x} {{{uid}}} {{uid", 34, NULL, err,
	                sizeof(err));
	assert_string_equal(s, "{{ uid }} {{}} {x} {u-2} {{uid");
	free(s);
	/* only @len bytes are read */
	s = vars_expand(&vars, "{{uid}}tail", 7, NULL, err, sizeof(err));
	assert_string_equal(s, "u-2");
	free(s);
	assert_null(vars_expand(&vars, "a{{nope}}b", 10, NULL, err, sizeof(err)));
	assert_string_equal(err, "unknown variable {{nope}}");

	assert_true(vars_name_ok("a_B9"));
	assert_false(vars_name_ok("a-b"));
	assert_false(vars_name_ok(""));
	vars_release(&vars);
}

static void test_vars_json(void **state)
{
	json_t *in = json_loads("{\"{{uid}}\":[\"{{uid}}\",1,{\"x\":\"@@re:^{{uid}}$\"}],"
	                        "\"n\":null}",
	                        0, NULL);
	json_t *want = json_loads("{\"{{uid}}\":[\"u\\\"1\",1,{\"x\":\"@@re:^u\\\"1$\"}],"
	                          "\"n\":null}",
	                          0, NULL);
	json_t *bad = json_loads("[\"{{nope}}\"]", 0, NULL);
	struct vars vars;
	char err[128];
	json_t *out;

	(void)state;
	vars_init(&vars);
	vars_set(&vars, "uid", "u\"1");
	out = vars_expand_json(&vars, in, err, sizeof(err));
	assert_non_null(out);
	assert_true(json_equal(out, want));
	assert_null(vars_expand_json(&vars, bad, err, sizeof(err)));
	assert_string_equal(err, "unknown variable {{nope}}");
	json_decref(out);
	json_decref(in);
	json_decref(want);
	json_decref(bad);
	vars_release(&vars);
}

/* A scratch cases tree, removed by teardown. */
static char root[64];

static void put(const char *rel, const char *text)
{
	char path[256], dir[256], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = strchr(dir + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup_tree(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/case_test.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	put("users/010-one/request", "GET /v1.0/users\n");
	put("users/010-one/expect.json", "{\"status\":200}");
	put("users/002-steps/1.request", "POST /v1.0/users\n\n{}\n");
	put("users/002-steps/1.expect.json",
	    "{\"status\":201,\"capture\":{\"u\":\"body.id\"}}");
	put("users/002-steps/2.request", "GET /v1.0/users/{{u}}\n");
	put("users/002-steps/2.expect.json", "{\"status\":200}");
	put("users/002-steps/mock-only", "injects a fault with X-Graphmock-Fault\n");
	put("users/003-crlf/request", "GET /x\n");
	put("users/003-crlf/expect.json", "{\"status\":200}");
	put("users/003-crlf/mock-only", "  moves the mock clock \r\n");
	put("users/002-steps/notes.txt", "ignored");
	put("a/deep/x/001-c/request", "GET /x\n");
	put("a/deep/x/001-c/expect.json", "{\"status\":200}");
	put("bad/001-gap/1.request", "GET /x\n");
	put("bad/001-gap/1.expect.json", "{\"status\":200}");
	put("bad/001-gap/3.request", "GET /x\n");
	put("bad/002-noexpect/request", "GET /x\n");
	put("bad/003-both/request", "GET /x\n");
	put("bad/003-both/1.request", "GET /x\n");
	put("bad/004-badjson/request", "GET /x\n");
	put("bad/004-badjson/expect.json", "{\"status\":200,}");
	put("bad/005-dup/request", "GET /x\n");
	put("bad/005-dup/expect.json", "{\"status\":200,\"status\":201}");
	put("bad/006-zero/01.request", "GET /x\n");
	put("bad/006-zero/1.request", "GET /x\n");
	put("bad/006-zero/1.expect.json", "{\"status\":200}");
	put("bad/007-marker-empty/request", "GET /x\n");
	put("bad/007-marker-empty/expect.json", "{\"status\":200}");
	put("bad/007-marker-empty/mock-only", "");
	put("bad/008-marker-blank/request", "GET /x\n");
	put("bad/008-marker-blank/expect.json", "{\"status\":200}");
	put("bad/008-marker-blank/mock-only", " \t\r\n");
	put("bad/009-marker-two-lines/request", "GET /x\n");
	put("bad/009-marker-two-lines/expect.json", "{\"status\":200}");
	put("bad/009-marker-two-lines/mock-only",
	    "uses fixture ids\nand the admin plane\n");
	put("bad/010-marker-crlf-lines/request", "GET /x\n");
	put("bad/010-marker-crlf-lines/expect.json", "{\"status\":200}");
	put("bad/010-marker-crlf-lines/mock-only", "one\r\ntwo\r\n");
	put("bad/011-marker-trailing-blank-line/request", "GET /x\n");
	put("bad/011-marker-trailing-blank-line/expect.json", "{\"status\":200}");
	put("bad/011-marker-trailing-blank-line/mock-only", "a reason\n\n");
	put("bad/012-marker-control/request", "GET /x\n");
	put("bad/012-marker-control/expect.json", "{\"status\":200}");
	put("bad/012-marker-control/mock-only", "a \033[1mbold\033[0m reason\n");
	put("empty/README", "not a case");
	return 0;
}

static int teardown_tree(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_case_list(void **state)
{
	static const char *const want[] = {
	    "a/deep/x/001-c",
	    "bad/001-gap",
	    "bad/002-noexpect",
	    "bad/003-both",
	    "bad/004-badjson",
	    "bad/005-dup",
	    "bad/006-zero",
	    "bad/007-marker-empty",
	    "bad/008-marker-blank",
	    "bad/009-marker-two-lines",
	    "bad/010-marker-crlf-lines",
	    "bad/011-marker-trailing-blank-line",
	    "bad/012-marker-control",
	    "users/002-steps",
	    "users/003-crlf",
	    "users/010-one",
	};
	char **names, err[256];
	size_t n, i;

	(void)state;
	assert_int_equal(case_list(root, &names, &n, err, sizeof(err)), 0);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n; i++)
		assert_string_equal(names[i], want[i]);
	case_list_free(names, n);
	assert_int_equal(case_list("/nonexistent/dir", &names, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/dir"));
}

static void test_case_load(void **state)
{
	struct case_dir c;
	char err[256];

	(void)state;
	assert_int_equal(case_load(&c, root, "users/002-steps", err, sizeof(err)), 0);
	assert_string_equal(c.name, "users/002-steps");
	assert_string_equal(c.mock_only_reason, "injects a fault with X-Graphmock-Fault");
	assert_int_equal(c.nsteps, 2);
	assert_string_equal(c.steps[0].req.method, "POST");
	assert_string_equal(c.steps[0].req.body, "{}");
	assert_string_equal(c.steps[1].req.target, "/v1.0/users/{{u}}");
	assert_int_equal(json_integer_value(json_object_get(c.steps[1].expect, "status")),
	                 200);
	case_release(&c);

	assert_int_equal(case_load(&c, root, "users/010-one", err, sizeof(err)), 0);
	assert_null(c.mock_only_reason);
	assert_int_equal(c.nsteps, 1);
	case_release(&c);
}

static void load_fails(const char *name, const char *msg_part)
{
	struct case_dir c;
	char err[256] = "";

	assert_int_equal(case_load(&c, root, name, err, sizeof(err)), -1);
	if (!strstr(err, msg_part))
		fail_msg("%s: message '%s' lacks '%s'", name, err, msg_part);
	case_release(&c);
}

static void test_case_load_errors(void **state)
{
	(void)state;
	load_fails("bad/001-gap", "'3.request' found but step 2 has no request");
	load_fails("bad/002-noexpect", "expect.json");
	load_fails("bad/003-both", "both");
	load_fails("bad/004-badjson", "expect.json: line 1");
	load_fails("bad/005-dup", "duplicate");
	load_fails("bad/006-zero", "bad step file name '01.request'");
	load_fails("empty", "no 'request' or '1.request'");
}

/* The one line of a mock-only marker is its reason; blanks and CRLF are not. */
static void test_case_load_mock_only_reason(void **state)
{
	struct case_dir c;
	char err[256];

	(void)state;
	if (case_load(&c, root, "users/003-crlf", err, sizeof(err)))
		fail_msg("load failed: %s", err);
	assert_string_equal(c.mock_only_reason, "moves the mock clock");
	case_release(&c);
}

/* An empty or multi-line marker fails the case: every mock-only case says why. */
static void test_case_load_mock_only_errors(void **state)
{
	(void)state;
	load_fails("bad/007-marker-empty", "'mock-only' is empty");
	load_fails("bad/008-marker-blank", "'mock-only' is empty");
	load_fails("bad/009-marker-two-lines", "'mock-only' has more than one line");
	load_fails("bad/010-marker-crlf-lines", "'mock-only' has more than one line");
	load_fails("bad/011-marker-trailing-blank-line",
	           "'mock-only' has more than one line");
	load_fails("bad/012-marker-control", "'mock-only' has a control character");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_request_get),
	    cmocka_unit_test(test_request_headers_body),
	    cmocka_unit_test(test_request_body_exact),
	    cmocka_unit_test(test_request_errors),
	    cmocka_unit_test(test_expect_check),
	    cmocka_unit_test(test_url_encode),
	    cmocka_unit_test(test_vars),
	    cmocka_unit_test(test_vars_json),
	    cmocka_unit_test(test_case_list),
	    cmocka_unit_test(test_case_load),
	    cmocka_unit_test(test_case_load_errors),
	    cmocka_unit_test(test_case_load_mock_only_reason),
	    cmocka_unit_test(test_case_load_mock_only_errors),
	};

	return cmocka_run_group_tests(tests, setup_tree, teardown_tree);
}
