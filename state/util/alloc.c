/*
 * state/util/alloc.c - allocation wrappers with a failure-injection hook for the
 * out-of-memory tests. In production the budget is negative: never fail.
 */
#include "alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Allocations left before injected failures start; < 0 disables injection. */
static _Atomic long alloc_budget = -1;

static int alloc_allowed(void)
{
	long left = atomic_load_explicit(&alloc_budget, memory_order_relaxed);

	if (left < 0)
		return 1;
	if (left == 0)
		return 0;
	atomic_fetch_sub_explicit(&alloc_budget, 1, memory_order_relaxed);
	return 1;
}

void state_alloc_fail_after(long n)
{
	atomic_store(&alloc_budget, n);
}

void *state_malloc(size_t n)
{
	return alloc_allowed() ? malloc(n) : NULL;
}

void *state_calloc(size_t count, size_t n)
{
	return alloc_allowed() ? calloc(count, n) : NULL;
}

void *state_realloc(void *p, size_t n)
{
	return alloc_allowed() ? realloc(p, n) : NULL;
}

char *state_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy = state_malloc(n);

	if (copy)
		memcpy(copy, s, n);
	return copy;
}

void state_free(void *p)
{
	free(p);
}
