/*
 * conformance/match_test.c - unit tests for the expect.json language:
 * subset rules, every "@@" matcher, array matchers, headers, validation,
 * capture paths. Each test states the JSON the way case authors write it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "match.h"

static json_t *j(const char *text)
{
	json_error_t err;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &err);

	if (!v)
		fail_msg("bad test JSON '%s': %s", text, err.text);
	return v;
}

/* Does @act satisfy @exp? Validates @exp first, as exec.c does. */
static bool m(const char *exp, const char *act, struct match_err *err)
{
	json_t *e = j(exp), *a = j(act);
	bool ok;

	match_err_init(err);
	assert_true(match_validate(e, "body", err));
	ok = match_json(e, a, "body", err);
	json_decref(e);
	json_decref(a);
	return ok;
}

static void assert_match(const char *exp, const char *act)
{
	struct match_err err;

	if (!m(exp, act, &err))
		fail_msg("expected %s to match %s, got %s: %s", act, exp, err.path,
		         err.msg);
}

static void assert_mismatch_at(const char *exp, const char *act, const char *path,
                               const char *msg_part)
{
	struct match_err err;

	assert_false(m(exp, act, &err));
	assert_string_equal(err.path, path);
	if (!strstr(err.msg, msg_part))
		fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
}

static void assert_invalid(const char *exp, const char *msg_part)
{
	struct match_err err;
	json_t *e = j(exp);

	match_err_init(&err);
	assert_false(match_validate(e, "body", &err));
	if (!strstr(err.msg, msg_part))
		fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
	json_decref(e);
}

static void test_subset_objects(void **state)
{
	(void)state;
	assert_match("{}", "{\"a\":1}");
	assert_match("{\"a\":1}", "{\"a\":1,\"b\":2}");
	assert_match("{\"a\":{\"b\":[1,2]}}", "{\"a\":{\"b\":[1,2],\"c\":3}}");
	assert_mismatch_at("{\"a\":1}", "{\"b\":1}", "body.a", "missing");
	assert_mismatch_at("{\"a\":{\"b\":\"x\"}}", "{\"a\":{\"b\":\"y\"}}", "body.a.b",
	                   "expected \"x\", got \"y\"");
	assert_mismatch_at("{\"a\":1}", "[1]", "body", "expected an object");
}

static void test_scalars(void **state)
{
	(void)state;
	assert_match("1", "1.0");
	assert_match("2.5", "2.5");
	assert_match("true", "true");
	assert_match("null", "null");
	assert_match("\"x\"", "\"x\"");
	assert_mismatch_at("1", "2", "body", "expected 1, got 2");
	assert_mismatch_at("1", "\"1\"", "body", "expected 1, got \"1\"");
	assert_mismatch_at("true", "false", "body", "expected true");
	assert_mismatch_at("null", "0", "body", "expected null");
	assert_mismatch_at("\"1\"", "1", "body", "got 1");
	/* large integers compare exactly, not through double */
	assert_mismatch_at("9007199254740993", "9007199254740992", "body", "expected");
}

static void test_arrays(void **state)
{
	(void)state;
	assert_match("[]", "[]");
	assert_match("[{\"id\":\"a\"},2]", "[{\"id\":\"a\",\"x\":1},2]");
	assert_mismatch_at("[1,2]", "[1,2,3]", "body", "expected 2 elements, got 3");
	assert_mismatch_at("[1,2]", "[2,1]", "body[0]", "expected 1, got 2");
	assert_mismatch_at("{\"v\":[{\"id\":\"a\"},{\"id\":\"b\"}]}",
	                   "{\"v\":[{\"id\":\"a\"},{\"id\":\"c\"}]}", "body.v[1].id",
	                   "expected \"b\"");
}

static void test_keys(void **state)
{
	(void)state;
	assert_match("{\"@@keys\":[\"a\",\"b\"]}", "{\"b\":1,\"a\":2}");
	assert_match("{\"@@keys\":[\"a\",\"b\"],\"a\":2}", "{\"b\":1,\"a\":2}");
	assert_mismatch_at("{\"@@keys\":[\"a\"]}", "{\"a\":1,\"b\":2}", "body.b",
	                   "not in @@keys");
	assert_mismatch_at("{\"@@keys\":[\"a\",\"c\"]}", "{\"a\":1}", "body.c",
	                   "listed in @@keys");
	assert_match("{\"@@keys\":[]}", "{}");
}

static void test_string_matchers(void **state)
{
	(void)state;
	assert_match("{\"a\":\"@@any\"}", "{\"a\":null}");
	assert_match("{\"a\":\"@@any\"}", "{\"a\":[1]}");
	assert_mismatch_at("{\"a\":\"@@any\"}", "{}", "body.a", "missing");
	assert_match("{\"a\":\"@@absent\"}", "{\"b\":1}");
	assert_mismatch_at("{\"a\":\"@@absent\"}", "{\"a\":null}", "body.a", "@@absent");
	assert_match("\"@@null\"", "null");
	assert_mismatch_at("\"@@null\"", "\"\"", "body", "expected \"@@null\"");
	assert_match("\"@@string\"", "\"\"");
	assert_mismatch_at("\"@@string\"", "1", "body", "got 1");
	assert_match("\"@@number\"", "1");
	assert_match("\"@@number\"", "-1.5e3");
	assert_mismatch_at("\"@@number\"", "\"1\"", "body", "got \"1\"");
	assert_match("\"@@nonempty\"", "\"x\"");
	assert_mismatch_at("\"@@nonempty\"", "\"\"", "body", "@@nonempty");
	assert_mismatch_at("\"@@nonempty\"", "[1]", "body", "@@nonempty");
}

static void test_guid(void **state)
{
	(void)state;
	assert_match("\"@@guid\"", "\"0f8fad5b-d9cb-469f-a165-70867728950e\"");
	assert_mismatch_at("\"@@guid\"", "\"0F8FAD5B-D9CB-469F-A165-70867728950E\"",
	                   "body", "@@guid");
	assert_mismatch_at("\"@@guid\"", "\"0f8fad5bd9cb469fa16570867728950e\"", "body",
	                   "@@guid");
	assert_mismatch_at("\"@@guid\"", "\"0f8fad5b-d9cb-469f-a165-70867728950\"",
	                   "body", "@@guid");
	assert_mismatch_at("\"@@guid\"", "\"0f8fad5b-d9cb-469f-a165-70867728950g\"",
	                   "body", "@@guid");
}

static void test_datetimes(void **state)
{
	(void)state;
	assert_match("\"@@datetime\"", "\"2024-01-31T23:59:59Z\"");
	assert_match("\"@@datetime\"", "\"2024-01-31T23:59:59.1234567Z\"");
	assert_mismatch_at("\"@@datetime\"", "\"2024-01-31T23:59:59\"", "body", "got");
	assert_mismatch_at("\"@@datetime\"", "\"2024-01-31T23:59:59.Z\"", "body", "got");
	assert_mismatch_at("\"@@datetime\"", "\"2024-01-31T23:59:59+00:00\"", "body",
	                   "got");
	assert_mismatch_at("\"@@datetime\"", "\"2024-13-31T23:59:59Z\"", "body", "got");
	assert_mismatch_at("\"@@datetime\"", "\"2024-01-31 23:59:59Z\"", "body", "got");
	assert_match("\"@@date-noz\"", "\"2024-01-31T23:59:59\"");
	assert_mismatch_at("\"@@date-noz\"", "\"2024-01-31T23:59:59Z\"", "body", "got");
	assert_mismatch_at("\"@@date-noz\"", "\"2024-01-31T23:59:59.5\"", "body", "got");
}

static void test_regex_and_escape(void **state)
{
	(void)state;
	assert_match("\"@@re:^[a-z]+_x#EXT#@\"", "\"bob_x#EXT#@contoso.com\"");
	assert_match("\"@@re:ob\"", "\"bob\""); /* not anchored */
	assert_mismatch_at("\"@@re:^a$\"", "\"ab\"", "body", "@@re:^a$");
	assert_mismatch_at("\"@@re:.*\"", "1", "body", "got 1");
	assert_match("\"@@@any\"", "\"@@any\"");
	assert_mismatch_at("\"@@@any\"", "\"x\"", "body", "expected \"@@@any\"");
	assert_match("{\"@@@weird\":1}", "{\"@@weird\":1}");
}

static void test_contains(void **state)
{
	(void)state;
	assert_match("{\"@@contains\":[{\"id\":\"b\"}]}",
	             "[{\"id\":\"a\"},{\"id\":\"b\"}]");
	assert_match("{\"@@contains\":[]}", "[]");
	assert_mismatch_at("{\"v\":{\"@@contains\":[{\"id\":\"c\"}]}}",
	                   "{\"v\":[{\"id\":\"a\"},{\"id\":\"b\"}]}", "body.v",
	                   "none of the 2 elements matches {\"id\":\"c\"}");
	assert_mismatch_at("{\"@@contains\":[1]}", "{}", "body", "expected an array");
}

static void test_length(void **state)
{
	(void)state;
	assert_match("{\"@@length\":2}", "[5,6]");
	assert_match("{\"@@length\":0}", "[]");
	assert_mismatch_at("{\"@@length\":2}", "[5]", "body",
	                   "expected 2 elements, got 1");
	assert_match("{\"@@length\":2,\"@@contains\":[6]}", "[5,6]");
	assert_mismatch_at("{\"@@length\":2,\"@@contains\":[7]}", "[5,6]", "body",
	                   "@@contains");
}

static void test_unordered(void **state)
{
	(void)state;
	assert_match("{\"@@unordered\":[2,1,3]}", "[1,2,3]");
	/* a greedy pairing would give {} the first element and then fail */
	assert_match("{\"@@unordered\":[{},{\"a\":1}]}", "[{\"a\":1},{\"b\":2}]");
	assert_mismatch_at("{\"@@unordered\":[1,1]}", "[1,2]", "body", "element [1] 1");
	assert_mismatch_at("{\"@@unordered\":[1]}", "[1,2]", "body",
	                   "expected 1 elements, got 2");
	assert_match("{\"@@unordered\":[]}", "[]");
}

static void test_validation(void **state)
{
	(void)state;
	assert_invalid("\"@@guud\"", "unknown matcher \"@@guud\"");
	assert_invalid("{\"a\":[\"@@nope\"]}", "unknown matcher");
	assert_invalid("\"@@absent\"", "only valid as an object member");
	assert_invalid("[\"@@absent\"]", "only valid as an object member");
	assert_invalid("\"@@re:(\"", "regex");
	assert_invalid("{\"@@length\":-1}", "@@length");
	assert_invalid("{\"@@length\":\"2\"}", "@@length");
	assert_invalid("{\"@@contains\":{}}", "takes an array");
	assert_invalid("{\"@@contains\":[],\"id\":1}", "may be combined");
	assert_invalid("{\"@@keys\":[1]}", "@@keys takes an array of strings");
	assert_invalid("{\"@@foo\":1}", "unknown matcher key");
	assert_invalid("{\"@@contains\":[\"@@bad\"]}", "unknown matcher");
}

static void test_headers(void **state)
{
	json_t *act = j("{\"content-type\":\"application/json\",\"request-id\":"
	                "\"0f8fad5b-d9cb-469f-a165-70867728950e\"}");
	json_t *exp =
	    j("{\"Content-Type\":\"application/json\",\"request-id\":\"@@guid\","
	      "\"location\":\"@@absent\"}");
	json_t *bad = j("{\"Request-Id\":\"x\"}");
	json_t *missing = j("{\"Location\":\"@@any\"}");
	json_t *invalid = j("{\"x\":1}");
	struct match_err err;

	(void)state;
	match_err_init(&err);
	assert_true(match_validate_headers(exp, &err));
	assert_true(match_headers(exp, act, &err));
	assert_false(match_headers(bad, act, &err));
	assert_string_equal(err.path, "headers.request-id");
	match_err_init(&err);
	assert_false(match_headers(missing, act, &err));
	assert_string_equal(err.path, "headers.location");
	match_err_init(&err);
	assert_false(match_validate_headers(invalid, &err));
	json_decref(act);
	json_decref(exp);
	json_decref(bad);
	json_decref(missing);
	json_decref(invalid);
}

static void test_first_error_wins(void **state)
{
	struct match_err err;
	json_t *e = j("1"), *a = j("2");

	(void)state;
	match_err_init(&err);
	assert_false(match_json(e, a, "first", &err));
	assert_false(match_json(e, a, "second", &err));
	assert_string_equal(err.path, "first");
	assert_false(match_json(e, a, "x", NULL));
	json_decref(e);
	json_decref(a);
}

static void test_dump_truncates(void **state)
{
	char buf[16];
	json_t *v = j("\"0123456789abcdefghij\"");

	(void)state;
	assert_string_equal(match_dump(v, buf, sizeof(buf)), "\"0123456789a...");
	assert_string_equal(match_dump(NULL, buf, sizeof(buf)), "(missing)");
	json_decref(v);
}

static void assert_capture(const json_t *root, const char *path, const char *want)
{
	struct match_err err;
	json_t *v;
	char *s;

	match_err_init(&err);
	v = capture_lookup(root, path, &err);
	if (!v)
		fail_msg("capture %s: %s: %s", path, err.path, err.msg);
	s = capture_stringify(v);
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void assert_no_capture(const json_t *root, const char *path, const char *msg_part)
{
	struct match_err err;

	match_err_init(&err);
	assert_null(capture_lookup(root, path, &err));
	if (!strstr(err.msg, msg_part))
		fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
}

/* "?name" captures: a redirect's query or fragment parameter, decoded. */
static void test_capture_url_param(void **state)
{
	char *v;

	(void)state;
	v = capture_url_param("http://localhost:3000/r?code=1.ab%2Bc&state=s+1", "code");
	assert_string_equal(v, "1.ab+c");
	free(v);
	v = capture_url_param("http://localhost:3000/r?code=1.ab%2Bc&state=s+1", "state");
	assert_string_equal(v, "s 1");
	free(v);
	v = capture_url_param("http://x/r#code=frag&session_state=z", "session_state");
	assert_string_equal(v, "z");
	free(v);
	assert_null(capture_url_param("http://x/r?codes=1", "code"));
	assert_null(capture_url_param("http://x/r", "code"));
}

static void test_capture(void **state)
{
	json_t *root =
	    j("{\"headers\":{\"location\":\"https://x/1\"},"
	      "\"body\":{\"@odata.nextLink\":\"http://h/next\","
	      "\"invitedUser\":{\"id\":\"u1\"},"
	      "\"members@odata.bind\":[\"m\"],"
	      "\"value\":[{\"id\":\"v0\",\"n\":7,\"r\":1.5,\"o\":{\"a\":true}},"
	      "[10,[20,21]]]}}");

	(void)state;
	assert_capture(root, "body.invitedUser.id", "u1");
	assert_capture(root, "body.@odata.nextLink", "http://h/next");
	assert_capture(root, "body.members@odata.bind[0]", "m");
	assert_capture(root, "body.value[0].id", "v0");
	assert_capture(root, "body.value[0].n", "7");
	assert_capture(root, "body.value[0].r", "1.5");
	assert_capture(root, "body.value[0].o", "{\"a\":true}");
	assert_capture(root, "body.value[1][1][0]", "20");
	assert_capture(root, "headers.location", "https://x/1");
	assert_capture(root, "headers.Location", "https://x/1");
	assert_no_capture(root, "body.value[5].id", "no element [5]");
	assert_no_capture(root, "body.nope", "no member \"nope\"");
	assert_no_capture(root, "body.value[x]", "bad capture path");
	assert_no_capture(root, "body..id", "empty key");
	assert_no_capture(root, "status", "must start with");
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_subset_objects),
	    cmocka_unit_test(test_scalars),
	    cmocka_unit_test(test_arrays),
	    cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_string_matchers),
	    cmocka_unit_test(test_guid),
	    cmocka_unit_test(test_datetimes),
	    cmocka_unit_test(test_regex_and_escape),
	    cmocka_unit_test(test_contains),
	    cmocka_unit_test(test_length),
	    cmocka_unit_test(test_unordered),
	    cmocka_unit_test(test_validation),
	    cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_first_error_wins),
	    cmocka_unit_test(test_dump_truncates),
	    cmocka_unit_test(test_capture),
	    cmocka_unit_test(test_capture_url_param),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
