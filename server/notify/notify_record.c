/*
 * server/notify/notify_record.c - the record of every validation and
 * delivery attempt (GET /_mock/notifications), newest last, bounded.
 */
#include <stdio.h>
#include <string.h>

#include "../../state/state.h"
#include "notify_internal.h"

static const char *kind_name(const struct outbox *b)
{
	return b->lifecycle ? "lifecycle" : "notification";
}

/* Subscription ids named in a batch, once each. New array. */
static json_t *batch_subs(const struct notify_item *items)
{
	json_t *ids = json_array();

	for (; ids && items; items = items->next) {
		json_t *id = json_object_get(items->json, "subscriptionId");
		size_t i;
		json_t *v;
		bool seen = false;

		json_array_foreach(ids, i, v) seen |= json_equal(v, id);
		if (id && !seen)
			json_array_append(ids, id);
	}
	return ids;
}

/* Append one attempt (steals @entry); n->lock held. */
void notify_record(struct notifier *n, json_t *entry)
{
	char when[TIME_ISO_LEN];

	if (!entry)
		return;
	time_format(state_now_ms(n->st), TIME_FRACTION_Z, when);
	json_object_set_new(entry, "id", json_integer((json_int_t)++n->log_seq));
	json_object_set_new(entry, "time", json_string(when));
	if (json_array_append_new(n->log, entry))
		return;
	while (json_array_size(n->log) > NOTIFY_LOG_MAX)
		json_array_remove(n->log, 0);
}

json_t *notify_attempt_json(const struct outbox *b, int attempt, long status,
                            const char *outcome, const char *error, int64_t ms)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:i, s:i, s:s, s:s?, s:I, s:s?, s:O?}",
	                 "tenantId", b->tenant_id, "kind", kind_name(b), "url", b->url,
	                 "subscriptionIds", batch_subs(b->batch_items), "attempt",
	                 attempt, "status", (int)status, "outcome", outcome, "error",
	                 error, "durationMs", (json_int_t)ms, "fault",
	                 b->fault[0] ? b->fault : NULL, "body", b->batch);
}

json_t *notify_attempts(struct notifier *n, const char *tenant_id,
                        const char *subscription_id)
{
	json_t *out = json_array();
	size_t i;
	json_t *e;

	pthread_mutex_lock(&n->lock);
	json_array_foreach(n->log, i, e)
	{
		const char *t = json_string_value(json_object_get(e, "tenantId"));
		bool keep = !tenant_id || (t && !strcmp(t, tenant_id));

		if (keep && subscription_id) {
			size_t k;
			json_t *v;
			bool has = false;

			json_array_foreach(json_object_get(e, "subscriptionIds"), k, v)
			    has |= !strcmp(json_string_value(v), subscription_id);
			keep = has;
		}
		if (keep && out)
			json_array_append_new(out, json_deep_copy(e));
	}
	pthread_mutex_unlock(&n->lock);
	return out ? json_pack("{s:o}", "value", out) : NULL;
}

void notify_attempts_clear(struct notifier *n, const char *tenant_id)
{
	pthread_mutex_lock(&n->lock);
	for (size_t i = json_array_size(n->log); i-- > 0;) {
		const char *t = json_string_value(
		    json_object_get(json_array_get(n->log, i), "tenantId"));
		if (!tenant_id || (t && !strcmp(t, tenant_id)))
			json_array_remove(n->log, i);
	}
	pthread_mutex_unlock(&n->lock);
}
