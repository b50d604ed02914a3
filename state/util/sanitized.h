/*
 * state/util/sanitized.h - GRAPHMOCK_SANITIZED: 1 in a build under a
 * sanitizer (ASan, TSan or MSan, as gcc or clang spell it), whose allocator
 * owns the heap and whose runtime would not survive being re-executed with
 * glibc's tunables; 0 otherwise. Leaf code: anything may include it.
 */
#ifndef GRAPHMOCK_STATE_UTIL_SANITIZED_H
#define GRAPHMOCK_STATE_UTIL_SANITIZED_H

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GRAPHMOCK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||               \
    __has_feature(memory_sanitizer)
#define GRAPHMOCK_SANITIZED 1
#endif
#endif
#ifndef GRAPHMOCK_SANITIZED
#define GRAPHMOCK_SANITIZED 0
#endif

#endif
