/*
 * server/auth/jwt.h - graphmock's token signing key and RS256 JWTs (RFC 7515,
 * 7517, 7519): an RSA key generated at start with GnuTLS, compact JWS
 * signing, verification, the JWK of the public half, and payload decoding
 * without verification (tenant selection). Claims are the caller's business.
 */
#ifndef GRAPHMOCK_SERVER_AUTH_JWT_H
#define GRAPHMOCK_SERVER_AUTH_JWT_H

#include <jansson.h>

struct gnutls_privkey_st;
struct gnutls_pubkey_st;

#define JWT_KID_LEN 27 /* base64url of a SHA-1, like Entra's x5t/kid */

struct jwt_key {
	struct gnutls_privkey_st *priv; /* owned */
	struct gnutls_pubkey_st *pub;   /* owned */
	char kid[JWT_KID_LEN + 1];
	char *n; /* modulus, base64url (owned) */
	char *e; /* exponent, base64url (owned) */
};

/* Why a token was refused, in the order the checks run. */
enum jwt_status {
	JWT_OK,
	JWT_NOT_JWS,       /* no dots: not compact serialization */
	JWT_MALFORMED,     /* not three segments, bad base64url or JSON, wrong alg */
	JWT_BAD_SIGNATURE, /* well formed, not signed by this key */
};

/*
 * jwt_key_generate() - a fresh RSA-@bits key (2048 for real use), its JWK
 * parts and kid. 0, or -1 after printing why. jwt_key_release() frees it
 * (safe on a zeroed or half-built key).
 */
int jwt_key_generate(struct jwt_key *k, unsigned bits);
void jwt_key_release(struct jwt_key *k);

/*
 * jwt_sign() - header {"typ":"JWT","alg":"RS256","x5t":kid,"kid":kid} and
 * @claims (borrowed) as a compact JWS.
 * Returns: new string, or NULL on failure.
 */
char *jwt_sign(const struct jwt_key *k, const json_t *claims);

/*
 * jwt_verify() - check that @token is an RS256 JWS signed by @k, whose
 * payload the caller already decoded into @claims (jwt_peek_payload();
 * NULL when it did not decode, which is JWT_MALFORMED): the payload is
 * decoded once per request, not once per check.
 */
enum jwt_status jwt_verify(const struct jwt_key *k, const char *token,
                           const json_t *claims);

/*
 * jwt_peek_payload() - the claims object of a compact JWT, NOT verified.
 * Returns: new reference, or NULL when @token is not a decodable JWT.
 */
json_t *jwt_peek_payload(const char *token);

/* jwt_jwk() - the public key as a JWK {kty,use,kid,x5t,n,e,alg}. Returns: new. */
json_t *jwt_jwk(const struct jwt_key *k);

#endif
