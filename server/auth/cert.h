/*
 * server/auth/cert.h - X.509 certificates as Graph's keyCredential carries
 * them (standard base64 of the DER in "key"): their thumbprints, validity
 * and subject, and JWS verification with their public key (client
 * assertions, addKey proofs). On GnuTLS.
 */
#ifndef GRAPHMOCK_SERVER_AUTH_CERT_H
#define GRAPHMOCK_SERVER_AUTH_CERT_H

#include <stdint.h>

#include "jwt.h"

/* What graphmock needs to know of a certificate. */
struct cert_info {
	char sha1_hex[41]; /* upper-case hex, as Entra prints thumbprints */
	char x5t[28];      /* base64url SHA-1: a JOSE "x5t" */
	char x5t_s256[44]; /* base64url SHA-256: a JOSE "x5t#S256" */
	char sha1_b64[29]; /* standard base64 SHA-1: Graph's customKeyIdentifier */
	int64_t not_before_ms;
	int64_t not_after_ms;
	char subject[256]; /* "CN=graphmock test app" */
};

/*
 * cert_describe() - parse @b64 (standard or url base64 of a DER
 * certificate; a PEM's body works too) into @out. 0, or -1 when it is not a
 * certificate.
 */
int cert_describe(const char *b64, struct cert_info *out);

/*
 * cert_verify_jws() - verify compact JWS @token (RS256 or PS256) with the
 * public key of certificate @b64. JWT_OK, JWT_BAD_SIGNATURE, or
 * JWT_MALFORMED (not a JWS, another alg, or not a certificate).
 */
enum jwt_status cert_verify_jws(const char *b64, const char *token);

#endif
