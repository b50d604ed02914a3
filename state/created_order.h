/*
 * state/created_order.h - how the store keeps its orders by createdDateTime
 * (state_dobj_created_order(), state.h) in step: state/dobj.c tells them of
 * every object entering or leaving a kind's seq order. An order is a cache:
 * whatever it cannot follow (memory, a value that is no date-time, an entry
 * not found) drops it, and the next query that asks makes it again.
 * Locking: the tenant's lock.
 */
#ifndef GRAPHMOCK_STATE_CREATED_ORDER_H
#define GRAPHMOCK_STATE_CREATED_ORDER_H

#include "state.h"

/* state_created_linked() - @d has just entered t->by_seq[d->kind]. */
void state_created_linked(struct tenant *t, struct dobj *d);

/* state_created_unlinking() - @d (its seq as it entered) is about to leave it. */
void state_created_unlinking(struct tenant *t, struct dobj *d);

/* state_created_free() - every order of @t dropped (the tenant goes). */
void state_created_free(struct tenant *t);

#endif
