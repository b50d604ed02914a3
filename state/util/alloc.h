/*
 * state/util/alloc.h - every allocation state/ makes goes through these, so the
 * allocation-failure tests (state_test.c) can fail the Nth one and check
 * that nothing changed and nothing leaked (SQLite's OOM loop).
 */
#ifndef GRAPHMOCK_STATE_UTIL_ALLOC_H
#define GRAPHMOCK_STATE_UTIL_ALLOC_H

#include <stddef.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

void *state_malloc(size_t n);
void *state_calloc(size_t count, size_t n);
void *state_realloc(void *p, size_t n);
char *state_strdup(const char *s);
void state_free(void *p);

/*
 * state_alloc_trim() - give freed heap memory back to the system (glibc keeps
 * it otherwise, so a reset of a million users would leave RSS as it was).
 * Costs a walk of the heap: call after big frees only.
 */
static inline void state_alloc_trim(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/*
 * state_alloc_fail_after() - test hook: let @n more allocations succeed, then
 * fail every one until called again with a negative @n (the default: never
 * fail). Also installed into jansson by the tests. Not thread-safe: tests only.
 */
void state_alloc_fail_after(long n);

#endif
