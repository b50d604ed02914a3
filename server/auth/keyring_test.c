/*
 * server/auth/keyring_test.c - signing key rotation: after a rotation both
 * keys are in the JWKS and both verify; new tokens carry the new kid; the
 * old key drops out (of the JWKS and of verification) once the last token
 * it signed has expired on the mock clock; a key that signed nothing goes
 * at once. Signatures are checked by GnuTLS against the published JWK.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "../../state/util/b64.h"
#include "keyring.h"

#define T0 1700000000LL /* seconds */

static char *sign_at(struct keyring *r, int64_t iat, int64_t lifetime)
{
	json_t *c =
	    json_pack("{s:s, s:I, s:I}", "aud", "https://graph.microsoft.com", "iat",
	              (json_int_t)iat, "exp", (json_int_t)(iat + lifetime));
	char *t = keyring_sign(r, c);

	json_decref(c);
	assert_non_null(t);
	return t;
}

static enum jwt_status verify_at(struct keyring *r, const char *token, int64_t now_s)
{
	json_t *claims = jwt_peek_payload(token);
	enum jwt_status st = keyring_verify(r, now_s, token, claims);

	json_decref(claims);
	return st;
}

static const char *kid_of(const char *token)
{
	static char kid[64];
	json_t *h = jwt_peek_header(token);

	snprintf(kid, sizeof(kid), "%s", json_string_value(json_object_get(h, "kid")));
	json_decref(h);
	return kid;
}

/* The token verifies with GnuTLS against the JWK of its kid in @jwks alone. */
static void assert_jwk_verifies(json_t *jwks, const char *token)
{
	const char *dot2 = strrchr(token, '.'), *kid = kid_of(token);
	json_t *jwk = NULL, *k;
	size_t i, nl, el, sl;
	gnutls_datum_t n, e, sig,
	    data = {(unsigned char *)token, (unsigned)(dot2 - token)};
	gnutls_pubkey_t pub;

	json_array_foreach(
	    jwks, i, k) if (!strcmp(json_string_value(json_object_get(k, "kid")), kid))
	    jwk = k;
	assert_non_null(jwk);
	n.data = b64_decode(json_string_value(json_object_get(jwk, "n")),
	                    strlen(json_string_value(json_object_get(jwk, "n"))), &nl);
	e.data = b64_decode(json_string_value(json_object_get(jwk, "e")),
	                    strlen(json_string_value(json_object_get(jwk, "e"))), &el);
	sig.data = b64_decode(dot2 + 1, strlen(dot2 + 1), &sl);
	n.size = (unsigned)nl;
	e.size = (unsigned)el;
	sig.size = (unsigned)sl;
	assert_int_equal(gnutls_pubkey_init(&pub), 0);
	assert_int_equal(gnutls_pubkey_import_rsa_raw(pub, &n, &e), 0);
	assert_true(
	    gnutls_pubkey_verify_data2(pub, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig) >= 0);
	gnutls_pubkey_deinit(pub);
	free(n.data);
	free(e.data);
	free(sig.data);
}

static void test_rotation_overlap(void **ctx)
{
	struct keyring r;
	char *old, *fresh, *old_kid;
	json_t *jwks;

	(void)ctx;
	assert_int_equal(keyring_init(&r, 2048, T0 * 1000), 0);
	old = sign_at(&r, T0, 3599);
	old_kid = strdup(kid_of(old));
	assert_int_equal(keyring_rotate(&r, (T0 + 60) * 1000), 0);
	fresh = sign_at(&r, T0 + 60, 3599);
	assert_string_not_equal(kid_of(fresh), old_kid);

	/* the overlap: both published, both verify */
	jwks = keyring_jwks(&r, T0 + 61);
	assert_int_equal(json_array_size(jwks), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(jwks, 0), "kid")),
	    kid_of(fresh)); /* current first */
	assert_jwk_verifies(jwks, old);
	assert_jwk_verifies(jwks, fresh);
	json_decref(jwks);
	assert_int_equal(verify_at(&r, old, T0 + 61), JWT_OK);
	assert_int_equal(verify_at(&r, fresh, T0 + 61), JWT_OK);

	/* the old key's last token expires at T0 + 3599: then it is gone */
	assert_int_equal(verify_at(&r, old, T0 + 3598), JWT_OK);
	assert_int_equal(verify_at(&r, old, T0 + 3600), JWT_BAD_SIGNATURE);
	jwks = keyring_jwks(&r, T0 + 3600);
	assert_int_equal(json_array_size(jwks), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(jwks, 0), "kid")),
	    kid_of(fresh));
	json_decref(jwks);
	assert_int_equal(verify_at(&r, fresh, T0 + 3600), JWT_OK);
	free(old);
	free(fresh);
	free(old_kid);
	keyring_release(&r);
}

/* A retired key lives as long as the longest-lived token it signed. */
static void test_retirement_follows_last_expiry(void **ctx)
{
	struct keyring r;
	char *short_lived, *long_lived;
	json_t *desc;

	(void)ctx;
	assert_int_equal(keyring_init(&r, 2048, T0 * 1000), 0);
	long_lived = sign_at(&r, T0, 86400);
	short_lived = sign_at(&r, T0 + 10, 60); /* a later but shorter token */
	assert_int_equal(keyring_rotate(&r, (T0 + 20) * 1000), 0);
	/* the key lives on for the long token (each token's own lifetime is
	 * auth_verify's check, not the ring's) */
	assert_int_equal(verify_at(&r, short_lived, T0 + 3600), JWT_OK);
	assert_int_equal(verify_at(&r, long_lived, T0 + 86399), JWT_OK);
	desc = keyring_describe(&r, (T0 + 30) * 1000);
	assert_int_equal(json_array_size(json_object_get(desc, "value")), 2);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(desc, "value"), 1), "status")),
	    "retired");
	json_decref(desc);
	assert_int_equal(verify_at(&r, long_lived, T0 + 86400), JWT_BAD_SIGNATURE);
	free(short_lived);
	free(long_lived);
	keyring_release(&r);
}

/* A current key that signed nothing is not kept after a rotation; rotations chain. */
static void test_unused_key_goes_at_once(void **ctx)
{
	struct keyring r;
	json_t *jwks;

	(void)ctx;
	assert_int_equal(keyring_init(&r, 2048, T0 * 1000), 0);
	assert_int_equal(keyring_rotate(&r, T0 * 1000), 0);
	assert_int_equal(keyring_rotate(&r, T0 * 1000), 0);
	jwks = keyring_jwks(&r, T0);
	assert_int_equal(json_array_size(jwks), 1);
	assert_int_equal(r.n, 1);
	json_decref(jwks);
	keyring_release(&r);
}

static void test_unknown_kid_and_garbage(void **ctx)
{
	struct keyring r, other;
	char *foreign;

	(void)ctx;
	assert_int_equal(keyring_init(&r, 2048, T0 * 1000), 0);
	assert_int_equal(keyring_init(&other, 2048, T0 * 1000), 0);
	foreign = sign_at(&other, T0, 3599);
	assert_int_equal(verify_at(&r, foreign, T0), JWT_BAD_SIGNATURE);
	assert_int_equal(verify_at(&r, "opaque", T0), JWT_NOT_JWS);
	assert_int_equal(verify_at(&r, "a.b.c", T0), JWT_MALFORMED);
	free(foreign);
	keyring_release(&other);
	keyring_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rotation_overlap),
	    cmocka_unit_test(test_retirement_follows_last_expiry),
	    cmocka_unit_test(test_unused_key_goes_at_once),
	    cmocka_unit_test(test_unknown_kid_and_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
