/*
 * routes/graph/member_walk.c - breadth-first walks over membership edges with a
 * visited set (a pointer hash), so cycles end.
 */
#include "member_walk.h"

#include <stdlib.h>

#include "../../state/state.h"

struct seen {
	const struct dobj *d;
	UT_hash_handle hh;
};

int dobj_list_push(struct dobj_list *l, struct dobj *d)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct dobj **grown = realloc(l->v, cap * sizeof(*grown));

		if (!grown)
			return -1;
		l->v = grown;
		l->cap = cap;
	}
	l->v[l->n++] = d;
	return 0;
}

void dobj_list_release(struct dobj_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static void seen_free(struct seen **set)
{
	struct seen *s, *tmp;

	HASH_ITER(hh, *set, s, tmp)
	{
		HASH_DEL(*set, s);
		free(s);
	}
}

/* 1 when @d was already seen, 0 when it was just added, -1 on OOM. */
static int seen_add(struct seen **set, const struct dobj *d)
{
	struct seen *s, *check;

	HASH_FIND_PTR(*set, &d, s);
	if (s)
		return 1;
	s = malloc(sizeof(*s));
	if (!s)
		return -1;
	s->d = d;
	HASH_ADD_PTR(*set, d, s);
	HASH_FIND_PTR(*set, &d, check);
	if (check != s) {
		free(s);
		return -1;
	}
	return 0;
}

/* @up: follow member_of edges; else follow members edges. */
static int walk(struct state *st, struct dobj *start, bool up, struct dobj_list *out)
{
	struct seen *set = NULL;
	size_t next = 0;

	out->v = NULL;
	out->n = out->cap = 0;
	if (seen_add(&set, start) < 0)
		goto out_oom;
	/* @out doubles as the BFS queue: entries before @next are expanded. */
	for (struct dobj *cur = start; cur; cur = next < out->n ? out->v[next++] : NULL) {
		struct dobj_link *edges = up ? cur->member_of : cur->members;
		struct dobj_link *l, *tmp;

		HASH_ITER(hh, edges, l, tmp)
		{
			int rc;

			if (!state_dobj_visible(st, l->obj))
				continue;
			rc = seen_add(&set, l->obj);
			if (rc < 0 || (rc == 0 && dobj_list_push(out, l->obj)))
				goto out_oom;
		}
	}
	seen_free(&set);
	return 0;

out_oom:
	seen_free(&set);
	dobj_list_release(out);
	return -1;
}

int member_walk_up(struct state *st, struct dobj *d, struct dobj_list *out)
{
	return walk(st, d, true, out);
}

int member_walk_down(struct state *st, struct dobj *g, struct dobj_list *out)
{
	return walk(st, g, false, out);
}

static int by_seq(const void *a, const void *b)
{
	const struct dobj *x = *(struct dobj *const *)a, *y = *(struct dobj *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void member_walk_sort(struct dobj_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), by_seq);
}
