/*
 * server/b64.h - base64 for tokens: the unpadded base64url of JWTs and JWKs
 * (RFC 7515 §2) and a lenient decoder for both alphabets (HTTP Basic auth).
 */
#ifndef GRAPHMOCK_SERVER_B64_H
#define GRAPHMOCK_SERVER_B64_H

#include <stddef.h>

/*
 * b64url_encode() - @len bytes at @data as unpadded base64url.
 * Returns: new NUL-terminated string, or NULL on OOM.
 */
char *b64url_encode(const void *data, size_t len);

/*
 * b64_decode() - decode @len chars of base64 or base64url (padding optional)
 * into a new buffer, NUL-terminated for convenience, length in @out_len.
 * Returns: new buffer, or NULL when a character is outside both alphabets,
 * the length is impossible, or on OOM.
 */
unsigned char *b64_decode(const char *s, size_t len, size_t *out_len);

#endif
