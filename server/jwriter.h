/*
 * server/jwriter.h - compact JSON text written straight into one growing
 * buffer. Byte for byte what json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER)
 * prints for the same values (jwriter_test.c holds it to that), without
 * building an intermediate json_t: the OData responders write projections of
 * stored objects with it, and resp_render() dumps whole bodies with it.
 */
#ifndef GRAPHMOCK_SERVER_JWRITER_H
#define GRAPHMOCK_SERVER_JWRITER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* A growing NUL-terminated buffer with a hard maximum (curl dynbuf). */
struct jwriter {
	char *buf;
	size_t len;
	size_t cap;
	size_t max;
	bool failed; /* OOM, over max, or a value json_dumps would refuse */
};

/* jwriter_init() - empty writer that fails once the text would reach @max bytes. */
void jwriter_init(struct jwriter *w, size_t max);

/* jwriter_release() - free the buffer (not the struct). */
void jwriter_release(struct jwriter *w);

/*
 * jwriter_detach() - the text, length in *@len; the writer is left empty.
 * Returns: new NUL-terminated string to free(), or NULL (and *len = 0) when
 * the writer failed or is empty.
 */
char *jwriter_detach(struct jwriter *w, size_t *len);

/* jwriter_raw() - append @n bytes of already valid JSON text (punctuation). */
void jwriter_raw(struct jwriter *w, const char *s, size_t n);

/*
 * jwriter_string() - append @n bytes of UTF-8 at @s as a JSON string, escaped
 * as jansson escapes it. Invalid UTF-8 fails the writer, as json_dumps fails.
 */
void jwriter_string(struct jwriter *w, const char *s, size_t n);

/* jwriter_key() - "@key": (a NUL-terminated object key and the colon). */
void jwriter_key(struct jwriter *w, const char *key);

/* jwriter_value() - append @v (borrowed; any type) as compact JSON. */
void jwriter_value(struct jwriter *w, const json_t *v);

#endif
