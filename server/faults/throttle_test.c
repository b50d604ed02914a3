/*
 * server/faults/throttle_test.c - token buckets: burst, refill, the wait they
 * report, separate keys, deadlines and forgetting a rule's keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "throttle.h"

static void test_bucket(void **s)
{
	struct throttle t;
	struct throttle_spec spec = {
	    .limit = 3, .window_ms = 3000, .per = THROTTLE_CLIENT};

	(void)s;
	throttle_init(&t);
	for (int i = 0; i < 3; i++)
		assert_int_equal(throttle_take(&t, "k", &spec, 0), 0);
	assert_int_equal(throttle_take(&t, "k", &spec, 0),
	                 1000); /* one token per second */
	assert_int_equal(throttle_take(&t, "k", &spec, 400), 600);
	assert_int_equal(throttle_take(&t, "other", &spec, 400), 0);
	assert_int_equal(throttle_take(&t, "k", &spec, 1000), 0);
	assert_true(throttle_take(&t, "k", &spec, 1000) > 0);
	/* A long pause refills only up to the limit. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(throttle_take(&t, "k", &spec, 100000), 0);
	assert_true(throttle_take(&t, "k", &spec, 100000) > 0);
	throttle_release(&t);
}

static void test_deadlines_and_forget(void **s)
{
	struct throttle t;
	struct throttle_spec spec = {
	    .limit = 1, .window_ms = 1000, .per = THROTTLE_GLOBAL};

	(void)s;
	throttle_init(&t);
	assert_false(throttle_early(&t,
	                            "r1\x1f"
	                            "a",
	                            0));
	throttle_set_deadline(&t,
	                      "r1\x1f"
	                      "a",
	                      1000);
	assert_true(throttle_early(&t,
	                           "r1\x1f"
	                           "a",
	                           999));
	assert_false(throttle_early(&t,
	                            "r1\x1f"
	                            "a",
	                            1000));
	throttle_take(&t,
	              "r1\x1f"
	              "b",
	              &spec, 0);
	throttle_take(&t,
	              "r2\x1f"
	              "b",
	              &spec, 0);
	assert_int_equal(t.count, 3);
	throttle_forget(&t, "r1\x1f");
	assert_int_equal(t.count, 1);
	assert_true(throttle_take(&t,
	                          "r2\x1f"
	                          "b",
	                          &spec, 0) > 0);
	throttle_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bucket),
	    cmocka_unit_test(test_deadlines_and_forget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
