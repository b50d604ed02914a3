/*
 * state/util/guid_test.c - GUID text: what the generator formats reads back
 * to the same bytes and is what printf's %02x would write, version 4 with
 * the RFC 4122 variant; validation and lower-casing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "guid.h"

static void formats_as_printf_would(void **s)
{
	struct rng r;

	(void)s;
	rng_seed(&r, 42);
	for (int n = 0; n < 2000; n++) {
		char g[GUID_STR_LEN + 1], want[GUID_STR_LEN + 1];
		uint8_t le[16];

		guid_from_rng(&r, g);
		assert_int_equal(strlen(g), GUID_STR_LEN);
		assert_true(guid_valid(g));
		assert_int_equal(g[14], '4');                 /* version 4 */
		assert_non_null(strchr("89ab", g[19]));       /* RFC 4122 variant */
		assert_int_equal(guid_to_bytes_le(g, le), 0); /* bytes_le: back to text */
		snprintf(want, sizeof(want),
		         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%"
		         "02x%02x",
		         le[3], le[2], le[1], le[0], le[5], le[4], le[7], le[6], le[8],
		         le[9], le[10], le[11], le[12], le[13], le[14], le[15]);
		assert_string_equal(g, want);
	}
}

static void validates_and_lowers(void **s)
{
	char out[GUID_STR_LEN + 1];

	(void)s;
	assert_true(guid_valid("AAAAAAAA-0000-4000-8000-00000000000F"));
	assert_false(guid_valid("aaaaaaaa-0000-4000-8000-00000000000g"));
	assert_false(guid_valid("aaaaaaaa00000-4000-8000-000000000001"));
	assert_false(guid_valid("aaaaaaaa-0000-4000-8000-0000000000011"));
	assert_false(guid_valid(NULL));
	guid_lower("AAAAAAAA-0000-4000-8000-00000000000F", out);
	assert_string_equal(out, "aaaaaaaa-0000-4000-8000-00000000000f");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(formats_as_printf_would),
	    cmocka_unit_test(validates_and_lowers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
