/*
 * routes/graph/member_walk.h - transitive membership: every group an object is in
 * through nested groups, and every object inside a group through nested
 * groups. Membership may contain cycles (A in B, B in A); every walk keeps a
 * visited set, so it ends and lists each object once.
 * Locking: caller holds st->lock; the listed pointers are borrowed.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_MEMBER_WALK_H
#define GRAPHMOCK_ROUTES_GRAPH_MEMBER_WALK_H

#include <stdbool.h>
#include <stddef.h>

struct state;
struct dobj;

/* A growable list of borrowed objects. */
struct dobj_list {
	struct dobj **v;
	size_t n, cap;
};

/* dobj_list_push() - append @d. Returns 0, or -1 on OOM. */
int dobj_list_push(struct dobj_list *l, struct dobj *d);

/* dobj_list_release() - free the array (not the objects). */
void dobj_list_release(struct dobj_list *l);

/*
 * member_walk_up() - every visible group that @d is a member of, directly or
 * through nested groups, breadth first, each once, never @d itself.
 * Returns 0, or -1 on OOM (@out is then released).
 */
int member_walk_up(struct state *st, struct dobj *d, struct dobj_list *out);

/*
 * member_walk_down() - every visible object inside group @g, directly or
 * through nested groups, breadth first, each once, never @g itself.
 * Returns 0, or -1 on OOM (@out is then released).
 */
int member_walk_down(struct state *st, struct dobj *g, struct dobj_list *out);

/* member_walk_sort() - order @l by insertion sequence (Graph's default order). */
void member_walk_sort(struct dobj_list *l);

#endif
