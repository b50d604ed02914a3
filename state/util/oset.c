/*
 * state/util/oset.c - the skip list behind struct oset (oset.h): nodes one
 * level high with probability 3/4, two with 3/16, ...
 */
#include "oset.h"

#include <string.h>

#include "alloc.h"

static int cmp(const char *ka, uint64_t sa, const char *kb, uint64_t sb)
{
	/* Sets keyed by seq alone (NULL keys) never reach strcmp. */
	int c = ka == kb ? 0 : strcmp(ka ? ka : "", kb ? kb : "");

	if (c)
		return c;
	return (sa > sb) - (sa < sb);
}

static unsigned height(struct oset *s)
{
	unsigned h = 1;

	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	for (uint64_t r = s->rng; h < OSET_LEVELS && (r & 3) == 0; r >>= 2)
		h++;
	return h;
}

static int ensure_head(struct oset *s)
{
	if (s->head)
		return 0;
	s->head =
	    state_calloc(1, sizeof(*s->head) + OSET_LEVELS * sizeof(s->head->next[0]));
	if (!s->head)
		return -1;
	s->head->level = OSET_LEVELS;
	for (int l = 0; l < OSET_LEVELS; l++)
		s->tail[l] = s->head;
	s->level = 1;
	if (!s->rng)
		s->rng = 0x9e3779b97f4a7c15ULL ^ (uintptr_t)s;
	return 0;
}

void oset_release(struct oset *s)
{
	struct oset_node *n = s->head ? s->head->next[0] : NULL;

	while (n) {
		struct oset_node *next = n->next[0];
		state_free(n);
		n = next;
	}
	state_free(s->head);
	s->head = NULL;
	s->count = 0;
	s->level = 0;
}

/* The last node before (@key, @seq) on each level, into @prev. */
static void find_prev(const struct oset *s, const char *key, uint64_t seq,
                      struct oset_node **prev)
{
	struct oset_node *x = s->head;

	for (int l = (int)s->level - 1; l >= 0; l--) {
		while (x->next[l] && cmp(x->next[l]->key, x->next[l]->seq, key, seq) < 0)
			x = x->next[l];
		prev[l] = x;
	}
}

/* A node @h levels high with room for @key_bytes after its links. */
static struct oset_node *node_new(unsigned h, size_t key_bytes)
{
	return state_malloc(sizeof(struct oset_node) + h * sizeof(struct oset_node *) +
	                    key_bytes);
}

/* @n, made by node_new(), in its place for (@key, @seq). */
static void link_node(struct oset *s, struct oset_node *n, unsigned h, const char *key,
                      uint64_t seq, void *val)
{
	struct oset_node *prev[OSET_LEVELS];

	n->key = key;
	n->seq = seq;
	n->val = val;
	n->level = h;
	if (s->tail[0] == s->head ||
	    cmp(s->tail[0]->key, s->tail[0]->seq, key, seq) < 0) {
		/* after every entry: the tails are the nodes before it */
		for (unsigned l = 0; l < h; l++)
			prev[l] = s->tail[l];
	} else {
		find_prev(s, key, seq, prev);
		for (unsigned l = s->level; l < h; l++)
			prev[l] = s->head;
	}
	if (h > s->level)
		s->level = h;
	for (unsigned l = 0; l < h; l++) {
		n->next[l] = prev[l]->next[l];
		prev[l]->next[l] = n;
		if (!n->next[l])
			s->tail[l] = n;
	}
	s->count++;
}

int oset_insert(struct oset *s, const char *key, uint64_t seq, void *val)
{
	struct oset_node *n;
	unsigned h;

	if (ensure_head(s))
		return -1;
	h = height(s);
	n = node_new(h, 0);
	if (!n)
		return -1;
	link_node(s, n, h, key, seq, val);
	return 0;
}

int oset_insert_copy(struct oset *s, const char *key, uint64_t seq, void *val)
{
	size_t len = strlen(key ? key : "");
	struct oset_node *n;
	char *copy;
	unsigned h;

	if (ensure_head(s))
		return -1;
	h = height(s);
	n = node_new(h, len + 1);
	if (!n)
		return -1;
	copy = (char *)&n->next[h];
	memcpy(copy, key ? key : "", len + 1);
	link_node(s, n, h, copy, seq, val);
	return 0;
}

int oset_remove(struct oset *s, const char *key, uint64_t seq)
{
	struct oset_node *prev[OSET_LEVELS], *n;

	if (!s->head)
		return 1;
	find_prev(s, key, seq, prev);
	n = prev[0]->next[0];
	if (!n || cmp(n->key, n->seq, key, seq))
		return 1;
	for (unsigned l = 0; l < n->level; l++) {
		prev[l]->next[l] = n->next[l];
		if (s->tail[l] == n)
			s->tail[l] = prev[l];
	}
	while (s->level > 1 && !s->head->next[s->level - 1])
		s->level--;
	state_free(n);
	s->count--;
	return 0;
}

struct oset_node *oset_seek(const struct oset *s, const char *key, uint64_t seq)
{
	struct oset_node *prev[OSET_LEVELS];

	if (!s->head)
		return NULL;
	find_prev(s, key, seq, prev);
	return prev[0]->next[0];
}

struct oset_node *oset_first(const struct oset *s)
{
	return s->head ? s->head->next[0] : NULL;
}

struct oset_node *oset_last(const struct oset *s)
{
	return s->head && s->tail[0] != s->head ? s->tail[0] : NULL;
}

struct oset_node *oset_before(const struct oset *s, const char *key, uint64_t seq)
{
	struct oset_node *prev[OSET_LEVELS];

	if (!s->head)
		return NULL;
	find_prev(s, key, seq, prev);
	return prev[0] == s->head ? NULL : prev[0];
}
