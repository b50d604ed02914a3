/*
 * server/core/str.h - copying a string into a fixed array, what
 * snprintf(dst, size, "%s", src) does without the format machinery
 * (~500 instructions a call; the request path made a dozen).
 */
#ifndef GRAPHMOCK_SERVER_CORE_STR_H
#define GRAPHMOCK_SERVER_CORE_STR_H

#include <stddef.h>
#include <string.h>

/*
 * str_copy() - @src (borrowed) into @dst of @size bytes (@size > 0), cut to
 * @size - 1 bytes and NUL-terminated. NULL copies as "(null)", as glibc's
 * snprintf prints it. Returns the length of @src, as snprintf does.
 */
static inline size_t str_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src ? src : "(null)"), k = n < size ? n : size - 1;

	memcpy(dst, src ? src : "(null)", k);
	dst[k] = '\0';
	return n;
}

#endif
