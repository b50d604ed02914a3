/*
 * state/model/model_value_test.c - string literals against EDM types
 * (model_value.h): Guids, DateTimeOffsets with their zone, dates, enum
 * members one or several.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model_value.h"

static bool fits(enum schema_edm edm, const struct schema_type *type, const char *s)
{
	return model_literal_fits(edm, type, s, strlen(s));
}

static void test_guids(void **state)
{
	(void)state;
	assert_true(fits(SCHEMA_EDM_GUID, NULL, "6f1b2f3a-0c4d-4e5f-8a9b-0c1d2e3f4a5b"));
	assert_true(fits(SCHEMA_EDM_GUID, NULL, "6F1B2F3A-0C4D-4E5F-8A9B-0C1D2E3F4A5B"));
	assert_false(fits(SCHEMA_EDM_GUID, NULL, "6f1b2f3a0c4d4e5f8a9b0c1d2e3f4a5b"));
	assert_false(
	    fits(SCHEMA_EDM_GUID, NULL, "{6f1b2f3a-0c4d-4e5f-8a9b-0c1d2e3f4a5b}"));
	assert_false(fits(SCHEMA_EDM_GUID, NULL, "6f1b2f3a-0c4d-4e5f-8a9b-0c1d2e3f4a5g"));
	assert_false(fits(SCHEMA_EDM_GUID, NULL, ""));
	/* length is the caller's: a NUL inside is not the end of the value */
	assert_false(model_literal_fits(SCHEMA_EDM_GUID, NULL,
	                                "6f1b2f3a-0c4d-4e5f-8a9b-0c1d2e3f4a5b\0x", 38));
}

static void test_date_times(void **state)
{
	(void)state;
	assert_true(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "2024-05-01T09:30:00Z"));
	assert_true(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "2024-05-01T09:30Z"));
	assert_true(
	    fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "2024-05-01T09:30:00.1234567Z"));
	assert_true(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "2024-02-29T23:59:59+14:00"));
	assert_true(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "0001-01-01T00:00:00Z"));
	/* OData's payloads want the zone (Graph: "Cannot convert the literal") */
	assert_false(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "2024-05-01T09:30:00"));
	assert_false(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "2024-05-01"));
	assert_false(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "2023-02-29T00:00:00Z"));
	assert_false(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "2024-05-01T24:00:00Z"));
	assert_false(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "2024-05-01T09:30:00Z "));
	assert_false(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "2024-05-01T09:30:00.Z"));
	assert_false(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "not a date"));
	assert_false(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "1714555800"));
	/* .NET's range, in UTC: years 1 to 9999 */
	assert_true(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "9999-12-31T23:59:59Z"));
	assert_false(fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "0000-12-31T00:00:00Z"));
	assert_false(
	    fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "9999-12-31T23:59:59-14:00"));
	assert_false(
	    fits(SCHEMA_EDM_DATE_TIME_OFFSET, NULL, "0001-01-01T00:30:00+01:00"));
}

static void test_dates(void **state)
{
	(void)state;
	assert_true(fits(SCHEMA_EDM_DATE, NULL, "2024-02-29"));
	assert_false(fits(SCHEMA_EDM_DATE, NULL, "2023-02-29"));
	assert_false(fits(SCHEMA_EDM_DATE, NULL, "2024-13-01"));
	assert_false(fits(SCHEMA_EDM_DATE, NULL, "2024-5-01"));
	assert_false(fits(SCHEMA_EDM_DATE, NULL, "0000-01-01"));
	assert_false(fits(SCHEMA_EDM_DATE, NULL, "2024-05-01T00:00:00Z"));
}

static void test_enum_members(void **state)
{
	const struct schema_type *access =
	    schema_type_find("microsoft.graph.groupAccessType");
	const struct schema_type *native =
	    schema_type_find("microsoft.graph.nativeAuthenticationApisEnabled");

	(void)state;
	assert_non_null(access);
	assert_non_null(native);
	assert_true(native->flags & SCHEMA_TYPE_FLAGS);
	assert_true(fits(SCHEMA_EDM_ENUM, access, "private"));
	assert_true(
	    fits(SCHEMA_EDM_ENUM, access, "Private")); /* case as the schema finds */
	assert_false(fits(SCHEMA_EDM_ENUM, access, "closed"));
	assert_false(
	    fits(SCHEMA_EDM_ENUM, access, "private,public")); /* not a flags enum */
	assert_false(fits(SCHEMA_EDM_ENUM, access, ""));
	assert_true(fits(SCHEMA_EDM_ENUM, native, "all"));
	assert_true(fits(SCHEMA_EDM_ENUM, native, "none,all"));
	assert_true(fits(SCHEMA_EDM_ENUM, native, "none, all"));
	assert_false(fits(SCHEMA_EDM_ENUM, native, "none,"));
	assert_false(fits(SCHEMA_EDM_ENUM, native, "none,some"));
	/* an enum the tables lack: nothing to judge by */
	assert_true(fits(SCHEMA_EDM_ENUM, NULL, "anything"));
}

static void test_properties(void **state)
{
	const struct schema_type *user = schema_type_find("microsoft.graph.user");
	const struct schema_property *hire =
	    schema_property_find(user, "employeeHireDate");
	const struct schema_property *name = schema_property_find(user, "displayName");

	(void)state;
	assert_non_null(hire);
	assert_non_null(name);
	assert_true(model_value_checked(hire));
	assert_false(model_value_checked(name));
	assert_false(model_value_fits(hire, "yesterday", 9));
	assert_true(model_value_fits(name, "yesterday", 9));
	assert_non_null(strstr(model_value_wanted(hire), "DateTimeOffset"));
}

static void utc_is(const char *in, const char *want)
{
	json_t *got = model_date_time_utc(in, strlen(in));

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(json_string_value(got), want);
	json_decref(got);
}

static void test_date_times_in_utc(void **state)
{
	(void)state;
	utc_is("2024-05-01T09:30:00+02:00", "2024-05-01T07:30:00Z");
	utc_is("2024-05-01T09:30+02:00", "2024-05-01T07:30:00Z");
	utc_is("2024-12-31T23:30:00.1234567-01:00", "2025-01-01T00:30:00.1234567Z");
	utc_is("2024-03-01T00:00:00+00:30", "2024-02-29T23:30:00Z");
	utc_is("0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00Z");
	utc_is("2024-05-01T09:30:00Z", NULL);      /* in UTC already */
	utc_is("0001-01-01T00:30:00+01:00", NULL); /* before year 1: not a literal */
	utc_is("yesterday", NULL);
}

static void test_complex_values(void **state)
{
	const struct schema_type *org =
	    schema_type_find("microsoft.graph.employeeOrgData");
	const struct schema_type *app = schema_type_find("microsoft.graph.application");
	const struct schema_property *roles = schema_property_find(app, "appRoles");
	bool undeclared;
	json_t *v;

	(void)state;
	assert_non_null(org);
	assert_non_null(roles);
	v = json_pack("{s:s, s:n, s:s}", "costCenter", "CC-1", "division", "@x.note",
	              "y");
	assert_null(model_complex_misfit(org, v, &undeclared));
	json_decref(v);
	v = json_pack("{s:s, s:i}", "costCenter", "CC-1", "team", 1);
	assert_string_equal(model_complex_misfit(org, v, &undeclared), "team");
	assert_true(undeclared);
	json_decref(v);
	v = json_pack("{s:b}", "costCenter", 1);
	assert_string_equal(model_complex_misfit(org, v, &undeclared), "costCenter");
	assert_false(undeclared);
	json_decref(v);
	/* inside a collection of a complex type: each element, each member */
	assert_int_equal(roles->edm, SCHEMA_EDM_COMPLEX);
	v = json_pack("{s:[{s:s, s:[s]}]}", "appRoles", "id",
	              "6f1b2f3a-0c4d-4e5f-8a9b-0c1d2e3f4a5b", "allowedMemberTypes",
	              "User");
	assert_null(model_complex_misfit(app, v, &undeclared));
	json_decref(v);
	v = json_pack("{s:[{s:s}]}", "appRoles", "id", "not-a-guid");
	assert_string_equal(model_complex_misfit(app, v, &undeclared), "appRoles");
	assert_false(undeclared);
	json_decref(v);
	v = json_pack("{s:[i]}", "appRoles", 3);
	assert_string_equal(model_complex_misfit(app, v, &undeclared), "appRoles");
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_guids),
	    cmocka_unit_test(test_date_times),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_enum_members),
	    cmocka_unit_test(test_properties),
	    cmocka_unit_test(test_complex_values),
	    cmocka_unit_test(test_date_times_in_utc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
