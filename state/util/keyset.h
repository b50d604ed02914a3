/*
 * state/util/keyset.h - the keys already met in the objects of one piece of
 * JSON text, to find a duplicate without building the objects: the parser
 * checks a user it keeps as text this way (state/util/jparse.c), since
 * building its tree only to refuse a repeated key cost most of the parse.
 * Keys are copied in (a parser's key buffer is reused); forgetting them all
 * is O(1), so one set serves a million small texts. Leaf code.
 */
#ifndef GRAPHMOCK_STATE_UTIL_KEYSET_H
#define GRAPHMOCK_STATE_UTIL_KEYSET_H

#include <stddef.h>
#include <stdint.h>

struct keyset_slot;

struct keyset {
	struct keyset_slot *slots; /* open addressing, a power of two of them */
	size_t cap;                /* slots */
	size_t used;               /* slots holding a key of this round */
	char *bytes;               /* the keys of this round, one after another */
	size_t bytes_len, bytes_cap;
	uint32_t round; /* a slot is taken when its round is this one */
};

/* keyset_init() - an empty set; keyset_free() releases it. */
void keyset_init(struct keyset *ks);
void keyset_free(struct keyset *ks);

/* keyset_forget() - every key added so far is forgotten (the next text). */
void keyset_forget(struct keyset *ks);

/*
 * keyset_add() - add the key of @len bytes at @key (NUL may be inside) of
 * the object numbered @object (each object of the text has its own keys).
 * Returns: 1 added, 0 when that object has the key already, -1 out of
 * memory.
 */
int keyset_add(struct keyset *ks, uint32_t object, const char *key, size_t len);

#endif
