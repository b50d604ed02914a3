/*
 * state/util/jtext_test.c - walking accepted JSON text: strings that end
 * after runs of backslashes, members of every value type, whitespace, and
 * text that is not an object's refused rather than overrun.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "jtext.h"

static size_t end_of(const char *s)
{
	return jtext_string_end(s, strlen(s), 0);
}

static void test_string_end(void **unused)
{
	(void)unused;
	assert_int_equal(end_of("\"abc\""), 4);
	assert_int_equal(end_of("\"a\\\"b\""), 5);    /* "a\"b" */
	assert_int_equal(end_of("\"a\\\\\"b"), 4);    /* "a\\" then b */
	assert_int_equal(end_of("\"\\\\\\\"x\""), 6); /* "\\\"x" */
	assert_int_equal(end_of("\"\""), 1);
	assert_int_equal(end_of("\"never ends"), strlen("\"never ends"));
	assert_int_equal(end_of("\"ends in an escape\\\""),
	                 strlen("\"ends in an escape\\\""));
}

/* "key=value|key=value|" of @text's members, or "refused". */
static const char *walk(const char *text, char *out, size_t cap)
{
	struct jtext_member m;
	size_t pos = 0, n = 0;
	int rc;

	out[0] = '\0';
	while ((rc = jtext_member_next(text, strlen(text), &pos, &m)) == 1) {
		int w = snprintf(out + n, cap - n, "%.*s=%.*s|", (int)m.key_len, m.key,
		                 (int)m.value_len, m.value);
		assert_true(w > 0 && (size_t)w < cap - n);
		n += (size_t)w;
	}
	return rc < 0 ? "refused" : out;
}

static void test_members(void **unused)
{
	char out[512];

	(void)unused;
	assert_string_equal(walk("{}", out, sizeof(out)), "");
	assert_string_equal(walk(" { } ", out, sizeof(out)), "");
	assert_string_equal(walk("{\"a\":1,\"b\":\"x,}\",\"c\":[1,{\"d\":\"]\"}],"
	                         "\"e\":{\"f\":{}},\"g\":null,\"h\":-1.5e3,\"i\":true}",
	                         out, sizeof(out)),
	                    "a=1|b=\"x,}\"|c=[1,{\"d\":\"]\"}]|e={\"f\":{}}|g=null|"
	                    "h=-1.5e3|i=true|");
	assert_string_equal(walk("{ \"a\" : 1 ,\n\t\"b\" : [ ] }", out, sizeof(out)),
	                    "a=1|b=[ ]|");
	assert_string_equal(walk("{\"k\\\"ey\":\"v\\\\\"}", out, sizeof(out)),
	                    "k\\\"ey=\"v\\\\\"|");
}

static void test_refused(void **unused)
{
	static const char *const bad[] = {
	    "",
	    "[1,2]",
	    "\"s\"",
	    "{",
	    "{\"a\"",
	    "{\"a\":",
	    "{\"a\":1",
	    "{\"a\":1,}",
	    "{\"a\" 1}",
	    "{a:1}",
	    "{\"a\":[1",
	    "{\"a\":\"x}",
	    "{\"a\":1 \"b\":2}",
	    "{\"a\":{\"b\":1}",
	};
	char out[512];

	(void)unused;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_string_equal(walk(bad[i], out, sizeof(out)), "refused");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_string_end),
	    cmocka_unit_test(test_members),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
