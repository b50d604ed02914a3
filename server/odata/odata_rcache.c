/*
 * server/odata/odata_rcache.c - the render cache of odata_rcache.h: a
 * direct-mapped table per thread of the last text written for each object.
 */
#include "odata_rcache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "odata.h"

/* A page of 999 users cycles through more slots than this: each then costs
 * a copy on top of its writing, as a table of any bounded size would. */
#define SLOTS_LOG2 9
#define SLOTS      (1u << SLOTS_LOG2)

struct slot {
	const void *key;
	uint64_t gen;
	const void *entity;
	char *text;
	size_t len, cap;
};

struct rcache {
	struct slot slot[SLOTS];
};

bool odata_render_check;

/* The thread's table; the key's destructor frees it with its thread. */
static _Thread_local struct rcache *mine;
static pthread_key_t rcache_key;
static pthread_once_t rcache_once = PTHREAD_ONCE_INIT;
static bool rcache_key_ok;

static void rcache_free(void *p)
{
	struct rcache *c = p;

	for (size_t i = 0; i < SLOTS; i++)
		free(c->slot[i].text);
	free(c);
}

static void rcache_init(void)
{
	rcache_key_ok = !pthread_key_create(&rcache_key, rcache_free);
}

static struct rcache *table(void)
{
	if (mine)
		return mine;
	pthread_once(&rcache_once, rcache_init);
	if (!rcache_key_ok)
		return NULL;
	mine = calloc(1, sizeof(*mine));
	if (mine && pthread_setspecific(rcache_key, mine)) {
		free(mine);
		mine = NULL;
	}
	return mine;
}

/* Objects are heap blocks some hundred bytes apart: Fibonacci hashing
 * spreads their addresses over the slots. */
static struct slot *slot_of(struct rcache *c, const void *key)
{
	uint64_t h = (uint64_t)(uintptr_t)key * UINT64_C(0x9E3779B97F4A7C15);

	return &c->slot[h >> (64 - SLOTS_LOG2)];
}

const char *odata_rcache_find(const struct odata_tag *tag, const void *entity,
                              size_t *len)
{
	struct slot *s;

	if (!tag->gen || !mine)
		return NULL;
	s = slot_of(mine, tag->key);
	if (s->key != tag->key || s->gen != tag->gen || s->entity != entity)
		return NULL;
	*len = s->len;
	return s->text;
}

void odata_rcache_put(const struct odata_tag *tag, const void *entity, const char *text,
                      size_t len)
{
	struct rcache *c;
	struct slot *s;

	if (!tag->gen || len > ODATA_RCACHE_TEXT_MAX)
		return;
	c = table();
	if (!c)
		return;
	s = slot_of(c, tag->key);
	s->key = NULL; /* matches nothing until it holds the new text */
	if (s->cap < len) {
		size_t cap = len < 512 ? 512 : len;
		char *grown = realloc(s->text, cap);

		if (!grown)
			return;
		s->text = grown;
		s->cap = cap;
	}
	memcpy(s->text, text, len);
	s->len = len;
	s->key = tag->key;
	s->gen = tag->gen;
	s->entity = entity;
}
