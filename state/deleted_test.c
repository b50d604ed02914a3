/*
 * state/deleted_test.c - soft delete and restore: what leaves the directory
 * with a deleted object (lookups, memberships, assignments, its name) and
 * what a restore brings back, edges between two deleted objects in either
 * restore order, the conflicts a restore meets, purging (logged as Graph's
 * delta shows it), the 30 days on the mock clock, and export and import.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "changelog.h"
#include "deleted.h"
#include "load/export.h"
#include "load/tenants.h"
#include "state.h"
#include "state_testutil.h"
#include "subscription.h"

#define ADMIN_ID     "33c3317d-939c-4e2f-855a-95aa465db42a"
#define ADELE_ID     "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define ADELE_UPN    "AdeleV@contoso.onmicrosoft.com"
#define DEV_GROUP_ID "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define APP_ID       "ebcfd23c-7aec-4030-8ffc-e1a1fd7ab9e8"
#define APP_SP_ID    "ffd74704-8647-49d6-8a03-b6b5cf8ce61d"
#define GRAPH_SP_ID  "bd9c1ced-d13a-4ed9-8018-1d502b412f30"
#define DAY_MS       ((int64_t)24 * 3600 * 1000)

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

static size_t assignments_naming(const struct tenant *t, const char *id)
{
	size_t n = 0;

	for (const struct assignment *a = t->assignments; a; a = a->hh.next)
		n += !strcmp(a->principal_id, id) || !strcmp(a->resource_id, id);
	return n;
}

static const char *upn_of(const struct dobj *d)
{
	return json_string_value(
	    json_object_get(state_dobj_json(d), "userPrincipalName"));
}

/* A deleted user is gone from every view, renamed, and keeps what it held. */
static void test_soft_delete_and_restore_user(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *g = state_dobj_find(st, t, DOBJ_GROUP, DEV_GROUP_ID);
	struct dobj *adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	struct deleted_item *it;
	struct dobj *back = NULL;
	size_t n;

	assert_true(state_member_has(g, ADELE_ID));
	assert_int_equal(state_dobj_soft_delete(st, t, adele), 0);
	assert_null(state_dobj_find(st, t, DOBJ_USER, ADELE_ID));
	assert_int_equal(state_dobj_count(t, DOBJ_USER), 1);
	assert_false(state_member_has(g, ADELE_ID));
	state_dobj_lookup(t, IDX_UPN, ADELE_UPN, &n);
	assert_int_equal(n, 0);
	it = state_deleted_find(t, "867C0910-85C6-4427-9A19-B6E7E79332AE");
	assert_non_null(it);
	assert_string_equal(upn_of(it->d), "867c091085c644279a19b6e7e79332ae" ADELE_UPN);
	assert_non_null(json_object_get(state_dobj_json(it->d), "deletedDateTime"));
	assert_int_equal(it->member_of.n, 1);
	assert_string_equal(it->member_of.v[0], DEV_GROUP_ID);
	assert_int_equal(t->changes->v[t->changes->n - 1].op, CHANGE_SOFT_DELETED);

	assert_int_equal(state_deleted_restore(st, t, it, NULL, false, &back),
	                 RESTORE_OK);
	assert_ptr_equal(back, adele);
	assert_ptr_equal(state_dobj_find(st, t, DOBJ_USER, ADELE_ID), adele);
	assert_string_equal(upn_of(adele), ADELE_UPN);
	assert_null(json_object_get(state_dobj_json(adele), "deletedDateTime"));
	assert_true(state_member_has(g, ADELE_ID));
	state_dobj_lookup(t, IDX_UPN, ADELE_UPN, &n);
	assert_int_equal(n, 1);
	assert_null(state_deleted_find(t, ADELE_ID));
	assert_int_equal(t->changes->v[t->changes->n - 1].op, CHANGE_RESTORED);
}

/* Its app role assignments leave with a service principal and come back with it. */
static void test_assignments_follow_the_object(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *sp = state_dobj_find(st, t, DOBJ_SERVICE_PRINCIPAL, APP_SP_ID);
	struct dobj *back;

	assert_int_equal(assignments_naming(t, APP_SP_ID), 6);
	assert_int_equal(state_dobj_soft_delete(st, t, sp), 0);
	assert_int_equal(assignments_naming(t, APP_SP_ID), 0);
	assert_int_equal(HASH_COUNT(state_deleted_find(t, APP_SP_ID)->assignments), 6);
	assert_int_equal(state_deleted_restore(st, t, state_deleted_find(t, APP_SP_ID),
	                                       NULL, false, &back),
	                 RESTORE_OK);
	assert_int_equal(assignments_naming(t, APP_SP_ID), 6);
}

/* Two deleted ends: the edge comes back whichever is restored first. */
static void test_edges_between_deleted_objects(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *back;

	for (int order = 0; order < 2; order++) {
		struct dobj *g = state_dobj_find(st, t, DOBJ_GROUP, DEV_GROUP_ID);
		struct dobj *u = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
		const char *first = order ? DEV_GROUP_ID : ADELE_ID;
		const char *second = order ? ADELE_ID : DEV_GROUP_ID;

		assert_int_equal(state_dobj_soft_delete(st, t, u), 0);
		assert_int_equal(state_dobj_soft_delete(st, t, g), 0);
		assert_int_equal(state_deleted_restore(st, t,
		                                       state_deleted_find(t, first), NULL,
		                                       false, &back),
		                 RESTORE_OK);
		assert_int_equal(state_deleted_restore(st, t,
		                                       state_deleted_find(t, second),
		                                       NULL, false, &back),
		                 RESTORE_OK);
		g = state_dobj_find(st, t, DOBJ_GROUP, DEV_GROUP_ID);
		assert_true(state_member_has(g, ADELE_ID));
		assert_non_null(state_dobj_find(st, t, DOBJ_USER, ADELE_ID)->member_of);
	}
}

/* A new user took the name: the restore fails unless given another name. */
static void test_restore_meets_a_taken_name(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID), *back;
	struct deleted_item *it;
	char id[GUID_STR_LEN + 1];

	assert_int_equal(state_dobj_soft_delete(st, t, adele), 0);
	state_new_id(st, id);
	assert_non_null(state_dobj_add(
	    st, t, DOBJ_USER,
	    json_pack("{s:s, s:s}", "id", id, "userPrincipalName", ADELE_UPN)));
	it = state_deleted_find(t, ADELE_ID);
	assert_int_equal(state_deleted_restore(st, t, it, NULL, false, &back),
	                 RESTORE_UPN_TAKEN);
	assert_non_null(state_deleted_find(t, ADELE_ID)); /* nothing changed */
	assert_int_equal(state_deleted_restore(
	                     st, t, it, "adele2@contoso.onmicrosoft.com", false, &back),
	                 RESTORE_OK);
	assert_string_equal(upn_of(back), "adele2@contoso.onmicrosoft.com");
}

/* A service principal comes back only next to its application, and alone. */
static void test_service_principal_restore_rules(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *app = state_dobj_find(st, t, DOBJ_APPLICATION, APP_ID);
	struct dobj *sp = state_dobj_find(st, t, DOBJ_SERVICE_PRINCIPAL, APP_SP_ID);
	struct dobj *back;
	char id[GUID_STR_LEN + 1];

	assert_int_equal(state_dobj_soft_delete(st, t, sp), 0);
	assert_int_equal(state_dobj_soft_delete(st, t, app), 0);
	assert_int_equal(state_deleted_restore(st, t, state_deleted_find(t, APP_SP_ID),
	                                       NULL, false, &back),
	                 RESTORE_NO_APP);
	assert_int_equal(state_deleted_restore(st, t, state_deleted_find(t, APP_ID), NULL,
	                                       false, &back),
	                 RESTORE_OK);
	/* meanwhile a new service principal of the appId */
	state_new_id(st, id);
	assert_non_null(
	    state_dobj_add(st, t, DOBJ_SERVICE_PRINCIPAL,
	                   json_pack("{s:s, s:s}", "id", id, "appId",
	                             "bb307b24-a6db-470e-9a3b-e58a68578312")));
	assert_int_equal(state_deleted_restore(st, t, state_deleted_find(t, APP_SP_ID),
	                                       NULL, false, &back),
	                 RESTORE_APPID_TAKEN);
}

/* Permanent delete: its groups lose the member now (logged), then the object. */
static void test_purge_logs_like_graph(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct dobj *adele = state_dobj_find(st, t, DOBJ_USER, ADELE_ID);
	const struct changelog *log;

	assert_int_equal(state_dobj_soft_delete(st, t, adele), 0);
	state_deleted_purge(st, t, state_deleted_find(t, ADELE_ID));
	log = t->changes;
	assert_int_equal(log->n, 3);
	assert_int_equal(log->v[0].op, CHANGE_SOFT_DELETED);
	assert_int_equal(log->v[1].op, CHANGE_MEMBER_REMOVED);
	assert_string_equal(log->v[1].id, DEV_GROUP_ID);
	assert_string_equal(log->v[1].member_id, ADELE_ID);
	assert_int_equal(log->v[2].op, CHANGE_PURGED);
	assert_null(state_deleted_find(t, ADELE_ID));
}

/* Thirty days on the mock clock, then gone for good at the next tick. */
static void test_thirty_days(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	int64_t now = state_now_ms(st);

	atomic_store(&st->clock.frozen_ms, now);
	assert_int_equal(
	    state_dobj_soft_delete(st, t, state_dobj_find(st, t, DOBJ_USER, ADELE_ID)),
	    0);
	atomic_store(&st->clock.frozen_ms, now + 30 * DAY_MS - 1);
	state_tenant_tick(st, t);
	assert_non_null(state_deleted_find(t, ADELE_ID));
	atomic_store(&st->clock.frozen_ms, now + 30 * DAY_MS);
	state_tenant_tick(st, t);
	assert_null(state_deleted_find(t, ADELE_ID));
	assert_int_equal(t->changes->v[t->changes->n - 1].op, CHANGE_PURGED);
	atomic_store(&st->clock.frozen_ms, -1);
}

/* Distribution groups skip the deleted items; a deleted M365 group holds its address. */
static void test_what_is_deleted_how(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	char id[GUID_STR_LEN + 1], id2[GUID_STR_LEN + 1];
	struct dobj *dl, *m365;

	state_new_id(st, id);
	dl = state_dobj_add(st, t, DOBJ_GROUP,
	                    json_pack("{s:s, s:b, s:b, s:[]}", "id", id, "mailEnabled", 1,
	                              "securityEnabled", 0, "groupTypes"));
	assert_int_equal(state_dobj_delete(st, t, dl), 0);
	assert_null(state_deleted_find(t, id));
	state_new_id(st, id2);
	m365 = state_dobj_add(st, t, DOBJ_GROUP,
	                      json_pack("{s:s, s:b, s:[s], s:s}", "id", id2,
	                                "mailEnabled", 1, "groupTypes", "Unified", "mail",
	                                "team@contoso.onmicrosoft.com"));
	assert_int_equal(state_dobj_delete(st, t, m365), 0);
	assert_non_null(state_deleted_find(t, id2));
	assert_non_null(state_deleted_holder(t, IDX_MAIL, "TEAM@contoso.onmicrosoft.com",
	                                     DOBJ_GROUP));
	assert_null(
	    state_deleted_holder(t, IDX_MAIL, "team@contoso.onmicrosoft.com", DOBJ_USER));
}

/* Deleted items, with their edges and assignments, survive an export and load. */
static void test_export_import(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct state other;
	struct tenant *o;
	struct dobj *back;
	json_t *doc, *again;
	char err[256];

	assert_int_equal(
	    state_dobj_soft_delete(st, t, state_dobj_find(st, t, DOBJ_USER, ADELE_ID)),
	    0);
	assert_int_equal(
	    state_dobj_soft_delete(
	        st, t, state_dobj_find(st, t, DOBJ_SERVICE_PRINCIPAL, APP_SP_ID)),
	    0);
	doc = state_export(st);
	assert_int_equal(state_init(&other, 1), 0);
	if (state_replace(&other, doc, err, sizeof(err)))
		fail_msg("reload: %s", err);
	again = state_export(&other);
	assert_true(json_equal(doc, again));
	o = state_tenant_default(&other);
	assert_int_equal(HASH_COUNT(o->deleted), 2);
	assert_int_equal(state_deleted_restore(&other, o, state_deleted_find(o, ADELE_ID),
	                                       NULL, false, &back),
	                 RESTORE_OK);
	assert_string_equal(upn_of(back), ADELE_UPN);
	assert_true(state_member_has(state_dobj_find(&other, o, DOBJ_GROUP, DEV_GROUP_ID),
	                             ADELE_ID));
	assert_int_equal(state_deleted_restore(&other, o,
	                                       state_deleted_find(o, APP_SP_ID), NULL,
	                                       false, &back),
	                 RESTORE_OK);
	assert_int_equal(assignments_naming(o, APP_SP_ID), 6);
	json_decref(again);
	json_decref(doc);
	state_release(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_soft_delete_and_restore_user, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_assignments_follow_the_object, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_edges_between_deleted_objects, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_restore_meets_a_taken_name, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_service_principal_restore_rules, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_purge_logs_like_graph, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_thirty_days, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_what_is_deleted_how, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_export_import, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
