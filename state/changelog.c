/*
 * state/changelog.c - the per-tenant change log (changelog.h): pending
 * entries and their commit, the snapshots that turn in-place edits into
 * "updated" entries, compaction and expiry. Export and import are
 * changelog_export.c's.
 */
#include "changelog.h"
#include "changelog_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frozen.h"
#include "rewind.h"

const char *const changelog_op_names[CHANGE_OP_COUNT] = {
    [CHANGE_CREATED] = "created",
    [CHANGE_UPDATED] = "updated",
    [CHANGE_SOFT_DELETED] = "softDeleted",
    [CHANGE_RESTORED] = "restored",
    [CHANGE_PURGED] = "purged",
    [CHANGE_MEMBER_ADDED] = "memberAdded",
    [CHANGE_MEMBER_REMOVED] = "memberRemoved",
};

const char *state_change_op_name(enum change_op op)
{
	return changelog_op_names[op];
}

void state_set_change_hook(struct state *st, state_changes_fn *fn, void *ctx)
{
	st->change_hook = fn;
	st->change_ctx = ctx;
}

/* splitmix64: epochs that differ for every log made, reproducible with --seed. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t new_epoch(struct state *st, const struct tenant *t)
{
	uint64_t h = 1469598103934665603ULL;

	for (const char *p = t->id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return mix64(st->seed ^ h ^ mix64(atomic_fetch_add(&st->log_epochs, 1) + 1));
}

/* @t's log, made silently: a transaction alone is no reason to export one. */
static struct changelog *log_get(struct state *st, struct tenant *t)
{
	struct changelog *log = t->changes;

	if (log)
		return log;
	log = state_calloc(1, sizeof(*log));
	if (!log)
		return NULL;
	log->epoch = new_epoch(st, t);
	log->max_entries = CHANGELOG_DEFAULT_MAX;
	t->changes = log;
	return log;
}

struct changelog *state_changelog(struct state *st, struct tenant *t)
{
	struct changelog *log = log_get(st, t);

	if (log)
		log->used = true;
	return log;
}

void changelog_change_release(struct change *c)
{
	for (size_t i = 0; i < c->nprops; i++)
		state_free(c->props[i]);
	state_free(c->props);
	c->props = NULL;
	c->nprops = 0;
}

static void snaps_clear(struct changelog *log)
{
	for (size_t i = 0; i < log->nsnaps; i++)
		changelog_snap_release(&log->snaps[i]);
	log->nsnaps = 0;
}

void state_changelog_free(struct changelog *log)
{
	if (!log)
		return;
	for (size_t i = 0; i < log->n; i++)
		changelog_change_release(&log->v[i]);
	for (size_t i = 0; i < log->npending; i++)
		changelog_change_release(&log->pending[i]);
	snaps_clear(log);
	state_free(log->v);
	state_free(log->pending);
	state_free(log->snaps);
	state_free(log);
}

/* Make room for one more element in an array of @size-byte elements. 0 or -1. */
int changelog_grow(void **v, size_t n, size_t *cap, size_t size)
{
	void *bigger;
	size_t want;

	if (n < *cap)
		return 0;
	want = *cap ? *cap * 2 : 16;
	bigger = state_realloc(*v, want * size);
	if (!bigger)
		return -1;
	*v = bigger;
	*cap = want;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* @c->props = a sorted, duplicate-free copy of @props. 0 or -1 (nothing kept). */
int changelog_props_set(struct change *c, const char *const *props, size_t n)
{
	c->props = n ? state_calloc(n, sizeof(*c->props)) : NULL;
	if (n && !c->props)
		return -1;
	for (size_t i = 0; i < n; i++) {
		c->props[c->nprops] = state_strdup(props[i]);
		if (!c->props[c->nprops]) {
			changelog_change_release(c);
			return -1;
		}
		c->nprops++;
	}
	qsort(c->props, c->nprops, sizeof(*c->props), cmp_str);
	size_t kept = 0;
	for (size_t i = 0; i < c->nprops; i++) {
		if (kept && !strcmp(c->props[kept - 1], c->props[i]))
			state_free(c->props[i]);
		else
			c->props[kept++] = c->props[i];
	}
	c->nprops = kept;
	return 0;
}

bool changelog_member_op(enum change_op op)
{
	return op == CHANGE_MEMBER_ADDED || op == CHANGE_MEMBER_REMOVED;
}

/* Remove pending[i], keeping the order. */
static void pending_drop(struct changelog *log, size_t i)
{
	changelog_change_release(&log->pending[i]);
	memmove(&log->pending[i], &log->pending[i + 1],
	        (log->npending - i - 1) * sizeof(*log->pending));
	log->npending--;
}

/*
 * A request undoing its own work: an object created and removed again, or an
 * edge added and taken back, within one transaction. true: cancelled.
 */
static bool cancels(struct changelog *log, const struct change *c)
{
	size_t i;

	if (c->op == CHANGE_PURGED) {
		for (i = 0; i < log->npending; i++)
			if (log->pending[i].op == CHANGE_CREATED &&
			    !strcmp(log->pending[i].id, c->id))
				break;
		if (i == log->npending)
			return false;
		for (i = log->npending; i-- > 0;)
			if (!strcmp(log->pending[i].id, c->id) ||
			    !strcmp(log->pending[i].member_id, c->id))
				pending_drop(log, i);
		return true;
	}
	if (!changelog_member_op(c->op))
		return false;
	/* an edge taken away and put back (or the reverse) is no change */
	for (i = log->npending; i-- > 0;) {
		const struct change *p = &log->pending[i];
		if (changelog_member_op(p->op) && p->op != c->op &&
		    !strcmp(p->id, c->id) && !strcmp(p->member_id, c->member_id)) {
			pending_drop(log, i);
			return true;
		}
	}
	return false;
}

static void commit(struct state *st, struct tenant *t, struct changelog *log);

int state_change_log(struct state *st, struct tenant *t, enum change_op op,
                     const struct dobj *d, const struct dobj *member,
                     const char *const *props, size_t nprops)
{
	struct changelog *log;
	struct change c;

	if (t->loading)
		return 0;
	state_tenant_changed(t); /* whatever is logged changed an object */
	log = log_get(st, t);
	if (!log)
		return -1;
	memset(&c, 0, sizeof(c));
	c.op = op;
	c.kind = d->kind;
	memcpy(c.id, d->id, sizeof(c.id));
	if (member) {
		c.member_kind = member->kind;
		memcpy(c.member_id, member->id, sizeof(c.member_id));
	}
	c.all_props = op == CHANGE_UPDATED && !props;
	if (cancels(log, &c))
		return 0;
	if (changelog_grow((void **)&log->pending, log->npending, &log->cap_pending,
	                   sizeof(*log->pending)))
		return -1;
	if (props && changelog_props_set(&c, props, nprops))
		return -1;
	log->pending[log->npending++] = c;
	if (!log->txn)
		commit(st, t, log);
	return 0;
}

/* ---- snapshots and the transaction ---- */

static struct txn_snap *snap_find(struct changelog *log, const char *id)
{
	for (size_t i = 0; i < log->nsnaps; i++)
		if (!strcmp(log->snaps[i].id, id))
			return &log->snaps[i];
	return NULL;
}

/* Snapshot @d, or with @later mark it to be taken at its first use. */
static void snapshot(struct changelog *log, const struct dobj *d, bool later)
{
	struct txn_snap *s = snap_find(log, d->id);

	if (s) {
		if (s->due && !later) {
			s->due = false;
			((struct dobj *)d)->snap_due = false;
			changelog_snap_take(s, state_dobj_json(d));
		}
		return;
	}
	if (changelog_grow((void **)&log->snaps, log->nsnaps, &log->cap_snaps,
	                   sizeof(*log->snaps)))
		return;
	s = &log->snaps[log->nsnaps++];
	memcpy(s->id, d->id, sizeof(s->id));
	s->before = NULL;
	s->nbefore = 0;
	s->due = false;
	/* An object still frozen is not parsed for its snapshot: its text is
	 * what it was, and it can only change by being parsed (state_dobj_json).
	 * A write that merely finds a user of a big tenant (a member being
	 * added) leaves it as text, not as a tree kept for good. */
	s->frozen = !d->props && d->frozen;
	if (s->frozen)
		return;
	/* A tree: copied when first used (state_dobj_json), which is before
	 * anything can change it; a member found only to be linked is cold in
	 * a big tenant, and walking it cost more than the rest of its request. */
	if (later) {
		s->due = true;
		((struct dobj *)d)->snap_due = true;
		return;
	}
	/* Containers copied, scalars shared: nothing changes a scalar in place,
	 * and every object a write finds is copied (a deep copy was ~80k of POST
	 * members/$ref's 179k instructions). NULL: "changed", to be safe. */
	changelog_snap_take(s, state_dobj_json(d));
}

/* (The cast: the rewind's note is bookkeeping beside the object, which
 * the store may change under the tenant's lock; see state_dobj_json.) */
void state_txn_snapshot(struct tenant *t, const struct dobj *d)
{
	if (d && t->changes && t->changes->txn && t->changes->write) {
		state_rewind_note(t, (struct dobj *)d);
		snapshot(t->changes, d, true);
	}
}

void state_txn_snapshot_due(struct tenant *t, struct dobj *d)
{
	struct changelog *log = t->changes;
	struct txn_snap *s;

	d->snap_due = false;
	if (!log || !log->txn)
		return;
	s = snap_find(log, d->id);
	if (s && s->due) {
		s->due = false;
		changelog_snap_take(s, d->props);
	}
}

void state_dobj_touch(struct state *st, struct tenant *t, const struct dobj *d)
{
	struct changelog *log = t->loading ? NULL : log_get(st, t);

	state_rewind_note(t, (struct dobj *)d);
	state_tenant_changed(t);

	if (!log)
		return;
	if (log->txn)
		snapshot(log, d, false);
	else
		state_change_log(st, t, CHANGE_UPDATED, d, NULL, NULL, 0);
}

void state_txn_begin(struct state *st, struct tenant *t, bool write)
{
	struct changelog *log;

	/* A reading request needs no log of its own (state_dobj_touch makes one). */
	if (t->loading || (!write && !t->changes))
		return;
	log = log_get(st, t);
	if (!log)
		return;
	log->txn = true;
	log->write = write;
}

static bool pending_has(const struct changelog *log, const char *id)
{
	for (size_t i = 0; i < log->npending; i++)
		if (!changelog_member_op(log->pending[i].op) &&
		    !strcmp(log->pending[i].id, id))
			return true;
	return false;
}

/* Each snapshot against its object now: an "updated" entry where they differ. */
static void log_differences(struct state *st, struct tenant *t, struct changelog *log)
{
	const char *names[256];

	for (size_t i = 0; i < log->nsnaps; i++) {
		struct txn_snap *s = &log->snaps[i];
		struct dobj *d;
		size_t n;

		HASH_FIND_STR(t->objects, s->id, d);
		if (d)
			d->snap_due = false;
		/* gone, or created/restored/deleted here: those entries say it all;
		 * or found but never used, so unchanged */
		if (!d || s->due || pending_has(log, s->id))
			continue;
		if (s->frozen) {
			if (!d->props)
				continue; /* never parsed, so unchanged */
			/* parsed since: what it was is its text, parsed again */
			json_t *was = state_frozen_thaw(st, t, d->kind, d->frozen);

			if (was)
				changelog_snap_take(s, was);
			json_decref(was);
		}
		if (!s->before) {
			state_change_log(st, t, CHANGE_UPDATED, d, NULL, NULL, 0);
			continue;
		}
		n = changelog_snap_diff(s, state_dobj_json(d), names,
		                        sizeof(names) / sizeof(names[0]));
		if (n)
			state_change_log(st, t, CHANGE_UPDATED, d, NULL, names, n);
	}
	snaps_clear(log);
}

/*
 * The ids of the users this transaction created, in a big tenant (see
 * read_keep_below): they are kept as text once it ends. New array (free())
 * in *@ids, NULL when none (or out of memory: they stay trees).
 */
static size_t users_made(const struct tenant *t, const struct changelog *log,
                         char (**ids)[GUID_STR_LEN + 1])
{
	size_t n = 0;

	*ids = NULL;
	if (!state_tenant_is_big(t, DOBJ_USER))
		return 0;
	for (size_t i = 0; i < log->npending; i++) {
		const struct change *c = &log->pending[i];

		if (c->op != CHANGE_CREATED || c->kind != DOBJ_USER)
			continue;
		if (!*ids && !(*ids = state_malloc(log->npending * sizeof(**ids))))
			return 0;
		memcpy((*ids)[n++], c->id, sizeof((*ids)[0]));
	}
	return n;
}

/* Keep the users of @ids still there as text again (state_dobj_refreeze). */
static void refreeze(struct tenant *t, char (*ids)[GUID_STR_LEN + 1], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct dobj *d;

		HASH_FIND_STR(t->objects, ids[i], d);
		if (d)
			state_dobj_refreeze(d);
	}
}

void state_txn_end(struct state *st, struct tenant *t)
{
	struct changelog *log = t->changes;
	char(*made)[GUID_STR_LEN + 1] = NULL;
	size_t nmade = 0;

	if (log && log->txn) {
		log_differences(st, t, log);
		log->txn = false;
		log->write = false;
		nmade = users_made(t, log, &made);
		commit(st, t, log);
	}
	/* After the commit hook, which may read them, and the answer, written
	 * already: nothing holds their trees now. Users parsed outside a request
	 * (token grants lock the tenant themselves) are listed too, and kept as
	 * text here, at the next request's end: always from their tree, which
	 * may have changed. */
	refreeze(t, made, nmade);
	refreeze(t, t->parsed, t->nparsed);
	t->nparsed = 0;
	state_free(made);
}

/* ---- commit and compaction ---- */

/* The hash of an entry's object (or edge: group and member), FNV-1a. */
static uint64_t change_hash(const struct change *c)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const char *p = c->id; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	h = (h ^ '/') * 0x100000001b3ull;
	for (const char *p = c->member_id; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	return h;
}

static bool same_key(const struct change *a, const struct change *b)
{
	return !strcmp(a->id, b->id) && !strcmp(a->member_id, b->member_id);
}

/* Fold @old into @newer, the later entry of the same object or edge. 0 or -1. */
static int merge_into(struct change *newer, const struct change *old)
{
	char **both;
	size_t n;

	if (newer->op != CHANGE_UPDATED || newer->all_props)
		return 0;
	if (old->op == CHANGE_CREATED || old->op == CHANGE_RESTORED || old->all_props) {
		changelog_change_release(newer);
		newer->all_props = true;
		return 0;
	}
	if (old->op != CHANGE_UPDATED || !old->nprops)
		return 0;
	n = newer->nprops + old->nprops;
	both = state_realloc(newer->props, n * sizeof(*both));
	if (!both)
		return -1;
	newer->props = both;
	for (size_t i = 0; i < old->nprops; i++) {
		both[newer->nprops] = state_strdup(old->props[i]);
		if (!both[newer->nprops])
			return -1;
		newer->nprops++;
	}
	/* re-sort and drop duplicates through props_set's rules */
	qsort(both, newer->nprops, sizeof(*both), cmp_str);
	size_t kept = 0;
	for (size_t i = 0; i < newer->nprops; i++) {
		if (kept && !strcmp(both[kept - 1], both[i]))
			state_free(both[i]);
		else
			both[kept++] = both[i];
	}
	newer->nprops = kept;
	return 0;
}

/*
 * Coalesce every object's (or edge's) entries into its newest. -1 on OOM (log
 * intact). Two allocations whatever the log holds: an open-addressing table
 * of entry indexes, newest first, and the marks of what goes. (It made a
 * printf key and an allocation per entry: at the default 10,000 entries a
 * compaction cost ~22M instructions, every 2,500 commits, the writes' p99.)
 */
static int coalesce(struct changelog *log)
{
	size_t size = 16, kept = 0;
	size_t *slot;
	bool *drop;
	int rc = 0;

	while (size < 2 * log->n)
		size *= 2;
	slot = state_calloc(size, sizeof(*slot)); /* entry index + 1; 0: empty */
	drop = state_calloc(log->n ? log->n : 1, sizeof(*drop));
	if (!slot || !drop) {
		state_free(slot);
		state_free(drop);
		return -1;
	}
	for (size_t i = log->n; i-- > 0 && !rc;) {
		size_t h = (size_t)change_hash(&log->v[i]) & (size - 1);

		while (slot[h] && !same_key(&log->v[slot[h] - 1], &log->v[i]))
			h = (h + 1) & (size - 1);
		if (slot[h]) {
			rc = merge_into(&log->v[slot[h] - 1], &log->v[i]);
			drop[i] = true;
		} else {
			slot[h] = i + 1;
		}
	}
	/* A merge that failed half way still left the newest entry a superset. */
	for (size_t i = 0; i < log->n; i++) {
		if (drop[i])
			changelog_change_release(&log->v[i]);
		else
			log->v[kept++] = log->v[i];
	}
	log->n = kept;
	state_free(slot);
	state_free(drop);
	return rc;
}

/* Drop the @k oldest entries; tokens at or below the last one must resync. */
static void drop_oldest(struct changelog *log, size_t k)
{
	if (k > log->n)
		k = log->n;
	if (!k)
		return;
	log->floor_seq = log->v[k - 1].seq;
	for (size_t i = 0; i < k; i++)
		changelog_change_release(&log->v[i]);
	memmove(log->v, log->v + k, (log->n - k) * sizeof(*log->v));
	log->n -= k;
}

static void compact(struct changelog *log)
{
	size_t target = log->max_entries - log->max_entries / 4;

	if (log->n <= log->max_entries)
		return;
	coalesce(log);
	if (log->n > target)
		drop_oldest(log, log->n - target);
}

static void commit(struct state *st, struct tenant *t, struct changelog *log)
{
	int64_t now = state_now_ms(st);
	size_t first = log->n, moved = 0;

	for (size_t i = 0; i < log->npending; i++) {
		struct change *c = &log->pending[i];

		if (changelog_grow((void **)&log->v, log->n, &log->cap,
		                   sizeof(*log->v))) {
			changelog_change_release(
			    c); /* out of memory: this change is lost */
			continue;
		}
		c->seq = ++log->last_seq;
		c->at_ms = now;
		log->v[log->n++] = *c;
		moved++;
	}
	log->npending = 0;
	log->used |= moved > 0;
	if (moved && st->change_hook)
		st->change_hook(st->change_ctx, st, t, log->v + first, moved);
	compact(log);
}

int state_changelog_set_max(struct state *st, struct tenant *t, size_t max)
{
	struct changelog *log = state_changelog(st, t);

	if (!log)
		return -1;
	log->max_entries = max < CHANGELOG_MIN_MAX ? CHANGELOG_MIN_MAX : max;
	compact(log);
	return 0;
}

void state_changelog_expire(struct state *st, struct tenant *t)
{
	struct changelog *log = t->changes;
	int64_t cutoff;
	size_t k = 0;

	if (!log || !log->n)
		return;
	cutoff = state_now_ms(st) - CHANGELOG_TOKEN_LIFETIME_MS;
	while (k < log->n && log->v[k].at_ms < cutoff)
		k++;
	drop_oldest(log, k);
}
