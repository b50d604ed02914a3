/*
 * server/auth/cert.c - certificates in, thumbprints and verdicts out.
 * Every function imports the certificate afresh: nothing is cached, so a
 * key credential removed from an application stops working at once.
 */
#include "cert.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/util/b64.h"

/* @b64 without PEM armour or whitespace, decoded. NULL when it is not base64. */
static unsigned char *decode(const char *b64, size_t *len)
{
	const char *begin = strstr(b64, "-----BEGIN CERTIFICATE-----");
	size_t n = strlen(b64), o = 0;
	unsigned char *der;
	char *clean;

	if (begin) {
		const char *end = strstr(begin, "-----END");
		b64 = begin + strlen("-----BEGIN CERTIFICATE-----");
		n = end ? (size_t)(end - b64) : strlen(b64);
	}
	clean = malloc(n + 1);
	if (!clean)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!strchr(" \t\r\n", b64[i]))
			clean[o++] = b64[i];
	clean[o] = '\0';
	der = o ? b64_decode(clean, o, len) : NULL;
	free(clean);
	return der;
}

static gnutls_x509_crt_t import(const char *b64, gnutls_datum_t *der)
{
	gnutls_x509_crt_t crt;
	size_t len = 0;

	der->data = decode(b64, &len);
	der->size = (unsigned)len;
	if (!der->data)
		return NULL;
	if (gnutls_x509_crt_init(&crt) < 0)
		return NULL;
	if (gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER) < 0) {
		gnutls_x509_crt_deinit(crt);
		return NULL;
	}
	return crt;
}

static void hex_upper(const unsigned char *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02X", d[i]);
}

int cert_describe(const char *b64, struct cert_info *out)
{
	gnutls_datum_t der = {NULL, 0};
	gnutls_x509_crt_t crt = import(b64, &der);
	unsigned char sha1[20], sha256[32];
	size_t dn_len = sizeof(out->subject);
	char dn[256] = "";
	char *s;

	memset(out, 0, sizeof(*out));
	if (!crt) {
		free(der.data);
		return -1;
	}
	gnutls_hash_fast(GNUTLS_DIG_SHA1, der.data, der.size, sha1);
	gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data, der.size, sha256);
	hex_upper(sha1, sizeof(sha1), out->sha1_hex);
	b64url_encode_to(sha1, sizeof(sha1), out->x5t);
	b64url_encode_to(sha256, sizeof(sha256), out->x5t_s256);
	s = b64_encode(sha1, sizeof(sha1));
	if (s)
		snprintf(out->sha1_b64, sizeof(out->sha1_b64), "%s", s);
	free(s);
	out->not_before_ms = (int64_t)gnutls_x509_crt_get_activation_time(crt) * 1000;
	out->not_after_ms = (int64_t)gnutls_x509_crt_get_expiration_time(crt) * 1000;
	if (gnutls_x509_crt_get_dn(crt, dn, &dn_len) >= 0)
		snprintf(out->subject, sizeof(out->subject), "%s", dn);
	gnutls_x509_crt_deinit(crt);
	free(der.data);
	return 0;
}

enum jwt_status cert_verify_jws(const char *b64, const char *token)
{
	gnutls_datum_t der = {NULL, 0};
	gnutls_x509_crt_t crt = import(b64, &der);
	gnutls_pubkey_t pub = NULL;
	enum jwt_status st = JWT_MALFORMED;
	struct jws j;

	memset(&j, 0, sizeof(j));
	if (crt && gnutls_pubkey_init(&pub) >= 0 &&
	    gnutls_pubkey_import_x509(pub, crt, 0) >= 0 && jws_parse(token, &j) == JWT_OK)
		st = jws_verify_pubkey(pub, &j);
	jws_release(&j);
	if (pub)
		gnutls_pubkey_deinit(pub);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	free(der.data);
	return st;
}
