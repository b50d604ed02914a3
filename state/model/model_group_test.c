/*
 * state/model/model_group_test.c - the group model: securityIdentifier derived
 * from the object id (graph-spec §5.1) and the defaults of a new group.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model.h"
#include "../load/tenants.h"

static void test_sid_spec_example(void **unused)
{
	char sid[80];

	(void)unused;
	model_security_identifier("21d05557-b7b6-418f-86fa-a3118d751be4", sid);
	assert_string_equal(sid, "S-1-12-1-567301463-1099937718-295959174-3827004813");
	/* Upper-case input names the same object. */
	model_security_identifier("21D05557-B7B6-418F-86FA-A3118D751BE4", sid);
	assert_string_equal(sid, "S-1-12-1-567301463-1099937718-295959174-3827004813");
}

static void test_sid_extremes(void **unused)
{
	char sid[80];

	(void)unused;
	model_security_identifier("00000000-0000-0000-0000-000000000000", sid);
	assert_string_equal(sid, "S-1-12-1-0-0-0-0");
	model_security_identifier("ffffffff-ffff-ffff-ffff-ffffffffffff", sid);
	assert_string_equal(sid, "S-1-12-1-4294967295-4294967295-4294967295-4294967295");
}

static void test_group_complete(void **unused)
{
	struct state st;
	json_t *g = json_pack("{s:s, s:s}", "id", "21d05557-b7b6-418f-86fa-a3118d751be4",
	                      "displayName", "Operations group");

	(void)unused;
	assert_int_equal(state_init(&st, 1), 0);
	assert_int_equal(model_group_complete(&st, NULL, g), 0);
	assert_string_equal(json_string_value(json_object_get(g, "securityIdentifier")),
	                    "S-1-12-1-567301463-1099937718-295959174-3827004813");
	assert_true(json_is_array(json_object_get(g, "groupTypes")));
	assert_true(json_is_true(json_object_get(g, "securityEnabled")));
	assert_string_equal(json_string_value(json_object_get(g, "createdDateTime")),
	                    json_string_value(json_object_get(g, "renewedDateTime")));
	json_decref(g);
	state_release(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sid_spec_example),
	    cmocka_unit_test(test_sid_extremes),
	    cmocka_unit_test(test_group_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
