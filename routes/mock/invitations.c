/*
 * routes/mock/invitations.c - GET /_mock/invitations: the invitations of the
 * request's tenant, newest first, each with its guest, whether a newer one
 * superseded it, and what became of its email (delivered, bounced, delayed,
 * dropped), which Graph itself never shows. Redeeming is routes/entra/redeem.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/invitation.h"

static int by_seq_desc(const void *a, const void *b)
{
	const struct invitation *x = *(const struct invitation *const *)a;
	const struct invitation *y = *(const struct invitation *const *)b;

	return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

/* The recorded verdict, with the time as ISO and whether it reached the mailbox yet. */
static json_t *mail_json(const struct state *st, const json_t *mail)
{
	const char *outcome = json_string_value(json_object_get(mail, "outcome"));
	json_t *at = json_object_get(mail, "visibleAtMs");
	char when[TIME_ISO_LEN];
	json_t *out;

	if (!mail)
		return json_null();
	out = json_pack(
	    "{s:O, s:O, s:O, s:O, s:n, s:b}", "outcome", json_object_get(mail, "outcome"),
	    "reason", json_object_get(mail, "reason"), "ruleId",
	    json_object_get(mail, "ruleId"), "messageId",
	    json_object_get(mail, "messageId"), "visibleAt", "arrived",
	    json_is_integer(at) && state_now_ms(st) >= json_integer_value(at));
	if (out && json_is_integer(at)) {
		time_format(json_integer_value(at), TIME_FRACTION_Z, when);
		json_object_set_new(out, "visibleAt", json_string(when));
	}
	if (out && outcome && !strcmp(outcome, "dropped"))
		json_object_set_new(out, "arrived", json_false());
	return out;
}

static json_t *invitation_json(const struct state *st, const struct invitation *inv)
{
	json_t *o = json_deep_copy(inv->obj);

	if (!o || json_object_set_new(o, "userId", json_string(inv->user_id)) ||
	    json_object_set_new(o, "superseded", json_boolean(inv->superseded)) ||
	    json_object_set_new(o, "mail", mail_json(st, inv->mail))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ?to=ADDRESS keeps the invitations of that invitee (any case). */
static int invitations_list(struct call *c)
{
	const char *to = req_query(c->req, "to");
	size_t n = HASH_COUNT(c->tenant->invitations), k = 0;
	struct invitation **all = calloc(n ? n : 1, sizeof(*all));
	json_t *list = json_array();

	if (!all || !list)
		goto out_oom;
	for (struct invitation *inv = c->tenant->invitations; inv; inv = inv->hh.next)
		all[k++] = inv;
	qsort(all, n, sizeof(*all), by_seq_desc);
	for (k = 0; k < n; k++) {
		const char *email = json_string_value(
		    json_object_get(all[k]->obj, "invitedUserEmailAddress"));
		if (to && *to && (!email || strcasecmp(email, to)))
			continue;
		if (json_array_append_new(list, invitation_json(c->st, all[k])))
			goto out_oom;
	}
	free(all);
	return resp_json(c->resp, 200, json_pack("{s:o}", "value", list));

out_oom:
	free(all);
	json_decref(list);
	return resp_error(c->resp, GERR_INTERNAL, "Listing the invitations failed.");
}

const struct route mock_invitations_routes[] = {
    {"GET", "/_mock/invitations", invitations_list, 0, NULL, NULL},
    {0},
};
