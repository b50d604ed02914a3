/*
 * state/invitation.c - the per-tenant invitation table, redemption tickets,
 * redeeming, and the invitee address and guest UPN rules.
 */
#include "invitation.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "changelog.h"
#include "deleted.h"
#include "util/b64.h"

/* Take @inv out of its user's chain (and the user's entry once empty). */
static void unlink_user(struct tenant *t, struct invitation *inv)
{
	struct invitation_user *u = inv->user;

	if (!u)
		return;
	if (inv->newer)
		inv->newer->older = inv->older;
	else
		u->newest = inv->older;
	if (inv->older)
		inv->older->newer = inv->newer;
	inv->user = NULL;
	inv->older = inv->newer = NULL;
	if (--u->count == 0) {
		HASH_DEL(t->invitations_by_user, u);
		free(u);
	}
}

static void invitation_remove(struct tenant *t, struct invitation *inv)
{
	unlink_user(t, inv);
	HASH_DEL(t->invitations, inv);
	json_decref(inv->obj);
	json_decref(inv->mail);
	free(inv);
}

void state_invitations_clear(struct tenant *t)
{
	struct invitation *inv, *tmp;

	HASH_ITER(hh, t->invitations, inv, tmp)
	invitation_remove(t, inv);
}

static struct invitation_user *user_find(struct tenant *t, const char *user_id)
{
	struct invitation_user *u;

	HASH_FIND_STR(t->invitations_by_user, user_id, u);
	return u;
}

void state_invitations_detach_user(struct tenant *t, const char *user_id)
{
	struct invitation_user *u = user_find(t, user_id);

	while (u && u->newest) {
		struct invitation *inv = u->newest;
		bool last = u->count == 1;

		unlink_user(t, inv); /* frees u with the last one */
		inv->user_id[0] = '\0';
		if (last)
			break;
	}
}

struct invitation *state_invitation_find(struct tenant *t, const char *id)
{
	char key[GUID_STR_LEN + 1];
	struct invitation *inv;

	if (!guid_valid(id))
		return NULL;
	guid_lower(id, key);
	HASH_FIND_STR(t->invitations, key, inv);
	return inv;
}

/* The chain entry for @user_id, made when missing. NULL on OOM. */
static struct invitation_user *user_get(struct tenant *t, const char *user_id)
{
	struct invitation_user *u = user_find(t, user_id), *check;

	if (u)
		return u;
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	memcpy(u->user_id, user_id, sizeof(u->user_id));
	HASH_ADD_STR(t->invitations_by_user, user_id, u);
	HASH_FIND_STR(t->invitations_by_user, u->user_id, check);
	if (check != u) {
		free(u);
		return NULL;
	}
	return u;
}

/* Keep what the bounds allow: the user's newest ones, the tenant's newest ones. */
static void trim(struct tenant *t, struct invitation_user *u)
{
	while (u->count > INVITATIONS_PER_USER) {
		struct invitation *oldest = u->newest;

		while (oldest->older)
			oldest = oldest->older;
		invitation_remove(t, oldest);
	}
	/* uthash keeps insertion order: the head is the oldest invitation. */
	while (HASH_COUNT(t->invitations) > INVITATIONS_MAX)
		invitation_remove(t, t->invitations);
}

/* state_invitation_add() for @user_id, or detached when @user_id is NULL. */
static struct invitation *invitation_insert(struct state *st, struct tenant *t,
                                            const char *id, const char *user_id,
                                            const char *ticket, json_t *obj)
{
	struct invitation *inv, *check;
	struct invitation_user *u = NULL;

	if (!obj || !guid_valid(id) || (user_id && !guid_valid(user_id)) || !ticket ||
	    strlen(ticket) >= sizeof(inv->ticket) || state_invitation_find(t, id))
		goto out_put_obj;
	inv = calloc(1, sizeof(*inv));
	if (!inv)
		goto out_put_obj;
	guid_lower(id, inv->id);
	if (user_id) {
		guid_lower(user_id, inv->user_id);
		u = user_get(t, inv->user_id);
		if (!u) {
			free(inv);
			goto out_put_obj;
		}
	}
	snprintf(inv->ticket, sizeof(inv->ticket), "%s", ticket);
	inv->seq = state_next_seq(st);
	inv->obj = obj;
	HASH_ADD_STR(t->invitations, id, inv);
	HASH_FIND_STR(t->invitations, inv->id, check);
	if (check != inv) {
		if (u && !u->count) {
			HASH_DEL(t->invitations_by_user, u);
			free(u);
		}
		free(inv);
		goto out_put_obj;
	}
	if (!u)
		return inv;
	/* Only after the add succeeded: a failed invite must not kill old tickets.
	 * Every older invitation of the user is superseded already. */
	if (u->newest) {
		u->newest->superseded = true;
		u->newest->newer = inv;
	}
	inv->older = u->newest;
	inv->user = u;
	u->newest = inv;
	u->count++;
	trim(t, u);
	return inv;

out_put_obj:
	json_decref(obj);
	return NULL;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

int state_invitation_set_mail(struct invitation *inv, const char *outcome,
                              const char *reason, const char *rule_id,
                              const char *message_id, int64_t visible_at_ms)
{
	json_t *mail = json_pack(
	    "{s:s, s:o, s:o, s:o, s:o}", "outcome", outcome, "reason",
	    empty(reason) ? json_null() : json_string(reason), "ruleId",
	    empty(rule_id) ? json_null() : json_string(rule_id), "messageId",
	    empty(message_id) ? json_null() : json_string(message_id), "visibleAtMs",
	    empty(message_id) ? json_null() : json_integer(visible_at_ms));

	if (!mail)
		return -1;
	json_decref(inv->mail);
	inv->mail = mail;
	return 0;
}

struct invitation *state_invitation_add(struct state *st, struct tenant *t,
                                        const char *id, const char *user_id,
                                        const char *ticket, json_t *obj)
{
	if (!user_id) {
		json_decref(obj);
		return NULL;
	}
	return invitation_insert(st, t, id, user_id, ticket, obj);
}

void state_invitation_ticket_new(char out[INVITATION_TICKET_LEN + 1])
{
	uint8_t raw[INVITATION_TICKET_BYTES];

	_Static_assert(INVITATION_TICKET_BYTES % 3 == 0,
	               "ticket bytes must avoid padding");
	_Static_assert(INVITATION_TICKET_BYTES / 3 * 4 == INVITATION_TICKET_LEN,
	               "ticket length");
	random_bytes(raw, sizeof(raw));
	b64url_encode_to(raw, sizeof(raw), out);
}

bool state_invitation_ticket_ok(const struct invitation *inv, const char *ticket)
{
	size_t n = strlen(inv->ticket);
	unsigned char diff = 0;

	if (!ticket || strlen(ticket) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(inv->ticket[i] ^ ticket[i]);
	return diff == 0;
}

static bool has_identity(json_t *ids, const char *sign_in_type, const char *issuer)
{
	size_t i;
	json_t *id;

	json_array_foreach(ids, i, id)
	{
		const char *s = json_string_value(json_object_get(id, "signInType"));
		const char *is = json_string_value(json_object_get(id, "issuer"));
		if (s && is && !strcmp(s, sign_in_type) && !strcasecmp(is, issuer))
			return true;
	}
	return false;
}

/* Is @email on the domain of a tenant graphmock holds (an Entra account)? */
static bool entra_account(struct state *st, const char *email)
{
	const char *at = strchr(email, '@');

	for (struct tenant *o = st->tenants; at && o; o = o->hh.next)
		if (o->domain && !strcasecmp(o->domain, at + 1))
			return true;
	return false;
}

enum redeem_result state_invitation_redeem(struct state *st, struct tenant *t,
                                           struct invitation *inv, const char *ticket)
{
	const char *email =
	    json_string_value(json_object_get(inv->obj, "invitedUserEmailAddress"));
	const char *status = json_string_value(json_object_get(inv->obj, "status"));
	json_t *ids, *stamp, *ident = NULL;
	char when[TIME_ISO_LEN];
	struct dobj *d;

	if (!state_invitation_ticket_ok(inv, ticket))
		return REDEEM_BAD_TICKET;
	if (inv->superseded)
		return REDEEM_SUPERSEDED;
	if (status && !strcmp(status, "Completed"))
		return REDEEM_AGAIN;
	HASH_FIND_STR(t->objects, inv->user_id, d);
	if (!d || d->kind != DOBJ_USER)
		return REDEEM_NO_USER;
	/* Reached by its id, not found by a lookup, and often by a GET (the
	 * link): told to the change log (delta, notifications) and to the
	 * rewind record before it changes. */
	state_dobj_touch(st, t, d);
	ids = json_object_get(state_dobj_json(d), "identities");
	time_format(state_now_ms(st), TIME_SECONDS_Z, when);
	stamp = json_string(when);
	/* graph-spec §3.2: a "federated" identity, first, the UPN entry kept:
	 * issuer ExternalAzureAD for an Entra account (an address on another
	 * tenant's domain here), "mail" for an email one-time passcode. */
	if (email && !has_identity(ids, "federated", "ExternalAzureAD") &&
	    !has_identity(ids, "federated", "mail"))
		ident = entra_account(st, email)
		            ? json_pack("{s:s, s:s, s:n}", "signInType", "federated",
		                        "issuer", "ExternalAzureAD", "issuerAssignedId")
		            : json_pack("{s:s, s:s, s:s}", "signInType", "federated",
		                        "issuer", "mail", "issuerAssignedId", email);
	if (ident && !json_is_array(ids)) {
		ids = json_array();
		json_object_set_new(state_dobj_json(d), "identities", ids);
	}
	if (ident)
		json_array_insert_new(ids, 0, ident);
	json_object_set_new(state_dobj_json(d), "externalUserState",
	                    json_string("Accepted"));
	json_object_set_new(state_dobj_json(d), "externalUserStateChangeDateTime", stamp);
	json_object_set_new(inv->obj, "status", json_string("Completed"));
	return REDEEM_OK;
}

/* The characters graph-spec §2.1 forbids anywhere in an invitee address. */
static bool forbidden_char(unsigned char c)
{
	return c <= ' ' || c >= 0x7f || strchr("~!#$%^&*()+=[]{}\\/|;:\"<>?,'`", c);
}

bool state_invitation_email_valid(const char *addr)
{
	const char *at, *dom;
	size_t len, local;

	if (!addr)
		return false;
	len = strlen(addr);
	at = strchr(addr, '@');
	if (!len || len > INVITATION_EMAIL_MAX || !at || strchr(at + 1, '@'))
		return false;
	for (const char *p = addr; *p; p++)
		if (*p != '@' && forbidden_char((unsigned char)*p))
			return false;
	local = (size_t)(at - addr);
	if (!local || strchr(".-", addr[0]) || strchr(".-", addr[local - 1]))
		return false;
	dom = at + 1;
	if (!*dom || !strchr(dom, '.') || dom[0] == '.' || dom[0] == '-' ||
	    dom[strlen(dom) - 1] == '.' || dom[strlen(dom) - 1] == '-' ||
	    strstr(dom, ".."))
		return false;
	for (const char *p = dom; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
			return false;
	return true;
}

int state_invitation_guest_upn(const char *email, const char *domain, unsigned suffix,
                               char *upn, size_t upnlen, char *nick, size_t nicklen)
{
	const char *at = strchr(email, '@');
	char digits[16] = "";
	char base[INVITATION_EMAIL_MAX + 32];
	int n;

	if (!at)
		return -1;
	if (suffix)
		snprintf(digits, sizeof(digits), "%u", suffix);
	n = snprintf(base, sizeof(base), "%.*s%s_%s#EXT#", (int)(at - email), email,
	             digits, at + 1);
	if (n < 0 || (size_t)n >= sizeof(base))
		return -1;
	n = snprintf(upn, upnlen, "%s@%s", base, domain);
	if (n < 0 || (size_t)n >= upnlen)
		return -1;
	if (nick) {
		n = snprintf(nick, nicklen, "%s", base);
		if (n < 0 || (size_t)n >= nicklen)
			return -1;
	}
	return 0;
}

json_t *state_invitations_export(const struct tenant *t)
{
	json_t *arr = json_array();

	for (struct invitation *inv = t->invitations; arr && inv; inv = inv->hh.next)
		if (json_array_append_new(
		        arr,
		        json_pack("{s:O, s:s?, s:s, s:b, s:O*}", "invitation", inv->obj,
		                  "userId", inv->user_id[0] ? inv->user_id : NULL,
		                  "ticket", inv->ticket, "superseded", inv->superseded,
		                  "mail", inv->mail))) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

static int fail(char *err, size_t errlen, const char *path, size_t i, const char *what)
{
	snprintf(err, errlen, "%s.invitations[%zu]%s", path, i, what);
	return -1;
}

static bool ticket_valid(const char *s)
{
	if (!s || strlen(s) != INVITATION_TICKET_LEN)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return false;
	return true;
}

static bool string_or_null(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return v && (json_is_string(v) || json_is_null(v));
}

/* An export's "mail": absent, null, or the object state_invitation_set_mail() makes. */
static int mail_check(const json_t *mail, char *err, size_t errlen, const char *path,
                      size_t i)
{
	static const char *const outcomes[] = {"delivered", "bounced", "delayed",
	                                       "dropped"};
	const char *outcome = json_string_value(json_object_get(mail, "outcome"));
	const json_t *at = json_object_get(mail, "visibleAtMs");
	bool known = false;

	if (!mail || json_is_null(mail))
		return 0;
	for (size_t k = 0; outcome && k < 4; k++)
		known |= !strcmp(outcome, outcomes[k]);
	if (!json_is_object(mail) || !known)
		return fail(
		    err, errlen, path, i,
		    ".mail.outcome: must be delivered, bounced, delayed or dropped");
	if (!string_or_null(mail, "reason") || !string_or_null(mail, "ruleId") ||
	    !string_or_null(mail, "messageId") || !at ||
	    !(json_is_integer(at) || json_is_null(at)) || json_object_size(mail) != 5)
		return fail(err, errlen, path, i,
		            ".mail: must hold exactly outcome, reason, ruleId, messageId "
		            "(strings or null) and visibleAtMs (integer or null)");
	return 0;
}

int state_invitations_load(struct state *st, struct tenant *t, const json_t *arr,
                           const char *path, char *err, size_t errlen)
{
	size_t i;
	json_t *item;

	if (!arr)
		return 0;
	if (!json_is_array(arr)) {
		snprintf(err, errlen, "%s.invitations: must be an array", path);
		return -1;
	}
	json_array_foreach(arr, i, item)
	{
		json_t *obj = json_object_get(item, "invitation");
		const char *uid = json_string_value(json_object_get(item, "userId"));
		const char *ticket = json_string_value(json_object_get(item, "ticket"));
		json_t *sup = json_object_get(item, "superseded");
		const char *id = json_string_value(json_object_get(obj, "id"));
		struct dobj *d = NULL;

		if (!json_is_object(item))
			return fail(err, errlen, path, i, ": must be an object");
		if (!json_is_object(obj) || !guid_valid(id))
			return fail(err, errlen, path, i,
			            ".invitation: must be an object with a GUID \"id\"");
		if (guid_valid(uid)) {
			char key[GUID_STR_LEN + 1];
			struct deleted_item *gone;
			guid_lower(uid, key);
			HASH_FIND_STR(t->objects, key, d);
			/* a user in deleted items keeps its invitations: restored,
			 * it can redeem them */
			gone = d ? NULL : state_deleted_find(t, key);
			if (gone)
				d = gone->d;
		}
		/* null: the invited user was deleted (a detached invitation) */
		if (!json_is_null(json_object_get(item, "userId")) &&
		    (!d || d->kind != DOBJ_USER))
			return fail(err, errlen, path, i, ".userId: no such user");
		if (!ticket_valid(ticket))
			return fail(err, errlen, path, i,
			            ".ticket: must be a 40-character base64url string");
		if (sup && !json_is_boolean(sup))
			return fail(err, errlen, path, i,
			            ".superseded: must be a boolean");
		if (mail_check(json_object_get(item, "mail"), err, errlen, path, i))
			return -1;
		if (!invitation_insert(st, t, id, d ? uid : NULL, ticket,
		                       json_deep_copy(obj)))
			return fail(err, errlen, path, i,
			            ".invitation.id: duplicate id or out of memory");
	}
	/* Restore exactly what was exported, not what add() inferred. */
	json_array_foreach(arr, i, item)
	{
		json_t *obj = json_object_get(item, "invitation");
		struct invitation *inv = state_invitation_find(
		    t, json_string_value(json_object_get(obj, "id")));
		if (!inv)
			continue;
		inv->superseded = json_is_true(json_object_get(item, "superseded"));
		if (!json_is_object(json_object_get(item, "mail")))
			continue;
		inv->mail = json_deep_copy(json_object_get(item, "mail"));
		if (!inv->mail)
			return fail(err, errlen, path, i, ".mail: out of memory");
	}
	return 0;
}
