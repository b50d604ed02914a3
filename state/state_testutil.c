/*
 * state/state_testutil.c - the default-fixture state the unit tests share.
 */
#include "load/fixture_read.h"
#include "state_testutil.h"

#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "load/fixture.h"
#include "state.h"
#include "load/tenants.h"

void test_state_init(struct state *st, uint64_t seed)
{
	json_t *doc = fixture_read(default_fixture_json, strlen(default_fixture_json),
	                           &(json_error_t){0});
	char err[256];

	assert_non_null(doc);
	assert_int_equal(state_init(st, seed), 0);
	if (state_load(st, doc, err, sizeof(err)))
		fail_msg("default fixture: %s", err);
	json_decref(doc);
}
