/*
 * server/permissions_http_test.c - per-route permissions end to end: a real
 * daemon with --auth jwt on port 0, tokens from its token endpoint for the two
 * fixture apps, libcurl. "Read-only reporting" reads but gets Graph's 403 on
 * writes; "Guest onboarding automation" runs the whole onboarding story.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../state/load/fixture.h"
#include "auth/auth.h"
#include "http/fault_apply.h"
#include "http_testutil.h"
#include "srv.h"

#define TENANT    "2dd67af8-8f6d-47d9-86d2-56d41895239d"
#define FULL_APP  "bb307b24-a6db-470e-9a3b-e58a68578312"
#define RO_APP    "0e6a4b2c-8d1f-4e3a-b5c7-9f2d6a8e1b43"
#define GRAPH_APP "00000003-0000-0000-c000-000000000000" /* an SP without grants */
#define DEV_GROUP "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define ADELE     "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define DOCUSIGN  "a729a8fd-bc83-4333-b112-11d98d23cf8f"
#define SENDER    "f4fdf2fd-6b29-435b-9165-31c0b21f9cd7"
#define JSON      "application/json"
#define SP_FULL   "ffd74704-8647-49d6-8a03-b6b5cf8ce61d" /* FULL_APP's */

static struct srv *server_start(void)
{
	struct test_server_opts o = {.seed = 1, .auth = AUTH_JWT};

	return test_server_start(&o);
}

/* @client_id's token for Graph, as a new string. */
static char *app_token(struct srv *srv, const char *client_id)
{
	return test_token(srv, TENANT, client_id,
	                  "https%3A%2F%2Fgraph.microsoft.com%2F.default");
}

/* @status, and return the reply's JSON body (borrowed from @r). */
static json_t *expect(struct test_reply *r, long status)
{
	if (r->status != status)
		print_error("got %ld: %s\n", r->status, r->body);
	assert_int_equal(r->status, status);
	return r->json;
}

/* Graph's exact 403 envelope: code, message, innerError{date, request-id, ...}. */
static void expect_403(struct srv *srv, const char *method, const char *path,
                       const char *body, const char *token)
{
	struct test_reply *r =
	    test_call(srv, method, path, body, body ? JSON : NULL, token);
	json_t *e = json_object_get(expect(r, 403), "error");
	json_t *inner = json_object_get(e, "innerError");
	const char *date = json_string_value(json_object_get(inner, "date"));

	assert_string_equal(json_string_value(json_object_get(e, "code")),
	                    "Authorization_RequestDenied");
	assert_string_equal(json_string_value(json_object_get(e, "message")),
	                    "Insufficient privileges to complete the operation.");
	assert_int_equal(json_object_size(e), 3);
	assert_non_null(date);
	assert_int_equal(strlen(date), 19); /* no Z, no fraction */
	assert_non_null(json_string_value(json_object_get(inner, "request-id")));
	assert_non_null(json_string_value(json_object_get(inner, "client-request-id")));
	assert_string_equal(r->www_auth, ""); /* a 403, not a token problem */
	test_reply_free(r);
}

#define INVITE_BODY                                                                      \
	"{\"invitedUserEmailAddress\": \"guest.perms@fabrikam.example\", "               \
	"\"inviteRedirectUrl\": \"https://myapps.microsoft.com\"}"

static void test_read_only_app(void **s)
{
	struct srv *srv = server_start();
	char *tok = app_token(srv, RO_APP);
	struct test_reply *r;

	(void)s;
	r = test_call(srv, "GET", "/v1.0/users", NULL, NULL, tok);
	assert_true(json_array_size(json_object_get(expect(r, 200), "value")) >= 2);
	test_reply_free(r);
	r = test_call(srv, "GET", "/v1.0/users/" ADELE, NULL, NULL, tok);
	expect(r, 200);
	test_reply_free(r);
	r = test_call(srv, "GET", "/v1.0/groups/" DEV_GROUP "/members", NULL, NULL, tok);
	assert_int_equal(json_array_size(json_object_get(expect(r, 200), "value")), 1);
	test_reply_free(r);

	expect_403(srv, "POST", "/v1.0/invitations", INVITE_BODY, tok);
	expect_403(srv, "POST", "/v1.0/groups/" DEV_GROUP "/members/$ref",
	           "{\"@odata.id\": \"https://graph.microsoft.com/v1.0/directoryObjects/"
	           "33c3317d-939c-4e2f-855a-95aa465db42a\"}",
	           tok);
	expect_403(srv, "POST", "/v1.0/groups",
	           "{\"displayName\": \"x\", \"mailEnabled\": false, "
	           "\"mailNickname\": \"x\", \"securityEnabled\": true}",
	           tok);
	expect_403(srv, "GET", "/beta/servicePrincipals", NULL, tok);
	expect_403(srv, "DELETE", "/v1.0/users/" ADELE, NULL, tok);
	/* User.Read.All and GroupMember.Read.All together: checkMemberGroups of a
	 * user, as the pages list (issue 10); memberOf needs Directory.Read.All. */
	r = test_call(srv, "POST", "/v1.0/directoryObjects/" ADELE "/checkMemberGroups",
	              "{\"groupIds\": [\"" DEV_GROUP "\"]}", JSON, tok);
	assert_int_equal(json_array_size(json_object_get(expect(r, 200), "value")), 1);
	test_reply_free(r);
	r = test_call(srv, "POST", "/v1.0/users/" ADELE "/getMemberGroups",
	              "{\"securityEnabledOnly\": false}", JSON, tok);
	expect(r, 200);
	test_reply_free(r);
	r = test_call(srv, "GET", "/v1.0/users/" ADELE "/transitiveMemberOf", NULL, NULL,
	              tok);
	expect(r, 200);
	test_reply_free(r);
	expect_403(srv, "GET", "/v1.0/users/" ADELE "/memberOf", NULL, tok);

	/* Nothing was written: Developer group still has its one member. */
	r = test_call(srv, "GET", "/v1.0/groups/" DEV_GROUP "/members", NULL, NULL, tok);
	assert_int_equal(json_array_size(json_object_get(expect(r, 200), "value")), 1);
	test_reply_free(r);
	free(tok);
	test_server_stop(srv);
}

static void test_token_without_roles(void **s)
{
	struct srv *srv = server_start();
	/* Microsoft Graph's own app holds no Graph roles: minted, since its
	 * application (and so its secret) lives in Microsoft's tenant */
	struct test_reply *r = test_call(srv, "POST", "/_mock/tokens",
	                                 "{\"clientId\": \"" GRAPH_APP "\"}", JSON, NULL);
	char *tok =
	    strdup(json_string_value(json_object_get(expect(r, 200), "access_token")));

	(void)s;
	assert_int_equal(
	    json_array_size(json_object_get(json_object_get(r->json, "claims"), "roles")),
	    0);
	test_reply_free(r);
	/* any valid token reads templates, but not one with neither roles nor scp */
	expect_403(srv, "GET", "/v1.0/applicationTemplates", NULL, tok);
	expect_403(srv, "GET", "/v1.0/users", NULL, tok);
	r = test_call(srv, "GET", "/v1.0/$metadata", NULL, NULL, tok);
	expect(r, 200);
	test_reply_free(r);
	/* still a 401 first for a missing token */
	r = test_call(srv, "POST", "/v1.0/invitations", INVITE_BODY, JSON, NULL);
	expect(r, 401);
	test_reply_free(r);
	free(tok);
	test_server_stop(srv);
}

/* POST @body to @path, expect 201, return a new copy of the string at @key.@sub. */
static char *create(struct srv *srv, const char *tok, const char *path, const char *body,
                    const char *key, const char *sub)
{
	struct test_reply *r = test_call(srv, "POST", path, body, JSON, tok);
	json_t *v = json_object_get(expect(r, 201), key);
	char *out;

	if (sub)
		v = json_object_get(v, sub);
	out = strdup(json_string_value(v));
	test_reply_free(r);
	return out;
}

static void test_onboarding_story(void **s)
{
	struct srv *srv = server_start();
	char *tok = app_token(srv, FULL_APP);
	char *uid, *sp, *again, path[256], body[512];
	struct test_reply *r;

	(void)s;
	r = test_call(
	    srv, "GET",
	    "/v1.0/applicationTemplates?$filter=displayName%20eq%20%27DocuSign%27", NULL,
	    NULL, tok);
	expect(r, 200);
	test_reply_free(r);
	uid = create(srv, tok, "/v1.0/invitations", INVITE_BODY, "invitedUser", "id");
	snprintf(path, sizeof(path), "/v1.0/users/%s", uid);
	r = test_call(srv, "GET", path, NULL, NULL, tok);
	expect(r, 200);
	test_reply_free(r);

	snprintf(
	    body, sizeof(body),
	    "{\"@odata.id\": \"https://graph.microsoft.com/v1.0/directoryObjects/%s\"}",
	    uid);
	r = test_call(srv, "POST", "/v1.0/groups/" DEV_GROUP "/members/$ref", body, JSON,
	              tok);
	expect(r, 204);
	test_reply_free(r);

	sp = create(srv, tok, "/v1.0/applicationTemplates/" DOCUSIGN "/instantiate",
	            "{\"displayName\": \"DocuSign\"}", "servicePrincipal", "id");
	snprintf(path, sizeof(path), "/v1.0/servicePrincipals/%s/appRoleAssignedTo", sp);
	snprintf(
	    body, sizeof(body),
	    "{\"principalId\": \"%s\", \"resourceId\": \"%s\", \"appRoleId\": \"" SENDER
	    "\"}",
	    uid, sp);
	r = test_call(srv, "POST", path, body, JSON, tok);
	assert_string_equal(
	    json_string_value(json_object_get(expect(r, 201), "principalId")), uid);
	test_reply_free(r);
	r = test_call(srv, "GET", path, NULL, NULL, tok);
	assert_int_equal(json_array_size(json_object_get(expect(r, 200), "value")), 1);
	test_reply_free(r);

	/* re-invite: the same guest again */
	again = create(srv, tok, "/v1.0/invitations", INVITE_BODY, "invitedUser", "id");
	assert_string_equal(again, uid);
	free(again);
	free(sp);
	free(uid);
	free(tok);
	test_server_stop(srv);
}

/* A token minted by POST /_mock/tokens from @body, as a new string. */
static char *minted(struct srv *srv, const char *body)
{
	struct test_reply *r = test_call(srv, "POST", "/_mock/tokens", body, JSON, NULL);
	char *tok =
	    strdup(json_string_value(json_object_get(expect(r, 200), "access_token")));

	test_reply_free(r);
	return tok;
}

#define ADMIN     "33c3317d-939c-4e2f-855a-95aa465db42a"
#define ONBOARD   "ebcfd23c-7aec-4030-8ffc-e1a1fd7ab9e8" /* FULL_APP's application */
#define OWNER_REF "{\"@odata.id\": \"https://graph.microsoft.com/v1.0/users/" ADELE "\"}"

/*
 * Owners of applications (application-list-owners, -post-owners,
 * -delete-owners) and user-list-ownedobjects, as their pages list them.
 */
static void test_owner_permissions(void **s)
{
	struct srv *srv = server_start();
	char *full = app_token(srv, FULL_APP), *ro = app_token(srv, RO_APP);
	char *both =
	    minted(srv, "{\"clientId\": \"" FULL_APP "\", \"roles\": "
	                "[\"Application.ReadWrite.All\", \"Directory.Read.All\"]}");
	char *adele = minted(srv, "{\"clientId\": \"" RO_APP "\", \"user\": \"" ADELE
	                          "\", \"scp\": [\"User.Read\"]}");
	struct test_reply *r;

	(void)s;
	/* reading owners: Application.Read.All or more (ReadWrite grants Read) */
	r = test_call(srv, "GET", "/v1.0/applications/" ONBOARD "/owners", NULL, NULL,
	              full);
	expect(r, 200);
	test_reply_free(r);
	expect_403(srv, "GET", "/v1.0/applications/" ONBOARD "/owners", NULL, ro);
	/* adding one: "Application.ReadWrite.All and Directory.Read.All" */
	expect_403(srv, "POST", "/v1.0/applications/" ONBOARD "/owners/$ref", OWNER_REF,
	           full);
	r = test_call(srv, "POST", "/v1.0/applications/" ONBOARD "/owners/$ref",
	              OWNER_REF, JSON, both);
	expect(r, 204);
	test_reply_free(r);
	/* removing one: Application.ReadWrite.All alone */
	expect_403(srv, "DELETE",
	           "/v1.0/servicePrincipals/" SP_FULL "/owners/" ADELE "/$ref", NULL, ro);
	r = test_call(srv, "DELETE",
	              "/v1.0/applications/" ONBOARD "/owners/" ADELE "/$ref", NULL, NULL,
	              full);
	expect(r, 204);
	test_reply_free(r);
	/* ownedObjects: delegated only ("Not supported." for applications);
	 * User.Read reads the signed-in user's own */
	expect_403(srv, "GET", "/v1.0/users/" ADELE "/ownedObjects", NULL, both);
	r = test_call(srv, "GET", "/v1.0/users/" ADELE "/ownedObjects", NULL, NULL,
	              adele);
	expect(r, 200);
	test_reply_free(r);
	r = test_call(srv, "GET", "/v1.0/me/ownedObjects", NULL, NULL, adele);
	expect(r, 200);
	test_reply_free(r);
	expect_403(srv, "GET", "/v1.0/users/" ADMIN "/ownedObjects", NULL, adele);
	free(adele);
	free(both);
	free(ro);
	free(full);
	test_server_stop(srv);
}

static int setup(void **s)
{
	(void)s;
	curl_global_init(CURL_GLOBAL_ALL);
	return 0;
}

static int cleanup(void **s)
{
	(void)s;
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_only_app),
	    cmocka_unit_test(test_token_without_roles),
	    cmocka_unit_test(test_onboarding_story),
	    cmocka_unit_test(test_owner_permissions),
	};
	return cmocka_run_group_tests(tests, setup, cleanup);
}
