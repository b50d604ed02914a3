/*
 * server/notify_admin.c - /_mock/notifications: every webhook validation
 * and delivery attempt of the request's tenant with its outcome, so tests
 * can assert what their receiver got; and a trigger for the lifecycle
 * notifications graphmock has no cause of its own to send. A route table of
 * the notifier's own, registered by the server.
 */
#include <string.h>

#include "../state/subscription.h"
#include "core/call.h"
#include "core/error.h"
#include "core/req.h"
#include "core/resp.h"
#include "core/router.h"
#include "srv.h"

static int notifications_list(struct call *c)
{
	json_t *out = notify_attempts(&c->srv->notify, c->tenant->id,
	                              req_query(c->req, "subscriptionId"));

	if (!out)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_json(c->resp, 200, out);
}

static int notifications_clear(struct call *c)
{
	notify_attempts_clear(&c->srv->notify, c->tenant->id);
	return resp_empty(c->resp, 204);
}

/* {"event": "subscriptionRemoved" | "reauthorizationRequired" | "missed"} */
static int lifecycle_send(struct call *c)
{
	static const char *const events[] = {"subscriptionRemoved",
	                                     "reauthorizationRequired", "missed", NULL};
	const char *event = json_string_value(json_object_get(c->req->body, "event"));
	const char *id = req_param(c->req, 0);
	struct subscription *s = state_subscription_find(c->st, c->tenant, id);
	size_t i = 0;

	while (events[i] && (!event || strcmp(events[i], event)))
		i++;
	if (!events[i])
		return resp_error(c->resp, GERR_BAD_REQUEST,
		                  "'event' must be \"subscriptionRemoved\", "
		                  "\"reauthorizationRequired\" or \"missed\".");
	if (!s)
		return resp_error_code(c->resp, 404, "NotFound",
		                       "No subscription '%s' in this tenant.", id);
	if (!notify_lifecycle(&c->srv->notify, c->tenant, s->id, event))
		return resp_error(c->resp, GERR_BAD_REQUEST,
		                  "Subscription '%s' has no lifecycleNotificationUrl.",
		                  s->id);
	if (i == 0) /* Graph removed it: notifications stop */
		state_subscription_remove(c->tenant, s);
	return resp_empty(c->resp, 202);
}

const struct route notify_admin_routes[] = {
    {"GET", "/_mock/notifications", notifications_list, 0, NULL, NULL},
    {"DELETE", "/_mock/notifications", notifications_clear, 0, NULL, NULL},
    {"POST", "/_mock/subscriptions/{id}/lifecycle", lifecycle_send, ROUTE_JSON_BODY, NULL,
     NULL},
    {0},
};
