/*
 * routes/graph/invitations.c - POST /invitations (graph-spec §2, §3): validate the
 * request completely, then create (or find, or reset) the guest, record the
 * invitation with a fresh redemption ticket and send the email.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/jwriter.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../server/odata/odata.h"
#include "../../state/invitation.h"
#include "../../state/model/model.h"
#include "invitation_mail.h"
#include "permissions.h"

#define MAX_TEXT      256  /* display names, languages, cc names */
#define MAX_URL       2048 /* inviteRedirectUrl */
#define MAX_BODY_TEXT 8192 /* customizedMessageBody */
#define UPN_MAX       512

#define ODL_UNKNOWN_FMT                                                                  \
	"The property '%s' does not exist on type 'microsoft.graph.%s'. Make sure to "   \
	"only use property names that are defined by the type or mark the type as open " \
	"type."

/* The request, validated; strings borrowed from req->body. */
struct invite {
	const char *email;
	const char *redirect;
	const char *display;
	const char *user_type; /* "Guest" or "Member" */
	bool send;
	bool reset;
	const char *reset_id;
	const char *lang;
	const char *custom;
	json_t *cc; /* the ccRecipients array sent (non-empty), or NULL */
};

static const char *const invitation_props[] = {
    "invitedUserEmailAddress", "inviteRedirectUrl",
    "invitedUserDisplayName",  "sendInvitationMessage",
    "invitedUserMessageInfo",  "invitedUserType",
    "resetRedemption",         "invitedUser",
    "invitedUserSponsors",     NULL,
};
static const char *const info_props[] = {"messageLanguage", "customizedMessageBody",
                                         "ccRecipients", NULL};

/* Reject properties not in @allowed ("@odata.*" annotations are ignored). */
static int check_keys(struct resp *resp, const json_t *obj, const char *const *allowed,
                      const char *type)
{
	const char *key;
	json_t *value;

	json_object_foreach((json_t *)obj, key, value)
	{
		bool ok = !strncmp(key, "@odata.", 7);
		for (size_t i = 0; !ok && allowed[i]; i++)
			ok = !strcmp(key, allowed[i]);
		if (!ok)
			return resp_error(resp, GERR_BAD_REQUEST, ODL_UNKNOWN_FMT, key,
			                  type);
	}
	return 0;
}

static int bad_type(struct resp *resp, const char *name, const char *edm)
{
	return resp_error(
	    resp, GERR_BAD_REQUEST,
	    "Invalid value for property '%s': a value of type '%s' is expected.", name,
	    edm);
}

/* A string or null of at most @max bytes; *out NULL when absent or null. */
static int opt_string(struct resp *resp, const json_t *obj, const char *key,
                      const char *name, size_t max, const char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad_type(resp, name, "Edm.String");
	if (json_string_length(v) > max)
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    "The value of property '%s' is longer than %zu characters.", name,
		    max);
	*out = json_string_value(v);
	return 0;
}

static int opt_bool(struct resp *resp, const json_t *obj, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);

	*out = false;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return bad_type(resp, key, "Edm.Boolean");
	*out = json_is_true(v);
	return 0;
}

static int req_string(struct resp *resp, const json_t *obj, const char *key, size_t max,
                      const char **out)
{
	if (opt_string(resp, obj, key, key, max, out))
		return -1;
	if (!*out || !**out)
		return resp_error(resp, GERR_BAD_REQUEST,
		                  "The required property '%s' is missing or empty.", key);
	return 0;
}

static bool url_valid(const char *u)
{
	const char *host;

	if (!strncasecmp(u, "https://", 8))
		host = u + 8;
	else if (!strncasecmp(u, "http://", 7))
		host = u + 7;
	else
		return false;
	if (!*host || strchr("/?#:@", *host))
		return false;
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

static int parse_cc(struct resp *resp, json_t *cc, struct invite *iv)
{
	json_t *r, *ea;
	const char *addr, *name;

	if (!cc || json_is_null(cc))
		return 0;
	if (!json_is_array(cc))
		return bad_type(resp, "ccRecipients",
		                "Collection(microsoft.graph.recipient)");
	if (json_array_size(cc) > 1)
		return resp_error(resp, GERR_BAD_REQUEST,
		                  "Only one recipient is supported in "
		                  "invitedUserMessageInfo.ccRecipients; %zu were given.",
		                  json_array_size(cc));
	if (json_array_size(cc) == 0)
		return 0;
	r = json_array_get(cc, 0);
	if (!json_is_object(r))
		return bad_type(resp, "ccRecipients", "microsoft.graph.recipient");
	static const char *const recipient_props[] = {"emailAddress", NULL};
	static const char *const address_props[] = {"name", "address", NULL};
	if (check_keys(resp, r, recipient_props, "recipient"))
		return -1;
	ea = json_object_get(r, "emailAddress");
	if (!json_is_object(ea))
		return bad_type(resp, "emailAddress", "microsoft.graph.emailAddress");
	if (check_keys(resp, ea, address_props, "emailAddress") ||
	    opt_string(resp, ea, "name", "name", MAX_TEXT, &name) ||
	    opt_string(resp, ea, "address", "address", INVITATION_EMAIL_MAX + 1, &addr))
		return -1;
	if (!state_invitation_email_valid(addr))
		return resp_error(resp, GERR_BAD_REQUEST,
		                  "The ccRecipients email address '%s' is not valid.",
		                  addr ? addr : "");
	iv->cc = cc;
	return 0;
}

static int parse_info(struct resp *resp, const json_t *body, struct invite *iv)
{
	json_t *info = json_object_get(body, "invitedUserMessageInfo");

	if (!info || json_is_null(info))
		return 0;
	if (!json_is_object(info))
		return bad_type(resp, "invitedUserMessageInfo",
		                "microsoft.graph.invitedUserMessageInfo");
	if (check_keys(resp, info, info_props, "invitedUserMessageInfo") ||
	    opt_string(resp, info, "messageLanguage", "messageLanguage", 16, &iv->lang) ||
	    opt_string(resp, info, "customizedMessageBody", "customizedMessageBody",
	               MAX_BODY_TEXT, &iv->custom))
		return -1;
	return parse_cc(resp, json_object_get(info, "ccRecipients"), iv);
}

static int parse_user_type(struct resp *resp, const json_t *body, struct invite *iv)
{
	const char *ut;

	if (opt_string(resp, body, "invitedUserType", "invitedUserType", MAX_TEXT, &ut))
		return -1;
	iv->user_type = "Guest";
	if (!ut || !strcasecmp(ut, "Guest"))
		return 0;
	if (!strcasecmp(ut, "Member")) {
		iv->user_type = "Member";
		return 0;
	}
	return resp_error(
	    resp, GERR_BAD_REQUEST,
	    "Invalid value '%s' for property 'invitedUserType': expected 'Guest' "
	    "or 'Member'.",
	    ut);
}

static int parse_invited_user(struct resp *resp, const json_t *body, struct invite *iv)
{
	json_t *u = json_object_get(body, "invitedUser");
	json_t *sp = json_object_get(body, "invitedUserSponsors");
	static const char *const id_props[] = {"id", NULL};

	if (u && !json_is_null(u)) {
		if (!json_is_object(u))
			return bad_type(resp, "invitedUser", "microsoft.graph.user");
		if (opt_string(resp, u, "id", "invitedUser.id", 64, &iv->reset_id))
			return -1;
		if (iv->reset_id && !guid_valid(iv->reset_id))
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
			                  "Invalid object identifier '%s'.",
			                  iv->reset_id);
	}
	if (iv->reset && !iv->reset_id)
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    "resetRedemption requires the property 'invitedUser' with the "
		    "id of the user to reset.");
	if (!iv->reset && iv->reset_id)
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    "The property 'invitedUser' is only supported together with "
		    "'resetRedemption': true.");
	if (!sp || json_is_null(sp))
		return 0;
	if (!json_is_array(sp))
		return bad_type(resp, "invitedUserSponsors",
		                "Collection(microsoft.graph.directoryObject)");
	size_t i;
	json_t *s;
	json_array_foreach(sp, i, s)
	{
		if (!json_is_object(s))
			return bad_type(resp, "invitedUserSponsors",
			                "microsoft.graph.directoryObject");
		if (check_keys(resp, s, id_props, "directoryObject"))
			return -1;
		if (!guid_valid(json_string_value(json_object_get(s, "id"))))
			return resp_error(
			    resp, GERR_BAD_REQUEST,
			    "Each entry of 'invitedUserSponsors' needs a GUID 'id'.");
	}
	return 0;
}

/* Every check that needs no state, in the order Graph's property list gives. */
static int parse_invite(struct resp *resp, const json_t *body, struct invite *iv)
{
	memset(iv, 0, sizeof(*iv));
	if (check_keys(resp, body, invitation_props, "invitation") ||
	    req_string(resp, body, "invitedUserEmailAddress", INVITATION_EMAIL_MAX + 1,
	               &iv->email))
		return -1;
	if (!state_invitation_email_valid(iv->email))
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    "The value '%s' of property 'invitedUserEmailAddress' is not a "
		    "valid email address.",
		    iv->email);
	if (req_string(resp, body, "inviteRedirectUrl", MAX_URL, &iv->redirect))
		return -1;
	if (!url_valid(iv->redirect))
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    "The value of property 'inviteRedirectUrl' must be an absolute "
		    "http or https URL.");
	if (opt_string(resp, body, "invitedUserDisplayName", "invitedUserDisplayName",
	               MAX_TEXT, &iv->display) ||
	    opt_bool(resp, body, "sendInvitationMessage", &iv->send) ||
	    parse_info(resp, body, iv) || parse_user_type(resp, body, iv) ||
	    opt_bool(resp, body, "resetRedemption", &iv->reset))
		return -1;
	return parse_invited_user(resp, body, iv);
}

/* A user created by an invitation (any userType) or a guest may be re-invited. */
static bool is_invited(const struct dobj *d)
{
	const char *ut =
	    json_string_value(json_object_get(state_dobj_json(d), "userType"));
	const char *ct =
	    json_string_value(json_object_get(state_dobj_json(d), "creationType"));

	return (ut && !strcasecmp(ut, "Guest")) || (ct && !strcmp(ct, "Invitation"));
}

/* The user the address belongs to: mail, otherMails, then userPrincipalName. */
static struct dobj *find_owner(struct tenant *t, const char *email)
{
	static const enum dobj_index order[] = {IDX_MAIL, IDX_UPN};
	struct dobj *const *hits;
	size_t n;

	for (size_t k = 0; k < 2; k++) {
		hits = state_dobj_lookup(t, order[k], email, &n);
		for (size_t i = 0; i < n; i++)
			if (hits[i]->kind == DOBJ_USER)
				return hits[i];
	}
	return NULL;
}

static int member_exists(struct resp *resp, const struct dobj *d)
{
	/* objectID in one word, and the tail (msgraph-beta-sdk-dotnet#798). */
	return resp_error(resp, GERR_BAD_REQUEST,
	                  "The invited user already exists in the directory as objectID: "
	                  "%s. They can use that account to sign in to shared apps and "
	                  "resources.",
	                  d->id);
}

/*
 * The objects below are built member by member rather than with json_pack():
 * its format parsing cost ~16k instructions an object, an eighth of what
 * POST /invitations cost. set() keeps json_pack's failure rule: a member
 * whose value could not be made (NULL: OOM, invalid UTF-8) fails the object.
 */
static bool set(json_t *o, const char *key, json_t *v)
{
	/* Every @key is an ASCII literal of this file: jansson's UTF-8 check
	 * of it was ~220 instructions a member, 39 members a request. */
	return json_object_set_new_nocheck(o, key, v) ==
	       0; /* steals @v, also on failure */
}

/* json_pack's "s?": a string, or null for NULL. */
static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* json_pack's "[s]". */
static json_t *one_string(const char *s)
{
	json_t *a = json_array();

	if (a && json_array_append_new(a, json_string(s))) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* Fails (NULL) when any set() in @ok did, freeing @o. */
static json_t *built(json_t *o, bool ok)
{
	if (ok)
		return o;
	json_decref(o);
	return NULL;
}

/* A guest's one identity: its UPN, issued by the tenant. */
static json_t *guest_identities(const char *domain, const char *upn)
{
	json_t *id = json_object(), *list = json_array();
	bool ok = id && list && set(id, "signInType", json_string("userPrincipalName")) &&
	          set(id, "issuer", json_string(domain)) &&
	          set(id, "issuerAssignedId", json_string(upn)) &&
	          !json_array_append(list, id);

	json_decref(id);
	return built(list, ok);
}

/* A fresh guest (graph-spec §3) with a UPN no other user holds. NULL on OOM. */
static json_t *guest_new(struct state *st, struct tenant *t, const struct invite *iv)
{
	char upn[UPN_MAX], nick[UPN_MAX], display[INVITATION_EMAIL_MAX + 1];
	char smtp[INVITATION_EMAIL_MAX + 8];
	size_t n;
	unsigned suffix = 0;
	json_t *obj, *now;
	bool ok;

	do {
		if (state_invitation_guest_upn(iv->email, t->domain, suffix, upn,
		                               sizeof(upn), nick, sizeof(nick)))
			return NULL;
		state_dobj_lookup(t, IDX_UPN, upn, &n);
	} while (n && ++suffix < 1000);
	snprintf(display, sizeof(display), "%.*s",
	         (int)(strchr(iv->email, '@') - iv->email), iv->email);
	snprintf(smtp, sizeof(smtp), "SMTP:%s", iv->email);
	now = model_timestamp(st);
	obj = json_object();
	ok = obj && now &&
	     set(obj, "displayName", json_string(iv->display ? iv->display : display)) &&
	     set(obj, "userPrincipalName", json_string(upn)) &&
	     set(obj, "mailNickname", json_string(nick)) &&
	     set(obj, "mail", json_string(iv->email)) &&
	     set(obj, "otherMails", one_string(iv->email)) &&
	     set(obj, "proxyAddresses", one_string(smtp)) &&
	     set(obj, "userType", json_string(iv->user_type)) &&
	     set(obj, "creationType", json_string("Invitation")) &&
	     set(obj, "externalUserState", json_string("PendingAcceptance")) &&
	     set(obj, "externalUserStateChangeDateTime",
	         json_string(json_string_value(now))) &&
	     set(obj, "identities", guest_identities(t->domain, upn)) &&
	     set(obj, "accountEnabled", json_true()) &&
	     set(obj, "showInAddressList", json_false()) &&
	     set(obj, "createdDateTime", json_incref(now));
	json_decref(now);
	obj = built(obj, ok);
	if (obj && model_user_complete(st, t, obj)) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/* resetRedemption (§2.4): back to PendingAcceptance under the new address. */
static int guest_reset(struct state *st, struct tenant *t, struct dobj *d,
                       const char *email)
{
	char smtp[INVITATION_EMAIL_MAX + 8];
	json_t *ids = json_object_get(state_dobj_json(d), "identities");
	json_t *kept = json_array();
	size_t i;
	json_t *id;

	snprintf(smtp, sizeof(smtp), "SMTP:%s", email);
	json_array_foreach(ids, i, id)
	{
		const char *s = json_string_value(json_object_get(id, "signInType"));
		/* the federated identity the previous redemption added goes */
		if (!s || (strcmp(s, "federated") && strcmp(s, "emailAddress")))
			json_array_append(kept, id);
	}
	if (!kept || json_object_set_new(state_dobj_json(d), "identities", kept) ||
	    json_object_set_new(state_dobj_json(d), "mail", json_string(email)) ||
	    json_object_set_new(state_dobj_json(d), "otherMails",
	                        json_pack("[s]", email)) ||
	    json_object_set_new(state_dobj_json(d), "proxyAddresses",
	                        json_pack("[s]", smtp)) ||
	    json_object_set_new(state_dobj_json(d), "externalUserState",
	                        json_string("PendingAcceptance")) ||
	    json_object_set_new(state_dobj_json(d), "externalUserStateChangeDateTime",
	                        model_timestamp(st)))
		return -1;
	return state_dobj_reindex(t, d);
}

static json_t *message_info(const struct invite *iv)
{
	json_t *ea = json_object_get(json_array_get(iv->cc, 0), "emailAddress");
	json_t *name = json_object_get(ea, "name");
	json_t *addr = json_object_get(ea, "address");

	json_t *o = json_object(), *rcpt = json_object(), *to = json_object();
	json_t *list = json_array();
	bool ok = o && rcpt && to && list &&
	          set(o, "messageLanguage", string_or_null(iv->lang)) &&
	          set(o, "customizedMessageBody", string_or_null(iv->custom)) &&
	          /* Graph's quirk: one recipient of nulls when none was sent (§2.2). */
	          set(to, "name", name ? json_incref(name) : json_null()) &&
	          set(to, "address", addr ? json_incref(addr) : json_null()) &&
	          set(rcpt, "emailAddress", json_incref(to)) &&
	          !json_array_append(list, rcpt) &&
	          set(o, "ccRecipients", json_incref(list));

	json_decref(to);
	json_decref(rcpt);
	json_decref(list);
	return built(o, ok);
}

/*
 * Graph's inviteRedeemUrl (graph-spec §2.2): the login host's
 * /redeem?rd=<the invitations service's /redeem/?tenant&user&ticket&ver=2.0,
 * URL-encoded with lower-case hex>, both hosts being graphmock's own origin so
 * that a plain GET of the link redeems it (routes/entra/redeem.c reads rd).
 */
static void redeem_url(const struct req *req, const char *tenant, const char *inv_id,
                       const char *ticket, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char inner[640];
	size_t n;

	snprintf(inner, sizeof(inner), "%s/redeem/?tenant=%s&user=%s&ticket=%s&ver=2.0",
	         req->base_url, tenant, inv_id, ticket);
	n = (size_t)snprintf(out, len, "%s/redeem?rd=", req->base_url);
	for (const char *p = inner; *p && n + 4 < len; p++) {
		unsigned char ch = (unsigned char)*p;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("-._~", ch)) {
			out[n++] = (char)ch;
		} else {
			out[n++] = '%';
			out[n++] = hex[ch >> 4];
			out[n++] = hex[ch & 15];
		}
	}
	out[n < len ? n : len - 1] = '\0';
}

/* The invitation resource in §2.2's key order, without @odata.context. */
static json_t *invitation_new(const struct req *req, const struct tenant *t,
                              const struct invite *iv, const char *inv_id,
                              const char *user_id, const char *ticket, const char *status)
{
	char url[2048];
	json_t *o = json_object(), *invited = json_object();
	bool ok;

	redeem_url(req, t->id, inv_id, ticket, url, sizeof(url));
	ok = o && invited && set(o, "id", json_string(inv_id)) &&
	     set(o, "inviteRedeemUrl", json_string(url)) &&
	     set(o, "invitedUserDisplayName", string_or_null(iv->display)) &&
	     set(o, "invitedUserType", json_string(iv->user_type)) &&
	     set(o, "invitedUserEmailAddress", json_string(iv->email)) &&
	     set(o, "sendInvitationMessage", json_boolean(iv->send)) &&
	     set(o, "resetRedemption", json_boolean(iv->reset)) &&
	     set(o, "inviteRedirectUrl", json_string(iv->redirect)) &&
	     set(o, "status", json_string(status)) &&
	     set(o, "invitedUserMessageInfo", message_info(iv)) &&
	     set(invited, "id", json_string(user_id)) &&
	     set(o, "invitedUser", json_incref(invited));
	json_decref(invited);
	return built(o, ok);
}

/* Resolve the guest the invitation is for; *guest NULL means "create one". */
static int resolve_guest(struct call *c, const struct invite *iv, struct dobj **guest)
{
	struct tenant *t = c->tenant;
	struct dobj *owner = find_owner(t, iv->email);
	const char *at = strchr(iv->email, '@');

	*guest = NULL;
	if (iv->reset) {
		*guest = state_dobj_find(c->st, t, DOBJ_USER, iv->reset_id);
		if (!*guest)
			return resp_not_found(c->resp, iv->reset_id);
		if (owner && owner != *guest)
			return member_exists(c->resp, owner);
		return 0;
	}
	if (owner && !is_invited(owner))
		return member_exists(c->resp, owner);
	if (!owner && !strcasecmp(at + 1, t->domain))
		return resp_error(c->resp, GERR_BAD_REQUEST,
		                  "This user cannot be invited because the domain of the "
		                  "user's email address is a verified domain of this "
		                  "directory.");
	*guest = owner;
	return 0;
}

static int respond(const struct req *req, struct resp *resp,
                   const struct invitation *inv);

/* Does the token's wids hold @role? */
static bool token_role(const json_t *claims, const char *role)
{
	size_t i;
	json_t *w;

	json_array_foreach(json_object_get(claims, "wids"), i, w)
	{
		if (json_is_string(w) && !strcasecmp(json_string_value(w), role))
			return true;
	}
	return false;
}

/*
 * authorizationPolicy.allowInvitesFrom (identity.md §8.3): who may invite.
 * App-only callers only when everyone or all members may; signed-in users
 * as the policy says, where "admins" are Global Administrators, User
 * Administrators and Guest Inviters. 0, or -1 after the 403.
 */
static int invites_allowed(struct call *c)
{
	const json_t *claims = c->req->claims;
	const char *policy = c->tenant->allow_invites_from;
	const char *idtyp = json_string_value(json_object_get(claims, "idtyp"));
	bool user = idtyp ? !strcmp(idtyp, "user")
	                  : json_is_string(json_object_get(claims, "scp"));
	bool guest = json_integer_value(json_object_get(claims, "acct")) == 1;
	bool admin = token_role(claims, "62e90394-69f5-4237-9190-012177145e10") ||
	             token_role(claims, "fe930be7-5e62-47db-91af-98c3a49a38b1") ||
	             token_role(claims, "95e79109-95c0-4d8e-aee3-d01accf2d47b");
	bool ok;

	if (!strcasecmp(policy, "everyone"))
		ok = true;
	else if (!strcasecmp(policy, "adminsGuestInvitersAndAllMembers"))
		ok = !user || !guest;
	else if (!strcasecmp(policy, "adminsAndGuestInviters"))
		ok = user && admin;
	else
		ok = false;
	if (ok)
		return 0;
	return resp_error(c->resp, GERR_FORBIDDEN,
	                  "Guest invitations not allowed for your company. Contact your "
	                  "company administrator for more details.");
}

static int invitations_create(struct call *c)
{
	char inv_id[GUID_STR_LEN + 1], user_id[GUID_STR_LEN + 1];
	char ticket[INVITATION_TICKET_LEN + 1];
	struct tenant *t = c->tenant;
	struct dobj *guest, *created = NULL;
	const char *state_now = NULL, *display;
	json_t *user = NULL, *inv;
	struct invitation *stored;
	struct invite iv;

	if (invites_allowed(c) || parse_invite(c->resp, c->req->body, &iv) ||
	    resolve_guest(c, &iv, &guest))
		return -1;
	if (guest) {
		snprintf(user_id, sizeof(user_id), "%s", guest->id);
		state_now = json_string_value(
		    json_object_get(state_dobj_json(guest), "externalUserState"));
	} else {
		user = guest_new(c->st, t, &iv);
		if (!user)
			return resp_error(c->resp, GERR_INTERNAL,
			                  "Creating the guest user failed.");
		snprintf(user_id, sizeof(user_id), "%s",
		         json_string_value(json_object_get(user, "id")));
	}
	state_dobj_new_id(c->st, t, inv_id);
	state_invitation_ticket_new(ticket);
	/* A guest who already redeemed stays Accepted: the new invitation is Completed.
	 */
	inv = invitation_new(c->req, c->tenant, &iv, inv_id, user_id, ticket,
	                     !iv.reset && state_now && !strcmp(state_now, "Accepted")
	                         ? "Completed"
	                         : "PendingAcceptance");
	if (user) {
		created = state_dobj_add(c->st, t, DOBJ_USER, user);
		if (!created) {
			json_decref(inv);
			return resp_error(c->resp, GERR_INTERNAL,
			                  "Storing the guest user failed.");
		}
	}
	stored = state_invitation_add(c->st, t, inv_id, user_id, ticket, inv);
	if (!stored) {
		if (created)
			state_dobj_remove(t, created);
		return resp_error(c->resp, GERR_INTERNAL,
		                  "Storing the invitation failed.");
	}
	if (iv.reset && guest_reset(c->st, t, guest, iv.email))
		return resp_error(c->resp, GERR_INTERNAL,
		                  "Resetting the redemption failed.");
	guest = created ? created : guest;
	display =
	    json_string_value(json_object_get(state_dobj_json(guest), "displayName"));
	if (iv.send && invitation_mail_send(c->st, t, stored, display ? display : ""))
		return resp_error(c->resp, GERR_INTERNAL,
		                  "Storing the invitation email failed.");
	return respond(c->req, c->resp, stored);
}

/*
 * The answer as rendering {"@odata.context": @ctx} updated with @obj prints
 * it, written at once instead of building that object (~10k instructions).
 * NULL when it cannot be written (OOM, @ctx not UTF-8).
 */
static char *respond_text(const char *ctx, const json_t *obj, size_t *len)
{
	struct buf w;

	buf_init(&w, RESP_TEXT_MAX);
	buf_add(&w, "{", 1);
	jwriter_key(&w, "@odata.context");
	jwriter_string(&w, ctx, strlen(ctx));
	for (void *it = json_object_iter((json_t *)obj); it;
	     it = json_object_iter_next((json_t *)obj, it)) {
		buf_add(&w, ",", 1);
		jwriter_string(&w, json_object_iter_key(it),
		               json_object_iter_key_len(it));
		buf_add(&w, ":", 1);
		jwriter_value(&w, json_object_iter_value(it));
	}
	buf_add(&w, "}", 1);
	return buf_detach(&w, len);
}

static int respond(const struct req *req, struct resp *resp, const struct invitation *inv)
{
	const char *version = req->version[0] ? req->version : "v1.0";
	char ctx[320];
	json_t *body;

	snprintf(ctx, sizeof(ctx), "%s/%s/$metadata#invitations/$entity", req->base_url,
	         version);
	/* Only the bytes are read (and no metadata is stripped): write them. */
	if (resp->bytes_only && !odata_metadata_none(req) &&
	    !json_object_get(inv->obj, "@odata.context")) {
		size_t len;
		char *text = respond_text(ctx, inv->obj, &len);

		if (!text)
			return resp_error(resp, GERR_INTERNAL,
			                  "Building the response failed.");
		resp_header(resp, "Location", "%s/%s/invitations/%s", req->base_url,
		            version, inv->id);
		return resp_odata_text(resp, 201, text, len);
	}
	body = json_pack("{s:s}", "@odata.context", ctx);
	if (!body || json_object_update(body, inv->obj)) {
		json_decref(body);
		return resp_error(resp, GERR_INTERNAL, "Building the response failed.");
	}
	resp_header(resp, "Location", "%s/%s/invitations/%s", req->base_url, version,
	            inv->id);
	return odata_respond_body(req, resp, 201, body);
}

const struct route invitations_routes[] = {
    {"POST", "/invitations", invitations_create, ROUTE_JSON_BODY, NULL, &PERMS_INVITE},
    {0},
};
