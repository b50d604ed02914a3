/*
 * state/rewind.c - the record of what changed in a tenant since it was
 * built, and putting it back (see rewind.h).
 */
#include "rewind.h"

#include <string.h>

#include "changelog.h"
#include "deleted.h"
#include "util/jcopy.h"

/* An object noted: what it held at the build, or "made since". */
struct rewind_obj {
	char id[GUID_STR_LEN + 1];
	enum dobj_kind kind;
	bool made;      /* made after the build: dropped by the rewind */
	uint64_t seq;   /* its place at the build */
	json_t *frozen; /* its text then (shared with the fixture document), */
	json_t *props;  /* else a copy of its properties then */
	UT_hash_handle hh;
};

enum rewind_op { MEMBER_ADDED, MEMBER_REMOVED, ASG_ADDED, ASG_REMOVED };

/* An edge change, undone newest first. */
struct rewind_edge {
	enum rewind_op op;
	char group[GUID_STR_LEN + 1];
	char member[GUID_STR_LEN + 1];
	char asg_id[sizeof(((struct assignment *)0)->id)];
	struct assignment *asg; /* ASG_REMOVED: a detached copy (owned) */
};

struct rewind {
	bool lost;
	size_t max; /* notes of each sort past which the record is lost */
	struct rewind_obj *objs;
	size_t nobjs;
	struct rewind_edge *edges;
	size_t nedges, cap_edges;
	json_t *extra;
};

static void asg_free(struct assignment *a)
{
	if (!a)
		return;
	json_decref(a->obj);
	state_free(a);
}

/* Drop every note; the record is empty (and still tracking). */
static void clear(struct rewind *r)
{
	struct rewind_obj *o, *tmp;

	HASH_ITER(hh, r->objs, o, tmp)
	{
		HASH_DEL(r->objs, o);
		json_decref(o->frozen);
		json_decref(o->props);
		state_free(o);
	}
	r->nobjs = 0;
	for (size_t i = 0; i < r->nedges; i++)
		asg_free(r->edges[i].asg);
	state_free(r->edges);
	r->edges = NULL;
	r->nedges = r->cap_edges = 0;
}

/*
 * The record cannot say any more how to go back: the next reset rebuilds.
 * Objects noted before keep their flag, which only ever costs a no-op note.
 */
static void lose(struct rewind *r)
{
	clear(r);
	r->lost = true;
}

void state_rewind_start(struct tenant *t)
{
	size_t size = HASH_COUNT(t->objects) + HASH_COUNT(t->assignments);

	state_rewind_stop(t);
	t->rewind = state_calloc(1, sizeof(*t->rewind));
	if (!t->rewind)
		return;
	t->rewind->max = size / 8 > REWIND_MIN_NOTES ? size / 8 : REWIND_MIN_NOTES;
}

void state_rewind_stop(struct tenant *t)
{
	if (!t->rewind)
		return;
	clear(t->rewind);
	json_decref(t->rewind->extra);
	state_free(t->rewind);
	t->rewind = NULL;
}

bool state_rewind_ready(const struct tenant *t)
{
	return t->rewind && !t->rewind->lost;
}

size_t state_rewind_notes(const struct tenant *t)
{
	return t->rewind ? t->rewind->nobjs + t->rewind->nedges : 0;
}

void state_rewind_set_extra(struct tenant *t, json_t *extra)
{
	if (!t->rewind) {
		json_decref(extra);
		return;
	}
	json_decref(t->rewind->extra);
	t->rewind->extra = extra;
}

json_t *state_rewind_extra(const struct tenant *t)
{
	return t->rewind ? t->rewind->extra : NULL;
}

/* The record to write to, or NULL: not tracked, lost, or @t is loading. */
static struct rewind *recording(const struct tenant *t)
{
	return t && t->rewind && !t->rewind->lost && !t->loading ? t->rewind : NULL;
}

/* A new object note for @d, or NULL (the record is lost). */
static struct rewind_obj *obj_note(struct rewind *r, const struct dobj *d)
{
	struct rewind_obj *o, *check;

	if (r->nobjs >= r->max || !(o = state_calloc(1, sizeof(*o)))) {
		lose(r);
		return NULL;
	}
	memcpy(o->id, d->id, sizeof(o->id));
	o->kind = d->kind;
	o->seq = d->seq;
	HASH_ADD_STR(r->objs, id, o);
	HASH_FIND_STR(r->objs, o->id, check);
	if (check != o) {
		state_free(o);
		lose(r);
		return NULL;
	}
	r->nobjs++;
	return o;
}

void state_rewind_note(struct tenant *t, struct dobj *d)
{
	struct rewind *r = recording(t);
	struct rewind_obj *o;

	if (!r || d->rewind_noted || !(o = obj_note(r, d)))
		return;
	/* Not noted yet, so unchanged since the build: its text, when it has
	 * one, is what it was built from (a parse of it is the same). */
	if (d->frozen) {
		o->frozen = json_incref(d->frozen);
	} else if (!(o->props = jcopy_shared(d->props))) {
		lose(r);
		return;
	}
	d->rewind_noted = true;
}

void state_rewind_created(struct tenant *t, struct dobj *d)
{
	struct rewind *r = recording(t);
	struct rewind_obj *o;

	if (!r || d->rewind_noted)
		return;
	/* The id of a baseline object purged earlier is never drawn again, but
	 * a note of it would say how to put it back: keep that. */
	HASH_FIND_STR(r->objs, d->id, o);
	if (!o && !(o = obj_note(r, d)))
		return;
	if (!o->frozen && !o->props)
		o->made = true;
	d->rewind_noted = true;
}

void state_rewind_check(struct tenant *t, const struct dobj *d)
{
	struct rewind *r = recording(t);

	if (r && !d->rewind_noted)
		lose(r);
}

/* A new edge note, or NULL (the record is lost). */
static struct rewind_edge *edge_note(struct rewind *r, enum rewind_op op)
{
	struct rewind_edge *e;

	if (r->nedges >= r->max) {
		lose(r);
		return NULL;
	}
	if (r->nedges == r->cap_edges) {
		size_t cap = r->cap_edges ? 2 * r->cap_edges : 64;
		void *grown = state_realloc(r->edges, cap * sizeof(*r->edges));

		if (!grown) {
			lose(r);
			return NULL;
		}
		r->edges = grown;
		r->cap_edges = cap;
	}
	e = &r->edges[r->nedges++];
	memset(e, 0, sizeof(*e));
	e->op = op;
	return e;
}

void state_rewind_member(struct tenant *t, bool added, const struct dobj *group,
                         const struct dobj *member)
{
	struct rewind *r = recording(t);
	struct rewind_edge *e;

	if (!r || !(e = edge_note(r, added ? MEMBER_ADDED : MEMBER_REMOVED)))
		return;
	memcpy(e->group, group->id, sizeof(e->group));
	memcpy(e->member, member->id, sizeof(e->member));
}

void state_rewind_assignment(struct tenant *t, bool added, const struct assignment *a)
{
	struct rewind *r = recording(t);
	struct rewind_edge *e;
	struct assignment *copy;

	if (!r || !(e = edge_note(r, added ? ASG_ADDED : ASG_REMOVED)))
		return;
	memcpy(e->asg_id, a->id, sizeof(e->asg_id));
	if (added)
		return;
	/* What the undo attaches again: the same id, names, seq and body. */
	copy = state_calloc(1, sizeof(*copy));
	if (!copy || !(copy->obj = jcopy_shared(a->obj))) {
		state_free(copy);
		r->nedges--;
		lose(r);
		return;
	}
	memcpy(copy->id, a->id, sizeof(copy->id));
	memcpy(copy->principal_id, a->principal_id, sizeof(copy->principal_id));
	memcpy(copy->resource_id, a->resource_id, sizeof(copy->resource_id));
	memcpy(copy->app_role_id, a->app_role_id, sizeof(copy->app_role_id));
	copy->seq = a->seq;
	e->asg = copy;
}

/* ---- the rewind ---- */

static struct dobj *live(struct tenant *t, const char *id)
{
	struct dobj *d;

	HASH_FIND_STR(t->objects, id, d);
	return d;
}

/* Object @o as it was built: in place, back from deleted items, or made again. */
static int restore_obj(struct tenant *t, struct rewind_obj *o)
{
	struct dobj *d = live(t, o->id);
	struct deleted_item *it;
	bool linked = d != NULL;

	if (!d && (it = state_deleted_find(t, o->id)))
		d = state_deleted_take(t, it);
	if (!d) {
		d = state_calloc(1, sizeof(*d));
		if (!d)
			return -1;
		memcpy(d->id, o->id, sizeof(d->id));
		d->kind = o->kind;
		d->tenant = t;
	}
	if (linked)
		state_dobj_unindex(t, d);
	if (d->snap_due)
		state_txn_snapshot_due(t, d); /* what the request found, before this */
	json_decref(d->props);
	json_decref(d->frozen);
	d->props = o->props;
	d->frozen = o->frozen;
	o->props = o->frozen = NULL;
	d->visible_at_ms = 0;
	d->invisible_reads = 0;
	d->rewind_noted = false;
	if (!linked) {
		d->seq = o->seq;
		if (state_dobj_link_at(t, d)) {
			state_dobj_free(t, d);
			return -1;
		}
		return 0;
	}
	if (d->seq != o->seq && state_dobj_move(t, d, o->seq))
		return -1;
	return state_dobj_reindex(t, d);
}

static int undo_edge(struct tenant *t, struct rewind_edge *e)
{
	struct dobj *g, *m;
	struct assignment *a;

	switch (e->op) {
	case MEMBER_ADDED:
		if ((g = live(t, e->group)))
			state_member_remove(g, e->member);
		return 0;
	case MEMBER_REMOVED:
		g = live(t, e->group);
		m = live(t, e->member);
		return g && m ? state_edge_add(g, m) : 0;
	case ASG_ADDED:
		HASH_FIND_STR(t->assignments, e->asg_id, a);
		if (a)
			state_assignment_remove(t, a);
		return 0;
	case ASG_REMOVED:
		HASH_FIND_STR(t->assignments, e->asg_id, a);
		if (a || !live(t, e->asg->principal_id) || !live(t, e->asg->resource_id))
			return 0; /* (an end made since and gone: never in the build) */
		if (state_assignment_attach(t, e->asg))
			return -1;
		e->asg = NULL; /* the tenant's now */
		return 0;
	}
	return 0;
}

/* An object made since the build, wherever it is now, gone for good. */
static void drop_made(struct state *st, struct tenant *t, const struct rewind_obj *o)
{
	struct dobj *d = live(t, o->id);
	struct deleted_item *it;

	if (d)
		state_dobj_remove(t, d);
	else if ((it = state_deleted_find(t, o->id)))
		state_deleted_purge(st, t, it);
}

int state_rewind(struct state *st, struct tenant *t)
{
	struct rewind *r = t->rewind;
	struct rewind_obj *o, *tmp;
	int rc = 0;

	if (!r || r->lost)
		return -1;
	HASH_ITER(hh, r->objs, o, tmp)
	{
		if (!o->made && !rc)
			rc = restore_obj(t, o);
	}
	for (size_t i = r->nedges; i-- > 0 && !rc;)
		rc = undo_edge(t, &r->edges[i]);
	HASH_ITER(hh, r->objs, o, tmp)
	{
		if (o->made && !rc)
			drop_made(st, t, o);
	}
	clear(r);
	return rc;
}
