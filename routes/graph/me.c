/*
 * routes/graph/me.c - /me. graphmock issues only app-only tokens (client
 * credentials), and Graph answers /me without a signed-in user with a 400.
 */
#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
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
