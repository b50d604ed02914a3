/*
 * routes/me.c - /me. graphmock issues only app-only tokens (client
 * credentials), and Graph answers /me without a signed-in user with a 400.
 */
#include "../server/error.h"
#include "../server/req.h"
#include "../server/resp.h"
#include "../server/router.h"

static int me_get(struct state *st, const struct req *req, struct resp *resp)
{
	(void)st;
	(void)req;
	return resp_error(
	    resp, GERR_BAD_REQUEST,
	    "/me request is only valid with delegated authentication flow.");
}

const struct route me_routes[] = {
    {"GET", "/me", me_get, 0, NULL},
    {0},
};
