/*
 * state/util/prefault.h - the pages a big build is about to fill, faulted
 * in by a second thread while the build runs.
 *
 * A million-user start-up fills ~1.5 GB of fresh heap, and the kernel
 * zeroing each fresh page as the builder first writes it took a quarter of
 * the builder's time (`clear_page_erms`, bench/results.md). The
 * zeroing itself cannot be avoided, but it need not happen on the builder's
 * core: prefault_begin() grows glibc's main heap by the bytes expected and
 * hands them back to it at once, so they sit at its top, where the build's
 * allocations are carved from next; a helper thread then asks the kernel to
 * fault that range in (madvise MADV_POPULATE_WRITE, which maps pages
 * writable without touching their contents, so it is harmless to memory the
 * builder is already using). prefault_end() stops the helper and gives back
 * what the build did not use (malloc_trim).
 *
 * Only for loads nobody waits on: the server's start-up (server/main.c).
 * A reset or an import runs while other tenants are served, and there the
 * helper took the second core from them: a reader of another tenant went
 * from p99 0.21 ms to 2.6-3.2 ms during a million-user reset (which it made
 * 7.3 s instead of 8.7-9.6). It does something only where it can: glibc
 * (mallopt), a kernel with MADV_POPULATE_WRITE (5.14), no sanitizer (whose
 * allocator owns the heap), a caller in the main arena (the main thread)
 * and a build of PREFAULT_MIN bytes or more, unless the environment says
 * GRAPHMOCK_PREFAULT=0. Big builds leave glibc's thresholds where a
 * long-running process's big frees would have taken them anyway (mmap
 * 32 MiB, trim 64 MiB). Leaf code: anything may include it.
 */
#ifndef GRAPHMOCK_STATE_UTIL_PREFAULT_H
#define GRAPHMOCK_STATE_UTIL_PREFAULT_H

#include <stdbool.h>
#include <stddef.h>

/* Builds smaller than this fault their own pages: a thread is not worth it. */
#define PREFAULT_MIN ((size_t)256 << 20)
/* Nor is reserving more than this ahead of one build. */
#define PREFAULT_MAX ((size_t)1536 << 20)

struct prefault;

/*
 * prefault_begin() - fault in, on a helper thread, the next @bytes (capped
 * at PREFAULT_MAX) the caller's heap will grow by. Returns: a handle for
 * prefault_end(), or NULL when nothing was started (see above); the caller
 * goes on the same either way.
 */
struct prefault *prefault_begin(size_t bytes);

/*
 * prefault_end() - stop and join the helper, and give the heap memory no
 * allocation took back to the system. NULL does nothing.
 */
void prefault_end(struct prefault *p);

/* prefault_pages() - how many bytes helpers have faulted in (for tests). */
size_t prefault_pages(void);

#endif
