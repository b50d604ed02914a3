/*
 * state/invitation.c - the per-tenant invitation table.
 */
#include "invitation.h"

void state_invitations_clear(struct tenant *t)
{
	struct invitation *inv, *tmp;

	HASH_ITER(hh, t->invitations, inv, tmp) {
		HASH_DEL(t->invitations, inv);
		json_decref(inv->obj);
		free(inv);
	}
}
