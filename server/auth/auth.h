/*
 * server/auth/auth.h - the Graph side of authentication with --auth jwt: the
 * token check every Graph route runs once it is routed, with Graph's 401
 * messages (graph-spec §10.3), then the route's permissions (§10.2) against
 * the token's roles/scp (server/auth/permissions.h). The pipeline decides when
 * (server/exchange.c); nothing here knows the server.
 */
#ifndef GRAPHMOCK_SERVER_AUTH_AUTH_H
#define GRAPHMOCK_SERVER_AUTH_AUTH_H

#include <jansson.h>
#include <stdbool.h>

struct keyring;
struct route;
struct req;
struct resp;

/* The header Graph sends with every 401 (graph-spec §10.3). */
#define AUTH_WWW_AUTHENTICATE                                                            \
	"Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/"      \
	"common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\""

#define AUTH_MSG_EMPTY "Access token is empty."
#define AUTH_MSG_NOT_JWS                                                                 \
	"IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to "  \
	"be "                                                                            \
	"in JWS or JWE Compact Serialization Format. (JWS): "                            \
	"'EncodedHeader.EncodedPayload.EncodedSignature'. (JWE): "                       \
	"'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector."       \
	"EncodedCiphertext.EncodedAuthenticationTag'."
#define AUTH_MSG_EXPIRED  "Lifetime validation failed, the token is expired."
#define AUTH_MSG_NOT_YET  "Lifetime validation failed, the token is not yet valid."
#define AUTH_MSG_AUDIENCE "Access token validation failure. Invalid audience."
#define AUTH_MSG_INVALID  "Access token validation failure."
#define AUTH_MSG_DENIED   "Insufficient privileges to complete the operation."

/*
 * auth_signed_in_user() - the oid of a delegated token's user (idtyp
 * "user", or scp without idtyp), or NULL for app-only tokens. Borrowed.
 */
const char *auth_signed_in_user(const json_t *claims);

/* auth_bearer() - the token of "Authorization: Bearer <t>" (scheme any case), or NULL.
 */
const char *auth_bearer(const struct req *req);

/*
 * auth_verify() - check the request's bearer token (its claims decoded once
 * into req->claims) against the live keys of @keys on the request's
 * mock-clock time: signature, lifetime (5 minutes' skew on nbf), audience.
 * Returns 0, or -1 after a 401 InvalidAuthenticationToken with
 * WWW-Authenticate in @resp.
 */
int auth_verify(struct keyring *keys, const struct req *req, struct resp *resp);

/*
 * auth_grants_route() - do the token's roles or scp (req->claims) hold one of
 * the permissions @route's row lists for this request? Directory roles aside:
 * what the permission report (GET /_mock/permissions) calls refused.
 */
bool auth_grants_route(const struct req *req, const struct route *route);

/*
 * auth_reject() - Graph's 401 for a well-formed token that is no good here:
 * InvalidAuthenticationToken "Access token validation failure." with the
 * WWW-Authenticate challenge (a token of another tenant). Returns -1.
 */
int auth_reject(struct resp *resp);

/*
 * auth_permit() - with --auth jwt, after matching @route on a Graph path: a
 * token (already verified by auth_verify) lacking both roles and scp, or
 * every permission the route's row lists, gets 403
 * Authorization_RequestDenied; so does a delegated caller whose directory
 * roles or guest role (the token's wids, acct) do not allow what the route
 * does (server/auth/permissions.h perm_delegated_allowed). Returns 0, or -1
 * after the 403 is in @resp.
 */
int auth_permit(const struct req *req, const struct route *route, struct resp *resp);

#endif
