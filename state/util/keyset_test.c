/*
 * state/util/keyset_test.c - duplicates found per object, across growth,
 * and forgotten in one step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "keyset.h"

static void duplicates_per_object(void **ctx)
{
	struct keyset ks;

	(void)ctx;
	keyset_init(&ks);
	assert_int_equal(keyset_add(&ks, 1, "id", 2), 1);
	assert_int_equal(keyset_add(&ks, 1, "mail", 4), 1);
	assert_int_equal(keyset_add(&ks, 1, "id", 2), 0);
	assert_int_equal(keyset_add(&ks, 2, "id", 2), 1); /* another object */
	assert_int_equal(keyset_add(&ks, 2, "id", 2), 0);
	/* prefixes, the empty key and NUL inside are keys of their own */
	assert_int_equal(keyset_add(&ks, 1, "i", 1), 1);
	assert_int_equal(keyset_add(&ks, 1, "", 0), 1);
	assert_int_equal(keyset_add(&ks, 1, "", 0), 0);
	assert_int_equal(keyset_add(&ks, 1, "a\0b", 3), 1);
	assert_int_equal(keyset_add(&ks, 1, "a\0c", 3), 1);
	assert_int_equal(keyset_add(&ks, 1, "a\0b", 3), 0);
	keyset_free(&ks);
}

static void forgets_in_one_step(void **ctx)
{
	struct keyset ks;

	(void)ctx;
	keyset_init(&ks);
	assert_int_equal(keyset_add(&ks, 7, "displayName", 11), 1);
	keyset_forget(&ks);
	assert_int_equal(keyset_add(&ks, 7, "displayName", 11), 1);
	assert_int_equal(keyset_add(&ks, 7, "displayName", 11), 0);
	/* the round counter wrapping around forgets too, not resurrects */
	ks.round = UINT32_MAX;
	assert_int_equal(keyset_add(&ks, 7, "x", 1), 1);
	keyset_forget(&ks);
	assert_int_equal(ks.round, 1);
	assert_int_equal(keyset_add(&ks, 7, "x", 1), 1);
	assert_int_equal(keyset_add(&ks, 7, "displayName", 11), 1);
	keyset_free(&ks);
}

/* Thousands of keys in one round: every one found again after the growth. */
static void grows_keeping_keys(void **ctx)
{
	struct keyset ks;
	char key[32];

	(void)ctx;
	keyset_init(&ks);
	for (int round = 0; round < 3; round++) {
		for (uint32_t i = 0; i < 5000; i++) {
			int n = snprintf(key, sizeof(key), "key-%u", i);
			assert_int_equal(keyset_add(&ks, i % 7, key, (size_t)n), 1);
		}
		for (uint32_t i = 0; i < 5000; i++) {
			int n = snprintf(key, sizeof(key), "key-%u", i);
			assert_int_equal(keyset_add(&ks, i % 7, key, (size_t)n), 0);
			assert_int_equal(keyset_add(&ks, i % 7 + 1, key, (size_t)n), 1);
		}
		keyset_forget(&ks);
	}
	keyset_free(&ks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(duplicates_per_object),
	    cmocka_unit_test(forgets_in_one_step),
	    cmocka_unit_test(grows_keeping_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
