/*
 * routes/graph/invitation_mail.c - composing the invitation email (subject, text
 * and HTML bodies with the redemption link) and storing it in the outbox as
 * the delivery verdict says.
 */
#include "invitation_mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/invitation.h"
#include "../../state/mail_delivery.h"
#include "../../state/mailbox.h"
#include "../../state/model/model.h"

#define MAIL_FROM "invites@microsoft.com"

char *invitation_mail_html_escape(const char *s)
{
	size_t n = 1;
	char *out, *o;

	for (const char *p = s; *p; p++)
		n += strchr("&<>\"'", *p) ? 6 : 1;
	out = malloc(n);
	if (!out)
		return NULL;
	o = out;
	for (const char *p = s; *p; p++) {
		const char *rep = *p == '&'    ? "&amp;"
		                  : *p == '<'  ? "&lt;"
		                  : *p == '>'  ? "&gt;"
		                  : *p == '"'  ? "&quot;"
		                  : *p == '\'' ? "&#39;"
		                               : NULL;
		if (rep) {
			memcpy(o, rep, strlen(rep));
			o += strlen(rep);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The cc list as {name, address} pairs, from the invitation's ccRecipients. */
static json_t *cc_list(const json_t *inv)
{
	json_t *info = json_object_get(inv, "invitedUserMessageInfo");
	json_t *out = json_array();
	size_t i;
	json_t *r;

	json_array_foreach(json_object_get(info, "ccRecipients"), i, r)
	{
		json_t *ea = json_object_get(r, "emailAddress");
		json_t *addr = json_object_get(ea, "address");
		json_t *name = json_object_get(ea, "name");
		if (!json_is_string(addr))
			continue;
		json_array_append_new(out, json_pack("{s:O, s:O}", "name",
		                                     name ? name : json_null(), "address",
		                                     addr));
	}
	return out;
}

/* Text and HTML bodies; NULL on OOM. */
static int compose(const struct tenant *t, const json_t *inv, char **text, char **html)
{
	const json_t *info = json_object_get(inv, "invitedUserMessageInfo");
	const char *custom = str(info, "customizedMessageBody");
	const char *lang = str(info, "messageLanguage");
	const char *url = str(inv, "inviteRedeemUrl");
	char intro[512], note[160] = "";
	char *e_intro = NULL, *e_custom = NULL, *e_url = NULL;
	size_t tlen, hlen;
	int rc = -1;

	snprintf(intro, sizeof(intro),
	         "%s invited you to access applications within their organization.",
	         t->display_name);
	/* Graph ignores messageLanguage when a customized body is given. */
	if (lang && !custom)
		snprintf(note, sizeof(note), "Message language: %s\n", lang);
	tlen = strlen(intro) + (custom ? strlen(custom) : 0) + strlen(url) +
	       strlen(note) + 256;
	*text = malloc(tlen);
	e_intro = invitation_mail_html_escape(intro);
	e_custom = invitation_mail_html_escape(custom ? custom : "");
	e_url = invitation_mail_html_escape(url);
	if (!*text || !e_intro || !e_custom || !e_url)
		goto out_free;
	snprintf(*text, tlen, "%s\n\n%s%sAccept invitation: %s\n\n%s", intro,
	         custom ? custom : "", custom ? "\n\n" : "", url, note);
	hlen = strlen(e_intro) + strlen(e_custom) + strlen(e_url) + strlen(note) + 512;
	*html = malloc(hlen);
	if (!*html)
		goto out_free;
	snprintf(*html, hlen,
	         "<html><body><p>%s</p>%s%s%s<p><a href=\"%s\">Accept invitation</a></p>"
	         "%s%s%s</body></html>",
	         e_intro, custom ? "<p>" : "", e_custom, custom ? "</p>" : "", e_url,
	         note[0] ? "<p>" : "", note, note[0] ? "</p>" : "");
	rc = 0;
out_free:
	free(e_intro);
	free(e_custom);
	free(e_url);
	if (rc) {
		free(*text);
		*text = NULL;
	}
	return rc;
}

static json_t *message_new(struct state *st, const struct tenant *t, const json_t *inv,
                           const char *user_id, const char *display, const char *status,
                           const char *reason)
{
	const json_t *info = json_object_get(inv, "invitedUserMessageInfo");
	char from[256], subject[256], id[GUID_STR_LEN + 1];
	char *text, *html;
	json_t *lang = json_object_get(info, "messageLanguage");
	json_t *msg;

	if (compose(t, inv, &text, &html))
		return NULL;
	snprintf(from, sizeof(from), "Microsoft Invitations on behalf of %s",
	         t->display_name);
	snprintf(subject, sizeof(subject), "You're invited to the %s organization",
	         t->display_name);
	guid_random(id);
	msg = json_pack(
	    "{s:s, s:o, s:s, s:s?, s:{s:s, s:s}, s:[{s:s, s:s}], s:o, s:s, s:s, "
	    "s:s, s:s, s:s, s:s, s:s, s:O}",
	    "id", id, "createdDateTime", model_timestamp(st), "status", status, "reason",
	    reason, "from", "name", from, "address", MAIL_FROM, "to", "name", display,
	    "address", str(inv, "invitedUserEmailAddress"), "cc", cc_list(inv), "subject",
	    subject, "text", text, "html", html, "redeemUrl", str(inv, "inviteRedeemUrl"),
	    "invitationId", str(inv, "id"), "userId", user_id, "tenantId", t->id,
	    "messageLanguage", lang ? lang : json_null());
	free(text);
	free(html);
	return msg;
}

int invitation_mail_send(struct state *st, struct tenant *t, struct invitation *inv,
                         const char *display)
{
	const char *to = str(inv->obj, "invitedUserEmailAddress");
	int64_t visible = state_now_ms(st);
	struct mail_verdict v;
	json_t *msg;
	char id[GUID_STR_LEN + 1];

	mail_delivery_decide(st, t->id, to, &v);
	if (v.outcome == MAIL_DROPPED)
		return state_invitation_set_mail(inv, mail_delivery_name(v.outcome), NULL,
		                                 v.rule_id, NULL, 0);
	if (v.outcome == MAIL_DELAYED && v.delay_ms > 0)
		visible += v.delay_ms;
	msg = message_new(st, t, inv->obj, inv->user_id, display,
	                  v.outcome == MAIL_BOUNCED ? "bounced" : "delivered",
	                  v.outcome == MAIL_BOUNCED ? v.reason : NULL);
	if (!msg)
		return -1;
	snprintf(id, sizeof(id), "%s", str(msg, "id"));
	if (!state_mail_add(st, t, msg, visible))
		return -1;
	return state_invitation_set_mail(inv, mail_delivery_name(v.outcome),
	                                 v.outcome == MAIL_BOUNCED ? v.reason : NULL,
	                                 v.rule_id, id, visible);
}
