/*
 * state/subscription.c - the subscriptions of a tenant (subscription.h),
 * their expiry on the mock clock, export and import, and the tenant's
 * clock-driven housekeeping.
 */
#include "subscription.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "changelog.h"
#include "deleted.h"

int state_subscription_target(const char *resource, struct sub_target *out)
{
	char seg[3][64];
	const char *p = resource;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (!p)
		return -1;
	if (*p == '/')
		p++;
	/* at most three non-empty segments */
	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (n == 3 || !len || len >= sizeof(seg[n]) || (end && !end[1]))
			return -1;
		memcpy(seg[n], p, len);
		seg[n++][len] = '\0';
		p += len + (end ? 1 : 0);
	}
	if (n == 0)
		return -1;
	if (!strcasecmp(seg[0], "users"))
		out->kind = DOBJ_USER;
	else if (!strcasecmp(seg[0], "groups"))
		out->kind = DOBJ_GROUP;
	else
		return -1;
	if (n >= 2) {
		if (!guid_valid(seg[1]))
			return -1;
		guid_lower(seg[1], out->id);
	}
	if (n == 3) {
		if (out->kind != DOBJ_GROUP || strcasecmp(seg[2], "members"))
			return -1;
		out->members = true;
	}
	return 0;
}

unsigned state_subscription_changes(const char *s)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {
	    {"created", SUB_CREATED}, {"updated", SUB_UPDATED}, {"deleted", SUB_DELETED}};
	unsigned bits = 0;

	while (s && *s) {
		const char *end = strchr(s, ',');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		size_t i;

		for (i = 0; i < 3; i++)
			if (strlen(names[i].name) == len &&
			    !strncmp(names[i].name, s, len))
				break;
		if (i == 3)
			return 0;
		bits |= names[i].bit;
		s = end ? end + 1 : s + len;
		if (end && !*s)
			return 0; /* a trailing comma */
	}
	return bits;
}

static void sub_free(struct subscription *s)
{
	json_decref(s->obj);
	state_free(s);
}

struct subscription *state_subscription_add(struct state *st, struct tenant *t,
                                            json_t *obj)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	struct subscription *s = NULL, *check;
	char key[GUID_STR_LEN + 1];

	if (!id || !guid_valid(id))
		goto out_release;
	guid_lower(id, key);
	HASH_FIND_STR(t->subscriptions, key, check);
	if (check)
		goto out_release;
	s = state_calloc(1, sizeof(*s));
	if (!s)
		goto out_release;
	memcpy(s->id, key, sizeof(s->id));
	s->obj = obj;
	s->changes = state_subscription_changes(
	    json_string_value(json_object_get(obj, "changeType")));
	if (!s->changes ||
	    state_subscription_target(json_string_value(json_object_get(obj, "resource")),
	                              &s->target) ||
	    time_parse_iso(json_string_value(json_object_get(obj, "expirationDateTime")),
	                   &s->expires_ms))
		goto out_free;
	s->seq = state_next_seq(st);
	HASH_ADD_STR(t->subscriptions, id, s);
	HASH_FIND_STR(t->subscriptions, s->id, check);
	if (check != s)
		goto out_free;
	return s;

out_free:
	sub_free(s);
	return NULL;
out_release:
	json_decref(obj);
	return NULL;
}

struct subscription *state_subscription_find(struct state *st, struct tenant *t,
                                             const char *id)
{
	char key[GUID_STR_LEN + 1];
	struct subscription *s;

	if (!id || !guid_valid(id))
		return NULL;
	guid_lower(id, key);
	HASH_FIND_STR(t->subscriptions, key, s);
	if (s && state_now_ms(st) >= s->expires_ms)
		return NULL; /* expired: gone for Graph, removed at the next tick */
	return s;
}

int state_subscription_set_expiry(struct subscription *s, int64_t ms)
{
	char when[TIME_ISO_LEN];

	time_format(ms, TIME_FRACTION_Z, when);
	if (json_object_set_new(s->obj, "expirationDateTime", json_string(when)))
		return -1;
	s->expires_ms = ms;
	s->reauth_sent = false;
	return 0;
}

void state_subscription_remove(struct tenant *t, struct subscription *s)
{
	HASH_DEL(t->subscriptions, s);
	sub_free(s);
}

void state_subscriptions_expire(struct state *st, struct tenant *t)
{
	struct subscription *s, *tmp;
	int64_t now;

	if (!t->subscriptions)
		return;
	now = state_now_ms(st);
	HASH_ITER(hh, t->subscriptions, s, tmp)
	{
		if (now >= s->expires_ms)
			state_subscription_remove(t, s);
	}
}

void state_subscriptions_clear(struct tenant *t)
{
	struct subscription *s, *tmp;

	HASH_ITER(hh, t->subscriptions, s, tmp)
	{
		state_subscription_remove(t, s);
	}
}

json_t *state_subscriptions_export(const struct tenant *t)
{
	json_t *arr = json_array();

	for (const struct subscription *s = t->subscriptions; arr && s; s = s->hh.next)
		if (json_array_append_new(arr, json_pack("{s:O, s:b}", "subscription",
		                                         s->obj, "reauthorizationSent",
		                                         s->reauth_sent))) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

int state_subscriptions_load(struct state *st, struct tenant *t, const json_t *arr,
                             const char *path, char *err, size_t errlen)
{
	size_t i;
	json_t *j;

	if (!arr)
		return 0;
	if (!json_is_array(arr)) {
		snprintf(err, errlen, "%s.subscriptions: must be an array", path);
		return -1;
	}
	json_array_foreach(arr, i, j)
	{
		const json_t *obj = json_object_get(j, "subscription");
		struct subscription *s;

		s = json_is_object(obj)
		        ? state_subscription_add(st, t, json_deep_copy(obj))
		        : NULL;
		if (!s) {
			snprintf(
			    err, errlen,
			    "%s.subscriptions[%zu].subscription: needs a GUID \"id\", "
			    "a \"resource\" graphmock watches, a \"changeType\" and an "
			    "\"expirationDateTime\" (unique id)",
			    path, i);
			return -1;
		}
		s->reauth_sent = json_is_true(json_object_get(j, "reauthorizationSent"));
	}
	return 0;
}

void state_tenant_tick(struct state *st, struct tenant *t)
{
	state_deleted_expire(st, t);
	state_changelog_expire(st, t);
	state_subscriptions_expire(st, t);
}
