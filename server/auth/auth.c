/*
 * server/auth/auth.c - bearer tokens on Graph routes: tenant selection from the
 * tid claim and, with --auth jwt, validation in the order
 * Microsoft.IdentityModel runs it (format, signature, lifetime, audience),
 * then the route's permissions.
 */
#include "auth.h"

#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "../core/error.h"
#include "jwt.h"
#include "keyring.h"
#include "permissions.h"
#include "../core/req.h"
#include "../core/resp.h"
#include "../core/router.h"

#define NBF_SKEW_S 300

const char *auth_signed_in_user(const json_t *claims)
{
	const char *idtyp = json_string_value(json_object_get(claims, "idtyp"));
	const char *oid = json_string_value(json_object_get(claims, "oid"));

	if (!oid)
		return NULL;
	if (idtyp)
		return strcmp(idtyp, "user") ? NULL : oid;
	return json_is_string(json_object_get(claims, "scp")) ? oid : NULL;
}

const char *auth_bearer(const struct req *req)
{
	const char *h = req_header(req, "authorization");

	if (!h || strncasecmp(h, "Bearer", 6) || (h[6] && h[6] != ' '))
		return NULL;
	h += 6;
	while (*h == ' ')
		h++;
	return h;
}

static int unauthorized(struct resp *resp, const char *msg)
{
	resp_error(resp, GERR_UNAUTHORIZED, "%s", msg);
	resp_header(resp, "WWW-Authenticate", "%s", AUTH_WWW_AUTHENTICATE);
	return -1;
}

/* Lifetime and audience of verified @claims; NULL when they pass, else the message. */
static const char *check_claims(const json_t *claims, const struct req *req)
{
	json_t *exp = json_object_get(claims, "exp");
	json_t *nbf = json_object_get(claims, "nbf");
	const char *aud = json_string_value(json_object_get(claims, "aud"));
	json_int_t now = (json_int_t)(req->now_ms / 1000);

	if (!json_is_integer(exp) || json_integer_value(exp) <= now)
		return AUTH_MSG_EXPIRED;
	if (json_is_integer(nbf) && json_integer_value(nbf) > now + NBF_SKEW_S)
		return AUTH_MSG_NOT_YET;
	if (!aud || !req_graph_audience(req, aud))
		return AUTH_MSG_AUDIENCE;
	return NULL;
}

int auth_verify(struct keyring *keys, const struct req *req, struct resp *resp)
{
	const char *token = auth_bearer(req);
	const char *msg;

	if (!token || !*token)
		return unauthorized(resp, AUTH_MSG_EMPTY);
	switch (keyring_verify(keys, req->now_ms / 1000, token, req->claims)) {
	case JWT_OK:
		break;
	case JWT_NOT_JWS:
		return unauthorized(resp, AUTH_MSG_NOT_JWS);
	case JWT_MALFORMED:
	case JWT_BAD_SIGNATURE:
		return unauthorized(resp, AUTH_MSG_INVALID);
	}
	msg = check_claims(req->claims, req);
	return msg ? unauthorized(resp, msg) : 0;
}

/* Does the request act on the signed-in user's own object (/me, /users/<own id or UPN>)?
 */
static bool acts_on_self(const struct req *req, const struct route *route)
{
	const char *user = auth_signed_in_user(req->claims);
	const char *key = req_param(req, 0);
	const char *upn;

	if (!user || !strncmp(route->pattern, "/me/", 4))
		return true;
	if (strncmp(route->pattern, "/users/{id}", 11) || !key)
		return false;
	upn = json_string_value(json_object_get(req->claims, "upn"));
	if (!upn)
		upn =
		    json_string_value(json_object_get(req->claims, "preferred_username"));
	return !strcasecmp(key, user) || (upn && !strcasecmp(key, upn));
}

bool auth_grants_route(const struct req *req, const struct route *route)
{
	return perm_granted_on(route->perms, req->claims, acts_on_self(req, route));
}

int auth_reject(struct resp *resp)
{
	return unauthorized(resp, AUTH_MSG_INVALID);
}

int auth_permit(const struct req *req, const struct route *route, struct resp *resp)
{
	if (auth_grants_route(req, route) &&
	    (!auth_signed_in_user(req->claims) ||
	     perm_delegated_allowed(route, req->method, req->claims)))
		return 0;
	return resp_error(resp, GERR_FORBIDDEN, AUTH_MSG_DENIED);
}
