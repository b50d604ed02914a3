/*
 * server/b64.c - base64url encoding and a decoder that takes either
 * alphabet, with or without '=' padding.
 */
#include "b64.h"

#include <stdint.h>
#include <stdlib.h>

static const char url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *b64url_encode(const void *data, size_t len)
{
	const unsigned char *p = data;
	char *out = malloc(len / 3 * 4 + 5);
	size_t o = 0, i = 0;

	if (!out)
		return NULL;
	for (; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[o++] = url_alphabet[v >> 18 & 63];
		out[o++] = url_alphabet[v >> 12 & 63];
		out[o++] = url_alphabet[v >> 6 & 63];
		out[o++] = url_alphabet[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;
		out[o++] = url_alphabet[v >> 18 & 63];
		out[o++] = url_alphabet[v >> 12 & 63];
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		out[o++] = url_alphabet[v >> 18 & 63];
		out[o++] = url_alphabet[v >> 12 & 63];
		out[o++] = url_alphabet[v >> 6 & 63];
	}
	out[o] = '\0';
	return out;
}

static int sextet(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

unsigned char *b64_decode(const char *s, size_t len, size_t *out_len)
{
	unsigned char *out;
	uint32_t acc = 0;
	size_t o = 0;
	int bits = 0;

	while (len && s[len - 1] == '=')
		len--;
	if (len % 4 == 1)
		return NULL;
	out = malloc(len / 4 * 3 + 3);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		int v = sextet(s[i]);
		if (v < 0)
			goto out_bad;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits & 0xff);
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;

out_bad:
	free(out);
	return NULL;
}
