/*
 * server/auth/jwt_test.c - RS256 tokens: the signature checks out against the
 * JWK alone (n, e imported into a fresh GnuTLS key, and the x5c certificate
 * whose SHA-1 is the kid), tampering and foreign keys fail, and
 * auth_verify() gives Graph's 401 messages on the mock clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "../../state/state.h"
#include "auth.h"
#include "../../state/util/b64.h"
#include "../core/error.h"
#include "jwt.h"
#include "keyring.h"
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include "../core/req.h"
#include "../core/resp.h"
#include "../../state/load/tenants.h"

struct keys {
	struct keyring ring; /* its current key is "a" */
	struct jwt_key b;
};

#define KEY_A(k) (&(k)->ring.keys[0]->key)

static int setup(void **ctx)
{
	struct keys *k = calloc(1, sizeof(*k));

	assert_int_equal(keyring_init(&k->ring, 2048, 0), 0);
	assert_int_equal(jwt_key_generate(&k->b, 2048), 0);
	*ctx = k;
	return 0;
}

static int teardown(void **ctx)
{
	struct keys *k = *ctx;

	keyring_release(&k->ring);
	jwt_key_release(&k->b);
	free(k);
	return 0;
}

static json_t *claims_at(int64_t now_s, const char *aud)
{
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:[s]}", "aud", aud, "tid",
	                 "2dd67af8-8f6d-47d9-86d2-56d41895239d", "iat", (json_int_t)now_s,
	                 "nbf", (json_int_t)now_s, "exp", (json_int_t)now_s + 3599, "ver",
	                 "1.0", "roles", "User.Read.All");
}

static char *sign(const struct jwt_key *k, int64_t now_s, const char *aud)
{
	json_t *c = claims_at(now_s, aud);
	char *t = jwt_sign(k, c);

	json_decref(c);
	assert_non_null(t);
	return t;
}

static gnutls_datum_t b64_datum(const char *s)
{
	size_t n;
	gnutls_datum_t d;

	d.data = b64_decode(s, strlen(s), &n);
	assert_non_null(d.data);
	d.size = (unsigned)n;
	return d;
}

/* Verify with nothing but the JWK, as a relying party would. */
static void test_signature_against_jwk(void **ctx)
{
	struct keys *k = *ctx;
	json_t *jwk = jwt_jwk(KEY_A(k));
	char *token = sign(KEY_A(k), 1700000000, "https://graph.microsoft.com");
	const char *dot2 = strrchr(token, '.');
	gnutls_datum_t n = b64_datum(json_string_value(json_object_get(jwk, "n")));
	gnutls_datum_t e = b64_datum(json_string_value(json_object_get(jwk, "e")));
	gnutls_datum_t sig = b64_datum(dot2 + 1);
	gnutls_datum_t data = {(unsigned char *)token, (unsigned)(dot2 - token)};
	gnutls_pubkey_t pub;
	json_t *header;

	assert_string_equal(json_string_value(json_object_get(jwk, "kty")), "RSA");
	assert_string_equal(json_string_value(json_object_get(jwk, "kid")),
	                    KEY_A(k)->kid);
	assert_string_equal(json_string_value(json_object_get(jwk, "e")), "AQAB");
	assert_int_equal(gnutls_pubkey_init(&pub), 0);
	assert_int_equal(gnutls_pubkey_import_rsa_raw(pub, &n, &e), 0);
	assert_true(
	    gnutls_pubkey_verify_data2(pub, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig) >= 0);
	/* the header names the key */
	{
		size_t hl;
		unsigned char *h = b64_decode(token, strcspn(token, "."), &hl);
		header = json_loads((char *)h, 0, NULL);
		free(h);
	}
	assert_string_equal(json_string_value(json_object_get(header, "alg")), "RS256");
	assert_string_equal(json_string_value(json_object_get(header, "typ")), "JWT");
	assert_string_equal(json_string_value(json_object_get(header, "kid")),
	                    KEY_A(k)->kid);
	json_decref(header);
	gnutls_pubkey_deinit(pub);
	free(n.data);
	free(e.data);
	free(sig.data);
	json_decref(jwk);
	free(token);
}

/* The JWK's x5c is a self-signed certificate of the same key; kid = x5t = its SHA-1. */
static void test_x5c_certificate(void **ctx)
{
	struct keys *k = *ctx;
	json_t *jwk = jwt_jwk(KEY_A(k));
	const char *x5c =
	    json_string_value(json_array_get(json_object_get(jwk, "x5c"), 0));
	char *token = sign(KEY_A(k), 1700000000, "https://graph.microsoft.com");
	const char *dot2 = strrchr(token, '.');
	gnutls_datum_t der = b64_datum(x5c);
	gnutls_datum_t sig = b64_datum(dot2 + 1);
	gnutls_datum_t data = {(unsigned char *)token, (unsigned)(dot2 - token)};
	unsigned char sha1[20];
	char *thumb;
	gnutls_x509_crt_t crt;
	gnutls_pubkey_t pub;
	unsigned verify = 0;

	assert_non_null(x5c);
	assert_string_equal(json_string_value(json_object_get(jwk, "x5t")),
	                    KEY_A(k)->kid);
	gnutls_hash_fast(GNUTLS_DIG_SHA1, der.data, der.size, sha1);
	thumb = b64url_encode(sha1, sizeof(sha1));
	assert_string_equal(thumb, KEY_A(k)->kid);
	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_import(crt, &der, GNUTLS_X509_FMT_DER), 0);
	/* self-signed: it verifies against itself */
	assert_int_equal(gnutls_x509_crt_verify(crt, &crt, 1, 0, &verify), 0);
	assert_int_equal(verify, 0);
	assert_int_equal(gnutls_pubkey_init(&pub), 0);
	assert_int_equal(gnutls_pubkey_import_x509(pub, crt, 0), 0);
	assert_true(
	    gnutls_pubkey_verify_data2(pub, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig) >= 0);
	gnutls_pubkey_deinit(pub);
	gnutls_x509_crt_deinit(crt);
	free(thumb);
	free(der.data);
	free(sig.data);
	free(token);
	json_decref(jwk);
}

/* jwt_verify() as the pipeline calls it: the payload decoded once, then checked. */
static enum jwt_status verify(const struct jwt_key *k, const char *token)
{
	json_t *claims = jwt_peek_payload(token);
	enum jwt_status st = jwt_verify(k, token, claims);

	json_decref(claims);
	return st;
}

static void test_verify_and_tamper(void **ctx)
{
	struct keys *k = *ctx;
	char *token = sign(KEY_A(k), 1700000000, "https://graph.microsoft.com");
	char *forged;
	json_t *claims = NULL, *evil;
	char *evil_b64;
	const char *d1 = strchr(token, '.'), *d2 = strrchr(token, '.');
	size_t len;

	assert_int_equal(verify(KEY_A(k), token), JWT_OK);
	claims = jwt_peek_payload(token);
	assert_int_equal(json_integer_value(json_object_get(claims, "exp")), 1700003599);
	json_decref(claims);
	assert_int_equal(verify(&k->b, token), JWT_BAD_SIGNATURE);

	/* a payload with a later exp, spliced between the original header and signature
	 */
	evil = claims_at(1800000000, "https://graph.microsoft.com");
	{
		char *text = json_dumps(evil, JSON_COMPACT);
		evil_b64 = b64url_encode(text, strlen(text));
		free(text);
	}
	len = (size_t)(d1 - token) + 1 + strlen(evil_b64) + strlen(d2) + 1;
	forged = malloc(len);
	snprintf(forged, len, "%.*s.%s%s", (int)(d1 - token), token, evil_b64, d2);
	assert_int_equal(verify(KEY_A(k), forged), JWT_BAD_SIGNATURE);
	/* peek (tenant selection) still reads it: it does not verify */
	claims = jwt_peek_payload(forged);
	assert_int_equal(json_integer_value(json_object_get(claims, "exp")), 1800003599);
	json_decref(claims);
	/* one changed signature character (well inside: the last one has spare bits) */
	snprintf(forged, len, "%s", token);
	forged[strlen(forged) - 10] = forged[strlen(forged) - 10] == 'A' ? 'B' : 'A';
	assert_int_equal(verify(KEY_A(k), forged), JWT_BAD_SIGNATURE);

	assert_int_equal(verify(KEY_A(k), "opaque-not-a-jwt"), JWT_NOT_JWS);
	assert_int_equal(verify(KEY_A(k), "a.b"), JWT_MALFORMED);
	assert_int_equal(verify(KEY_A(k), "a.b.c.d"), JWT_MALFORMED);
	assert_int_equal(verify(KEY_A(k), "!!.e30.AA"), JWT_MALFORMED);
	/* alg none is refused before any signature check */
	assert_int_equal(verify(KEY_A(k), "eyJhbGciOiJub25lIn0.e30."), JWT_MALFORMED);
	json_decref(evil);
	free(evil_b64);
	free(forged);
	free(token);
}

/* auth_verify() on a request carrying @token at mock time @now_ms. */
static int check(struct keyring *k, const char *token, int64_t now_ms, char *msg,
                 size_t len)
{
	struct req req;
	struct resp resp;
	char hv[4096];
	int rc;

	req_init(&req);
	snprintf(req.base_url, sizeof(req.base_url), "https://localhost:8443");
	req.now_ms = now_ms;
	if (token) {
		snprintf(hv, sizeof(hv), "Bearer %s", token);
		req_add_header(&req, "authorization", hv);
		req.claims = jwt_peek_payload(token); /* as the pipeline does, once */
	}
	resp_init(&resp, &req);
	rc = auth_verify(k, &req, &resp);
	msg[0] = '\0';
	if (rc) {
		json_t *e = json_object_get(resp.body, "error");
		assert_int_equal(resp.status, 401);
		assert_string_equal(json_string_value(json_object_get(e, "code")),
		                    "InvalidAuthenticationToken");
		assert_string_equal(resp_header_get(&resp, "WWW-Authenticate"),
		                    AUTH_WWW_AUTHENTICATE);
		snprintf(msg, len, "%s",
		         json_string_value(json_object_get(e, "message")));
	}
	resp_release(&resp);
	req_release(&req);
	return rc;
}

static void test_auth_messages(void **ctx)
{
	struct keys *k = *ctx;
	struct state st;
	char msg[1024];
	int64_t now_ms;
	char *good, *own, *arm, *other;

	assert_int_equal(state_init(&st, 1), 0);
	now_ms = state_now_ms(&st);
	good = sign(KEY_A(k), now_ms / 1000, "https://graph.microsoft.com");
	own = sign(KEY_A(k), now_ms / 1000, "https://localhost:8443/");
	arm = sign(KEY_A(k), now_ms / 1000, "https://management.core.windows.net/");
	other = sign(&k->b, now_ms / 1000, "https://graph.microsoft.com");

	assert_int_equal(check(&k->ring, good, now_ms, msg, sizeof(msg)), 0);
	assert_int_equal(check(&k->ring, own, now_ms, msg, sizeof(msg)), 0);
	assert_int_equal(check(&k->ring, NULL, now_ms, msg, sizeof(msg)), -1);
	assert_string_equal(msg, AUTH_MSG_EMPTY);
	assert_int_equal(check(&k->ring, "", now_ms, msg, sizeof(msg)), -1);
	assert_string_equal(msg, AUTH_MSG_EMPTY);
	assert_int_equal(check(&k->ring, "opaque", now_ms, msg, sizeof(msg)), -1);
	assert_true(!strncmp(
	    msg, "IDX14100: JWT is not well formed, there are no dots (.).\n", 56));
	assert_int_equal(check(&k->ring, arm, now_ms, msg, sizeof(msg)), -1);
	assert_string_equal(msg, AUTH_MSG_AUDIENCE);
	assert_int_equal(check(&k->ring, other, now_ms, msg, sizeof(msg)), -1);
	assert_string_equal(msg, AUTH_MSG_INVALID);

	/* shift the mock clock past exp (3599 s): the same token has expired */
	atomic_store(&st.clock.offset_ms, (int64_t)3600 * 1000);
	assert_int_equal(check(&k->ring, good, state_now_ms(&st), msg, sizeof(msg)), -1);
	assert_string_equal(msg, AUTH_MSG_EXPIRED);
	/* and far before nbf */
	atomic_store(&st.clock.offset_ms, (int64_t)-3600 * 1000);
	assert_int_equal(check(&k->ring, good, state_now_ms(&st), msg, sizeof(msg)), -1);
	assert_string_equal(msg, AUTH_MSG_NOT_YET);
	state_release(&st);
	free(good);
	free(own);
	free(arm);
	free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_signature_against_jwk),
	    cmocka_unit_test(test_x5c_certificate),
	    cmocka_unit_test(test_verify_and_tamper),
	    cmocka_unit_test(test_auth_messages),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
