/*
 * state/util/password.c - PBKDF2-HMAC-SHA256 (nettle) with a 16-byte random
 * salt; verification recomputes with the stored salt and iteration count
 * and compares in constant time.
 */
#include "password.h"

#include <nettle/memops.h>
#include <nettle/pbkdf2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "guid.h"

#define SALT_LEN   16
#define DIGEST_LEN 32
#define PREFIX     "pbkdf2-sha256$"
#define MAX_ITER   1000000

static void derive(const char *secret, const uint8_t *salt, size_t salt_len,
                   unsigned iterations, uint8_t out[DIGEST_LEN])
{
	pbkdf2_hmac_sha256(strlen(secret), (const uint8_t *)secret, iterations, salt_len,
	                   salt, DIGEST_LEN, out);
}

int password_hash(const char *secret, char out[PASSWORD_HASH_LEN])
{
	uint8_t salt[SALT_LEN], dk[DIGEST_LEN];
	char s[32], h[48];

	random_bytes(salt, sizeof(salt));
	derive(secret, salt, sizeof(salt), PASSWORD_ITERATIONS, dk);
	b64url_encode_to(salt, sizeof(salt), s);
	b64url_encode_to(dk, sizeof(dk), h);
	snprintf(out, PASSWORD_HASH_LEN, PREFIX "%u$%s$%s", PASSWORD_ITERATIONS, s, h);
	return 0;
}

/* Split @encoded into its iterations, salt and digest; false when malformed. */
static bool parse(const char *encoded, unsigned *iter, uint8_t salt[SALT_LEN],
                  size_t *salt_len, uint8_t dk[DIGEST_LEN])
{
	uint8_t buf[64]; /* nettle wants room for the padded length */
	const char *p, *d1, *d2;
	char *end;
	long n;

	if (!encoded || strncmp(encoded, PREFIX, strlen(PREFIX)))
		return false;
	p = encoded + strlen(PREFIX);
	n = strtol(p, &end, 10);
	if (end == p || *end != '$' || n < 1 || n > MAX_ITER)
		return false;
	*iter = (unsigned)n;
	d1 = end + 1;
	d2 = strchr(d1, '$');
	if (!d2)
		return false;
	n = b64url_decode_to(d1, (size_t)(d2 - d1), buf, sizeof(buf));
	if (n < 1 || n > SALT_LEN)
		return false;
	memcpy(salt, buf, (size_t)n);
	*salt_len = (size_t)n;
	if (b64url_decode_to(d2 + 1, strlen(d2 + 1), buf, sizeof(buf)) != DIGEST_LEN)
		return false;
	memcpy(dk, buf, DIGEST_LEN);
	return true;
}

bool password_is_hash(const char *s)
{
	uint8_t salt[SALT_LEN], dk[DIGEST_LEN];
	unsigned iter;
	size_t salt_len;

	return parse(s, &iter, salt, &salt_len, dk);
}

bool password_verify(const char *secret, const char *encoded)
{
	uint8_t salt[SALT_LEN], want[DIGEST_LEN], got[DIGEST_LEN];
	unsigned iter;
	size_t salt_len;

	if (!secret || !parse(encoded, &iter, salt, &salt_len, want))
		return false;
	derive(secret, salt, salt_len, iter, got);
	return memeql_sec(got, want, DIGEST_LEN) != 0;
}
