/*
 * state/mail_delivery.c - deciding the fate of invitation emails: the mail
 * rules of the fault engine decide; without a server (unit tests) or a
 * matching rule, mail is delivered.
 */
#include "mail_delivery.h"

#include <string.h>

#include "state.h"

void mail_delivery_decide(struct state *st, const char *tenant_id, const char *recipient,
                          struct mail_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->outcome = MAIL_DELIVERED;
	if (st && st->mail_rules)
		st->mail_rules(st->mail_ctx, tenant_id, recipient, v);
}

const char *mail_delivery_name(enum mail_delivery d)
{
	switch (d) {
	case MAIL_DELIVERED:
		return "delivered";
	case MAIL_BOUNCED:
		return "bounced";
	case MAIL_DELAYED:
		return "delayed";
	case MAIL_DROPPED:
		return "dropped";
	}
	return "delivered";
}
