/*
 * server/auth/jwt.c - RS256 signing and verification over GnuTLS's abstract key
 * API (RSASSA-PKCS1-v1_5 with SHA-256 is exactly JWS "RS256").
 */
#include "jwt.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/util/b64.h"

static char *datum_b64url(const gnutls_datum_t *d)
{
	return b64url_encode(d->data, d->size);
}

/* kid: base64url(SHA-1(n || e)), the shape of Entra's certificate thumbprints. */
static int make_kid(struct jwt_key *k, const gnutls_datum_t *m, const gnutls_datum_t *e)
{
	unsigned char digest[20];
	unsigned char *buf = malloc(m->size + e->size);
	char *s;

	if (!buf)
		return -1;
	memcpy(buf, m->data, m->size);
	memcpy(buf + m->size, e->data, e->size);
	gnutls_hash_fast(GNUTLS_DIG_SHA1, buf, m->size + e->size, digest);
	free(buf);
	s = b64url_encode(digest, sizeof(digest));
	if (!s)
		return -1;
	snprintf(k->kid, sizeof(k->kid), "%s", s);
	free(s);
	return 0;
}

static int export_public(struct jwt_key *k)
{
	gnutls_datum_t m = {NULL, 0}, e = {NULL, 0};
	int rc = -1;

	if (gnutls_pubkey_export_rsa_raw2(k->pub, &m, &e, GNUTLS_EXPORT_FLAG_NO_LZ) < 0)
		return -1;
	k->n = datum_b64url(&m);
	k->e = datum_b64url(&e);
	if (k->n && k->e && !make_kid(k, &m, &e))
		rc = 0;
	gnutls_free(m.data);
	gnutls_free(e.data);
	return rc;
}

int jwt_key_generate(struct jwt_key *k, unsigned bits)
{
	int rc;

	memset(k, 0, sizeof(*k));
	rc = gnutls_privkey_init(&k->priv);
	if (rc >= 0)
		rc = gnutls_privkey_generate(k->priv, GNUTLS_PK_RSA, bits, 0);
	if (rc >= 0)
		rc = gnutls_pubkey_init(&k->pub);
	if (rc >= 0)
		rc = gnutls_pubkey_import_privkey(k->pub, k->priv, 0, 0);
	if (rc < 0) {
		fprintf(stderr, "generating the token signing key failed: %s\n",
		        gnutls_strerror(rc));
		goto out_release;
	}
	if (export_public(k)) {
		fprintf(stderr, "exporting the token signing key failed\n");
		goto out_release;
	}
	return 0;

out_release:
	jwt_key_release(k);
	return -1;
}

void jwt_key_release(struct jwt_key *k)
{
	if (k->priv)
		gnutls_privkey_deinit(k->priv);
	if (k->pub)
		gnutls_pubkey_deinit(k->pub);
	free(k->n);
	free(k->e);
	memset(k, 0, sizeof(*k));
}

static char *json_b64url(const json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT);
	char *enc;

	if (!text)
		return NULL;
	enc = b64url_encode(text, strlen(text));
	free(text);
	return enc;
}

/* "a.b" as a new string, or NULL. */
static char *dot_join(const char *a, const char *b)
{
	size_t len = strlen(a) + 1 + strlen(b) + 1;
	char *out = malloc(len);

	if (out)
		snprintf(out, len, "%s.%s", a, b);
	return out;
}

char *jwt_sign(const struct jwt_key *k, const json_t *claims)
{
	json_t *header = json_pack("{s:s, s:s, s:s, s:s}", "typ", "JWT", "alg", "RS256",
	                           "x5t", k->kid, "kid", k->kid);
	char *h = json_b64url(header), *p = json_b64url(claims);
	char *input = NULL, *s = NULL, *out = NULL;
	gnutls_datum_t data, sig = {NULL, 0};

	json_decref(header);
	if (!h || !p)
		goto out_free;
	input = dot_join(h, p);
	if (!input)
		goto out_free;
	data.data = (unsigned char *)input;
	data.size = (unsigned)strlen(input);
	if (gnutls_privkey_sign_data(k->priv, GNUTLS_DIG_SHA256, 0, &data, &sig) < 0)
		goto out_free;
	s = b64url_encode(sig.data, sig.size);
	gnutls_free(sig.data);
	if (s)
		out = dot_join(input, s);
out_free:
	free(h);
	free(p);
	free(input);
	free(s);
	return out;
}

static json_t *decode_json_segment(const char *s, size_t len)
{
	size_t n;
	unsigned char *raw = b64_decode(s, len, &n);
	json_t *v;

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

/* The two dots of a compact JWS; false unless there are exactly two. */
static bool split(const char *token, const char **dot1, const char **dot2)
{
	*dot1 = strchr(token, '.');
	if (!*dot1)
		return false;
	*dot2 = strchr(*dot1 + 1, '.');
	return *dot2 && !strchr(*dot2 + 1, '.');
}

json_t *jwt_peek_payload(const char *token)
{
	const char *d1, *d2;

	if (!split(token, &d1, &d2))
		return NULL;
	return decode_json_segment(d1 + 1, (size_t)(d2 - d1 - 1));
}

enum jwt_status jwt_verify(const struct jwt_key *k, const char *token,
                           const json_t *claims)
{
	const char *d1, *d2;
	json_t *header;
	unsigned char *sig;
	size_t siglen;
	gnutls_datum_t data, sigd;
	bool rs256;
	int rc;

	if (!strchr(token, '.'))
		return JWT_NOT_JWS;
	if (!split(token, &d1, &d2))
		return JWT_MALFORMED;
	header = decode_json_segment(token, (size_t)(d1 - token));
	rs256 = header && json_is_string(json_object_get(header, "alg")) &&
	        !strcmp(json_string_value(json_object_get(header, "alg")), "RS256");
	json_decref(header);
	sig = b64_decode(d2 + 1, strlen(d2 + 1), &siglen);
	if (!rs256 || !claims || !sig) {
		free(sig);
		return JWT_MALFORMED;
	}
	data.data = (unsigned char *)token;
	data.size = (unsigned)(d2 - token);
	sigd.data = sig;
	sigd.size = (unsigned)siglen;
	rc = gnutls_pubkey_verify_data2(k->pub, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sigd);
	free(sig);
	return rc < 0 ? JWT_BAD_SIGNATURE : JWT_OK;
}

json_t *jwt_jwk(const struct jwt_key *k)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "RSA", "use",
	                 "sig", "kid", k->kid, "x5t", k->kid, "n", k->n, "e", k->e, "alg",
	                 "RS256");
}
