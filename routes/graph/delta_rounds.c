/*
 * routes/graph/delta_rounds.c - the pages of a delta round (delta.h): the
 * first sync through every object, and a round of what the change log says
 * changed, one item per object: its selected properties (id last, never-set
 * ones left out), "@removed" once it is deleted, and members@delta for groups.
 */
#include <stdlib.h>
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/odata/odata.h"
#include "../../state/changelog.h"
#include "../../state/deleted.h"
#include "delta.h"
#include "entities.h"

static const char *const odata_types[DOBJ_KIND_COUNT] = {
    [DOBJ_USER] = "#microsoft.graph.user",
    [DOBJ_GROUP] = "#microsoft.graph.group",
    [DOBJ_SERVICE_PRINCIPAL] = "#microsoft.graph.servicePrincipal",
    [DOBJ_APPLICATION] = "#microsoft.graph.application",
};

static bool selects(const struct delta_state *s, const char *name)
{
	for (size_t i = 0; i < s->nselect; i++)
		if (!strcmp(s->select[i], name))
			return true;
	return false;
}

static bool wants_members(const struct delta_state *s)
{
	return s->kind == DOBJ_GROUP && (!s->nselect || selects(s, "members"));
}

static bool id_wanted(const struct delta_state *s, const char *id)
{
	if (!s->nids)
		return true;
	for (size_t i = 0; i < s->nids; i++)
		if (!strcmp(s->ids[i], id))
			return true;
	return false;
}

/*
 * The object's selected (or default) properties that have ever been set,
 * then "id" last, as Graph's delta pages show them. With @only (minimal),
 * just those names. New reference or NULL.
 */
static json_t *render_object(const struct delta_state *s, const struct dobj *d,
                             char *const *only, size_t nonly)
{
	struct odata_query q;
	char *names[DELTA_MAX_SELECT];
	size_t n = 0;
	json_t *proj, *out;
	const char *key;
	json_t *v;

	memset(&q, 0, sizeof(q));
	q.entity = entity_for_kind(d->kind);
	for (size_t i = 0; i < s->nselect; i++)
		if (strcmp(s->select[i], "members"))
			names[n++] = s->select[i];
	q.select = names;
	q.nselect = n;
	if (s->nselect && !n)
		q.nselect = 0, q.select = NULL; /* only "members": the default set */
	proj = odata_project(&q, q.entity, state_dobj_json(d), false);
	out = json_object();
	if (!proj || !out) {
		json_decref(proj);
		json_decref(out);
		return NULL;
	}
	json_object_foreach(proj, key, v)
	{
		/* never set: left out; minimal: only what changed (null included) */
		bool keep = json_object_get(state_dobj_json(d), key) != NULL;

		if (only) {
			keep = false;
			for (size_t i = 0; i < nonly; i++)
				keep |= !strcmp(only[i], key);
		}
		if (keep && strcmp(key, "id"))
			json_object_set(out, key, v);
	}
	json_decref(proj);
	json_object_set_new(out, "id", json_string(d->id));
	return out;
}

static json_t *member_ref(enum dobj_kind kind, const char *id, bool removed)
{
	json_t *m = json_pack("{s:s, s:s}", "@odata.type", odata_types[kind], "id", id);

	if (m && removed)
		json_object_set_new(m, "@removed",
		                    json_pack("{s:s}", "reason", "deleted"));
	return m;
}

static json_t *removed_item(const char *id, const char *reason)
{
	return json_pack("{s:s, s:{s:s}}", "id", id, "@removed", "reason", reason);
}

/* ---- members@delta, a page's share of them ---- */

struct member_entry {
	const char *id;
	enum dobj_kind kind;
	bool removed;
};

static int entry_cmp(const struct member_entry *a, const struct member_entry *b)
{
	return strcmp(a->id, b->id);
}

static int by_id(const void *a, const void *b)
{
	return entry_cmp(a, b);
}

static void entry_swap(struct member_entry *a, struct member_entry *b)
{
	struct member_entry t = *a;

	*a = *b;
	*b = t;
}

/*
 * Move the @k entries of @v[0..@n) with the smallest ids to its front, in no
 * order (0 < @k < @n): Hoare's selection, linear on average, so a page of a
 * group of a hundred thousand members does not sort them all.
 */
static void smallest_first(struct member_entry *v, size_t n, size_t k)
{
	long lo = 0, hi = (long)n - 1, target = (long)k;

	while (lo < hi) {
		struct member_entry pivot = v[lo + (hi - lo) / 2];
		long i = lo, j = hi;

		while (i <= j) {
			while (entry_cmp(&v[i], &pivot) < 0)
				i++;
			while (entry_cmp(&v[j], &pivot) > 0)
				j--;
			if (i <= j)
				entry_swap(&v[i++], &v[j--]);
		}
		if (target <= j)
			hi = j;
		else if (target >= i)
			lo = i;
		else
			return;
	}
}

/*
 * Give @item the members@delta its page has room for: @v[0..@n) (as listed;
 * reordered here), less those a page before showed when @item is the object
 * that page left unfinished (@resumed: the ids after s->member_after), at
 * most *@budget entries. When more remain, the smallest ids go now, and s
 * notes the object's @place and the last id shown for the next page; *@cut
 * says so. No entries, no property (DQG: a group without members has none).
 * 0 or -1 (OOM).
 */
static int add_members(json_t *item, struct delta_state *s, uint64_t place, bool resumed,
                       struct member_entry *v, size_t n, size_t *budget, bool *cut)
{
	json_t *ms;
	size_t kept = 0;

	*cut = false;
	if (resumed && s->member_after[0]) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(v[i].id, s->member_after) > 0)
				v[kept++] = v[i];
		n = kept;
	}
	s->member_seq = 0;
	s->member_after[0] = '\0';
	if (n > *budget) {
		smallest_first(v, n, *budget);
		n = *budget;
		qsort(v, n, sizeof(*v), by_id);
		*cut = true;
		s->member_seq = place;
		snprintf(s->member_after, sizeof(s->member_after), "%s", v[n - 1].id);
	}
	if (!n)
		return 0;
	ms = json_array();
	for (size_t i = 0; ms && i < n; i++) {
		if (json_array_append_new(ms,
		                          member_ref(v[i].kind, v[i].id, v[i].removed))) {
			json_decref(ms);
			return -1;
		}
	}
	*budget -= n;
	return json_object_set_new(item, "members@delta", ms);
}

/* ---- the first sync ---- */

/* Every member of group @d, as entries (borrowed ids); NULL with *@n 0 for none. */
static struct member_entry *current_members(const struct dobj *d, size_t *n, bool *oom)
{
	struct member_entry *v;
	size_t i = 0;

	*n = HASH_COUNT(d->members);
	*oom = false;
	if (!*n)
		return NULL;
	v = malloc(*n * sizeof(*v));
	if (!v) {
		*oom = true;
		return NULL;
	}
	for (struct dobj_link *l = d->members; l; l = l->hh.next)
		v[i++] = (struct member_entry){l->id, l->obj->kind, false};
	return v;
}

/*
 * Every object of the kind past @after, in insertion order, up to a page:
 * walked from the seq order's place for @after, so a page costs its own
 * objects (a first sync of a million users was 0.18 s a page, each page
 * collecting and sorting them all). A group whose members overflow the
 * page's share ends it, and the next page starts with it again.
 */
int delta_initial_page(struct call *c, struct delta_state *s, json_t *value, bool *more)
{
	size_t budget = (size_t)s->page * DELTA_MEMBERS_PER_ITEM;
	uint64_t resume = s->member_seq;
	int rc = 0;

	*more = false;
	s->member_seq = 0; /* until a group is cut again (add_members) */
	for (struct oset_node *o = oset_seek(&c->tenant->by_seq[s->kind], NULL,
	                                     resume ? resume : s->after + 1);
	     o && !rc; o = oset_next(o)) {
		struct dobj *d = o->val;
		struct member_entry *v = NULL;
		size_t n = 0;
		bool cut = false, oom = false;
		json_t *item;

		if (!id_wanted(s, d->id))
			continue;
		if (json_array_size(value) == (size_t)s->page || !budget) {
			*more = true;
			break;
		}
		item = render_object(s, d, NULL, 0);
		if (item && wants_members(s))
			v = current_members(d, &n, &oom);
		if (!item || oom ||
		    (n && add_members(item, s, d->seq, d->seq == resume, v, n, &budget,
		                      &cut))) {
			free(v);
			json_decref(item);
			return -1;
		}
		free(v);
		rc = json_array_append_new(value, item);
		if (cut) {
			*more = true;
			break;
		}
		s->after = d->seq;
	}
	return rc;
}

/* ---- rounds of changes ---- */

struct member_change {
	char id[GUID_STR_LEN + 1];
	enum dobj_kind kind;
	bool removed;
};

/* What the log says about one object in the round's window. */
struct obj_changes {
	char id[GUID_STR_LEN + 1];
	uint64_t last_seq;
	bool all;     /* created, restored, or an update of everything */
	bool object;  /* any entry about the object itself */
	char **props; /* borrowed from the log entries */
	size_t nprops, cap_props;
	struct member_change *members;
	size_t nmembers, cap_members;
	UT_hash_handle hh;
};

static void changes_free(struct obj_changes *set)
{
	struct obj_changes *o, *tmp;

	HASH_ITER(hh, set, o, tmp)
	{
		HASH_DEL(set, o);
		free(o->props);
		free(o->members);
		free(o);
	}
}

static int add_prop(struct obj_changes *o, char *name)
{
	for (size_t i = 0; i < o->nprops; i++)
		if (!strcmp(o->props[i], name))
			return 0;
	if (o->nprops == o->cap_props) {
		size_t cap = o->cap_props ? o->cap_props * 2 : 8;
		char **grown = realloc(o->props, cap * sizeof(*grown));
		if (!grown)
			return -1;
		o->props = grown;
		o->cap_props = cap;
	}
	o->props[o->nprops++] = name;
	return 0;
}

/* A member's latest state wins: added, or removed. */
static int add_member(struct obj_changes *o, const struct change *ch)
{
	size_t i;

	for (i = 0; i < o->nmembers; i++)
		if (!strcmp(o->members[i].id, ch->member_id))
			break;
	if (i == o->nmembers) {
		if (o->nmembers == o->cap_members) {
			size_t cap = o->cap_members ? o->cap_members * 2 : 8;
			struct member_change *grown =
			    realloc(o->members, cap * sizeof(*grown));
			if (!grown)
				return -1;
			o->members = grown;
			o->cap_members = cap;
		}
		memcpy(o->members[i].id, ch->member_id, sizeof(o->members[i].id));
		o->nmembers++;
	}
	o->members[i].kind = ch->member_kind;
	o->members[i].removed = ch->op == CHANGE_MEMBER_REMOVED;
	return 0;
}

static int fold(struct obj_changes *o, const struct change *ch)
{
	if (ch->seq > o->last_seq)
		o->last_seq = ch->seq;
	switch (ch->op) {
	case CHANGE_MEMBER_ADDED:
	case CHANGE_MEMBER_REMOVED:
		return add_member(o, ch);
	case CHANGE_UPDATED:
		o->object = true;
		o->all |= ch->all_props;
		for (size_t i = 0; i < ch->nprops; i++)
			if (add_prop(o, ch->props[i]))
				return -1;
		return 0;
	case CHANGE_CREATED:
	case CHANGE_RESTORED:
	case CHANGE_SOFT_DELETED:
	case CHANGE_PURGED:
		o->object = true;
		o->all = true;
		return 0;
	}
	return 0;
}

/* The window (from, to] of @kind, one entry per object. 0 or -1 (OOM). */
static int collect_changes(const struct changelog *log, const struct delta_state *s,
                           struct obj_changes **set)
{
	for (size_t i = 0; i < log->n; i++) {
		const struct change *ch = &log->v[i];
		struct obj_changes *o;

		if (ch->seq <= s->from || ch->seq > s->to || ch->kind != s->kind ||
		    !id_wanted(s, ch->id))
			continue;
		HASH_FIND_STR(*set, ch->id, o);
		if (!o) {
			o = calloc(1, sizeof(*o));
			if (!o)
				return -1;
			memcpy(o->id, ch->id, sizeof(o->id));
			HASH_ADD_STR(*set, id, o);
		}
		if (fold(o, ch))
			return -1;
	}
	return 0;
}

static int by_last_seq(const void *a, const void *b)
{
	const struct obj_changes *x = *(struct obj_changes *const *)a;
	const struct obj_changes *y = *(struct obj_changes *const *)b;

	return x->last_seq < y->last_seq ? -1 : x->last_seq > y->last_seq;
}

/*
 * One object of the round as its delta item, its members@delta within
 * *@budget (add_members; @resumed: the item a page before left unfinished,
 * *@cut: this one is). *@item NULL when there is nothing to say. 0 or -1.
 */
static int change_item(struct call *c, struct delta_state *s, const struct obj_changes *o,
                       bool minimal, bool resumed, size_t *budget, json_t **item,
                       bool *cut)
{
	struct member_entry *v = NULL;
	struct dobj *d;
	size_t n = 0;
	bool oom = false;

	*item = NULL;
	*cut = false;
	HASH_FIND_STR(c->tenant->objects, o->id, d);
	if (!d) {
		*item = removed_item(
		    o->id, state_deleted_find(c->tenant, o->id) ? "changed" : "deleted");
		return *item ? 0 : -1;
	}
	if (!o->object && !(wants_members(s) && o->nmembers))
		return 0; /* membership changes the caller did not select */
	*item = (minimal && !o->all) ? render_object(s, d, o->props, o->nprops)
	                             : render_object(s, d, NULL, 0);
	if (!*item)
		return -1;
	if (!wants_members(s))
		return 0;
	/* a group created or restored in the window lists every member */
	if (o->all)
		v = current_members(d, &n, &oom);
	if (!oom && o->nmembers) {
		struct member_entry *grown = realloc(v, (n + o->nmembers) * sizeof(*v));

		oom = !grown;
		v = grown ? grown : v;
	}
	for (size_t i = 0; !oom && i < o->nmembers; i++) {
		bool listed = o->all && !o->members[i].removed;
		if (!listed)
			v[n++] = (struct member_entry){
			    o->members[i].id, o->members[i].kind, o->members[i].removed};
	}
	if (oom ||
	    (n && add_members(*item, s, o->last_seq, resumed, v, n, budget, cut))) {
		free(v);
		json_decref(*item);
		*item = NULL;
		return -1;
	}
	free(v);
	return 0;
}

int delta_changes_page(struct call *c, struct delta_state *s, bool minimal, json_t *value,
                       bool *more)
{
	struct obj_changes *set = NULL, *o, **order = NULL;
	size_t n = 0, budget = (size_t)s->page * DELTA_MEMBERS_PER_ITEM;
	uint64_t resume = s->member_seq;
	int rc = collect_changes(c->tenant->changes, s, &set);

	*more = false;
	s->member_seq = 0; /* until a group is cut again (add_members) */
	if (!rc) {
		order = calloc(HASH_COUNT(set) + 1, sizeof(*order));
		rc = order ? 0 : -1;
	}
	for (o = set; !rc && o; o = o->hh.next)
		if (o->last_seq > s->after)
			order[n++] = o;
	if (!rc)
		qsort(order, n, sizeof(*order), by_last_seq);
	for (size_t i = 0; !rc && i < n; i++) {
		bool cut = false;
		json_t *item;

		if (json_array_size(value) == (size_t)s->page || !budget) {
			*more = true;
			break;
		}
		rc = change_item(c, s, order[i], minimal, order[i]->last_seq == resume,
		                 &budget, &item, &cut);
		if (!rc && item)
			rc = json_array_append_new(value, item);
		if (cut) {
			*more = true;
			break;
		}
		s->after = order[i]->last_seq;
	}
	free(order);
	changes_free(set);
	return rc;
}
