/*
 * server/faults/throttle.c - token buckets and Retry-After deadlines in one small
 * hash table. The table is capped: past THROTTLE_MAX_ENTRIES it is emptied,
 * which only forgives clients (buckets restart full).
 */
#include "throttle.h"

#include <string.h>

#include "../../state/util/hash.h"

#define THROTTLE_MAX_ENTRIES 100000

struct throttle_entry {
	char *key;
	double tokens;
	int64_t updated_ms;
	int64_t deadline_ms;
	UT_hash_handle hh;
};

void throttle_init(struct throttle *t)
{
	t->entries = NULL;
	t->count = 0;
}

static void entry_free(struct throttle *t, struct throttle_entry *en)
{
	HASH_DEL(t->entries, en);
	free(en->key);
	free(en);
	t->count--;
}

void throttle_release(struct throttle *t)
{
	struct throttle_entry *en, *tmp;

	HASH_ITER(hh, t->entries, en, tmp) entry_free(t, en);
}

/* The entry for @key, created (zeroed) when missing; NULL on OOM. */
static struct throttle_entry *entry_get(struct throttle *t, const char *key,
                                        bool *created)
{
	struct throttle_entry *en, *check;

	*created = false;
	HASH_FIND_STR(t->entries, key, en);
	if (en)
		return en;
	if (t->count >= THROTTLE_MAX_ENTRIES)
		throttle_release(t);
	en = calloc(1, sizeof(*en));
	if (!en)
		return NULL;
	en->key = strdup(key);
	if (!en->key) {
		free(en);
		return NULL;
	}
	HASH_ADD_KEYPTR(hh, t->entries, en->key, strlen(en->key), en);
	HASH_FIND_STR(t->entries, key, check);
	if (check != en) {
		free(en->key);
		free(en);
		return NULL;
	}
	t->count++;
	*created = true;
	return en;
}

int64_t throttle_take(struct throttle *t, const char *key, const struct throttle_spec *s,
                      int64_t now_ms)
{
	double rate = (double)s->limit / (double)s->window_ms; /* tokens per ms */
	struct throttle_entry *en;
	bool created;
	int64_t wait;

	en = entry_get(t, key, &created);
	if (!en)
		return 0;
	if (created) {
		en->tokens = (double)s->limit;
		en->updated_ms = now_ms;
	}
	if (now_ms > en->updated_ms) {
		en->tokens += (double)(now_ms - en->updated_ms) * rate;
		if (en->tokens > (double)s->limit)
			en->tokens = (double)s->limit;
		en->updated_ms = now_ms;
	}
	if (en->tokens >= 1.0) {
		en->tokens -= 1.0;
		return 0;
	}
	wait = (int64_t)((1.0 - en->tokens) / rate + 0.999);
	return wait > 0 ? wait : 1;
}

void throttle_set_deadline(struct throttle *t, const char *key, int64_t until_ms)
{
	bool created;
	struct throttle_entry *en = entry_get(t, key, &created);

	if (en)
		en->deadline_ms = until_ms;
}

bool throttle_early(const struct throttle *t, const char *key, int64_t now_ms)
{
	struct throttle_entry *en;

	HASH_FIND_STR(t->entries, key, en);
	return en && now_ms < en->deadline_ms;
}

void throttle_forget(struct throttle *t, const char *prefix)
{
	struct throttle_entry *en, *tmp;
	size_t n = strlen(prefix);

	HASH_ITER(hh, t->entries, en, tmp)
	{
		if (!strncmp(en->key, prefix, n))
			entry_free(t, en);
	}
}
