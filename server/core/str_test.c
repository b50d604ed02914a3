/*
 * server/core/str_test.c - str_copy() writes and returns what
 * snprintf(dst, size, "%s", src) does, at every size around the length.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "str.h"

static void same_as_snprintf(void **ctx)
{
	static const char *const srcs[] = {"", "a", "GET", "contoso.onmicrosoft.com",
	                                   NULL};

	(void)ctx;
	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		for (size_t size = 1; size < 30; size++) {
			char want[32], got[32];
			int n;

			memset(want, 'x', sizeof(want));
			memset(got, 'x', sizeof(got));
			/* glibc prints NULL as "(null)"; say so without the warning */
			n = snprintf(want, size, "%s", srcs[i] ? srcs[i] : "(null)");
			assert_int_equal(str_copy(got, size, srcs[i]), (size_t)n);
			assert_memory_equal(got, want, sizeof(got));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(same_as_snprintf),
	};

	return cmocka_run_group_tests_name("str", tests, NULL, NULL);
}
