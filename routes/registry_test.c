/*
 * routes/registry_test.c - every permission a Graph route asks for is one
 * Microsoft Graph publishes: an application permission among its appRoles,
 * a delegated one among its oauth2PermissionScopes (the catalogue of
 * state/model/graph_permissions.h). A misspelt name would make a route no
 * token can ever be granted, silently.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "../state/model/graph_permissions.h"
#include "registry.h"

/* Is @name (@len bytes) the value of an entry of catalogue array @list? */
static int published(const json_t *list, const char *name, size_t len)
{
	size_t i;
	json_t *p;

	json_array_foreach(list, i, p)
	{
		const char *v = json_string_value(json_object_get(p, "value"));

		if (v && strlen(v) == len && !strncmp(v, name, len))
			return 1;
	}
	return 0;
}

/* Each entry of @entries: one name, or several joined by '+'. */
static size_t check_list(const char *const *entries, const json_t *list,
                         const struct route *r, const char *kind)
{
	size_t bad = 0;

	for (; entries && *entries; entries++)
		for (const char *s = *entries; *s;) {
			size_t n = strcspn(s, "+");

			if (!published(list, s, n)) {
				print_error(
				    "%s %s: %s permission '%.*s' is not Graph's\n",
				    r->method, r->pattern, kind, (int)n, s);
				bad++;
			}
			s += n + (s[n] == '+');
		}
	return bad;
}

static void test_route_permissions_are_graphs(void **s)
{
	const json_t *cat = model_graph_permissions();
	const json_t *roles = json_object_get(cat, "appRoles");
	const json_t *scopes = json_object_get(cat, "oauth2PermissionScopes");
	size_t bad = 0, checked = 0;

	(void)s;
	assert_true(json_array_size(roles) > 100);
	assert_true(json_array_size(scopes) > 100);
	for (const struct route *const *t = graph_route_tables; *t; t++)
		for (const struct route *r = *t; r->method; r++) {
			if (!r->perms || r->perms->kind != PERM_LIST)
				continue;
			bad += check_list(r->perms->app, roles, r, "application");
			bad += check_list(r->perms->delegated, scopes, r, "delegated");
			checked++;
		}
	assert_true(checked > 50);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_route_permissions_are_graphs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
