/*
 * state/grant.c - the sign-in records of state/grant.h: a hash by key, a
 * scan for user codes (GRANT_MAX bounds it), pruning on insert.
 */
#include "grant.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"

static void grant_free(struct grant *g)
{
	state_free(g->key);
	json_decref(g->data);
	state_free(g);
}

/* Drop records expired more than GRANT_KEEP_MS ago. Lock held. */
static void prune(struct state *st, int64_t now_ms)
{
	struct grant *g, *tmp;

	HASH_ITER(hh, st->grants, g, tmp)
	{
		if (g->expires_ms + GRANT_KEEP_MS < now_ms) {
			HASH_DEL(st->grants, g);
			st->ngrants--;
			grant_free(g);
		}
	}
}

int state_grant_put(struct state *st, enum grant_kind kind, const char *key,
                    const char *user_code, int64_t expires_ms, json_t *data)
{
	struct grant *g = state_calloc(1, sizeof(*g)), *dup;
	int rc = -1;

	if (!g || !data || !(g->key = state_strdup(key))) {
		json_decref(data);
		if (g)
			state_free(g);
		return -1;
	}
	g->kind = kind;
	g->expires_ms = expires_ms;
	g->data = data;
	if (user_code)
		snprintf(g->user_code, sizeof(g->user_code), "%s", user_code);
	pthread_mutex_lock(&st->grant_lock);
	prune(st, state_now_ms(st));
	HASH_FIND_STR(st->grants, g->key, dup);
	if (!dup && st->ngrants < GRANT_MAX) {
		HASH_ADD_KEYPTR(hh, st->grants, g->key, strlen(g->key), g);
		HASH_FIND_STR(st->grants, key, dup);
		if (dup == g) {
			st->ngrants++;
			rc = 0;
		}
	}
	pthread_mutex_unlock(&st->grant_lock);
	if (rc)
		grant_free(g);
	return rc;
}

static struct grant *find(struct state *st, enum grant_kind kind, const char *key)
{
	struct grant *g = NULL;

	if (key)
		HASH_FIND_STR(st->grants, key, g);
	return g && g->kind == kind ? g : NULL;
}

json_t *state_grant_get(struct state *st, enum grant_kind kind, const char *key,
                        int64_t *expires_ms)
{
	struct grant *g;
	json_t *copy = NULL;

	pthread_mutex_lock(&st->grant_lock);
	g = find(st, kind, key);
	if (g) {
		copy = json_deep_copy(g->data);
		*expires_ms = g->expires_ms;
	}
	pthread_mutex_unlock(&st->grant_lock);
	return copy;
}

json_t *state_grant_by_user_code(struct state *st, const char *user_code,
                                 int64_t *expires_ms, char *key_out, size_t key_len)
{
	struct grant *g;
	json_t *copy = NULL;

	if (!user_code || !*user_code)
		return NULL;
	pthread_mutex_lock(&st->grant_lock);
	for (g = st->grants; g && !copy; g = g->hh.next) {
		if (g->kind != GRANT_DEVICE || strcasecmp(g->user_code, user_code))
			continue;
		copy = json_deep_copy(g->data);
		*expires_ms = g->expires_ms;
		snprintf(key_out, key_len, "%s", g->key);
	}
	pthread_mutex_unlock(&st->grant_lock);
	return copy;
}

int state_grant_update(struct state *st, enum grant_kind kind, const char *key,
                       const char *field, const char *expected, const json_t *patch)
{
	struct grant *g;
	const char *now;
	int rc = -1;

	pthread_mutex_lock(&st->grant_lock);
	g = find(st, kind, key);
	if (g) {
		now = field ? json_string_value(json_object_get(g->data, field)) : NULL;
		json_t *copy = json_deep_copy(patch); /* nothing of the caller's stays */
		if (field && (!now || strcmp(now, expected)))
			rc = 1;
		else
			rc = !copy || json_object_update(g->data, copy) ? -1 : 0;
		json_decref(copy);
	}
	pthread_mutex_unlock(&st->grant_lock);
	return rc;
}

void state_grants_clear(struct state *st)
{
	struct grant *g, *tmp;

	pthread_mutex_lock(&st->grant_lock);
	HASH_ITER(hh, st->grants, g, tmp)
	{
		HASH_DEL(st->grants, g);
		grant_free(g);
	}
	st->ngrants = 0;
	pthread_mutex_unlock(&st->grant_lock);
}
