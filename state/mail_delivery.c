/*
 * state/mail_delivery.c - deciding the fate of invitation emails.
 */
#include "mail_delivery.h"

#include <string.h>

void mail_delivery_decide(struct state *st, const char *tenant_id, const char *recipient,
			  struct mail_verdict *v)
{
	(void)st;
	(void)tenant_id;
	(void)recipient;
	memset(v, 0, sizeof(*v));
	v->outcome = MAIL_DELIVERED;
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
