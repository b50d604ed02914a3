/*
 * state/util/prefault.c - faulting a big build's pages in on a helper thread
 * (see prefault.h for why and when).
 */
#define _DEFAULT_SOURCE /* sbrk, madvise flags */
#include "prefault.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sanitized.h"

#if defined(__GLIBC__) && defined(MADV_POPULATE_WRITE) && !GRAPHMOCK_SANITIZED
#define CAN_PREFAULT 1
#include <malloc.h>
#else
#define CAN_PREFAULT 0
#endif

/* The helper asks for this much at a time, so prefault_end() is not kept
 * waiting long once the build is done. */
#define STEP ((size_t)32 << 20)
/* Where glibc's own adjustment of its thresholds ends (malloc.c's
 * DEFAULT_MMAP_THRESHOLD_MAX, and twice that for trimming). */
#define MMAP_THRESHOLD_MAX ((int)(32 << 20))
#define TRIM_THRESHOLD     ((int)(64 << 20))

static _Atomic size_t faulted;

struct prefault {
	pthread_t thread;
	char *from;
	size_t len;
	atomic_bool stop;
};

size_t prefault_pages(void)
{
	return atomic_load(&faulted);
}

#if CAN_PREFAULT

/* One at a time: a build inside another (a state file's load) adds none. */
static atomic_flag active = ATOMIC_FLAG_INIT;

static void *populate(void *arg)
{
	struct prefault *p = arg;

	for (size_t at = 0; at < p->len && !atomic_load(&p->stop); at += STEP) {
		size_t n = p->len - at < STEP ? p->len - at : STEP;

		if (madvise(p->from + at, n, MADV_POPULATE_WRITE))
			break; /* an older kernel, or memory short: the build faults */
		atomic_fetch_add(&faulted, n);
	}
	return NULL;
}

/* Did @block (@len bytes) come from the main heap's top, below the break?
 * A thread's arena would have mapped it apart, and unmapped it on free. */
static bool at_heap_top(const char *block, size_t len)
{
	void *brk_now = sbrk(0);
	uintptr_t at = (uintptr_t)block, end = (uintptr_t)brk_now;

	return brk_now != (void *)-1 && at < end && len <= end - at &&
	       end - at - len < STEP;
}

struct prefault *prefault_begin(size_t bytes)
{
	struct prefault *p;
	char *block;

	const char *off = getenv("GRAPHMOCK_PREFAULT");

	if (bytes < PREFAULT_MIN || (off && !strcmp(off, "0")) ||
	    atomic_flag_test_and_set(&active))
		return NULL;
	if (bytes > PREFAULT_MAX)
		bytes = PREFAULT_MAX;
	/* Freed memory is reused before the top: after a reset has freed the
	 * tenant it replaced, the next build mostly refills that. */
	if (mallinfo2().fordblks > bytes / 2) {
		atomic_flag_clear(&active);
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		atomic_flag_clear(&active);
		return NULL;
	}
	/* The block from the heap, not a mapping of its own; and nothing freed
	 * during the build trims the heap below it. */
	mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX);
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
	mallopt(M_MMAP_MAX, 0);
	block = malloc(bytes);
	mallopt(M_MMAP_MAX, 65536); /* glibc's default */
	if (!block || !at_heap_top(block, bytes)) {
		free(block);
		free(p);
		mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD);
		atomic_flag_clear(&active);
		return NULL;
	}
	/* madvise() takes whole pages: from the first one inside the block */
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from = ((uintptr_t)block + page - 1) & ~(page - 1);
	p->from = (char *)from;
	p->len = (bytes - (from - (uintptr_t)block)) & ~(page - 1);
	free(block); /* the heap's top again: the build's allocations come from it */
	if (pthread_create(&p->thread, NULL, populate, p)) {
		free(p);
		mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD);
		atomic_flag_clear(&active);
		return NULL;
	}
	return p;
}

void prefault_end(struct prefault *p)
{
	if (!p)
		return;
	atomic_store(&p->stop, true);
	pthread_join(p->thread, NULL);
	free(p);
	mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD);
	malloc_trim(0);
	atomic_flag_clear(&active);
}

#else /* !CAN_PREFAULT */

struct prefault *prefault_begin(size_t bytes)
{
	(void)bytes;
	return NULL;
}

void prefault_end(struct prefault *p)
{
	(void)p;
}

#endif
