/*
 * state/util/hash.h - the only place that includes <uthash.h> (and its
 * <utlist.h> lists). Allocation failure
 * inside a HASH_ADD is reported (HASH_NONFATAL_OOM) instead of calling exit(),
 * so a failed insert leaves the table intact and the caller answers 500.
 */
#ifndef GRAPHMOCK_STATE_UTIL_HASH_H
#define GRAPHMOCK_STATE_UTIL_HASH_H

#include "alloc.h"

#define HASH_NONFATAL_OOM    1
#define uthash_malloc(sz)    state_malloc(sz)
#define uthash_free(ptr, sz) state_free(ptr)

#include <uthash.h>
#include <utlist.h>

#endif
