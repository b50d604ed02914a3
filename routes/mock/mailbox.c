/*
 * routes/mock/mailbox.c - the /_mock/mailbox admin plane: the invitation emails
 * of the request's tenant (X-Graphmock-Tenant), newest first, as plain
 * application/json. Delayed messages stay hidden until they arrive.
 */
#include <stdlib.h>
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/mailbox.h"

static int mailbox_list(struct call *c)
{
	const char *to = req_query(c->req, "to");
	struct mail_message **msgs;
	json_t *list = json_array();
	size_t n;

	if (!list || state_mail_list(c->st, c->tenant, &msgs, &n)) {
		json_decref(list);
		return resp_error(c->resp, GERR_INTERNAL, "Listing the mailbox failed.");
	}
	for (size_t i = 0; i < n; i++)
		if (!to || !*to || state_mail_addressed_to(msgs[i], to))
			json_array_append(list, msgs[i]->obj);
	free(msgs);
	return resp_json(c->resp, 200, json_pack("{s:o}", "value", list));
}

static int mailbox_latest(struct call *c)
{
	struct mail_message **msgs;
	json_t *latest;
	size_t n;

	if (state_mail_list(c->st, c->tenant, &msgs, &n))
		return resp_error(c->resp, GERR_INTERNAL, "Listing the mailbox failed.");
	latest = n ? json_incref(msgs[0]->obj) : NULL;
	free(msgs);
	if (!latest)
		return resp_error_code(c->resp, 404, "NotFound", "The mailbox is empty.");
	return resp_json(c->resp, 200, latest);
}

static int mailbox_get(struct call *c)
{
	struct mail_message *m = state_mail_find(c->st, c->tenant, req_param(c->req, 0));

	if (!m)
		return resp_error_code(c->resp, 404, "NotFound",
		                       "Message '%s' does not exist.",
		                       req_param(c->req, 0));
	return resp_json(c->resp, 200, json_incref(m->obj));
}

static int mailbox_clear(struct call *c)
{
	state_mailbox_clear(c->tenant);
	return resp_empty(c->resp, 204);
}

const struct route mailbox_routes[] = {
    {"GET", "/_mock/mailbox", mailbox_list, 0, NULL, NULL},
    {"DELETE", "/_mock/mailbox", mailbox_clear, 0, NULL, NULL},
    {"GET", "/_mock/mailbox/latest", mailbox_latest, 0, NULL, NULL},
    {"GET", "/_mock/mailbox/{id}", mailbox_get, 0, NULL, NULL},
    {0},
};
