/*
 * state/invitation.h - B2B invitations: each POST /invitations creates one,
 * with an unguessable redemption ticket; a newer invitation of the same user
 * supersedes the older ones' tickets. Also the pure rules the invite route
 * and the fixture loader share: invitee address syntax and the guest UPN
 * (graph-spec §2.1, §3.1). Locking: caller holds st->lock.
 */
#ifndef GRAPHMOCK_STATE_INVITATION_H
#define GRAPHMOCK_STATE_INVITATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "state.h"

/* A ticket is base64url of INVITATION_TICKET_BYTES random bytes (no padding). */
#define INVITATION_TICKET_BYTES 30
#define INVITATION_TICKET_LEN   40
/* Longest invitee address graphmock accepts (RFC 5321 path limit). */
#define INVITATION_EMAIL_MAX 254
/*
 * What a long-running tenant keeps: the newest INVITATIONS_PER_USER of each
 * user and INVITATIONS_MAX in all; past either, the oldest goes (its link
 * then answers "does not exist", as an unknown invitation does).
 */
#define INVITATIONS_PER_USER 16
#define INVITATIONS_MAX      10000

struct invitation_user;

struct invitation {
	char id[GUID_STR_LEN + 1];
	char user_id[GUID_STR_LEN + 1]; /* "" once the user was deleted (detached) */
	char ticket[64];
	uint64_t seq;
	bool superseded; /* a newer invitation of user_id exists: ticket dead */
	json_t *obj;     /* owned: the invitation resource as POST returned it */
	/* owned, NULL when no email was sent: what became of it,
	 * {"outcome", "reason", "ruleId", "messageId", "visibleAtMs"} */
	json_t *mail;
	/* The invitations of the same user, newest first; NULL when detached. */
	struct invitation_user *user;
	struct invitation *older, *newer;
	UT_hash_handle hh; /* t->invitations, oldest first */
};

/* One user's invitations (t->invitations_by_user): found without a scan. */
struct invitation_user {
	char user_id[GUID_STR_LEN + 1];
	struct invitation *newest;
	size_t count;
	UT_hash_handle hh;
};

enum redeem_result {
	REDEEM_OK,         /* guest Accepted, invitation Completed */
	REDEEM_AGAIN,      /* already redeemed with this ticket: nothing changed */
	REDEEM_BAD_TICKET, /* ticket does not match */
	REDEEM_SUPERSEDED, /* a newer invitation replaced this one */
	REDEEM_NO_USER,    /* the invited user was deleted */
};

/* state_invitations_clear() - free every invitation of @t. */
void state_invitations_clear(struct tenant *t);

/*
 * state_invitation_add() - store @obj (steals; the invitation resource) under
 * @id for @user_id with @ticket, and mark every earlier invitation of
 * @user_id superseded (one step: the user's invitations are indexed). Drops
 * the oldest invitations past INVITATIONS_PER_USER and INVITATIONS_MAX.
 * Returns borrowed, or NULL when @id exists or on OOM (obj released either
 * way).
 */
struct invitation *state_invitation_add(struct state *st, struct tenant *t,
                                        const char *id, const char *user_id,
                                        const char *ticket, json_t *obj);

/*
 * state_invitation_set_mail() - record what became of @inv's email: @outcome
 * ("delivered", "bounced", "delayed", "dropped"), the bounce @reason and
 * deciding @rule_id (NULL or "" for none), the stored @message_id (NULL when
 * dropped) and when it shows in the mailbox. Returns 0, or -1 on OOM.
 */
int state_invitation_set_mail(struct invitation *inv, const char *outcome,
                              const char *reason, const char *rule_id,
                              const char *message_id, int64_t visible_at_ms);

/*
 * state_invitations_detach_user() - the user @user_id is being deleted for
 * good (not to deleted items, which keep them): its invitations stay (their links answer
 * "the invited user no longer exists") but name no user any more, so an export never
 * refers to a missing user.
 */
void state_invitations_detach_user(struct tenant *t, const char *user_id);

/* state_invitation_find() - by id (any case). Borrowed or NULL. */
struct invitation *state_invitation_find(struct tenant *t, const char *id);

/* state_invitation_ticket_new() - a fresh unguessable base64url ticket. */
void state_invitation_ticket_new(char out[INVITATION_TICKET_LEN + 1]);

/* state_invitation_ticket_ok() - does @ticket match @inv's (constant time)? */
bool state_invitation_ticket_ok(const struct invitation *inv, const char *ticket);

/*
 * state_invitation_redeem() - what following @inv's link with @ticket does:
 * on REDEEM_OK the guest's externalUserState becomes "Accepted" (with a new
 * externalUserStateChangeDateTime and an emailAddress/mail identity) and
 * the invitation's status "Completed". Any other result changes nothing.
 */
enum redeem_result state_invitation_redeem(struct state *st, struct tenant *t,
                                           struct invitation *inv, const char *ticket);

/*
 * state_invitation_email_valid() - is @addr an address Graph accepts as
 * invitedUserEmailAddress: one '@', no forbidden character, a local part
 * not starting or ending with '.' or '-', a dotted domain?
 */
bool state_invitation_email_valid(const char *addr);

/*
 * state_invitation_guest_upn() - "bob_fabrikam.com#EXT#@<domain>" for
 * "bob@fabrikam.com", with @suffix (0 = none) appended to the address's
 * local part ("bob1_fabrikam.com#EXT#@...") to make it unique. Also writes
 * the mailNickname ("bob_fabrikam.com#EXT#") to @nick when non-NULL.
 * Returns 0, or -1 when a buffer is too small.
 */
int state_invitation_guest_upn(const char *email, const char *domain, unsigned suffix,
                               char *upn, size_t upnlen, char *nick, size_t nicklen);

/*
 * state_invitations_export() - every invitation of @t as an array of
 * {"invitation", "userId", "ticket", "superseded"} (and "mail" when an email
 * was sent), oldest first, ready for state_invitations_load(); "userId" is
 * null for a detached invitation. Returns: new reference (NULL on OOM).
 */
json_t *state_invitations_export(const struct tenant *t);

/*
 * state_invitations_load() - add the invitations of export array @arr
 * (borrowed; NULL means none) to @t, whose users are already loaded. On
 * error @err gets "<path>.invitations[i].<key>: <problem>". Returns 0 or -1.
 */
int state_invitations_load(struct state *st, struct tenant *t, const json_t *arr,
                           const char *path, char *err, size_t errlen);

#endif
