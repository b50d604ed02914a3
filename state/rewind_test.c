/*
 * state/rewind_test.c - a property test of the rewind record (rewind.h):
 * random writes through the store's own API (objects made, edited in place,
 * soft deleted, restored, purged and removed; memberships and app role
 * assignments added and taken away, between live and deleted ends alike),
 * then a reset, which must rewind (not rebuild) and give back the tenant
 * the fixture built. The check mode compares each rewind with the export
 * taken at the build (and aborts on a difference); the test compares again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "changelog.h"
#include "deleted.h"
#include "load/export.h"
#include "load/fixture.h"
#include "load/fixture_read.h"
#include "load/tenants.h"
#include "rewind.h"
#include "state.h"

#define ROUNDS 40
#define OPS    60

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static unsigned pick(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? (unsigned)(rng_state % n) : 0;
}

/* The default fixture, loaded with the check mode on. */
static void load(struct state *st)
{
	json_t *doc = fixture_read(default_fixture_json, strlen(default_fixture_json),
	                           &(json_error_t){0});
	char err[256];

	assert_non_null(doc);
	assert_int_equal(state_init(st, 9), 0);
	st->rewind_check = true;
	if (state_load(st, doc, err, sizeof(err)))
		fail_msg("default fixture: %s", err);
	json_decref(doc);
}

/* A live object of @kind (-1: any), or NULL when there is none. */
static struct dobj *any_live(struct tenant *t, int kind)
{
	unsigned n = 0, k;
	struct dobj *d;

	for (d = t->objects; d; d = d->hh.next)
		n += kind < 0 || d->kind == (enum dobj_kind)kind;
	if (!n)
		return NULL;
	k = pick(n);
	for (d = t->objects; d; d = d->hh.next)
		if ((kind < 0 || d->kind == (enum dobj_kind)kind) && !k--)
			return d;
	return NULL;
}

static struct deleted_item *any_deleted(struct tenant *t)
{
	unsigned n = HASH_COUNT(t->deleted), k;
	struct deleted_item *it;

	if (!n)
		return NULL;
	k = pick(n);
	for (it = t->deleted; it && k--; it = it->hh.next)
		;
	return it;
}

static struct assignment *any_assignment(struct tenant *t)
{
	unsigned n = HASH_COUNT(t->assignments), k;
	struct assignment *a;

	if (!n)
		return NULL;
	k = pick(n);
	for (a = t->assignments; a && k--; a = a->hh.next)
		;
	return a;
}

static void make_user(struct state *st, struct tenant *t, unsigned i)
{
	char id[GUID_STR_LEN + 1], upn[64];
	json_t *obj;

	state_dobj_new_id(st, t, id);
	snprintf(upn, sizeof(upn), "made%u-%u@contoso.onmicrosoft.com", i, pick(1000000));
	obj = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "displayName", upn,
	                "userPrincipalName", upn, "createdDateTime",
	                "2030-01-01T00:00:00Z");
	assert_non_null(obj);
	state_dobj_add(st, t, DOBJ_USER, obj);
}

static void edit(struct state *st, struct tenant *t)
{
	struct dobj *d = any_live(t, -1);
	char name[32];

	if (!d)
		return;
	snprintf(name, sizeof(name), "Edited %u", pick(1000));
	state_dobj_touch(st, t, d); /* the store's rule for an edit in place */
	json_object_set_new(state_dobj_json(d), "displayName", json_string(name));
	json_object_set_new(state_dobj_json(d), "userType",
	                    json_string(pick(2) ? "Guest" : "Member"));
	assert_int_equal(state_dobj_reindex(t, d), 0);
}

static void member_add(struct tenant *t)
{
	struct dobj *g = any_live(t, DOBJ_GROUP),
	            *m = any_live(t, pick(2) ? DOBJ_USER : -1);

	if (g && m && g != m && m->kind != DOBJ_APPLICATION)
		assert_int_equal(state_member_add(g, m, NULL), 0);
}

static void member_remove(struct tenant *t)
{
	struct dobj *g = any_live(t, DOBJ_GROUP);

	if (g && g->members)
		state_member_remove(g, g->members->id);
}

static void assign(struct state *st, struct tenant *t)
{
	struct dobj *p = any_live(t, DOBJ_USER), *r = any_live(t, DOBJ_SERVICE_PRINCIPAL);
	char id[64], role[GUID_STR_LEN + 1];

	if (!p || !r)
		return;
	snprintf(id, sizeof(id), "asg-%u-%u", pick(1000000), pick(1000000));
	guid_random(role);
	state_assignment_add(st, t, id, p->id, r->id, role,
	                     json_pack("{s:s, s:s}", "id", id, "appRoleId", role));
}

static void one_op(struct state *st, struct tenant *t, unsigned i)
{
	struct deleted_item *it;
	struct assignment *a;
	struct dobj *d, *back;

	switch (pick(11)) {
	case 0:
		make_user(st, t, i);
		break;
	case 1:
	case 2:
		edit(st, t);
		break;
	case 3:
		if ((d = any_live(t, pick(2) ? DOBJ_USER : -1)) &&
		    d->kind != DOBJ_APPLICATION)
			state_dobj_soft_delete(st, t, d);
		break;
	case 4:
		if ((it = any_deleted(t)))
			state_deleted_restore(st, t, it, NULL, false, &back);
		break;
	case 5:
		if ((it = any_deleted(t)))
			state_deleted_purge(st, t, it);
		break;
	case 6:
		if ((d = any_live(t, DOBJ_USER)) && !pick(3))
			state_dobj_remove(t, d);
		break;
	case 7:
	case 8:
		member_add(t);
		break;
	case 9:
		member_remove(t);
		break;
	default:
		if (pick(2))
			assign(st, t);
		else if ((a = any_assignment(t)))
			state_assignment_remove(t, a);
		break;
	}
}

/* The tenant as the export shows it, assignments in id order. */
static char *fingerprint(const struct tenant *t)
{
	json_t *doc = state_export_tenant(t);
	json_t *arr = json_object_get(doc, "appRoleAssignments"), *sorted = json_object();
	size_t i;
	json_t *a;
	char *text;

	json_array_foreach(arr, i, a)
	    json_object_set(sorted, json_string_value(json_object_get(a, "id")), a);
	json_object_set_new(doc, "appRoleAssignments", sorted);
	text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	assert_non_null(text);
	return text;
}

static void test_random_writes_rewind_to_the_build(void **s)
{
	struct state st;
	struct tenant *t;
	char *built, *now;

	(void)s;
	load(&st);
	t = state_tenant_default(&st);
	built = fingerprint(t);
	for (unsigned round = 0; round < ROUNDS; round++) {
		uint64_t before = atomic_load(&st.rewinds);

		for (unsigned i = 0; i < OPS; i++)
			one_op(&st, t, round * OPS + i);
		assert_true(state_rewind_ready(t));
		assert_true(state_rewind_notes(t) > 0);
		assert_int_equal(state_tenant_reset(&st, t), 0);
		assert_int_equal(atomic_load(&st.rewinds), before + 1);
		assert_int_equal(state_rewind_notes(t), 0);
		now = fingerprint(t);
		assert_string_equal(built, now);
		free(now);
	}
	free(built);
	state_release(&st);
}

/* Past its bound the record is lost; the reset rebuilds and the record
 * starts over on the rebuilt tenant. */
static void test_bound_loses_the_record(void **s)
{
	struct state st;
	struct tenant *t;
	struct dobj *g, *u;
	uint64_t before;

	(void)s;
	load(&st);
	t = state_tenant_default(&st);
	g = any_live(t, DOBJ_GROUP);
	u = state_dobj_find(&st, t, DOBJ_USER, "33c3317d-939c-4e2f-855a-95aa465db42a");
	assert_non_null(g);
	assert_non_null(u);
	for (int i = 0; i <= REWIND_MIN_NOTES / 2; i++) {
		assert_int_equal(state_member_add(g, u, NULL), 0);
		assert_int_equal(state_member_remove(g, u->id), 0);
	}
	assert_false(state_rewind_ready(t));
	before = atomic_load(&st.rewinds);
	assert_int_equal(state_tenant_reset(&st, t), 0);
	assert_int_equal(atomic_load(&st.rewinds), before);
	assert_true(state_rewind_ready(t));
	state_release(&st);
}

/* An object changed by a path that noted nothing first (no lookup of a
 * writing request, no touch) loses the record at the store's next check:
 * a rebuild, never a reset that leaves the change behind. */
static void test_unnoted_change_loses_the_record(void **s)
{
	struct state st;
	struct tenant *t;
	struct dobj *u;

	(void)s;
	load(&st);
	t = state_tenant_default(&st);
	u = state_dobj_find(&st, t, DOBJ_USER, "33c3317d-939c-4e2f-855a-95aa465db42a");
	json_object_set_new(state_dobj_json(u), "displayName", json_string("Unnoted"));
	assert_true(state_rewind_ready(t));
	assert_int_equal(state_dobj_reindex(t, u), 0);
	assert_false(state_rewind_ready(t));
	assert_int_equal(state_tenant_reset(&st, t), 0);
	u = state_dobj_find(&st, t, DOBJ_USER, "33c3317d-939c-4e2f-855a-95aa465db42a");
	assert_string_equal(
	    json_string_value(json_object_get(state_dobj_json(u), "displayName")),
	    "MOD Administrator");
	state_release(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_writes_rewind_to_the_build),
	    cmocka_unit_test(test_bound_loses_the_record),
	    cmocka_unit_test(test_unnoted_change_loses_the_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
