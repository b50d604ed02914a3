/*
 * server/core/str_test.c - str_copy() writes and returns what
 * snprintf(dst, size, "%s", src) does, at every size around the length;
 * str_ipv4() writes what inet_ntop() does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
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

/* Every value of each byte at each place, and a few whole addresses. */
static void ipv4_as_inet_ntop(void **ctx)
{
	static const unsigned char fixed[][4] = {{0, 0, 0, 0},
	                                         {127, 0, 0, 1},
	                                         {255, 255, 255, 255},
	                                         {10, 0, 100, 9},
	                                         {1, 22, 199, 200}};
	unsigned char b[4];
	char want[INET_ADDRSTRLEN], got[INET_ADDRSTRLEN];

	(void)ctx;
	for (size_t at = 0; at < 4; at++) {
		for (unsigned v = 0; v < 256; v++) {
			memcpy(b, "\x7f\x00\x00\x01", 4);
			b[at] = (unsigned char)v;
			assert_non_null(inet_ntop(AF_INET, b, want, sizeof(want)));
			memset(got, 'x', sizeof(got));
			str_ipv4(b, got);
			assert_string_equal(got, want);
		}
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		assert_non_null(inet_ntop(AF_INET, fixed[i], want, sizeof(want)));
		str_ipv4(fixed[i], got);
		assert_string_equal(got, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(same_as_snprintf),
	    cmocka_unit_test(ipv4_as_inet_ntop),
	};

	return cmocka_run_group_tests_name("str", tests, NULL, NULL);
}
