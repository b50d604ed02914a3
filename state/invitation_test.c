/*
 * state/invitation_test.c - invitee address rules, guest UPN derivation,
 * tickets, redeeming, and the export/load round trip of invitations and
 * the mailbox.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "load/fixture.h"
#include "state_testutil.h"
#include "invitation.h"
#include "mailbox.h"
#include "model/model.h"
#include "load/tenants.h"

static void test_email_valid(void **unused)
{
	static const char *const good[] = {
	    "bob@fabrikam.com", "b.o-b_x@fabrikam.com",    "_bob_@sub.fabrikam.co.uk",
	    "a@b.cd",           "bob.smith@my-domain.com",
	};
	static const char *const bad[] = {
	    "",           "bob",         "bob@",          "@fabrikam.com",
	    "bob@@x.com", "bob@x@y.com", "bob@localhost", ".bob@x.com",
	    "bob.@x.com", "-bob@x.com",  "bob-@x.com",    "b~ob@x.com",
	    "b!ob@x.com", "b#ob@x.com",  "b$@x.com",      "b%@x.com",
	    "b^@x.com",   "b&@x.com",    "b*@x.com",      "b(@x.com",
	    "b)@x.com",   "b+@x.com",    "b=@x.com",      "b[@x.com",
	    "b]@x.com",   "b{@x.com",    "b}@x.com",      "b\\@x.com",
	    "b/@x.com",   "b|@x.com",    "b;@x.com",      "b:@x.com",
	    "b\"@x.com",  "b<@x.com",    "b>@x.com",      "b?@x.com",
	    "b,@x.com",   "b c@x.com",   "bob@x..com",    "bob@.x.com",
	    "bob@x.com.", "bob@x_y.com", "bob@-x.com",
	};
	char longaddr[300];

	(void)unused;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(state_invitation_email_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (state_invitation_email_valid(bad[i]))
			fail_msg("accepted '%s'", bad[i]);
	}
	assert_false(state_invitation_email_valid(NULL));
	memset(longaddr, 'a', sizeof(longaddr));
	memcpy(longaddr + 250, "@x.com", 7);
	assert_false(state_invitation_email_valid(longaddr));
}

static void test_guest_upn(void **unused)
{
	char upn[128], nick[128];

	(void)unused;
	assert_int_equal(state_invitation_guest_upn("bob@fabrikam.com",
	                                            "contoso.onmicrosoft.com", 0, upn,
	                                            sizeof(upn), nick, sizeof(nick)),
	                 0);
	assert_string_equal(upn, "bob_fabrikam.com#EXT#@contoso.onmicrosoft.com");
	assert_string_equal(nick, "bob_fabrikam.com#EXT#");
	assert_int_equal(state_invitation_guest_upn("Bob.S@Fabrikam.com", "c.com", 2, upn,
	                                            sizeof(upn), NULL, 0),
	                 0);
	assert_string_equal(upn, "Bob.S2_Fabrikam.com#EXT#@c.com");
	assert_int_equal(
	    state_invitation_guest_upn("bob@fabrikam.com", "c.com", 0, upn, 10, NULL, 0),
	    -1);
	assert_int_equal(
	    state_invitation_guest_upn("nobody", "c.com", 0, upn, sizeof(upn), NULL, 0),
	    -1);
}

static void test_ticket(void **unused)
{
	char a[INVITATION_TICKET_LEN + 1], b[INVITATION_TICKET_LEN + 1];
	struct invitation inv;

	(void)unused;
	state_invitation_ticket_new(a);
	state_invitation_ticket_new(b);
	assert_int_equal(strlen(a), INVITATION_TICKET_LEN);
	assert_string_not_equal(a, b);
	for (const char *p = a; *p; p++)
		assert_true(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                   "0123456789-_",
		                   *p));
	memset(&inv, 0, sizeof(inv));
	memcpy(inv.ticket, a, sizeof(a));
	assert_true(state_invitation_ticket_ok(&inv, a));
	assert_false(state_invitation_ticket_ok(&inv, b));
	assert_false(state_invitation_ticket_ok(&inv, NULL));
	assert_false(state_invitation_ticket_ok(&inv, ""));
	a[INVITATION_TICKET_LEN - 1] ^= 1;
	assert_false(state_invitation_ticket_ok(&inv, a));
}

struct fx {
	struct state st;
	struct tenant *t;
	struct dobj *guest;
};

static int setup(void **ctx)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	test_state_init(&fx->st, 1);
	fx->t = state_tenant_default(&fx->st);
	json_t *u = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:[]}", "displayName", "bob", "userPrincipalName",
	    "bob_f.com#EXT#@contoso.onmicrosoft.com", "mail", "bob@f.com", "userType",
	    "Guest", "externalUserState", "PendingAcceptance", "identities");
	assert_int_equal(model_user_complete(&fx->st, fx->t, u), 0);
	fx->guest = state_dobj_add(&fx->st, fx->t, DOBJ_USER, u);
	assert_non_null(fx->guest);
	*ctx = fx;
	return 0;
}

static int teardown(void **ctx)
{
	struct fx *fx = *ctx;

	state_release(&fx->st);
	free(fx);
	return 0;
}

static struct invitation *invite(struct fx *fx, char *ticket)
{
	char id[GUID_STR_LEN + 1];

	state_new_id(&fx->st, id);
	state_invitation_ticket_new(ticket);
	return state_invitation_add(&fx->st, fx->t, id, fx->guest->id, ticket,
	                            json_pack("{s:s, s:s, s:s, s:s}", "id", id, "status",
	                                      "PendingAcceptance",
	                                      "invitedUserEmailAddress", "bob@f.com",
	                                      "inviteRedirectUrl", "https://x"));
}

static const char *ext_state(struct fx *fx)
{
	return json_string_value(
	    json_object_get(state_dobj_json(fx->guest), "externalUserState"));
}

static void test_redeem(void **ctx)
{
	struct fx *fx = *ctx;
	char t1[64], t2[64];
	struct invitation *a = invite(fx, t1);
	struct invitation *b;

	assert_non_null(a);
	assert_int_equal(state_invitation_redeem(&fx->st, fx->t, a, "nope"),
	                 REDEEM_BAD_TICKET);
	assert_string_equal(ext_state(fx), "PendingAcceptance");
	b = invite(fx, t2);
	assert_non_null(b);
	assert_true(a->superseded);
	assert_false(b->superseded);
	assert_int_equal(state_invitation_redeem(&fx->st, fx->t, a, t1),
	                 REDEEM_SUPERSEDED);
	assert_string_equal(ext_state(fx), "PendingAcceptance");
	assert_int_equal(state_invitation_redeem(&fx->st, fx->t, b, t2), REDEEM_OK);
	assert_string_equal(ext_state(fx), "Accepted");
	assert_string_equal(json_string_value(json_object_get(b->obj, "status")),
	                    "Completed");
	json_t *ids = json_object_get(state_dobj_json(fx->guest), "identities");
	assert_int_equal(json_array_size(ids), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(ids, 0), "issuer")), "mail");
	assert_int_equal(state_invitation_redeem(&fx->st, fx->t, b, t2), REDEEM_AGAIN);
	assert_int_equal(json_array_size(ids), 1);
	assert_ptr_equal(state_invitation_find(fx->t, b->id), b);
	assert_null(state_invitation_find(fx->t, "not-a-guid"));
}

static void test_export_load(void **ctx)
{
	struct fx *fx = *ctx;
	char t1[64], t2[64], err[256];
	struct invitation *a = invite(fx, t1);
	struct invitation *b = invite(fx, t2);
	char msg_id[GUID_STR_LEN + 1];
	int64_t later = state_now_ms(&fx->st) + 60000;

	assert_non_null(a);
	assert_non_null(b);
	guid_random(msg_id);
	assert_non_null(state_mail_add(
	    &fx->st, fx->t,
	    json_pack("{s:s, s:[{s:s}]}", "id", msg_id, "to", "address", "bob@f.com"),
	    later));
	assert_null(state_mail_find(&fx->st, fx->t, msg_id)); /* delayed */
	json_t *invs = state_invitations_export(fx->t);
	json_t *mail = state_mailbox_export(fx->t);
	assert_int_equal(json_array_size(invs), 2);
	assert_int_equal(json_array_size(mail), 1);
	/* No email recorded for a: no "mail" key; b's verdict travels with it. */
	assert_null(json_object_get(json_array_get(invs, 0), "mail"));
	assert_int_equal(
	    state_invitation_set_mail(b, "delayed", NULL, "late", msg_id, later), 0);
	json_decref(invs);
	invs = state_invitations_export(fx->t);
	assert_non_null(json_object_get(json_array_get(invs, 1), "mail"));

	json_t *doc = json_pack("{s:s, s:s, s:[{s:s, s:s, s:s}], s:O, s:O}",
	                        "displayName", "T", "domain", "t.example", "users", "id",
	                        fx->guest->id, "displayName", "bob", "userPrincipalName",
	                        "b@t.example", "invitations", invs, "mailbox", mail);
	struct tenant *t2n = fixture_tenant_build(&fx->st, doc, NULL, "tenants[1]", NULL,
	                                          err, sizeof(err));
	assert_non_null(t2n);
	struct invitation *ra = state_invitation_find(t2n, a->id);
	struct invitation *rb = state_invitation_find(t2n, b->id);
	assert_non_null(ra);
	assert_non_null(rb);
	assert_true(ra->superseded);
	assert_false(rb->superseded);
	assert_true(state_invitation_ticket_ok(rb, t2));
	assert_null(ra->mail);
	assert_non_null(rb->mail);
	assert_true(json_equal(rb->mail, b->mail));
	assert_string_equal(json_string_value(json_object_get(rb->mail, "outcome")),
	                    "delayed");
	assert_true(json_is_null(json_object_get(rb->mail, "reason")));
	assert_string_equal(json_string_value(json_object_get(rb->mail, "ruleId")),
	                    "late");
	assert_int_equal(json_integer_value(json_object_get(rb->mail, "visibleAtMs")),
	                 later);
	struct mail_message *m;
	HASH_FIND_STR(t2n->mailbox, msg_id, m);
	assert_non_null(m);
	assert_int_equal(m->visible_at_ms, later);
	fixture_tenant_free(t2n);

	/* Bad documents name the path. */
	json_t *bad_mail = json_object_get(json_array_get(invs, 1), "mail");
	json_object_set_new(bad_mail, "outcome", json_string("lost"));
	json_object_set(doc, "invitations", invs);
	assert_null(fixture_tenant_build(&fx->st, doc, NULL, "tenants[1]", NULL, err,
	                                 sizeof(err)));
	assert_string_equal(err,
	                    "tenants[1].invitations[1].mail.outcome: must be delivered, "
	                    "bounced, delayed or dropped");
	json_object_set_new(bad_mail, "outcome", json_string("dropped"));
	json_object_set_new(bad_mail, "extra", json_true());
	assert_null(fixture_tenant_build(&fx->st, doc, NULL, "tenants[1]", NULL, err,
	                                 sizeof(err)));
	assert_true(strstr(err, "tenants[1].invitations[1].mail: must hold exactly") ==
	            err);
	json_object_del(bad_mail, "extra");
	json_object_set_new(json_array_get(invs, 0), "userId",
	                    json_string("11111111-1111-1111-1111-111111111111"));
	json_object_set(doc, "invitations", invs);
	assert_null(fixture_tenant_build(&fx->st, doc, NULL, "tenants[1]", NULL, err,
	                                 sizeof(err)));
	assert_string_equal(err, "tenants[1].invitations[0].userId: no such user");
	json_object_set_new(doc, "invitations", json_array());
	json_object_set_new(json_array_get(mail, 0), "visibleAtMs", json_string("soon"));
	json_object_set(doc, "mailbox", mail);
	assert_null(fixture_tenant_build(&fx->st, doc, NULL, "tenants[1]", NULL, err,
	                                 sizeof(err)));
	assert_string_equal(err, "tenants[1].mailbox[0].visibleAtMs: must be an integer");
	json_object_set_new(doc, "mailbox", json_string("x"));
	assert_null(fixture_tenant_build(&fx->st, doc, NULL, "tenants[1]", NULL, err,
	                                 sizeof(err)));
	assert_string_equal(err, "tenants[1].mailbox: must be an array");
	json_decref(invs);
	json_decref(mail);
	json_decref(doc);
}

static void test_mailbox_order(void **ctx)
{
	struct fx *fx = *ctx;
	struct mail_message **list;
	char ids[3][GUID_STR_LEN + 1];
	size_t n;

	for (int i = 0; i < 3; i++) {
		guid_random(ids[i]);
		assert_non_null(state_mail_add(
		    &fx->st, fx->t,
		    json_pack("{s:s, s:[{s:s}], s:[]}", "id", ids[i], "to", "address",
		              i == 1 ? "X@Y.com" : "a@b.com", "cc"),
		    i == 2 ? state_now_ms(&fx->st) + 100000 : 0));
	}
	assert_int_equal(state_mail_list(&fx->st, fx->t, &list, &n), 0);
	assert_int_equal(n, 2); /* the third is delayed */
	assert_string_equal(list[0]->id, ids[1]);
	assert_string_equal(list[1]->id, ids[0]);
	assert_true(state_mail_addressed_to(list[0], "x@y.COM"));
	assert_false(state_mail_addressed_to(list[1], "x@y.com"));
	free(list);
	assert_null(state_mail_add(&fx->st, fx->t, json_pack("{s:s}", "id", ids[0]), 0));
	state_mailbox_clear(fx->t);
	assert_int_equal(state_mail_list(&fx->st, fx->t, &list, &n), 0);
	assert_int_equal(n, 0);
}

/*
 * A long-running tenant keeps what the bounds allow (the newest of each user,
 * the newest overall), the user's newest invitation alone is live, and a
 * deleted user's invitations name no user any more.
 */
static void test_bounded_and_detached(void **ctx)
{
	struct fx *fx = *ctx;
	char ticket[INVITATION_TICKET_LEN + 1];
	struct invitation *last = NULL, *first;
	char first_id[GUID_STR_LEN + 1];
	size_t n = 0;
	json_t *exported;

	first = invite(fx, ticket);
	assert_non_null(first);
	snprintf(first_id, sizeof(first_id), "%s", first->id);
	for (int i = 0; i < 3 * INVITATIONS_PER_USER; i++)
		last = invite(fx, ticket);
	assert_non_null(last);
	assert_false(last->superseded);
	assert_null(state_invitation_find(fx->t, first_id)); /* dropped: too old */
	for (struct invitation *inv = fx->t->invitations; inv; inv = inv->hh.next) {
		assert_true(inv == last || inv->superseded);
		n++;
	}
	assert_int_equal(n, INVITATIONS_PER_USER);
	/* Many users: the tenant keeps INVITATIONS_MAX at most. */
	for (int i = 0; i < INVITATIONS_MAX + 50; i++) {
		char id[GUID_STR_LEN + 1], uid[GUID_STR_LEN + 1];
		json_t *u =
		    json_pack("{s:s, s:s}", "displayName", "x", "userPrincipalName", "x");
		struct dobj *d;

		snprintf(uid, sizeof(uid), "0000%04x-0000-4000-8000-000000000000", i);
		json_object_set_new(u, "id", json_string(uid));
		json_object_set_new(u, "userPrincipalName", json_string(uid));
		d = state_dobj_add(&fx->st, fx->t, DOBJ_USER, u);
		assert_non_null(d);
		state_new_id(&fx->st, id);
		state_invitation_ticket_new(ticket);
		assert_non_null(state_invitation_add(&fx->st, fx->t, id, d->id, ticket,
		                                     json_pack("{s:s}", "id", id)));
	}
	assert_int_equal(HASH_COUNT(fx->t->invitations), INVITATIONS_MAX);
	/* The guest's invitations were the oldest: dropped. A new one, then the
	 * guest deleted: it stays (its link says the user is gone), detached. */
	last = invite(fx, ticket);
	state_dobj_remove(fx->t, fx->guest);
	assert_string_equal(last->user_id, "");
	assert_int_equal(state_invitation_redeem(&fx->st, fx->t, last, ticket),
	                 REDEEM_NO_USER);
	exported = state_invitations_export(fx->t);
	assert_true(json_is_null(json_object_get(
	    json_array_get(exported, json_array_size(exported) - 1), "userId")));
	json_decref(exported);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_email_valid),
	    cmocka_unit_test(test_guest_upn),
	    cmocka_unit_test(test_ticket),
	    cmocka_unit_test_setup_teardown(test_redeem, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_export_load, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mailbox_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bounded_and_detached, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
