/*
 * state/load/fixture_read_test.c - users kept as text until first used
 * (state/frozen.h): which users wait (and that a password is hashed before
 * its user waits), that a store built from waiting users is the store the
 * trees would have built (same objects once read, same indexes, name order,
 * rule checks and export), that nothing is parsed before it is needed and
 * that resets and copies share the text, not parse it again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../changelog.h"
#include "../frozen.h"
#include "../model/model.h"
#include "../state.h"
#include "export.h"
#include "fixture_read.h"
#include "tenants.h"

#define T1 "11111111-1111-4111-8111-111111111111"
#define U1 "aaaaaaaa-0000-4000-8000-000000000001"
#define U2 "AAAAAAAA-0000-4000-8000-000000000002"
#define U3 "aaaaaaaa-0000-4000-8000-000000000003"
#define U4 "aaaaaaaa-0000-4000-8000-000000000004"
#define G1 "bbbbbbbb-0000-4000-8000-000000000001"
#define S1 "cccccccc-0000-4000-8000-000000000001"
#define R1 "dddddddd-0000-4000-8000-000000000001"

/* U1 and U2 may wait (U2 with a password, an upper-case id, odd spacing);
 * U3 has no createdDateTime, so it is completed (and timed) at load. */
static const char doc_text[] =
    "{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\",\"domain\":"
    "\"a.example\",\"users\":[\n"
    "  {\"id\":\"" U1 "\",\"displayName\":\"Zed One\",\"userPrincipalName\":"
    "\"one@a.example\",\"mail\":\"One@A.example\",\"otherMails\":[\"o1@x.example\"],"
    "\"createdDateTime\":\"2024-01-01T00:00:00Z\",\"jobTitle\":\"a \\\"quoted\\\" "
    "title\"},\n"
    "  { \"id\" : \"" U2 "\" , \"displayName\" : \"Amy Two\" ,\n"
    "    \"userPrincipalName\":\"two@a.example\",\"createdDateTime\":"
    "\"2024-01-02T00:00:00Z\",\"passwordProfile\":{\"password\":\"S3cret!pw\","
    "\"forceChangePasswordNextSignIn\":false}},\n"
    "  {\"id\":\"" U3 "\",\"displayName\":\"Bea Three\",\"userPrincipalName\":"
    "\"three@a.example\"}\n"
    "],\"groups\":[{\"id\":\"" G1 "\",\"displayName\":\"G\"}],"
    "\"servicePrincipals\":[{\"id\":\"" S1 "\",\"displayName\":\"Docs\","
    "\"appId\":\"" S1 "\",\"appRoles\":[{\"id\":\"" R1 "\",\"allowedMemberTypes\":"
    "[\"User\"],\"displayName\":\"Reader\",\"value\":\"Reader\",\"isEnabled\":"
    "true,\"origin\":\"Application\",\"description\":\"r\"}]}],"
    "\"memberships\":[{\"groupId\":\"" G1 "\",\"memberId\":\"" U1 "\"}],"
    "\"appRoleAssignments\":[{\"principalId\":\"" U1 "\",\"resourceId\":\"" S1
    "\",\"appRoleId\":\"" R1 "\"}]}]}";

static json_t *tenant_array(json_t *doc, const char *name)
{
	return json_object_get(json_array_get(json_object_get(doc, "tenants"), 0), name);
}

static json_t *users_of(json_t *doc)
{
	return tenant_array(doc, "users");
}

static void test_which_users_wait(void **s)
{
	json_error_t jerr;
	json_t *doc = fixture_read(doc_text, strlen(doc_text), &jerr);
	const char *text;
	size_t len;
	char *copy;

	(void)s;
	assert_non_null(doc);
	assert_true(state_frozen_text(json_array_get(users_of(doc), 0), &text, &len));
	/* whitespace between tokens gone, inside strings kept */
	assert_int_equal(len, strlen(text));
	assert_non_null(strstr(text, "\"jobTitle\":\"a \\\"quoted\\\" title\"}"));
	assert_true(state_frozen_text(json_array_get(users_of(doc), 1), &text, &len));
	copy = strndup(text, len);
	assert_null(strstr(copy, "S3cret")); /* hashed before it waits */
	assert_null(strstr(copy, "\n"));
	free(copy);
	assert_true(json_is_object(json_array_get(users_of(doc), 2)));
	/* groups and the rest are trees as always */
	assert_true(json_is_object(json_array_get(tenant_array(doc, "groups"), 0)));
	/* edges wait as text too: ~100 bytes each instead of a ~600-byte tree */
	assert_true(state_frozen_text(json_array_get(tenant_array(doc, "memberships"), 0),
	                              &text, &len));
	assert_true(len > 49 && !strncmp(text, "{\"groupId\":\"" G1 "\",", 50));
	assert_true(state_frozen_text(
	    json_array_get(tenant_array(doc, "appRoleAssignments"), 0), &text, &len));
	json_decref(doc);
}

/* The kept text drops whitespace between tokens and none inside strings,
 * escaped quotes and backslashes included. */
static void test_text_squeezed_exactly(void **s)
{
	static const char in[] =
	    "{ \"a\" : \" x \\\" y \" ,\n\t\"b\\\\\" :\r[ \"\\\\\" , 1 ,"
	    "\"\" ],\"c\":\"tab\\t end \\\\ \"}";
	static const char want[] =
	    "{\"a\":\" x \\\" y \",\"b\\\\\":[\"\\\\\",1,\"\"],\"c\":\"tab\\t end \\\\ "
	    "\"}";
	json_t *frozen = state_frozen_new(in, strlen(in));
	json_error_t jerr;
	json_t *a, *b;
	const char *text;
	size_t len;

	(void)s;
	assert_true(state_frozen_text(frozen, &text, &len));
	assert_int_equal(len, strlen(want));
	assert_memory_equal(text, want, len);
	a = json_loads(in, 0, &jerr);
	b = json_loadb(text, len, 0, &jerr);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	json_decref(frozen);
}

/* No JSON text can make a frozen string: NUL is refused in strings. */
static void test_text_cannot_pass_for_frozen(void **s)
{
	const char *text;
	size_t len;
	json_error_t jerr;
	json_t *doc = fixture_read("[\"\\u0000{}\"]", 10, &jerr);

	(void)s;
	assert_null(doc);
	doc = fixture_read("[\"{}\"]", 6, &jerr);
	assert_non_null(doc);
	assert_false(state_frozen_text(json_array_get(doc, 0), &text, &len));
	json_decref(doc);
}

/* Equal users, but for the password hash (each load salts its own). */
static bool same_user(const json_t *a, const json_t *b)
{
	json_t *x = json_deep_copy(a), *y = json_deep_copy(b);
	bool same;

	json_object_del(x, MODEL_PASSWORD_HASH);
	json_object_del(y, MODEL_PASSWORD_HASH);
	same = json_equal(x, y);
	json_decref(x);
	json_decref(y);
	return same;
}

static struct tenant *load(struct state *st, json_t *doc)
{
	char err[256] = "";

	assert_int_equal(state_init(st, 7), 0);
	if (state_load(st, doc, err, sizeof(err)))
		fail_msg("load: %s", err);
	return state_tenant_default(st);
}

/* doc_text loaded twice: its users waiting as text, and as trees. */
struct both {
	struct state lazy_st, tree_st;
	struct tenant *lazy, *tree;
};

static void both_load(struct both *b)
{
	json_error_t jerr;
	json_t *lazy_doc = fixture_read(doc_text, strlen(doc_text), &jerr);
	json_t *tree_doc = json_loads(doc_text, 0, &jerr);

	assert_non_null(lazy_doc);
	assert_non_null(tree_doc);
	b->lazy = load(&b->lazy_st, lazy_doc);
	b->tree = load(&b->tree_st, tree_doc);
	json_decref(lazy_doc); /* each state keeps its document */
	json_decref(tree_doc);
}

static void both_release(struct both *b)
{
	state_release(&b->lazy_st);
	state_release(&b->tree_st);
}

/* The same document as trees and as waiting users builds the same store. */
static void test_same_store_as_trees(void **s)
{
	struct both b;
	struct state *lazy_st = &b.lazy_st;
	struct tenant *lazy, *tree;
	struct dobj *d, *e;
	struct dobj *const *hits;
	size_t n;

	(void)s;
	both_load(&b);
	lazy = b.lazy;
	tree = b.tree;
	d = state_dobj_find(lazy_st, lazy, DOBJ_USER, U1);
	assert_non_null(d);
	assert_non_null(d->frozen); /* nothing parsed it yet */
	assert_null(d->props);
	/* the indexes were built from the text */
	hits = state_dobj_lookup(lazy, IDX_MAIL, "ONE@a.example", &n);
	assert_int_equal(n, 1);
	assert_ptr_equal(hits[0], d);
	hits = state_dobj_lookup(lazy, IDX_MAIL, "o1@x.example", &n);
	assert_int_equal(n, 1);
	assert_true(state_member_has(state_dobj_find(lazy_st, lazy, DOBJ_GROUP, G1), U1));
	assert_string_equal(d->name_key, "zed one");
	/* read: parsed and completed as the loader completes a tree */
	for (const char *const *id = (const char *const[]){U1, U2, U3, NULL}; *id; id++) {
		d = state_dobj_find(lazy_st, lazy, DOBJ_USER, *id);
		e = state_dobj_find(&b.tree_st, tree, DOBJ_USER, *id);
		assert_non_null(d);
		assert_non_null(e);
		if (strcmp(*id, U3)) /* U3's createdDateTime is the clock's at load */
			assert_true(same_user(state_dobj_json(d), state_dobj_json(e)));
		assert_non_null(d->props);
	}
	d = state_dobj_find(lazy_st, lazy, DOBJ_USER, U2);
	assert_string_equal(json_string_value(json_object_get(state_dobj_json(d), "id")),
	                    "aaaaaaaa-0000-4000-8000-000000000002");
	assert_string_equal(
	    json_string_value(json_object_get(state_dobj_json(d), "userType")), "Member");
	assert_null(json_object_get(
	    json_object_get(state_dobj_json(d), "passwordProfile"), "password"));
	assert_non_null(json_object_get(state_dobj_json(d), MODEL_PASSWORD_HASH));
	both_release(&b);
}

/*
 * An app role assignment names its principal's displayName, read from the
 * text: the assigned user stays waiting (a million-user fixture assigns
 * 100,000 users; each parse kept cost ~3.4 KB), and edges kept as text build
 * the same memberships and assignments as trees.
 */
static void test_edges_leave_users_waiting(void **s)
{
	struct both b;
	struct dobj *d, *e;

	(void)s;
	both_load(&b);
	d = state_dobj_find(&b.lazy_st, b.lazy, DOBJ_USER, U1);
	e = state_dobj_find(&b.tree_st, b.tree, DOBJ_USER, U1);
	assert_non_null(d->as_principal);
	assert_null(d->props); /* not parsed by the assignment */
	assert_string_equal(json_string_value(json_object_get(d->as_principal->obj,
	                                                      "principalDisplayName")),
	                    "Zed One");
	assert_string_equal(json_string_value(json_object_get(d->as_principal->obj,
	                                                      "resourceDisplayName")),
	                    "Docs");
	assert_non_null(e->as_principal);
	assert_string_equal(d->as_principal->app_role_id, R1);
	assert_string_equal(d->as_principal->resource_id, e->as_principal->resource_id);
	assert_true(
	    state_member_has(state_dobj_find(&b.lazy_st, b.lazy, DOBJ_GROUP, G1), U1));
	both_release(&b);
}

/*
 * @text read as the server reads it, with element @i of the first tenant's
 * @array kept as text, refused by the loader with @message in its error.
 */
static void assert_refused(const char *text, const char *array, size_t i,
                           const char *message)
{
	struct state st;
	json_error_t jerr;
	json_t *doc = fixture_read(text, strlen(text), &jerr);
	char err[256] = "";

	assert_non_null(doc);
	assert_true(state_frozen_text(json_array_get(tenant_array(doc, array), i),
	                              &(const char *){0}, &(size_t){0}));
	assert_int_equal(state_init(&st, 1), 0);
	assert_int_not_equal(state_load(&st, doc, err, sizeof(err)), 0);
	if (!strstr(err, message))
		fail_msg("load refused with '%s', not '%s'", err, message);
	json_decref(doc);
	state_release(&st);
}

/* A kept edge is checked as a tree edge is, and its error names its place. */
static void test_edge_rules_hold(void **s)
{
	(void)s;
	assert_refused("{\"tenants\":[{\"id\":\"" T1
	               "\",\"displayName\":\"A\",\"domain\":"
	               "\"a.example\",\"groups\":[{\"id\":\"" G1 "\",\"displayName\":"
	               "\"G\"}],\"memberships\":[{\"groupId\":\"" G1
	               "\",\"memberId\":\"" G1 "\"}]}]}",
	               "memberships", 0,
	               "memberships[0].memberId: a group cannot be a member of itself");
}

/* The rules hold for waiting users: one user per UPN, in any case. */
static void test_rules_hold(void **s)
{
	(void)s;
	assert_refused(
	    "{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\",\"domain\":"
	    "\"a.example\",\"users\":[{\"id\":\"" U1 "\",\"displayName\":\"x\","
	    "\"userPrincipalName\":\"bob@a.example\",\"createdDateTime\":\"2024-01-01T00:"
	    "00:00Z\"},{\"id\":\"" U4 "\",\"displayName\":\"y\",\"userPrincipalName\":"
	    "\"BOB@a.example\",\"createdDateTime\":\"2024-01-01T00:00:00Z\"}]}]}",
	    "users", 1, "users[1].userPrincipalName: 'BOB@a.example' is used");
}

/* A user as fixture text, with @extra members after its own. */
#define KIND_USER_AT(created, extra)                                                     \
	"{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\",\"domain\":"             \
	"\"a.example\",\"users\":[{\"id\":\"" U1 "\",\"displayName\":\"x\","             \
	"\"userPrincipalName\":\"bob@a.example\",\"createdDateTime\":" created extra     \
	"}]}]}"
#define KIND_USER(extra)           KIND_USER_AT("\"2024-01-01T00:00:00Z\"", extra)
#define KIND_USER_CREATED(created) KIND_USER_AT(created, "")

/* Members hold the kinds their CSDL types take, in a user kept as text as in
 * a tree: one that does not is kept as a tree and refused with its name;
 * nulls where the type allows them, annotations and members the type does
 * not declare pass. */
static void test_member_kinds_hold(void **s)
{
	static const struct {
		const char *text, *message;
	} refused[] = {
	    {KIND_USER(",\"accountEnabled\":\"yes\""),
	     "users[0].accountEnabled: must be a boolean"},
	    {KIND_USER(",\"businessPhones\":\"555\""),
	     "users[0].businessPhones: must be an array"},
	    {KIND_USER(",\"businessPhones\":null"),
	     "users[0].businessPhones: must be an array"},
	    {KIND_USER(",\"passwordProfile\":[]"),
	     "users[0].passwordProfile: must be an object"},
	    {KIND_USER(",\"MAIL\":7"), "users[0].MAIL: must be a string"},
	    /* strings of the literal their types take (model_value.h) */
	    {KIND_USER(",\"employeeHireDate\":\"2024-01-01\""),
	     "users[0].employeeHireDate: must be a DateTimeOffset such as "
	     "2024-05-01T09:30:00Z, not \"2024-01-01\""},
	    {KIND_USER_CREATED("\"not a date\""),
	     "users[0].createdDateTime: must be a DateTimeOffset"},
	    {KIND_USER(",\"assignedLicenses\":[{\"skuId\":\"x\"}]"),
	     "users[0].assignedLicenses: holds a value its type "
	     "microsoft.graph.assignedLicense does not take"},
	};
	static const char ok[] =
	    KIND_USER(",\"mail\":null,\"accountEnabled\":false,\"@odata.type\":"
	              "\"#microsoft.graph.user\",\"extension_1_x\":5,\"identities\":null,"
	              "\"employeeHireDate\":\"2024-01-01T00:00:00+02:00\","
	              "\"employeeOrgData\":{\"costCenter\":\"CC-1\"}");
	static const char ok_deep[] =
	    KIND_USER(",\"assignedLicenses\":[{\"skuId\":"
	              "\"6fd2c87f-b296-42f0-b197-1e91e994b900\",\"disabledPlans\":[]}]");
	json_error_t jerr;
	struct state st;
	char err[256] = "";
	json_t *doc;

	(void)s;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		doc = fixture_read(refused[i].text, strlen(refused[i].text), &jerr);
		assert_non_null(doc);
		assert_true(
		    json_is_object(json_array_get(tenant_array(doc, "users"), 0)));
		assert_int_equal(state_init(&st, 1), 0);
		assert_int_not_equal(state_load(&st, doc, err, sizeof(err)), 0);
		if (!strstr(err, refused[i].message))
			fail_msg("load refused with '%s', not '%s'", err,
			         refused[i].message);
		json_decref(doc);
		state_release(&st);
		/* as a tree all along (jansson's parse): the same words */
		doc = json_loads(refused[i].text, 0, &jerr);
		assert_int_equal(state_init(&st, 1), 0);
		assert_int_not_equal(state_load(&st, doc, err, sizeof(err)), 0);
		assert_non_null(strstr(err, refused[i].message));
		json_decref(doc);
		state_release(&st);
	}
	doc = fixture_read(ok, strlen(ok), &jerr);
	assert_non_null(doc);
	assert_true(state_frozen_text(json_array_get(tenant_array(doc, "users"), 0),
	                              &(const char *){0}, &(size_t){0}));
	assert_int_equal(state_init(&st, 1), 0);
	if (state_load(&st, doc, err, sizeof(err)))
		fail_msg("refused: %s", err);
	json_decref(doc);
	state_release(&st);
	/* literals deeper down are judged once the user is built, and a user
	 * whose hold what they take waits as text too (a million licensed
	 * users must not stay trees) */
	doc = fixture_read(ok_deep, strlen(ok_deep), &jerr);
	assert_non_null(doc);
	assert_true(state_frozen_text(json_array_get(tenant_array(doc, "users"), 0),
	                              &(const char *){0}, &(size_t){0}));
	assert_int_equal(state_init(&st, 1), 0);
	if (state_load(&st, doc, err, sizeof(err)))
		fail_msg("refused: %s", err);
	json_decref(doc);
	state_release(&st);
	/* groups, applications and service principals are trees: alike */
	assert_int_equal(state_init(&st, 1), 0);
	doc = json_loads("{\"tenants\":[{\"id\":\"" T1 "\",\"displayName\":\"A\","
	                 "\"domain\":\"a.example\",\"groups\":[{\"id\":\"" G1 "\","
	                 "\"displayName\":\"G\",\"securityEnabled\":\"no\"}]}]}",
	                 0, &jerr);
	assert_non_null(doc);
	assert_int_not_equal(state_load(&st, doc, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "groups[0].securityEnabled: must be a boolean"));
	json_decref(doc);
	state_release(&st);
}

/* Resets and copies share the waiting text; an edit stays in its tenant. */
static void test_reset_and_copies_share_text(void **s)
{
	struct state st;
	json_error_t jerr;
	json_t *doc = fixture_read(doc_text, strlen(doc_text), &jerr);
	struct tenant *t, *copy;
	struct dobj *d;
	const json_t *text_before;

	(void)s;
	t = load(&st, doc);
	d = state_dobj_find(&st, t, DOBJ_USER, U1);
	text_before = d->frozen;
	assert_ptr_equal(text_before, json_array_get(users_of(st.fixture), 0));
	/* an edit in place, told first as the store asks (state/changelog.h) */
	state_dobj_touch(&st, t, d);
	json_object_set_new(state_dobj_json(d), "jobTitle", json_string("changed"));
	copy = state_tenant_create(&st, "Copy", NULL);
	assert_non_null(copy);
	d = state_dobj_find(&st, copy, DOBJ_USER, U1);
	assert_ptr_equal(d->frozen, text_before); /* shared, not parsed */
	assert_string_equal(
	    json_string_value(json_object_get(state_dobj_json(d), "jobTitle")),
	    "a \"quoted\" title");
	state_tenant_put(copy);
	assert_int_equal(state_tenant_reset(&st, t), 0);
	d = state_dobj_find(&st, t, DOBJ_USER, U1);
	assert_ptr_equal(d->frozen, text_before);
	assert_string_equal(
	    json_string_value(json_object_get(state_dobj_json(d), "jobTitle")),
	    "a \"quoted\" title");
	json_decref(doc);
	state_release(&st);
}

/* The export (a deep copy) shows a waiting user completed, and parses nothing. */
static void test_export_completes_without_parsing(void **s)
{
	struct both both;
	json_t *a, *b, *ua, *ub;

	(void)s;
	both_load(&both);
	a = state_export_tenant(both.lazy);
	b = state_export_tenant(both.tree);
	ua = json_object_get(a, "users");
	ub = json_object_get(b, "users");
	assert_int_equal(json_array_size(ua), 3);
	for (size_t i = 0; i < 2; i++)
		assert_true(same_user(json_array_get(ua, i), json_array_get(ub, i)));
	assert_null(state_dobj_find(&both.lazy_st, both.lazy, DOBJ_USER, U1)->props);
	/* the snapshot keeps the text for the streamed export */
	json_decref(a);
	a = state_export_tenant_snapshot(both.lazy);
	assert_true(state_frozen_text(json_array_get(json_object_get(a, "users"), 0),
	                              &(const char *){0}, &(size_t){0}));
	json_decref(a);
	json_decref(b);
	both_release(&both);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_which_users_wait),
	    cmocka_unit_test(test_text_squeezed_exactly),
	    cmocka_unit_test(test_text_cannot_pass_for_frozen),
	    cmocka_unit_test(test_same_store_as_trees),
	    cmocka_unit_test(test_edges_leave_users_waiting),
	    cmocka_unit_test(test_edge_rules_hold),
	    cmocka_unit_test(test_rules_hold),
	    cmocka_unit_test(test_member_kinds_hold),
	    cmocka_unit_test(test_reset_and_copies_share_text),
	    cmocka_unit_test(test_export_completes_without_parsing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
