/*
 * state/mailbox.h - graphmock's outbox: the invitation emails Graph would
 * have sent, per tenant. Locking: caller holds st->lock.
 */
#ifndef GRAPHMOCK_STATE_MAILBOX_H
#define GRAPHMOCK_STATE_MAILBOX_H

#include <jansson.h>

#include "state.h"

struct mail_message {
	char id[GUID_STR_LEN + 1];
	uint64_t seq;
	json_t *obj; /* owned: the message as /_mock/mailbox shows it */
	UT_hash_handle hh;
};

/* state_mailbox_clear() - delete every message of @t. */
void state_mailbox_clear(struct tenant *t);

#endif
