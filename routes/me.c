/*
 * routes/me.c - /me. graphmock issues only app-only tokens (client
 * credentials), and Graph answers /me without a signed-in user with a 400.
 */
#include "../server/call.h"
#include "../server/error.h"
#include "../server/req.h"
#include "../server/resp.h"
#include "../server/router.h"
#include "permissions.h"

static int me_get(struct call *c)
{
	return resp_error(
	    c->resp, GERR_BAD_REQUEST,
	    "/me request is only valid with delegated authentication flow.");
}

const struct route me_routes[] = {
    {"GET", "/me", me_get, 0, NULL, &route_perms_any_token},
    {0},
};
