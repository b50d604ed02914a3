/*
 * state/mail_delivery.h - what happens to an invitation email: delivered
 * (the default), bounced, delayed or dropped. Fault rules (issue 6) decide;
 * the invitation route only asks. Locking: caller holds the tenant's lock.
 */
#ifndef GRAPHMOCK_STATE_MAIL_DELIVERY_H
#define GRAPHMOCK_STATE_MAIL_DELIVERY_H

#include <stdint.h>

struct state;

enum mail_delivery {
	MAIL_DELIVERED,
	MAIL_BOUNCED, /* stored with status "bounced" and reason */
	MAIL_DELAYED, /* appears in the mailbox delay_ms later */
	MAIL_DROPPED, /* never appears */
};

struct mail_verdict {
	enum mail_delivery outcome;
	int64_t delay_ms;
	char reason[160];
	char rule_id[64]; /* the rule that decided, "" for the default */
};

/*
 * mail_delivery_decide() - the verdict for a message to @recipient: what the
 * mail rules handed over by state_set_mail_rules() say (the fault engine's,
 * docs/faults.md), else delivered.
 * A delayed message becomes visible delay_ms after now on the mock clock.
 */
void mail_delivery_decide(struct state *st, const char *tenant_id, const char *recipient,
                          struct mail_verdict *v);

/* mail_delivery_name() - "delivered", "bounced", "delayed", "dropped". */
const char *mail_delivery_name(enum mail_delivery d);

#endif
