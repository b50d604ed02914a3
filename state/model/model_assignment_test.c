/*
 * state/model/model_assignment_test.c - who may be given which app role
 * (model_assignment_check, graph-spec §6.3), the assignment id format, the
 * app-to-service-principal role sync, and assignments vanishing with the
 * objects they name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../state_testutil.h"
#include "model.h"
#include "model_app.h"
#include "../state.h"
#include "../load/tenants.h"

#define ADMIN            "33c3317d-939c-4e2f-855a-95aa465db42a"
#define ADELE            "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define DEV_GROUP        "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define ONBOARD_SP       "ffd74704-8647-49d6-8a03-b6b5cf8ce61d"
#define GRAPH_SP         "bd9c1ced-d13a-4ed9-8018-1d502b412f30"
#define USER_INVITE_ALL  "09850681-111b-4a89-9bed-3f2cae46d706"
#define DIRECTORY_RW_ALL "19dbc75e-c2e2-444c-a770-ec69d8559fc7"
#define SENDER           "f4fdf2fd-6b29-435b-9165-31c0b21f9cd7"
#define VIEWER           "af42a441-1303-4862-8263-67dfa0c4229f"
#define DISABLED         "5a1c0d1e-0000-4000-8000-00000000d15a"

struct fx {
	struct state st;
	struct tenant *t;
	struct dobj *docusign; /* SP with Sender, Viewer and a disabled role */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	test_state_init(&f->st, 1);
	f->t = state_tenant_default(&f->st);
	json_t *sp = json_pack(
	    "{s:s, s:s, s:[{s:s, s:[s], s:b}, {s:s, s:[s], s:b}, {s:s, s:[s], s:b}]}",
	    "displayName", "DocuSign", "appId", "0d5b8a57-1d7c-4d36-9c1e-5d2f1b8e9a01",
	    "appRoles", "id", SENDER, "allowedMemberTypes", "User", "isEnabled", 1, "id",
	    VIEWER, "allowedMemberTypes", "User", "isEnabled", 1, "id", DISABLED,
	    "allowedMemberTypes", "User", "isEnabled", 0);
	assert_int_equal(model_service_principal_complete(&f->st, f->t, sp), 0);
	f->docusign = state_dobj_add(&f->st, f->t, DOBJ_SERVICE_PRINCIPAL, sp);
	assert_non_null(f->docusign);
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

static struct dobj *obj(struct fx *f, const char *id)
{
	struct dobj *d = state_dobj_find(&f->st, f->t, -1, id);

	assert_non_null(d);
	return d;
}

static struct assignment *assign(struct fx *f, struct dobj *p, struct dobj *r,
                                 const char *role)
{
	char id[64];
	json_t *o = model_assignment_new(&f->st, p, r, role, id);

	assert_non_null(o);
	return state_assignment_add(&f->st, f->t, id, p->id, r->id, role, o);
}

static void test_id_decodes_to_principal(void **state)
{
	struct fx *f = *state;
	char id[64], back[GUID_STR_LEN + 1];
	json_t *o = model_assignment_new(&f->st, obj(f, ADMIN), f->docusign, SENDER, id);

	assert_non_null(o);
	assert_int_equal(strlen(id), 43);
	assert_null(strpbrk(id, "+/="));
	assert_string_equal(json_string_value(json_object_get(o, "id")), id);
	assert_int_equal(model_assignment_id_principal(id, back), 0);
	assert_string_equal(back, ADMIN);
	/* The documented example of graph-spec §6.3. */
	assert_int_equal(model_assignment_id_principal(
	                     "-WmtM5na7Uus0D8kI1yylpU9Mdo0Pb9OoBJvd3T5eKc", back),
	                 0);
	assert_string_equal(back, "33ad69f9-da99-4bed-acd0-3f24235cb296");
	assert_int_equal(model_assignment_id_principal("short", back), -1);
	assert_int_equal(model_assignment_id_principal(
	                     "-WmtM5na7Uus0D8kI1yylpU9Mdo0Pb9OoBJvd3T5eK=", back),
	                 -1);
	json_decref(o);
}

static void test_object_shape(void **state)
{
	struct fx *f = *state;
	char id[64];
	json_t *o =
	    model_assignment_new(&f->st, obj(f, DEV_GROUP), f->docusign, SENDER, id);
	const char *created;

	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "principalType")),
	                    "Group");
	assert_string_equal(json_string_value(json_object_get(o, "principalDisplayName")),
	                    "Developer group");
	assert_string_equal(json_string_value(json_object_get(o, "resourceDisplayName")),
	                    "DocuSign");
	assert_true(json_is_null(json_object_get(o, "deletedDateTime")));
	created = json_string_value(json_object_get(o, "createdDateTime"));
	assert_non_null(created);
	/* 2021-02-15T16:14:59.8643039Z: seven fractional digits. */
	assert_int_equal(strlen(created), 28);
	assert_int_equal(created[19], '.');
	json_decref(o);
}

static void test_check_roles(void **state)
{
	struct fx *f = *state;
	struct dobj *admin = obj(f, ADMIN), *group = obj(f, DEV_GROUP);
	struct dobj *app_sp = obj(f, ONBOARD_SP), *graph = obj(f, GRAPH_SP);

	assert_int_equal(model_assignment_check(f->t, admin, f->docusign, SENDER),
	                 ASSIGN_OK);
	assert_int_equal(model_assignment_check(f->t, admin, f->docusign,
	                                        "F4FDF2FD-6B29-435B-9165-31C0B21F9CD7"),
	                 ASSIGN_OK);
	assert_int_equal(model_assignment_check(f->t, group, f->docusign, VIEWER),
	                 ASSIGN_OK);
	/* "User" roles are not for service principals, "Application" roles not for users.
	 */
	assert_int_equal(model_assignment_check(f->t, app_sp, f->docusign, SENDER),
	                 ASSIGN_ROLE_NOT_FOUND);
	/* (the fixture already grants it User.Invite.All: a duplicate) */
	assert_int_equal(model_assignment_check(f->t, app_sp, graph, DIRECTORY_RW_ALL),
	                 ASSIGN_OK);
	assert_int_equal(model_assignment_check(f->t, admin, graph, USER_INVITE_ALL),
	                 ASSIGN_ROLE_NOT_FOUND);
	assert_int_equal(model_assignment_check(f->t, admin, f->docusign, DISABLED),
	                 ASSIGN_ROLE_NOT_FOUND);
	assert_int_equal(
	    model_assignment_check(f->t, admin, f->docusign, USER_INVITE_ALL),
	    ASSIGN_ROLE_NOT_FOUND);
	assert_int_equal(model_assignment_check(f->t, admin, f->docusign, "not-a-guid"),
	                 ASSIGN_ROLE_NOT_FOUND);
}

static void test_default_access(void **state)
{
	struct fx *f = *state;

	/* Only where the resource declares no app roles. */
	assert_int_equal(model_assignment_check(f->t, obj(f, ADMIN), obj(f, ONBOARD_SP),
	                                        MODEL_DEFAULT_ACCESS_ROLE),
	                 ASSIGN_OK);
	assert_int_equal(model_assignment_check(f->t, obj(f, ADMIN), f->docusign,
	                                        MODEL_DEFAULT_ACCESS_ROLE),
	                 ASSIGN_ROLE_NOT_FOUND);
}

static void test_duplicate(void **state)
{
	struct fx *f = *state;
	struct dobj *admin = obj(f, ADMIN);

	assert_non_null(assign(f, admin, f->docusign, SENDER));
	assert_int_equal(model_assignment_check(f->t, admin, f->docusign, SENDER),
	                 ASSIGN_DUPLICATE);
	/* Another role, or another principal, is not a duplicate. */
	assert_int_equal(model_assignment_check(f->t, admin, f->docusign, VIEWER),
	                 ASSIGN_OK);
	assert_int_equal(model_assignment_check(f->t, obj(f, ADELE), f->docusign, SENDER),
	                 ASSIGN_OK);
}

static void test_cascade_on_remove(void **state)
{
	struct fx *f = *state;
	struct dobj *adele = obj(f, ADELE);
	unsigned base = HASH_COUNT(f->t->assignments); /* the fixture's Graph grants */

	assert_non_null(assign(f, adele, f->docusign, SENDER));
	assert_non_null(assign(f, obj(f, ADMIN), f->docusign, VIEWER));
	assert_int_equal(HASH_COUNT(f->t->assignments), base + 2);
	state_dobj_remove(f->t, adele);
	assert_int_equal(HASH_COUNT(f->t->assignments), base + 1);
	state_dobj_remove(f->t, f->docusign);
	assert_int_equal(HASH_COUNT(f->t->assignments), base);
	f->docusign = NULL;
}

static void test_refresh_names(void **state)
{
	struct fx *f = *state;
	struct assignment *a = assign(f, obj(f, ADMIN), f->docusign, SENDER);

	assert_non_null(a);
	json_object_set_new(state_dobj_json(obj(f, ADMIN)), "displayName",
	                    json_string("Renamed"));
	model_assignment_refresh(f->t, a);
	assert_string_equal(
	    json_string_value(json_object_get(a->obj, "principalDisplayName")),
	    "Renamed");
}

static void test_sp_sync_keeps_own_roles(void **state)
{
	struct fx *f = *state;
	json_t *roles = json_object_get(state_dobj_json(f->docusign), "appRoles");
	json_t *app_roles =
	    json_pack("[{s:s, s:s}]", "id", VIEWER, "origin", "Application");

	json_object_set_new(json_array_get(roles, 0), "origin",
	                    json_string("ServicePrincipal"));
	json_object_set_new(json_array_get(roles, 1), "origin",
	                    json_string("ServicePrincipal"));
	assert_int_equal(model_sp_sync_app_roles(f->docusign, app_roles), 0);
	roles = json_object_get(state_dobj_json(f->docusign), "appRoles");
	/* The app's Viewer wins over the SP's Viewer; the SP's own Sender stays. */
	assert_int_equal(json_array_size(roles), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(roles, 0), "id")), VIEWER);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(roles, 0), "origin")),
	    "Application");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(roles, 1), "id")), SENDER);
	json_decref(app_roles);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_id_decodes_to_principal, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_object_shape, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_check_roles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_default_access, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cascade_on_remove, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refresh_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sp_sync_keeps_own_roles, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
