/*
 * state/util/keyset.c - keys met, by object, in one open-addressed table
 * whose slots carry the round that filled them (see keyset.h).
 */
#include "keyset.h"

#include <string.h>

#include "alloc.h"
#include "hash.h"

struct keyset_slot {
	uint32_t round; /* filled in this round, else free */
	uint32_t object;
	uint32_t hash;
	uint32_t len;
	size_t at; /* the key's bytes: ks->bytes + at */
};

/* Slots at first: a user's text has a few dozen keys in all. */
#define FIRST_SLOTS 128

void keyset_init(struct keyset *ks)
{
	memset(ks, 0, sizeof(*ks));
	ks->round = 1;
}

void keyset_free(struct keyset *ks)
{
	state_free(ks->slots);
	state_free(ks->bytes);
	keyset_init(ks);
}

void keyset_forget(struct keyset *ks)
{
	ks->used = 0;
	ks->bytes_len = 0;
	if (++ks->round == 0) { /* wrapped: old slots would look current */
		memset(ks->slots, 0, ks->cap * sizeof(*ks->slots));
		ks->round = 1;
	}
}

static uint32_t key_hash(uint32_t object, const char *key, size_t len)
{
	uint32_t h;

	HASH_JEN(key, len, h);
	return h ^ (object * 0x9e3779b1u);
}

/* The slot holding @object's @key, or the free slot where it would go. */
static struct keyset_slot *slot_for(const struct keyset *ks, uint32_t object,
                                    uint32_t hash, const char *key, size_t len)
{
	size_t mask = ks->cap - 1;

	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		struct keyset_slot *s = &ks->slots[i];

		if (s->round != ks->round)
			return s;
		if (s->hash == hash && s->object == object && s->len == len &&
		    !memcmp(ks->bytes + s->at, key, len))
			return s;
	}
}

/* Twice the slots, this round's keys moved over. */
static int grow_slots(struct keyset *ks)
{
	size_t cap = ks->cap ? 2 * ks->cap : FIRST_SLOTS;
	struct keyset_slot *old = ks->slots;
	size_t old_cap = ks->cap;
	struct keyset_slot *slots = state_calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	ks->slots = slots;
	ks->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].round == ks->round)
			*slot_for(ks, old[i].object, old[i].hash, ks->bytes + old[i].at,
			          old[i].len) = old[i];
	state_free(old);
	return 0;
}

static int keep_bytes(struct keyset *ks, const char *key, size_t len)
{
	if (!ks->bytes || len > ks->bytes_cap - ks->bytes_len) {
		size_t cap = ks->bytes_cap ? ks->bytes_cap : 1024;
		char *bytes;

		while (cap - ks->bytes_len < len)
			cap *= 2;
		bytes = state_realloc(ks->bytes, cap);
		if (!bytes)
			return -1;
		ks->bytes = bytes;
		ks->bytes_cap = cap;
	}
	memcpy(ks->bytes + ks->bytes_len, key, len);
	ks->bytes_len += len;
	return 0;
}

int keyset_add(struct keyset *ks, uint32_t object, const char *key, size_t len)
{
	uint32_t hash = key_hash(object, key, len);
	struct keyset_slot *s;

	if (len > UINT32_MAX)
		return -1;
	/* at most half full, so a probe ends soon */
	if (2 * (ks->used + 1) > ks->cap && grow_slots(ks))
		return -1;
	s = slot_for(ks, object, hash, key, len);
	if (s->round == ks->round)
		return 0;
	if (keep_bytes(ks, key, len))
		return -1;
	*s = (struct keyset_slot){ks->round, object, hash, (uint32_t)len,
	                          ks->bytes_len - len};
	ks->used++;
	return 1;
}
