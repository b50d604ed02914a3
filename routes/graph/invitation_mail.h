/*
 * routes/graph/invitation_mail.h - the email POST /invitations "sends": composed
 * here, handed to mail_delivery_decide() and stored in the tenant's outbox
 * (state/mailbox.h) according to the verdict.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_INVITATION_MAIL_H
#define GRAPHMOCK_ROUTES_GRAPH_INVITATION_MAIL_H

#include <jansson.h>

struct invitation;
struct state;
struct tenant;

/*
 * invitation_mail_send() - compose the invitation email for @inv (the stored
 * invitation) to its guest, shown as @display, and deliver it per the fault
 * verdict: delivered (visible now), bounced (stored with status "bounced"
 * and the reason), delayed (visible later) or dropped (not stored). The
 * verdict is recorded on @inv (state_invitation_set_mail). Returns 0, or -1
 * on OOM.
 */
int invitation_mail_send(struct state *st, struct tenant *t, struct invitation *inv,
                         const char *display);

/*
 * invitation_mail_html_escape() - @s with & < > " ' escaped for HTML.
 * Returns: new string (malloc), or NULL on OOM.
 */
char *invitation_mail_html_escape(const char *s);

#endif
