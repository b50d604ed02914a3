/*
 * server/faults/fault_match_test.c - bounded fault rules: at most
 * FAULT_RULES_MAX of them and FAULT_PATTERN_MAX characters a pattern; the
 * compiled one-pass matcher agrees with the reference (dynamic-programming)
 * reading of patterns; and the rule index by method and first segment
 * picks exactly what a scan of every rule would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"

static uint64_t rng_state = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* The reading of a path pattern the matcher must agree with (O(P x N) DP). */
static bool ref_match(const char *pattern, const char *s)
{
	size_t n = strlen(s);
	bool cur[256], next[256];

	assert_true(n < sizeof(cur));
	memset(cur, 0, sizeof(cur));
	cur[0] = true;
	for (const char *p = pattern; *p; p++) {
		memset(next, 0, sizeof(next));
		if (*p == '*') {
			bool any = false;
			for (size_t i = 0; i <= n; i++)
				next[i] = any = any || cur[i];
		} else if (*p == '{' && strchr(p, '}')) {
			bool open = false;
			p = strchr(p, '}');
			for (size_t i = 0; i < n; i++) {
				open = s[i] != '/' && (open || cur[i]);
				next[i + 1] = open;
			}
		} else {
			for (size_t i = 0; i < n; i++)
				next[i + 1] = cur[i] && (*p | 32) == (s[i] | 32);
		}
		memcpy(cur, next, sizeof(cur));
	}
	return cur[n];
}

static void random_text(char *out, size_t max, const char *const *parts, size_t nparts)
{
	size_t len = 0;
	unsigned k = 1 + rnd(8);

	out[0] = '\0';
	for (unsigned i = 0; i < k; i++) {
		const char *p = parts[rnd((unsigned)nparts)];
		if (len + strlen(p) + 1 >= max)
			break;
		memcpy(out + len, p, strlen(p) + 1);
		len += strlen(p);
	}
}

static void test_matcher_agrees_with_reference(void **s)
{
	static const char *const pat_parts[] = {"/",    "a",  "B",    "ab", "*",
	                                        "{id}", "/a", "{x}b", "**"};
	static const char *const path_parts[] = {"/", "a", "b", "ab", "A", "/ab", "ba"};
	char pattern[64], path[64];

	(void)s;
	for (int i = 0; i < 200000; i++) {
		random_text(pattern, sizeof(pattern), pat_parts, 9);
		random_text(path, sizeof(path), path_parts, 7);
		struct fault_pattern fp;
		assert_int_equal(
		    fault_pattern_compile(&fp, pattern, FAULT_PATTERN_PATH, true), 0);
		if (fault_pattern_match(&fp, path) != ref_match(pattern, path))
			fail_msg("'%s' against '%s': matcher %d, reference %d", pattern,
			         path, fault_pattern_match(&fp, path),
			         ref_match(pattern, path));
		fault_pattern_release(&fp);
	}
	/* Mail globs: '?' is one character, '*' any run, letters in any case. */
	assert_true(fault_glob("a?c*@X.com", "abcdef@x.COM", true));
	assert_false(fault_glob("a?c", "ac", true));
	assert_false(fault_glob("a*", "b", false));
}

/* A pattern built to make backtracking matchers explode: one pass here. */
static void test_pathological_pattern(void **s)
{
	char pattern[FAULT_PATTERN_MAX + 1], path[4097];
	struct fault_pattern fp;
	size_t n = 0;

	(void)s;
	while (n + 2 < FAULT_PATTERN_MAX) {
		pattern[n++] = '*';
		pattern[n++] = 'a';
	}
	pattern[n++] = 'b';
	pattern[n] = '\0';
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(fault_pattern_compile(&fp, pattern, FAULT_PATTERN_PATH, true),
	                 0);
	assert_false(fault_pattern_match(&fp, path));
	path[sizeof(path) - 2] = 'b';
	assert_true(fault_pattern_match(&fp, path));
	fault_pattern_release(&fp);
}

static void test_pattern_length_bounded(void **s)
{
	char text[FAULT_PATTERN_MAX + 200], err[512] = "";
	json_t *j;

	(void)s;
	memset(text, 'a', sizeof(text) - 1);
	text[0] = '/';
	text[sizeof(text) - 1] = '\0';
	j = json_pack("{s:{s:s}, s:{s:s}}", "match", "path", text, "action", "error",
	              "throttled");
	assert_null(fault_rule_parse(j, 0, err, sizeof(err)));
	assert_non_null(strstr(err, "match.path"));
	json_decref(j);
}

static void test_rule_count_bounded(void **s)
{
	struct fault_engine e;
	json_t *rules = json_array();
	char err[512] = "";

	(void)s;
	assert_int_equal(fault_engine_init(&e, 1, NULL), 0);
	for (int i = 0; i < FAULT_RULES_MAX; i++)
		json_array_append_new(rules, json_pack("{s:{s:s}, s:{s:s}}", "match",
		                                       "path", "/v1.0/users/x", "action",
		                                       "error", "throttled"));
	assert_int_equal(fault_engine_add(&e, rules, err, sizeof(err)), 0);
	json_decref(rules);
	rules = json_pack("{s:{s:s}}", "action", "error", "throttled");
	assert_int_equal(fault_engine_add(&e, rules, err, sizeof(err)), -1);
	if (!strstr(err, "at most"))
		fail_msg("rule %d was accepted (or refused for '%s')",
		         FAULT_RULES_MAX + 1, err);
	json_decref(rules);
	fault_engine_release(&e);
}

/* With many rules of every shape, the index picks what a full scan would. */
static void test_index_picks_like_a_scan(void **s)
{
	static const char *const methods[] = {"GET", "POST", "PATCH", "DELETE", NULL};
	static const char *const paths[] = {"/v1.0/users/{id}",
	                                    "/users*",
	                                    "/v1.0/groups/{id}/members",
	                                    "/*",
	                                    "/beta/users",
	                                    "/{x}/users",
	                                    "/V1.0/Users/*",
	                                    NULL,
	                                    "/_mock/state",
	                                    "/v1.0/users/ab",
	                                    "/groups/*/members",
	                                    "/users"};
	static const char *const reqs[] = {
	    "/v1.0/users/ab",         "/v1.0/users",  "/beta/users",    "/users/x",
	    "/v1.0/groups/g/members", "/_mock/state", "/v1.0/Users/AB", "/v1.0/appl"};
	struct {
		const char *method, *path;
	} rule[300];
	struct fault_engine e;
	json_t *rules = json_array();
	char err[512];

	(void)s;
	assert_int_equal(fault_engine_init(&e, 1, NULL), 0);
	e.quiet = true;
	for (int i = 0; i < 300; i++) {
		json_t *m = json_object();
		rule[i].method = methods[rnd(5)];
		rule[i].path = paths[rnd(12)];
		if (rule[i].method)
			json_object_set_new(m, "method", json_string(rule[i].method));
		if (rule[i].path)
			json_object_set_new(m, "path", json_string(rule[i].path));
		json_array_append_new(rules,
		                      json_pack("{s:s, s:o, s:{s:s}}", "id", "", "match",
		                                m, "action", "error", "internalError"));
		json_object_set_new(json_array_get(rules, (size_t)i), "id",
		                    json_sprintf("r%d", i));
	}
	if (fault_engine_add(&e, rules, err, sizeof(err)))
		fail_msg("%s", err);
	json_decref(rules);
	for (int k = 0; k < 2000; k++) {
		const char *method = methods[rnd(4)], *path = reqs[rnd(8)];
		struct fault_request fr = {method, path, "", "", "ip:x", NULL};
		struct fault_decision d;
		char want[16] = "";
		bool admin = !strncmp(path, "/_mock", 6);

		for (int i = 0; i < 300 && !want[0]; i++) {
			bool any = !rule[i].path;
			if (rule[i].method && strcmp(rule[i].method, method))
				continue;
			if (admin && (any || strncmp(rule[i].path, "/_mock", 6)))
				continue;
			if (any || fault_path_match(rule[i].path, path))
				snprintf(want, sizeof(want), "r%d", i);
		}
		fault_engine_decide(&e, &fr, NULL, 0, &d);
		if (strcmp(d.rule_id, want))
			fail_msg("%s %s: rule '%s', a scan says '%s'", method, path,
			         d.rule_id, want);
		fault_decision_release(&d);
	}
	fault_engine_release(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matcher_agrees_with_reference),
	    cmocka_unit_test(test_pathological_pattern),
	    cmocka_unit_test(test_pattern_length_bounded),
	    cmocka_unit_test(test_rule_count_bounded),
	    cmocka_unit_test(test_index_picks_like_a_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
