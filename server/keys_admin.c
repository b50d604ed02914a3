/*
 * server/keys_admin.c - graphmock's token signing keys: GET /_mock/keys
 * lists the live ones (current, and retired ones still verifying tokens
 * they signed), POST /_mock/keys/rotate makes a new current key. The JWKS
 * (/{tenant}/discovery/v2.0/keys) publishes the same set. A route table of
 * the server's own (srv_features_init): routes/ cannot reach the key ring.
 */
#include "core/call.h"
#include "core/error.h"
#include "core/resp.h"
#include "core/router.h"
#include "srv.h"

static int keys_list(struct call *c)
{
	struct keyring *keys = srv_keyring(c->srv);

	if (!keys)
		return resp_error(c->resp, GERR_INTERNAL,
		                  "The token-signing key is unavailable.");
	return resp_json(c->resp, 200,
	                 keyring_describe(keys, state_now_ms(&c->srv->state)));
}

static int keys_rotate(struct call *c)
{
	struct keyring *keys = srv_keyring(c->srv);

	if (!keys || keyring_rotate(keys, state_now_ms(&c->srv->state)))
		return resp_error(c->resp, GERR_INTERNAL,
		                  "Generating a signing key failed.");
	return resp_json(c->resp, 201,
	                 keyring_describe(keys, state_now_ms(&c->srv->state)));
}

const struct route keys_admin_routes[] = {
    {"GET", "/_mock/keys", keys_list, ROUTE_STATE_NONE, NULL, NULL},
    {"POST", "/_mock/keys/rotate", keys_rotate, ROUTE_STATE_NONE | ROUTE_OPTIONAL_BODY,
     NULL, NULL},
    {0},
};
