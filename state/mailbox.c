/*
 * state/mailbox.c - the per-tenant outbox.
 */
#include "mailbox.h"

void state_mailbox_clear(struct tenant *t)
{
	struct mail_message *m, *tmp;

	HASH_ITER(hh, t->mailbox, m, tmp) {
		HASH_DEL(t->mailbox, m);
		json_decref(m->obj);
		free(m);
	}
}
