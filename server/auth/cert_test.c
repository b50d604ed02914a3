/*
 * server/auth/cert_test.c - certificates as keyCredentials carry them, and
 * client-assertion signatures checked against them: RS256 and PS256 (salt
 * of the digest's length, as node's jws signs, and the maximal salt
 * OpenSSL and .NET use), each signed here with GnuTLS's own signer, never
 * by re-encoding; a foreign key, a changed payload and other algs fail.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "../../state/util/b64.h"
#include "cert.h"
#include "jwt.h"

/* A key and its self-signed certificate (base64 DER, as Graph stores "key"). */
struct signer {
	gnutls_privkey_t priv;
	char *cert_b64;
	unsigned char sha1[20], sha256[32];
};

static void signer_make(struct signer *s, const char *cn)
{
	gnutls_x509_crt_t crt;
	gnutls_pubkey_t pub;
	gnutls_datum_t der;
	unsigned char serial[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	char dn[64];

	snprintf(dn, sizeof(dn), "CN=%s", cn);
	assert_int_equal(gnutls_privkey_init(&s->priv), 0);
	assert_int_equal(gnutls_privkey_generate(s->priv, GNUTLS_PK_RSA, 2048, 0), 0);
	assert_int_equal(gnutls_pubkey_init(&pub), 0);
	assert_int_equal(gnutls_pubkey_import_privkey(pub, s->priv, 0, 0), 0);
	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_set_pubkey(crt, pub), 0);
	assert_int_equal(gnutls_x509_crt_set_version(crt, 3), 0);
	assert_int_equal(gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)), 0);
	assert_int_equal(gnutls_x509_crt_set_activation_time(crt, 1700000000), 0);
	assert_int_equal(gnutls_x509_crt_set_expiration_time(crt, 2000000000), 0);
	assert_int_equal(gnutls_x509_crt_set_dn(crt, dn, NULL), 0);
	assert_int_equal(
	    gnutls_x509_crt_privkey_sign(crt, crt, s->priv, GNUTLS_DIG_SHA256, 0), 0);
	assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der), 0);
	gnutls_hash_fast(GNUTLS_DIG_SHA1, der.data, der.size, s->sha1);
	gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data, der.size, s->sha256);
	s->cert_b64 = b64_encode(der.data, der.size);
	gnutls_free(der.data);
	gnutls_x509_crt_deinit(crt);
	gnutls_pubkey_deinit(pub);
}

static void signer_free(struct signer *s)
{
	gnutls_privkey_deinit(s->priv);
	free(s->cert_b64);
}

struct fixture {
	struct signer app, stranger;
};

static int setup(void **ctx)
{
	struct fixture *f = calloc(1, sizeof(*f));

	signer_make(&f->app, "graphmock test app");
	signer_make(&f->stranger, "someone else");
	*ctx = f;
	return 0;
}

static int teardown(void **ctx)
{
	struct fixture *f = *ctx;

	signer_free(&f->app);
	signer_free(&f->stranger);
	free(f);
	return 0;
}

static char *b64url_text(const char *text)
{
	return b64url_encode(text, strlen(text));
}

/*
 * A compact JWS over @header/@payload signed by @s with GnuTLS: @algo is
 * GNUTLS_SIGN_RSA_SHA256 (RS256) or GNUTLS_SIGN_RSA_PSS_RSAE_SHA256 (PS256;
 * @max_salt picks the longest salt instead of the digest length).
 */
static char *sign_jws(const struct signer *s, const char *header, const char *payload,
                      gnutls_sign_algorithm_t algo, bool max_salt)
{
	char *h = b64url_text(header), *p = b64url_text(payload), *sig, *out;
	size_t len = strlen(h) + strlen(p) + 2;
	char *input = malloc(len);
	gnutls_datum_t data, sd;
	unsigned flags = 0;

	snprintf(input, len, "%s.%s", h, p);
	data.data = (unsigned char *)input;
	data.size = (unsigned)strlen(input);
	if (max_salt) {
		gnutls_x509_spki_t spki;
		assert_int_equal(gnutls_x509_spki_init(&spki), 0);
		gnutls_x509_spki_set_rsa_pss_params(spki, GNUTLS_DIG_SHA256,
		                                    256 - 32 - 2);
		assert_int_equal(gnutls_privkey_set_spki(s->priv, spki, 0), 0);
		gnutls_x509_spki_deinit(spki);
	}
	assert_int_equal(gnutls_privkey_sign_data2(s->priv, algo, flags, &data, &sd), 0);
	sig = b64url_encode(sd.data, sd.size);
	gnutls_free(sd.data);
	len = strlen(input) + strlen(sig) + 2;
	out = malloc(len);
	snprintf(out, len, "%s.%s", input, sig);
	free(h);
	free(p);
	free(sig);
	free(input);
	return out;
}

#define PAYLOAD                                                                          \
	"{\"aud\":\"https://localhost/t/oauth2/v2.0/"                                    \
	"token\",\"iss\":\"a\",\"sub\":\"a\"}"

static void test_describe(void **ctx)
{
	struct fixture *f = *ctx;
	struct cert_info ci;
	char *x5t = b64url_encode(f->app.sha1, 20),
	     *s256 = b64url_encode(f->app.sha256, 32);
	char *b64 = b64_encode(f->app.sha1, 20), hex[41];

	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02X", f->app.sha1[i]);
	assert_int_equal(cert_describe(f->app.cert_b64, &ci), 0);
	assert_string_equal(ci.x5t, x5t);
	assert_string_equal(ci.x5t_s256, s256);
	assert_string_equal(ci.sha1_b64, b64);
	assert_string_equal(ci.sha1_hex, hex);
	assert_string_equal(ci.subject, "CN=graphmock test app");
	assert_int_equal(ci.not_before_ms, 1700000000000LL);
	assert_int_equal(ci.not_after_ms, 2000000000000LL);
	assert_int_equal(cert_describe("bm90IGEgY2VydGlmaWNhdGU=", &ci), -1);
	assert_int_equal(cert_describe("", &ci), -1);
	assert_int_equal(cert_describe("!!!", &ci), -1);
	free(x5t);
	free(s256);
	free(b64);
}

/* The PEM form (what a person pastes) describes the same certificate. */
static void test_pem_body(void **ctx)
{
	struct fixture *f = *ctx;
	struct cert_info a, b;
	size_t len = strlen(f->app.cert_b64) + 128;
	char *pem = malloc(len);

	snprintf(pem, len,
	         "-----BEGIN CERTIFICATE-----\n%.64s\n%s\n-----END CERTIFICATE-----\n",
	         f->app.cert_b64, f->app.cert_b64 + 64);
	assert_int_equal(cert_describe(f->app.cert_b64, &a), 0);
	assert_int_equal(cert_describe(pem, &b), 0);
	assert_string_equal(a.x5t, b.x5t);
	free(pem);
}

static void test_rs256(void **ctx)
{
	struct fixture *f = *ctx;
	char *good = sign_jws(&f->app, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", PAYLOAD,
	                      GNUTLS_SIGN_RSA_SHA256, false);
	char *foreign = sign_jws(&f->stranger, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
	                         PAYLOAD, GNUTLS_SIGN_RSA_SHA256, false);
	/* PKCS#1 bytes labelled PS256 do not verify as PSS */
	char *mislabelled = sign_jws(&f->app, "{\"alg\":\"PS256\"}", PAYLOAD,
	                             GNUTLS_SIGN_RSA_SHA256, false);

	assert_int_equal(cert_verify_jws(f->app.cert_b64, good), JWT_OK);
	assert_int_equal(cert_verify_jws(f->stranger.cert_b64, good), JWT_BAD_SIGNATURE);
	assert_int_equal(cert_verify_jws(f->app.cert_b64, foreign), JWT_BAD_SIGNATURE);
	assert_int_equal(cert_verify_jws(f->app.cert_b64, mislabelled),
	                 JWT_BAD_SIGNATURE);
	free(good);
	free(foreign);
	free(mislabelled);
}

static void test_ps256(void **ctx)
{
	struct fixture *f = *ctx;
	const char *hdr = "{\"alg\":\"PS256\",\"typ\":\"JWT\"}";
	char *digest_salt =
	    sign_jws(&f->app, hdr, PAYLOAD, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, false);
	char *foreign =
	    sign_jws(&f->stranger, hdr, PAYLOAD, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, false);
	struct signer pss; /* max_salt restricts its key to PSS: a key of its own */
	char *max_salt;
	char *as_rs256 = sign_jws(&f->app, "{\"alg\":\"RS256\"}", PAYLOAD,
	                          GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, false);

	assert_int_equal(cert_verify_jws(f->app.cert_b64, digest_salt), JWT_OK);
	signer_make(&pss, "max salt");
	max_salt = sign_jws(&pss, hdr, PAYLOAD, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, true);
	assert_int_equal(cert_verify_jws(pss.cert_b64, max_salt), JWT_OK);
	assert_int_equal(cert_verify_jws(f->app.cert_b64, max_salt), JWT_BAD_SIGNATURE);
	signer_free(&pss);
	assert_int_equal(cert_verify_jws(f->app.cert_b64, foreign), JWT_BAD_SIGNATURE);
	assert_int_equal(cert_verify_jws(f->app.cert_b64, as_rs256), JWT_BAD_SIGNATURE);
	free(digest_salt);
	free(foreign);
	free(max_salt);
	free(as_rs256);
}

static void test_tampered_and_malformed(void **ctx)
{
	struct fixture *f = *ctx;
	char *good = sign_jws(&f->app, "{\"alg\":\"PS256\"}", PAYLOAD,
	                      GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, false);
	char *hs = sign_jws(&f->app, "{\"alg\":\"HS256\"}", PAYLOAD,
	                    GNUTLS_SIGN_RSA_SHA256, false);
	char *evil = b64url_text("{\"aud\":\"x\",\"iss\":\"a\",\"sub\":\"a\"}");
	const char *d1 = strchr(good, '.'), *d2 = strrchr(good, '.');
	size_t len = strlen(good) + strlen(evil) + 1;
	char *spliced = malloc(len);

	snprintf(spliced, len, "%.*s.%s%s", (int)(d1 - good), good, evil, d2);
	assert_int_equal(cert_verify_jws(f->app.cert_b64, spliced), JWT_BAD_SIGNATURE);
	assert_int_equal(cert_verify_jws(f->app.cert_b64, hs), JWT_MALFORMED);
	assert_int_equal(cert_verify_jws(f->app.cert_b64, "not-a-jws"), JWT_MALFORMED);
	assert_int_equal(cert_verify_jws(f->app.cert_b64, "e30.e30.AA"), JWT_MALFORMED);
	assert_int_equal(cert_verify_jws("Zm9v", good), JWT_MALFORMED);
	free(good);
	free(hs);
	free(evil);
	free(spliced);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_describe),
	    cmocka_unit_test(test_pem_body),
	    cmocka_unit_test(test_rs256),
	    cmocka_unit_test(test_ps256),
	    cmocka_unit_test(test_tampered_and_malformed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
