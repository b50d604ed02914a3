/*
 * server/auth/permissions_test.c - every Graph route row names its permission set
 * (and no other row does), and the
 * roles/scp check: exact roles, delegated scopes, ReadWrite implying Read,
 * tokens without roles or scp, and the two-list rule of appRoleAssignedTo.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../http_testutil.h"
#include "permissions.h"
#include "../core/router.h"
#include "../srv.h"

static json_t *roles(const char *r1, const char *r2)
{
	json_t *c = json_object();
	json_t *a = json_array();

	if (r1)
		json_array_append_new(a, json_string(r1));
	if (r2)
		json_array_append_new(a, json_string(r2));
	json_object_set_new(c, "roles", a);
	return c;
}

static json_t *scopes(const char *scp)
{
	return json_pack("{s:s}", "scp", scp);
}

static struct srv *g_srv; /* for its route tables: routes/' and the server's own */

/* The permission set of the route row @method @pattern. */
static const struct route_perms *perms_of(const char *method, const char *pattern)
{
	for (const struct route *const *t = g_srv->graph_tables; *t; t++)
		for (const struct route *r = *t; r->method; r++)
			if (!strcmp(r->method, method) && !strcmp(r->pattern, pattern))
				return r->perms;
	fail_msg("no route %s %s", method, pattern);
	return NULL;
}

static bool allowed(json_t *claims, const char *method, const char *pattern)
{
	bool ok = perm_granted(perms_of(method, pattern), claims);

	json_decref(claims);
	return ok;
}

/* Every Graph row names its permissions; rows outside Graph name none. */
static void test_every_route_row_says_its_permissions(void **unused)
{
	size_t n = 0;

	(void)unused;
	for (const struct route *const *t = g_srv->graph_tables; *t; t++)
		for (const struct route *r = *t; r->method; r++, n++) {
			if (!r->perms)
				fail_msg("no permission set for %s %s", r->method,
				         r->pattern);
			assert_true(r->perms->kind != PERM_LIST ||
			            (r->perms->any && r->perms->any[0]));
		}
	assert_true(n > 50);
	for (const struct route *const *t = g_srv->root_tables; *t; t++)
		for (const struct route *r = *t; r->method; r++)
			if (r->perms)
				fail_msg(
				    "%s %s is not a Graph route but names permissions",
				    r->method, r->pattern);
}

static void test_roles(void **unused)
{
	(void)unused;
	assert_true(allowed(roles("User.Invite.All", NULL), "POST", "/invitations"));
	assert_true(
	    allowed(roles("Directory.ReadWrite.All", NULL), "POST", "/invitations"));
	assert_false(allowed(roles("User.Read.All", NULL), "POST", "/invitations"));
	assert_true(allowed(roles("user.read.all", NULL), "GET", "/users"));
	assert_false(allowed(roles("GroupMember.Read.All", NULL), "GET", "/users"));
	assert_true(allowed(roles("Group.Create", NULL), "POST", "/groups"));
	assert_false(
	    allowed(roles("GroupMember.ReadWrite.All", NULL), "POST", "/groups"));
	assert_true(allowed(roles("GroupMember.ReadWrite.All", NULL), "POST",
	                    "/groups/{id}/members/$ref"));
	assert_false(allowed(roles("GroupMember.Read.All", NULL), "POST",
	                     "/groups/{id}/members/$ref"));
	assert_true(allowed(roles("Application.ReadWrite.OwnedBy", NULL), "POST",
	                    "/applicationTemplates/{id}/instantiate"));
}

static void test_readwrite_implies_read(void **unused)
{
	json_t *c = roles("GroupMember.ReadWrite.All", NULL);

	(void)unused;
	assert_true(perm_held(c, "GroupMember.Read.All"));
	assert_false(perm_held(c, "Group.Read.All"));
	assert_false(perm_held(c, "GroupMember.ReadWrite"));
	json_decref(c);
	c = roles("User.Read.All", NULL);
	assert_false(perm_held(c, "User.ReadWrite.All"));
	json_decref(c);
	assert_true(allowed(roles("User.ReadWrite.All", NULL), "GET", "/users/{id}"));
	assert_true(allowed(roles("Directory.ReadWrite.All", NULL), "GET",
	                    "/directoryObjects/{id}"));
}

static void test_scp(void **unused)
{
	(void)unused;
	assert_true(
	    allowed(scopes("openid profile User.Read.All email"), "GET", "/users"));
	assert_true(allowed(scopes("User.ReadWrite.All"), "GET", "/users/$count"));
	assert_false(allowed(scopes("openid User.Read email"), "GET", "/users"));
	assert_false(allowed(scopes("User.Read.AllX"), "GET", "/users"));
	assert_true(allowed(scopes("  User.Invite.All  "), "POST", "/invitations"));
}

/* The route row @method @pattern itself. */
static const struct route *route_of(const char *method, const char *pattern)
{
	for (const struct route *const *t = g_srv->graph_tables; *t; t++)
		for (const struct route *r = *t; r->method; r++)
			if (!strcmp(r->method, method) && !strcmp(r->pattern, pattern))
				return r;
	fail_msg("no route %s %s", method, pattern);
	return NULL;
}

static bool delegated_ok(const char *wids, const char *method, const char *pattern)
{
	json_t *c =
	    json_pack("{s:s, s:s, s:o}", "idtyp", "user", "scp",
	              "Directory.ReadWrite.All", "wids", json_loads(wids, 0, NULL));
	bool ok = perm_delegated_allowed(route_of(method, pattern), method, c);

	json_decref(c);
	return ok;
}

#define MEMBER      "[\"b79fbf4d-3ef9-4689-8143-76b194e85509\"]"
#define GA          "[\"62e90394-69f5-4237-9190-012177145e10\"]"
#define USER_ADMIN  "[\"fe930be7-5e62-47db-91af-98c3a49a38b1\"]"
#define GUEST       "[\"10dae51f-b6af-4016-8d66-8c2a99b929b3\"]"
#define RESTRICTED  "[\"2af84b1e-32c8-42b7-82bc-daa82404023b\"]"
#define LIKE_MEMBER "[\"a0b1b346-4d3e-4e8b-98f8-753987be4970\"]"

/* identity.md §8.2, §8.5: roles a delegated writer needs; what guests may read. */
static void test_delegated_roles_and_guests(void **unused)
{
	(void)unused;
	/* writes need an administrator role; reads do not */
	assert_false(delegated_ok(MEMBER, "PATCH", "/users/{id}"));
	assert_true(delegated_ok(USER_ADMIN, "PATCH", "/users/{id}"));
	assert_true(delegated_ok(GA, "DELETE", "/users/{id}"));
	assert_false(delegated_ok(USER_ADMIN, "PATCH", "/applications/{id}"));
	assert_true(delegated_ok(GA, "PATCH", "/applications/{id}"));
	assert_false(delegated_ok(MEMBER, "POST", "/groups/{id}/members/$ref"));
	assert_true(delegated_ok(MEMBER, "POST", "/groups")); /* members create groups */
	assert_true(delegated_ok(MEMBER, "GET", "/users"));
	assert_true(delegated_ok(MEMBER, "PATCH", "/me/{id}"));
	/* the default guest role reads by id, never whole collections */
	assert_false(delegated_ok(GUEST, "GET", "/users"));
	assert_false(delegated_ok(GUEST, "GET", "/groups"));
	assert_true(delegated_ok(GUEST, "GET", "/users/{id}"));
	assert_true(delegated_ok(GUEST, "GET", "/me/{id}/memberOf"));
	assert_true(delegated_ok(GUEST, "GET", "/$metadata"));
	/* a restricted guest only itself; a member-like guest as a member */
	assert_false(delegated_ok(RESTRICTED, "GET", "/users/{id}"));
	assert_true(delegated_ok(RESTRICTED, "GET", "/me/{id}"));
	assert_true(delegated_ok(LIKE_MEMBER, "GET", "/users"));
}

/* The permission report's "needed": the first of each list. */
static void test_least(void **unused)
{
	const char *out[4];

	(void)unused;
	perm_least(perms_of("GET", "/users"), out, 4);
	assert_string_equal(out[0], "User.Read.All");
	assert_null(out[1]);
	perm_least(perms_of("POST", "/servicePrincipals/{id}/appRoleAssignedTo"), out, 4);
	assert_string_equal(out[0], "AppRoleAssignment.ReadWrite.All");
	assert_string_equal(out[1], "Application.Read.All");
	assert_null(out[2]);
	perm_least(perms_of("GET", "/$metadata"), out, 4);
	assert_null(out[0]);
}

static void test_no_roles_or_scp(void **unused)
{
	(void)unused;
	assert_false(allowed(json_object(), "GET", "/users"));
	assert_false(allowed(roles(NULL, NULL), "GET", "/applicationTemplates"));
	assert_false(allowed(scopes(""), "GET", "/applicationTemplates"));
	assert_false(
	    allowed(json_pack("{s:s}", "roles", "User.Read.All"), "GET", "/users"));
	assert_true(
	    allowed(roles("User.Read.All", NULL), "GET", "/applicationTemplates"));
	assert_true(allowed(json_object(), "GET", "/$metadata"));
	assert_false(perm_granted(NULL, NULL));
	assert_false(perm_granted(perms_of("GET", "/users"), NULL));
}

static void test_assignment_needs_both_lists(void **unused)
{
	const char *p = "/servicePrincipals/{id}/appRoleAssignedTo";

	(void)unused;
	assert_false(allowed(roles("AppRoleAssignment.ReadWrite.All", NULL), "POST", p));
	assert_false(allowed(roles("Application.Read.All", NULL), "POST", p));
	assert_true(allowed(
	    roles("AppRoleAssignment.ReadWrite.All", "Application.Read.All"), "POST", p));
	assert_true(allowed(
	    roles("AppRoleAssignment.ReadWrite.All", "Directory.Read.All"), "POST", p));
	assert_true(
	    allowed(roles("AppRoleAssignment.ReadWrite.All", "Application.ReadWrite.All"),
	            "POST", p));
	assert_true(allowed(roles("Application.Read.All", NULL), "GET", p));
}

static int setup(void **unused)
{
	struct test_server_opts opts = {.seed = 1};

	(void)unused;
	g_srv = test_srv_new(&opts);
	return 0;
}

static int teardown(void **unused)
{
	(void)unused;
	test_srv_free(g_srv);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_route_row_says_its_permissions),
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_readwrite_implies_read),
	    cmocka_unit_test(test_scp),
	    cmocka_unit_test(test_no_roles_or_scp),
	    cmocka_unit_test(test_delegated_roles_and_guests),
	    cmocka_unit_test(test_least),
	    cmocka_unit_test(test_assignment_needs_both_lists),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
