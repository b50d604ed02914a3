/*
 * server/hugepages_test.c - when the server re-executes itself for huge
 * pages, and with what GLIBC_TUNABLES (the exec itself needs a release
 * build: sanitizer builds never re-execute).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "hugepages.h"

static void expect(const char *tunables, const char *opt, const char *preload,
                   int thp_off, const char *want)
{
	char *got = hugepages_tunables(tunables, opt, preload, thp_off);

	if (!want)
		assert_null(got);
	else
		assert_string_equal(got, want);
	free(got);
}

static void test_decision(void **ctx)
{
	(void)ctx;
	expect(NULL, NULL, NULL, 0, "glibc.malloc.hugetlb=1");
	expect("", NULL, "", 0, "glibc.malloc.hugetlb=1");
	/* other tunables are kept */
	expect("glibc.malloc.arena_max=2", NULL, NULL, 0,
	       "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
	expect(NULL, "1", NULL, 0, "glibc.malloc.hugetlb=1");
	/* the environment decided already (also: after the re-execution) */
	expect("glibc.malloc.hugetlb=0", NULL, NULL, 0, NULL);
	expect("glibc.malloc.hugetlb=1", NULL, NULL, 0, NULL);
	/* opted out, preloaded (valgrind), or nothing to gain */
	expect(NULL, "0", NULL, 0, NULL);
	expect(NULL, NULL, "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so", 0,
	       NULL);
	expect(NULL, NULL, NULL, 1, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decision),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
