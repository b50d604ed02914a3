/*
 * server/auth/jwt.c - RS256 signing and verification over GnuTLS's abstract key
 * API (RSASSA-PKCS1-v1_5 with SHA-256 is exactly JWS "RS256").
 */
#include "jwt.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../state/util/b64.h"
#include "../../state/util/guid.h"

static char *datum_b64url(const gnutls_datum_t *d)
{
	return b64url_encode(d->data, d->size);
}

static int export_public(struct jwt_key *k)
{
	gnutls_datum_t m = {NULL, 0}, e = {NULL, 0};
	int rc = -1;

	if (gnutls_pubkey_export_rsa_raw2(k->pub, &m, &e, GNUTLS_EXPORT_FLAG_NO_LZ) < 0)
		return -1;
	k->n = datum_b64url(&m);
	k->e = datum_b64url(&e);
	if (k->n && k->e)
		rc = 0;
	gnutls_free(m.data);
	gnutls_free(e.data);
	return rc;
}

/*
 * A self-signed certificate for the key, as Entra publishes one in "x5c";
 * kid = x5t = base64url(SHA-1(its DER)), the shape of Entra's thumbprints.
 */
static int make_certificate(struct jwt_key *k)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t der = {NULL, 0};
	unsigned char serial[16], digest[20];
	time_t now = time(NULL);
	char *s = NULL;
	int rc;

	random_bytes(serial, sizeof(serial));
	serial[0] &= 0x7f; /* a positive INTEGER */
	rc = gnutls_x509_crt_init(&crt);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_pubkey(crt, k->pub);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_version(crt, 3);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial));
	if (rc >= 0)
		rc = gnutls_x509_crt_set_activation_time(crt, now - 86400);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_expiration_time(crt, now + 5 * 366 * 86400L);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_dn(crt, "CN=graphmock token signing", NULL);
	if (rc >= 0)
		rc =
		    gnutls_x509_crt_privkey_sign(crt, crt, k->priv, GNUTLS_DIG_SHA256, 0);
	if (rc >= 0)
		rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der);
	if (rc >= 0)
		rc = gnutls_hash_fast(GNUTLS_DIG_SHA1, der.data, der.size, digest);
	if (rc >= 0) {
		k->x5c = b64_encode(der.data, der.size);
		s = b64url_encode(digest, sizeof(digest));
	}
	if (s)
		snprintf(k->kid, sizeof(k->kid), "%s", s);
	rc = rc >= 0 && k->x5c && s ? 0 : -1;
	free(s);
	gnutls_free(der.data);
	if (crt)
		gnutls_x509_crt_deinit(crt);
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
	if (export_public(k) || make_certificate(k)) {
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
	free(k->x5c);
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

json_t *jwt_peek_header(const char *token)
{
	const char *d1, *d2;

	if (!split(token, &d1, &d2))
		return NULL;
	return decode_json_segment(token, (size_t)(d1 - token));
}

enum jwt_status jws_parse(const char *token, struct jws *j)
{
	const char *d1, *d2, *alg;

	memset(j, 0, sizeof(*j));
	if (!strchr(token, '.'))
		return JWT_NOT_JWS;
	if (!split(token, &d1, &d2))
		return JWT_MALFORMED;
	j->header = decode_json_segment(token, (size_t)(d1 - token));
	j->payload = decode_json_segment(d1 + 1, (size_t)(d2 - d1 - 1));
	j->sig = b64_decode(d2 + 1, strlen(d2 + 1), &j->sig_len);
	alg = json_string_value(json_object_get(j->header, "alg"));
	if (!j->header || !j->payload || !j->sig || !alg || strlen(alg) >= sizeof(j->alg))
		return JWT_MALFORMED;
	snprintf(j->alg, sizeof(j->alg), "%s", alg);
	j->input = token;
	j->input_len = (size_t)(d2 - token);
	return JWT_OK;
}

void jws_release(struct jws *j)
{
	json_decref(j->header);
	json_decref(j->payload);
	free(j->sig);
	memset(j, 0, sizeof(*j));
}

static bool verify_with(gnutls_pubkey_t pub, gnutls_sign_algorithm_t algo,
                        const struct jws *j)
{
	gnutls_datum_t data = {(unsigned char *)j->input, (unsigned)j->input_len};
	gnutls_datum_t sig = {j->sig, (unsigned)j->sig_len};

	return gnutls_pubkey_verify_data2(pub, algo, 0, &data, &sig) >= 0;
}

/* PSS with the largest salt the key allows (OpenSSL's and .NET's default). */
static bool verify_pss_max_salt(gnutls_pubkey_t pub, const struct jws *j)
{
	gnutls_x509_spki_t spki;
	unsigned bits = 0;
	bool ok = false;

	gnutls_pubkey_get_pk_algorithm(pub, &bits);
	if (bits < 8 * (32 + 2) + 8 || gnutls_x509_spki_init(&spki) < 0)
		return false;
	gnutls_x509_spki_set_rsa_pss_params(spki, GNUTLS_DIG_SHA256,
	                                    (bits + 7) / 8 - 32 - 2);
	if (gnutls_pubkey_set_spki(pub, spki, 0) >= 0)
		ok = verify_with(pub, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, j);
	gnutls_x509_spki_deinit(spki);
	return ok;
}

enum jwt_status jws_verify_pubkey(struct gnutls_pubkey_st *pub, const struct jws *j)
{
	if (!strcmp(j->alg, "RS256"))
		return verify_with(pub, GNUTLS_SIGN_RSA_SHA256, j) ? JWT_OK
		                                                   : JWT_BAD_SIGNATURE;
	if (!strcmp(j->alg, "PS256"))
		return verify_with(pub, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, j) ||
		               verify_pss_max_salt(pub, j)
		           ? JWT_OK
		           : JWT_BAD_SIGNATURE;
	return JWT_MALFORMED;
}

enum jwt_status jwt_verify(const struct jwt_key *k, const char *token,
                           const json_t *claims)
{
	struct jws j;
	enum jwt_status st = jws_parse(token, &j);

	/* graphmock signs RS256 only: anything else is not one of its tokens */
	if (st == JWT_OK && (!claims || strcmp(j.alg, "RS256")))
		st = JWT_MALFORMED;
	if (st == JWT_OK)
		st = jws_verify_pubkey(k->pub, &j);
	jws_release(&j);
	return st;
}

json_t *jwt_jwk(const struct jwt_key *k)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:s}", "kty", "RSA",
	                 "use", "sig", "kid", k->kid, "x5t", k->kid, "n", k->n, "e", k->e,
	                 "x5c", k->x5c, "alg", "RS256");
}
