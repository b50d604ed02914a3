/*
 * routes/graph/users_test.c - the /users routes through the request pipeline on a
 * real state loaded with the default fixture, no sockets; and every write
 * with allocation N failing, N = 0, 1, ...
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../server/http_testutil.h"
#include "../../server/core/resp.h"
#include "../../server/srv.h"
#include "../../state/util/alloc.h"
#include "../../state/state.h"

#define ADELE    "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define ADMIN    "33c3317d-939c-4e2f-855a-95aa465db42a"
#define DEVGROUP "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define NEW_USER                                                                         \
	"{\"accountEnabled\":true,\"displayName\":\"Bob\",\"mailNickname\":\"bob\","     \
	"\"userPrincipalName\":\"bob@contoso.onmicrosoft.com\","                         \
	"\"passwordProfile\":{\"password\":\"Xyz12345!\"}}"

/* Allocations the pipeline may make before they start failing; < 0 = never. */
static long handler_budget = -1;

static int setup(void **ctx)
{
	struct test_server_opts opts = {.seed = 1};
	struct srv *srv = test_srv_new(&opts);

	snprintf(srv->cfg.public_url, sizeof(srv->cfg.public_url), "http://mock.test");
	*ctx = srv;
	return 0;
}

static int teardown(void **ctx)
{
	test_srv_free(*ctx);
	return 0;
}

static struct state *state_of(void **ctx)
{
	return &((struct srv *)*ctx)->state;
}

/*
 * Run @method @path (query options after '?') with optional JSON @body and
 * headers "name: value" (NULL-terminated) through the request pipeline; the
 * caller releases @c with test_reply_release().
 */
static void run(struct srv *srv, struct test_reply *c, const char *method,
                const char *path, const char *body, const char *const *headers)
{
	struct test_request rq = {
	    method,        path, body,    body ? "application/json" : NULL,
	    NULL,          NULL, headers, handler_budget >= 0,
	    handler_budget};

	test_local(srv, &rq, c);
}

static const char *error_code(const struct test_reply *c)
{
	return json_string_value(
	    json_object_get(json_object_get(c->json, "error"), "code"));
}

static const char *error_message(const struct test_reply *c)
{
	return json_string_value(
	    json_object_get(json_object_get(c->json, "error"), "message"));
}

static void get_by_id_default_properties(void **ctx)
{
	struct test_reply c;

	run(*ctx, &c, "GET", "/v1.0/users/" ADELE, NULL, NULL);
	assert_int_equal(c.status, 200);
	assert_string_equal(c.content_type, RESP_ODATA_CONTENT_TYPE);
	assert_string_equal(json_string_value(json_object_get(c.json, "@odata.context")),
	                    "http://mock.test/v1.0/$metadata#users/$entity");
	assert_string_equal(json_string_value(json_object_get(c.json, "displayName")),
	                    "Adele Vance");
	/* 11 default properties plus the context; $select-only ones stay out. */
	assert_int_equal(json_object_size(c.json), 12);
	assert_null(json_object_get(c.json, "accountEnabled"));
	assert_null(json_object_get(c.json, "userType"));
	test_reply_release(&c);
}

static void get_by_upn_any_case_with_select(void **ctx)
{
	struct test_reply c;

	run(*ctx, &c, "GET",
	    "/beta/users/adelev@CONTOSO.onmicrosoft.com?$select=id,userType", NULL, NULL);
	assert_int_equal(c.status, 200);
	assert_string_equal(json_string_value(json_object_get(c.json, "@odata.context")),
	                    "http://mock.test/beta/$metadata#users(id,userType)/$entity");
	assert_string_equal(json_string_value(json_object_get(c.json, "id")), ADELE);
	assert_string_equal(json_string_value(json_object_get(c.json, "userType")),
	                    "Member");
	assert_int_equal(json_object_size(c.json), 3);
	test_reply_release(&c);
}

static void get_unknown_is_404_naming_the_key(void **ctx)
{
	static const char *const keys[] = {
	    "00000000-0000-0000-0000-000000000001",
	    "nobody@contoso.onmicrosoft.com",
	    "not-a-guid-or-upn",
	};
	struct test_reply c;
	char want[256];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "/v1.0/users/%s", keys[i]);
		run(*ctx, &c, "GET", path, NULL, NULL);
		assert_int_equal(c.status, 404);
		assert_string_equal(error_code(&c), "Request_ResourceNotFound");
		snprintf(want, sizeof(want),
		         "Resource '%s' does not exist or one of its queried "
		         "reference-property "
		         "objects are not present.",
		         keys[i]);
		assert_string_equal(error_message(&c), want);
		test_reply_release(&c);
	}
}

static void list_and_filter_from_index(void **ctx)
{
	struct test_reply c;
	json_t *value;

	run(*ctx, &c, "GET", "/v1.0/users", NULL, NULL);
	assert_int_equal(c.status, 200);
	value = json_object_get(c.json, "value");
	assert_int_equal(json_array_size(value), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(value, 0), "id")), ADMIN);
	test_reply_release(&c);

	run(*ctx, &c, "GET",
	    "/v1.0/users?$filter=userPrincipalName eq 'ADELEV@contoso.onmicrosoft.com'",
	    NULL, NULL);
	assert_int_equal(c.status, 200);
	value = json_object_get(c.json, "value");
	assert_int_equal(json_array_size(value), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(value, 0), "id")), ADELE);
	test_reply_release(&c);

	/* The index narrows the candidates; the rest of the filter still applies. */
	run(*ctx, &c, "GET",
	    "/v1.0/users?$filter=mail eq 'AdeleV@contoso.onmicrosoft.com' and givenName "
	    "eq 'X'",
	    NULL, NULL);
	assert_int_equal(c.status, 200);
	assert_int_equal(json_array_size(json_object_get(c.json, "value")), 0);
	test_reply_release(&c);

	run(*ctx, &c, "GET", "/v1.0/users?$filter=id eq '" ADMIN "'", NULL, NULL);
	assert_int_equal(json_array_size(json_object_get(c.json, "value")), 1);
	test_reply_release(&c);
}

static void count_needs_consistency_level(void **ctx)
{
	static const char *const eventual[] = {"ConsistencyLevel: eventual", NULL};
	struct test_reply c;

	run(*ctx, &c, "GET", "/v1.0/users/$count", NULL, NULL);
	assert_int_equal(c.status, 400);
	assert_string_equal(error_message(&c), "$count is not currently supported.");
	test_reply_release(&c);

	run(*ctx, &c, "GET", "/v1.0/users/$count", NULL, eventual);
	assert_int_equal(c.status, 200);
	assert_string_equal(c.content_type, "text/plain;charset=utf-8");
	assert_string_equal(c.body, "2");
	test_reply_release(&c);
}

static void create_returns_default_properties(void **ctx)
{
	struct test_reply c;
	const char *loc;

	run(*ctx, &c, "POST", "/v1.0/users", NEW_USER, NULL);
	assert_int_equal(c.status, 201);
	assert_string_equal(json_string_value(json_object_get(c.json, "displayName")),
	                    "Bob");
	assert_true(json_is_null(json_object_get(c.json, "mail")));
	assert_null(json_object_get(c.json, "passwordProfile"));
	assert_int_equal(json_object_size(c.json), 12);
	loc = c.location;
	assert_non_null(loc);
	assert_non_null(strstr(loc, "/directoryObjects/"));
	test_reply_release(&c);

	/* Stored: readable by its UPN, with the member defaults. */
	run(*ctx, &c, "GET",
	    "/v1.0/users/bob@contoso.onmicrosoft.com?$select=accountEnabled,userType",
	    NULL, NULL);
	assert_int_equal(c.status, 200);
	assert_true(json_is_true(json_object_get(c.json, "accountEnabled")));
	assert_string_equal(json_string_value(json_object_get(c.json, "userType")),
	                    "Member");
	test_reply_release(&c);
}

/*
 * In a big tenant a user a request makes is kept as text once the request
 * ends (~0.6 KB instead of a ~3 KB tree: a load test inviting 150,000
 * guests held 823 MB, now 435), and reads back as it was made: every
 * property, the password still checked against its hash, its changes still
 * logged by name.
 */
static void created_users_wait_as_text_in_big_tenants(void **ctx)
{
	struct srv *srv = *ctx;
	struct test_reply made, got;
	const char *key;
	json_t *v;
	char path[128];
	size_t waiting = test_waiting_users(srv);

	srv->state.read_keep_below = 0; /* as in a tenant of a million users */
	run(srv, &made, "POST", "/v1.0/users", NEW_USER, NULL);
	assert_int_equal(made.status, 201);
	assert_int_equal(test_waiting_users(srv), waiting + 1);
	snprintf(path, sizeof(path), "/v1.0/users/%s",
	         json_string_value(json_object_get(made.json, "id")));
	run(srv, &got, "GET", path, NULL, NULL);
	assert_int_equal(got.status, 200);
	json_object_foreach(made.json, key, v)
	{
		if (strcmp(key, "@odata.context") &&
		    !json_equal(v, json_object_get(got.json, key)))
			fail_msg("%s: made %s, read %s", key, made.body, got.body);
	}
	test_reply_release(&got);
	/* it signs in with its password, checked against the hash in its text */
	{
#define BOB_SIGN_IN                                                                      \
	"client_id=0e6a4b2c-8d1f-4e3a-b5c7-9f2d6a8e1b43&grant_type=password&"            \
	"username=bob%40contoso.onmicrosoft.com&scope=User.Read&password="
		struct test_request rq = {
		    "POST",
		    "/2dd67af8-8f6d-47d9-86d2-56d41895239d/oauth2/v2.0/token",
		    BOB_SIGN_IN "Xyz12345%21",
		    "application/x-www-form-urlencoded",
		    NULL,
		    NULL,
		    NULL,
		    false,
		    0};

		test_local(srv, &rq, &got);
		if (got.status != 200)
			fail_msg("sign-in: %ld %s", got.status, got.body);
		test_reply_release(&got);
		rq.body = BOB_SIGN_IN "wrong";
		test_local(srv, &rq, &got);
		assert_int_equal(got.status, 400);
		test_reply_release(&got);
#undef BOB_SIGN_IN
	}
	/* a change to it is logged by the names it changed, as for any user */
	run(srv, &got, "PATCH", path, "{\"jobTitle\":\"Engineer\"}", NULL);
	assert_int_equal(got.status, 204);
	test_reply_release(&got);
	snprintf(path, sizeof(path), "/v1.0/users/%s?$select=jobTitle,displayName",
	         json_string_value(json_object_get(made.json, "id")));
	run(srv, &got, "GET", path, NULL, NULL);
	assert_string_equal(json_string_value(json_object_get(got.json, "jobTitle")),
	                    "Engineer");
	assert_string_equal(json_string_value(json_object_get(got.json, "displayName")),
	                    "Bob");
	test_reply_release(&got);
	test_reply_release(&made);
	srv->state.read_keep_below = STATE_READ_KEEP_BELOW;
}

static void create_rejects_duplicate_upn(void **ctx)
{
	struct test_reply c;
	json_t *detail;

	run(*ctx, &c, "POST", "/v1.0/users",
	    "{\"accountEnabled\":true,\"displayName\":\"A\",\"mailNickname\":\"a\","
	    "\"userPrincipalName\":\"ADMIN@contoso.onmicrosoft.com\","
	    "\"passwordProfile\":{\"password\":\"Xyz12345!\"}}",
	    NULL);
	assert_int_equal(c.status, 400);
	assert_string_equal(error_code(&c), "Request_BadRequest");
	assert_string_equal(error_message(&c),
	                    "Another object with the same value for property "
	                    "userPrincipalName already exists.");
	detail = json_array_get(
	    json_object_get(json_object_get(c.json, "error"), "details"), 0);
	assert_string_equal(json_string_value(json_object_get(detail, "code")),
	                    "ObjectConflict");
	assert_string_equal(json_string_value(json_object_get(detail, "target")),
	                    "userPrincipalName");
	test_reply_release(&c);
	assert_int_equal(state_dobj_count(state_tenant_default(state_of(ctx)), DOBJ_USER),
	                 2);
}

struct bad_post {
	const char *body;
	const char *code;
	const char *message;
};

static void create_rejects_bad_bodies(void **ctx)
{
	static const struct bad_post cases[] = {
	    {"{\"accountEnabled\":true,\"displayName\":\"A\","
	     "\"userPrincipalName\":\"a@contoso.onmicrosoft.com\","
	     "\"passwordProfile\":{\"password\":\"Xyz12345!\"}}",
	     "Request_BadRequest",
	     "Property mailNickname value is required but is empty or missing."},
	    {"{\"foo\":1}", "BadRequest",
	     "Property 'foo' does not exist on type 'microsoft.graph.user'."},
	    {"{\"displayName\":42}", "Request_BadRequest",
	     "Invalid value specified for property 'displayName' of resource 'User'."},
	    {"{\"createdDateTime\":\"2020-01-01T00:00:00Z\"}", "Request_BadRequest",
	     "Invalid value specified for property 'createdDateTime' of resource "
	     "'User'."},
	    {"{\"accountEnabled\":true,\"displayName\":\"A\",\"mailNickname\":\"a\","
	     "\"userPrincipalName\":\"a@fabrikam.com\","
	     "\"passwordProfile\":{\"password\":\"Xyz12345!\"}}",
	     "Request_BadRequest",
	     "The domain portion of the userPrincipalName property is invalid. You must "
	     "use "
	     "one of the verified domain names in your organization."},
	    {"{\"accountEnabled\":true,\"displayName\":\"A\",\"mailNickname\":\"a b\","
	     "\"userPrincipalName\":\"a@contoso.onmicrosoft.com\","
	     "\"passwordProfile\":{\"password\":\"Xyz12345!\"}}",
	     "Request_BadRequest",
	     "Invalid value specified for property 'mailNickname' of resource 'User'."},
	    {"{\"accountEnabled\":true,\"displayName\":\"A\",\"mailNickname\":\"a\","
	     "\"userPrincipalName\":\"a@contoso.onmicrosoft.com\","
	     "\"passwordProfile\":{\"password\":\"short\"}}",
	     "Request_BadRequest",
	     "The specified password does not comply with password complexity "
	     "requirements. "
	     "Please provide a different password."},
	    {"{\"accountEnabled\":true,\"displayName\":\"A\",\"mailNickname\":\"a\","
	     "\"userPrincipalName\":\"a@contoso.onmicrosoft.com\","
	     "\"passwordProfile\":{\"password\":\"Xyz12345!\"},"
	     "\"employeeHireDate\":\"not a date\"}",
	     "BadRequest",
	     "Cannot convert the literal 'not a date' to the expected type "
	     "'Edm.DateTimeOffset'."},
	    /* OData's payloads name the zone */
	    {"{\"employeeHireDate\":\"2024-05-01T09:30:00\"}", "BadRequest",
	     "Cannot convert the literal '2024-05-01T09:30:00' to the expected type "
	     "'Edm.DateTimeOffset'."},
	    {"{\"employeeLeaveDateTime\":\"2024-02-30T00:00:00Z\"}", "BadRequest",
	     "Cannot convert the literal '2024-02-30T00:00:00Z' to the expected type "
	     "'Edm.DateTimeOffset'."},
	    {"{\"employeeOrgData\":{\"costCenter\":\"CC-1\",\"team\":\"x\"}}",
	     "BadRequest",
	     "Property 'team' does not exist on type 'microsoft.graph.employeeOrgData'."},
	    {"{\"employeeOrgData\":{\"costCenter\":7}}", "Request_BadRequest",
	     "Invalid value specified for property 'employeeOrgData' of resource "
	     "'User'."},
	    {"{\"employeeOrgData\":\"CC-1\"}", "Request_BadRequest",
	     "Invalid value specified for property 'employeeOrgData' of resource "
	     "'User'."},
	    {"{\"onPremisesExtensionAttributes\":{\"extensionAttribute16\":\"x\"}}",
	     "BadRequest",
	     "Property 'extensionAttribute16' does not exist on type "
	     "'microsoft.graph.onPremisesExtensionAttributes'."},
	};
	struct test_reply c;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(*ctx, &c, "POST", "/v1.0/users", cases[i].body, NULL);
		assert_int_equal(c.status, 400);
		assert_string_equal(error_code(&c), cases[i].code);
		assert_string_equal(error_message(&c), cases[i].message);
		test_reply_release(&c);
	}
	assert_int_equal(state_dobj_count(state_tenant_default(state_of(ctx)), DOBJ_USER),
	                 2);
}

/*
 * A date that converts is kept, and so are the properties of Graph's
 * "Update user" page judged by their CSDL type; a value that does not
 * convert refuses the whole body.
 */
static void update_checks_dates(void **ctx)
{
	struct test_reply c;
	char body[1200];

	run(*ctx, &c, "PATCH", "/v1.0/users/" ADELE,
	    "{\"employeeHireDate\":\"2024-05-01T09:30:00Z\","
	    "\"employeeLeaveDateTime\":null,"
	    "\"employeeOrgData\":{\"costCenter\":\"CC-1\",\"division\":null}}",
	    NULL);
	assert_int_equal(c.status, 204);
	test_reply_release(&c);
	run(*ctx, &c, "GET", "/v1.0/users/" ADELE "?$select=employeeOrgData", NULL, NULL);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(c.json, "employeeOrgData"),
	                                      "costCenter")),
	    "CC-1");
	test_reply_release(&c);
	/* a complex value's strings held to the user's own limit (1,024) */
	snprintf(body, sizeof(body), "{\"employeeOrgData\":{\"costCenter\":\"%01025d\"}}",
	         7);
	run(*ctx, &c, "PATCH", "/v1.0/users/" ADELE, body, NULL);
	assert_int_equal(c.status, 400);
	assert_string_equal(error_code(&c), "Request_BadRequest");
	test_reply_release(&c);
	/* kept in UTC, as Graph reads dates back; the fraction as written */
	run(*ctx, &c, "PATCH", "/v1.0/users/" ADELE,
	    "{\"employeeLeaveDateTime\":\"2025-01-01T01:30:00.25+02:00\"}", NULL);
	assert_int_equal(c.status, 204);
	test_reply_release(&c);
	run(*ctx, &c, "GET", "/v1.0/users/" ADELE "?$select=employeeLeaveDateTime", NULL,
	    NULL);
	assert_string_equal(
	    json_string_value(json_object_get(c.json, "employeeLeaveDateTime")),
	    "2024-12-31T23:30:00.25Z");
	test_reply_release(&c);

	run(*ctx, &c, "PATCH", "/v1.0/users/" ADELE,
	    "{\"jobTitle\":\"Changed\",\"employeeHireDate\":\"tomorrow\"}", NULL);
	assert_int_equal(c.status, 400);
	assert_string_equal(error_code(&c), "BadRequest");
	test_reply_release(&c);

	run(*ctx, &c, "GET", "/v1.0/users/" ADELE "?$select=jobTitle,employeeHireDate",
	    NULL, NULL);
	assert_string_equal(json_string_value(json_object_get(c.json, "jobTitle")),
	                    "Product Marketing Manager");
	assert_string_equal(
	    json_string_value(json_object_get(c.json, "employeeHireDate")),
	    "2024-05-01T09:30:00Z");
	test_reply_release(&c);
}

static void update_validates_before_changing(void **ctx)
{
	struct test_reply c;

	run(*ctx, &c, "PATCH", "/v1.0/users/" ADELE,
	    "{\"jobTitle\":\"Changed\",\"externalUserState\":\"Accepted\"}", NULL);
	assert_int_equal(c.status, 400);
	assert_string_equal(error_message(&c), "Invalid value specified for property "
	                                       "'externalUserState' of resource 'User'.");
	test_reply_release(&c);

	run(*ctx, &c, "GET", "/v1.0/users/" ADELE "?$select=jobTitle", NULL, NULL);
	assert_string_equal(json_string_value(json_object_get(c.json, "jobTitle")),
	                    "Product Marketing Manager");
	test_reply_release(&c);

	run(*ctx, &c, "PATCH", "/v1.0/users/" ADELE,
	    "{\"userPrincipalName\":\"admin@contoso.onmicrosoft.com\"}", NULL);
	assert_int_equal(c.status, 400);
	assert_string_equal(error_message(&c),
	                    "Another object with the same value for property "
	                    "userPrincipalName already exists.");
	test_reply_release(&c);
}

static void update_renames_and_reindexes(void **ctx)
{
	struct test_reply c;

	run(*ctx, &c, "PATCH", "/v1.0/users/AdeleV@contoso.onmicrosoft.com",
	    "{\"userPrincipalName\":\"adele.vance@contoso.onmicrosoft.com\",\"jobTitle\":"
	    "\"PM\"}",
	    NULL);
	assert_int_equal(c.status, 204);
	assert_int_equal(c.len, 0);
	test_reply_release(&c);

	run(*ctx, &c, "GET", "/v1.0/users/AdeleV@contoso.onmicrosoft.com", NULL, NULL);
	assert_int_equal(c.status, 404);
	test_reply_release(&c);

	run(*ctx, &c, "GET", "/v1.0/users/Adele.Vance@contoso.onmicrosoft.com", NULL,
	    NULL);
	assert_int_equal(c.status, 200);
	assert_string_equal(json_string_value(json_object_get(c.json, "jobTitle")), "PM");
	assert_string_equal(json_string_value(json_object_get(c.json, "id")), ADELE);
	test_reply_release(&c);

	/* Same UPN in another case is the user's own, not a conflict. */
	run(*ctx, &c, "PATCH", "/v1.0/users/" ADELE,
	    "{\"userPrincipalName\":\"ADELE.VANCE@contoso.onmicrosoft.com\"}", NULL);
	assert_int_equal(c.status, 204);
	test_reply_release(&c);
}

static void delete_cascades_memberships(void **ctx)
{
	struct srv *srv = *ctx;
	struct state *st = &srv->state;
	struct tenant *t = state_tenant_default(st);
	struct test_reply c;

	assert_true(
	    state_member_has(state_dobj_find(st, t, DOBJ_GROUP, DEVGROUP), ADELE));
	run(srv, &c, "DELETE", "/v1.0/users/" ADELE, NULL, NULL);
	assert_int_equal(c.status, 204);
	test_reply_release(&c);
	assert_false(
	    state_member_has(state_dobj_find(st, t, DOBJ_GROUP, DEVGROUP), ADELE));

	run(srv, &c, "GET", "/v1.0/users/" ADELE, NULL, NULL);
	assert_int_equal(c.status, 404);
	test_reply_release(&c);

	run(srv, &c, "DELETE", "/v1.0/users/" ADELE, NULL, NULL);
	assert_int_equal(c.status, 404);
	test_reply_release(&c);
}

/* POST and PATCH with allocation N failing, N = 0, 1, ...: all or nothing. */
static void writes_survive_allocation_failures(void **ctx)
{
	struct srv *srv = *ctx;
	struct state *st = &srv->state;
	struct tenant *t = state_tenant_default(st);
	struct test_reply c;
	long n, handler_failures = 0;

	/*
	 * The whole pipeline runs under the budget. A failure inside jansson's
	 * parser of the request body comes back from jansson as a syntax error,
	 * so those answer 400; every later one (the handler's) must be a 500.
	 * Either way nothing may change.
	 */
	json_set_alloc_funcs(state_malloc, state_free);
	for (n = 0; n < 10000; n++) {
		handler_budget = n;
		run(srv, &c, "POST", "/v1.0/users", NEW_USER, NULL);
		handler_budget = -1;
		unsigned status = c.status;
		test_reply_release(&c);
		if (status == 201)
			break;
		assert_true(status == 500 || status == 400);
		handler_failures += status == 500;
		assert_int_equal(state_dobj_count(t, DOBJ_USER), 2);
	}
	assert_true(handler_failures > 3);
	assert_int_equal(state_dobj_count(t, DOBJ_USER), 3);

	for (n = 0; n < 10000; n++) {
		handler_budget = n;
		run(srv, &c, "PATCH", "/v1.0/users/" ADELE,
		    "{\"jobTitle\":\"X\",\"city\":\"Y\"}", NULL);
		handler_budget = -1;
		unsigned status = c.status;
		test_reply_release(&c);
		run(srv, &c, "GET", "/v1.0/users/" ADELE "?$select=jobTitle,city", NULL,
		    NULL);
		if (status == 204) {
			assert_string_equal(
			    json_string_value(json_object_get(c.json, "jobTitle")), "X");
			test_reply_release(&c);
			break;
		}
		assert_true(status == 500 || status == 400);
		assert_string_equal(
		    json_string_value(json_object_get(c.json, "jobTitle")),
		    "Product Marketing Manager");
		assert_true(json_is_null(json_object_get(c.json, "city")));
		test_reply_release(&c);
	}
	json_set_alloc_funcs(malloc, free);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(get_by_id_default_properties, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(get_by_upn_any_case_with_select, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(get_unknown_is_404_naming_the_key, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(list_and_filter_from_index, setup, teardown),
	    cmocka_unit_test_setup_teardown(count_needs_consistency_level, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(create_returns_default_properties, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(created_users_wait_as_text_in_big_tenants,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(create_rejects_duplicate_upn, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(create_rejects_bad_bodies, setup, teardown),
	    cmocka_unit_test_setup_teardown(update_checks_dates, setup, teardown),
	    cmocka_unit_test_setup_teardown(update_validates_before_changing, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(update_renames_and_reindexes, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(delete_cascades_memberships, setup, teardown),
	    cmocka_unit_test_setup_teardown(writes_survive_allocation_failures, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
