/*
 * server/auth/seal.c - HMAC-SHA256 over the base64url payload; the tag is
 * compared in constant time before the payload is parsed.
 */
#include "seal.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <nettle/memops.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/util/b64.h"
#include "../../state/util/guid.h"

#define TAG_LEN 32

void sealer_init(struct sealer *s)
{
	random_bytes(s->key, sizeof(s->key));
}

static int tag(const struct sealer *s, const char *data, size_t len,
               unsigned char out[TAG_LEN])
{
	return gnutls_hmac_fast(GNUTLS_MAC_SHA256, s->key, sizeof(s->key), data, len,
	                        out);
}

char *seal(const struct sealer *s, const json_t *payload)
{
	char *text = json_dumps(payload, JSON_COMPACT);
	char *body = text ? b64url_encode(text, strlen(text)) : NULL;
	unsigned char mac[TAG_LEN];
	char t[64], *out = NULL;
	size_t len;

	free(text);
	if (!body || tag(s, body, strlen(body), mac) < 0)
		goto out_free;
	b64url_encode_to(mac, sizeof(mac), t);
	len = strlen(body) + 1 + strlen(t) + 1;
	out = malloc(len);
	if (out)
		snprintf(out, len, "%s.%s", body, t);
out_free:
	free(body);
	return out;
}

json_t *unseal(const struct sealer *s, const char *sealed)
{
	const char *dot = sealed ? strrchr(sealed, '.') : NULL;
	unsigned char mac[TAG_LEN], got[64];
	unsigned char *raw;
	size_t n;
	json_t *v;

	if (!dot || tag(s, sealed, (size_t)(dot - sealed), mac) < 0 ||
	    b64url_decode_to(dot + 1, strlen(dot + 1), got, sizeof(got)) != TAG_LEN ||
	    !memeql_sec(mac, got, TAG_LEN))
		return NULL;
	raw = b64_decode(sealed, (size_t)(dot - sealed), &n);
	if (!raw)
		return NULL;
	v = json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES, NULL);
	free(raw);
	if (v && !json_is_object(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}
