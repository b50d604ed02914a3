/*
 * state/usage.c - the permission report of state/usage.h, kept as JSON
 * objects used as insertion-ordered sets.
 */
#include "usage.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

static struct usage_client *client_get(struct state *st, const char *client_id,
                                       const char *tenant_id, bool delegated)
{
	const char *kind = delegated ? "delegated" : "application";
	struct usage_client *c;
	size_t len = strlen(client_id) + strlen(tenant_id) + strlen(kind) + 3;
	char *key = state_malloc(len);

	if (!key)
		return NULL;
	snprintf(key, len, "%s|%s|%s", tenant_id, client_id, kind);
	HASH_FIND_STR(st->usage, key, c);
	if (c || HASH_COUNT(st->usage) >= USAGE_MAX_CLIENTS) {
		state_free(key);
		return c;
	}
	c = state_calloc(1, sizeof(*c));
	if (c)
		c->entry =
		    json_pack("{s:s, s:s, s:s, s:{}, s:{}, s:{}, s:{}}", "clientId",
		              client_id, "tenantId", tenant_id, "tokenType", kind,
		              "needed", "granted", "missing", "calls");
	if (!c || !c->entry) {
		if (c)
			state_free(c);
		state_free(key);
		return NULL;
	}
	c->key = key;
	HASH_ADD_KEYPTR(hh, st->usage, c->key, strlen(c->key), c);
	return c;
}

static void record_call(json_t *calls, const char *method, const char *route,
                        const char *const *needed)
{
	char name[300];
	json_t *call, *list;

	snprintf(name, sizeof(name), "%s %s", method, route);
	call = json_object_get(calls, name);
	if (call) {
		json_object_set_new(
		    call, "count",
		    json_integer(json_integer_value(json_object_get(call, "count")) + 1));
		return;
	}
	if (json_object_size(calls) >= USAGE_MAX_CALLS)
		return;
	list = json_array();
	for (size_t i = 0; needed[i]; i++)
		json_array_append_new(list, json_string(needed[i]));
	json_object_set_new(calls, name,
	                    json_pack("{s:s, s:s, s:o, s:i}", "method", method, "route",
	                              route, "needed", list, "count", 1));
}

void state_usage_record(struct state *st, const char *client_id, const char *tenant_id,
                        bool delegated, const char *method, const char *route,
                        const char *const *needed, const json_t *granted, bool refused)
{
	struct usage_client *c;
	json_t *set;
	size_t i;
	json_t *g;

	pthread_mutex_lock(&st->usage_lock);
	c = client_get(st, client_id, tenant_id, delegated);
	if (c) {
		set = json_object_get(c->entry, "needed");
		for (i = 0; needed[i]; i++)
			json_object_set_new(set, needed[i], json_true());
		set = json_object_get(c->entry, "granted");
		json_array_foreach(granted, i, g)
		{
			if (json_is_string(g))
				json_object_set_new(set, json_string_value(g),
				                    json_true());
		}
		if (refused) {
			set = json_object_get(c->entry, "missing");
			for (i = 0; needed[i]; i++)
				json_object_set_new(set, needed[i], json_true());
		}
		record_call(json_object_get(c->entry, "calls"), method, route, needed);
	}
	pthread_mutex_unlock(&st->usage_lock);
}

/* Does set @set hold @perm, itself or as the "X.ReadWrite.Y" that grants "X.Read.Y"? */
static bool held(const json_t *set, const char *perm)
{
	const char *dot = strstr(perm, ".Read.");
	char rw[160];

	if (json_object_get(set, perm))
		return true;
	if (!dot)
		return false;
	snprintf(rw, sizeof(rw), "%.*s.ReadWrite.%s", (int)(dot - perm), perm, dot + 6);
	return json_object_get(set, rw) != NULL;
}

/* The keys of set @a, as an array; with @b, only those @b does not hold. */
static json_t *keys(const json_t *a, const json_t *b)
{
	json_t *out = json_array();
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)a, k, v)
	{
		if (!b || !held(b, k))
			json_array_append_new(out, json_string(k));
	}
	return out;
}

/* What @granted holds that no call needed (exact names). */
static json_t *unneeded(const json_t *granted, const json_t *needed)
{
	json_t *out = json_array();
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)granted, k, v)
	{
		if (!json_object_get(needed, k))
			json_array_append_new(out, json_string(k));
	}
	return out;
}

json_t *state_usage_report(struct state *st)
{
	json_t *list = json_array();
	struct usage_client *c;

	pthread_mutex_lock(&st->usage_lock);
	for (c = st->usage; c && list; c = c->hh.next) {
		const json_t *needed = json_object_get(c->entry, "needed");
		const json_t *granted = json_object_get(c->entry, "granted");
		json_t *calls = json_array(), *call;
		const char *k;

		json_object_foreach(json_object_get(c->entry, "calls"), k, call)
		    json_array_append(calls, call);
		json_array_append_new(
		    list,
		    json_pack("{s:O, s:O, s:O, s:o, s:o, s:o, s:o, s:o}", "clientId",
		              json_object_get(c->entry, "clientId"), "tenantId",
		              json_object_get(c->entry, "tenantId"), "tokenType",
		              json_object_get(c->entry, "tokenType"), "needed",
		              keys(needed, NULL), "granted", keys(granted, NULL),
		              "overConsented", unneeded(granted, needed), "missing",
		              keys(json_object_get(c->entry, "missing"), granted),
		              "calls", calls));
	}
	/* copied under the lock: nothing stored leaves it shared */
	{
		json_t *copy = json_deep_copy(list);
		json_decref(list);
		list = copy;
	}
	pthread_mutex_unlock(&st->usage_lock);
	return json_pack("{s:o}", "value", list ? list : json_array());
}

void state_usage_clear(struct state *st)
{
	struct usage_client *c, *tmp;

	pthread_mutex_lock(&st->usage_lock);
	HASH_ITER(hh, st->usage, c, tmp)
	{
		HASH_DEL(st->usage, c);
		state_free(c->key);
		json_decref(c->entry);
		state_free(c);
	}
	pthread_mutex_unlock(&st->usage_lock);
}
