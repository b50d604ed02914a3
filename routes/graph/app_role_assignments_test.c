/*
 * routes/graph/app_role_assignments_test.c - the assignment routes through the
 * request pipeline with a real state: the §6.3 error table, the
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

#include "../../server/http_testutil.h"
#include "../../server/srv.h"
#include "../../state/model/model_app.h"

#define ADMIN        "33c3317d-939c-4e2f-855a-95aa465db42a"
#define ADELE        "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define DEV_GROUP    "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define DOCUSIGN_TPL "a729a8fd-bc83-4333-b112-11d98d23cf8f"
#define SENDER       "f4fdf2fd-6b29-435b-9165-31c0b21f9cd7"
#define VIEWER       "af42a441-1303-4862-8263-67dfa0c4229f"

struct fx {
	struct srv *srv;
	char sp[GUID_STR_LEN + 1]; /* the instantiated DocuSign service principal */
};

/* Run one request through the request pipeline (the shared test helper). */
static void call(struct fx *f, const char *method, const char *path, const char *body,
                 struct test_reply *resp)
{
	struct test_request rq = {method, path, body, body ? "application/json" : NULL,
	                          NULL,   NULL, NULL, false,
	                          0};

	test_local(f->srv, &rq, resp);
}

static const char *error_code(const struct test_reply *resp)
{
	return json_string_value(
	    json_object_get(json_object_get(resp->json, "error"), "code"));
}

static const char *error_message(const struct test_reply *resp)
{
	return json_string_value(
	    json_object_get(json_object_get(resp->json, "error"), "message"));
}

static int setup(void **state)
{
	struct test_server_opts opts = {.seed = 1};
	struct fx *f = calloc(1, sizeof(*f));
	struct test_reply resp;

	assert_non_null(f);
	f->srv = test_srv_new(&opts);
	snprintf(f->srv->cfg.public_url, sizeof(f->srv->cfg.public_url),
	         "http://mock.test");
	call(f, "POST", "/v1.0/applicationTemplates/" DOCUSIGN_TPL "/instantiate",
	     "{\"displayName\": \"DocuSign\"}", &resp);
	assert_int_equal(resp.status, 201);
	json_t *sp = json_object_get(resp.json, "servicePrincipal");
	snprintf(f->sp, sizeof(f->sp), "%s",
	         json_string_value(json_object_get(sp, "id")));
	assert_true(guid_valid(f->sp));
	assert_string_equal(
	    json_string_value(json_object_get(sp, "applicationTemplateId")),
	    DOCUSIGN_TPL);
	assert_int_equal(json_array_size(json_object_get(sp, "appRoles")), 4);
	test_reply_release(&resp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	test_srv_free(f->srv);
	free(f);
	return 0;
}

/* POST /servicePrincipals/{sp}/appRoleAssignedTo with the given ids. */
static void assign(struct fx *f, const char *principal, const char *resource,
                   const char *role, struct test_reply *resp)
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
	struct test_reply resp;
	const char *id;

	assign(f, ADMIN, f->sp, SENDER, &resp);
	assert_int_equal(resp.status, 201);
	snprintf(
	    ctx, sizeof(ctx),
	    "http://mock.test/v1.0/$metadata#servicePrincipals('%s')/appRoleAssignedTo/"
	    "$entity",
	    f->sp);
	assert_string_equal(
	    json_string_value(json_object_get(resp.json, "@odata.context")), ctx);
	id = json_string_value(json_object_get(resp.json, "id"));
	assert_int_equal(model_assignment_id_principal(id, pid), 0);
	assert_string_equal(pid, ADMIN);
	assert_string_equal(
	    json_string_value(json_object_get(resp.json, "principalType")), "User");
	assert_true(resp.location[0] != '\0');
	test_reply_release(&resp);

	assign(f, ADMIN, f->sp, SENDER, &resp);
	assert_int_equal(resp.status, 400);
	assert_string_equal(error_code(&resp), "Request_BadRequest");
	assert_string_equal(error_message(&resp),
	                    "Permission being assigned already exists on the object");
	test_reply_release(&resp);
}

/* Stored assignments, all or those on resource @resource_id (the fixture has some). */
static size_t count_assignments(struct fx *f, const char *resource_id)
{
	const struct assignment *a;
	size_t n = 0;

	for (a = state_tenant_default(&f->srv->state)->assignments; a; a = a->hh.next)
		n += !resource_id || !strcmp(a->resource_id, resource_id);
	return n;
}

static void test_error_rows(void **state)
{
	struct fx *f = *state;
	struct test_reply resp;
	size_t before = count_assignments(f, NULL);

	assign(f, ADMIN, f->sp, "11111111-2222-3333-4444-555555555555", &resp);
	assert_int_equal(resp.status, 400);
	assert_string_equal(error_message(&resp),
	                    "Permission being assigned was not found on application.");
	test_reply_release(&resp);

	assign(f, ADMIN, f->sp, MODEL_DEFAULT_ACCESS_ROLE, &resp);
	assert_int_equal(resp.status, 400);
	assert_string_equal(error_message(&resp),
	                    "Permission being assigned was not found on application.");
	test_reply_release(&resp);

	assign(f, "11111111-2222-3333-4444-555555555555", f->sp, SENDER, &resp);
	assert_int_equal(resp.status, 404);
	assert_string_equal(error_code(&resp), "Request_ResourceNotFound");
	assert_non_null(
	    strstr(error_message(&resp), "11111111-2222-3333-4444-555555555555"));
	test_reply_release(&resp);

	assign(f, ADMIN, "ffd74704-8647-49d6-8a03-b6b5cf8ce61d", SENDER, &resp);
	assert_int_equal(resp.status, 400);
	assert_non_null(strstr(error_message(&resp), "resourceId"));
	test_reply_release(&resp);

	assign(f, ADMIN, f->sp, "nope", &resp);
	assert_int_equal(resp.status, 400);
	assert_non_null(strstr(error_message(&resp), "appRoleId"));
	test_reply_release(&resp);

	/* Nothing half-applied: the failures stored nothing. */
	assert_int_equal(count_assignments(f, NULL), before);
	assert_int_equal(count_assignments(f, f->sp), 0);
}

static void test_user_sees_group_assignments(void **state)
{
	struct fx *f = *state;
	struct test_reply resp;
	char path[200], body[256];

	snprintf(path, sizeof(path), "/v1.0/groups/%s/appRoleAssignments", DEV_GROUP);
	snprintf(body, sizeof(body),
	         "{\"principalId\":\"%s\",\"resourceId\":\"%s\",\"appRoleId\":\"%s\"}",
	         DEV_GROUP, f->sp, VIEWER);
	call(f, "POST", path, body, &resp);
	assert_int_equal(resp.status, 201);
	test_reply_release(&resp);

	/* Adele is a direct member of the Developer group; the admin is not. */
	call(f, "GET", "/v1.0/users/" ADELE "/appRoleAssignments", NULL, &resp);
	assert_int_equal(resp.status, 200);
	assert_int_equal(json_array_size(json_object_get(resp.json, "value")), 1);
	test_reply_release(&resp);
	call(f, "GET", "/v1.0/users/admin@contoso.onmicrosoft.com/appRoleAssignments",
	     NULL, &resp);
	assert_int_equal(resp.status, 200);
	assert_int_equal(json_array_size(json_object_get(resp.json, "value")), 0);
	test_reply_release(&resp);

	/* The principal side refuses a principalId other than the path's. */
	call(f, "POST", "/v1.0/users/" ADMIN "/appRoleAssignments", body, &resp);
	assert_int_equal(resp.status, 400);
	assert_non_null(strstr(error_message(&resp), "principalId"));
	test_reply_release(&resp);
}

static void test_delete_and_cascade(void **state)
{
	struct fx *f = *state;
	struct test_reply resp;
	char path[200], id[64];

	assign(f, ADELE, f->sp, SENDER, &resp);
	assert_int_equal(resp.status, 201);
	snprintf(id, sizeof(id), "%s",
	         json_string_value(json_object_get(resp.json, "id")));
	test_reply_release(&resp);

	snprintf(path, sizeof(path), "/v1.0/servicePrincipals/%s/appRoleAssignedTo/%s",
	         f->sp, id);
	call(f, "GET", path, NULL, &resp);
	assert_int_equal(resp.status, 200);
	test_reply_release(&resp);
	call(f, "DELETE", path, NULL, &resp);
	assert_int_equal(resp.status, 204);
	test_reply_release(&resp);
	/* Gone: Graph's entitlement 400, not a 404 */
	call(f, "DELETE", path, NULL, &resp);
	assert_int_equal(resp.status, 400);
	assert_string_equal(error_message(&resp),
	                    "EntitlementGrant being updated or deleted is not found.");
	test_reply_release(&resp);

	/* Deleting the service principal takes its assignments with it. */
	assign(f, ADELE, f->sp, SENDER, &resp);
	assert_int_equal(resp.status, 201);
	test_reply_release(&resp);
	snprintf(path, sizeof(path), "/v1.0/servicePrincipals/%s", f->sp);
	call(f, "DELETE", path, NULL, &resp);
	assert_int_equal(resp.status, 204);
	test_reply_release(&resp);
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
