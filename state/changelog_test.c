/*
 * state/changelog_test.c - the change log: what the store logs by itself,
 * updates found by difference inside a transaction (a user kept as text
 * compared as its text, not parsed to be found), a request undoing its
 * own work leaving nothing, compaction (coalescing, then dropping the oldest
 * and raising the floor; its allocations bounded), expiry past the token lifetime on the
 * mock clock, the commit hook, and the log's export and import.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "changelog.h"
#include "changelog_internal.h"
#include "frozen.h"
#include "load/export.h"
#include "load/tenants.h"
#include "state.h"
#include "state_testutil.h"

#define ADMIN_ID     "33c3317d-939c-4e2f-855a-95aa465db42a"
#define ADELE_ID     "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define DEV_GROUP_ID "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define DAY_MS       ((int64_t)24 * 3600 * 1000)

struct hooked {
	size_t calls, entries;
	enum change_op last_op;
};

static void hook(void *ctx, struct state *st, struct tenant *t, const struct change *v,
                 size_t n)
{
	struct hooked *h = ctx;

	(void)st;
	(void)t;
	h->calls++;
	h->entries += n;
	h->last_op = v[n - 1].op;
}

static int setup(void **ctx)
{
	struct state *st = calloc(1, sizeof(*st));

	assert_non_null(st);
	test_state_init(st, 42);
	*ctx = st;
	return 0;
}

static int teardown(void **ctx)
{
	state_release(*ctx);
	free(*ctx);
	return 0;
}

static struct dobj *add_user(struct state *st, struct tenant *t, const char *name)
{
	char id[GUID_STR_LEN + 1], upn[128];
	struct dobj *d;

	state_new_id(st, id);
	snprintf(upn, sizeof(upn), "%s@contoso.onmicrosoft.com", name);
	d = state_dobj_add(st, t, DOBJ_USER,
	                   json_pack("{s:s, s:s, s:s}", "id", id, "displayName", name,
	                             "userPrincipalName", upn));
	assert_non_null(d);
	return d;
}

static const struct change *last(const struct tenant *t)
{
	assert_non_null(t->changes);
	assert_true(t->changes->n > 0);
	return &t->changes->v[t->changes->n - 1];
}

/* Loading logs nothing; creations, edges and permanent deletes log themselves. */
static void test_store_logs_its_writes(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *g = state_dobj_find(st, t, DOBJ_GROUP, DEV_GROUP_ID);
	struct dobj *u;
	char id[GUID_STR_LEN + 1];

	assert_null(t->changes); /* the fixture load was no change */
	u = add_user(st, t, "logged");
	memcpy(id, u->id, sizeof(id));
	assert_int_equal(last(t)->op, CHANGE_CREATED);
	assert_string_equal(last(t)->id, id);
	assert_int_equal(state_member_add(g, u, NULL), 0);
	assert_int_equal(last(t)->op, CHANGE_MEMBER_ADDED);
	assert_string_equal(last(t)->id, DEV_GROUP_ID);
	assert_string_equal(last(t)->member_id, id);
	/* permanent delete: the group loses its member first */
	state_dobj_remove(t, u);
	assert_int_equal(t->changes->n, 4);
	assert_int_equal(t->changes->v[2].op, CHANGE_MEMBER_REMOVED);
	assert_string_equal(t->changes->v[2].member_id, id);
	assert_int_equal(last(t)->op, CHANGE_PURGED);
	for (size_t i = 0; i < t->changes->n; i++)
		assert_int_equal(t->changes->v[i].seq, i + 1);
	assert_int_equal(t->changes->last_seq, 4);
}

/* Inside a transaction an in-place edit becomes "updated" with exactly its names. */
static void test_updates_found_by_difference(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *adele, *admin;
	const struct change *c;

	state_txn_begin(st, t, true);
	adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	json_object_set_new(state_dobj_json(adele), "jobTitle", json_string("Boss"));
	json_object_del(state_dobj_json(adele), "mobilePhone");
	json_object_set_new(state_dobj_json(adele), "_internal", json_true());
	assert_true(!t->changes->n && !t->changes->npending);
	state_txn_end(st, t);
	c = last(t);
	assert_int_equal(c->op, CHANGE_UPDATED);
	assert_false(c->all_props);
	assert_int_equal(c->nprops, 2);
	assert_string_equal(c->props[0], "jobTitle");
	assert_string_equal(c->props[1], "mobilePhone");

	/* found but unchanged: nothing, and a user still kept as text stays so
	 * (the snapshot of a write that merely finds it does not parse it) */
	state_txn_begin(st, t, true);
	admin = state_dobj_find(st, t, DOBJ_USER, ADMIN_ID);
	assert_true(state_frozen_text(admin->frozen, &(const char *){0}, &(size_t){0}));
	state_txn_end(st, t);
	assert_int_equal(t->changes->n, 1);
	assert_null(admin->props);

	/* a reading transaction snapshots nothing; touch() does */
	state_txn_begin(st, t, false);
	adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	state_dobj_touch(st, t, adele);
	json_object_set_new(state_dobj_json(adele), "city", json_string("Oslo"));
	state_txn_end(st, t);
	assert_int_equal(t->changes->n, 2);
	assert_string_equal(last(t)->props[0], "city");

	/* an array edited in place is a change too: the snapshot has its own
	 * containers (only scalars are shared with the store) */
	state_txn_begin(st, t, true);
	adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	json_array_append_new(json_object_get(state_dobj_json(adele), "businessPhones"),
	                      json_string("+1 425 555 0100"));
	state_txn_end(st, t);
	assert_int_equal(t->changes->n, 3);
	assert_int_equal(last(t)->nprops, 1);
	assert_string_equal(last(t)->props[0], "businessPhones");
}

/* What one request committed: its entries' property names, in order. */
struct committed {
	size_t entries;
	char props[8][64];
	size_t nprops;
};

static void record(void *ctx, struct state *st, struct tenant *t, const struct change *v,
                   size_t n)
{
	struct committed *c = ctx;

	(void)st;
	(void)t;
	for (size_t i = 0; i < n; i++, c->entries++) {
		assert_int_equal(v[i].op, CHANGE_UPDATED);
		assert_false(v[i].all_props);
		for (size_t k = 0; k < v[i].nprops && c->nprops < 8; k++)
			snprintf(c->props[c->nprops++], sizeof(c->props[0]), "%s",
			         v[i].props[k]);
	}
}

/* One writing request on Adele, @edit changing her tree in place: what it
 * committed, in @c. */
static void edit_adele(struct state *st, struct tenant *t, void (*edit)(json_t *),
                       struct committed *c)
{
	struct dobj *adele;

	memset(c, 0, sizeof(*c));
	state_set_change_hook(st, record, c);
	state_txn_begin(st, t, true);
	adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	assert_non_null(adele);
	edit(state_dobj_json(adele));
	state_txn_end(st, t);
	state_set_change_hook(st, NULL, NULL);
}

static void readd_same(json_t *o)
{
	json_t *v = json_incref(json_object_get(o, "displayName"));

	json_object_del(o, "displayName"); /* back at the end: another order */
	json_object_set_new(o, "displayName", v);
}

static void readd_other(json_t *o)
{
	json_object_del(o, "displayName");
	json_object_set_new(o, "displayName", json_string("Adele V."));
}

static void equal_value(json_t *o)
{
	json_t *v = json_object_get(o, "jobTitle");

	json_object_set_new(o, "jobTitle", json_string(json_string_value(v)));
}

static void add_last(json_t *o)
{
	json_object_set_new(o, "employeeId", json_string("E42"));
}

static void del_first_add_internal(json_t *o)
{
	void *it = json_object_iter(o);
	char first[64];

	snprintf(first, sizeof(first), "%s", json_object_iter_key(it));
	json_object_del(o, first);
	json_object_set_new(o, "_seen", json_true());
}

static void nested_in_place(json_t *o)
{
	json_t *ids = json_object_get(o, "identities");
	json_t *one = json_pack("{s:s}", "signInType", "emailAddress");

	json_array_append_new(ids, one);
	json_object_set_new(one, "issuer", json_string("x.example")); /* after the copy */
}

/*
 * The snapshot is walked beside the object while their members keep one
 * order, and looked up member by member once they part: a member removed
 * and put back unchanged is no change, put back changed is one; an equal
 * value set again is none; a member added last, one removed first, and an
 * object inside an array edited in place each are.
 */
static void test_difference_in_any_order(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct committed c;
	char first[64];

	edit_adele(st, t, readd_same, &c);
	assert_int_equal(c.entries, 0);
	edit_adele(st, t, equal_value, &c);
	assert_int_equal(c.entries, 0);

	edit_adele(st, t, readd_other, &c);
	assert_int_equal(c.entries, 1);
	assert_int_equal(c.nprops, 1);
	assert_string_equal(c.props[0], "displayName");

	edit_adele(st, t, add_last, &c);
	assert_int_equal(c.entries, 1);
	assert_int_equal(c.nprops, 1);
	assert_string_equal(c.props[0], "employeeId");

	snprintf(first, sizeof(first), "%s",
	         json_object_iter_key(json_object_iter(
	             state_dobj_json(state_dobj_find(st, t, DOBJ_USER, ADELE_ID)))));
	edit_adele(st, t, del_first_add_internal, &c);
	assert_int_equal(c.entries, 1);
	assert_int_equal(c.nprops, 1);
	assert_string_equal(c.props[0], first);

	edit_adele(st, t, nested_in_place, &c);
	assert_int_equal(c.entries, 1);
	assert_int_equal(c.nprops, 1);
	assert_string_equal(c.props[0], "identities");
}

/* Adele's properties replaced whole, unread (as a restore does). */
static void replace_adele(struct dobj *adele)
{
	state_dobj_set_json(
	    adele, json_pack("{s:s, s:s}", "id", ADELE_ID, "displayName", "Adele Vance"));
}

/*
 * A tree a writing request finds is copied at its first use, not at the
 * find: found and never used (or only peeked at), nothing is copied and
 * nothing logged; used
 * and edited, replaced whole, or touched, the edit is logged as before.
 */
static void test_snapshot_at_first_use(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *adele;
	struct committed c;

	memset(&c, 0, sizeof(c));
	state_set_change_hook(st, record, &c);
	adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	assert_non_null(state_dobj_json(adele)); /* a tree, as after any read */

	state_txn_begin(st, t, true);
	adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	assert_int_equal(t->changes->nsnaps, 1);
	assert_true(t->changes->snaps[0].due);
	assert_null(t->changes->snaps[0].before);
	assert_true(adele->snap_due);
	/* a read that promises not to edit copies nothing either */
	assert_non_null(json_object_get(state_dobj_json_peek(adele), "displayName"));
	assert_true(t->changes->snaps[0].due);
	assert_null(t->changes->snaps[0].before);
	state_txn_end(st, t);
	assert_false(adele->snap_due);
	assert_int_equal(c.entries, 0);

	/* used: copied then, before the edit */
	state_txn_begin(st, t, true);
	adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	json_object_set_new(state_dobj_json(adele), "city", json_string("Oslo"));
	assert_false(t->changes->snaps[0].due);
	assert_non_null(t->changes->snaps[0].before);
	state_txn_end(st, t);
	assert_int_equal(c.entries, 1);
	assert_string_equal(c.props[0], "city");

	/* replaced whole (PATCH, restore) */
	memset(&c, 0, sizeof(c));
	state_txn_begin(st, t, true);
	adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	replace_adele(adele);
	state_txn_end(st, t);
	assert_int_equal(c.entries, 1);
	assert_true(c.nprops > 1); /* what it lost */

	/* found twice, then touched: copied at the touch */
	memset(&c, 0, sizeof(c));
	state_txn_begin(st, t, true);
	adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	state_dobj_touch(st, t, adele);
	assert_int_equal(t->changes->nsnaps, 1);
	assert_false(t->changes->snaps[0].due);
	json_object_set_new(state_dobj_json(adele), "city", json_string("Oslo"));
	state_txn_end(st, t);
	assert_int_equal(c.entries, 1);
	assert_string_equal(c.props[0], "city");
	state_set_change_hook(st, NULL, NULL);
}

/* A handler undoing its own creation or edge leaves no trace and no hook call. */
static void test_undo_inside_a_request_cancels(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct hooked h = {0};
	struct dobj *g, *adele, *u;

	state_set_change_hook(st, hook, &h);
	state_txn_begin(st, t, true);
	g = state_dobj_find(st, t, DOBJ_GROUP, DEV_GROUP_ID);
	adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	u = add_user(st, t, "undone");
	assert_int_equal(state_member_add(g, u, NULL), 0);
	state_dobj_remove(t, u);
	assert_int_equal(state_member_remove(g, ADELE_ID), 0);
	assert_int_equal(state_member_add(g, adele, NULL), 0);
	state_txn_end(st, t);
	assert_int_equal(t->changes->n, 0);
	assert_int_equal(h.calls, 0);
	/* outside a transaction each change commits, and the hook hears of it */
	u = add_user(st, t, "heard");
	assert_int_equal(h.calls, 1);
	assert_int_equal(h.entries, 1);
	assert_int_equal(h.last_op, CHANGE_CREATED);
	state_set_change_hook(st, NULL, NULL);
}

/*
 * Over max_entries: one object's entries fold into its newest (a creation
 * making it "every property"), then the oldest go and the floor rises.
 */
static void test_compaction(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct changelog *log = state_changelog(st, t);
	struct dobj *adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	static const char *const title[] = {"jobTitle"};
	static const char *const city[] = {"city"};
	struct dobj *u[8];

	assert_int_equal(state_changelog_set_max(st, t, 8), 0);
	u[0] = add_user(st, t, "c0");
	state_change_log(st, t, CHANGE_UPDATED, u[0], NULL, title, 1);
	state_change_log(st, t, CHANGE_UPDATED, adele, NULL, title, 1);
	state_change_log(st, t, CHANGE_UPDATED, adele, NULL, city, 1);
	state_change_log(st, t, CHANGE_UPDATED, adele, NULL, title, 1);
	for (int i = 1; i < 4; i++) {
		char name[16];
		snprintf(name, sizeof(name), "c%d", i);
		u[i] = add_user(st, t, name);
	}
	assert_int_equal(log->n, 8);
	assert_int_equal(log->floor_seq, 0);
	/* the ninth entry compacts: u0's two and adele's three fold into one each */
	u[4] = add_user(st, t, "c4");
	assert_int_equal(log->n, 6);
	assert_int_equal(log->floor_seq, 0);
	assert_int_equal(log->last_seq, 9);
	for (size_t i = 0; i < log->n; i++) {
		const struct change *c = &log->v[i];
		if (!strcmp(c->id, u[0]->id)) {
			assert_int_equal(c->seq, 2);
			assert_true(c->all_props); /* created, then updated */
		}
		if (!strcmp(c->id, ADELE_ID)) {
			assert_int_equal(c->seq, 5);
			assert_int_equal(c->nprops, 2); /* city, jobTitle */
			assert_string_equal(c->props[0], "city");
			assert_string_equal(c->props[1], "jobTitle");
		}
		if (i)
			assert_true(log->v[i - 1].seq < c->seq);
	}
	/* distinct objects only: nothing folds, the oldest are dropped */
	for (int i = 5; i < 8; i++)
		u[i] = add_user(st, t, i == 5 ? "c5" : i == 6 ? "c6" : "c7");
	assert_int_equal(log->last_seq, 12);
	assert_int_equal(log->n, 6); /* 9 entries > 8: the 3 oldest (2, 5, 6) go */
	assert_int_equal(log->floor_seq, 6);
	assert_int_equal(log->v[0].seq, 7);
}

/*
 * A compaction's work does not grow with the entries it folds: it takes two
 * allocations, however many objects the log names (it took one per object,
 * so under this budget it used to fail part way and drop entries instead).
 */
static void test_compaction_allocations(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct changelog *log = state_changelog(st, t);
	struct dobj *u[20];

	assert_int_equal(state_changelog_set_max(st, t, 60), 0);
	for (int i = 0; i < 20; i++) {
		char name[16];
		snprintf(name, sizeof(name), "a%d", i);
		u[i] = add_user(st, t, name);
	}
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 20; i++)
			assert_int_equal(
			    state_change_log(st, t, CHANGE_UPDATED, u[i], NULL, NULL, 0),
			    0);
	assert_int_equal(log->n, 60);
	assert_true(log->cap > 60); /* the next entry needs no room of its own */
	/* the 61st compacts: 20 objects, three or four entries each, fold into 20 */
	state_alloc_fail_after(2);
	state_change_log(st, t, CHANGE_UPDATED, u[0], NULL, NULL, 0);
	state_alloc_fail_after(-1);
	assert_int_equal(log->last_seq, 61);
	assert_int_equal(log->n, 20);
	assert_int_equal(log->floor_seq, 0);
	for (size_t i = 0; i < log->n; i++) {
		assert_true(log->v[i].all_props); /* created, then updated */
		assert_int_equal(log->v[i].op, CHANGE_UPDATED);
		if (i)
			assert_true(log->v[i - 1].seq < log->v[i].seq);
	}
	assert_string_equal(log->v[log->n - 1].id, u[0]->id);
	assert_int_equal(log->v[log->n - 1].seq, 61);
}

/* Entries older than seven days on the mock clock go, and the floor follows. */
static void test_expiry_on_the_mock_clock(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	int64_t now = state_now_ms(st);
	struct changelog *log;

	atomic_store(&st->clock.frozen_ms, now);
	add_user(st, t, "old1");
	add_user(st, t, "old2");
	atomic_store(&st->clock.frozen_ms, now + 6 * DAY_MS);
	add_user(st, t, "young");
	log = t->changes;
	state_changelog_expire(st, t);
	assert_int_equal(log->n, 3);
	atomic_store(&st->clock.frozen_ms, now + 7 * DAY_MS + 1);
	state_changelog_expire(st, t);
	assert_int_equal(log->n, 1);
	assert_int_equal(log->floor_seq, 2);
	assert_int_equal(log->v[0].seq, 3);
	atomic_store(&st->clock.frozen_ms, now + 14 * DAY_MS);
	state_changelog_expire(st, t);
	assert_int_equal(log->n, 0);
	assert_int_equal(log->floor_seq, 3);
	atomic_store(&st->clock.frozen_ms, -1);
}

/* The export carries epoch, positions and entries; loading it gives it back. */
static void test_export_import_roundtrip(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *g = state_dobj_find(st, t, DOBJ_GROUP, DEV_GROUP_ID);
	static const char *const props[] = {"displayName", "jobTitle"};
	struct state other;
	json_t *doc, *again;
	char err[256];
	struct dobj *u;

	u = add_user(st, t, "exported");
	state_member_add(g, u, NULL);
	state_change_log(st, t, CHANGE_UPDATED, u, NULL, props, 2);
	state_change_log(st, t, CHANGE_UPDATED, u, NULL, NULL, 0);
	doc = state_export(st);
	assert_non_null(json_object_get(
	    json_array_get(json_object_get(doc, "tenants"), 0), "changeLog"));
	assert_int_equal(state_init(&other, 1), 0);
	if (state_replace(&other, doc, err, sizeof(err)))
		fail_msg("reload: %s", err);
	again = state_export(&other);
	/* (the hand-made user is completed by the loader: compare the logs) */
	assert_true(json_equal(
	    json_object_get(json_array_get(json_object_get(doc, "tenants"), 0),
	                    "changeLog"),
	    json_object_get(json_array_get(json_object_get(again, "tenants"), 0),
	                    "changeLog")));
	assert_int_equal(state_tenant_default(&other)->changes->epoch, t->changes->epoch);
	json_decref(again);
	state_release(&other);
	json_decref(doc);
}

/* A bad change log in a state document is refused with its path. */
static void test_import_refuses_bad_entries(void **ctx)
{
	struct state *st = *ctx;
	json_t *doc = state_export(st);
	json_t *tenant = json_array_get(json_object_get(doc, "tenants"), 0);
	struct state other;
	char err[256];

	json_object_set_new(
	    tenant, "changeLog",
	    json_pack("{s:s, s:i, s:i, s:i, s:[{s:i, s:s, s:s, s:s, s:s}]}", "epoch",
	              "00000000000000ff", "lastSeq", 3, "floorSeq", 0, "maxEntries", 100,
	              "entries", "seq", 5, "at", "2024-01-01T00:00:00Z", "op", "created",
	              "kind", "user", "id", ADMIN_ID));
	assert_int_equal(state_init(&other, 1), 0);
	assert_int_equal(state_replace(&other, doc, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tenants[0].changeLog.entries[0]"));
	state_release(&other);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_store_logs_its_writes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_updates_found_by_difference, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_difference_in_any_order, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_snapshot_at_first_use, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_undo_inside_a_request_cancels, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_compaction, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_compaction_allocations, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_expiry_on_the_mock_clock, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_export_import_roundtrip, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_import_refuses_bad_entries, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
