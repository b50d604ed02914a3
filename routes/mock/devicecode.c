/*
 * routes/mock/devicecode.c - tests stand in for the person of the device
 * code flow: POST /_mock/devicecode/{user_code}/approve {"user": UPN, mail
 * or object id} signs that user in without the page (no password needed),
 * POST /_mock/devicecode/{user_code}/decline refuses. The polling client
 * then gets its tokens, or authorization_declined.
 */
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../entra/login.h"

static int decide(struct call *c, bool approve)
{
	const char *user = json_string_value(json_object_get(c->req->body, "user"));
	char err[600] = "";
	json_t *out = NULL;

	if (approve && (!user || !*user))
		return resp_error(c->resp, GERR_BAD_REQUEST,
		                  "The body must name the user who approves: {\"user\": "
		                  "\"<userPrincipalName, mail or id>\"}.");
	switch (login_device_decide(c, req_param(c->req, 0), user, NULL, approve, err,
	                            sizeof(err), &out)) {
	case DEVICE_OK:
		return resp_json(c->resp, 200, out);
	case DEVICE_UNKNOWN:
		return resp_error_code(c->resp, 404, "NotFound", "%s", err);
	case DEVICE_USED:
	case DEVICE_EXPIRED:
		return resp_error_code(c->resp, 409, "Conflict", "%s", err);
	case DEVICE_BAD_USER:
		break;
	}
	return resp_error(c->resp, GERR_BAD_REQUEST, "%s", err);
}

static int approve(struct call *c)
{
	return decide(c, true);
}

static int decline(struct call *c)
{
	return decide(c, false);
}

const struct route devicecode_admin_routes[] = {
    {"POST", "/_mock/devicecode/{code}/approve", approve,
     ROUTE_JSON_BODY | ROUTE_STATE_SHARED, NULL, NULL},
    {"POST", "/_mock/devicecode/{code}/decline", decline,
     ROUTE_JSON_BODY | ROUTE_OPTIONAL_BODY | ROUTE_STATE_SHARED, NULL, NULL},
    {0},
};
