/*
 * server/core/jwriter_test.c - jwriter output is byte for byte what json_dumps
 * prints: fixed hostile values (every control character, quotes, unicode,
 * embedded NUL, integer extremes, reals, invalid UTF-8) and a few thousand
 * random nested values; plus the size cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jwriter.h"

#define FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)

/* @v (steals) must print as json_dumps prints it, or fail where it fails. */
static void same(json_t *v)
{
	struct buf w;
	char *want = json_dumps(v, FLAGS), *got;
	size_t len;

	buf_init(&w, (size_t)1 << 24);
	jwriter_value(&w, v);
	got = buf_detach(&w, &len);
	if (!want) {
		assert_null(got);
	} else {
		assert_non_null(got);
		assert_string_equal(got, want);
		assert_int_equal(len, strlen(want));
	}
	free(want);
	free(got);
	json_decref(v);
}

static void test_literals_and_numbers(void **ctx)
{
	static const double reals[] = {0.0, -0.0,  0.1,       1.5,
	                               3.0, 1e300, -2.5e-300, 123456789.125};
	static const json_int_t ints[] = {0,  1,        -1,        9,        10,
	                                  42, -1000000, INT64_MAX, INT64_MIN};

	(void)ctx;
	same(json_true());
	same(json_false());
	same(json_null());
	same(json_object());
	same(json_array());
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		same(json_integer(ints[i]));
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++)
		same(json_real(reals[i]));
}

static void test_strings(void **ctx)
{
	static const char *const texts[] = {
	    "",
	    "plain",
	    "quote \" backslash \\ slash / end",
	    "tab\tnew\nline\rcr\bbs\fff",
	    "\x01\x02\x1f\x7f",
	    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80",
	    "mixed \xc3\xa9\n\"\x01",
	    "\xe2\x80\xa8 line separator",
	};
	char all[32];

	(void)ctx;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		same(json_string(texts[i]));
	for (int c = 0; c < 32; c++)
		all[c] = (char)(c + 1 == 32 ? 31 : c + 1);
	same(json_stringn(all, sizeof(all)));
	same(json_stringn("a\0b", 3));         /* embedded NUL */
	same(json_stringn_nocheck("\xff", 1)); /* invalid UTF-8: both refuse */
	same(json_stringn_nocheck("ok \xc3", 4));
}

static void test_raw_strings_and_keys(void **ctx)
{
	struct buf w;
	char *got, *want;
	size_t len;
	json_t *o = json_object();

	(void)ctx;
	json_object_set_new(o, "k\"ey\n\xc3\xa9", json_string("v"));
	want = json_dumps(o, FLAGS);
	buf_init(&w, 4096);
	buf_add(&w, "{", 1);
	jwriter_key(&w, "k\"ey\n\xc3\xa9");
	jwriter_string(&w, "v", 1);
	buf_add(&w, "}", 1);
	got = buf_detach(&w, &len);
	assert_string_equal(got, want);
	free(got);
	free(want);
	json_decref(o);

	buf_init(&w, 4096);
	jwriter_string(&w, "\xff", 1);
	assert_true(w.failed);
	assert_null(buf_detach(&w, &len));
	assert_int_equal(len, 0);
}

/*
 * jwriter_plain() says no to every byte jwriter_member() would escape or
 * hand to jansson, and a plain key written by jwriter_member_plain() is
 * byte for byte what jwriter_member() writes.
 */
static void test_plain_keys(void **ctx)
{
	struct buf a, b;
	char key[12];

	(void)ctx;
	for (unsigned c = 1; c < 256; c++) {
		bool plain = c >= 0x20 && c < 0x80 && c != '"' && c != '\\';

		memcpy(key, "displayName", sizeof(key));
		key[c % 11] = (char)c;
		assert_int_equal(jwriter_plain(key, 11), plain);
		if (!plain)
			continue;
		buf_init(&a, 4096);
		buf_init(&b, 4096);
		jwriter_member(&a, key, c & 1);
		jwriter_member_plain(&b, key, 11, c & 1);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.data, b.data, a.len + 1);
		buf_release(&a);
		buf_release(&b);
	}
}

/*
 * Every byte at every place of strings up to 39 bytes long, and two special
 * bytes together: the plain runs are scanned sixteen bytes at a time (SSE2),
 * then eight, so each byte must be seen in each lane of a vector, of a word
 * and in the tail.
 */
static void test_every_byte_in_every_lane(void **ctx)
{
	char s[40];

	(void)ctx;
	for (size_t n = 1; n < sizeof(s); n++) {
		for (size_t at = 0; at < n; at++) {
			for (unsigned c = 0; c < 256; c++) {
				memset(s, 'a' + (int)(at % 26), n);
				s[at] = (char)c;
				if (c >= 0x80 && at + 1 < n)
					s[at + 1] = (char)0x80; /* valid UTF-8 when c is a
					                           lead byte */
				same(json_stringn_nocheck(s, n));
				if (at + 1 < n) {
					s[at + 1] = '"';
					same(json_stringn_nocheck(s, n));
				}
			}
		}
	}
}

static void test_nesting_and_order(void **ctx)
{
	json_t *v = json_loads("{\"z\":1,\"a\":[{\"y\":null,\"b\":[[],{}]},\"s\"],"
	                       "\"m\":{\"q\":true,\"c\":false,\"e\":2.5}}",
	                       0, NULL);

	(void)ctx;
	assert_non_null(v);
	same(v);
}

/* ---- random values ---- */

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static json_t *random_string(uint64_t *s)
{
	static const char *const pieces[] = {
	    "a",
	    "Z",
	    "0",
	    " ",
	    "\"",
	    "\\",
	    "/",
	    "\n",
	    "\t",
	    "\x01",
	    "\x1f",
	    "\x7f",
	    "\xc3\xa9",
	    "\xe6\x97\xa5",
	    "\xf0\x9f\x98\x80",
	    "#EXT#",
	    "@",
	    "'",
	};
	char buf[128];
	size_t len = 0, n = next(s) % 12;

	for (size_t i = 0; i < n; i++) {
		const char *p = pieces[next(s) % (sizeof(pieces) / sizeof(pieces[0]))];
		size_t pl = strlen(p);

		memcpy(buf + len, p, pl);
		len += pl;
	}
	return json_stringn(buf, len);
}

static json_t *random_value(uint64_t *s, int depth)
{
	unsigned kind = (unsigned)(next(s) % (depth > 3 ? 6 : 8));
	json_t *v;
	char key[8];

	switch (kind) {
	case 0:
		return json_null();
	case 1:
		return json_boolean(next(s) & 1);
	case 2:
		return json_integer((json_int_t)next(s) >> (next(s) % 64));
	case 3:
		return json_real((double)(int64_t)next(s) / (double)(next(s) % 1000 + 1));
	case 4:
	case 5:
		return random_string(s);
	case 6:
		v = json_array();
		for (uint64_t i = next(s) % 5; i > 0; i--)
			json_array_append_new(v, random_value(s, depth + 1));
		return v;
	default:
		v = json_object();
		for (uint64_t i = next(s) % 6; i > 0; i--) {
			snprintf(key, sizeof(key), "k%u", (unsigned)(next(s) % 50));
			json_object_set_new(v, key, random_value(s, depth + 1));
		}
		return v;
	}
}

static void test_random_values(void **ctx)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL;

	(void)ctx;
	for (int i = 0; i < 3000; i++)
		same(random_value(&s, 0));
}

static void test_size_cap(void **ctx)
{
	struct buf w;
	size_t len;
	json_t *v = json_string("0123456789");

	(void)ctx;
	buf_init(&w, 12); /* 12 bytes of text plus the NUL do not fit */
	jwriter_value(&w, v);
	assert_true(w.failed);
	assert_null(buf_detach(&w, &len));
	buf_init(&w, 13);
	jwriter_value(&w, v);
	assert_false(w.failed);
	free(buf_detach(&w, &len));
	assert_int_equal(len, 12);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_literals_and_numbers),
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_raw_strings_and_keys),
	    cmocka_unit_test(test_plain_keys),
	    cmocka_unit_test(test_every_byte_in_every_lane),
	    cmocka_unit_test(test_nesting_and_order),
	    cmocka_unit_test(test_random_values),
	    cmocka_unit_test(test_size_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
