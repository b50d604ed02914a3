/*
 * routes/half_applied_test.c - every write route, given a request that fails
 * validation late (after valid properties, a good bind before a bad one, the
 * second rule or tenant of a list), must answer an error and change nothing:
 * the exported state, the fault rules, the mailbox and the clock are compared
 * byte for byte before and after, through the real dispatcher.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../server/req.h"
#include "../server/resp.h"
#include "../server/srv.h"
#include "../state/fixture.h"

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
	struct srv *srv = calloc(1, sizeof(*srv));
	char err[256];
	json_t *doc = json_loads(default_fixture_json, 0, NULL);

	(void)s;
	config_defaults(&srv->cfg);
	srv->cfg.quiet = true;
	if (state_init(&srv->state, 1))
		return -1;
	srv->state.server = srv;
	if (state_load(&srv->state, doc, err, sizeof(err)) ||
	    fault_engine_init(&srv->faults, 1, &srv->state) ||
	    journal_init(&srv->journal, 16))
		return -1;
	srv->faults.quiet = true;
	json_decref(doc);
	g_srv = srv;
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	journal_release(&g_srv->journal);
	fault_engine_release(&g_srv->faults);
	state_release(&g_srv->state);
	free(g_srv);
	return 0;
}

struct answer {
	unsigned status;
	char *text; /* the rendered body */
};

static void add_query(struct req *req, char *q)
{
	while (q && *q) {
		char *next = strchr(q, '&');
		if (next)
			*next++ = '\0';
		char *eq = strchr(q, '=');
		if (eq)
			*eq++ = '\0';
		assert_int_equal(req_add_query(req, q, eq ? eq : ""), 0);
		q = next;
	}
}

static struct answer call(const char *method, const char *target, const char *body)
{
	struct answer a = {0};
	struct resp resp;
	struct req req;
	char path[2048];
	char *query;

	snprintf(path, sizeof(path), "%s", target);
	query = strchr(path, '?');
	if (query)
		*query++ = '\0';
	req_init(&req);
	snprintf(req.method, sizeof(req.method), "%s", method);
	snprintf(req.base_url, sizeof(req.base_url), "http://127.0.0.1:8080");
	req_add_header(&req, "Content-Type", "application/json");
	req_add_header(&req, "ConsistencyLevel", "eventual");
	if (body)
		req_set_body(&req, body, strlen(body));
	resp_init(&resp, &req);
	assert_int_equal(req_set_path(&req, path), 0);
	add_query(&req, query);
	srv_dispatch(g_srv, &req, &resp, false);
	a.status = resp.status;
	a.text = strndup(resp.bytes ? resp.bytes : "", resp.bytes_len);
	req_release(&req);
	resp_release(&resp);
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
};

/* The first difference, with some context. */
static const char *diff_at(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	return b + (i > 80 ? i - 80 : 0);
}

static void test_rejected_writes_change_nothing(void **s)
{
	struct answer frozen = call("POST", "/_mock/clock",
	                            "{\"freeze\":true,\"at\":\"2030-01-02T03:04:05Z\"}");

	(void)s;
	assert_int_equal(frozen.status, 200);
	free(frozen.text);
	for (size_t i = 0; i < sizeof(attacks) / sizeof(*attacks); i++) {
		const struct attack *at = &attacks[i];
		char *before = fingerprint();
		struct answer a = call(at->method, at->path, at->body);
		char *after = fingerprint();

		if (a.status < 400 || !strstr(a.text, "\"error\""))
			fail_msg("%s %s %s: expected an error envelope, got %u %s",
			         at->method, at->path, at->body ? at->body : "", a.status,
			         a.text);
		if (strcmp(before, after))
			fail_msg("%s %s %s: answered %u but changed the "
			         "state:\n%s\nnow:\n%.300s",
			         at->method, at->path, at->body ? at->body : "", a.status,
			         a.text, diff_at(before, after));
		free(a.text);
		free(before);
		free(after);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rejected_writes_change_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
