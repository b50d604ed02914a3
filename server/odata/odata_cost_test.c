/*
 * server/odata/odata_cost_test.c - x-ms-resource-unit as Microsoft's
 * throttling page computes it: the base costs of its table (and of users/{id}/
 * for the me/ rows), $select -1, $expand +1, $top below 20 -1, never below 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../core/req.h"
#include "odata.h"

static int cost(const char *method, const char *path, ...)
{
	struct req req;
	const char *name;
	va_list ap;
	int units;

	req_init(&req);
	snprintf(req.method, sizeof(req.method), "%s", method);
	assert_int_equal(req_set_path(&req, path), 0);
	va_start(ap, path);
	for (name = va_arg(ap, const char *); name; name = va_arg(ap, const char *))
		assert_int_equal(req_add_query(&req, name, va_arg(ap, const char *)), 0);
	va_end(ap);
	units = odata_resource_units(&req);
	req_release(&req);
	return units;
}

static void test_base_costs(void **unused)
{
	(void)unused;
	assert_int_equal(cost("GET", "/v1.0/users", NULL), 2);
	assert_int_equal(cost("GET", "/v1.0/users/x", NULL), 1);
	assert_int_equal(cost("GET", "/v1.0/groups/g/members", NULL), 3);
	assert_int_equal(cost("GET", "/v1.0/groups/g/transitiveMembers", NULL), 5);
	assert_int_equal(cost("GET", "/v1.0/applications", NULL), 2);
	assert_int_equal(
	    cost("GET", "/v1.0/servicePrincipals/s/appRoleAssignments", NULL), 2);
	assert_int_equal(cost("POST", "/v1.0/directoryObjects/getByIds", NULL), 5);
	assert_int_equal(cost("POST", "/v1.0/users/u/checkMemberGroups", NULL), 4);
	assert_int_equal(cost("POST", "/v1.0/users/u/getMemberGroups", NULL), 2);
	assert_int_equal(cost("GET", "/v1.0/users/u/memberOf", NULL), 2);
	assert_int_equal(cost("GET", "/v1.0/users/u/transitiveMemberOf", NULL), 2);
	assert_int_equal(cost("POST", "/v1.0/groups", NULL), 1);
	assert_int_equal(cost("DELETE", "/v1.0/users", NULL), 1);
}

static void test_modifiers(void **unused)
{
	(void)unused;
	assert_int_equal(cost("GET", "/v1.0/users", "$select", "id", NULL), 1);
	assert_int_equal(cost("GET", "/v1.0/users", "$expand", "manager", NULL), 3);
	assert_int_equal(
	    cost("GET", "/v1.0/groups/g/transitiveMembers", "$top", "5", NULL), 4);
	assert_int_equal(cost("GET", "/v1.0/groups/g/members", "$top", "20", NULL), 3);
	assert_int_equal(cost("GET", "/v1.0/users", "$select", "id", "$top", "1", NULL),
	                 1); /* floor */
	assert_int_equal(
	    cost("POST", "/v1.0/directoryObjects/getByIds", "$select", "id", NULL), 2);
}

/*
 * Every row of the table, in every case the path may take: rows are
 * skipped by their segment count and first letter, so a row whose count
 * were wrong would never match again.
 */
static void test_every_row(void **unused)
{
	(void)unused;
	assert_int_equal(cost("GET", "/v1.0/applications/a/extensionProperties", NULL),
	                 2);
	assert_int_equal(cost("GET", "/v1.0/contracts", NULL), 3);
	assert_int_equal(cost("GET", "/v1.0/domains/d/domainNameReferences", NULL), 4);
	assert_int_equal(cost("GET", "/v1.0/oauth2PermissionGrants", NULL), 2);
	assert_int_equal(cost("GET", "/v1.0/oauth2PermissionGrants/x", NULL), 2);
	assert_int_equal(cost("GET", "/v1.0/subscribedSkus", NULL), 3);
	assert_int_equal(cost("POST", "/v1.0/getObjectsById", NULL), 5);
	assert_int_equal(cost("POST", "/v1.0/isMemberOf", NULL), 4);
	assert_int_equal(cost("GET", "/v1.0/users/u/licenseDetails", NULL), 2);
	assert_int_equal(cost("GET", "/v1.0/users/u/ownedObjects", NULL), 2);
	assert_int_equal(cost("POST", "/v1.0/users/u/checkMemberObjects", NULL), 4);
	assert_int_equal(cost("POST", "/v1.0/users/u/getMemberObjects", NULL), 2);
	/* methods and segments compare without case, as before */
	assert_int_equal(cost("get", "/v1.0/Users", NULL), 2);
	assert_int_equal(cost("GET", "/v1.0/USERS/u/MemberOf", NULL), 2);
	assert_int_equal(cost("post", "/v1.0/Users/u/checkMemberGroups", NULL), 4);
	/* the same names elsewhere cost 1 */
	assert_int_equal(cost("GET", "/v1.0/contracts/c", NULL), 1);
	assert_int_equal(cost("PATCH", "/v1.0/users", NULL), 1);
	assert_int_equal(cost("GET", "/v1.0/groups/g/members/x", NULL), 1);
	assert_int_equal(cost("GET", "/v1.0/me/memberOf", NULL), 2);
	assert_int_equal(cost("GET", "/v1.0/", NULL), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_base_costs),
	    cmocka_unit_test(test_every_row),
	    cmocka_unit_test(test_modifiers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
