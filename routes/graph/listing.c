/*
 * routes/graph/listing.c - the shared tail of collection routes.
 */
#include "listing.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../state/util/alloc.h"
#include "expand.h"
#include "entities.h"
#include "groups.h"

int listing_respond(struct call *c, listing_fn *collect,
                    const struct odata_list_opts *opts)
{
	struct odata_list_opts with;
	struct odata_expander ex;
	struct odata_item *items;
	size_t n;
	int rc;

	items = collect(c, &n);
	if (!items)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	if (opts) {
		with = *opts;
		expand_init(&ex, c);
		with.expander = &ex;
		rc = odata_respond_collection(c->odata, c->req, c->resp, items, n, &with);
	} else
		rc = odata_respond_count(c->odata, c->req, c->resp, items, n);
	odata_items_free(items, n);
	return rc;
}

struct odata_item listing_item(const struct dobj *d, const struct odata_entity *entity)
{
	json_t *hold;
	const json_t *obj = state_dobj_json_read(d, &hold);

	return (struct odata_item){obj, entity, d->seq, hold, dobj_tag(d)};
}

struct odata_item *listing_kind(struct state *st, struct tenant *t, enum dobj_kind kind,
                                const struct odata_entity *entity, size_t *n)
{
	struct odata_item *items = calloc(state_dobj_count(t, kind) + 1, sizeof(*items));

	*n = 0;
	if (!items)
		return NULL;
	for (struct dobj *d = state_dobj_first(t, kind); d; d = state_dobj_next(d)) {
		if (!state_dobj_visible(st, d))
			continue;
		items[*n] = listing_item(d, entity);
		if (!items[(*n)++].obj) { /* out of memory */
			odata_items_free(items, *n);
			return NULL;
		}
	}
	return items;
}

/* The lower-cased @prefix (NULL when absent or too long for a key). New. */
static char *lower_prefix(const char *prefix)
{
	size_t n = prefix ? strlen(prefix) : 0;
	char *out;

	if (!prefix || n > ODATA_CURSOR_KEY_MAX)
		return NULL;
	out = malloc(n + 1);
	for (size_t i = 0; out && i <= n; i++)
		out[i] = (char)tolower((unsigned char)prefix[i]);
	return out;
}

static bool has_prefix(const char *key, const char *prefix)
{
	return !prefix || !strncmp(key ? key : "", prefix, strlen(prefix));
}

static int dobj_by_seq(const void *a, const void *b)
{
	const struct dobj *x = *(struct dobj *const *)a, *y = *(struct dobj *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void listing_sort_by_seq(struct dobj **v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), dobj_by_seq);
}

/*
 * The seq order a walk of @kind goes through: users whose $filter asks for
 * guests (`userType eq 'Guest'`, alone or and-ed with more) go through the
 * guests alone, the filter still applied to each; else every object.
 */
static const struct oset *guests_or_all(const struct call *c, enum dobj_kind kind)
{
	const char *type;

	if (kind == DOBJ_USER &&
	    odata_filter_key_values(c->odata, "userType", &type, 1) &&
	    !strcasecmp(type, "Guest"))
		return &c->tenant->guests;
	return &c->tenant->by_seq[kind];
}

/*
 * The visible objects of @kind the request's $filter can match, in insertion
 * order: with a `startswith(displayName, 'v')`, those of the name index's
 * range for it, with `userType eq 'Guest'` the guests, else every one. New
 * array (free()), NULL on OOM.
 */
static struct dobj **kind_objs(struct call *c, enum dobj_kind kind, size_t *n)
{
	char *prefix =
	    lower_prefix(odata_filter_startswith_value(c->odata, "displayName"));
	const struct oset *seq = guests_or_all(c, kind);
	struct dobj **objs =
	    malloc((state_dobj_count(c->tenant, kind) + 1) * sizeof(*objs));

	*n = 0;
	if (objs && !prefix) {
		for (struct oset_node *o = oset_first(seq); o; o = oset_next(o))
			if (state_dobj_visible(c->st, o->val))
				objs[(*n)++] = o->val;
	} else if (objs) {
		/* The name range of the prefix, then insertion order again. */
		for (struct oset_node *o =
		         oset_seek(&c->tenant->by_name[kind], prefix, 0);
		     o && has_prefix(o->key, prefix); o = oset_next(o))
			if (state_dobj_visible(c->st, o->val))
				objs[(*n)++] = o->val;
		listing_sort_by_seq(objs, *n);
	}
	free(prefix);
	return objs;
}

struct odata_item *listing_kind_for(struct call *c, enum dobj_kind kind,
                                    const struct odata_entity *entity, size_t *n)
{
	struct dobj **objs = kind_objs(c, kind, n);
	struct odata_item *items = objs ? calloc(*n + 1, sizeof(*items)) : NULL;

	for (size_t i = 0; items && i < *n; i++) {
		items[i] = listing_item(objs[i], entity);
		if (!items[i].obj) { /* out of memory */
			odata_items_free(items, i + 1);
			items = NULL;
		}
	}
	free(objs);
	return items;
}

/* Objects in an answer past which its memory is given back to the system. */
#define TRIM_AFTER 65536

/* @d as an item holding only what the query reads (@mem), or whole. */
static struct odata_item part_item(const struct dobj *d,
                                   const struct odata_entity *entity,
                                   const struct odata_members *mem)
{
	json_t *hold;
	const json_t *obj = mem->all ? state_dobj_json_read(d, &hold)
	                             : state_dobj_json_some(d, mem->name, &hold);
	/* a part of it must not be taken for the whole */
	struct odata_tag tag = mem->all ? dobj_tag(d) : (struct odata_tag){NULL, 0};

	return (struct odata_item){obj, entity, d->seq, hold, tag};
}

int listing_answer(struct call *c, struct dobj *const *objs, size_t n,
                   const struct odata_entity *entity, const struct odata_list_opts *opts)
{
	struct odata_item *items = calloc(n + 1, sizeof(*items));
	struct odata_list_opts with = *opts;
	struct odata_members mem;
	struct odata_expander ex;
	struct odata_pick pick;
	bool oom = false;
	int rc = -1;

	if (!items)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	odata_query_members(c->odata, &mem);
	for (size_t i = 0; i < n && !oom; i++) {
		items[i] = part_item(
		    objs[i], entity ? entity : entity_for_kind(objs[i]->kind), &mem);
		oom = !items[i].obj;
	}
	if (oom) {
		rc = resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	} else if (!odata_collection_pick(c->odata, c->resp, items, n, opts, &pick)) {
		/* The page whole: an item parsed in part for this answer (a hold)
		 * lacks what the page shows. */
		for (size_t i = pick.from; !mem.all && i < pick.to; i++) {
			struct odata_item *it = &items[pick.idx[i]];

			if (!it->hold)
				continue; /* the stored tree itself */
			json_decref(it->hold);
			*it = listing_item(objs[pick.idx[i]], it->entity);
			oom |= !it->obj;
		}
		expand_init(&ex, c);
		with.expander = &ex;
		if (oom) {
			free(pick.idx);
			rc = resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
		} else {
			rc = odata_collection_answer(c->odata, c->req, c->resp, items,
			                             &with, &pick);
		}
	}
	odata_items_free(items, n);
	if (n >= TRIM_AFTER)
		state_alloc_trim(); /* the parts were hundreds of MB at a million */
	return rc;
}

int listing_respond_kind(struct call *c, enum dobj_kind kind,
                         const struct odata_entity *entity,
                         const struct odata_list_opts *opts)
{
	size_t n;
	struct dobj **objs = kind_objs(c, kind, &n);
	int rc = objs ? listing_answer(c, objs, n, entity, opts)
	              : resp_error(c->resp, GERR_INTERNAL, "Out of memory.");

	free(objs);
	return rc;
}

/* One walk: where it runs, what it keeps, how many it wants. */
struct walk {
	struct call *c;
	const struct odata_entity *entity; /* NULL: each object's own */
	int kind;                          /* -1: any */
	bool skip_sps;
	/* Ordered by a key: a name index, the users' UPN order or a kind's
	 * createdDateTime order; NULL: by seq. */
	const struct oset *keyed;
	const struct oset *seq; /* not keyed: the seq order walked (guests_or_all) */
	bool desc;              /* keyed, last key first */
	const char *prefix;     /* keyed by name: stop past it (lower case); NULL none */
	size_t top;
	struct odata_members mem; /* what its $filter and $search read */
	bool oom;                 /* an object could not be read: answer 500 */
};

/* Is @d one of the walk's objects, before its $filter and $search? */
static bool walk_admits(const struct walk *w, const struct dobj *d)
{
	return state_dobj_visible(w->c->st, d) &&
	       (w->kind < 0 || d->kind == (enum dobj_kind)w->kind) &&
	       !(w->skip_sps && dobj_sp_hidden(w->c->req, d));
}

int listing_matches(const struct call *c, const struct dobj *d,
                    const struct odata_members *mem)
{
	const struct odata_query *q = c->odata;
	json_t *hold;
	const json_t *obj;
	bool yes;

	if (!q || (!q->filter && !q->search_expr))
		return 1;
	obj = mem->all ? state_dobj_json_read(d, &hold)
	               : state_dobj_json_some(d, mem->name, &hold);
	if (!obj)
		return -1; /* out of memory: never a silent "no" */
	yes = odata_query_match(q, obj);
	json_decref(hold);
	return yes;
}

/* Does @d pass the walk's $filter and $search? Out of memory: no, and
 * w->oom says so (the answer is a 500, not a page without it). */
static bool walk_filter(struct walk *w, const struct dobj *d)
{
	int rc = listing_matches(w->c, d, &w->mem);

	if (rc < 0)
		w->oom = true;
	return rc > 0;
}

/*
 * @d's properties when the walk keeps it, else NULL. An object still frozen
 * (state/frozen.h) is parsed for this page only (*@hold, dropped after the
 * answer): paging through a million users leaves them as compact as before.
 */
static json_t *walk_keeps(struct walk *w, const struct dobj *d, json_t **hold)
{
	json_t *obj;

	*hold = NULL;
	if (!walk_admits(w, d) || !walk_filter(w, d))
		return NULL;
	obj = state_dobj_json_read(d, hold);
	if (!obj)
		w->oom = true;
	return obj;
}

/* Does @d match? Parsed (and dropped) only when a $filter or $search reads it. */
static bool walk_matches(struct walk *w, const struct dobj *d)
{
	return walk_admits(w, d) && walk_filter(w, d);
}

/*
 * Where a walk is: at a node of an ordered index (by seq or by name; past the
 * walk's name prefix it is at the end), or at @i of @v[0..n), objects in
 * insertion order (a name prefix's range, sorted by seq). A walk by a key
 * descending (@desc, the order walked) goes back through it a key at a time.
 */
struct walk_pos {
	struct oset_node *o;
	struct dobj *const *v;
	size_t i, n;
	const struct oset *desc;
};

/* The object at @p, NULL at the end. */
static struct dobj *pos_obj(const struct walk *w, const struct walk_pos *p)
{
	if (p->v)
		return p->i < p->n ? p->v[p->i] : NULL;
	if (!p->o || (w->keyed && !has_prefix(p->o->key, w->prefix)))
		return NULL;
	return p->o->val;
}

static bool same_key(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/*
 * `$orderby=displayName desc` (or userPrincipalName) as the general engine
 * orders it (odata_page.c): keys from last to first, and objects of one key
 * in insertion order, so each key's run of the order is walked forwards.
 * NULL: the walk is over.
 */
static struct oset_node *run_start(const struct oset *set, const struct oset_node *o)
{
	return o ? oset_seek(set, o->key, 0) : NULL;
}

static struct oset_node *desc_next(const struct oset *set, const struct oset_node *o)
{
	if (o->next[0] && same_key(o->next[0]->key, o->key))
		return o->next[0];
	return run_start(set, oset_before(set, o->key, 0));
}

/* Where a descending walk goes on after (@key, @seq), the last object of a
 * page: later objects of that key, else the run of the key before it. */
static struct oset_node *desc_after(const struct oset *set, const char *key, uint64_t seq)
{
	struct oset_node *o = oset_seek(set, key, seq + 1);

	if (o && same_key(o->key, key))
		return o;
	return run_start(set, oset_before(set, key, 0));
}

static void pos_next(struct walk_pos *p)
{
	if (p->v)
		p->i++;
	else if (p->desc)
		p->o = desc_next(p->desc, p->o);
	else
		p->o = oset_next(p->o);
}

/*
 * The walk's set, when counting its objects is counting its nodes: the walk
 * starts at its first and reads every one (no name prefix), holds one kind
 * (no service principals hidden), and no object can be invisible or fail a
 * $filter or $search. Else NULL. A million users counted one by one took
 * 90 ms of every `$count=true` page and `/users/$count`.
 */
static const struct oset *counted_whole(const struct walk *w, const struct walk_pos *p)
{
	const struct odata_query *q = w->c->odata;
	const struct oset *set = w->keyed ? w->keyed : w->seq;

	if (!set || p->v || w->prefix || w->kind < 0 || w->skip_sps ||
	    w->c->tenant->lag_applied || (q && (q->filter || q->search_expr)))
		return NULL;
	if (p->o != (w->desc ? run_start(set, oset_last(set)) : oset_first(set)))
		return NULL;
	return set;
}

/* How many objects from @p on match: the whole walk's @odata.count. */
static size_t walk_count(struct walk *w, struct walk_pos p)
{
	const struct oset *whole = counted_whole(w, &p);
	size_t n = 0;

	if (whole)
		return whole->count;
	for (const struct dobj *d; (d = pos_obj(w, &p)); pos_next(&p))
		n += walk_matches(w, d);
	return n;
}

/* Did the query ask for "@odata.count" (as the engine writes it)? */
static bool wants_count(const struct odata_query *q)
{
	return q && q->count && q->advanced;
}

/*
 * Collect a page from @at on, and answer it, $expand resolved by expand.c;
 * with $count=true, every match from @first (the walk's start, whatever the
 * $skiptoken) is counted too.
 */
static int walk_from(struct walk *w, struct walk_pos at, struct walk_pos first,
                     const struct odata_list_opts *list_opts)
{
	struct odata_item *items = malloc((w->top + 1) * sizeof(*items));
	json_t **holds = calloc(w->top + 1, sizeof(*holds));
	struct odata_list_opts opts = *list_opts;
	struct odata_expander ex;
	struct odata_cursor next = {0, NULL};
	const struct dobj *last = NULL;
	const char *last_key = NULL; /* keyed: its key there */
	bool more = false;
	size_t n = 0, total = 0;
	int rc;

	if (!items || !holds) {
		free(items);
		free(holds);
		return resp_error(w->c->resp, GERR_INTERNAL, "Out of memory.");
	}
	for (const struct dobj *d; (d = pos_obj(w, &at)); pos_next(&at)) {
		json_t *obj = walk_keeps(w, d, &holds[n]);

		if (!obj)
			continue;
		if (n == w->top) {
			json_decref(holds[n]);
			holds[n] = NULL;
			more = true;
			break;
		}
		items[n++] = (struct odata_item){
		    obj, w->entity ? w->entity : entity_for_kind(d->kind), d->seq, NULL,
		    dobj_tag(d)};
		last = d;
		last_key = at.o ? at.o->key : NULL;
	}
	if (more && last) {
		next.seq = last->seq;
		next.key = w->keyed ? (last_key ? last_key : "") : NULL;
	}
	if (wants_count(w->c->odata))
		total = walk_count(w, first);
	expand_init(&ex, w->c);
	opts.expander = &ex;
	rc = w->oom
	         ? resp_error(w->c->resp, GERR_INTERNAL, "Out of memory.")
	         : odata_respond_walked(w->c->odata, w->c->req, w->c->resp, items, n,
	                                more && last ? &next : NULL,
	                                wants_count(w->c->odata) ? &total : NULL, &opts);
	for (size_t i = 0; i < n; i++)
		json_decref(holds[i]);
	free(holds);
	free(items);
	return rc;
}

bool listing_walks = true;

enum walk_order { BY_SEQ, BY_NAME, BY_UPN, BY_CREATED };

/* Can the query be walked, and in which order (by a key: descending when
 * the $orderby says so)? false: the general engine. */
static bool walkable(const struct odata_query *q, const struct odata_list_opts *opts,
                     enum walk_order *order)
{
	int max = opts->max_top > 0 ? opts->max_top : 999;

	if (!listing_walks || !q || q->skip || q->top > max || q->norderby > 1)
		return false;
	/* a list refusing single-entity properties: the general engine's 501 */
	if (odata_select_single_only(q, q->entity))
		return false;
	*order = BY_SEQ;
	if (q->norderby == 1 && !strcasecmp(q->orderby[0].prop, "displayName"))
		*order = BY_NAME;
	else if (q->norderby == 1 && !strcasecmp(q->orderby[0].prop, "userPrincipalName"))
		*order = BY_UPN;
	else if (q->norderby == 1 && !strcasecmp(q->orderby[0].prop, "createdDateTime"))
		*order = BY_CREATED;
	else if (q->norderby == 1)
		return false;
	if (!q->token_kind)
		return true;
	return q->token_kind == (*order ? ODATA_TOKEN_CURSOR : ODATA_TOKEN_SEQ);
}

bool listing_seq_walkable(const struct odata_query *q, const struct odata_list_opts *opts)
{
	enum walk_order order;

	return walkable(q, opts, &order) && order == BY_SEQ;
}

size_t listing_page_size(const struct odata_query *q, const struct odata_list_opts *opts)
{
	size_t top = (size_t)(q->top                  ? q->top
	                      : opts->default_top > 0 ? opts->default_top
	                                              : 100);

	/* as odata_respond_collection(): "Max page size with $expand is 100" */
	return q->nexpand && top > ODATA_EXPAND_MAX_PAGE ? ODATA_EXPAND_MAX_PAGE : top;
}

/* Where a walk of @kind starts without a $skiptoken. */
static struct walk_pos walk_first(const struct walk *w, struct tenant *t)
{
	if (w->desc)
		return (struct walk_pos){run_start(w->keyed, oset_last(w->keyed)), NULL,
		                         0, 0, w->keyed};
	return (struct walk_pos){w->keyed
	                             ? oset_seek(w->keyed, w->prefix, 0)
	                             : oset_first(w->seq ? w->seq : &t->by_seq[w->kind]),
	                         NULL, 0, 0, NULL};
}

/* The first of @v[0..n) (by seq) inserted after @seq. */
static size_t after_seq(struct dobj *const *v, size_t n, uint64_t seq)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid]->seq <= seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * A name prefix in insertion order: its range of the name index sorted by
 * seq once a page, then walked from the $skiptoken like the seq index. A
 * page reads only the objects it looks at, not the whole range.
 */
static int walk_prefix_range(struct walk *w, const struct odata_list_opts *opts)
{
	const struct odata_query *q = w->c->odata;
	size_t n;
	struct dobj **v = kind_objs(w->c, (enum dobj_kind)w->kind, &n);
	int rc;

	if (!v)
		return resp_error(w->c->resp, GERR_INTERNAL, "Out of memory.");
	rc = walk_from(
	    w,
	    (struct walk_pos){
	        NULL, v, q->token_kind ? after_seq(v, n, q->token_value) : 0, n, NULL},
	    (struct walk_pos){NULL, v, 0, n, NULL}, opts);
	free(v);
	return rc;
}

int listing_walk(struct call *c, enum dobj_kind kind, const struct odata_entity *entity,
                 const struct odata_list_opts *opts)
{
	const struct odata_query *q = c->odata;
	struct walk w = {.c = c, .entity = entity, .kind = (int)kind};
	struct walk_pos start;
	enum walk_order order;
	char *prefix;
	int rc;

	if (!walkable(q, opts, &order) || (order == BY_UPN && kind != DOBJ_USER))
		return 1;
	w.desc = order != BY_SEQ && q->orderby[0].desc;
	prefix = lower_prefix(odata_filter_startswith_value(q, "displayName"));
	if (prefix && (w.desc || order == BY_UPN || order == BY_CREATED)) {
		free(prefix); /* the engine sorts the prefix's range alone */
		return 1;
	}
	w.seq = guests_or_all(c, kind);
	/* A few guests sorted: the engine sorts them alone, rather than a walk
	 * of every user's name or UPN reading each for the filter. */
	if (order != BY_SEQ && w.seq == &c->tenant->guests &&
	    w.seq->count * 8 < c->tenant->by_seq[kind].count) {
		free(prefix);
		return 1;
	}
	bool oom = true;
	w.keyed = order == BY_NAME      ? &c->tenant->by_name[kind]
	          : order == BY_UPN     ? state_dobj_upn_order(c->tenant)
	          : order == BY_CREATED ? state_dobj_created_order(c->tenant, kind, &oom)
	                                : NULL;
	if (order != BY_SEQ && !w.keyed) {
		free(prefix);
		/* a createdDateTime that is no date-time: the engine's to sort */
		return oom ? resp_error(c->resp, GERR_INTERNAL, "Out of memory.") : 1;
	}
	odata_query_members(q, &w.mem);
	w.top = listing_page_size(q, opts);
	if (prefix && !w.keyed) {
		free(prefix);
		return walk_prefix_range(&w, opts);
	}
	w.prefix = prefix;
	start = walk_first(&w, c->tenant);
	if (q->token_kind && !w.keyed)
		start.o = oset_seek(w.seq, NULL, q->token_value + 1);
	else if (q->token_kind && w.desc)
		start.o = desc_after(w.keyed, q->token_key, q->token_value);
	else if (q->token_kind)
		start.o = oset_seek(w.keyed, q->token_key, q->token_value + 1);
	rc = walk_from(&w, start, walk_first(&w, c->tenant), opts);
	free(prefix);
	return rc;
}

int listing_walk_members(struct call *c, const struct dobj *group, int kind,
                         bool skip_sps, const struct odata_list_opts *opts)
{
	const struct odata_query *q = c->odata;
	struct walk w = {.c = c, .kind = kind, .skip_sps = skip_sps};
	enum walk_order order;

	if (!walkable(q, opts, &order) || order != BY_SEQ)
		return 1;
	odata_query_members(q, &w.mem);
	w.top = listing_page_size(q, opts);
	return walk_from(
	    &w,
	    (struct walk_pos){q->token_kind ? state_member_seek(group, q->token_value + 1)
	                                    : state_member_first(group),
	                      NULL, 0, 0, NULL},
	    (struct walk_pos){state_member_first(group), NULL, 0, 0, NULL}, opts);
}

/* /$count as the general engine answers it, over every object collected. */
static int count_by_engine(struct call *c, enum dobj_kind kind)
{
	size_t n = 0;
	struct odata_item *items = listing_kind_for(c, kind, NULL, &n);
	int rc = items ? odata_respond_count(c->odata, c->req, c->resp, items, n)
	               : resp_error(c->resp, GERR_INTERNAL, "Out of memory.");

	odata_items_free(items, n);
	return rc;
}

int listing_count(struct call *c, enum dobj_kind kind)
{
	struct walk w = {.c = c, .kind = (int)kind};
	char *prefix;
	size_t n;

	if (!listing_walks)
		return count_by_engine(c, kind);
	odata_query_members(c->odata, &w.mem);
	/* With a name prefix, only its range of the name order can match. */
	prefix = lower_prefix(odata_filter_startswith_value(c->odata, "displayName"));
	w.keyed = prefix ? &c->tenant->by_name[kind] : NULL;
	w.seq = guests_or_all(c, kind);
	w.prefix = prefix;
	n = walk_count(&w, walk_first(&w, c->tenant));
	free(prefix);
	if (w.oom)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return odata_respond_number(c->odata, c->req, c->resp, n);
}
