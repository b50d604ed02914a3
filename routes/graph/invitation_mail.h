/*
 * routes/graph/invitation_mail.h - the email POST /invitations "sends": composed
 * here, handed to mail_delivery_decide() and stored in the tenant's outbox
 * (state/mailbox.h) according to the verdict.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_INVITATION_MAIL_H
#define GRAPHMOCK_ROUTES_GRAPH_INVITATION_MAIL_H

#include <jansson.h>

struct state;
struct tenant;

/*
 * invitation_mail_send() - compose the invitation email for @inv (borrowed:
 * the stored invitation resource) to the guest @user_id / @display and
 * deliver it per the fault verdict: delivered (visible now), bounced
 * (stored with status "bounced" and the reason), delayed (visible later)
 * or dropped (not stored). Returns 0, or -1 on OOM (nothing stored).
 */
int invitation_mail_send(struct state *st, struct tenant *t, const json_t *inv,
                         const char *user_id, const char *display);

/*
 * invitation_mail_html_escape() - @s with & < > " ' escaped for HTML.
 * Returns: new string (malloc), or NULL on OOM.
 */
char *invitation_mail_html_escape(const char *s);

#endif
