/*
 * server/core/str.h - copying a string into a fixed array, what
 * snprintf(dst, size, "%s", src) does without the format machinery
 * (~500 instructions a call; the request path made a dozen); and an IPv4
 * address as text, what inet_ntop() does without it (~1,700).
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

/*
 * str_ipv4() - the IPv4 address whose four bytes (network order) are at @b
 * as inet_ntop(AF_INET) writes it, "a.b.c.d", into @out (16 bytes at least).
 */
static inline void str_ipv4(const unsigned char b[4], char *out)
{
	for (int i = 0; i < 4; i++) {
		unsigned v = b[i];

		if (v >= 100)
			*out++ = (char)('0' + v / 100);
		if (v >= 10)
			*out++ = (char)('0' + v / 10 % 10);
		*out++ = (char)('0' + v % 10);
		*out++ = i < 3 ? '.' : '\0';
	}
}

#endif
