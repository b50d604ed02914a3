/*
 * state/util/jcopy.h - copies of stored JSON that share what never changes.
 * Leaf code.
 */
#ifndef GRAPHMOCK_STATE_UTIL_JCOPY_H
#define GRAPHMOCK_STATE_UTIL_JCOPY_H

#include <jansson.h>

/*
 * jcopy_shared() - a copy of @v whose objects and arrays are new and whose
 * strings, numbers, booleans and nulls are @v's own, referenced. The store
 * never changes a scalar in place (a property changes by setting a new
 * value), and jansson's reference counts are atomic, so the copy may be read
 * and dropped by another thread with no lock held while the store goes on
 * changing @v; and it costs the containers only, not every string again.
 * Returns: new reference, or NULL on OOM (or @v NULL).
 */
json_t *jcopy_shared(const json_t *v);

#endif
