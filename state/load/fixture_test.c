/*
 * state/load/fixture_test.c - a fixture (or PUT /_mock/state, or a state
 * file) is held to the rules the API keeps: one user per userPrincipalName
 * in any case, no group in itself, one tenant per domain, one assignment per
 * principal, resource and role; and copies of a tenant (which share its
 * domain, marked "copyOf") load back; the name order a load sorts in one go,
 * and a reset undoing changes made in place to what the fixture gave.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "../changelog.h"
#include "../state.h"
#include "export.h"
#include "fixture_read.h"
#include "tenants.h"

#define T1 "11111111-1111-4111-8111-111111111111"
#define T2 "22222222-2222-4222-8222-222222222222"
#define U1 "aaaaaaaa-0000-4000-8000-000000000001"
#define U2 "aaaaaaaa-0000-4000-8000-000000000002"
#define G1 "bbbbbbbb-0000-4000-8000-000000000001"
#define SP "cccccccc-0000-4000-8000-000000000001"

/* Load @text; expect failure with @want in the message (or success for NULL). */
static void expect_load(const char *text, const char *want)
{
	struct state st;
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);
	char err[512] = "";
	int rc;

	if (!doc)
		fail_msg("test fixture does not parse: %s", jerr.text);
	assert_int_equal(state_init(&st, 1), 0);
	rc = state_load(&st, doc, err, sizeof(err));
	if (!want && rc)
		fail_msg("refused: %s", err);
	if (want && !rc)
		fail_msg("accepted, but the API refuses it (%s)", want);
	if (want && !strstr(err, want))
		fail_msg("message '%s' lacks '%s'", err, want);
	json_decref(doc);
	state_release(&st);
}

static void test_duplicate_upn_refused(void **s)
{
	(void)s;
	expect_load("{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\",\"domain\":"
	            "\"a.example\",\"users\":["
	            "{\"id\":\"" U1 "\",\"displayName\":\"x\",\"userPrincipalName\":"
	            "\"bob@a.example\"},"
	            "{\"id\":\"" U2 "\",\"displayName\":\"y\",\"userPrincipalName\":"
	            "\"BOB@a.example\"}]}]}",
	            "users[1].userPrincipalName");
}

static void test_group_in_itself_refused(void **s)
{
	(void)s;
	expect_load("{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\",\"domain\":"
	            "\"a.example\",\"groups\":[{\"id\":\"" G1 "\",\"displayName\":"
	            "\"g\"}],\"memberships\":[{\"groupId\":\"" G1 "\",\"memberId\":"
	            "\"" G1 "\"}]}]}",
	            "memberships[0].memberId: a group cannot be a member of itself");
}

static void test_shared_domain_refused(void **s)
{
	(void)s;
	expect_load("{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\",\"domain\":"
	            "\"a.example\"},{\"id\":\"" T2 "\",\"displayName\":\"B\","
	            "\"domain\":\"A.example\"}]}",
	            "tenants[1].domain");
}

static void test_duplicate_assignment_refused(void **s)
{
	(void)s;
	expect_load("{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\",\"domain\":"
	            "\"a.example\",\"users\":[{\"id\":\"" U1 "\",\"displayName\":"
	            "\"x\",\"userPrincipalName\":\"x@a.example\"}],"
	            "\"servicePrincipals\":[{\"id\":\"" SP "\",\"displayName\":\"s\","
	            "\"appId\":\"dddddddd-0000-4000-8000-000000000001\"}],"
	            "\"appRoleAssignments\":["
	            "{\"principalId\":\"" U1 "\",\"resourceId\":\"" SP "\","
	            "\"appRoleId\":\"00000000-0000-0000-0000-000000000000\"},"
	            "{\"principalId\":\"" U1 "\",\"resourceId\":\"" SP "\","
	            "\"appRoleId\":\"00000000-0000-0000-0000-000000000000\"}]}]}",
	            "appRoleAssignments[1]");
}

static void test_valid_fixture_still_loads(void **s)
{
	(void)s;
	expect_load("{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\",\"domain\":"
	            "\"a.example\",\"users\":[{\"id\":\"" U1 "\",\"displayName\":"
	            "\"x\",\"userPrincipalName\":\"x@a.example\"}],\"groups\":[{\"id\":"
	            "\"" G1 "\",\"displayName\":\"g\"}],\"memberships\":[{\"groupId\":"
	            "\"" G1 "\",\"memberId\":\"" U1 "\"}]},{\"id\":\"" T2 "\","
	            "\"displayName\":\"B\",\"domain\":\"b.example\"}]}",
	            NULL);
}

/*
 * Copies of the fixture tenant (POST /_mock/tenants without a domain) share
 * its domain, marked as copies: the domain still names the original, the
 * export says "copyOf", and it loads back.
 */
static void test_tenant_copies_load_back(void **s)
{
	struct state st;
	json_t *doc = json_loads("{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":"
	                         "\"A\",\"domain\":\"a.example\"}]}",
	                         0, NULL);
	struct tenant *c1, *c2;
	char err[512];
	json_t *exported;

	(void)s;
	assert_int_equal(state_init(&st, 1), 0);
	assert_int_equal(state_load(&st, doc, err, sizeof(err)), 0);
	c1 = state_tenant_create(&st, NULL, NULL);
	c2 = state_tenant_create(&st, NULL, NULL);
	assert_non_null(c1);
	assert_non_null(c2);
	assert_string_equal(c1->copy_of, T1);
	/* the domain names the original, not a copy */
	assert_string_equal(state_tenant_find(&st, "A.EXAMPLE")->id, T1);
	/* a domain asked for that another tenant holds is refused */
	assert_null(state_tenant_create(&st, NULL, "a.example"));
	exported = state_export(&st);
	assert_non_null(exported);
	if (state_load(&st, exported, err, sizeof(err)))
		fail_msg("an export with tenant copies does not load: %s", err);
	assert_string_equal(state_tenant_find(&st, "a.example")->id, T1);
	state_tenant_put(c1);
	state_tenant_put(c2);
	json_decref(exported);
	json_decref(doc);
	state_release(&st);
}

static struct tenant *load_text(struct state *st, const char *text)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);
	char err[512] = "";

	if (!doc)
		fail_msg("test fixture does not parse: %s", jerr.text);
	assert_int_equal(state_init(st, 1), 0);
	if (state_load(st, doc, err, sizeof(err)))
		fail_msg("refused: %s", err);
	json_decref(doc);
	return state_tenant_default(st);
}

#define NAMED(n, name)                                                                   \
	"{\"id\":\"aaaaaaaa-0000-4000-8000-00000000000" #n "\",\"displayName\":\"" name  \
	"\",\"userPrincipalName\":\"u" #n "@a.example\"}"

#define KEPT_USER(n, extra)                                                              \
	"{\"id\":\"aaaaaaaa-0000-4000-8000-00000000000" #n "\",\"displayName\":\"u" #n   \
	"\",\"userPrincipalName\":\"u" #n "@a.example\","                                \
	"\"createdDateTime\":\"2024-01-01T00:00:00Z\"" extra "}"

#define A_MEMBER KEPT_USER(1, ",\"userType\":\"Member\"")
#define A_GUEST  KEPT_USER(2, ",\"userType\":\"Guest\"")
#define NO_TYPE  KEPT_USER(3, "")

/* Users kept as text (state/frozen.h) land among the tenant's guests by the
 * userType their text gives, and are still text after; a reset too. */
static void test_guests_kept_as_text(void **s)
{
	static const char text[] =
	    "{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\","
	    "\"domain\":\"a.example\",\"users\":[" A_MEMBER "," A_GUEST "," NO_TYPE
	    "]}]}";
	json_error_t jerr;
	json_t *doc = fixture_read(text, strlen(text), &jerr);
	struct state st;
	struct tenant *t;
	char err[256];

	(void)s;
	assert_non_null(doc);
	assert_int_equal(state_init(&st, 1), 0);
	if (state_load(&st, doc, err, sizeof(err)))
		fail_msg("refused: %s", err);
	for (int round = 0; round < 2; round++) {
		t = state_tenant_default(&st);
		assert_int_equal(t->guests.count, 1);
		const struct dobj *g = oset_first(&t->guests)->val;
		assert_string_equal(g->id, "aaaaaaaa-0000-4000-8000-000000000002");
		assert_non_null(g->frozen); /* never parsed whole for it */
		assert_null(g->props);
		assert_int_equal(state_tenant_reset(&st, t), 0);
	}
	json_decref(doc);
	state_release(&st);
}

/* Microsoft Graph's service principal, given no permissions of its own,
 * stays text after a load and a reset (its 2.2 MB catalogue is attached when
 * it is first read), reads with Graph's permissions then, and an export of
 * it still frozen carries them too. One that names its own keeps them. */
#define GRAPH_SP "dddddddd-0000-4000-8000-000000000001"
static void test_graph_sp_kept_as_text(void **s)
{
	static const char text[] =
	    "{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\","
	    "\"domain\":\"a.example\",\"servicePrincipals\":["
	    "{\"id\":\"" GRAPH_SP "\",\"displayName\":\"Microsoft Graph\","
	    "\"appId\":\"00000003-0000-0000-c000-000000000000\"},"
	    "{\"id\":\"" SP "\",\"displayName\":\"Own roles\","
	    "\"appId\":\"00000003-0000-0000-C000-000000000000\","
	    "\"appRoles\":[],\"oauth2PermissionScopes\":[]}]}]}";
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr), *exported;
	struct state st;
	struct tenant *t;
	struct dobj *d;
	char err[256];

	(void)s;
	assert_non_null(doc);
	assert_int_equal(state_init(&st, 1), 0);
	if (state_load(&st, doc, err, sizeof(err)))
		fail_msg("refused: %s", err);
	t = state_tenant_default(&st);
	d = state_dobj_find(&st, t, DOBJ_SERVICE_PRINCIPAL, GRAPH_SP);
	assert_non_null(d);
	assert_non_null(d->frozen);
	assert_null(d->props);
	size_t n; /* indexed by the appId its stub holds */
	struct dobj *const *by_app =
	    state_dobj_lookup(t, IDX_APPID, "00000003-0000-0000-c000-000000000000", &n);
	assert_int_equal(n, 2);
	assert_true(by_app[0] == d || by_app[1] == d);
	assert_int_equal(state_tenant_reset(&st, t), 0);
	d = state_dobj_find(&st, t, DOBJ_SERVICE_PRINCIPAL, GRAPH_SP);
	assert_non_null(d->frozen); /* a reset leaves it as text */
	assert_null(d->props);
	exported = state_export(&st); /* completed for the copy, kept as text */
	assert_non_null(exported);
	assert_null(d->props);
	json_t *sps = json_object_get(
	    json_array_get(json_object_get(exported, "tenants"), 0), "servicePrincipals");
	assert_true(json_array_size(json_object_get(json_array_get(sps, 0), "appRoles")) >
	            100);
	json_decref(exported);
	exported = state_export_tenant_snapshot(t); /* what the stream renders */
	sps = json_object_get(exported, "servicePrincipals");
	assert_true(json_array_size(json_object_get(json_array_get(sps, 0), "appRoles")) >
	            100);
	assert_null(d->props);
	json_decref(exported);
	json_t *props = state_dobj_json(d); /* first read: completed */
	assert_true(json_array_size(json_object_get(props, "appRoles")) > 100);
	assert_true(json_array_size(json_object_get(props, "oauth2PermissionScopes")) >
	            100);
	assert_string_equal(
	    json_string_value(json_object_get(props, "appOwnerOrganizationId")), T1);
	d = state_dobj_find(&st, t, DOBJ_SERVICE_PRINCIPAL, SP);
	assert_null(d->frozen); /* its own (empty) permissions: a tree */
	assert_int_equal(json_array_size(json_object_get(state_dobj_json(d), "appRoles")),
	                 0);
	assert_int_equal(state_tenant_reset(&st, t), 0); /* read, not changed */
	d = state_dobj_find(&st, t, DOBJ_SERVICE_PRINCIPAL, GRAPH_SP);
	assert_true(json_array_size(json_object_get(state_dobj_json(d), "appRoles")) >
	            100);
	json_decref(doc);
	state_release(&st);
}

/* A load fills the name order in one sort (state_dobj_names_build): the order
 * is by lower-cased name then seq, as inserts one at a time make it, and an
 * object added afterwards takes its place among them. */
static void test_name_order_after_load(void **s)
{
	static const char *const want[] = {"a", "A", "aa", "B", "b", "c"};
	struct state st;
	struct tenant *t;
	size_t i = 0;

	(void)s;
	t = load_text(
	    &st,
	    "{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\","
	    "\"domain\":\"a.example\",\"users\":[" NAMED(1, "c") "," NAMED(
	        2, "a") "," NAMED(3, "B") "," NAMED(4, "A") "," NAMED(5, "b") "]}]}");
	assert_false(t->names_later);
	json_t *late =
	    json_pack("{s:s, s:s, s:s}", "id", "aaaaaaaa-0000-4000-8000-000000000009",
	              "displayName", "aa", "userPrincipalName", "u9@a.example");
	assert_non_null(state_dobj_add(&st, t, DOBJ_USER, late));
	assert_int_equal(t->by_name[DOBJ_USER].count, 6);
	for (struct oset_node *o = oset_first(&t->by_name[DOBJ_USER]); o;
	     o = oset_next(o)) {
		const struct dobj *d = o->val;
		assert_true(i < 6);
		assert_string_equal(
		    json_string_value(json_object_get(state_dobj_json(d), "displayName")),
		    want[i++]);
	}
	assert_int_equal(i, 6);
	state_release(&st);
}

/*
 * A tenant of 200 users in one group, half of them with an app role, and
 * (@bad_edge) a membership of a group that is not there.
 */
static json_t *edges_fixture(bool bad_edge)
{
	json_t *users = json_array(), *members = json_array(), *roles = json_array();

	for (int i = 0; i < 200; i++) {
		char id[GUID_STR_LEN + 1], name[16], upn[32];

		snprintf(id, sizeof(id), "aaaaaaaa-0000-4000-8000-%012d", 1000 + i);
		snprintf(name, sizeof(name), "user %03d", 199 - i); /* reverse order */
		snprintf(upn, sizeof(upn), "u%d@a.example", i);
		json_array_append_new(users, json_pack("{s:s, s:s, s:s}", "id", id,
		                                       "displayName", name,
		                                       "userPrincipalName", upn));
		json_array_append_new(
		    members, json_pack("{s:s, s:s}", "groupId", G1, "memberId", id));
		if (i % 2)
			json_array_append_new(
			    roles, json_pack("{s:s, s:s, s:s}", "principalId", id,
			                     "resourceId", SP, "appRoleId",
			                     "00000000-0000-0000-0000-000000000000"));
	}
	if (bad_edge)
		json_array_append_new(
		    members, json_pack("{s:s, s:s}", "groupId", T2, "memberId", U1));
	return json_pack("{s:[{s:s, s:s, s:s, s:o, s:[{s:s, s:s}], s:[{s:s, s:s, s:s}], "
	                 "s:o, s:o}]}",
	                 "tenants", "id", T1, "displayName", "A", "domain", "a.example",
	                 "users", users, "groups", "id", G1, "displayName", "g",
	                 "servicePrincipals", "id", SP, "displayName", "s", "appId",
	                 "dddddddd-0000-4000-8000-000000000001", "memberships", members,
	                 "appRoleAssignments", roles);
}

/*
 * A big tenant sorts its name order on a second thread while it adds its
 * memberships and assignments (load_names_and_edges): the tenant comes out
 * as the one-thread load makes it, and a bad edge still refuses it whole.
 */
static void test_big_tenant_names_beside_edges(void **s)
{
	(void)s;
	for (int big = 0; big < 2; big++) {
		struct state st;
		char err[512] = "";
		json_t *doc = edges_fixture(false);
		struct tenant *t;
		struct dobj *g;
		size_t n = 0;

		assert_int_equal(state_init(&st, 1), 0);
		st.read_keep_below = big ? 0 : SIZE_MAX;
		assert_int_equal(state_load(&st, doc, err, sizeof(err)), 0);
		t = state_tenant_default(&st);
		assert_false(t->names_later);
		assert_int_equal(t->by_name[DOBJ_USER].count, 200);
		for (struct oset_node *o = oset_first(&t->by_name[DOBJ_USER]); o;
		     o = oset_next(o), n++) {
			char want[16];
			snprintf(want, sizeof(want), "user %03zu", n);
			assert_string_equal(((const struct dobj *)o->val)->name_key,
			                    want);
		}
		assert_int_equal(n, 200);
		g = state_dobj_find(&st, t, DOBJ_GROUP, G1);
		assert_non_null(g);
		n = 0;
		for (struct oset_node *o = state_member_first(g); o; o = oset_next(o))
			n++;
		assert_int_equal(n, 200);
		assert_int_equal(HASH_COUNT(t->assignments), 100);
		json_decref(doc);
		state_release(&st);

		doc = edges_fixture(true);
		assert_int_equal(state_init(&st, 1), 0);
		st.read_keep_below = big ? 0 : SIZE_MAX;
		assert_int_not_equal(state_load(&st, doc, err, sizeof(err)), 0);
		assert_non_null(strstr(err, "memberships[200].groupId: no such group"));
		json_decref(doc);
		state_release(&st);
	}
}

/* The tenant shares the fixture's strings but not its arrays: a change made
 * in place to a stored user's array is gone after a reset. */
static void test_reset_undoes_changes_in_place(void **s)
{
	struct state st;
	struct tenant *t;
	struct dobj *d;

	(void)s;
	t = load_text(&st, "{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\","
	                   "\"domain\":\"a.example\",\"users\":[{\"id\":\"" U1 "\","
	                   "\"displayName\":\"x\",\"userPrincipalName\":\"x@a.example\","
	                   "\"otherMails\":[\"x@b.example\"]}]}]}");
	d = state_dobj_find(&st, t, DOBJ_USER, U1);
	assert_non_null(d);
	/* edits in place, told first as the store asks (state/changelog.h):
	 * the reset rewinds them (state/rewind.h) */
	state_dobj_touch(&st, t, d);
	json_array_append_new(json_object_get(state_dobj_json(d), "otherMails"),
	                      json_string("y@b.example"));
	json_array_clear(json_object_get(state_dobj_json(d), "businessPhones"));
	json_object_set_new(state_dobj_json(d), "displayName", json_string("changed"));
	assert_int_equal(state_reset(&st), 0);
	t = state_tenant_default(&st);
	d = state_dobj_find(&st, t, DOBJ_USER, U1);
	assert_non_null(d);
	assert_int_equal(
	    json_array_size(json_object_get(state_dobj_json(d), "otherMails")), 1);
	assert_string_equal(
	    json_string_value(json_object_get(state_dobj_json(d), "displayName")), "x");
	assert_int_equal(atomic_load(&st.rewinds), 1);
	state_release(&st);
}

/* A load's name order is strcmp then seq where keys share 16 bytes or
 * more, end at 15, 16 or 17, or hold UTF-8 (bytes above 0x7f sort after
 * ASCII): the one-go sort (which reads only a key's first 16 bytes until
 * they tie) feeds the order its entries, and the order itself decides. */
static const char long_names[] = "{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\","
                                 "\"domain\":\"a.example\",\"users\":[" /* */
    NAMED(1, "abcdefghijklmnopq") "," NAMED(2, "abcdefghijklmnop") ","  /* */
    NAMED(3, "z\u00e9") "," NAMED(4, "abcdefghijklmno") ","             /* */
    NAMED(5, "ABCDEFGHIJKLMNOPA") "," NAMED(6, "abcdefghijklmnopq") "," /* */
    NAMED(7, "z") "," NAMED(8, "ze") ","                                /* */
    NAMED(9, "abcdefghijklmnopq\u00e9") "]}]}";

static void test_name_order_long_names(void **s)
{
	struct state st;
	struct tenant *t;
	const struct dobj *prev = NULL;
	size_t n = 0;

	(void)s;
	t = load_text(&st, long_names);
	for (struct oset_node *o = oset_first(&t->by_name[DOBJ_USER]); o;
	     o = oset_next(o), n++) {
		const struct dobj *d = o->val;
		if (prev) {
			int c = strcmp(prev->name_key, d->name_key);
			assert_true(c < 0 || (c == 0 && prev->seq < d->seq));
		}
		prev = d;
	}
	assert_int_equal(n, 9);
	assert_string_equal(
	    ((const struct dobj *)oset_first(&t->by_name[DOBJ_USER])->val)->name_key,
	    "abcdefghijklmno");
	state_release(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_duplicate_upn_refused),
	    cmocka_unit_test(test_group_in_itself_refused),
	    cmocka_unit_test(test_shared_domain_refused),
	    cmocka_unit_test(test_duplicate_assignment_refused),
	    cmocka_unit_test(test_valid_fixture_still_loads),
	    cmocka_unit_test(test_tenant_copies_load_back),
	    cmocka_unit_test(test_name_order_after_load),
	    cmocka_unit_test(test_guests_kept_as_text),
	    cmocka_unit_test(test_graph_sp_kept_as_text),
	    cmocka_unit_test(test_name_order_long_names),
	    cmocka_unit_test(test_reset_undoes_changes_in_place),
	    cmocka_unit_test(test_big_tenant_names_beside_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
