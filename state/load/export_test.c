/*
 * state/load/export_test.c - the state round trip: export -> load -> export gives
 * an identical document, including objects, memberships and assignments
 * added at run time; a bad document changes nothing; and a snapshot
 * (what the streamed export renders with no lock held) is not reached by
 * changes made after it was taken.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../state_testutil.h"
#include "export.h"
#include "../model/model.h"
#include "../frozen.h"
#include "../invitation.h"
#include "../state.h"
#include "tenants.h"

static void load_default(struct state *st)
{

	test_state_init(st, 7);
}

static void mutate(struct state *st)
{
	struct tenant *t = state_tenant_default(st);
	json_t *u = json_pack("{s:s, s:s}", "displayName", "Guest", "userPrincipalName",
	                      "guest_x.com#EXT#@contoso.onmicrosoft.com");
	struct dobj *user, *group, *sp;
	char id[64];

	model_user_complete(st, t, u);
	user = state_dobj_add(st, t, DOBJ_USER, u);
	assert_non_null(user);
	group =
	    state_dobj_find(st, t, DOBJ_GROUP, "1892265b-9c32-4dcf-b9ab-51bf32136e62");
	assert_non_null(group);
	assert_int_equal(state_member_add(group, user, NULL), 0);
	sp = state_dobj_first(t, DOBJ_SERVICE_PRINCIPAL);
	assert_non_null(sp);
	json_t *a = model_assignment_new(st, user, sp,
	                                 "f4fdf2fd-6b29-435b-9165-31c0b21f9cd7", id);
	assert_non_null(state_assignment_add(st, t, id, user->id, sp->id,
	                                     "f4fdf2fd-6b29-435b-9165-31c0b21f9cd7", a));
}

static void test_round_trip(void **s)
{
	struct state st;
	char err[256];
	json_t *first, *second;

	(void)s;
	load_default(&st);
	mutate(&st);
	first = state_export(&st);
	assert_non_null(first);
	/* reset, then import the export */
	assert_int_equal(state_reset(&st), 0);
	assert_int_equal(state_load(&st, first, err, sizeof(err)), 0);
	second = state_export(&st);
	if (!json_equal(first, second)) {
		char *a = json_dumps(first, JSON_SORT_KEYS),
		     *b = json_dumps(second, JSON_SORT_KEYS);
		fail_msg("round trip differs:\n%s\n%s", a, b);
	}
	json_t *t0 = json_array_get(json_object_get(second, "tenants"), 0);
	assert_int_equal(json_array_size(json_object_get(t0, "users")), 3);
	assert_int_equal(json_array_size(json_object_get(t0, "memberships")), 2);
	assert_true(json_array_size(json_object_get(t0, "appRoleAssignments")) >= 1);
	assert_true(json_array_size(json_object_get(second, "applicationTemplates")) >=
	            1);
	json_decref(first);
	json_decref(second);
	state_release(&st);
}

static void test_bad_document_changes_nothing(void **s)
{
	struct state st;
	char err[256];
	json_t *before, *after, *bad;

	(void)s;
	load_default(&st);
	before = state_export(&st);
	bad = json_deep_copy(before);
	json_t *users =
	    json_object_get(json_array_get(json_object_get(bad, "tenants"), 0), "users");
	json_array_append_new(users, json_pack("{s:s}", "displayName", "no upn"));
	assert_int_equal(state_load(&st, bad, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "userPrincipalName"));
	after = state_export(&st);
	assert_true(json_equal(before, after));
	json_decref(before);
	json_decref(after);
	json_decref(bad);
	state_release(&st);
}

/* Everything the snapshot names as it was when taken: stored objects are
 * changed in place by requests after the lock is let go. */
static void test_snapshot_is_not_reached_by_later_changes(void **s)
{
	struct state st;
	struct tenant *t;
	struct dobj *user;
	struct invitation *inv;
	json_t *snap, *copy, *u0, *i0;
	size_t phones;

	(void)s;
	load_default(&st);
	t = state_tenant_default(&st);
	user = state_dobj_first(t, DOBJ_USER);
	json_object_set_new(state_dobj_json(user), "jobTitle", json_string("before"));
	inv = state_invitation_add(
	    &st, t, "11111111-2222-4333-8444-555555555555", user->id, "ticket",
	    json_pack("{s:s, s:s}", "status", "PendingAcceptance",
	              "invitedUserEmailAddress", "a@fabrikam.example"));
	assert_non_null(inv);
	phones =
	    json_array_size(json_object_get(state_dobj_json(user), "businessPhones"));
	snap = state_export_tenant_snapshot(t);
	assert_non_null(snap);
	copy = json_deep_copy(snap);
	/* what requests do to stored objects, in place */
	json_object_set_new(state_dobj_json(user), "jobTitle", json_string("after"));
	json_array_append_new(json_object_get(state_dobj_json(user), "businessPhones"),
	                      json_string("+1 425 555 0100"));
	json_object_set_new(inv->obj, "status", json_string("Completed"));
	assert_true(json_equal(snap, copy));
	u0 = json_array_get(json_object_get(snap, "users"), 0);
	assert_string_equal(json_string_value(json_object_get(u0, "jobTitle")), "before");
	assert_int_equal(json_array_size(json_object_get(u0, "businessPhones")), phones);
	i0 = json_object_get(json_array_get(json_object_get(snap, "invitations"), 0),
	                     "invitation");
	assert_string_equal(json_string_value(json_object_get(i0, "status")),
	                    "PendingAcceptance");
	json_decref(snap);
	json_decref(copy);
	state_release(&st);
}

/* The snapshot's edges, kept as their arrays' text, read back as the deep
 * export's arrays: the same edges, members and order. */
static void test_snapshot_edges_are_the_export_edges(void **s)
{
	struct state st;
	struct tenant *t;
	json_t *deep, *snap;

	(void)s;
	load_default(&st);
	mutate(&st);
	t = state_tenant_default(&st);
	deep = state_export_tenant(t);
	snap = state_export_tenant_snapshot(t);
	assert_non_null(deep);
	assert_non_null(snap);
	for (const char *const *k =
	         (const char *const[]){"memberships", "appRoleAssignments", NULL};
	     *k; k++) {
		const char *text;
		size_t len;
		json_error_t jerr;
		json_t *arr;

		assert_true(state_frozen_text(json_object_get(snap, *k), &text, &len));
		assert_non_null(memchr(text, '\n', len)); /* one element a line */
		arr = json_loadb(text, len, 0, &jerr);
		assert_non_null(arr);
		assert_true(json_array_size(arr) >= 1);
		assert_true(json_equal(arr, json_object_get(deep, *k)));
		json_decref(arr);
	}
	json_decref(deep);
	json_decref(snap);
	state_release(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_bad_document_changes_nothing),
	    cmocka_unit_test(test_snapshot_is_not_reached_by_later_changes),
	    cmocka_unit_test(test_snapshot_edges_are_the_export_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
