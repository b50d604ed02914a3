/*
 * state/invitation.h - B2B invitations: each POST /invitations creates one,
 * with an unguessable redemption ticket. Locking: caller holds st->lock.
 */
#ifndef GRAPHMOCK_STATE_INVITATION_H
#define GRAPHMOCK_STATE_INVITATION_H

#include <jansson.h>

#include "state.h"

struct invitation {
	char id[GUID_STR_LEN + 1];
	char user_id[GUID_STR_LEN + 1];
	char ticket[64];
	uint64_t seq;
	json_t *obj; /* owned: the invitation resource as POST returned it */
	UT_hash_handle hh;
};

/* state_invitations_clear() - free every invitation of @t. */
void state_invitations_clear(struct tenant *t);

#endif
