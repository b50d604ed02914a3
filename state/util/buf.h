/*
 * state/util/buf.h - a growing NUL-terminated byte buffer with a hard
 * maximum (curl's dynbuf): the one buffer behind the JSON writer, URL and
 * $metadata builders. Leaf code: anything may include it.
 */
#ifndef GRAPHMOCK_STATE_UTIL_BUF_H
#define GRAPHMOCK_STATE_UTIL_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;  /* NUL-terminated once anything was added; NULL before */
	size_t len;  /* bytes in @data, without the NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* @len never reaches this: an add that would, fails */
	bool failed; /* out of memory or over @max: the content is unusable */
};

/* buf_init() - an empty buffer that fails once its text would reach @max bytes. */
void buf_init(struct buf *b, size_t max);

/* buf_release() - free the bytes (not the struct); the buffer is empty again. */
void buf_release(struct buf *b);

/*
 * buf_add() - append @n bytes at @s. On failure (OOM, over max) the buffer
 * is marked failed and every later add is ignored: check @failed once at the end.
 */
void buf_add(struct buf *b, const void *s, size_t n);

/*
 * buf_reserve() - room for @n more bytes and the NUL, for writers that fill
 * @data + @len themselves and then advance @len (keeping the NUL). false,
 * with the buffer failed, when impossible.
 */
bool buf_reserve(struct buf *b, size_t n);

/* buf_addstr() - append NUL-terminated @s. */
void buf_addstr(struct buf *b, const char *s);

/* buf_addch() - append one byte. */
void buf_addch(struct buf *b, char c);

/* buf_addf() - append printf-style text; fails the buffer when it does not fit. */
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * buf_detach() - the bytes, length in *@len (when @len is non-NULL); the
 * buffer is left empty. Returns: new NUL-terminated string to free(), or
 * NULL (length 0) when the buffer failed or is empty.
 */
char *buf_detach(struct buf *b, size_t *len);

#endif
