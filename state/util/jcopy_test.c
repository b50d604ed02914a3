/*
 * state/util/jcopy_test.c - jcopy_shared(): new containers, shared scalars,
 * and a copy the original's later changes do not reach.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "jcopy.h"

static void copies_containers_and_shares_scalars(void **s)
{
	json_error_t jerr;
	json_t *v = json_loads("{\"a\":\"x\",\"n\":[1,{\"deep\":[true,null,2.5]}],"
	                       "\"o\":{\"k\":\"v\"}}",
	                       0, &jerr);
	json_t *c;

	(void)s;
	assert_non_null(v);
	c = jcopy_shared(v);
	assert_non_null(c);
	assert_true(json_equal(v, c));
	assert_ptr_not_equal(c, v);
	assert_ptr_not_equal(json_object_get(c, "n"), json_object_get(v, "n"));
	assert_ptr_not_equal(json_array_get(json_object_get(c, "n"), 1),
	                     json_array_get(json_object_get(v, "n"), 1));
	assert_ptr_not_equal(json_object_get(c, "o"), json_object_get(v, "o"));
	/* the scalars are the original's own */
	assert_ptr_equal(json_object_get(c, "a"), json_object_get(v, "a"));
	assert_ptr_equal(json_object_get(json_object_get(c, "o"), "k"),
	                 json_object_get(json_object_get(v, "o"), "k"));
	/* later changes to the original's containers do not reach the copy */
	json_object_set_new(json_object_get(v, "o"), "k", json_string("changed"));
	json_array_clear(json_object_get(v, "n"));
	json_object_del(v, "a");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(c, "o"), "k")), "v");
	assert_int_equal(json_array_size(json_object_get(c, "n")), 2);
	assert_string_equal(json_string_value(json_object_get(c, "a")), "x");
	json_decref(v);
	json_decref(c);
}

/* Keys are copied with their length: one with a NUL in it stays itself. */
static void keeps_keys_with_nul(void **s)
{
	json_t *v = json_object(), *c;

	(void)s;
	json_object_setn_new(v, "a\0b", 3, json_true());
	json_object_set_new(v, "a", json_false());
	c = jcopy_shared(v);
	assert_int_equal(json_object_size(c), 2);
	assert_true(json_is_true(json_object_getn(c, "a\0b", 3)));
	assert_true(json_is_false(json_object_get(c, "a")));
	json_decref(v);
	json_decref(c);
}

static void scalars_and_null(void **s)
{
	json_t *str = json_string("s");
	json_t *c = jcopy_shared(str);

	(void)s;
	assert_ptr_equal(c, str);
	json_decref(c);
	json_decref(str);
	assert_null(jcopy_shared(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(copies_containers_and_shares_scalars),
	    cmocka_unit_test(keeps_keys_with_nul),
	    cmocka_unit_test(scalars_and_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
