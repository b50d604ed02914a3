/*
 * server/core/jwriter.h - compact JSON text written straight into one growing
 * buffer. Byte for byte what json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER)
 * prints for the same values (jwriter_test.c holds it to that), without
 * building an intermediate json_t: the OData responders write projections of
 * stored objects with it, and resp_render() dumps whole bodies with it.
 * The text goes into a struct buf (state/util/buf.h): set it up with
 * buf_init(), add punctuation with buf_add(), take it with buf_detach().
 */
#ifndef GRAPHMOCK_SERVER_CORE_JWRITER_H
#define GRAPHMOCK_SERVER_CORE_JWRITER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../../state/util/buf.h"

/*
 * jwriter_string() - append @n bytes of UTF-8 at @s as a JSON string, escaped
 * as jansson escapes it. Invalid UTF-8 fails the writer, as json_dumps fails.
 */
void jwriter_string(struct buf *w, const char *s, size_t n);

/* jwriter_key() - "@key": (a NUL-terminated object key and the colon). */
void jwriter_key(struct buf *w, const char *key);

/* jwriter_member() - jwriter_key() after a comma when @comma: ,"@key": */
void jwriter_member(struct buf *w, const char *key, bool comma);

/*
 * jwriter_plain() - may the @n bytes at @s go into a JSON string as they
 * are (printable ASCII, no '"' or '\\')? What jwriter_member_plain() needs.
 */
bool jwriter_plain(const char *s, size_t n);

/*
 * jwriter_member_plain() - jwriter_member() for a key of @n bytes the
 * caller has found jwriter_plain() already (a schema's property names,
 * checked once): the same bytes, without looking at the key again.
 */
void jwriter_member_plain(struct buf *w, const char *key, size_t n, bool comma);

/* jwriter_value() - append @v (borrowed; any type) as compact JSON. */
void jwriter_value(struct buf *w, const json_t *v);

#endif
