/*
 * state/util/jgen_test.c - jgen_compact() writes json_dumps(v, JSON_COMPACT)
 * byte for byte: escapes, control characters, UTF-8, numbers, empty and
 * nested containers, random trees; and declines what it leaves to jansson.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "jgen.h"

/* jgen_compact(@v) is json_dumps(@v, JSON_COMPACT), after a prefix kept. */
static void assert_as_jansson(const json_t *v)
{
	char *want = json_dumps(v, JSON_COMPACT);
	struct buf b;

	assert_non_null(want);
	buf_init(&b, 1 << 24);
	buf_add(&b, "\0", 1);
	assert_true(jgen_compact(v, &b));
	assert_false(b.failed);
	if (b.len != 1 + strlen(want) || memcmp(b.data + 1, want, b.len - 1))
		fail_msg("jansson '%s', jgen '%.*s'", want, (int)b.len - 1, b.data + 1);
	assert_int_equal(b.data[0], '\0');
	buf_release(&b);
	free(want);
}

static void test_texts(void **s)
{
	static const char *const texts[] = {
	    "{}",
	    "[]",
	    "[[],{},[[]],{\"a\":{}}]",
	    "{\"\":\"\",\"a\":[],\"b\":{},\"c\":[[],[{}]]}",
	    "{\"q\":\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\",\"k\\\"\\\\/\\n\":1}",
	    "{\"ctl\":\"\\u0001\\u0002\\u000b\\u000e\\u001f\\u007f x\"}",
	    "{\"utf8\":\"caf\\u00e9 \\u65e5\\u672c \\ud83d\\ude00 "
	    "\\u2028\",\"\\u00e9\":1}",
	    "[0,-1,1,9223372036854775807,-9223372036854775808,1.5,-2.5e-300,1e300,"
	    "0.1,100.0,1e22,5e-324,-0.0,123456789012345678]",
	    "[true,false,null,\"true\",\"null\"]",
	    "{\"id\":\"8a1f7c2e-0d3b-4e5f-9a6b-7c8d9e0f1a2b\",\"displayName\":"
	    "\"O'Brien \\\"Ted\\\"\",\"otherMails\":[\"t@x.example\"],"
	    "\"identities\":[{\"signInType\":\"userPrincipalName\",\"issuer\":"
	    "\"x.example\",\"issuerAssignedId\":\"t_x#EXT#@x.example\"}],"
	    "\"passwordProfile\":null,\"accountEnabled\":true}",
	};
	json_error_t jerr;

	(void)s;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		json_t *v = json_loads(texts[i], 0, &jerr);

		assert_non_null(v);
		assert_as_jansson(v);
		json_decref(v);
	}
}

/* NUL in a value and in a key: jansson writes \u0000, and so must we. */
static void test_nul(void **s)
{
	json_t *v = json_object();

	(void)s;
	assert_int_equal(json_object_set_new(v, "a", json_stringn("x\0y", 3)), 0);
	assert_int_equal(json_object_setn_new(v, "k\0z", 3, json_stringn("\0", 1)), 0);
	assert_as_jansson(v);
	json_decref(v);
}

/* What jgen leaves to jansson: not a container, bad UTF-8 (which jansson's
 * dump refuses too), nesting past yajl's 128 (which jansson writes). */
static void test_declines(void **s)
{
	struct buf b;
	json_t *v = json_string("x"), *bad = json_object(), *deep = json_array();
	char *text;

	(void)s;
	buf_init(&b, 1 << 20);
	assert_false(jgen_compact(v, &b));
	json_decref(v);

	assert_int_equal(json_object_set_new(bad, "a", json_stringn_nocheck("\xc3(", 2)),
	                 0);
	assert_false(jgen_compact(bad, &b));
	assert_null(json_dumps(bad, JSON_COMPACT));
	json_decref(bad);
	bad = json_object();
	/* a key jansson finds bad: its dump writes something (it ignores a
	 * key's failure), so the text is jansson's to write */
	assert_int_equal(json_object_set_new_nocheck(bad, "\xed\xa0\x80", json_null()),
	                 0);
	assert_false(jgen_compact(bad, &b));
	json_decref(bad);

	for (int i = 0; i < 200; i++) {
		json_t *outer = json_array();

		assert_int_equal(json_array_append_new(outer, deep), 0);
		deep = outer;
	}
	assert_false(jgen_compact(deep, &b));
	text = json_dumps(deep, JSON_COMPACT);
	assert_non_null(text);
	free(text);
	json_decref(deep);
	buf_release(&b);
}

/* Random bytes that matter to an escaper: controls, quotes, backslashes,
 * '/', DEL, and UTF-8 of two, three and four bytes. */
static size_t random_text(char *out, unsigned *seed)
{
	static const char *const pieces[] = {"a",
	                                     "Z",
	                                     " ",
	                                     "\"",
	                                     "\\",
	                                     "/",
	                                     "\x7f",
	                                     "\n",
	                                     "\t",
	                                     "\x01",
	                                     "\x1f",
	                                     "\b",
	                                     "\f",
	                                     "\r",
	                                     "\xc3\xa9",
	                                     "\xe6\x97\xa5",
	                                     "\xf0\x9f\x98\x80",
	                                     "\0"};
	size_t n = 0, count = (size_t)(rand_r(seed) % 12);

	for (size_t i = 0; i < count; i++) {
		const char *p =
		    pieces[rand_r(seed) % (sizeof(pieces) / sizeof(pieces[0]))];
		size_t len = *p ? strlen(p) : 1;

		memcpy(out + n, p, len);
		n += len;
	}
	return n;
}

static json_t *random_tree(unsigned *seed, int depth)
{
	char text[64];
	size_t n;
	int kind = depth > 4 ? rand_r(seed) % 6 : rand_r(seed) % 8;
	json_t *v;

	switch (kind) {
	case 0:
		return json_null();
	case 1:
		return json_boolean(rand_r(seed) % 2);
	case 2:
		return json_integer((json_int_t)rand_r(seed) - RAND_MAX / 2);
	case 3:
		return json_real((double)rand_r(seed) / 7.0);
	case 4:
	case 5:
		n = random_text(text, seed);
		return json_stringn(text, n);
	case 6:
		v = json_array();
		for (int i = rand_r(seed) % 5; i > 0; i--)
			json_array_append_new(v, random_tree(seed, depth + 1));
		return v;
	default:
		v = json_object();
		for (int i = rand_r(seed) % 5; i > 0; i--) {
			n = random_text(text, seed);
			json_object_setn_new(v, text, n, random_tree(seed, depth + 1));
		}
		return v;
	}
}

static void test_random_trees(void **s)
{
	unsigned seed = 20261208;

	(void)s;
	for (int i = 0; i < 3000; i++) {
		json_t *v = json_array();

		assert_int_equal(json_array_append_new(v, random_tree(&seed, 0)), 0);
		assert_as_jansson(v);
		json_decref(v);
	}
}

/* A full buffer declines (the caller then asks jansson). */
static void test_full_buffer_declines(void **s)
{
	struct buf b;
	json_t *v = json_pack("{s:s}", "a", "0123456789");

	(void)s;
	buf_init(&b, 8);
	assert_false(jgen_compact(v, &b));
	buf_release(&b);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_texts),
	    cmocka_unit_test(test_nul),
	    cmocka_unit_test(test_declines),
	    cmocka_unit_test(test_random_trees),
	    cmocka_unit_test(test_full_buffer_declines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
