/*
 * state/util/b64.c - base64 on nettle's codecs. nettle pads its output and
 * wants padded input, so padding is stripped after encoding and supplied
 * before decoding: the unpadded forms are what JOSE and Graph use.
 */
#include "b64.h"

#include <nettle/base64.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t b64url_len(size_t n)
{
	return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}

void b64url_encode_to(const void *data, size_t len, char *out)
{
	char tail[BASE64_ENCODE_FINAL_LENGTH]; /* the last bits, then '=' padding */
	struct base64_encode_ctx ctx;
	size_t o, t;

	base64url_encode_init(&ctx);
	o = base64_encode_update(&ctx, out, len, data);
	t = base64_encode_final(&ctx, tail); /* into @tail: @out has no room for '=' */
	while (t && tail[t - 1] == '=')
		t--;
	memcpy(out + o, tail, t);
	out[o + t] = '\0';
}

char *b64url_encode(const void *data, size_t len)
{
	/* nettle writes the padded form before we trim it */
	char *out = malloc(BASE64_ENCODE_LENGTH(len) + BASE64_ENCODE_FINAL_LENGTH + 1);

	if (out)
		b64url_encode_to(data, len, out);
	return out;
}

char *b64_encode(const void *data, size_t len)
{
	char *out = malloc(BASE64_ENCODE_LENGTH(len) + BASE64_ENCODE_FINAL_LENGTH + 1);
	struct base64_encode_ctx ctx;
	size_t o;

	if (!out)
		return NULL;
	base64_encode_init(&ctx);
	o = base64_encode_update(&ctx, out, len, data);
	o += base64_encode_final(&ctx, out + o);
	out[o] = '\0';
	return out;
}

/* Decode with @url's alphabet, adding the padding nettle insists on. */
static long decode(bool url, const char *s, size_t len, uint8_t *out, size_t cap)
{
	static const char pad[] = "==";
	struct base64_decode_ctx ctx;
	size_t n = cap, m;

	if (len % 4 == 1)
		return -1;
	if (url)
		base64url_decode_init(&ctx);
	else
		base64_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &n, out, len, s))
		return -1;
	m = cap - n;
	if (len % 4 && !base64_decode_update(&ctx, &m, out + n, 4 - len % 4, pad))
		return -1;
	if (!base64_decode_final(&ctx))
		return -1;
	return (long)(n + (len % 4 ? m : 0));
}

long b64url_decode_to(const char *s, size_t len, void *out, size_t cap)
{
	if (memchr(s, '=', len) || BASE64_DECODE_LENGTH(len) > cap)
		return -1;
	return decode(true, s, len, out, cap);
}

/* Does one of the first @len bytes of @s occur in @set? */
static bool has_any(const char *s, size_t len, const char *set)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] && strchr(set, s[i]))
			return true;
	return false;
}

unsigned char *b64_decode(const char *s, size_t len, size_t *out_len)
{
	bool url = has_any(s, len, "-_");
	bool std = has_any(s, len, "+/");
	size_t cap = BASE64_DECODE_LENGTH(len) + 3;
	unsigned char *out;
	long n;

	while (len && s[len - 1] == '=')
		len--;
	if (url && std)
		return NULL;
	/* nettle skips whitespace and stops at NUL; neither is base64 to us */
	if (has_any(s, len, " \t\r\n\f\v") || memchr(s, '\0', len))
		return NULL;
	out = malloc(cap + 1);
	if (!out)
		return NULL;
	n = decode(url, s, len, out, cap);
	if (n < 0) {
		free(out);
		return NULL;
	}
	out[n] = '\0';
	*out_len = (size_t)n;
	return out;
}
