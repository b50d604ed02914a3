/*
 * server/reset_rewind_test.c - resets that rewind (state/rewind.h): after
 * writes through every kind of route, a reset gives back exactly the tenant
 * the fixture built (its export compared here, and by the check mode every
 * test server runs in), the whole reset draws the same ids again, and a
 * tenant whose record cannot say how to go back is rebuilt instead.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../state/load/tenants.h"
#include "../state/rewind.h"
#include "http_testutil.h"
#include "srv.h"

#define TENANT  "2dd67af8-8f6d-47d9-86d2-56d41895239d"
#define ADMIN   "33c3317d-939c-4e2f-855a-95aa465db42a"
#define ADELE   "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define GROUP   "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define APP     "ebcfd23c-7aec-4030-8ffc-e1a1fd7ab9e8"
#define APP_SP  "ffd74704-8647-49d6-8a03-b6b5cf8ce61d"
#define NO_ROLE "00000000-0000-0000-0000-000000000000"
#define JSON    "application/json"

static struct srv *srv;

static int setup(void **s)
{
	struct test_server_opts opts = {.seed = 7};

	(void)s;
	srv = test_server_start(&opts);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	test_server_stop(srv);
	return 0;
}

/* @method @path answered @want; the reply is returned (free it). */
static struct test_reply *expect(const char *method, const char *path, const char *body,
                                 long want)
{
	struct test_reply *r =
	    test_call(srv, method, path, body, body ? JSON : NULL, NULL);

	if (r->status != want)
		fail_msg("%s %s: %ld, not %ld: %.*s", method, path, r->status, want,
		         (int)r->len, r->body);
	return r;
}

static void call(const char *method, const char *path, const char *body, long want)
{
	test_reply_free(expect(method, path, body, want));
}

/* "id" of the object a call made. */
static void made_id(const char *method, const char *path, const char *body, long want,
                    char out[64])
{
	struct test_reply *r = expect(method, path, body, want);
	const char *id = json_string_value(json_object_get(r->json, "id"));

	assert_non_null(id);
	snprintf(out, 64, "%s", id);
	test_reply_free(r);
}

static int by_id(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a, "id"));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b, "id"));

	return strcmp(x ? x : "", y ? y : "");
}

/* The default tenant's export, its app role assignments in id order (the
 * export lists them in the order they joined, which no API shows). */
static json_t *tenant_export(void)
{
	char *text = srv_state_dump(&srv->state);
	json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
	json_t *t = json_incref(json_array_get(json_object_get(doc, "tenants"), 0));
	json_t *arr = json_object_get(t, "appRoleAssignments");
	size_t n = json_array_size(arr);
	json_t **v = calloc(n + 1, sizeof(*v));

	free(text);
	json_decref(doc);
	assert_non_null(t);
	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof(*v), by_id);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
	return t;
}

/* The default tenant's "reset" member in /_mock/tenants/{id}. */
static void reset_info(const char **by, json_int_t *recorded)
{
	static char kept[16];
	struct test_reply *r = expect("GET", "/_mock/tenants/" TENANT, NULL, 200);
	json_t *reset = json_object_get(r->json, "reset");

	snprintf(kept, sizeof(kept), "%s",
	         json_string_value(json_object_get(reset, "by")) ?: "");
	*by = kept;
	*recorded = json_integer_value(json_object_get(reset, "changesRecorded"));
	test_reply_free(r);
}

static json_int_t rewinds(void)
{
	struct test_reply *r = expect("GET", "/_mock/health", NULL, 200);
	json_int_t n =
	    json_integer_value(json_object_get(r->json, "tenantResetsRewound"));

	test_reply_free(r);
	return n;
}

/* The default tenant cannot rewind: its reset rebuilds it (no rewind
 * counted), and the rebuilt tenant keeps a record again. */
static void reset_rebuilds_then_tracks(void)
{
	json_int_t recorded, before;
	const char *by;

	reset_info(&by, &recorded);
	assert_string_equal(by, "rebuild");
	before = rewinds();
	call("POST", "/_mock/tenants/" TENANT "/reset", NULL, 204);
	assert_int_equal(rewinds(), before);
	reset_info(&by, &recorded);
	assert_string_equal(by, "rewind");
}

/* Writes through every kind of route: objects made, changed, deleted,
 * restored and purged, edges both ways, assignments of the fixture taken
 * away, the tenant's own parts (policy, invitations, mail). */
static void write_everything(void)
{
	char user[64], group[64], app[64], sp[64], asg[64], path[256], body[512];
	struct test_reply *r;

	call("PATCH", "/v1.0/users/" ADMIN,
	     "{\"displayName\":\"Zed\",\"jobTitle\":\"x\",\"userType\":\"Guest\"}", 204);
	made_id("POST", "/v1.0/users",
	        "{\"accountEnabled\":true,\"displayName\":\"New One\",\"mailNickname\":"
	        "\"new1\",\"userPrincipalName\":\"new1@contoso.onmicrosoft.com\","
	        "\"passwordProfile\":{\"password\":\"Xx12345678!!\"}}",
	        201, user);
	snprintf(
	    body, sizeof(body),
	    "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/%s\"}",
	    user);
	call("POST", "/v1.0/groups/" GROUP "/members/$ref", body, 204);
	call("DELETE", "/v1.0/groups/" GROUP "/members/" ADELE "/$ref", NULL, 204);
	call("POST", "/v1.0/groups/" GROUP "/owners/$ref",
	     "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/users/" ADMIN "\"}", 204);
	call("PUT", "/v1.0/users/" ADELE "/manager/$ref",
	     "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/users/" ADMIN "\"}", 204);
	call("PATCH", "/v1.0/groups/" GROUP, "{\"description\":\"changed\"}", 204);
	made_id("POST", "/v1.0/groups",
	        "{\"displayName\":\"G2\",\"mailEnabled\":false,\"mailNickname\":\"g2\","
	        "\"securityEnabled\":true}",
	        201, group);
	snprintf(path, sizeof(path), "/v1.0/groups/%s/members/$ref", group);
	call("POST", path,
	     "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/users/" ADELE "\"}", 204);
	call("POST", "/v1.0/invitations",
	     "{\"invitedUserEmailAddress\":\"guest@fabrikam.com\","
	     "\"inviteRedirectUrl\":\"https://myapp.contoso.com\"}",
	     201);
	call("PATCH", "/v1.0/policies/authorizationPolicy",
	     "{\"allowInvitesFrom\":\"none\"}", 204);
	/* an assignment of the fixture's taken away, one made */
	r = expect("GET", "/v1.0/servicePrincipals/" APP_SP "/appRoleAssignments", NULL,
	           200);
	snprintf(asg, sizeof(asg), "%s",
	         json_string_value(json_object_get(
	             json_array_get(json_object_get(r->json, "value"), 0), "id")));
	test_reply_free(r);
	snprintf(path, sizeof(path),
	         "/v1.0/servicePrincipals/" APP_SP "/appRoleAssignments/%s", asg);
	call("DELETE", path, NULL, 204);
	snprintf(body, sizeof(body),
	         "{\"principalId\":\"%s\",\"resourceId\":\"" APP_SP
	         "\",\"appRoleId\":\"" NO_ROLE "\"}",
	         user);
	call("POST", "/v1.0/servicePrincipals/" APP_SP "/appRoleAssignedTo", body, 201);
	/* an application and its service principal from the gallery, given a
	 * secret; the fixture's app renamed (its service principal follows) */
	r = expect("GET", "/v1.0/applicationTemplates?$top=1", NULL, 200);
	snprintf(path, sizeof(path), "/v1.0/applicationTemplates/%s/instantiate",
	         json_string_value(json_object_get(
	             json_array_get(json_object_get(r->json, "value"), 0), "id")));
	test_reply_free(r);
	r = expect("POST", path, "{\"displayName\":\"Made app\"}", 201);
	snprintf(app, sizeof(app), "%s",
	         json_string_value(
	             json_object_get(json_object_get(r->json, "application"), "id")));
	snprintf(sp, sizeof(sp), "%s",
	         json_string_value(json_object_get(
	             json_object_get(r->json, "servicePrincipal"), "id")));
	test_reply_free(r);
	snprintf(path, sizeof(path), "/v1.0/applications/%s/addPassword", app);
	call("POST", path, "{}", 200);
	call("POST", "/v1.0/applications/" APP "/addPassword", "{}", 200);
	call("PATCH", "/v1.0/applications/" APP, "{\"displayName\":\"Renamed\"}", 204);
	snprintf(path, sizeof(path), "/v1.0/servicePrincipals/%s", sp);
	call("PATCH", path, "{\"notes\":\"made\"}", 204);
	/* deleted and restored; deleted and purged; deleted and left */
	call("DELETE", "/v1.0/users/" ADMIN, NULL, 204);
	call("POST", "/v1.0/directory/deletedItems/" ADMIN "/restore", NULL, 200);
	call("DELETE", "/v1.0/users/" ADELE, NULL, 204);
	call("DELETE", "/v1.0/directory/deletedItems/" ADELE, NULL, 204);
	call("DELETE", "/v1.0/groups/" GROUP, NULL, 204);
	snprintf(path, sizeof(path), "/v1.0/users/%s", user);
	call("DELETE", path, NULL, 204);
}

static void test_tenant_reset_rewinds_every_write(void **s)
{
	json_t *built = tenant_export(), *after;
	json_int_t recorded, before = rewinds();
	const char *by;

	(void)s;
	reset_info(&by, &recorded);
	assert_string_equal(by, "rewind");
	assert_int_equal(recorded, 0);
	write_everything();
	reset_info(&by, &recorded);
	assert_string_equal(by, "rewind");
	assert_true(recorded > 10);
	call("POST", "/_mock/tenants/" TENANT "/reset", NULL, 204);
	assert_int_equal(rewinds(), before + 1);
	after = tenant_export();
	assert_true(json_equal(built, after));
	reset_info(&by, &recorded);
	assert_int_equal(recorded, 0);
	/* the same again: the record starts over after a rewind */
	write_everything();
	call("POST", "/_mock/reset", NULL, 204);
	assert_int_equal(rewinds(), before + 2);
	json_decref(after);
	after = tenant_export();
	assert_true(json_equal(built, after));
	json_decref(built);
	json_decref(after);
}

/* A whole reset rewinds too, drops the tenants made since, and draws the ids
 * a fresh start would. */
static void test_whole_reset_draws_the_same_ids(void **s)
{
	const char *body = "{\"accountEnabled\":true,\"displayName\":\"Same\","
	                   "\"mailNickname\":\"same\",\"userPrincipalName\":"
	                   "\"same@contoso.onmicrosoft.com\",\"passwordProfile\":"
	                   "{\"password\":\"Xx12345678!!\"}}";
	char first[64], again[64];
	json_int_t before;
	struct test_reply *r;

	(void)s;
	call("POST", "/_mock/reset", NULL, 204);
	before = rewinds();
	made_id("POST", "/v1.0/users", body, 201, first);
	call("POST", "/_mock/tenants", "{}", 201);
	call("POST", "/_mock/reset", NULL, 204);
	assert_int_equal(rewinds(), before + 1);
	r = expect("GET", "/_mock/tenants", NULL, 200);
	assert_int_equal(json_array_size(json_object_get(r->json, "value")), 1);
	test_reply_free(r);
	made_id("POST", "/v1.0/users", body, 201, again);
	assert_string_equal(first, again);
}

/* A tenant replaced by a state import is rebuilt by its next reset, and
 * tracked again from there. */
static void test_imported_tenant_is_rebuilt(void **s)
{
	char err[256], *text;
	json_t *doc;

	(void)s;
	call("POST", "/_mock/reset", NULL, 204);
	text = srv_state_dump(&srv->state);
	doc = json_loads(text, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(state_replace(&srv->state, doc, err, sizeof(err)), 0);
	json_decref(doc);
	free(text);
	reset_rebuilds_then_tracks();
}

/* Past its bound the record is lost: the reset rebuilds, and gives back the
 * same tenant all the same. */
static void test_lost_record_rebuilds(void **s)
{
	json_t *built, *after;

	(void)s;
	call("POST", "/_mock/reset", NULL, 204);
	built = tenant_export();
	for (int i = 0; i <= REWIND_MIN_NOTES / 2; i++) {
		call("DELETE", "/v1.0/groups/" GROUP "/members/" ADELE "/$ref", NULL,
		     204);
		call("POST", "/v1.0/groups/" GROUP "/members/$ref",
		     "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/users/" ADELE
		     "\"}",
		     204);
	}
	reset_rebuilds_then_tracks();
	after = tenant_export();
	/* (rebuilt: what the fixture leaves to the load, such as a missing
	 * createdDateTime, is drawn again; the rest is the same) */
	assert_int_equal(json_array_size(json_object_get(after, "users")),
	                 json_array_size(json_object_get(built, "users")));
	if (!json_equal(json_object_get(after, "users"),
	                json_object_get(built, "users"))) {
		char *a = json_dumps(json_object_get(built, "users"), JSON_COMPACT);
		char *b = json_dumps(json_object_get(after, "users"), JSON_COMPACT);
		fail_msg("users built %s\nrebuilt %s", a, b);
	}
	assert_true(json_equal(json_object_get(after, "memberships"),
	                       json_object_get(built, "memberships")));
	json_decref(built);
	json_decref(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tenant_reset_rewinds_every_write),
	    cmocka_unit_test(test_whole_reset_draws_the_same_ids),
	    cmocka_unit_test(test_imported_tenant_is_rebuilt),
	    cmocka_unit_test(test_lost_record_rebuilds),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
