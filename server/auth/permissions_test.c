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
#include <stdio.h>
#include <string.h>

#include "../http_testutil.h"
#include "permissions.h"
#include "../core/router.h"
#include "../srv.h"
#include "../../state/state.h"

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
			            (r->perms->app && r->perms->app[0]) ||
			            (r->perms->delegated && r->perms->delegated[0]));
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

/* The permission report's "needed": the first entry of the token kind's list, "A+B"
 * split. */
static void test_least(void **unused)
{
	const char *out[4];
	char buf[256];

	(void)unused;
	perm_least(perms_of("GET", "/users"), false, out, 4, buf, sizeof(buf));
	assert_string_equal(out[0], "User.Read.All");
	assert_null(out[1]);
	perm_least(perms_of("GET", "/users"), true, out, 4, buf, sizeof(buf));
	assert_string_equal(out[0], "User.ReadBasic.All");
	assert_null(out[1]);
	perm_least(perms_of("POST", "/servicePrincipals/{id}/appRoleAssignedTo"), false,
	           out, 4, buf, sizeof(buf));
	assert_string_equal(out[0], "AppRoleAssignment.ReadWrite.All");
	assert_string_equal(out[1], "Application.Read.All");
	assert_null(out[2]);
	perm_least(perms_of("GET", "/$metadata"), false, out, 4, buf, sizeof(buf));
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

/* Is @name (@n bytes) the value of an entry of @list (appRoles / scopes)? */
static bool declared(const json_t *list, const char *name, size_t n)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e)
	{
		const char *v = json_string_value(json_object_get(e, "value"));

		if (v && strlen(v) == n && !strncmp(v, name, n))
			return true;
	}
	return false;
}

static void all_declared(const char *const *list, const json_t *by, const char *what)
{
	for (; list && *list; list++)
		for (const char *s = *list; *s;) {
			size_t n = strcspn(s, "+");

			if (!declared(by, s, n))
				fail_msg("'%.*s' (in \"%s\") is not one of Graph's %s",
				         (int)n, s, *list, what);
			s += n + (s[n] == '+');
		}
}

/*
 * Every permission a route names is a real one: an application permission
 * among the fixture's Microsoft Graph appRoles, a delegated one among its
 * oauth2PermissionScopes (Microsoft's permission list, docs/fixtures.md).
 */
static void test_every_permission_is_graphs(void **unused)
{
	struct tenant *t;
	size_t n;
	struct dobj *const *sp;

	(void)unused;
	state_registry_read(&g_srv->state);
	t = state_tenant_default(&g_srv->state);
	sp = state_dobj_lookup(t, IDX_APPID, "00000003-0000-0000-c000-000000000000", &n);
	assert_int_equal(n, 1);
	assert_true(json_array_size(json_object_get(state_dobj_json(sp[0]), "appRoles")) >
	            600);
	assert_true(json_array_size(json_object_get(state_dobj_json(sp[0]),
	                                            "oauth2PermissionScopes")) > 700);
	for (const struct route *const *tb = g_srv->graph_tables; *tb; tb++)
		for (const struct route *r = *tb; r->method; r++) {
			if (r->perms->kind != PERM_LIST)
				continue;
			all_declared(r->perms->app,
			             json_object_get(state_dobj_json(sp[0]), "appRoles"),
			             "application permissions");
			all_declared(r->perms->delegated,
			             json_object_get(state_dobj_json(sp[0]),
			                             "oauth2PermissionScopes"),
			             "delegated permissions");
		}
	state_registry_unlock(&g_srv->state);
}

/* The pages' "X and Y" rows: checkMemberGroups & co. (issue 10). */
static void test_pairs_and_target_tables(void **unused)
{
	static const char *const actions[] = {"checkMemberGroups", "getMemberGroups"};
	char path[96];

	(void)unused;
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/directoryObjects/{id}/%s", actions[i]);
		assert_true(allowed(roles("User.Read.All", "GroupMember.Read.All"),
		                    "POST", path));
		assert_true(
		    allowed(roles("User.Read.All", "Group.Read.All"), "POST", path));
		assert_true(allowed(roles("Directory.Read.All", NULL), "POST", path));
		assert_false(allowed(roles("User.Read.All", NULL), "POST", path));
		snprintf(path, sizeof(path), "/users/{id}/%s", actions[i]);
		assert_true(allowed(roles("User.Read.All", "GroupMember.Read.All"),
		                    "POST", path));
		assert_true(allowed(roles("User.ReadWrite.All", "Group.ReadWrite.All"),
		                    "POST", path));
		assert_false(allowed(roles("GroupMember.Read.All", NULL), "POST", path));
		assert_false(allowed(roles("User.Read.All", NULL), "POST", path));
		assert_true(allowed(scopes("User.ReadBasic.All GroupMember.Read.All"),
		                    "POST", path));
		assert_false(allowed(scopes("User.ReadBasic.All"), "POST", path));
		snprintf(path, sizeof(path), "/servicePrincipals/{id}/%s", actions[i]);
		assert_true(allowed(roles("Application.Read.All", NULL), "POST", path));
		assert_false(allowed(roles("GroupMember.Read.All", NULL), "POST", path));
		snprintf(path, sizeof(path), "/groups/{id}/%s", actions[i]);
		assert_true(allowed(roles("GroupMember.Read.All", NULL), "POST", path));
	}
	assert_true(allowed(roles("User.Read.All", NULL), "POST",
	                    "/users/{id}/checkMemberObjects"));
	assert_true(allowed(roles("User.Read.All", NULL), "GET",
	                    "/users/{id}/transitiveMemberOf"));
	assert_false(
	    allowed(roles("User.Read.All", NULL), "GET", "/users/{id}/memberOf"));
}

/* roles answer to the application lists, scp to the delegated ones. */
static void test_roles_and_scp_lists_apart(void **unused)
{
	(void)unused;
	/* User.Read is a delegated permission: in roles it grants nothing */
	assert_false(allowed(roles("User.Read", NULL), "GET", "/users/{id}"));
	assert_true(allowed(scopes("User.Read"), "GET", "/users/{id}"));
	assert_false(allowed(scopes("User.Read"), "GET", "/users"));
	/* Group.Create is application-only on POST /groups */
	assert_true(allowed(roles("Group.Create", NULL), "POST", "/groups"));
	assert_false(allowed(scopes("Group.Create"), "POST", "/groups"));
	/* Application.ReadWrite.OwnedBy is application-only */
	assert_true(allowed(roles("Application.ReadWrite.OwnedBy", NULL), "GET",
	                    "/servicePrincipals"));
	assert_false(allowed(scopes("Application.ReadWrite.OwnedBy"), "GET",
	                     "/servicePrincipals"));
	/* a delegated token's roles are not Graph permissions */
	assert_false(
	    allowed(json_pack("{s:s, s:[s]}", "scp", "openid", "roles", "User.Read.All"),
	            "GET", "/users"));
	/* directReports: "User.Read and User.ReadBasic.All" (delegated) */
	assert_true(allowed(scopes("User.Read User.ReadBasic.All"), "GET",
	                    "/users/{id}/directReports"));
	assert_false(allowed(scopes("User.Read"), "GET", "/users/{id}/directReports"));
	assert_true(allowed(roles("User.Read.All", NULL), "GET", "/users/{id}/manager"));
	assert_false(
	    allowed(roles("User.Read.All", NULL), "PUT", "/users/{id}/manager/$ref"));
	assert_true(allowed(roles("User.ReadWrite.All", NULL), "PUT",
	                    "/users/{id}/manager/$ref"));
	/* deletes: as the pages list them */
	assert_true(
	    allowed(roles("User.DeleteRestore.All", NULL), "DELETE", "/users/{id}"));
	assert_false(
	    allowed(roles("Directory.ReadWrite.All", NULL), "DELETE", "/groups/{id}"));
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
	    cmocka_unit_test(test_pairs_and_target_tables),
	    cmocka_unit_test(test_every_permission_is_graphs),
	    cmocka_unit_test(test_roles_and_scp_lists_apart),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
