/*
 * server/core/form_test.c - form-urlencoded parsing: '+' and %XX decoding, order,
 * duplicates, empty pairs, broken escapes; and base64 (b64.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../state/util/b64.h"
#include "form.h"

static void parse(struct form *f, const char *body)
{
	assert_int_equal(form_parse(f, body, strlen(body)), 0);
}

static void test_decoding(void **s)
{
	struct form f;

	(void)s;
	parse(&f, "scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&x-ms-lib-"
	          "capability=retry-after,+h429&plus=a%2Bb&sp=a+b%20c");
	assert_int_equal(f.n, 4);
	assert_string_equal(form_get(&f, "scope"),
	                    "https://graph.microsoft.com/.default");
	assert_string_equal(form_get(&f, "x-ms-lib-capability"), "retry-after, h429");
	assert_string_equal(form_get(&f, "plus"), "a+b");
	assert_string_equal(form_get(&f, "sp"), "a b c");
	assert_null(form_get(&f, "Scope")); /* names are case-sensitive */
	form_release(&f);
}

static void test_duplicates_and_empties(void **s)
{
	struct form f;

	(void)s;
	parse(&f, "a=1&&b&a=2&=v&c=");
	assert_int_equal(f.n, 5);
	assert_string_equal(form_get(&f, "a"), "1"); /* the first wins */
	assert_int_equal(form_count(&f, "a"), 2);
	assert_string_equal(f.kv[2].value, "2");
	assert_string_equal(form_get(&f, "b"), "");
	assert_string_equal(form_get(&f, ""), "v");
	assert_string_equal(form_get(&f, "c"), "");
	form_release(&f);
	parse(&f, "");
	assert_int_equal(f.n, 0);
	form_release(&f);
}

static void test_broken_escapes(void **s)
{
	struct form f;

	(void)s;
	assert_int_equal(form_parse(&f, "a=%zz", 5), -1);
	assert_int_equal(f.n, 0);
	assert_int_equal(form_parse(&f, "a=1&b=%2", 8), -1);
	assert_int_equal(form_parse(&f, "a=%00", 5), -1); /* no embedded NUL */
	/* the length is honoured: bytes after @len are not read */
	assert_int_equal(form_parse(&f, "a=1&b=2", 3), 0);
	assert_int_equal(f.n, 1);
	assert_null(form_get(&f, "b"));
	form_release(&f);
}

static void test_base64(void **s)
{
	static const struct {
		const char *plain, *url;
	} cases[] = {{"", ""},        {"f", "Zg"},         {"fo", "Zm8"},
	             {"foo", "Zm9v"}, {"\xfb\xff", "-_8"}, {"id:secret", "aWQ6c2VjcmV0"}};
	size_t n;

	(void)s;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *enc = b64url_encode(cases[i].plain, strlen(cases[i].plain));
		unsigned char *dec = b64_decode(cases[i].url, strlen(cases[i].url), &n);
		assert_string_equal(enc, cases[i].url);
		assert_int_equal(n, strlen(cases[i].plain));
		assert_memory_equal(dec, cases[i].plain, n);
		free(enc);
		free(dec);
	}
	/* the standard alphabet and padding decode too */
	unsigned char *dec = b64_decode("+/8=", 4, &n);
	assert_int_equal(n, 2);
	assert_memory_equal(dec, "\xfb\xff", 2);
	free(dec);
	assert_null(b64_decode("Z", 1, &n));
	assert_null(b64_decode("Zm9v!", 5, &n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decoding),
	    cmocka_unit_test(test_duplicates_and_empties),
	    cmocka_unit_test(test_broken_escapes),
	    cmocka_unit_test(test_base64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
