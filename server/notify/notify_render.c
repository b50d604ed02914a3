/*
 * server/notify/notify_render.c - the bodies of change notifications: the
 * commit hook matching changes to subscriptions, lifecycle notifications,
 * and the per-second scan for expiry and reauthorizationRequired.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/changelog.h"
#include "../../state/subscription.h"
#include "notify_internal.h"

/* What one commit did to one object, for one subscription. */
struct agg {
	const struct subscription *s;
	char id[GUID_STR_LEN + 1];
	enum dobj_kind kind;
	bool deleted;
	int64_t at_ms;
	json_t *members; /* members@delta, or NULL */
};

void notify_time_offset(int64_t ms, char out[48])
{
	char iso[TIME_ISO_LEN];
	size_t len;

	time_format(ms, TIME_FRACTION_Z, iso);
	len = strlen(iso);
	if (len)
		iso[len - 1] = '\0'; /* the Z */
	snprintf(out, 48, "%s+00:00", iso);
}

/* .NET ticks (100 ns since 0001-01-01): what Graph's sequenceNumber holds. */
static json_int_t ticks(int64_t ms)
{
	return (json_int_t)(ms * 10000 + 621355968000000000LL);
}

static const char *resource_set(enum dobj_kind kind)
{
	return kind == DOBJ_USER ? "Users" : "Groups";
}

static json_t *render(const struct tenant *t, const struct subscription *s,
                      const struct agg *a)
{
	char resource[128], when[TIME_ISO_LEN], expiry[48];
	const json_t *cs = json_object_get(s->obj, "clientState");
	json_t *data, *out;

	snprintf(resource, sizeof(resource), "%s/%s", resource_set(a->kind), a->id);
	time_format(a->at_ms, TIME_FRACTION_Z, when);
	notify_time_offset(s->expires_ms, expiry);
	data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "@odata.type",
	                 a->kind == DOBJ_USER ? "#Microsoft.Graph.User"
	                                      : "#Microsoft.Graph.Group",
	                 "@odata.id", resource, "id", a->id, "organizationId", t->id,
	                 "eventTime", when, "sequenceNumber", ticks(a->at_ms));
	if (data && a->members)
		json_object_set(data, "members@delta", a->members);
	out = json_pack("{s:s, s:O, s:s, s:o, s:s, s:s, s:s}", "changeType",
	                a->deleted ? "deleted" : "updated", "clientState",
	                cs ? cs : json_null(), "resource", resource, "resourceData", data,
	                "subscriptionExpirationDateTime", expiry, "subscriptionId", s->id,
	                "tenantId", t->id);
	return out;
}

static struct agg *agg_for(struct agg **v, size_t *n, size_t *cap,
                           const struct subscription *s, const struct change *c)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].s == s && !strcmp((*v)[i].id, c->id))
			return &(*v)[i];
	if (*n == *cap) {
		size_t want = *cap ? *cap * 2 : 8;
		struct agg *grown = realloc(*v, want * sizeof(*grown));
		if (!grown)
			return NULL;
		*v = grown;
		*cap = want;
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].s = s;
	memcpy((*v)[*n].id, c->id, sizeof((*v)[*n].id));
	(*v)[*n].kind = c->kind;
	return &(*v)[(*n)++];
}

static bool is_member_op(enum change_op op)
{
	return op == CHANGE_MEMBER_ADDED || op == CHANGE_MEMBER_REMOVED;
}

/* Does @s hear of @c, and as which change type? */
static bool hears(const struct subscription *s, const struct change *c, bool *deleted)
{
	const struct sub_target *w = &s->target;

	*deleted = false;
	if (w->kind != c->kind || (w->id[0] && strcmp(w->id, c->id)))
		return false;
	if (is_member_op(c->op))
		return (s->changes & SUB_UPDATED) != 0;
	if (w->members)
		return false; /* a members subscription hears of memberships only */
	*deleted = c->op == CHANGE_PURGED;
	return (s->changes & (*deleted ? SUB_DELETED : SUB_UPDATED)) != 0;
}

/* One agg more: its change folded in. -1 on OOM. */
static int fold(struct agg *a, const struct change *c, bool deleted)
{
	a->deleted |= deleted;
	a->at_ms = c->at_ms;
	if (!is_member_op(c->op))
		return 0;
	if (!a->members)
		a->members = json_array();
	return json_array_append_new(
	    a->members,
	    c->op == CHANGE_MEMBER_ADDED
	        ? json_pack("{s:s}", "id", c->member_id)
	        : json_pack("{s:s, s:s}", "id", c->member_id, "@removed", "deleted"));
}

static void queue(struct notifier *n, const struct tenant *t, const struct agg *a)
{
	const char *url =
	    json_string_value(json_object_get(a->s->obj, "notificationUrl"));
	const char *life =
	    json_string_value(json_object_get(a->s->obj, "lifecycleNotificationUrl"));
	struct notify_item *it = calloc(1, sizeof(*it));

	if (it) {
		it->json = render(t, a->s, a);
		it->lifecycle_url = life ? strdup(life) : NULL;
	}
	if (it && it->json && url)
		notify_enqueue(n, t->id, url, false, it);
	else
		notify_item_free(it);
}

/*
 * One notification per (subscription, object) of the commit, in the order
 * the objects first changed in it, each with everything the commit did to
 * the object (a membership change carries members@delta).
 */
void notify_on_changes(void *ctx, struct state *st, struct tenant *t,
                       const struct change *v, size_t cnt)
{
	struct notifier *n = ctx;
	int64_t now = state_now_ms(st);
	struct agg *aggs = NULL;
	size_t naggs = 0, cap = 0;

	if (!t->subscriptions)
		return;
	for (size_t i = 0; i < cnt; i++)
		for (struct subscription *s = t->subscriptions; s; s = s->hh.next) {
			struct agg *a;
			bool deleted;

			if (now >= s->expires_ms || !hears(s, &v[i], &deleted))
				continue;
			a = agg_for(&aggs, &naggs, &cap, s, &v[i]);
			if (a)
				fold(a, &v[i], deleted);
		}
	for (size_t i = 0; i < naggs; i++) {
		queue(n, t, &aggs[i]);
		json_decref(aggs[i].members);
	}
	free(aggs);
}

json_t *notify_lifecycle_json(const char *sub_id, const char *expiry,
                              const char *tenant_id, const json_t *client_state,
                              const char *event)
{
	return json_pack("{s:s, s:s, s:s, s:O, s:s}", "subscriptionId", sub_id,
	                 "subscriptionExpirationDateTime", expiry, "tenantId", tenant_id,
	                 "clientState", client_state ? client_state : json_null(),
	                 "lifecycleEvent", event);
}

bool notify_lifecycle(struct notifier *n, struct tenant *t, const char *sub_id,
                      const char *event)
{
	char key[GUID_STR_LEN + 1], expiry[48];
	struct subscription *s;
	const char *url;
	struct notify_item *it;

	if (!guid_valid(sub_id))
		return false;
	guid_lower(sub_id, key);
	HASH_FIND_STR(t->subscriptions, key, s);
	url = s ? json_string_value(json_object_get(s->obj, "lifecycleNotificationUrl"))
	        : NULL;
	if (!url)
		return false;
	notify_time_offset(s->expires_ms, expiry);
	it = calloc(1, sizeof(*it));
	if (!it)
		return false;
	it->json = notify_lifecycle_json(s->id, expiry, t->id,
	                                 json_object_get(s->obj, "clientState"), event);
	if (!it->json) {
		notify_item_free(it);
		return false;
	}
	return notify_enqueue(n, t->id, url, true, it) == 0;
}

/* Near expiry (Graph: "When a subscription is about to expire"): once per expiry. */
static void scan_tenant(struct notifier *n, struct state *st, struct tenant *t)
{
	int64_t now = state_now_ms(st);

	state_subscriptions_expire(st, t);
	for (struct subscription *s = t->subscriptions; s; s = s->hh.next) {
		if (s->reauth_sent || now < s->expires_ms - NOTIFY_REAUTH_BEFORE_MS)
			continue;
		s->reauth_sent = true;
		notify_lifecycle(n, t, s->id, "reauthorizationRequired");
	}
}

void notify_scan(struct notifier *n)
{
	struct state *st = n->st;

	state_registry_read(st);
	for (struct tenant *t = st->tenants; t; t = t->hh.next) {
		state_tenant_lock(t);
		if (t->subscriptions)
			scan_tenant(n, st, t);
		state_tenant_unlock(t);
	}
	state_registry_unlock(st);
}
