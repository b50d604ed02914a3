/*
 * routes/entra/login_testutil.h - what the mock Entra ID tests share: form
 * posts through the request pipeline, tokens checked with GnuTLS against
 * the published JWKS certificate (never by trusting graphmock's own
 * verifier), and client assertions signed with the committed test key of
 * the fixture app (conformance/fixtures/app-certificate) or any other key.
 * Linked into test binaries only.
 */
#ifndef GRAPHMOCK_ROUTES_ENTRA_LOGIN_TESTUTIL_H
#define GRAPHMOCK_ROUTES_ENTRA_LOGIN_TESTUTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct srv;

#define LT_TENANT      "2dd67af8-8f6d-47d9-86d2-56d41895239d"
#define LT_APP         "bb307b24-a6db-470e-9a3b-e58a68578312" /* confidential */
#define LT_APP_SP      "ffd74704-8647-49d6-8a03-b6b5cf8ce61d"
#define LT_APP_OBJ     "ebcfd23c-7aec-4030-8ffc-e1a1fd7ab9e8"
#define LT_SECRET      "GuestOnboarding~Secret1"
#define LT_EXPIRED     "GuestOnboarding~Expired1"
#define LT_PUBLIC      "0e6a4b2c-8d1f-4e3a-b5c7-9f2d6a8e1b43" /* public client */
#define LT_PUB_SECRET  "ReadOnlyReporting~Secret1"
#define LT_ADMIN       "33c3317d-939c-4e2f-855a-95aa465db42a"
#define LT_ADELE       "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define LT_ADELE_UPN   "AdeleV@contoso.onmicrosoft.com"
#define LT_ADELE_PW    "Adele-Pass-1!"
#define LT_GRAPH_SCOPE "scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
#define LT_KEY_PEM     "conformance/fixtures/app-certificate/key.pem"
#define LT_CERT_PEM    "conformance/fixtures/app-certificate/cert.pem"
#define LT_ORIGIN      "https://localhost:8443"

/* What a call answered. */
struct lt_reply {
	unsigned status;
	json_t *body; /* parsed JSON body, or NULL (owned) */
	char text[16384];
	char location[2048];
	char cache[128];
	char content_type[128];
};

/* lt_srv() - a server with the default fixture, links on LT_ORIGIN. Free with
 * test_srv_free. */
struct srv *lt_srv(void);

/* lt_call() - @method @path with @body (@ctype) and extra "Name: value" @header. */
struct lt_reply lt_call(struct srv *srv, const char *method, const char *path,
                        const char *body, const char *ctype, const char *header);

/* lt_token() - POST /@tenant/oauth2/v2.0/token with form @form (and @header). */
struct lt_reply lt_token(struct srv *srv, const char *tenant, const char *form,
                         const char *header);

void lt_reply_release(struct lt_reply *r);

/* lt_str() - string member @key of @o, or NULL. */
const char *lt_str(const json_t *o, const char *key);

/*
 * lt_expect_error() - @r is Entra's error @error/@code with status @status
 * and a description starting "AADSTS<code>: <prefix>". Releases @r.
 */
void lt_expect_error(struct lt_reply *r, unsigned status, const char *error,
                     unsigned code, const char *prefix);

/*
 * lt_verified_claims() - the payload of @token after GnuTLS verified its
 * RS256 signature with the certificate (x5c) the JWKS publishes for its
 * kid. New; asserts on failure.
 */
json_t *lt_verified_claims(struct srv *srv, const char *token);

/* lt_key_load() / lt_key_new() - the fixture app's test key, or a fresh one. */
void *lt_key_load(void);
void *lt_key_new(void);
void lt_key_free(void *key);

/*
 * lt_assertion() - a compact JWS over @header_json and @payload_json signed
 * by @key: RS256 (PKCS#1 v1.5) or, with @pss, PS256 (salt = digest length).
 * New string.
 */
char *lt_assertion(void *key, const char *header_json, const char *payload_json,
                   bool pss);

/* lt_cert_thumbprints() - x5t and x5t#S256 of
 * conformance/fixtures/app-certificate/cert.pem. */
void lt_cert_thumbprints(char x5t[32], char x5t_s256[48]);

/* lt_form_encode() - @s percent-encoded for a form value. New string. */
char *lt_form_encode(const char *s);

#endif
