/*
 * server/odata/odata_project.c - what one object looks like in an answer: its
 * $select-ed properties (any property its CSDL type declares, null or [] when
 * the object has none) or Graph's default set, and its $expand-ed navigation
 * properties, written straight to JSON text. The json_t form (odata_project())
 * is that text parsed back, so the two can never disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/schema/schema.h"
#include "../core/jwriter.h"
#include "../core/resp.h"
#include "odata.h"
#include "odata_rcache.h"
#include "odata_respond.h"
#include "odata_util.h"

#define CHAIN_MAX       1000 /* deepest $levels Graph takes */
#define SEEN_WORDS      (ODATA_PROJ_MAX_PROPS / 64)
#define ODATA_TYPE_HASH "#"

/* One object being written: which members it has so far. */
struct obj_out {
	struct buf *w;
	uint64_t seen[SEEN_WORDS];
	bool first;
};

#define DEFAULTS_MAX 64

/* An entity's default set as slots of its CSDL type, with their overlay entries. */
struct defaults {
	const struct odata_entity *entity; /* whose; NULL: not computed yet */
	int slot[DEFAULTS_MAX];
	const struct odata_prop *prop[DEFAULTS_MAX];
	size_t key_len[DEFAULTS_MAX]; /* its name's length, 0 when not jwriter_plain() */
	size_t n;
};

/* What every object of one answer shares. */
struct proj {
	struct defaults defaults; /* the last entity's default set */
	const struct odata_expander *ex;
	bool single;                    /* one entity: single-only properties served */
	bool bare;                      /* odata.metadata=none: no annotations */
	const json_t *chain[CHAIN_MAX]; /* objects being written, outermost first */
	size_t depth;
};

/* @key_len: its length when jwriter_plain() said so, else 0 */
static void member(struct obj_out *o, const char *key, size_t key_len)
{
	if (key_len)
		jwriter_member_plain(o->w, key, key_len, !o->first);
	else
		jwriter_member(o->w, key, !o->first);
	o->first = false;
}

/* Mark @slot written; false when it was already (a property is written once). */
static bool first_time(struct obj_out *o, int slot)
{
	uint64_t bit;

	if (slot < 0 || slot >= ODATA_PROJ_MAX_PROPS)
		return true;
	bit = UINT64_C(1) << (slot % 64);
	if (o->seen[slot / 64] & bit)
		return false;
	o->seen[slot / 64] |= bit;
	return true;
}

static void write_value(struct obj_out *o, const char *key, size_t key_len,
                        const json_t *v, bool collection, bool as_null)
{
	member(o, key, key_len);
	if (!as_null && v)
		jwriter_value(o->w, v);
	else if (!as_null && collection)
		buf_add(o->w, "[]", 2);
	else
		buf_add(o->w, "null", 4);
}

/* ---- entities without a CSDL type: the overlay is the whole schema ---- */

static bool overlay_collection(const struct odata_prop *p)
{
	return p->type == ODATA_STRING_COLLECTION || p->type == ODATA_OBJECT_COLLECTION;
}

static void overlay_prop(struct obj_out *o, const struct odata_entity *e,
                         const struct odata_prop *p, const json_t *obj, bool as_null)
{
	if (!first_time(o, (int)(p - e->props)))
		return;
	write_value(o, p->name, 0, json_object_get(obj, p->name), overlay_collection(p),
	            as_null);
}

static void overlay_members(struct obj_out *o, const struct odata_entity *e,
                            const json_t *obj, char *const *select, size_t nselect)
{
	const struct odata_prop *p;

	if (!nselect) {
		for (p = e->props; p && p->name; p++)
			if ((p->flags & OP_DEFAULT) && !(p->flags & OP_HIDDEN))
				overlay_prop(o, e, p, obj, false);
		return;
	}
	for (size_t i = 0; i < nselect; i++) {
		if (!strcmp(select[i], "*")) {
			for (p = e->props; p && p->name; p++)
				if (!(p->flags & OP_HIDDEN))
					overlay_prop(o, e, p, obj, false);
			continue;
		}
		/* Mixed collections: a name this item's type lacks yields nothing. */
		p = odata_entity_prop(e, select[i]);
		if (p)
			/* Graph answers a selected secret (passwordProfile) with null. */
			overlay_prop(o, e, p, obj, p->flags & OP_HIDDEN);
	}
}

/* ---- entities with a CSDL type ---- */

/*
 * What an absent property that may not be null reads as: the EDM type's
 * default, as Graph answers an unset birthday or hireDate with
 * "0001-01-01T00:00:00Z". NULL: null will do (a nullable or complex one).
 */
static const char *absent_default(const struct schema_property *sp)
{
	if (sp->flags & SCHEMA_PROP_NULLABLE)
		return NULL;
	switch (sp->edm) {
	case SCHEMA_EDM_DATE_TIME_OFFSET:
		return "\"0001-01-01T00:00:00Z\"";
	case SCHEMA_EDM_BOOLEAN:
		return "false";
	case SCHEMA_EDM_GUID:
		return "\"00000000-0000-0000-0000-000000000000\"";
	case SCHEMA_EDM_STRING:
		return "\"\"";
	default:
		return schema_edm_numeric(sp->edm) ? "0" : NULL;
	}
}

/*
 * Write property @slot of @e's type. @p is its overlay entry when the caller
 * knows it (the default set), else NULL: looked up here. @key_len: the
 * length of its name when the caller found it jwriter_plain(), else 0.
 */
static void typed_prop(struct obj_out *o, const struct proj *pr,
                       const struct odata_entity *e, int slot, const json_t *obj,
                       bool star, const struct odata_prop *p, size_t key_len)
{
	const struct schema_property *sp = e->type->all[slot];
	const json_t *v;
	const char *dflt;

	/* only $expand writes navigation properties; streams are not inline JSON */
	if ((sp->flags & SCHEMA_PROP_NAVIGATION) || sp->edm == SCHEMA_EDM_STREAM)
		return;
	if (!p)
		p = odata_entity_prop(e, sp->name);
	if (star && p &&
	    ((p->flags & OP_HIDDEN) || ((p->flags & OP_SINGLE) && !pr->single)))
		return;
	if (!first_time(o, slot))
		return;
	v = key_len ? json_object_getn(obj, sp->name, key_len)
	            : json_object_get(obj, sp->name);
	dflt = (sp->flags & SCHEMA_PROP_COLLECTION) ? NULL : absent_default(sp);
	if (!v && dflt && !(p && (p->flags & OP_HIDDEN))) {
		member(o, sp->name, key_len);
		buf_addstr(o->w, dflt);
		return;
	}
	write_value(o, sp->name, key_len, v, sp->flags & SCHEMA_PROP_COLLECTION,
	            p && (p->flags & OP_HIDDEN));
}

/* @e's default set computed: a schema lookup per property (~9k instructions). */
static void compute_defaults(struct defaults *d, const struct odata_entity *e)
{
	const struct odata_prop *p;

	d->entity = e;
	d->n = 0;
	for (p = e->props; p && p->name && d->n < DEFAULTS_MAX; p++) {
		const char *name;
		int slot;

		if (!(p->flags & OP_DEFAULT) || (p->flags & OP_HIDDEN))
			continue;
		slot = schema_property_slot(e->type, p->name, strlen(p->name));
		if (slot < 0)
			continue;
		name = e->type->all[slot]->name; /* the key typed_prop() writes */
		d->key_len[d->n] = jwriter_plain(name, strlen(name)) ? strlen(name) : 0;
		d->slot[d->n] = slot;
		d->prop[d->n++] = p;
	}
}

/*
 * The default sets this thread computed last, kept across answers: they
 * derive only from the const entity and schema tables, so a copy never goes
 * stale, and being per thread they need no lock (as req.c's id generator).
 */
#define DEFAULTS_CACHED 16
static _Thread_local struct defaults defaults_cache[DEFAULTS_CACHED];
static _Thread_local unsigned defaults_next;

/*
 * The slots of @e's default set, once per entity and answer: the answer
 * keeps its own copy, so nothing it holds is replaced while it is written.
 */
static const struct defaults *default_slots(struct proj *pr, const struct odata_entity *e)
{
	struct defaults *d = &pr->defaults, *c = NULL;

	if (d->entity == e)
		return d;
	for (size_t i = 0; i < DEFAULTS_CACHED && !c; i++)
		if (defaults_cache[i].entity == e)
			c = &defaults_cache[i];
	if (!c) {
		c = &defaults_cache[defaults_next++ % DEFAULTS_CACHED];
		compute_defaults(c, e);
	}
	d->entity = e;
	d->n = c->n;
	memcpy(d->slot, c->slot, c->n * sizeof(d->slot[0]));
	memcpy(d->prop, c->prop, c->n * sizeof(d->prop[0]));
	memcpy(d->key_len, c->key_len, c->n * sizeof(d->key_len[0]));
	return d;
}

static void typed_members(struct obj_out *o, struct proj *pr,
                          const struct odata_entity *e, const json_t *obj,
                          char *const *select, size_t nselect)
{
	const struct schema_type *t = e->type;
	int slot;

	if (!nselect) {
		const struct defaults *d = default_slots(pr, e);

		for (size_t i = 0; i < d->n; i++)
			typed_prop(o, pr, e, d->slot[i], obj, false, d->prop[i],
			           d->key_len[i]);
		return;
	}
	for (size_t i = 0; i < nselect; i++) {
		if (!strcmp(select[i], "*")) {
			for (size_t s = 0; s < t->nall; s++)
				typed_prop(o, pr, e, (int)s, obj, true, NULL, 0);
			continue;
		}
		/* Mixed collections: a name this item's type lacks yields nothing. */
		slot = schema_property_slot(t, select[i], strlen(select[i]));
		if (slot >= 0)
			typed_prop(o, pr, e, slot, obj, false, NULL, 0);
	}
}

/* GRAPHMOCK_RENDER_CHECK: a kept text that differs from its object now. */
static void check_failed(const struct odata_entity *e, const char *kept, size_t kept_len,
                         const char *now, size_t now_len)
{
	fprintf(stderr,
	        "graphmock: GRAPHMOCK_RENDER_CHECK: the render cache kept a stale %s\n"
	        "kept: %.*s\nnow:  %.*s\n",
	        e->type->name, (int)kept_len, kept, (int)now_len, now);
	abort();
}

/*
 * The default set of @obj, from the render cache (odata_rcache.h) when it
 * holds @tag's text, else written and kept. The kept text is written as if
 * a member came before it, so it starts with its comma: one text serves an
 * object it opens and one continued after "@odata.context".
 */
static void cached_members(struct obj_out *o, struct proj *pr,
                           const struct odata_entity *e, const json_t *obj,
                           const struct odata_tag *tag)
{
	struct buf *w = o->w;
	bool first = o->first;
	size_t at = w->len, len = 0;
	const char *kept = odata_rcache_find(tag, e, &len);

	if (kept && !odata_render_check) {
		if (len) {
			buf_add(w, kept + first, len - first);
			o->first = false;
		}
		return;
	}
	o->first = false;
	typed_members(o, pr, e, obj, NULL, 0);
	if (w->failed)
		return;
	if (kept && (len != w->len - at || memcmp(kept, w->data + at, len)))
		check_failed(e, kept, len, w->data + at, w->len - at);
	if (!kept)
		odata_rcache_put(tag, e, w->data + at, w->len - at);
	if (first && w->len > at) { /* the comma, and the NUL after it all */
		memmove(w->data + at, w->data + at + 1, w->len - at);
		w->len--;
	}
	o->first = first && w->len == at;
}

/* ---- $expand ---- */

static void write_object(struct proj *pr, struct buf *w, const struct odata_entity *e,
                         const json_t *obj, const struct odata_tag *tag,
                         char *const *select, size_t nselect,
                         const struct odata_expand *expand, size_t nexpand, bool annotate,
                         bool continued);

static bool in_chain(const struct proj *pr, const json_t *obj)
{
	for (size_t i = 0; i < pr->depth; i++)
		if (pr->chain[i] == obj)
			return true;
	return false;
}

/* The expand list an expanded item carries on: the same item while $levels last. */
static size_t next_levels(const struct odata_expand *x, struct odata_expand *out)
{
	if (x->levels == ODATA_LEVELS_MAX || x->levels > 1) {
		*out = *x;
		if (x->levels > 1)
			out->levels--;
		return 1;
	}
	return 0;
}

/* An expanded item: annotated unless the declared type is its own. */
static void write_related(struct proj *pr, struct buf *w, const struct odata_expand *x,
                          const struct odata_item *it)
{
	const struct schema_type *declared = x->nav->type;
	const struct odata_entity *e = it->entity;
	bool annotate = !pr->bare && (!e || !e->type || e->type != declared);
	struct odata_expand more;
	size_t nmore =
	    in_chain(pr, it->obj) || pr->depth >= CHAIN_MAX ? 0 : next_levels(x, &more);

	pr->chain[pr->depth++] = it->obj;
	write_object(pr, w, e, it->obj, &it->tag, x->select, x->nselect, &more, nmore,
	             annotate, false);
	pr->depth--;
}

static void write_expansion(struct proj *pr, struct obj_out *o,
                            const struct odata_expand *x, const struct odata_entity *e,
                            const json_t *obj)
{
	const struct schema_property *nav = x->nav;
	bool many = nav->flags & SCHEMA_PROP_COLLECTION;
	struct odata_item self = {obj, e, 0, NULL, {NULL, 0}};
	struct odata_related rel = {NULL, 0};
	size_t n;

	if (pr->ex && pr->ex->related && pr->ex->related(pr->ex->ctx, &self, nav, &rel))
		o->w->failed = true;
	n = rel.n;
	if (!many) {
		/* A single-valued property with nothing behind it is left out. */
		if (n) {
			member(o, nav->name, 0);
			write_related(pr, o->w, x, &rel.items[0]);
		}
		odata_items_free(rel.items, rel.n);
		return;
	}
	member(o, nav->name, 0);
	buf_add(o->w, "[", 1);
	for (size_t i = 0; i < n && i < ODATA_EXPAND_CAP; i++) {
		if (i)
			buf_add(o->w, ",", 1);
		write_related(pr, o->w, x, &rel.items[i]);
	}
	buf_add(o->w, "]", 1);
	odata_items_free(rel.items, rel.n);
}

/* ---- one object ---- */

/* @tag: what names @obj for the render cache, or NULL. */
static void write_object(struct proj *pr, struct buf *w, const struct odata_entity *e,
                         const json_t *obj, const struct odata_tag *tag,
                         char *const *select, size_t nselect,
                         const struct odata_expand *expand, size_t nexpand, bool annotate,
                         bool continued)
{
	struct obj_out o;

	memset(&o, 0, sizeof(o));
	o.w = w;
	o.first = !continued;
	if (!continued)
		buf_add(w, "{", 1);
	if (annotate) {
		member(&o, "@odata.type", sizeof("@odata.type") - 1);
		buf_add(w, "\"" ODATA_TYPE_HASH, 2);
		if (e && e->type)
			buf_addstr(w, e->type->name);
		else if (e && e->odata_type)
			buf_addstr(w, e->odata_type[0] == '#' ? e->odata_type + 1
			                                      : e->odata_type);
		buf_add(w, "\"", 1);
	}
	if (e && e->type && !nselect && tag && tag->gen)
		cached_members(&o, pr, e, obj, tag);
	else if (e && e->type)
		typed_members(&o, pr, e, obj, select, nselect);
	else if (e)
		overlay_members(&o, e, obj, select, nselect);
	for (size_t i = 0; i < nexpand; i++)
		write_expansion(pr, &o, &expand[i], e, obj);
	buf_add(w, "}", 1);
}

void odata_project_write(struct buf *w, const struct odata_query *q,
                         const struct odata_entity *entity, const json_t *obj,
                         bool type_annotation, bool continued)
{
	odata_project_write_ex(w, q, entity, obj,
	                       (type_annotation ? ODATA_PW_ANNOTATE : 0) |
	                           (continued ? ODATA_PW_CONTINUED : 0),
	                       NULL, NULL);
}

/*
 * Each thread's own projection, lent to one answer at a time: a ~9 KB block
 * taken from malloc and freed again for every answer cost ~1,500
 * instructions. A second one alive at once on a thread is malloc'ed.
 */
static _Thread_local struct proj proj_lent;
static _Thread_local bool proj_lent_busy;

struct odata_proj *odata_proj_new(const struct odata_expander *ex)
{
	struct proj *pr = proj_lent_busy ? malloc(sizeof(*pr)) : &proj_lent;

	if (pr == &proj_lent)
		proj_lent_busy = true;

	if (pr) {
		pr->ex = ex;
		pr->defaults.entity = NULL;
		pr->depth = 0;
	}
	return (struct odata_proj *)pr;
}

void odata_proj_free(struct odata_proj *p)
{
	if (p == (struct odata_proj *)&proj_lent)
		proj_lent_busy = false;
	else
		free(p);
}

void odata_proj_write(struct odata_proj *p, struct buf *w, const struct odata_query *q,
                      const struct odata_entity *entity, const json_t *obj,
                      unsigned flags, const struct odata_tag *tag)
{
	struct proj *pr = (struct proj *)p;

	if (!pr) {
		w->failed = true;
		return;
	}
	pr->single = flags & ODATA_PW_SINGLE;
	pr->bare = flags & ODATA_PW_BARE;
	pr->depth = 0;
	pr->chain[pr->depth++] = obj;
	write_object(pr, w, entity, obj, tag, q ? q->select : NULL, q ? q->nselect : 0,
	             q ? q->expand : NULL, q ? q->nexpand : 0,
	             (flags & ODATA_PW_ANNOTATE) && !pr->bare,
	             flags & ODATA_PW_CONTINUED);
}

void odata_project_write_ex(struct buf *w, const struct odata_query *q,
                            const struct odata_entity *entity, const json_t *obj,
                            unsigned flags, const struct odata_expander *ex,
                            const struct odata_tag *tag)
{
	struct odata_proj *pr = odata_proj_new(ex);

	odata_proj_write(pr, w, q, entity, obj, flags, tag);
	odata_proj_free(pr);
}

json_t *odata_project(const struct odata_query *q, const struct odata_entity *entity,
                      const json_t *obj, bool type_annotation)
{
	struct buf w;
	json_t *out;

	buf_init(&w, RESP_TEXT_MAX);
	odata_project_write(&w, q, entity, obj, type_annotation, false);
	out = w.failed ? NULL : json_loadb(w.data, w.len, 0, NULL);
	buf_release(&w);
	return out;
}

bool odata_select_single_only(const struct odata_query *q,
                              const struct odata_entity *entity)
{
	const struct odata_prop *p;

	for (size_t i = 0; q && entity && i < q->nselect; i++) {
		p = odata_entity_prop(entity, q->select[i]);
		if (p && (p->flags & OP_SINGLE))
			return true;
	}
	return false;
}
