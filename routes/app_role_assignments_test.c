/*
 * routes/app_role_assignments_test.c - the assignment handlers called
 * through the real router with a real state: the §6.3 error table, the
 * principal side (a user sees its direct groups' assignments), delete, and
 * removal of assignments together with their principal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../state/state_testutil.h"
#include "../server/odata.h"
#include "../server/req.h"
#include "../server/resp.h"
#include "../server/router.h"
#include "../state/model_app.h"
#include "registry.h"

#define ADMIN        "33c3317d-939c-4e2f-855a-95aa465db42a"
#define ADELE        "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define DEV_GROUP    "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define DOCUSIGN_TPL "a729a8fd-bc83-4333-b112-11d98d23cf8f"
#define SENDER       "f4fdf2fd-6b29-435b-9165-31c0b21f9cd7"
#define VIEWER       "af42a441-1303-4862-8263-67dfa0c4229f"

struct fx {
	struct state st;
	char sp[GUID_STR_LEN + 1]; /* the instantiated DocuSign service principal */
};

/* Run one request through router_match and the handler; fills @resp. */
static void call(struct fx *f, const char *method, const char *path, const char *body,
                 struct resp *resp)
{
	struct req req;
	struct route_match m;

	req_init(&req);
	assert_int_equal(req_set_path(&req, path), 0);
	snprintf(req.method, sizeof(req.method), "%s", method);
	snprintf(req.base_url, sizeof(req.base_url), "http://mock.test");
	resp_init(resp, &req);
	router_match(graph_route_tables, method, &req, &m);
	assert_non_null(m.route);
	if (body) {
		req.body = json_loads(body, 0, NULL);
		assert_non_null(req.body);
	}
	if (!(m.route->flags & ROUTE_ODATA) ||
	    !odata_query_parse(&req.odata, m.route->entity, &req, resp)) {
		req.tenant = state_tenant_default(&f->st);
		m.route->fn(&f->st, &req, resp);
	}
	req_release(&req);
}

static const char *error_code(const struct resp *resp)
{
	return json_string_value(
	    json_object_get(json_object_get(resp->body, "error"), "code"));
}

static const char *error_message(const struct resp *resp)
{
	return json_string_value(
	    json_object_get(json_object_get(resp->body, "error"), "message"));
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct resp resp;

	assert_non_null(f);
	test_state_init(&f->st, 1);
	call(f, "POST", "/v1.0/applicationTemplates/" DOCUSIGN_TPL "/instantiate",
	     "{\"displayName\": \"DocuSign\"}", &resp);
	assert_int_equal(resp.status, 201);
	json_t *sp = json_object_get(resp.body, "servicePrincipal");
	snprintf(f->sp, sizeof(f->sp), "%s",
	         json_string_value(json_object_get(sp, "id")));
	assert_true(guid_valid(f->sp));
	assert_string_equal(
	    json_string_value(json_object_get(sp, "applicationTemplateId")),
	    DOCUSIGN_TPL);
	assert_int_equal(json_array_size(json_object_get(sp, "appRoles")), 4);
	resp_release(&resp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	state_release(&f->st);
	free(f);
	return 0;
}

/* POST /servicePrincipals/{sp}/appRoleAssignedTo with the given ids. */
static void assign(struct fx *f, const char *principal, const char *resource,
                   const char *role, struct resp *resp)
{
	char path[160], body[256];

	snprintf(path, sizeof(path), "/v1.0/servicePrincipals/%s/appRoleAssignedTo",
	         f->sp);
	snprintf(body, sizeof(body),
	         "{\"principalId\":\"%s\",\"resourceId\":\"%s\",\"appRoleId\":\"%s\"}",
	         principal, resource, role);
	call(f, "POST", path, body, resp);
}

static void test_create_and_duplicate(void **state)
{
	struct fx *f = *state;
	char ctx[200], pid[GUID_STR_LEN + 1];
	struct resp resp;
	const char *id;

	assign(f, ADMIN, f->sp, SENDER, &resp);
	assert_int_equal(resp.status, 201);
	snprintf(
	    ctx, sizeof(ctx),
	    "http://mock.test/v1.0/$metadata#servicePrincipals('%s')/appRoleAssignedTo/"
	    "$entity",
	    f->sp);
	assert_string_equal(
	    json_string_value(json_object_get(resp.body, "@odata.context")), ctx);
	id = json_string_value(json_object_get(resp.body, "id"));
	assert_int_equal(model_assignment_id_principal(id, pid), 0);
	assert_string_equal(pid, ADMIN);
	assert_string_equal(
	    json_string_value(json_object_get(resp.body, "principalType")), "User");
	assert_non_null(resp_header_get(&resp, "Location"));
	resp_release(&resp);

	assign(f, ADMIN, f->sp, SENDER, &resp);
	assert_int_equal(resp.status, 400);
	assert_string_equal(error_code(&resp), "Request_BadRequest");
	assert_string_equal(error_message(&resp),
	                    "Permission being assigned already exists on the object.");
	resp_release(&resp);
}

/* Stored assignments, all or those on resource @resource_id (the fixture has some). */
static size_t count_assignments(struct fx *f, const char *resource_id)
{
	const struct assignment *a;
	size_t n = 0;

	for (a = state_tenant_default(&f->st)->assignments; a; a = a->hh.next)
		n += !resource_id || !strcmp(a->resource_id, resource_id);
	return n;
}

static void test_error_rows(void **state)
{
	struct fx *f = *state;
	struct resp resp;
	size_t before = count_assignments(f, NULL);

	assign(f, ADMIN, f->sp, "11111111-2222-3333-4444-555555555555", &resp);
	assert_int_equal(resp.status, 400);
	assert_string_equal(error_message(&resp),
	                    "Permission being assigned was not found on application.");
	resp_release(&resp);

	assign(f, ADMIN, f->sp, MODEL_DEFAULT_ACCESS_ROLE, &resp);
	assert_int_equal(resp.status, 400);
	assert_string_equal(error_message(&resp),
	                    "Permission being assigned was not found on application.");
	resp_release(&resp);

	assign(f, "11111111-2222-3333-4444-555555555555", f->sp, SENDER, &resp);
	assert_int_equal(resp.status, 404);
	assert_string_equal(error_code(&resp), "Request_ResourceNotFound");
	assert_non_null(
	    strstr(error_message(&resp), "11111111-2222-3333-4444-555555555555"));
	resp_release(&resp);

	assign(f, ADMIN, "ffd74704-8647-49d6-8a03-b6b5cf8ce61d", SENDER, &resp);
	assert_int_equal(resp.status, 400);
	assert_non_null(strstr(error_message(&resp), "resourceId"));
	resp_release(&resp);

	assign(f, ADMIN, f->sp, "nope", &resp);
	assert_int_equal(resp.status, 400);
	assert_non_null(strstr(error_message(&resp), "appRoleId"));
	resp_release(&resp);

	/* Nothing half-applied: the failures stored nothing. */
	assert_int_equal(count_assignments(f, NULL), before);
	assert_int_equal(count_assignments(f, f->sp), 0);
}

static void test_user_sees_group_assignments(void **state)
{
	struct fx *f = *state;
	struct resp resp;
	char path[200], body[256];

	snprintf(path, sizeof(path), "/v1.0/groups/%s/appRoleAssignments", DEV_GROUP);
	snprintf(body, sizeof(body),
	         "{\"principalId\":\"%s\",\"resourceId\":\"%s\",\"appRoleId\":\"%s\"}",
	         DEV_GROUP, f->sp, VIEWER);
	call(f, "POST", path, body, &resp);
	assert_int_equal(resp.status, 201);
	resp_release(&resp);

	/* Adele is a direct member of the Developer group; the admin is not. */
	call(f, "GET", "/v1.0/users/" ADELE "/appRoleAssignments", NULL, &resp);
	assert_int_equal(resp.status, 200);
	assert_int_equal(json_array_size(json_object_get(resp.body, "value")), 1);
	resp_release(&resp);
	call(f, "GET", "/v1.0/users/admin@contoso.onmicrosoft.com/appRoleAssignments",
	     NULL, &resp);
	assert_int_equal(resp.status, 200);
	assert_int_equal(json_array_size(json_object_get(resp.body, "value")), 0);
	resp_release(&resp);

	/* The principal side refuses a principalId other than the path's. */
	call(f, "POST", "/v1.0/users/" ADMIN "/appRoleAssignments", body, &resp);
	assert_int_equal(resp.status, 400);
	assert_non_null(strstr(error_message(&resp), "principalId"));
	resp_release(&resp);
}

static void test_delete_and_cascade(void **state)
{
	struct fx *f = *state;
	struct resp resp;
	char path[200], id[64];

	assign(f, ADELE, f->sp, SENDER, &resp);
	assert_int_equal(resp.status, 201);
	snprintf(id, sizeof(id), "%s",
	         json_string_value(json_object_get(resp.body, "id")));
	resp_release(&resp);

	snprintf(path, sizeof(path), "/v1.0/servicePrincipals/%s/appRoleAssignedTo/%s",
	         f->sp, id);
	call(f, "GET", path, NULL, &resp);
	assert_int_equal(resp.status, 200);
	resp_release(&resp);
	call(f, "DELETE", path, NULL, &resp);
	assert_int_equal(resp.status, 204);
	resp_release(&resp);
	call(f, "DELETE", path, NULL, &resp);
	assert_int_equal(resp.status, 404);
	resp_release(&resp);

	/* Deleting the service principal takes its assignments with it. */
	assign(f, ADELE, f->sp, SENDER, &resp);
	assert_int_equal(resp.status, 201);
	resp_release(&resp);
	snprintf(path, sizeof(path), "/v1.0/servicePrincipals/%s", f->sp);
	call(f, "DELETE", path, NULL, &resp);
	assert_int_equal(resp.status, 204);
	resp_release(&resp);
	assert_int_equal(count_assignments(f, f->sp), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_and_duplicate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_error_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_user_sees_group_assignments, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_delete_and_cascade, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
