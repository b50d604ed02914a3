/*
 * routes/entra/redeem.c - redeeming invitations: the link in the email
 * (GET /redeem?tenant=&user=<invitation id>&ticket=&ver=2.0, a root route
 * that finds its tenant in the query) and the admin shortcut
 * POST /_mock/invitations/{id}/redeem, which needs no ticket.
 */
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/invitation.h"

/* Map a refused redemption to its 400. */
static int refused(struct resp *resp, enum redeem_result r)
{
	switch (r) {
	case REDEEM_OK:
	case REDEEM_AGAIN:
		break;
	case REDEEM_BAD_TICKET:
		return resp_error_code(
		    resp, 400, "InvalidRedemptionTicket",
		    "The redemption ticket is not valid for this invitation.");
	case REDEEM_SUPERSEDED:
		return resp_error_code(
		    resp, 400, "InvitationSuperseded",
		    "This invitation was replaced by a newer invitation for the "
		    "same user; use the link of the latest invitation.");
	case REDEEM_NO_USER:
		return resp_error_code(
		    resp, 400, "InvitedUserNotFound",
		    "The invited user no longer exists in the directory.");
	}
	return resp_error(resp, GERR_INTERNAL, "Unexpected redemption result.");
}

/*
 * The value of @name in the query of URL @url (already percent-decoded once,
 * as Graph's rd= parameter carries it) into @out. NULL when absent.
 */
static const char *inner_param(const char *url, const char *name, char *out, size_t len)
{
	const char *q = url ? strchr(url, '?') : NULL;
	size_t n = strlen(name);

	while (q && *q) {
		const char *item = q + 1, *amp = strchr(item, '&');
		size_t ilen = amp ? (size_t)(amp - item) : strlen(item);

		if (ilen > n && item[n] == '=' && !strncmp(item, name, n) &&
		    ilen - n - 1 < len) {
			memcpy(out, item + n + 1, ilen - n - 1);
			out[ilen - n - 1] = '\0';
			return out;
		}
		q = amp;
	}
	return NULL;
}

static int redeem_link(struct call *c)
{
	/* Graph's link wraps the invitations URL: /redeem?rd=<encoded URL>. */
	const char *rd = req_query(c->req, "rd");
	char tbuf[128], ubuf[64], kbuf[128];
	const char *tid = rd ? inner_param(rd, "tenant", tbuf, sizeof(tbuf))
	                     : req_query(c->req, "tenant");
	const char *user =
	    rd ? inner_param(rd, "user", ubuf, sizeof(ubuf)) : req_query(c->req, "user");
	const char *ticket = rd ? inner_param(rd, "ticket", kbuf, sizeof(kbuf))
	                        : req_query(c->req, "ticket");
	struct tenant *t = state_tenant_find(c->st, tid);
	struct invitation *inv;
	enum redeem_result r;

	if (!tid || !user || !ticket)
		return resp_error_code(
		    c->resp, 400, "InvalidRedemptionLink",
		    "The redemption link must carry 'tenant', 'user' and "
		    "'ticket'.");
	if (!t)
		return resp_error_code(
		    c->resp, 400, "InvalidRedemptionLink",
		    "The tenant '%s' of this redemption link does not exist.", tid);
	inv = state_invitation_find(t, user);
	if (!inv)
		return resp_error_code(
		    c->resp, 400, "InvalidRedemptionLink",
		    "The invitation '%s' of this redemption link does not "
		    "exist.",
		    user);
	r = state_invitation_redeem(c->st, t, inv, ticket);
	if (r != REDEEM_OK && r != REDEEM_AGAIN)
		return refused(c->resp, r);
	resp_header(c->resp, "Location", "%s",
	            json_string_value(json_object_get(inv->obj, "inviteRedirectUrl")));
	return resp_empty(c->resp, 302);
}

static int redeem_admin(struct call *c)
{
	struct invitation *inv = state_invitation_find(c->tenant, req_param(c->req, 0));
	enum redeem_result r;

	if (!inv)
		return resp_error_code(c->resp, 404, "NotFound",
		                       "Invitation '%s' does not exist.",
		                       req_param(c->req, 0));
	r = state_invitation_redeem(c->st, c->tenant, inv, inv->ticket);
	if (r != REDEEM_OK && r != REDEEM_AGAIN)
		return refused(c->resp, r);
	return resp_json(c->resp, 200, json_deep_copy(inv->obj));
}

const struct route redeem_routes[] = {
    {"GET", "/redeem", redeem_link, ROUTE_STATE_SHARED, NULL, NULL},
    {"POST", "/_mock/invitations/{id}/redeem", redeem_admin, 0, NULL, NULL},
    {0},
};
