/*
 * state/model/graph_permissions_test.c - the catalogue as built (interned,
 * its text's pages given back) reads exactly as jansson parses the text, and
 * shares what it repeats.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "graph_permissions.h"

/* The text parsed as before, by jansson alone. */
static json_t *plain(void)
{
	json_error_t err;
	json_t *c =
	    json_loads(model_graph_permissions_json, JSON_REJECT_DUPLICATES, &err);

	if (!c)
		fail_msg("the catalogue does not parse: %s", err.text);
	return c;
}

static void test_same_tree(void **ctx)
{
	const json_t *c = model_graph_permissions();
	json_t *want = plain(); /* after the build: its text reads back */
	char *a, *b;

	(void)ctx;
	assert_non_null(c);
	assert_ptr_equal(c, model_graph_permissions()); /* built once */
	assert_true(json_equal(c, want));
	/* the same text too: member order kept */
	a = json_dumps(c, JSON_COMPACT);
	b = json_dumps(want, JSON_COMPACT);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
	assert_true(json_array_size(json_object_get(c, "appRoles")) > 600);
	assert_true(json_array_size(json_object_get(c, "oauth2PermissionScopes")) > 700);
	json_decref(want);
}

/* Repeated short values are one value each; long texts stay as they were. */
static void test_repeats_shared(void **ctx)
{
	const json_t *c = model_graph_permissions();
	const json_t *roles = json_object_get(c, "appRoles");
	const json_t *scopes = json_object_get(c, "oauth2PermissionScopes");
	const json_t *r0 = json_array_get(roles, 0), *r1 = json_array_get(roles, 1);
	const json_t *s0 = json_array_get(scopes, 0);

	(void)ctx;
	assert_string_equal(json_string_value(json_object_get(r0, "origin")),
	                    "Application");
	assert_ptr_equal(json_object_get(r0, "origin"), json_object_get(r1, "origin"));
	assert_ptr_equal(json_object_get(r0, "origin"), json_object_get(s0, "origin"));
	assert_ptr_equal(json_object_get(r0, "allowedMemberTypes"),
	                 json_object_get(r1, "allowedMemberTypes"));
	assert_ptr_not_equal(json_object_get(r0, "description"),
	                     json_object_get(r1, "description"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_tree),
	    cmocka_unit_test(test_repeats_shared),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
