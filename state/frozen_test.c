/*
 * state/frozen_test.c - a tree frozen by state_frozen_dump() is the string
 * json_dumps() then state_frozen_new() made of it, byte for byte (escapes,
 * UTF-8, control characters, long texts, and what is left to jansson), and a
 * user kept as text again (state_dobj_refreeze) reads back the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frozen.h"
#include "model/model.h"
#include "state.h"
#include "state_testutil.h"
#include "load/tenants.h"

/* What the refreeze made before: json_dumps, then the text squeezed. */
static json_t *frozen_by_dumps(const json_t *obj)
{
	char *text = json_dumps(obj, JSON_COMPACT);
	json_t *v;

	assert_non_null(text);
	v = state_frozen_new(text, strlen(text));
	free(text);
	return v;
}

static void assert_same_frozen(const json_t *obj)
{
	json_t *want = frozen_by_dumps(obj), *got = state_frozen_dump(obj);
	const char *a, *b;
	size_t na, nb;

	assert_non_null(got);
	assert_true(state_frozen_text(want, &a, &na));
	assert_true(state_frozen_text(got, &b, &nb));
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	json_decref(want);
	json_decref(got);
}

static void test_dump_matches_dumps(void **s)
{
	static const char *const texts[] = {
	    "{}",
	    "[]",
	    "{\"a\":[],\"b\":{},\"c\":[[],[{}]]}",
	    "{\"q\":\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\"}",
	    "{\"ctl\":\"\\u0001\\u001f\\u007f x\"}",
	    "{\"utf8\":\"caf\\u00e9 \\u65e5\\u672c \\ud83d\\ude00\",\"\\u00e9\":1}",
	    "{\"n\":[0,-1,9007199254740993,1.5,-2.5e-300,1e300],\"t\":true,"
	    "\"f\":false,\"z\":null}",
	    "{\"id\":\"8a1f7c2e-0d3b-4e5f-9a6b-7c8d9e0f1a2b\",\"displayName\":"
	    "\"O'Brien \\\"Ted\\\"\",\"otherMails\":[\"t@x.example\"],"
	    "\"identities\":[{\"signInType\":\"userPrincipalName\",\"issuer\":"
	    "\"x.example\",\"issuerAssignedId\":\"t_x#EXT#@x.example\"}]}",
	};
	json_error_t jerr;
	json_t *obj;

	(void)s;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		obj = json_loads(texts[i], 0, &jerr);
		assert_non_null(obj);
		assert_same_frozen(obj);
		json_decref(obj);
	}
	/* a NUL inside a string is written escaped, as json_dumps writes it */
	obj = json_pack("{s:s%}", "nul", "a\0b", (size_t)3);
	assert_non_null(obj);
	assert_same_frozen(obj);
	json_decref(obj);
}

/* Texts of 4094 to 4097 bytes and far longer: the stack buffer's edge,
 * where the second dump into the heap starts. */
static void test_dump_long_texts(void **s)
{
	static const size_t lens[] = {4000, 4093, 4094, 4095, 4096, 4097, 4098, 70000};
	char *fill = malloc(70000);

	(void)s;
	assert_non_null(fill);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		/* {"a":"..."}: 8 bytes around the value */
		size_t n = lens[i] - 8;
		json_t *obj, *got;
		const char *text;
		size_t len;

		for (size_t k = 0; k < n; k++)
			fill[k] = (char)('a' + k % 26);
		obj = json_pack("{s:s%}", "a", fill, n);
		assert_non_null(obj);
		assert_same_frozen(obj);
		got = state_frozen_dump(obj);
		assert_true(state_frozen_text(got, &text, &len));
		assert_int_equal(len, lens[i]);
		json_decref(got);
		json_decref(obj);
	}
	free(fill);
}

/* Nested past yajl's 128: jansson dumps it, into the stack buffer or,
 * for a longer text, the heap. */
static void test_dump_left_to_jansson(void **s)
{
	static const size_t lens[] = {10, 3600, 3800, 5000};

	(void)s;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		char *fill = malloc(lens[i]);
		json_t *deep;

		assert_non_null(fill);
		memset(fill, 'x', lens[i]);
		deep = json_pack("{s:s%}", "a", fill, lens[i]);
		for (int k = 0; k < 200; k++)
			deep = json_pack("[o]", deep);
		assert_non_null(deep);
		assert_same_frozen(deep);
		json_decref(deep);
		free(fill);
	}
}

/* Not an object or array: nothing to freeze. */
static void test_dump_refuses_scalars(void **s)
{
	json_t *v = json_string("x");

	(void)s;
	assert_null(state_frozen_dump(v));
	json_decref(v);
}

/*
 * A user made in a big tenant is kept as text when its request ends: what
 * it reads after is what it held, escapes and UTF-8 included.
 */
static void test_refreeze_reads_back_the_same(void **s)
{
	struct state st;
	struct tenant *t;
	struct dobj *d;
	json_error_t jerr;
	json_t *obj, *before;
	const char *text;
	size_t len;
	char *want;

	(void)s;
	test_state_init(&st, 7);
	st.read_keep_below = 0;
	t = state_tenant_default(&st);
	obj =
	    json_loads("{\"displayName\":\"Zo\\u00eb \\\"Q\\\" \\\\ \\ud83d\\ude00\","
	               "\"userPrincipalName\":\"zoe@contoso.onmicrosoft.com\","
	               "\"jobTitle\":\"a/b\\tc\\u0001\",\"businessPhones\":[\"+1 425\"]}",
	               0, &jerr);
	assert_non_null(obj);
	assert_int_equal(model_user_complete(&st, t, obj), 0);
	d = state_dobj_add(&st, t, DOBJ_USER, obj);
	assert_non_null(d);
	before = json_deep_copy(state_dobj_json(d));
	assert_non_null(before);
	assert_int_equal(state_dobj_refreeze(d), 0);
	assert_null(d->props);
	assert_true(state_frozen_text(d->frozen, &text, &len));
	want = json_dumps(before, JSON_COMPACT);
	assert_non_null(want);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(text, want, len);
	assert_true(json_equal(state_dobj_json(d), before));
	free(want);
	json_decref(before);
	state_release(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dump_matches_dumps),
	    cmocka_unit_test(test_dump_long_texts),
	    cmocka_unit_test(test_dump_left_to_jansson),
	    cmocka_unit_test(test_dump_refuses_scalars),
	    cmocka_unit_test(test_refreeze_reads_back_the_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
