/*
 * routes/users_test.c - the /users handlers called directly on a real state
 * loaded with the default fixture: routing through the real route tables,
 * OData options through the real parser, no sockets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../state/state_testutil.h"
#include "../server/odata.h"
#include "../server/req.h"
#include "../server/resp.h"
#include "../server/router.h"
#include "../state/alloc.h"
#include "../state/state.h"
#include "registry.h"

#define ADELE    "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define ADMIN    "33c3317d-939c-4e2f-855a-95aa465db42a"
#define DEVGROUP "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define NEW_USER                                                                         \
	"{\"accountEnabled\":true,\"displayName\":\"Bob\",\"mailNickname\":\"bob\","     \
	"\"userPrincipalName\":\"bob@contoso.onmicrosoft.com\","                         \
	"\"passwordProfile\":{\"password\":\"Xyz12345!\"}}"

struct call {
	struct req req;
	struct resp resp;
};

/* Allocations the handler may make before they start failing; < 0 = never. */
static long handler_budget = -1;

static int setup(void **ctx)
{
	struct state *st = calloc(1, sizeof(*st));

	assert_non_null(st);
	test_state_init(st, 1);
	*ctx = st;
	return 0;
}

static int teardown(void **ctx)
{
	state_release(*ctx);
	free(*ctx);
	return 0;
}

/*
 * Run @method @path (query options after '?', "a=b&c=d", values unencoded)
 * with optional JSON @body and headers "name: value" (NULL-terminated) the
 * way server/dispatch.c does, minus HTTP. The caller calls finish().
 */
static void run(struct state *st, struct call *c, const char *method, const char *path,
                const char *body, const char *const *headers)
{
	char buf[512];
	struct route_match m;
	char *query;

	req_init(&c->req);
	resp_init(&c->resp, &c->req);
	snprintf(c->req.method, sizeof(c->req.method), "%s", method);
	snprintf(c->req.base_url, sizeof(c->req.base_url), "http://mock.test");
	snprintf(buf, sizeof(buf), "%s", path);
	query = strchr(buf, '?');
	if (query)
		*query++ = '\0';
	assert_int_equal(req_set_path(&c->req, buf), 0);
	for (char *kv = query; kv && *kv;) {
		char *next = strchr(kv, '&');
		if (next)
			*next++ = '\0';
		char *eq = strchr(kv, '=');
		assert_non_null(eq);
		*eq = '\0';
		assert_int_equal(req_add_query(&c->req, kv, eq + 1), 0);
		kv = next;
	}
	for (size_t i = 0; headers && headers[i]; i++) {
		char h[256];
		snprintf(h, sizeof(h), "%s", headers[i]);
		char *colon = strchr(h, ':');
		*colon = '\0';
		assert_int_equal(req_add_header(&c->req, h, colon + 2), 0);
	}
	if (body) {
		c->req.body = json_loads(body, 0, NULL);
		assert_non_null(c->req.body);
	}
	router_match(graph_route_tables, method, &c->req, &m);
	assert_non_null(m.route);
	if ((m.route->flags & ROUTE_ODATA) &&
	    odata_query_parse(&c->req.odata, m.route->entity, &c->req, &c->resp))
		return;
	c->req.tenant = state_tenant_default(st);
	state_alloc_fail_after(handler_budget);
	m.route->fn(st, &c->req, &c->resp);
	state_alloc_fail_after(-1);
}

static void finish(struct call *c)
{
	req_release(&c->req);
	resp_release(&c->resp);
}

static const char *error_code(const struct call *c)
{
	return json_string_value(
	    json_object_get(json_object_get(c->resp.body, "error"), "code"));
}

static const char *error_message(const struct call *c)
{
	return json_string_value(
	    json_object_get(json_object_get(c->resp.body, "error"), "message"));
}

static void get_by_id_default_properties(void **ctx)
{
	struct call c;

	run(*ctx, &c, "GET", "/v1.0/users/" ADELE, NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_int_equal(c.resp.kind, RESP_ODATA);
	assert_string_equal(
	    json_string_value(json_object_get(c.resp.body, "@odata.context")),
	    "http://mock.test/v1.0/$metadata#users/$entity");
	assert_string_equal(
	    json_string_value(json_object_get(c.resp.body, "displayName")),
	    "Adele Vance");
	/* 11 default properties plus the context; $select-only ones stay out. */
	assert_int_equal(json_object_size(c.resp.body), 12);
	assert_null(json_object_get(c.resp.body, "accountEnabled"));
	assert_null(json_object_get(c.resp.body, "userType"));
	finish(&c);
}

static void get_by_upn_any_case_with_select(void **ctx)
{
	struct call c;

	run(*ctx, &c, "GET",
	    "/beta/users/adelev@CONTOSO.onmicrosoft.com?$select=id,userType", NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_string_equal(
	    json_string_value(json_object_get(c.resp.body, "@odata.context")),
	    "http://mock.test/beta/$metadata#users(id,userType)/$entity");
	assert_string_equal(json_string_value(json_object_get(c.resp.body, "id")), ADELE);
	assert_string_equal(json_string_value(json_object_get(c.resp.body, "userType")),
	                    "Member");
	assert_int_equal(json_object_size(c.resp.body), 3);
	finish(&c);
}

static void get_unknown_is_404_naming_the_key(void **ctx)
{
	static const char *const keys[] = {
	    "00000000-0000-0000-0000-000000000001",
	    "nobody@contoso.onmicrosoft.com",
	    "not-a-guid-or-upn",
	};
	struct call c;
	char want[256];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "/v1.0/users/%s", keys[i]);
		run(*ctx, &c, "GET", path, NULL, NULL);
		assert_int_equal(c.resp.status, 404);
		assert_string_equal(error_code(&c), "Request_ResourceNotFound");
		snprintf(want, sizeof(want),
		         "Resource '%s' does not exist or one of its queried "
		         "reference-property "
		         "objects are not present.",
		         keys[i]);
		assert_string_equal(error_message(&c), want);
		finish(&c);
	}
}

static void list_and_filter_from_index(void **ctx)
{
	struct call c;
	json_t *value;

	run(*ctx, &c, "GET", "/v1.0/users", NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	value = json_object_get(c.resp.body, "value");
	assert_int_equal(json_array_size(value), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(value, 0), "id")), ADMIN);
	finish(&c);

	run(*ctx, &c, "GET",
	    "/v1.0/users?$filter=userPrincipalName eq 'ADELEV@contoso.onmicrosoft.com'",
	    NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	value = json_object_get(c.resp.body, "value");
	assert_int_equal(json_array_size(value), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(value, 0), "id")), ADELE);
	finish(&c);

	/* The index narrows the candidates; the rest of the filter still applies. */
	run(*ctx, &c, "GET",
	    "/v1.0/users?$filter=mail eq 'AdeleV@contoso.onmicrosoft.com' and givenName "
	    "eq 'X'",
	    NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_int_equal(json_array_size(json_object_get(c.resp.body, "value")), 0);
	finish(&c);

	run(*ctx, &c, "GET", "/v1.0/users?$filter=id eq '" ADMIN "'", NULL, NULL);
	assert_int_equal(json_array_size(json_object_get(c.resp.body, "value")), 1);
	finish(&c);
}

static void count_needs_consistency_level(void **ctx)
{
	static const char *const eventual[] = {"ConsistencyLevel: eventual", NULL};
	struct call c;

	run(*ctx, &c, "GET", "/v1.0/users/$count", NULL, NULL);
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(error_message(&c), "$count is not currently supported.");
	finish(&c);

	run(*ctx, &c, "GET", "/v1.0/users/$count", NULL, eventual);
	assert_int_equal(c.resp.status, 200);
	assert_int_equal(c.resp.kind, RESP_RAW);
	assert_int_equal(c.resp.raw_len, 1);
	assert_memory_equal(c.resp.raw, "2", 1);
	finish(&c);
}

static void create_returns_default_properties(void **ctx)
{
	struct call c;
	const char *loc;

	run(*ctx, &c, "POST", "/v1.0/users", NEW_USER, NULL);
	assert_int_equal(c.resp.status, 201);
	assert_string_equal(
	    json_string_value(json_object_get(c.resp.body, "displayName")), "Bob");
	assert_true(json_is_null(json_object_get(c.resp.body, "mail")));
	assert_null(json_object_get(c.resp.body, "passwordProfile"));
	assert_int_equal(json_object_size(c.resp.body), 12);
	loc = resp_header_get(&c.resp, "Location");
	assert_non_null(loc);
	assert_non_null(strstr(loc, "/directoryObjects/"));
	finish(&c);

	/* Stored: readable by its UPN, with the member defaults. */
	run(*ctx, &c, "GET",
	    "/v1.0/users/bob@contoso.onmicrosoft.com?$select=accountEnabled,userType",
	    NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_true(json_is_true(json_object_get(c.resp.body, "accountEnabled")));
	assert_string_equal(json_string_value(json_object_get(c.resp.body, "userType")),
	                    "Member");
	finish(&c);
}

static void create_rejects_duplicate_upn(void **ctx)
{
	struct call c;
	json_t *detail;

	run(*ctx, &c, "POST", "/v1.0/users",
	    "{\"accountEnabled\":true,\"displayName\":\"A\",\"mailNickname\":\"a\","
	    "\"userPrincipalName\":\"ADMIN@contoso.onmicrosoft.com\","
	    "\"passwordProfile\":{\"password\":\"Xyz12345!\"}}",
	    NULL);
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(error_code(&c), "Request_BadRequest");
	assert_string_equal(error_message(&c),
	                    "Another object with the same value for property "
	                    "userPrincipalName already exists.");
	detail = json_array_get(
	    json_object_get(json_object_get(c.resp.body, "error"), "details"), 0);
	assert_string_equal(json_string_value(json_object_get(detail, "code")),
	                    "ObjectConflict");
	assert_string_equal(json_string_value(json_object_get(detail, "target")),
	                    "userPrincipalName");
	finish(&c);
	assert_int_equal(state_dobj_count(state_tenant_default(*ctx), DOBJ_USER), 2);
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
	};
	struct call c;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(*ctx, &c, "POST", "/v1.0/users", cases[i].body, NULL);
		assert_int_equal(c.resp.status, 400);
		assert_string_equal(error_code(&c), cases[i].code);
		assert_string_equal(error_message(&c), cases[i].message);
		finish(&c);
	}
	assert_int_equal(state_dobj_count(state_tenant_default(*ctx), DOBJ_USER), 2);
}

static void update_validates_before_changing(void **ctx)
{
	struct call c;

	run(*ctx, &c, "PATCH", "/v1.0/users/" ADELE,
	    "{\"jobTitle\":\"Changed\",\"externalUserState\":\"Accepted\"}", NULL);
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(error_message(&c), "Invalid value specified for property "
	                                       "'externalUserState' of resource 'User'.");
	finish(&c);

	run(*ctx, &c, "GET", "/v1.0/users/" ADELE "?$select=jobTitle", NULL, NULL);
	assert_string_equal(json_string_value(json_object_get(c.resp.body, "jobTitle")),
	                    "Product Marketing Manager");
	finish(&c);

	run(*ctx, &c, "PATCH", "/v1.0/users/" ADELE,
	    "{\"userPrincipalName\":\"admin@contoso.onmicrosoft.com\"}", NULL);
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(error_message(&c),
	                    "Another object with the same value for property "
	                    "userPrincipalName already exists.");
	finish(&c);
}

static void update_renames_and_reindexes(void **ctx)
{
	struct call c;

	run(*ctx, &c, "PATCH", "/v1.0/users/AdeleV@contoso.onmicrosoft.com",
	    "{\"userPrincipalName\":\"adele.vance@contoso.onmicrosoft.com\",\"jobTitle\":"
	    "\"PM\"}",
	    NULL);
	assert_int_equal(c.resp.status, 204);
	assert_int_equal(c.resp.kind, RESP_EMPTY);
	finish(&c);

	run(*ctx, &c, "GET", "/v1.0/users/AdeleV@contoso.onmicrosoft.com", NULL, NULL);
	assert_int_equal(c.resp.status, 404);
	finish(&c);

	run(*ctx, &c, "GET", "/v1.0/users/Adele.Vance@contoso.onmicrosoft.com", NULL,
	    NULL);
	assert_int_equal(c.resp.status, 200);
	assert_string_equal(json_string_value(json_object_get(c.resp.body, "jobTitle")),
	                    "PM");
	assert_string_equal(json_string_value(json_object_get(c.resp.body, "id")), ADELE);
	finish(&c);

	/* Same UPN in another case is the user's own, not a conflict. */
	run(*ctx, &c, "PATCH", "/v1.0/users/" ADELE,
	    "{\"userPrincipalName\":\"ADELE.VANCE@contoso.onmicrosoft.com\"}", NULL);
	assert_int_equal(c.resp.status, 204);
	finish(&c);
}

static void delete_cascades_memberships(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct call c;

	assert_true(
	    state_member_has(state_dobj_find(st, t, DOBJ_GROUP, DEVGROUP), ADELE));
	run(st, &c, "DELETE", "/v1.0/users/" ADELE, NULL, NULL);
	assert_int_equal(c.resp.status, 204);
	finish(&c);
	assert_false(
	    state_member_has(state_dobj_find(st, t, DOBJ_GROUP, DEVGROUP), ADELE));

	run(st, &c, "GET", "/v1.0/users/" ADELE, NULL, NULL);
	assert_int_equal(c.resp.status, 404);
	finish(&c);

	run(st, &c, "DELETE", "/v1.0/users/" ADELE, NULL, NULL);
	assert_int_equal(c.resp.status, 404);
	finish(&c);
}

/* POST and PATCH with allocation N failing, N = 0, 1, ...: all or nothing. */
static void writes_survive_allocation_failures(void **ctx)
{
	struct state *st = *ctx;
	struct tenant *t = state_tenant_default(st);
	struct call c;
	long n;

	json_set_alloc_funcs(state_malloc, state_free);
	for (n = 0; n < 10000; n++) {
		handler_budget = n;
		run(st, &c, "POST", "/v1.0/users", NEW_USER, NULL);
		handler_budget = -1;
		unsigned status = c.resp.status;
		finish(&c);
		if (status == 201)
			break;
		assert_int_equal(status, 500);
		assert_int_equal(state_dobj_count(t, DOBJ_USER), 2);
	}
	assert_true(n > 3);
	assert_int_equal(state_dobj_count(t, DOBJ_USER), 3);

	for (n = 0; n < 10000; n++) {
		handler_budget = n;
		run(st, &c, "PATCH", "/v1.0/users/" ADELE,
		    "{\"jobTitle\":\"X\",\"city\":\"Y\"}", NULL);
		handler_budget = -1;
		unsigned status = c.resp.status;
		finish(&c);
		run(st, &c, "GET", "/v1.0/users/" ADELE "?$select=jobTitle,city", NULL,
		    NULL);
		if (status == 204) {
			assert_string_equal(
			    json_string_value(json_object_get(c.resp.body, "jobTitle")),
			    "X");
			finish(&c);
			break;
		}
		assert_int_equal(status, 500);
		assert_string_equal(
		    json_string_value(json_object_get(c.resp.body, "jobTitle")),
		    "Product Marketing Manager");
		assert_true(json_is_null(json_object_get(c.resp.body, "city")));
		finish(&c);
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
	    cmocka_unit_test_setup_teardown(create_rejects_duplicate_upn, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(create_rejects_bad_bodies, setup, teardown),
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
