/*
 * routes/mailbox.c - the /_mock/mailbox admin plane: the invitation emails
 * of the request's tenant (X-Graphmock-Tenant), newest first, as plain
 * application/json. Delayed messages stay hidden until they arrive.
 */
#include <stdlib.h>
#include <string.h>

#include "../server/error.h"
#include "../server/req.h"
#include "../server/resp.h"
#include "../server/router.h"
#include "../state/mailbox.h"

static int mailbox_list(struct state *st, const struct req *req, struct resp *resp)
{
	const char *to = req_query(req, "to");
	struct mail_message **msgs;
	json_t *list = json_array();
	size_t n;

	if (!list || state_mail_list(st, req->tenant, &msgs, &n)) {
		json_decref(list);
		return resp_error(resp, GERR_INTERNAL, "Listing the mailbox failed.");
	}
	for (size_t i = 0; i < n; i++)
		if (!to || !*to || state_mail_addressed_to(msgs[i], to))
			json_array_append(list, msgs[i]->obj);
	free(msgs);
	return resp_json(resp, 200, json_pack("{s:o}", "value", list));
}

static int mailbox_latest(struct state *st, const struct req *req, struct resp *resp)
{
	struct mail_message **msgs;
	json_t *latest;
	size_t n;

	if (state_mail_list(st, req->tenant, &msgs, &n))
		return resp_error(resp, GERR_INTERNAL, "Listing the mailbox failed.");
	latest = n ? json_incref(msgs[0]->obj) : NULL;
	free(msgs);
	if (!latest)
		return resp_error_code(resp, 404, "NotFound", "The mailbox is empty.");
	return resp_json(resp, 200, latest);
}

static int mailbox_get(struct state *st, const struct req *req, struct resp *resp)
{
	struct mail_message *m = state_mail_find(st, req->tenant, req_param(req, 0));

	if (!m)
		return resp_error_code(resp, 404, "NotFound",
		                       "Message '%s' does not exist.", req_param(req, 0));
	return resp_json(resp, 200, json_incref(m->obj));
}

static int mailbox_clear(struct state *st, const struct req *req, struct resp *resp)
{
	(void)st;
	state_mailbox_clear(req->tenant);
	return resp_empty(resp, 204);
}

const struct route mailbox_routes[] = {
    {"GET", "/_mock/mailbox", mailbox_list, 0, NULL},
    {"DELETE", "/_mock/mailbox", mailbox_clear, 0, NULL},
    {"GET", "/_mock/mailbox/latest", mailbox_latest, 0, NULL},
    {"GET", "/_mock/mailbox/{id}", mailbox_get, 0, NULL},
    {0},
};
