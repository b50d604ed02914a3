/*
 * server/auth/jwt.h - JSON Web Signatures (RFC 7515, 7517, 7519) over GnuTLS:
 * graphmock's token signing keys (RSA with a self-signed certificate, so
 * kid = x5t = base64url SHA-1 of it, as Entra's keys are), RS256 signing,
 * compact JWS parsing, RS256/PS256 verification against any public key,
 * the JWK of a key, and payload decoding without verification (tenant
 * selection). Claims are the caller's business.
 */
#ifndef GRAPHMOCK_SERVER_AUTH_JWT_H
#define GRAPHMOCK_SERVER_AUTH_JWT_H

#include <jansson.h>
#include <stddef.h>

struct gnutls_privkey_st;
struct gnutls_pubkey_st;

#define JWT_KID_LEN 27 /* base64url of a SHA-1, like Entra's x5t/kid */

struct jwt_key {
	struct gnutls_privkey_st *priv; /* owned */
	struct gnutls_pubkey_st *pub;   /* owned */
	char kid[JWT_KID_LEN + 1];
	char *n;   /* modulus, base64url (owned) */
	char *e;   /* exponent, base64url (owned) */
	char *x5c; /* the self-signed certificate, standard base64 DER (owned) */
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
 * parts, a self-signed certificate and the kid (its SHA-1). 0, or -1 after
 * printing why. jwt_key_release() frees it (safe on a zeroed or half-built
 * key).
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

/* jwt_peek_header() - the same for the JOSE header. New reference or NULL. */
json_t *jwt_peek_header(const char *token);

/*
 * jwt_jwk() - the public key as Entra publishes it:
 * {kty,use,kid,x5t,n,e,x5c,alg}. Returns: new.
 */
json_t *jwt_jwk(const struct jwt_key *k);

/* A compact JWS taken apart (jws_parse). */
struct jws {
	json_t *header;     /* new */
	json_t *payload;    /* new */
	const char *input;  /* "header.payload", borrowed from the token */
	size_t input_len;   /* its length: the signing input */
	unsigned char *sig; /* the signature bytes (owned) */
	size_t sig_len;
	char alg[8]; /* "RS256", "PS256", ... as the header says */
};

/*
 * jws_parse() - split and decode compact JWS @token into @j (always safe to
 * jws_release). Returns JWT_OK, JWT_NOT_JWS or JWT_MALFORMED (not three
 * segments, bad base64url, header or payload not a JSON object, no alg).
 */
enum jwt_status jws_parse(const char *token, struct jws *j);
void jws_release(struct jws *j);

/*
 * jws_verify_pubkey() - check @j's signature with @pub: RS256
 * (RSASSA-PKCS1-v1_5 SHA-256) or PS256 (RSASSA-PSS SHA-256, MGF1-SHA-256,
 * with a salt of the digest's length or the largest the key allows, so
 * every common signer passes). Any other alg is JWT_MALFORMED. @pub may be
 * modified (its PSS parameters): pass a key of the caller's own.
 */
enum jwt_status jws_verify_pubkey(struct gnutls_pubkey_st *pub, const struct jws *j);

#endif
