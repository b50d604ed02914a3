/*
 * state/util/oset.h - an ordered set of (key, seq) -> value: a skip list, so
 * insert, remove and seek cost O(log n) and walking on from any point costs
 * O(1) a step. The store keeps its paging orders in them: objects of a kind
 * by insertion (seq), by display name, a group's members by their seq.
 * Keys are borrowed (but see oset_insert_copy()): the caller keeps each key
 * alive and unchanged while its entry is in the set (remove, change, insert
 * again). A NULL key sorts as "".
 * Not thread-safe: the tenant lock guards it like everything in a tenant.
 */
#ifndef GRAPHMOCK_STATE_UTIL_OSET_H
#define GRAPHMOCK_STATE_UTIL_OSET_H

#include <stddef.h>
#include <stdint.h>

#define OSET_LEVELS 16

struct oset_node {
	const char *key; /* borrowed */
	uint64_t seq;
	void *val;
	unsigned level;
	struct oset_node *next[]; /* @level of them */
};

struct oset {
	struct oset_node *head; /* a sentinel with OSET_LEVELS links; NULL while empty */
	/* The last node on each level (@head when the level is empty): an entry
	 * after every other one, as the seq orders always get, goes in at O(1). */
	struct oset_node *tail[OSET_LEVELS];
	size_t count;
	unsigned level;
	uint64_t rng; /* node heights; any stream does */
};

/* oset_release() - free every node (not keys nor values); the set is empty again. */
void oset_release(struct oset *s);

/* oset_insert() - add (@key, @seq) -> @val. 0, or -1 on OOM (nothing changed). */
int oset_insert(struct oset *s, const char *key, uint64_t seq, void *val);

/*
 * oset_insert_copy() - the same with a copy of @key kept in the entry (and
 * freed with it) instead of @key itself: for keys nothing else holds.
 */
int oset_insert_copy(struct oset *s, const char *key, uint64_t seq, void *val);

/* oset_remove() - drop (@key, @seq). Returns 0, or 1 when it was not there. */
int oset_remove(struct oset *s, const char *key, uint64_t seq);

/* oset_seek() - the first node at or after (@key, @seq), or NULL. Borrowed. */
struct oset_node *oset_seek(const struct oset *s, const char *key, uint64_t seq);

/* oset_first() - the first node, or NULL. Borrowed. */
struct oset_node *oset_first(const struct oset *s);

/* oset_last() - the last node, or NULL. Borrowed. O(1). */
struct oset_node *oset_last(const struct oset *s);

/*
 * oset_before() - the last node before (@key, @seq), or NULL. Borrowed.
 * O(log n): with it a walk goes backwards without a link back in every node.
 */
struct oset_node *oset_before(const struct oset *s, const char *key, uint64_t seq);

/* oset_next() - the node after @n, or NULL. */
#define oset_next(n) ((n)->next[0])

#endif
