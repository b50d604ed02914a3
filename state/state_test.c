/*
 * state/state_test.c - the state store: objects, indexes, memberships,
 * cascading removal, fixtures and their error paths, tenant cloning, and the
 * allocation-failure loop (fail allocation N for N = 0, 1, ... until the
 * operation succeeds; after each failure nothing changed and nothing leaked).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load/fixture_read.h"
#include "state_testutil.h"
#include "util/alloc.h"
#include "load/fixture.h"
#include "model/model.h"
#include "state.h"
#include "load/tenants.h"
#include "changelog.h"

#define ADMIN_ID     "33c3317d-939c-4e2f-855a-95aa465db42a"
#define ADELE_ID     "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define DEV_GROUP_ID "1892265b-9c32-4dcf-b9ab-51bf32136e62"

static void *chaos_malloc(size_t n)
{
	return state_malloc(n);
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

static void test_default_fixture(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	size_t n;

	assert_non_null(t);
	assert_string_equal(t->domain, "contoso.onmicrosoft.com");
	assert_int_equal(state_dobj_count(t, DOBJ_USER), 2);
	assert_int_equal(state_dobj_count(t, DOBJ_GROUP), 1);
	assert_non_null(
	    state_dobj_find(st, t, DOBJ_USER, "33C3317D-939C-4E2F-855A-95AA465DB42A"));
	assert_null(state_dobj_find(st, t, DOBJ_GROUP, ADMIN_ID));
	struct dobj *const *hits =
	    state_dobj_lookup(t, IDX_UPN, "ADMIN@contoso.onmicrosoft.com", &n);
	assert_int_equal(n, 1);
	assert_string_equal(hits[0]->id, ADMIN_ID);
	assert_true(
	    state_member_has(state_dobj_find(st, t, DOBJ_GROUP, DEV_GROUP_ID), ADELE_ID));
	assert_int_equal(json_array_size(st->templates), 5);
}

static void test_secondary_indexes_follow_changes(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *d = state_dobj_find(st, t, DOBJ_USER, ADMIN_ID);
	size_t n;

	json_object_set_new(state_dobj_json(d), "userPrincipalName",
	                    json_string("boss@contoso.onmicrosoft.com"));
	json_object_set_new(state_dobj_json(d), "otherMails",
	                    json_pack("[s]", "Boss@Example.com"));
	assert_int_equal(state_dobj_reindex(t, d), 0);
	state_dobj_lookup(t, IDX_UPN, "admin@contoso.onmicrosoft.com", &n);
	assert_int_equal(n, 0);
	state_dobj_lookup(t, IDX_UPN, "BOSS@contoso.onmicrosoft.com", &n);
	assert_int_equal(n, 1);
	state_dobj_lookup(t, IDX_MAIL, "boss@example.com", &n);
	assert_int_equal(n, 1);
}

static void test_remove_cascades(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *group = state_dobj_find(st, t, DOBJ_GROUP, DEV_GROUP_ID);
	struct dobj *adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	struct dobj *sp = state_dobj_first(t, DOBJ_SERVICE_PRINCIPAL);
	char id[64];
	json_t *obj = model_assignment_new(st, adele, sp,
	                                   "00000000-0000-0000-0000-000000000000", id);

	assert_non_null(obj);
	assert_int_equal(strlen(id), 43);
	assert_non_null(state_assignment_add(
	    st, t, id, adele->id, sp->id, "00000000-0000-0000-0000-000000000000", obj));
	state_dobj_remove(t, adele);
	assert_null(state_dobj_find(st, t, -1, ADELE_ID));
	assert_false(state_member_has(group, ADELE_ID));
	assert_null(group->members);
	assert_null(state_assignment_find(st, t, id));
}

/* Count the assignments listed on @d's principal or resource side. */
static size_t listed(const struct dobj *d, bool principal)
{
	size_t n = 0;

	for (const struct assignment *a = principal
	                                      ? state_assignment_first_of_principal(d)
	                                      : state_assignment_first_of_resource(d);
	     a; a = principal ? state_assignment_next_of_principal(a)
	                      : state_assignment_next_of_resource(a)) {
		assert_ptr_equal(principal ? a->principal : a->resource, d);
		n++;
	}
	return n;
}

/*
 * Assignments are found from either end without a scan: each principal and
 * resource lists exactly its own, in insertion order, and removal (of the
 * assignment, or of either object) unlinks them.
 */
static void test_assignments_indexed_by_principal_and_resource(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *admin = state_dobj_find(st, t, DOBJ_USER, ADMIN_ID);
	struct dobj *adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	struct dobj *sp[2] = {state_dobj_first(t, DOBJ_SERVICE_PRINCIPAL), NULL};
	size_t before[2];
	char id[64];

	sp[1] = state_dobj_next(sp[0]);
	before[0] = listed(sp[0], false);
	before[1] = listed(sp[1], false);
	for (int i = 0; i < 200; i++) {
		struct dobj *p = i % 3 ? admin : adele, *r = sp[i % 2];
		char role[GUID_STR_LEN + 1];
		json_t *obj;

		state_new_id(st, role);
		obj = model_assignment_new(st, p, r, role, id);
		assert_non_null(state_assignment_add(st, t, id, p->id, r->id, role, obj));
	}
	assert_int_equal(listed(adele, true), 67);
	assert_int_equal(listed(sp[0], false), before[0] + 100);
	assert_int_equal(listed(sp[1], false), before[1] + 100);
	/* oldest first */
	for (const struct assignment *a = state_assignment_first_of_principal(admin);
	     a && state_assignment_next_of_principal(a);
	     a = state_assignment_next_of_principal(a))
		assert_true(a->seq < state_assignment_next_of_principal(a)->seq);
	state_assignment_remove(t, state_assignment_first_of_principal(adele));
	assert_int_equal(listed(adele, true), 66);
	state_dobj_remove(t, sp[1]);
	assert_int_equal(listed(admin, true) + listed(adele, true), 66 + 133 - 100 + 0);
	state_dobj_remove(t, adele);
	assert_int_equal(listed(sp[0], false), before[0] + 100 - 34);
}

static void test_duplicate_id_refused(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	json_t *obj = json_pack("{s:s, s:s}", "id", DEV_GROUP_ID, "displayName", "clash");

	assert_null(state_dobj_add(st, t, DOBJ_USER, obj));
	assert_int_equal(state_dobj_count(t, DOBJ_USER), 2);
}

static void test_membership_edges(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *group = state_dobj_find(st, t, DOBJ_GROUP, DEV_GROUP_ID);
	struct dobj *admin = state_dobj_find(st, t, DOBJ_USER, ADMIN_ID);
	bool added;

	assert_int_equal(state_member_add(group, admin, &added), 0);
	assert_true(added);
	/* A second add is no failure (a caller once read it as out of memory
	 * and answered 500), and adds no second edge. */
	assert_int_equal(state_member_add(group, admin, &added), 0);
	assert_false(added);
	assert_int_equal(HASH_COUNT(admin->member_of), 1);
	assert_true(state_member_has(group, ADMIN_ID));
	assert_non_null(admin->member_of);
	assert_int_equal(state_member_remove(group, ADMIN_ID), 0);
	assert_int_equal(state_member_remove(group, ADMIN_ID), 1);
	assert_null(admin->member_of);
	assert_int_equal(state_member_remove(group, "not-a-guid"), 1);
}

static void test_replication_lag(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	char id[GUID_STR_LEN + 1];

	st->lag_reads[DOBJ_USER] = 2;
	state_new_id(st, id);
	assert_non_null(state_dobj_add(
	    st, t, DOBJ_USER, json_pack("{s:s, s:s}", "id", id, "displayName", "late")));
	assert_null(state_dobj_find(st, t, DOBJ_USER, id));
	assert_null(state_dobj_find(st, t, DOBJ_USER, id));
	assert_non_null(state_dobj_find(st, t, DOBJ_USER, id));
	st->lag_reads[DOBJ_USER] = 0;
}

static void expect_fixture_error(const char *doc_text, const char *want)
{
	struct state st;
	char err[256] = "";
	json_t *doc = json_loads(doc_text, 0, NULL);

	assert_non_null(doc);
	assert_int_equal(state_init(&st, 1), 0);
	assert_int_equal(state_load(&st, doc, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_null(st.tenants);
	json_decref(doc);
	state_release(&st);
}

static void test_fixture_errors_name_the_path(void **ctx)
{
	(void)ctx;
	expect_fixture_error("[]", "$: the fixture must be a JSON object");
	expect_fixture_error("{\"tenants\": []}",
	                     "tenants: a non-empty array is required");
	expect_fixture_error("{\"tenant\": []}", "tenant: unknown key");
	expect_fixture_error(
	    "{\"tenants\": [{\"displayName\": \"x\"}]}",
	    "tenants[0]: \"displayName\" and \"domain\" strings are required");
	expect_fixture_error(
	    "{\"tenants\": [{\"displayName\": \"x\", \"domain\": \"x.com\", "
	    "\"users\": [{\"displayName\": \"a\"}]}]}",
	    "tenants[0].users[0].userPrincipalName: required string is missing");
	expect_fixture_error(
	    "{\"tenants\": [{\"displayName\": \"x\", \"domain\": \"x.com\", "
	    "\"groups\": [{\"id\": \"nope\", \"displayName\": \"g\"}]}]}",
	    "tenants[0].groups[0].id: must be a GUID string");
	expect_fixture_error(
	    "{\"tenants\": [{\"displayName\": \"x\", \"domain\": \"x.com\", "
	    "\"memberships\": [{\"groupId\": \"" DEV_GROUP_ID "\"}]}]}",
	    "tenants[0].memberships[0].groupId: no such group");
	expect_fixture_error(
	    "{\"tenants\": [{\"displayName\": \"x\", \"domain\": \"x.com\", "
	    "\"colour\": 1}]}",
	    "tenants[0].colour: unknown key");
}

static void test_bad_load_keeps_old_state(void **ctx)
{
	struct state *st = *ctx;
	char err[256];
	json_t *bad = json_loads("{\"tenants\": [{\"displayName\": \"x\"}]}", 0, NULL);

	assert_int_equal(state_load(st, bad, err, sizeof(err)), -1);
	assert_non_null(state_tenant_find(st, "contoso.onmicrosoft.com"));
	assert_int_equal(state_dobj_count(state_tenant_default(st), DOBJ_USER), 2);
	json_decref(bad);
}

static void test_tenant_clone_and_remove(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_create(st, "Fabrikam", NULL);
	struct tenant *first = state_tenant_default(st);

	assert_non_null(t);
	assert_string_not_equal(t->id, first->id);
	assert_string_equal(t->display_name, "Fabrikam");
	assert_ptr_equal(state_tenant_find(st, t->id), t);
	/* Isolation: the clone's objects are its own. */
	state_dobj_remove(t, state_dobj_find(st, t, DOBJ_USER, ADMIN_ID));
	assert_non_null(state_dobj_find(st, first, DOBJ_USER, ADMIN_ID));
	state_tenant_remove(st, t);
	assert_null(state_tenant_find(st, "Fabrikam"));
	state_tenant_put(t); /* state_tenant_create()'s reference: freed now */
}

static void test_reset_restores_fixture(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);

	state_dobj_remove(t, state_dobj_find(st, t, DOBJ_USER, ADMIN_ID));
	assert_int_equal(state_reset(st), 0);
	t = state_tenant_default(st);
	assert_non_null(state_dobj_find(st, t, DOBJ_USER, ADMIN_ID));
}

static void test_tenant_reset_only_touches_that_tenant(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *clone = state_tenant_create(st, "Clone", "clone.example");
	struct tenant *first = state_tenant_default(st);
	char clone_id[GUID_STR_LEN + 1];

	assert_non_null(clone);
	state_tenant_put(clone); /* the registry still holds it */
	memcpy(clone_id, clone->id, sizeof(clone_id));
	state_dobj_remove(clone, state_dobj_find(st, clone, DOBJ_USER, ADMIN_ID));
	state_dobj_remove(first, state_dobj_find(st, first, DOBJ_USER, ADELE_ID));
	assert_int_equal(state_tenant_reset(st, clone), 0);
	clone = state_tenant_find(st, clone_id);
	assert_non_null(clone);
	assert_string_equal(clone->domain, "clone.example");
	assert_non_null(state_dobj_find(st, clone, DOBJ_USER, ADMIN_ID));
	assert_null(state_dobj_find(st, first, DOBJ_USER, ADELE_ID));
}

/* A UPN change either moves the index entry or leaves it exactly as it was. */
static void test_reindex_is_all_or_nothing(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *d = state_dobj_find(st, t, DOBJ_USER, ADMIN_ID);
	size_t n_old, n_new;
	long n;

	json_object_set_new(state_dobj_json(d), "userPrincipalName",
	                    json_string("new@contoso.onmicrosoft.com"));
	json_object_set_new(state_dobj_json(d), "otherMails",
	                    json_pack("[s, s]", "a@x.com", "b@x.com"));
	for (n = 0; n < 1000; n++) {
		state_alloc_fail_after(n);
		int rc = state_dobj_reindex(t, d);
		state_alloc_fail_after(-1);
		state_dobj_lookup(t, IDX_UPN, "admin@contoso.onmicrosoft.com", &n_old);
		state_dobj_lookup(t, IDX_UPN, "new@contoso.onmicrosoft.com", &n_new);
		if (rc == 0) {
			assert_int_equal(n_old, 0);
			assert_int_equal(n_new, 1);
			break;
		}
		assert_int_equal(n_old, 1);
		assert_int_equal(n_new, 0);
		state_dobj_lookup(t, IDX_MAIL, "a@x.com", &n_new);
		assert_int_equal(n_new, 0);
	}
	assert_true(n > 2);
	state_dobj_lookup(t, IDX_MAIL, "b@x.com", &n_new);
	assert_int_equal(n_new, 1);
}

static void test_security_identifier(void **ctx)
{
	char sid[80];

	(void)ctx;
	/* graph-spec §5.1's example. */
	model_security_identifier("21d05557-b7b6-418f-86fa-a3118d751be4", sid);
	assert_string_equal(sid, "S-1-12-1-567301463-1099937718-295959174-3827004813");
}

static void test_assignment_id_embeds_principal(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *admin = state_dobj_find(st, t, DOBJ_USER, ADMIN_ID);
	char id[64];
	json_t *obj = model_assignment_new(st, admin, admin,
	                                   "00000000-0000-0000-0000-000000000000", id);

	/* The first 16 bytes are the principal id in .NET order (graph-spec §6.3). */
	assert_memory_equal(id, "fTHDM5yTL06FWpWqRl20K", 21);
	assert_string_equal(json_string_value(json_object_get(obj, "principalType")),
	                    "User");
	json_decref(obj);
}

/* Load the default fixture with allocation N failing, for N = 0, 1, ... */
static void test_load_survives_every_allocation_failure(void **ctx)
{
	json_t *doc = fixture_read(default_fixture_json, strlen(default_fixture_json),
	                           &(json_error_t){0});
	long n;

	(void)ctx;
	assert_non_null(doc);
	json_set_alloc_funcs(chaos_malloc, state_free);
	for (n = 0; n < 100000; n++) {
		struct state st;
		char err[256];
		int rc;

		assert_int_equal(state_init(&st, 7), 0);
		state_alloc_fail_after(n);
		rc = state_load(&st, doc, err, sizeof(err));
		state_alloc_fail_after(-1);
		if (rc == 0) {
			assert_non_null(state_tenant_default(&st));
			state_release(&st);
			break;
		}
		/* Failed: nothing was installed. LeakSanitizer checks the rest. */
		assert_null(st.tenants);
		assert_null(st.fixture);
		state_release(&st);
	}
	json_set_alloc_funcs(malloc, free);
	assert_true(n > 50); /* the load really allocates, so the loop really ran */
	json_decref(doc);
}

/* Membership and assignment writes under the same loop. */
static void test_writes_survive_allocation_failure(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *group = state_dobj_find(st, t, DOBJ_GROUP, DEV_GROUP_ID);
	struct dobj *admin = state_dobj_find(st, t, DOBJ_USER, ADMIN_ID);
	long n;

	for (n = 0; n < 1000; n++) {
		state_alloc_fail_after(n);
		int rc = state_member_add(group, admin, NULL);
		state_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, -1);
		assert_false(state_member_has(group, ADMIN_ID));
		assert_null(admin->member_of);
	}
	assert_true(state_member_has(group, ADMIN_ID));
	for (n = 0; n < 1000; n++) {
		char id[GUID_STR_LEN + 1];
		size_t before = state_dobj_count(t, DOBJ_USER);
		state_new_id(st, id);
		json_t *obj =
		    json_pack("{s:s, s:s, s:s}", "id", id, "displayName", "oom",
		              "userPrincipalName", "oom@contoso.onmicrosoft.com");
		state_alloc_fail_after(n);
		struct dobj *d = state_dobj_add(st, t, DOBJ_USER, obj);
		state_alloc_fail_after(-1);
		if (d)
			break;
		size_t hits;
		assert_int_equal(state_dobj_count(t, DOBJ_USER), before);
		state_dobj_lookup(t, IDX_UPN, "oom@contoso.onmicrosoft.com", &hits);
		assert_int_equal(hits, 0);
	}
	assert_true(n > 0);
}

/*
 * The tenant generation readers key what they keep on (state_tenant_gen):
 * the same across readers' locks, 0 while anything may change, and a new
 * value once a writer or a change lets go; never a value seen before.
 */
static void test_generation_moves_with_changes(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *d = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	uint64_t g0, g1, g2, g3;

	state_tenant_lock_reader(t);
	g0 = state_tenant_gen(t);
	state_tenant_unlock(t);
	assert_int_not_equal(g0, 0);
	state_tenant_lock_reader(t);
	assert_true(state_tenant_gen(t) == g0); /* a reader changes nothing */
	state_dobj_touch(st, t, d);             /* ... until it touches an object */
	assert_true(state_tenant_gen(t) == 0);
	state_tenant_unlock(t);
	g1 = state_tenant_gen(t);
	assert_true(g1 != 0 && g1 != g0);
	state_tenant_lock(t); /* a writer: nothing kept while it holds the lock */
	assert_true(state_tenant_gen(t) == 0);
	state_tenant_unlock(t);
	g2 = state_tenant_gen(t);
	assert_true(g2 != 0 && g2 != g1 && g2 != g0);
	state_tenant_lock_reader(t);
	state_dobj_set_json(d, json_deep_copy(state_dobj_json(d)));
	assert_true(state_tenant_gen(t) == 0);
	state_tenant_unlock(t);
	g3 = state_tenant_gen(t);
	assert_true(g3 != 0 && g3 != g2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_default_fixture, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_secondary_indexes_follow_changes, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_remove_cascades, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_assignments_indexed_by_principal_and_resource, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicate_id_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_membership_edges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_replication_lag, setup, teardown),
	    cmocka_unit_test(test_fixture_errors_name_the_path),
	    cmocka_unit_test_setup_teardown(test_bad_load_keeps_old_state, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_tenant_clone_and_remove, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_reset_restores_fixture, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tenant_reset_only_touches_that_tenant,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reindex_is_all_or_nothing, setup,
	                                    teardown),
	    cmocka_unit_test(test_security_identifier),
	    cmocka_unit_test_setup_teardown(test_assignment_id_embeds_principal, setup,
	                                    teardown),
	    cmocka_unit_test(test_load_survives_every_allocation_failure),
	    cmocka_unit_test_setup_teardown(test_writes_survive_allocation_failure, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_generation_moves_with_changes, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
