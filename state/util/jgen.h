/*
 * state/util/jgen.h - a jansson tree written as compact JSON text by yajl's
 * generator: the bytes json_dumps(v, JSON_COMPACT) writes, tested byte for
 * byte against it (jgen_test.c). jansson's dump decodes every character of
 * every string as UTF-8 and keeps a hash of the containers it is inside,
 * ~100 instructions a byte of a user's text; yajl escapes a byte in a few.
 * What the two might write differently is left to jansson: reals (jansson
 * writes them, yajl only places the text), strings that are not plain
 * ASCII (jansson judges their UTF-8 first, as its dump would), and nesting
 * past yajl's 128. Leaf code: anything may include it.
 */
#ifndef GRAPHMOCK_STATE_UTIL_JGEN_H
#define GRAPHMOCK_STATE_UTIL_JGEN_H

#include <jansson.h>
#include <stdbool.h>

struct buf;

/*
 * jgen_compact() - append to @out the text json_dumps(@v, JSON_COMPACT)
 * makes of object or array @v (borrowed). Returns true when it did; false
 * when it could not say (@v not an object or array, nested deeper than
 * yajl goes, a string jansson would refuse, out of memory, or @out full),
 * and then what it appended is to be dropped and jansson asked instead.
 */
bool jgen_compact(const json_t *v, struct buf *out);

#endif
