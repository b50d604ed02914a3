/*
 * state/util/b64.h - the one base64 codec (RFC 4648), on nettle (linked
 * through GnuTLS): unpadded base64url for JWTs, JWKs, skiptokens, invitation
 * tickets and assignment ids, and a decoder that takes either alphabet with
 * or without '=' padding (HTTP Basic auth, $batch binary bodies).
 */
#ifndef GRAPHMOCK_STATE_UTIL_B64_H
#define GRAPHMOCK_STATE_UTIL_B64_H

#include <stddef.h>

/* b64url_len() - characters of the unpadded base64url form of @n bytes. */
size_t b64url_len(size_t n);

/*
 * b64url_encode_to() - @len bytes at @data as unpadded base64url into @out,
 * which holds at least b64url_len(@len) + 1 bytes; NUL-terminated.
 */
void b64url_encode_to(const void *data, size_t len, char *out);

/*
 * b64url_encode() - the same into a new string.
 * Returns: new NUL-terminated string, or NULL on OOM.
 */
char *b64url_encode(const void *data, size_t len);

/*
 * b64_encode() - @len bytes at @data as standard, padded base64 (X.509 "x5c",
 * Graph's Edm.Binary values). Returns: new string, or NULL on OOM.
 */
char *b64_encode(const void *data, size_t len);

/*
 * b64url_decode_to() - decode unpadded base64url @s (@len chars) into @out
 * (room for @cap bytes). Returns: the number of bytes, or -1 when a
 * character is outside the url alphabet, '=' appears, or it does not fit.
 */
long b64url_decode_to(const char *s, size_t len, void *out, size_t cap);

/*
 * b64_decode() - decode @len chars of base64 or base64url (not mixed;
 * padding optional) into a new buffer, NUL-terminated for convenience,
 * length in @out_len.
 * Returns: new buffer, or NULL when the input is not base64 or on OOM.
 */
unsigned char *b64_decode(const char *s, size_t len, size_t *out_len);

#endif
