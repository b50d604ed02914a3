/*
 * routes/graph/invitations_test.c - POST /invitations, the mailbox, the Mailpit
 * view and redemption, through the request pipeline on a real state (no
 * sockets).
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
#include "../../state/invitation.h"
#include "../../state/mailbox.h"

#define ADMIN_ID "33c3317d-939c-4e2f-855a-95aa465db42a"

struct fx {
	struct srv *srv;
	struct state *st;
	struct test_reply resp; /* the last answer */
};

static int setup(void **ctx)
{
	struct test_server_opts opts = {.seed = 1};
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->srv = test_srv_new(&opts);
	fx->st = &fx->srv->state;
	snprintf(fx->srv->cfg.public_url, sizeof(fx->srv->cfg.public_url), "http://mock");
	*ctx = fx;
	return 0;
}

static int teardown(void **ctx)
{
	struct fx *fx = *ctx;

	test_reply_release(&fx->resp);
	test_srv_free(fx->srv);
	free(fx);
	return 0;
}

/*
 * @method @path (query after '?') with @body (JSON text or NULL) through the
 * request pipeline; 0 for a success (2xx, 3xx), -1 for an error answer.
 */
static int call(struct fx *fx, const char *method, const char *path, const char *body)
{
	struct test_request rq = {method, path, body, body ? "application/json" : NULL,
	                          NULL,   NULL, NULL, false,
	                          0};

	test_reply_release(&fx->resp);
	test_local(fx->srv, &rq, &fx->resp);
	return fx->resp.status >= 200 && fx->resp.status < 400 ? 0 : -1;
}

static int invite(struct fx *fx, const char *body)
{
	return call(fx, "POST", "/v1.0/invitations", body);
}

static const char *err_message(struct fx *fx)
{
	return json_string_value(
	    json_object_get(json_object_get(fx->resp.json, "error"), "message"));
}

static const char *body_str(struct fx *fx, const char *key)
{
	return json_string_value(json_object_get(fx->resp.json, key));
}

static struct dobj *user_of(struct fx *fx, const char *id)
{
	return state_dobj_find(fx->st, state_tenant_default(fx->st), DOBJ_USER, id);
}

static void test_create_shape(void **ctx)
{
	struct fx *fx = *ctx;
	static const char *const keys[] = {
	    "@odata.context",         "id",
	    "inviteRedeemUrl",        "invitedUserDisplayName",
	    "invitedUserType",        "invitedUserEmailAddress",
	    "sendInvitationMessage",  "resetRedemption",
	    "inviteRedirectUrl",      "status",
	    "invitedUserMessageInfo", "invitedUser",
	};
	const char *key;
	json_t *v;
	size_t i = 0;

	assert_int_equal(invite(fx,
	                        "{\"invitedUserEmailAddress\":\"bob@fabrikam.com\","
	                        "\"inviteRedirectUrl\":\"https://myapp.contoso.com\"}"),
	                 0);
	assert_int_equal(fx->resp.status, 201);
	json_object_foreach(fx->resp.json, key, v)
	{
		assert_true(i < sizeof(keys) / sizeof(keys[0]));
		assert_string_equal(key, keys[i++]);
	}
	assert_int_equal(i, sizeof(keys) / sizeof(keys[0]));
	assert_string_equal(body_str(fx, "@odata.context"),
	                    "http://mock/v1.0/$metadata#invitations/$entity");
	const char *id = body_str(fx, "id");
	const char *uid = json_string_value(
	    json_object_get(json_object_get(fx->resp.json, "invitedUser"), "id"));
	assert_string_not_equal(id, uid);
	char want[256];
	snprintf(want, sizeof(want), "http://mock/v1.0/invitations/%s", id);
	assert_string_equal(fx->resp.location, want);
	/* Graph's shape: /redeem?rd=<the invitations URL, encoded> (§2.2) */
	snprintf(want, sizeof(want), "%%26user%%3d%s%%26ticket%%3d", id);
	assert_non_null(strstr(body_str(fx, "inviteRedeemUrl"), want));
	assert_non_null(
	    strstr(body_str(fx, "inviteRedeemUrl"),
	           "http://mock/redeem?rd=http%3a%2f%2fmock%2fredeem%2f%3ftenant%3d"));
	json_t *cc = json_object_get(
	    json_object_get(fx->resp.json, "invitedUserMessageInfo"), "ccRecipients");
	assert_int_equal(json_array_size(cc), 1);
	assert_true(json_is_null(json_object_get(
	    json_object_get(json_array_get(cc, 0), "emailAddress"), "address")));

	struct dobj *d = user_of(fx, uid);
	assert_non_null(d);
	assert_string_equal(
	    json_string_value(json_object_get(state_dobj_json(d), "userPrincipalName")),
	    "bob_fabrikam.com#EXT#@contoso.onmicrosoft.com");
	assert_string_equal(
	    json_string_value(json_object_get(state_dobj_json(d), "displayName")), "bob");
	assert_string_equal(
	    json_string_value(json_object_get(state_dobj_json(d), "creationType")),
	    "Invitation");
	assert_false(
	    json_is_true(json_object_get(state_dobj_json(d), "showInAddressList")));
	assert_null(
	    fx->st->tenants->mailbox); /* sendInvitationMessage defaults to false */
}

static void test_validation(void **ctx)
{
	struct fx *fx = *ctx;
	static const struct {
		const char *body, *needle;
	} cases[] = {
	    {"{\"inviteRedirectUrl\":\"https://x.com\"}", "'invitedUserEmailAddress'"},
	    {"{\"invitedUserEmailAddress\":\"b@x.com\"}", "'inviteRedirectUrl'"},
	    {"{\"invitedUserEmailAddress\":\"\",\"inviteRedirectUrl\":\"https://x.com\"}",
	     "'invitedUserEmailAddress'"},
	    {"{\"invitedUserEmailAddress\":\"b(@x.com\",\"inviteRedirectUrl\":\"https://"
	     "x.com\"}",
	     "'invitedUserEmailAddress'"},
	    {"{\"invitedUserEmailAddress\":7,\"inviteRedirectUrl\":\"https://x.com\"}",
	     "'invitedUserEmailAddress'"},
	    {"{\"invitedUserEmailAddress\":\"b@x.com\",\"inviteRedirectUrl\":\"x.com\"}",
	     "'inviteRedirectUrl'"},
	    {"{\"invitedUserEmailAddress\":\"b@x.com\",\"inviteRedirectUrl\":\"https://"
	     "x.com\","
	     "\"invitedUserType\":\"Boss\"}",
	     "'invitedUserType'"},
	    {"{\"invitedUserEmailAddress\":\"b@x.com\",\"inviteRedirectUrl\":\"https://"
	     "x.com\","
	     "\"bogus\":1}",
	     "'bogus'"},
	    {"{\"invitedUserEmailAddress\":\"b@x.com\",\"inviteRedirectUrl\":\"https://"
	     "x.com\","
	     "\"invitedUserMessageInfo\":{\"bogus2\":1}}",
	     "'bogus2'"},
	    {"{\"invitedUserEmailAddress\":\"b@x.com\",\"inviteRedirectUrl\":\"https://"
	     "x.com\","
	     "\"invitedUserMessageInfo\":{\"ccRecipients\":[{\"emailAddress\":{"
	     "\"address\":"
	     "\"a@b.com\"}},{\"emailAddress\":{\"address\":\"c@b.com\"}}]}}",
	     "ccRecipients"},
	    {"{\"invitedUserEmailAddress\":\"b@x.com\",\"inviteRedirectUrl\":\"https://"
	     "x.com\","
	     "\"resetRedemption\":true}",
	     "invitedUser"},
	    {"{\"invitedUserEmailAddress\":\"b@x.com\",\"inviteRedirectUrl\":\"https://"
	     "x.com\","
	     "\"sendInvitationMessage\":1}",
	     "'sendInvitationMessage'"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(invite(fx, cases[i].body), -1);
		assert_int_equal(fx->resp.status, 400);
		if (!strstr(err_message(fx), cases[i].needle))
			fail_msg("case %zu: '%s' lacks %s", i, err_message(fx),
			         cases[i].needle);
	}
	/* Nothing was created by any of them. */
	assert_int_equal(state_dobj_count(state_tenant_default(fx->st), DOBJ_USER), 2);
	assert_null(state_tenant_default(fx->st)->invitations);
}

static void test_member_and_reinvite(void **ctx)
{
	struct fx *fx = *ctx;
	char uid[64], ticket_url[512];

	assert_int_equal(
	    invite(fx, "{\"invitedUserEmailAddress\":\"ADMIN@contoso.onmicrosoft."
	               "com\",\"inviteRedirectUrl\":\"https://x.com\"}"),
	    -1);
	assert_string_equal(err_message(fx),
	                    "The invited user already exists in the directory "
	                    "as objectID: " ADMIN_ID ". They can use that account to "
	                    "sign in to shared apps and resources.");
	assert_int_equal(invite(fx, "{\"invitedUserEmailAddress\":\"eve@f.com\","
	                            "\"inviteRedirectUrl\":\"https://x.com\","
	                            "\"sendInvitationMessage\":true}"),
	                 0);
	snprintf(uid, sizeof(uid), "%s",
	         json_string_value(json_object_get(
	             json_object_get(fx->resp.json, "invitedUser"), "id")));
	snprintf(ticket_url, sizeof(ticket_url), "%s", body_str(fx, "inviteRedeemUrl"));
	assert_int_equal(invite(fx, "{\"invitedUserEmailAddress\":\"Eve@F.com\","
	                            "\"inviteRedirectUrl\":\"https://x.com\","
	                            "\"sendInvitationMessage\":true}"),
	                 0);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(fx->resp.json, "invitedUser"), "id")),
	                    uid);
	assert_string_not_equal(body_str(fx, "inviteRedeemUrl"), ticket_url);
	assert_int_equal(HASH_COUNT(state_tenant_default(fx->st)->mailbox), 2);
	assert_int_equal(state_dobj_count(state_tenant_default(fx->st), DOBJ_USER), 3);
}

/* Follow @url's query through GET /redeem. */
static int follow(struct fx *fx, const char *url)
{
	char path[1024];

	snprintf(path, sizeof(path), "/redeem%s", strchr(url, '?'));
	return call(fx, "GET", path, NULL);
}

static void test_redeem_flow(void **ctx)
{
	struct fx *fx = *ctx;
	char uid[64], url1[512], url2[512], bad[512];

	assert_int_equal(invite(fx,
	                        "{\"invitedUserEmailAddress\":\"kim@f.com\","
	                        "\"inviteRedirectUrl\":\"https://app.example/welcome\"}"),
	                 0);
	snprintf(uid, sizeof(uid), "%s",
	         json_string_value(json_object_get(
	             json_object_get(fx->resp.json, "invitedUser"), "id")));
	snprintf(url1, sizeof(url1), "%s", body_str(fx, "inviteRedeemUrl"));
	snprintf(bad, sizeof(bad), "%s", url1);
	char *t = strstr(bad, "ticket%3d") + 9;
	*t = *t == 'A' ? 'B' : 'A';
	assert_int_equal(follow(fx, bad), -1);
	assert_int_equal(fx->resp.status, 400);
	assert_int_equal(invite(fx,
	                        "{\"invitedUserEmailAddress\":\"kim@f.com\","
	                        "\"inviteRedirectUrl\":\"https://app.example/welcome\"}"),
	                 0);
	snprintf(url2, sizeof(url2), "%s", body_str(fx, "inviteRedeemUrl"));
	assert_int_equal(follow(fx, url1), -1); /* superseded */
	assert_int_equal(fx->resp.status, 400);
	struct dobj *d = user_of(fx, uid);
	assert_string_equal(
	    json_string_value(json_object_get(state_dobj_json(d), "externalUserState")),
	    "PendingAcceptance");
	assert_int_equal(follow(fx, url2), 0);
	assert_int_equal(fx->resp.status, 302);
	assert_string_equal(fx->resp.location, "https://app.example/welcome");
	assert_string_equal(
	    json_string_value(json_object_get(state_dobj_json(d), "externalUserState")),
	    "Accepted");
	assert_int_equal(follow(fx, url2), 0); /* idempotent */
	/* a one-time-passcode redemption: federated, issuer mail, first (§3.2) */
	json_t *first =
	    json_array_get(json_object_get(state_dobj_json(d), "identities"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "signInType")),
	                    "federated");
	assert_string_equal(json_string_value(json_object_get(first, "issuer")), "mail");
	assert_int_equal(
	    json_array_size(json_object_get(state_dobj_json(d), "identities")), 2);

	/* resetRedemption: same id, back to PendingAcceptance, new address indexed. */
	char body[512];
	snprintf(
	    body, sizeof(body),
	    "{\"invitedUserEmailAddress\":\"kim@new.example\",\"inviteRedirectUrl\":"
	    "\"https://x.com\",\"resetRedemption\":true,\"invitedUser\":{\"id\":\"%s\"}}",
	    uid);
	assert_int_equal(invite(fx, body), 0);
	assert_string_equal(body_str(fx, "status"), "PendingAcceptance");
	assert_string_equal(
	    json_string_value(json_object_get(state_dobj_json(d), "externalUserState")),
	    "PendingAcceptance");
	size_t n;
	struct dobj *const *hits = state_dobj_lookup(state_tenant_default(fx->st),
	                                             IDX_MAIL, "KIM@new.example", &n);
	assert_int_equal(n, 1);
	assert_ptr_equal(hits[0], d);
	/* the federated identity of the old redemption is gone, the UPN one kept */
	assert_int_equal(
	    json_array_size(json_object_get(state_dobj_json(d), "identities")), 1);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(state_dobj_json(d), "identities"), 0),
	        "signInType")),
	    "userPrincipalName");
	assert_int_equal(follow(fx, url2), -1); /* superseded by the reset */
}

/* The path of @link (an absolute URL under http://mock). */
static const char *path_of(const char *link)
{
	return strncmp(link, "http://mock", 11) ? link : link + 11;
}

/* Following the link changes the guest (externalUserState): delta reports it,
 * as any other change, although the link is a GET that found the user by its
 * invitation rather than by a lookup. */
static void test_redeem_is_a_change(void **ctx)
{
	struct fx *fx = *ctx;
	char uid[64], url[512], link[1024];
	bool seen = false;
	size_t i;
	json_t *u;

	assert_int_equal(invite(fx, "{\"invitedUserEmailAddress\":\"lee@f.com\","
	                            "\"inviteRedirectUrl\":\"https://app.example/\"}"),
	                 0);
	snprintf(uid, sizeof(uid), "%s",
	         json_string_value(json_object_get(
	             json_object_get(fx->resp.json, "invitedUser"), "id")));
	snprintf(url, sizeof(url), "%s", body_str(fx, "inviteRedeemUrl"));
	assert_int_equal(
	    call(fx, "GET", "/v1.0/users/delta?$select=id,externalUserState", NULL), 0);
	assert_non_null(body_str(fx, "@odata.deltaLink"));
	snprintf(link, sizeof(link), "%s", path_of(body_str(fx, "@odata.deltaLink")));
	assert_int_equal(follow(fx, url), 0);
	assert_int_equal(fx->resp.status, 302);
	assert_int_equal(call(fx, "GET", link, NULL), 0);
	json_array_foreach(json_object_get(fx->resp.json, "value"), i, u)
	{
		if (!strcmp(json_string_value(json_object_get(u, "id")), uid)) {
			assert_string_equal(
			    json_string_value(json_object_get(u, "externalUserState")),
			    "Accepted");
			seen = true;
		}
	}
	assert_true(seen);
}

static void test_mailbox_and_mailpit(void **ctx)
{
	struct fx *fx = *ctx;

	assert_int_equal(call(fx, "GET", "/_mock/mailbox/latest", NULL), -1);
	assert_int_equal(fx->resp.status, 404);
	assert_int_equal(
	    invite(
	        fx,
	        "{\"invitedUserEmailAddress\":\"a@f.com\",\"inviteRedirectUrl\":"
	        "\"https://x.com\",\"sendInvitationMessage\":true,"
	        "\"invitedUserMessageInfo\":{\"customizedMessageBody\":\"<b>hi</b>\","
	        "\"ccRecipients\":[{\"emailAddress\":{\"address\":\"boss@f.com\"}}]}}"),
	    0);
	assert_int_equal(
	    invite(fx, "{\"invitedUserEmailAddress\":\"c@f.com\",\"inviteRedirectUrl\":"
	               "\"https://x.com\",\"sendInvitationMessage\":true}"),
	    0);
	assert_int_equal(call(fx, "GET", "/_mock/mailbox", NULL), 0);
	json_t *list = json_object_get(fx->resp.json, "value");
	assert_int_equal(json_array_size(list), 2);
	json_t *newest = json_array_get(list, 0);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(newest, "to"), 0), "address")),
	    "c@f.com");
	json_t *older = json_array_get(list, 1);
	assert_non_null(strstr(json_string_value(json_object_get(older, "html")),
	                       "&lt;b&gt;hi&lt;/b&gt;"));

	assert_int_equal(call(fx, "GET", "/_mock/mailpit/api/v1/messages", NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(fx->resp.json, "total")), 2);
	json_t *m0 = json_array_get(json_object_get(fx->resp.json, "messages"), 0);
	assert_non_null(json_object_get(m0, "Snippet"));
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(m0, "From"), "Address")),
	    "invites@microsoft.com");

	assert_int_equal(
	    call(fx, "GET", "/_mock/mailpit/api/v1/search?query=to:boss@f.com", NULL), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(fx->resp.json, "messages_count")), 1);

	assert_int_equal(call(fx, "GET", "/_mock/mailpit/api/v1/message/latest", NULL),
	                 0);
	assert_non_null(json_object_get(fx->resp.json, "HTML"));
	assert_int_equal(call(fx, "DELETE", "/_mock/mailbox", NULL), 0);
	assert_int_equal(fx->resp.status, 204);
	assert_null(state_tenant_default(fx->st)->mailbox);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_shape, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_member_and_reinvite, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_redeem_flow, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_redeem_is_a_change, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mailbox_and_mailpit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
