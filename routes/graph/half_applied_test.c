/*
 * routes/graph/half_applied_test.c - every write route, given a request that fails
 * validation late (after valid properties, a good bind before a bad one, the
 * second rule or tenant of a list), must answer an error and change nothing:
 * the exported state, the fault rules, the mailbox and the clock are compared
 * byte for byte before and after, through the real request pipeline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../server/http_testutil.h"
#include "../../server/srv.h"

#define ADMIN    "33c3317d-939c-4e2f-855a-95aa465db42a"
#define ADELE    "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define GROUP    "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define APP      "ebcfd23c-7aec-4030-8ffc-e1a1fd7ab9e8"
#define SP       "ffd74704-8647-49d6-8a03-b6b5cf8ce61d"
#define DOCUSIGN "a729a8fd-bc83-4333-b112-11d98d23cf8f"
#define SENDER   "f4fdf2fd-6b29-435b-9165-31c0b21f9cd7"
#define UNKNOWN  "0badc0de-0000-4000-8000-000000000001"
#define BIND     "https://graph.microsoft.com/v1.0/directoryObjects/"

static struct srv *g_srv;

static int setup(void **s)
{
	struct test_server_opts opts = {.seed = 1};

	(void)s;
	g_srv = test_srv_new(&opts);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	test_srv_free(g_srv);
	return 0;
}

struct answer {
	unsigned status;
	char *text; /* the body, re-serialised ("" when it is not JSON) */
};

/* @method @target (query after '?') through the shared pipeline helper. */
static struct answer call(const char *method, const char *target, const char *body)
{
	static const char *const headers[] = {"ConsistencyLevel: eventual", NULL};
	struct test_request rq = {method,  target, body, "application/json", NULL, NULL,
	                          headers, false,  0};
	struct answer a = {0};
	struct test_reply r;

	test_local(g_srv, &rq, &r);
	a.status = (unsigned)r.status;
	/* A tenant's "reset" member tells how its next reset runs and how much
	 * its rewind record holds (state/rewind.h): bookkeeping of what a write
	 * looked at, not state it changed. */
	if (!strcmp(target, "/_mock/tenants")) {
		size_t i;
		json_t *t;
		json_array_foreach(json_object_get(r.json, "value"), i, t)
		    json_object_del(t, "reset");
	}
	a.text = r.json ? json_dumps(r.json, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (!a.text)
		a.text = strdup("");
	assert_non_null(a.text);
	test_reply_release(&r);
	return a;
}

/* Everything a write could touch, as one string. */
static char *fingerprint(void)
{
	struct answer mail = call("GET", "/_mock/mailbox", NULL);
	struct answer clock = call("GET", "/_mock/clock", NULL);
	struct answer faults = call("GET", "/_mock/faults", NULL);
	struct answer tenants = call("GET", "/_mock/tenants", NULL);
	char *st = srv_state_dump(&g_srv->state);
	size_t n = strlen(st) + strlen(mail.text) + strlen(clock.text) +
	           strlen(faults.text) + strlen(tenants.text) + 8;
	char *all = malloc(n);

	snprintf(all, n, "%s\n%s\n%s\n%s\n%s", st, mail.text, clock.text, faults.text,
	         tenants.text);
	free(st);
	free(mail.text);
	free(clock.text);
	free(faults.text);
	free(tenants.text);
	return all;
}

struct attack {
	const char *method;
	const char *path;
	const char *body;
};

static const struct attack attacks[] = {
    /* users */
    {"POST", "/v1.0/users",
     "{\"accountEnabled\":true,\"displayName\":\"Late\",\"mailNickname\":\"late\","
     "\"userPrincipalName\":\"late@contoso.onmicrosoft.com\",\"passwordProfile\":"
     "{\"password\":\"Late-pass-1!\"},\"zzzUnknown\":1}"},
    {"POST", "/v1.0/users",
     "{\"accountEnabled\":true,\"displayName\":\"Dup\",\"mailNickname\":\"dup\","
     "\"userPrincipalName\":\"admin@contoso.onmicrosoft.com\",\"passwordProfile\":"
     "{\"password\":\"Dup-pass-1!\"}}"},
    {"POST", "/v1.0/users",
     "{\"accountEnabled\":true,\"displayName\":\"Late\",\"mailNickname\":\"late\","
     "\"userPrincipalName\":\"late@contoso.onmicrosoft.com\",\"passwordProfile\":"
     "{\"password\":\"Late-pass-1!\"},\"otherMails\":[\"a@b.c\",5]}"},
    {"PATCH", "/v1.0/users/" ADELE,
     "{\"jobTitle\":\"changed\",\"userPrincipalName\":\"admin@contoso.onmicrosoft."
     "com\"}"},
    {"PATCH", "/v1.0/users/" ADELE,
     "{\"jobTitle\":\"changed\",\"accountEnabled\":\"yes\"}"},
    {"PATCH", "/v1.0/users/" ADELE, "{\"displayName\":\"New\",\"businessPhones\":[1]}"},
    {"PATCH", "/v1.0/users/" ADELE, "{\"displayName\":\"New\",\"id\":\"" UNKNOWN "\"}"},
    {"PATCH", "/v1.0/users/" ADELE,
     "{\"mail\":\"x@contoso.onmicrosoft.com\",\"mailNickname\":\"\"}"},
    {"DELETE", "/v1.0/users/" UNKNOWN, NULL},
    /* groups */
    {"POST", "/v1.0/groups",
     "{\"displayName\":\"Late\",\"mailEnabled\":false,\"mailNickname\":\"late\","
     "\"securityEnabled\":true,\"members@odata.bind\":[\"" BIND ADELE "\",\"" BIND UNKNOWN
     "\"]}"},
    {"POST", "/v1.0/groups",
     "{\"displayName\":\"Late\",\"mailEnabled\":false,\"mailNickname\":\"late\","
     "\"securityEnabled\":true,\"members@odata.bind\":[\"" BIND ADELE
     "\"],\"owners@odata.bind\":[\"" BIND ADMIN "\",\"bad\"]}"},
    {"POST", "/v1.0/groups",
     "{\"displayName\":\"Late\",\"mailEnabled\":false,\"mailNickname\":\"late\","
     "\"securityEnabled\":true,\"groupTypes\":[\"Unified\",7]}"},
    {"PATCH", "/v1.0/groups/" GROUP,
     "{\"description\":\"changed\",\"members@odata.bind\":[\"" BIND ADMIN
     "\",\"" BIND UNKNOWN "\"]}"},
    {"PATCH", "/v1.0/groups/" GROUP,
     "{\"description\":\"changed\",\"members@odata.bind\":[\"" BIND ADMIN
     "\",\"" BIND ADMIN "\"]}"},
    {"PATCH", "/v1.0/groups/" GROUP,
     "{\"displayName\":\"x\",\"securityEnabled\":\"no\"}"},
    {"PATCH", "/v1.0/groups/" GROUP,
     "{\"displayName\":\"x\",\"owners@odata.bind\":[\"" BIND ADMIN "\",\"" BIND GROUP
     "\"]}"},
    {"POST", "/v1.0/groups/" GROUP "/members/$ref", "{\"@odata.id\":\"" BIND ADELE "\"}"},
    {"POST", "/v1.0/groups/" GROUP "/members/$ref",
     "{\"@odata.id\":\"" BIND UNKNOWN "\"}"},
    {"POST", "/v1.0/groups/" GROUP "/members/$ref",
     "{\"@odata.id\":\"" BIND ADMIN "\",\"extra\":1}"},
    {"POST", "/v1.0/groups/" GROUP "/owners/$ref", "{\"@odata.id\":\"" BIND GROUP "\"}"},
    {"DELETE", "/v1.0/groups/" GROUP "/members/" ADMIN "/$ref", NULL},
    /* invitations */
    {"POST", "/v1.0/invitations",
     "{\"invitedUserEmailAddress\":\"late@fabrikam.com\",\"inviteRedirectUrl\":"
     "\"https://x.example\",\"sendInvitationMessage\":true,\"invitedUserMessageInfo\":"
     "{\"ccRecipients\":\"bad\"}}"},
    {"POST", "/v1.0/invitations",
     "{\"invitedUserEmailAddress\":\"late@fabrikam.com\",\"inviteRedirectUrl\":"
     "\"https://"
     "x.example\",\"sendInvitationMessage\":true,\"invitedUserType\":\"Alien\"}"},
    {"POST", "/v1.0/invitations",
     "{\"invitedUserEmailAddress\":\"late@fabrikam.com\",\"inviteRedirectUrl\":"
     "\"https://x.example\",\"invitedUser\":{\"id\":\"" UNKNOWN "\"}}"},
    {"POST", "/v1.0/invitations",
     "{\"invitedUserEmailAddress\":\"late@fabrikam.com\",\"inviteRedirectUrl\":"
     "\"https://x.example\",\"sendInvitationMessage\":true,\"zzz\":1}"},
    {"POST", "/v1.0/invitations",
     "{\"invitedUserEmailAddress\":\"late@fabrikam.com\",\"inviteRedirectUrl\":"
     "\"https://x.example\",\"invitedUserDisplayName\":5}"},
    /* apps */
    {"POST", "/v1.0/servicePrincipals", "{\"appId\":\"" UNKNOWN "\",\"tags\":[\"a\"]}"},
    {"POST", "/v1.0/servicePrincipals",
     "{\"appId\":\"bb307b24-a6db-470e-9a3b-e58a68578312\",\"tags\":[1]}"},
    {"PATCH", "/v1.0/servicePrincipals/" SP,
     "{\"notes\":\"x\",\"appRoleAssignmentRequired\":\"no\"}"},
    {"PATCH", "/v1.0/applications/" APP, "{\"displayName\":\"x\",\"zzz\":5}"},
    {"POST", "/v1.0/applications", "{\"displayName\":\"x\",\"zzz\":5}"},
    /* a certificate refused once the application is made: it goes again */
    {"POST", "/v1.0/applications",
     "{\"displayName\":\"x\",\"keyCredentials\":[{\"type\":\"AsymmetricX509Cert\","
     "\"usage\":\"Verify\",\"key\":\"MIIB\"}]}"},
    {"POST", "/v1.0/applicationTemplates/" DOCUSIGN "/instantiate",
     "{\"displayName\":5}"},
    {"POST", "/v1.0/applicationTemplates/" DOCUSIGN "/instantiate",
     "{\"displayName\":\"ok\",\"zzz\":1}"},
    {"POST", "/v1.0/servicePrincipals/" SP "/appRoleAssignedTo",
     "{\"principalId\":\"" ADELE "\",\"resourceId\":\"" SP "\",\"appRoleId\":\"" UNKNOWN
     "\"}"},
    {"POST", "/v1.0/servicePrincipals/" SP "/appRoleAssignedTo",
     "{\"principalId\":\"" UNKNOWN "\",\"resourceId\":\"" SP
     "\",\"appRoleId\":\"00000000-0000-0000-0000-000000000000\"}"},
    {"POST", "/v1.0/users/" ADELE "/appRoleAssignments",
     "{\"principalId\":\"" ADMIN "\",\"resourceId\":\"" SP
     "\",\"appRoleId\":\"00000000-0000-0000-0000-000000000000\"}"},
    {"POST", "/v1.0/directoryObjects/getByIds", "{\"ids\":5}"},
    /* the control plane */
    {"POST", "/_mock/faults",
     "[{\"id\":\"ok\",\"action\":{\"error\":\"throttled\"}},{\"action\":{\"error\":"
     "\"nope\"}}]"},
    {"POST", "/_mock/faults",
     "[{\"id\":\"dup\",\"action\":{\"error\":\"throttled\"}},{\"id\":\"dup\",\"action\":"
     "{\"error\":\"throttled\"}}]"},
    {"POST", "/_mock/tenants", "{\"domain\":\"contoso.onmicrosoft.com\"}"},
    {"POST", "/_mock/tenants", "{\"domain\":\"fresh.onmicrosoft.com\",\"zzz\":1}"},
    {"POST", "/_mock/clock", "{\"freeze\":true,\"shiftMs\":\"x\"}"},
    {"POST", "/_mock/clock", "{\"freeze\":true,\"at\":\"not a date\"}"},
    {"PUT", "/_mock/state",
     "{\"tenants\":[{\"id\":\"2dd67af8-8f6d-47d9-86d2-56d41895239d\",\"domain\":"
     "\"contoso.onmicrosoft.com\",\"users\":[]},{\"users\":[{\"id\":5}]}]}"},
    {"PUT", "/_mock/state", "{\"tenants\":[]}"},
    {"DELETE", "/_mock/tenants/" UNKNOWN, NULL},
    {"POST", "/_mock/invitations/" UNKNOWN "/redeem", NULL},
    /* change tracking: refused before anything (a log entry included) changes */
    {"POST", "/v1.0/subscriptions",
     "{\"changeType\":\"created\",\"notificationUrl\":\"http://127.0.0.1:9/x\","
     "\"resource\":\"users\",\"expirationDateTime\":\"2020-01-01T00:00:00Z\"}"},
    {"PATCH", "/v1.0/subscriptions/" UNKNOWN, "{\"expirationDateTime\":\"x\"}"},
    {"POST", "/v1.0/directory/deletedItems/" ADELE "/restore", NULL},
    {"DELETE", "/v1.0/directory/deletedItems/" UNKNOWN, NULL},
    {"POST", "/_mock/changelog", "{\"maxEntries\":1}"},
    {"POST", "/_mock/subscriptions/" UNKNOWN "/lifecycle", "{\"event\":\"missed\"}"},
};

/*
 * Owners of applications and service principals (app_owners.c and
 * owners@odata.bind at creation): each with the error it must answer, so a
 * server without these routes (400 for the segment or the property) fails.
 */
static const struct {
	struct attack at;
	unsigned status;
} owner_attacks[] = {
    {{"POST", "/v1.0/applications",
      "{\"displayName\":\"x\",\"owners@odata.bind\":[\"" BIND ADMIN "\",\"" BIND UNKNOWN
      "\"]}"},
     404},
    {{"POST", "/v1.0/applications",
      "{\"displayName\":\"x\",\"owners@odata.bind\":[\"" BIND ADMIN "\",\"" BIND APP
      "\"]}"},
     400},
    {{"POST", "/v1.0/applications",
      "{\"displayName\":\"x\",\"owners@odata.bind\":[\"" BIND ADELE "\",\"" BIND ADELE
      "\"]}"},
     400},
    {{"POST", "/v1.0/applications/" APP "/owners/$ref",
      "{\"@odata.id\":\"" BIND UNKNOWN "\"}"},
     404},
    {{"POST", "/v1.0/applications/" APP "/owners/$ref",
      "{\"@odata.id\":\"" BIND GROUP "\"}"},
     400},
    {{"POST", "/v1.0/servicePrincipals/" SP "/owners/$ref",
      "{\"@odata.id\":\"" BIND UNKNOWN "\"}"},
     404},
    {{"DELETE", "/v1.0/applications/" APP "/owners/" ADELE "/$ref", NULL}, 404},
    {{"DELETE", "/v1.0/servicePrincipals/" SP "/owners/" ADMIN "/$ref", NULL}, 404},
};

/* The first difference, with some context. */
static const char *diff_at(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	return b + (i > 80 ? i - 80 : 0);
}

/* @at answers an error (@status, or any 4xx/5xx when 0) and changes nothing. */
static void check_attack(const struct attack *at, unsigned status)
{
	char *before = fingerprint();
	struct answer a = call(at->method, at->path, at->body);
	char *after = fingerprint();

	if (a.status < 400 || !strstr(a.text, "\"error\"") ||
	    (status && a.status != status))
		fail_msg("%s %s %s: expected an error envelope (%u), got %u %s",
		         at->method, at->path, at->body ? at->body : "", status, a.status,
		         a.text);
	if (strcmp(before, after))
		fail_msg("%s %s %s: answered %u but changed the "
		         "state:\n%s\nnow:\n%.300s",
		         at->method, at->path, at->body ? at->body : "", a.status, a.text,
		         diff_at(before, after));
	free(a.text);
	free(before);
	free(after);
}

static void test_rejected_writes_change_nothing(void **s)
{
	struct answer frozen = call("POST", "/_mock/clock",
	                            "{\"freeze\":true,\"at\":\"2030-01-02T03:04:05Z\"}");

	(void)s;
	assert_int_equal(frozen.status, 200);
	free(frozen.text);
	for (size_t i = 0; i < sizeof(attacks) / sizeof(*attacks); i++)
		check_attack(&attacks[i], 0);
	for (size_t i = 0; i < sizeof(owner_attacks) / sizeof(*owner_attacks); i++)
		check_attack(&owner_attacks[i].at, owner_attacks[i].status);
}

/*
 * POST /servicePrincipals with owners@odata.bind, for an application that has
 * none yet (the fixture's all have one: their 409 would come first).
 */
static void test_rejected_sp_owner_binds_change_nothing(void **s)
{
	static const char *const binds[] = {
	    "\"" BIND ADMIN "\",\"" BIND UNKNOWN "\"",
	    "\"" BIND ADMIN "\",\"" BIND ADMIN "\"",
	    "\"" BIND ADMIN "\",\"" BIND GROUP "\"",
	};
	static const unsigned status[] = {404, 400, 400};
	struct answer app =
	    call("POST", "/v1.0/applications", "{\"displayName\":\"No SP\"}");
	json_t *j = json_loads(app.text, 0, NULL);
	const char *app_id = json_string_value(json_object_get(j, "appId"));
	char body[512];

	(void)s;
	assert_int_equal(app.status, 201);
	assert_non_null(app_id);
	for (size_t i = 0; i < sizeof(binds) / sizeof(*binds); i++) {
		struct attack at = {"POST", "/v1.0/servicePrincipals", body};

		snprintf(body, sizeof(body),
		         "{\"appId\":\"%s\",\"tags\":[\"a\"],\"owners@odata.bind\":[%s]}",
		         app_id, binds[i]);
		check_attack(&at, status[i]);
	}
	json_decref(j);
	free(app.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rejected_writes_change_nothing),
	    cmocka_unit_test(test_rejected_sp_owner_binds_change_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
