/*
 * state/dobj.c - directory objects: the per-tenant id table, the per-kind
 * tables, the secondary indexes (UPN, mail, appId), the paging orders (by
 * seq, by display name, a group's members by seq), membership edges, and
 * cascading removal. Each change is also written to the tenant's change log
 * (state/changelog.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "changelog.h"
#include "created_order.h"
#include "frozen.h"
#include "invitation.h"
#include "rewind.h"
#include "state.h"
#include "util/jparse.h"

/*
 * Tables made here start with 4 buckets, not uthash's 32 (uthash.h defines
 * them without #ifndef, so they are redefined after it). Most are the
 * member_of links of one object, which belongs to one group or two: at 32,
 * the empty buckets cost 512 bytes a member (300,000 members at make
 * bench-scale). Big tables double their way up as before, three more times.
 */
#undef HASH_INITIAL_NUM_BUCKETS
#undef HASH_INITIAL_NUM_BUCKETS_LOG2
#define HASH_INITIAL_NUM_BUCKETS      4U
#define HASH_INITIAL_NUM_BUCKETS_LOG2 2U

/*
 * ADD_TOOK: with HASH_NONFATAL_OOM (state/util/hash.h) a HASH_ADD fails
 * only when the table it would create cannot be made, and then the count
 * does not grow; so each add here compares HASH_COUNT before and after,
 * rather than finding the item again (a hash and a bucket walk per object
 * loaded).
 */

static json_t *thawed(const struct dobj *d)
{
	return state_frozen_thaw(d->tenant->st, d->tenant, d->kind, d->frozen);
}

/* Note user @d, just parsed from its text in a big tenant, for keeping as
 * text again when the request ends. Out of memory: it stays parsed. */
static void note_parsed(struct dobj *d)
{
	struct tenant *t = d->tenant;

	if (d->kind != DOBJ_USER || !state_tenant_is_big(t, DOBJ_USER))
		return;
	if (t->nparsed == t->cap_parsed) {
		size_t cap = t->cap_parsed ? 2 * t->cap_parsed : 8;
		void *grown = state_realloc(t->parsed, cap * sizeof(*t->parsed));

		if (!grown)
			return;
		t->parsed = grown;
		t->cap_parsed = cap;
	}
	memcpy(t->parsed[t->nparsed++], d->id, sizeof(t->parsed[0]));
}

/*
 * The cast: making the properties on first use fills a cache behind a const
 * @d. Every use of @d is under its tenant's lock, so this is too.
 */
static json_t *props_made(struct dobj *d)
{
	/* The text stays with @d after this: a string the loaded document
	 * shares is then only ever let go with its object, under the tenant's
	 * lifetime, and never freed by another thread right after this one
	 * read it (jansson's release-only decrement orders no such free). */
	if (!d->props && d->frozen) {
		d->props = thawed(d);
		if (d->props)
			note_parsed(d);
	}
	return d->props;
}

json_t *state_dobj_json(const struct dobj *cd)
{
	struct dobj *d = (struct dobj *)cd;

	if (d->snap_due)
		state_txn_snapshot_due(d->tenant, d);
	return props_made(d);
}

const json_t *state_dobj_json_peek(const struct dobj *d)
{
	return props_made((struct dobj *)d);
}

json_t *state_dobj_json_read(const struct dobj *d, json_t **hold)
{
	*hold = NULL;
	if (d->props || !d->frozen || !state_tenant_is_big(d->tenant, d->kind))
		return state_dobj_json(d);
	*hold = thawed(d);
	return *hold;
}

json_t *state_dobj_json_some(const struct dobj *d, const char *const *only, json_t **hold)
{
	*hold = NULL;
	if (d->props || !d->frozen || !state_tenant_is_big(d->tenant, d->kind))
		return state_dobj_json(d);
	*hold =
	    state_frozen_thaw_members(d->tenant->st, d->tenant, d->kind, d->frozen, only);
	return *hold;
}

json_t *state_dobj_member(const struct dobj *d, const char *name)
{
	const char *text;
	size_t len;
	const char *only[] = {name, NULL};
	json_error_t jerr;
	json_t *stub, *v;

	if (d->props || !state_frozen_text(d->frozen, &text, &len))
		return json_incref(json_object_get(state_dobj_json(d), name));
	stub = jparse_members(text, len, only, &jerr);
	v = json_incref(json_object_get(stub, name));
	json_decref(stub);
	return v;
}

json_t *state_dobj_json_copy(const struct dobj *d)
{
	return d->props ? json_deep_copy(d->props) : thawed(d);
}

void state_dobj_freeze(struct dobj *d, json_t *text)
{
	json_decref(d->frozen);
	d->frozen = json_incref(text);
	json_decref(d->props);
	d->props = NULL;
}

int state_dobj_refreeze(struct dobj *d)
{
	json_t *frozen;

	if (!d->props || d->kind != DOBJ_USER)
		return 0;
	frozen = state_frozen_dump(d->props);
	if (!frozen)
		return -1;
	state_dobj_freeze(d, frozen);
	json_decref(frozen);
	return 0;
}

void state_dobj_set_json(struct dobj *d, json_t *obj)
{
	json_t *old = d->props;

	if (d->snap_due)
		state_txn_snapshot_due(d->tenant, d);
	state_rewind_check(d->tenant, d);
	state_tenant_changed(d->tenant);

	d->props = obj;
	json_decref(old);
}

static char *lower_dup(const char *s)
{
	char *out = state_strdup(s);

	if (out)
		for (char *p = out; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return out;
}

/*
 * Buckets for @n items in the table of @head (just made by its first add)
 * at once, while a load adds them: uthash would double its way there,
 * rehashing every item each time, and lets a chain grow to ten items before
 * it doubles, each step a cache miss once a million users are in. About two
 * items a bucket: 16 bytes a bucket. A failed allocation leaves the table as
 * it was, which works as before.
 */
#define TABLE_RESERVE(head, n)                                                           \
	do {                                                                             \
		UT_hash_table *tbl_ = (head)->hh.tbl;                                    \
		int oomed_ = 0;                                                          \
		(void)oomed_;                                                            \
		while (!oomed_ && tbl_->num_buckets < (n) / 2)                           \
			HASH_EXPAND_BUCKETS(hh, tbl_, oomed_);                           \
	} while (0)

/* While loading: the objects to come, of every kind. */
static size_t expected_objects(const struct tenant *t)
{
	size_t n = 0;

	for (int k = 0; k < DOBJ_KIND_COUNT; k++)
		n += t->expect.of_kind[k];
	return n;
}

/* ... and of the kinds index @idx holds (keys_collect below): a tenant's
 * few apps need no table sized for its million users. */
static size_t expected_keys(const struct tenant *t, enum dobj_index idx)
{
	const size_t *of = t->expect.of_kind;

	switch (idx) {
	case IDX_UPN:
		return of[DOBJ_USER];
	case IDX_MAIL:
		return of[DOBJ_USER] + of[DOBJ_GROUP];
	case IDX_APPID:
		return of[DOBJ_APPLICATION] + of[DOBJ_SERVICE_PRINCIPAL];
	case IDX_COUNT:
		break;
	}
	return 0;
}

static void index_entry_free(struct index_entry *e)
{
	if (e->objs != &e->one)
		state_free(e->objs);
	state_free(e);
}

static void index_del(struct tenant *t, enum dobj_index idx, const char *key,
                      struct dobj *d)
{
	struct index_entry *e;

	HASH_FIND_STR(t->idx[idx], key, e);
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		if (e->objs[i] != d)
			continue;
		memmove(&e->objs[i], &e->objs[i + 1], (e->n - i - 1) * sizeof(*e->objs));
		e->n--;
		break;
	}
	if (e->n == 0) {
		HASH_DEL(t->idx[idx], e);
		index_entry_free(e);
	}
}

/*
 * Register @d under @k in its index. The entry keeps the key's text, and @k
 * then points at it instead of its own copy (freed): a user's UPN and mail
 * are stored once, not once per index and once per object.
 */
static int index_put(struct tenant *t, struct dobj_key *k, struct dobj *d)
{
	struct index_entry *e;

	HASH_FIND_STR(t->idx[k->idx], k->key, e);
	if (!e) {
		size_t len = strlen(k->key);
		e = state_calloc(1, sizeof(*e) + len + 1);
		if (!e)
			return -1;
		memcpy(e->text, k->key, len + 1);
		e->objs = &e->one;
		e->cap = 1;
		unsigned before = HASH_COUNT(t->idx[k->idx]);
		HASH_ADD_KEYPTR(hh, t->idx[k->idx], e->text, len, e);
		if (HASH_COUNT(t->idx[k->idx]) != before + 1) { /* see ADD_TOOK */
			state_free(e);
			return -1;
		}
		if (before == 0 && expected_keys(t, k->idx))
			TABLE_RESERVE(t->idx[k->idx], expected_keys(t, k->idx));
	}
	for (size_t i = 0; i < e->n; i++)
		if (e->objs[i] == d)
			goto held;
	if (e->n == e->cap) {
		uint32_t cap = e->cap * 2;
		struct dobj **grown = state_realloc(e->objs == &e->one ? NULL : e->objs,
		                                    cap * sizeof(*grown));
		if (!grown) {
			if (e->n == 0) { /* just created for this key: leave none */
				HASH_DEL(t->idx[k->idx], e);
				index_entry_free(e);
			}
			return -1;
		}
		if (e->objs == &e->one)
			grown[0] = e->one;
		e->objs = grown;
		e->cap = cap;
	}
	e->objs[e->n++] = d;
held:
	if (k->owned)
		state_free(k->key);
	k->key = e->text;
	k->owned = false;
	return 0;
}

static void keys_free(struct dobj_key *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i].owned)
			state_free(keys[i].key);
	state_free(keys);
}

static void keys_clear(struct tenant *t, struct dobj *d)
{
	for (size_t i = 0; i < d->nkeys; i++)
		index_del(t, d->keys[i].idx, d->keys[i].key, d);
	state_free(d->keys);
	d->keys = NULL;
	d->nkeys = 0;
}

/* Append the lower-cased @value to @keys (room for it allocated) unless empty
 * or already there. 0 or -1. */
static int key_push(struct dobj_key *keys, size_t *n, enum dobj_index idx,
                    const char *value)
{
	char *key;

	if (!value || !*value)
		return 0;
	key = lower_dup(value);
	if (!key)
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (keys[i].idx == idx && !strcmp(keys[i].key, key)) {
			state_free(key);
			return 0;
		}
	keys[*n].idx = idx;
	keys[*n].owned = true;
	keys[*n].key = key;
	(*n)++;
	return 0;
}

/* The index keys @d's properties call for, in one array (NULL when none).
 * 0, or -1 with nothing allocated. */
static int keys_collect(const struct dobj *d, struct dobj_key **keys, size_t *n)
{
	json_t *other = d->kind == DOBJ_USER
	                    ? json_object_get(state_dobj_json(d), "otherMails")
	                    : NULL;
	/* at most: a user's UPN, mail and other mails; else one key */
	size_t room = d->kind == DOBJ_USER ? 2 + json_array_size(other) : 1;
	int rc = 0;

	*n = 0;
	*keys = state_malloc(room * sizeof(**keys));
	if (!*keys)
		return -1;
	switch (d->kind) {
	case DOBJ_USER: {
		size_t i;
		json_t *v;

		rc |= key_push(*keys, n, IDX_UPN,
		               json_string_value(json_object_get(state_dobj_json(d),
		                                                 "userPrincipalName")));
		rc |= key_push(
		    *keys, n, IDX_MAIL,
		    json_string_value(json_object_get(state_dobj_json(d), "mail")));
		json_array_foreach(other, i, v)
		{
			rc |= key_push(*keys, n, IDX_MAIL, json_string_value(v));
		}
		break;
	}
	case DOBJ_SERVICE_PRINCIPAL:
	case DOBJ_APPLICATION:
		rc |= key_push(
		    *keys, n, IDX_APPID,
		    json_string_value(json_object_get(state_dobj_json(d), "appId")));
		break;
	case DOBJ_GROUP:
		/* a Microsoft 365 group's address is as unique as a user's */
		rc |= key_push(
		    *keys, n, IDX_MAIL,
		    json_string_value(json_object_get(state_dobj_json(d), "mail")));
		break;
	case DOBJ_KIND_COUNT:
		break;
	}
	if (rc || *n == 0) {
		keys_free(*keys, *n);
		*keys = NULL;
		*n = 0;
	}
	return rc ? -1 : 0;
}

static bool keys_have(const struct dobj_key *keys, size_t n, const struct dobj_key *k)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i].idx == k->idx && !strcmp(keys[i].key, k->key))
			return true;
	return false;
}

/*
 * @d's displayName lower-cased (new string); "" when it has none, so every
 * object has a place in the name order (first, as null sorts). *@oom on failure.
 */
static char *name_key_of(const struct dobj *d, bool *oom)
{
	const char *name =
	    json_string_value(json_object_get(state_dobj_json(d), "displayName"));
	char *key = lower_dup(name ? name : "");

	*oom = !key;
	return key;
}

static bool same_key(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* A user's UPN key among @keys (the index entry's text once registered). */
static const char *upn_key(const struct dobj_key *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i].idx == IDX_UPN)
			return keys[i].key;
	return NULL;
}

const char *state_dobj_upn_key(const struct dobj *d)
{
	return upn_key(d->keys, d->nkeys);
}

/* Is @d a user whose userType is Guest (as its properties say now)? */
static bool is_guest(const struct dobj *d)
{
	const char *type =
	    d->kind == DOBJ_USER
	        ? json_string_value(json_object_get(state_dobj_json(d), "userType"))
	        : NULL;

	return type && !strcasecmp(type, "Guest");
}

/* Is @d in @t's UPN order, when there is one? */
static bool upn_ordered(const struct tenant *t, const struct dobj *d)
{
	return t->upn_ordered && d->kind == DOBJ_USER;
}

/*
 * All or nothing: register what is new first (the only steps that allocate:
 * a place among the guests or in the name order, the index entries, a place
 * in the UPN order), then drop what went away, which never fails.
 */
int state_dobj_reindex(struct tenant *t, struct dobj *d)
{
	struct dobj_key *fresh;
	size_t nfresh, added;
	bool oom;
	char *name = name_key_of(d, &oom);
	bool renamed = !same_key(name, d->name_key);
	/* the name order is filled at the end of a load (state_dobj_names_build) */
	bool ordered = !t->names_later;
	bool guest = is_guest(d), now_guest = guest && !d->in_guests;

	state_rewind_check(t, d);
	state_tenant_changed(t);
	if (oom)
		return -1;
	if (now_guest && oset_insert(&t->guests, NULL, d->seq, d)) {
		state_free(name);
		return -1;
	}
	if (renamed && name && ordered &&
	    oset_insert(&t->by_name[d->kind], name, d->seq, d)) {
		if (now_guest)
			oset_remove(&t->guests, NULL, d->seq);
		state_free(name);
		return -1;
	}
	if (keys_collect(d, &fresh, &nfresh)) {
		if (renamed && name && ordered)
			oset_remove(&t->by_name[d->kind], name, d->seq);
		if (now_guest)
			oset_remove(&t->guests, NULL, d->seq);
		state_free(name);
		return -1;
	}
	for (added = 0; added < nfresh; added++) {
		if (keys_have(d->keys, d->nkeys, &fresh[added]))
			continue; /* (made the entry's text below) */
		if (index_put(t, &fresh[added], d))
			goto out_undo;
	}
	for (size_t i = 0; i < nfresh; i++) /* a key it had: never fails */
		if (fresh[i].owned && index_put(t, &fresh[i], d))
			goto out_undo;
	/* Both are entries' texts now: one UPN, one pointer. The old text is
	 * still alive (its entry is dropped below). */
	const char *upn_was = upn_key(d->keys, d->nkeys), *upn = upn_key(fresh, nfresh);
	if (upn_ordered(t, d) && upn != upn_was) {
		if (upn && oset_insert(&t->by_upn, upn, d->seq, d))
			goto out_undo;
		if (upn_was)
			oset_remove(&t->by_upn, upn_was, d->seq);
	}
	for (size_t i = 0; i < d->nkeys; i++)
		if (!keys_have(fresh, nfresh, &d->keys[i]))
			index_del(t, d->keys[i].idx, d->keys[i].key, d);
	keys_free(d->keys, d->nkeys);
	d->keys = fresh;
	d->nkeys = nfresh;
	if (renamed) {
		if (d->name_key && ordered)
			oset_remove(&t->by_name[d->kind], d->name_key, d->seq);
		state_free(d->name_key);
		d->name_key = name;
	} else {
		state_free(name);
	}
	if (d->in_guests && !guest)
		oset_remove(&t->guests, NULL, d->seq);
	d->in_guests = guest;
	return 0;

out_undo:
	while (added-- > 0)
		if (!keys_have(d->keys, d->nkeys, &fresh[added]))
			index_del(t, fresh[added].idx, fresh[added].key, d);
	keys_free(fresh, nfresh);
	if (renamed && name && ordered)
		oset_remove(&t->by_name[d->kind], name, d->seq);
	if (now_guest)
		oset_remove(&t->guests, NULL, d->seq);
	state_free(name);
	return -1;
}

struct name_entry {
	uint64_t head[2]; /* the key's first 16 bytes, big-endian, NUL-padded */
	const char *key;
	uint64_t seq;
	struct dobj *d;
};

static void name_head(const char *key, uint64_t head[2])
{
	head[0] = head[1] = 0;
	for (int i = 0; i < 16 && key[i]; i++)
		head[i / 8] |= (uint64_t)(unsigned char)key[i] << (56 - 8 * (i % 8));
}

/*
 * The by_name order: name key, then seq (state/util/oset.c's cmp, strcmp's
 * bytes as unsigned). The keys' first 16 bytes sit in the entry, so most
 * comparisons of a million-name sort touch no key text: each of those was a
 * cache miss.
 */
static int name_cmp(const void *a, const void *b)
{
	const struct name_entry *x = a, *y = b;
	int c = 0;

	for (int i = 0; i < 2 && !c; i++)
		c = (x->head[i] > y->head[i]) - (x->head[i] < y->head[i]);
	if (!c && (x->head[1] & 0xff)) /* both run past 16 bytes */
		c = strcmp(x->key + 16, y->key + 16);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

int state_dobj_names_build(struct tenant *t)
{
	for (int k = 0; k < DOBJ_KIND_COUNT; k++) {
		struct name_entry *v;
		size_t n = 0;

		if (!t->by_seq[k].count)
			continue;
		v = state_malloc(t->by_seq[k].count * sizeof(*v));
		if (!v)
			return -1;
		for (struct oset_node *o = oset_first(&t->by_seq[k]); o;
		     o = oset_next(o)) {
			struct dobj *d = o->val;
			if (d->name_key) {
				v[n] =
				    (struct name_entry){{0, 0}, d->name_key, d->seq, d};
				name_head(d->name_key, v[n++].head);
			}
		}
		qsort(v, n, sizeof(*v), name_cmp);
		for (size_t i = 0; i < n; i++)
			if (oset_insert(&t->by_name[k], v[i].key, v[i].seq, v[i].d)) {
				state_free(v);
				return -1;
			}
		state_free(v);
	}
	t->names_later = false;
	return 0;
}

const struct oset *state_dobj_upn_order(struct tenant *t)
{
	struct oset *users = &t->by_seq[DOBJ_USER];
	struct name_entry *v;
	size_t n = 0;

	if (t->upn_ordered)
		return &t->by_upn;
	v = state_malloc((users->count + 1) * sizeof(*v));
	if (!v)
		return NULL;
	for (struct oset_node *o = oset_first(users); o; o = oset_next(o)) {
		struct dobj *d = o->val;
		const char *upn = state_dobj_upn_key(d);

		if (upn) {
			v[n] = (struct name_entry){{0, 0}, upn, d->seq, d};
			name_head(upn, v[n++].head);
		}
	}
	qsort(v, n, sizeof(*v), name_cmp);
	for (size_t i = 0; i < n; i++)
		if (oset_insert(&t->by_upn, v[i].key, v[i].seq, v[i].d)) {
			oset_release(&t->by_upn);
			state_free(v);
			return NULL;
		}
	state_free(v);
	t->upn_ordered = true;
	return &t->by_upn;
}

/* @d at the end of its kind's list, which keeps insertion order. */
static void kind_append(struct tenant *t, struct dobj *d)
{
	DL_APPEND2(t->by_kind[d->kind], d, kind_prev, kind_next);
	t->kind_count[d->kind]++;
}

static void kind_remove(struct tenant *t, struct dobj *d)
{
	DL_DELETE2(t->by_kind[d->kind], d, kind_prev, kind_next);
	d->kind_prev = d->kind_next = NULL;
	t->kind_count[d->kind]--;
}

static void dobj_free(struct tenant *t, struct dobj *d)
{
	state_tenant_changed(t); /* its address may hold another object next */
	state_dobj_unindex(t, d);
	if (d->member_order) {
		oset_release(d->member_order);
		state_free(d->member_order);
	}
	json_decref(d->props);
	json_decref(d->frozen);
	state_free(d);
}

struct dobj *state_dobj_add(struct state *st, struct tenant *t, enum dobj_kind kind,
                            json_t *obj)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	char key[GUID_STR_LEN + 1];
	struct dobj *d, *check;

	if (!id || !guid_valid(id))
		goto out_release;
	guid_lower(id, key);
	/* A lagging object is invisible but still occupies its id. */
	HASH_FIND_STR(t->objects, key, check);
	if (check)
		goto out_release;
	d = state_calloc(1, sizeof(*d));
	if (!d)
		goto out_release;
	memcpy(d->id, key, sizeof(d->id));
	if (strcmp(id, d->id)) /* stored lower case; most ids are already */
		json_object_set_new(obj, "id", json_string(d->id));
	d->kind = kind;
	d->tenant = t;
	d->props = obj;
	d->seq = state_next_seq(st);
	if (!t->loading) {
		int64_t lag = atomic_load(&st->lag_ms[kind]);

		d->visible_at_ms = lag ? state_now_ms(st) + lag : 0;
		d->invisible_reads = atomic_load(&st->lag_reads[kind]);
		if (lag)
			t->lag_applied = true;
	}
	unsigned before = HASH_COUNT(t->objects);
	HASH_ADD_STR(t->objects, id, d);
	if (HASH_COUNT(t->objects) != before + 1)
		goto out_free;
	state_rewind_created(t, d);
	if (before == 0 && expected_objects(t))
		TABLE_RESERVE(t->objects, expected_objects(t));
	kind_append(t, d);
	if (oset_insert(&t->by_seq[kind], NULL, d->seq, d)) {
		kind_remove(t, d);
		HASH_DEL(t->objects, d);
		goto out_free;
	}
	if (state_dobj_reindex(t, d)) {
		oset_remove(&t->by_seq[kind], NULL, d->seq);
		kind_remove(t, d);
		HASH_DEL(t->objects, d);
		goto out_free;
	}
	state_created_linked(t, d);
	if (state_change_log(st, t, CHANGE_CREATED, d, NULL, NULL, 0)) {
		state_dobj_unlink(t, d);
		goto out_free;
	}
	return d;

out_free:
	dobj_free(t, d);
	return NULL;
out_release:
	json_decref(obj);
	return NULL;
}

bool state_dobj_visible(struct state *st, const struct dobj *d)
{
	return !d->visible_at_ms || state_now_ms(st) >= d->visible_at_ms;
}

struct dobj *state_dobj_find(struct state *st, struct tenant *t, int kind, const char *id)
{
	char key[GUID_STR_LEN + 1];
	struct dobj *d;

	if (!id || strlen(id) != GUID_STR_LEN)
		return NULL;
	guid_lower(id, key);
	HASH_FIND_STR(t->objects, key, d);
	if (!d || (kind >= 0 && d->kind != (enum dobj_kind)kind))
		return NULL;
	if (!state_dobj_visible(st, d))
		return NULL;
	if (d->invisible_reads > 0) {
		d->invisible_reads--;
		return NULL;
	}
	state_txn_snapshot(t, d); /* a writing request may edit what it found */
	return d;
}

struct dobj *const *state_dobj_lookup(struct tenant *t, enum dobj_index idx,
                                      const char *key, size_t *n)
{
	char lower[512];
	struct index_entry *e;
	size_t len = strlen(key);

	*n = 0;
	if (len >= sizeof(lower))
		return NULL; /* longer than any UPN or mail Graph accepts */
	for (size_t i = 0; i <= len; i++)
		lower[i] = (char)tolower((unsigned char)key[i]);
	HASH_FIND_STR(t->idx[idx], lower, e);
	if (!e)
		return NULL;
	for (size_t i = 0; i < e->n; i++)
		state_txn_snapshot(t, e->objs[i]);
	*n = e->n;
	return e->objs;
}

static const char *const kind_names[DOBJ_KIND_COUNT] = {
    [DOBJ_USER] = "user",
    [DOBJ_GROUP] = "group",
    [DOBJ_SERVICE_PRINCIPAL] = "servicePrincipal",
    [DOBJ_APPLICATION] = "application",
};

const char *state_dobj_kind_name(enum dobj_kind kind)
{
	return kind < DOBJ_KIND_COUNT ? kind_names[kind] : "directoryObject";
}

int state_dobj_kind_parse(const char *name)
{
	for (int k = 0; name && k < DOBJ_KIND_COUNT; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -1;
}

void state_dobj_new_id(struct state *st, struct tenant *t, char out[GUID_STR_LEN + 1])
{
	struct dobj *d;
	struct invitation *inv;

	for (;;) {
		state_new_id(st, out);
		HASH_FIND_STR(t->objects, out, d);
		HASH_FIND_STR(t->invitations, out, inv);
		if (!d && !inv)
			return;
	}
}

size_t state_dobj_count(const struct tenant *t, enum dobj_kind kind)
{
	return t->kind_count[kind];
}

static int link_add(struct dobj_link **head, struct dobj *target)
{
	struct dobj_link *l;

	HASH_FIND_STR(*head, target->id, l);
	if (l)
		return 1;
	l = state_calloc(1, sizeof(*l));
	if (!l)
		return -1;
	memcpy(l->id, target->id, sizeof(l->id));
	l->obj = target;
	unsigned before = HASH_COUNT(*head);
	HASH_ADD_STR(*head, id, l);
	if (HASH_COUNT(*head) != before + 1) {
		state_free(l);
		return -1;
	}
	return 0;
}

static int link_del(struct dobj_link **head, const char *id)
{
	char key[GUID_STR_LEN + 1];
	struct dobj_link *l;

	if (strlen(id) != GUID_STR_LEN)
		return 1;
	guid_lower(id, key);
	HASH_FIND_STR(*head, key, l);
	if (!l)
		return 1;
	HASH_DEL(*head, l);
	state_free(l);
	return 0;
}

int state_member_add(struct dobj *group, struct dobj *member, bool *added)
{
	struct tenant *t = group->tenant;
	int rc;

	if (added)
		*added = false;
	if (!group->member_order) {
		group->member_order = state_calloc(1, sizeof(*group->member_order));
		if (!group->member_order)
			return -1;
	}
	rc = link_add(&group->members, member);
	if (rc > 0)
		return 0; /* already a member: both ends hold the edge */
	if (rc < 0)
		return -1;
	if (link_add(&member->member_of, group) < 0) {
		link_del(&group->members, member->id);
		return -1;
	}
	if (oset_insert(group->member_order, NULL, member->seq, member)) {
		link_del(&member->member_of, group->id);
		link_del(&group->members, member->id);
		return -1;
	}
	if (t &&
	    state_change_log(t->st, t, CHANGE_MEMBER_ADDED, group, member, NULL, 0)) {
		oset_remove(group->member_order, NULL, member->seq);
		link_del(&member->member_of, group->id);
		link_del(&group->members, member->id);
		return -1;
	}
	state_rewind_member(t, true, group, member);
	if (added)
		*added = true;
	return 0;
}

struct oset_node *state_member_first(const struct dobj *group)
{
	return group->member_order ? oset_first(group->member_order) : NULL;
}

struct oset_node *state_member_seek(const struct dobj *group, uint64_t seq)
{
	return group->member_order ? oset_seek(group->member_order, NULL, seq) : NULL;
}

int state_member_remove(struct dobj *group, const char *member_id)
{
	char key[GUID_STR_LEN + 1];
	struct dobj_link *l;

	if (strlen(member_id) != GUID_STR_LEN)
		return 1;
	guid_lower(member_id, key);
	HASH_FIND_STR(group->members, key, l);
	if (!l)
		return 1;
	/* OOM in the log loses the entry, never the removal the caller asked for */
	if (group->tenant)
		state_change_log(group->tenant->st, group->tenant, CHANGE_MEMBER_REMOVED,
		                 group, l->obj, NULL, 0);
	state_rewind_member(group->tenant, false, group, l->obj);
	link_del(&l->obj->member_of, group->id);
	oset_remove(group->member_order, NULL, l->obj->seq);
	HASH_DEL(group->members, l);
	state_free(l);
	return 0;
}

bool state_member_has(const struct dobj *group, const char *member_id)
{
	char key[GUID_STR_LEN + 1];
	struct dobj_link *l;

	if (strlen(member_id) != GUID_STR_LEN)
		return false;
	guid_lower(member_id, key);
	HASH_FIND_STR(group->members, key, l);
	return l != NULL;
}

void state_dobj_remove(struct tenant *t, struct dobj *d)
{
	struct dobj_link *l, *tmp;
	struct assignment *a, *atmp;

	state_rewind_note(t, d);
	/* Its groups lose a member; then the object itself is gone for good. */
	HASH_ITER(hh, d->member_of, l, tmp)
	{
		state_change_log(t->st, t, CHANGE_MEMBER_REMOVED, l->obj, d, NULL, 0);
	}
	state_change_log(t->st, t, CHANGE_PURGED, d, NULL, NULL, 0);
	state_dobj_edges_drop(d);
	DL_FOREACH_SAFE2(d->as_principal, a, atmp, p_next)
	state_assignment_remove(t, a);
	DL_FOREACH_SAFE2(d->as_resource, a, atmp, r_next)
	state_assignment_remove(t, a);
	if (d->kind == DOBJ_USER)
		state_invitations_detach_user(t, d->id);
	state_dobj_unlink(t, d);
	dobj_free(t, d);
}

void state_dobj_unindex(struct tenant *t, struct dobj *d)
{
	const char *upn = upn_key(d->keys, d->nkeys);

	if (upn_ordered(t, d) && upn)
		oset_remove(&t->by_upn, upn, d->seq);
	if (d->in_guests)
		oset_remove(&t->guests, NULL, d->seq);
	d->in_guests = false;
	keys_clear(t, d);
	if (d->name_key)
		oset_remove(&t->by_name[d->kind], d->name_key, d->seq);
	state_free(d->name_key);
	d->name_key = NULL;
}

void state_dobj_edges_drop(struct dobj *d)
{
	struct dobj_link *l, *tmp;

	HASH_ITER(hh, d->member_of, l, tmp)
	{
		state_rewind_member(d->tenant, false, l->obj, d);
		link_del(&l->obj->members, d->id);
		oset_remove(l->obj->member_order, NULL, d->seq);
		HASH_DEL(d->member_of, l);
		state_free(l);
	}
	HASH_ITER(hh, d->members, l, tmp)
	{
		state_rewind_member(d->tenant, false, d, l->obj);
		link_del(&l->obj->member_of, d->id);
		HASH_DEL(d->members, l);
		state_free(l);
	}
	if (d->member_order) {
		oset_release(d->member_order);
		state_free(d->member_order);
		d->member_order = NULL;
	}
}

int state_edge_add(struct dobj *group, struct dobj *member)
{
	int rc;

	if (!group->member_order) {
		group->member_order = state_calloc(1, sizeof(*group->member_order));
		if (!group->member_order)
			return -1;
	}
	rc = link_add(&group->members, member);
	if (rc)
		return rc > 0 ? 0 : -1;
	if (link_add(&member->member_of, group) < 0) {
		link_del(&group->members, member->id);
		return -1;
	}
	if (oset_insert(group->member_order, NULL, member->seq, member)) {
		link_del(&member->member_of, group->id);
		link_del(&group->members, member->id);
		return -1;
	}
	state_rewind_member(group->tenant, true, group, member);
	return 0;
}

struct dobj *state_dobj_new_detached(struct tenant *t, enum dobj_kind kind, json_t *obj)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	struct dobj *d;

	if (!id || !guid_valid(id))
		goto out_release;
	d = state_calloc(1, sizeof(*d));
	if (!d)
		goto out_release;
	guid_lower(id, d->id);
	json_object_set_new(obj, "id", json_string(d->id));
	d->kind = kind;
	d->props = obj;
	d->tenant = t;
	return d;

out_release:
	json_decref(obj);
	return NULL;
}

/*
 * @d into its kind's seq order and list: at the end (a new seq), or
 * (@in_place) after every object of a lower seq, found by an oset_before()
 * step rather than a walk of the list. 0, or -1 (OOM) with nothing changed.
 */
static int seq_link(struct tenant *t, struct dobj *d, bool in_place)
{
	struct oset_node *before =
	    in_place ? oset_before(&t->by_seq[d->kind], NULL, d->seq) : NULL;

	if (oset_insert(&t->by_seq[d->kind], NULL, d->seq, d))
		return -1;
	state_created_linked(t, d);
	if (!in_place) {
		kind_append(t, d);
		return 0;
	}
	if (before)
		DL_APPEND_ELEM2(t->by_kind[d->kind], (struct dobj *)before->val, d,
		                kind_prev, kind_next);
	else
		DL_PREPEND2(t->by_kind[d->kind], d, kind_prev, kind_next);
	t->kind_count[d->kind]++;
	return 0;
}

/* @d, its id free, into the id table and its kind's orders, and indexed. */
static int link_in(struct tenant *t, struct dobj *d, bool in_place)
{
	unsigned before = HASH_COUNT(t->objects);

	HASH_ADD_STR(t->objects, id, d);
	if (HASH_COUNT(t->objects) != before + 1)
		return -1;
	if (seq_link(t, d, in_place)) {
		HASH_DEL(t->objects, d);
		return -1;
	}
	if (state_dobj_reindex(t, d)) {
		state_dobj_unlink(t, d);
		return -1;
	}
	return 0;
}

int state_dobj_link(struct state *st, struct tenant *t, struct dobj *d)
{
	struct dobj *check;

	HASH_FIND_STR(t->objects, d->id, check);
	if (check)
		return -1;
	state_rewind_check(t, d);
	state_tenant_changed(t);
	d->seq = state_next_seq(st);
	d->visible_at_ms = 0;
	d->invisible_reads = 0;
	return link_in(t, d, false);
}

int state_dobj_link_at(struct tenant *t, struct dobj *d)
{
	struct dobj *check;

	HASH_FIND_STR(t->objects, d->id, check);
	if (check)
		return -1;
	state_tenant_changed(t);
	return link_in(t, d, true);
}

int state_dobj_move(struct tenant *t, struct dobj *d, uint64_t seq)
{
	struct dobj_link *l;
	uint64_t old = d->seq;

	state_tenant_changed(t);
	/* Every order keyed by its seq: its kind's, and each group's members. */
	for (l = d->member_of; l; l = l->hh.next)
		oset_remove(l->obj->member_order, NULL, old);
	state_created_unlinking(t, d);
	oset_remove(&t->by_seq[d->kind], NULL, old);
	kind_remove(t, d);
	d->seq = seq;
	if (seq_link(t, d, true))
		return -1;
	for (l = d->member_of; l; l = l->hh.next)
		if (oset_insert(l->obj->member_order, NULL, seq, d))
			return -1;
	return 0;
}

void state_dobj_unlink(struct tenant *t, struct dobj *d)
{
	state_created_unlinking(t, d);
	oset_remove(&t->by_seq[d->kind], NULL, d->seq);
	kind_remove(t, d);
	HASH_DEL(t->objects, d);
}

void state_dobj_free(struct tenant *t, struct dobj *d)
{
	dobj_free(t, d);
}

/*
 * Free-all helpers: HASH_CLEAR frees a table through its head element, so it
 * runs first; the elements stay chained through hh.next and go after.
 */
static void links_free(struct dobj_link **head)
{
	struct dobj_link *l = *head, *next;

	HASH_CLEAR(hh, *head);
	for (; l; l = next) {
		next = l->hh.next;
		state_free(l);
	}
}

void state_dobjs_free_all(struct tenant *t)
{
	struct dobj *d = t->objects, *dnext;
	struct assignment *a = t->assignments, *anext;

	/* Nobody else can reach @t: free wholesale, not object by object (no
	 * index or edge is kept in step on the way out). */
	HASH_CLEAR(hh, t->assignments);
	for (; a; a = anext) {
		anext = a->hh.next;
		json_decref(a->obj);
		state_free(a);
	}
	oset_release(&t->by_upn);
	t->upn_ordered = false;
	state_created_free(t);
	oset_release(&t->guests);
	for (int k = 0; k < DOBJ_KIND_COUNT; k++) {
		oset_release(&t->by_seq[k]);
		oset_release(&t->by_name[k]);
		t->by_kind[k] = NULL; /* its objects are freed below */
		t->kind_count[k] = 0;
	}
	for (int i = 0; i < IDX_COUNT; i++) {
		struct index_entry *e = t->idx[i], *enext;

		HASH_CLEAR(hh, t->idx[i]);
		for (; e; e = enext) {
			enext = e->hh.next;
			index_entry_free(e);
		}
	}
	HASH_CLEAR(hh, t->objects);
	for (; d; d = dnext) {
		dnext = d->hh.next;
		links_free(&d->members);
		links_free(&d->member_of);
		keys_free(d->keys, d->nkeys);
		state_free(d->name_key);
		if (d->member_order) {
			oset_release(d->member_order);
			state_free(d->member_order);
		}
		json_decref(d->props);
		json_decref(d->frozen);
		state_free(d);
	}
}
