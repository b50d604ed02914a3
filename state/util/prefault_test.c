/*
 * state/util/prefault_test.c - a big build's pages are faulted in ahead by a
 * helper (resident before the build writes them) and what the build did not
 * use is given back at the end; small builds, a second one at a time, a
 * thread outside the main arena, GRAPHMOCK_PREFAULT=0 and sanitized builds
 * go without. `make unit` runs it twice: sanitized with the other tests,
 * and built plain (build/release), where the helper really runs.
 */
#define _DEFAULT_SOURCE /* madvise, MAP_ANONYMOUS, usleep */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "prefault.h"
#include "sanitized.h"

#define MIB ((size_t)1 << 20)

static void test_small_builds_fault_their_own(void **s)
{
	(void)s;
	assert_null(prefault_begin(PREFAULT_MIN - 1));
	assert_null(prefault_begin(0));
	prefault_end(NULL); /* nothing to stop */
}

#if GRAPHMOCK_SANITIZED

/* The sanitizer's allocator owns the heap: nothing to fault ahead. */
static void test_sanitized_builds_go_without(void **s)
{
	(void)s;
	assert_null(prefault_begin(PREFAULT_MIN));
}

#else

/* This process's resident bytes (VmRSS). */
static size_t rss(void)
{
	char line[256];
	size_t kb = 0;
	FILE *f = fopen("/proc/self/status", "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %zu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

/* Can this kernel populate pages writable (Linux 5.14)? */
static int kernel_populates(void)
{
	long page = sysconf(_SC_PAGESIZE);
	void *m = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ok;

	assert_true(m != MAP_FAILED);
	ok = madvise(m, (size_t)page, MADV_POPULATE_WRITE) == 0;
	munmap(m, (size_t)page);
	return ok;
}

static void test_big_build_faulted_ahead(void **s)
{
	size_t was = prefault_pages(), rss0 = rss();
	struct prefault *p;
	char *used[100];

	(void)s;
	p = prefault_begin(PREFAULT_MIN);
	assert_non_null(p);
	assert_null(prefault_begin(PREFAULT_MIN)); /* one at a time */
	if (!kernel_populates()) {
		print_message("no MADV_POPULATE_WRITE here: the helper stops at once\n");
		prefault_end(p);
		return;
	}
	/* the helper faults the range in while this thread goes on */
	for (int i = 0; i < 3000 && prefault_pages() - was < PREFAULT_MIN - 32 * MIB; i++)
		usleep(10000);
	assert_true(prefault_pages() - was >= PREFAULT_MIN - 32 * MIB);
	assert_true(rss() >= rss0 + PREFAULT_MIN - 64 * MIB);
	/* what the build allocates now (from the heap's top) is resident
	 * already: RSS does not grow */
	for (int i = 0; i < 100; i++) {
		used[i] = malloc(MIB);
		assert_non_null(used[i]);
		memset(used[i], 1, MIB);
	}
	assert_true(rss() < rss0 + PREFAULT_MIN + 16 * MIB);
	for (int i = 0; i < 100; i++)
		free(used[i]);
	/* and what it did not use goes back */
	prefault_end(p);
	assert_true(rss() < rss0 + 32 * MIB);
	/* a second big build may have its own */
	p = prefault_begin(PREFAULT_MIN);
	assert_non_null(p);
	prefault_end(p);
}

static void *begin_on_a_thread(void *arg)
{
	(void)arg;
	return prefault_begin(PREFAULT_MIN);
}

/* A thread's arena maps a big block apart (and unmaps it on free): its
 * builds fault their own pages. */
static void test_other_threads_go_without(void **s)
{
	pthread_t t;
	void *got = (void *)1;

	(void)s;
	free(malloc(64)); /* this thread's arena is the main one */
	assert_int_equal(pthread_create(&t, NULL, begin_on_a_thread, NULL), 0);
	assert_int_equal(pthread_join(t, &got), 0);
	assert_null(got);
}

static void test_turned_off_by_the_environment(void **s)
{
	(void)s;
	setenv("GRAPHMOCK_PREFAULT", "0", 1);
	assert_null(prefault_begin(PREFAULT_MIN));
	unsetenv("GRAPHMOCK_PREFAULT");
}

#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_builds_fault_their_own),
#if GRAPHMOCK_SANITIZED
		cmocka_unit_test(test_sanitized_builds_go_without),
#else
		cmocka_unit_test(test_big_build_faulted_ahead),
		cmocka_unit_test(test_other_threads_go_without),
		cmocka_unit_test(test_turned_off_by_the_environment),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
