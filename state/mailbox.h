/*
 * state/mailbox.h - graphmock's outbox: the invitation emails Graph would
 * have sent, per tenant, in arrival order. A delayed message is stored at
 * once but stays invisible until its visible_at_ms. Locking: caller holds
 * st->lock.
 */
#ifndef GRAPHMOCK_STATE_MAILBOX_H
#define GRAPHMOCK_STATE_MAILBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "state.h"

/* Messages kept per tenant; the oldest goes when a new one would exceed it. */
#define MAILBOX_MAX 5000

struct mail_message {
	char id[GUID_STR_LEN + 1];
	uint64_t seq;
	int64_t visible_at_ms; /* hidden from every read before this mock time */
	bool read;             /* Mailpit's Read flag: set when the message is opened */
	json_t *obj;           /* owned: the message as /_mock/mailbox shows it */
	UT_hash_handle hh;
};

/* state_mailbox_clear() - delete every message of @t. */
void state_mailbox_clear(struct tenant *t);

/*
 * state_mail_add() - store message @obj (steals; must hold a GUID "id")
 * visible from @visible_at_ms on. Drops the oldest message past MAILBOX_MAX.
 * Returns borrowed, or NULL when the id exists or on OOM (obj released).
 */
struct mail_message *state_mail_add(struct state *st, struct tenant *t, json_t *obj,
                                    int64_t visible_at_ms);

/* state_mail_visible() - has @m's delivery time come on the mock clock? */
bool state_mail_visible(const struct state *st, const struct mail_message *m);

/* state_mail_find() - a visible message by id (any case). Borrowed or NULL. */
struct mail_message *state_mail_find(struct state *st, struct tenant *t, const char *id);

/*
 * state_mail_list() - the visible messages of @t, newest first, into a
 * malloc'ed array of borrowed pointers (*n of them; NULL with *n = 0 when
 * there are none). Returns -1 on OOM.
 */
int state_mail_list(struct state *st, struct tenant *t, struct mail_message ***out,
                    size_t *n);

/* state_mail_remove() - delete @m. */
void state_mail_remove(struct tenant *t, struct mail_message *m);

/* state_mail_addressed_to() - is @addr (any case) among @m's to or cc addresses? */
bool state_mail_addressed_to(const struct mail_message *m, const char *addr);

/*
 * state_mailbox_export() - every message of @t, invisible ones included, as
 * an array of {"message", "visibleAtMs", "read"}, oldest first.
 * Returns: new reference (NULL on OOM).
 */
json_t *state_mailbox_export(const struct tenant *t);

/*
 * state_mailbox_load() - add the messages of export array @arr (borrowed;
 * NULL means none) to @t. On error @err gets "<path>.mailbox[i].<key>:
 * <problem>". Returns 0 or -1.
 */
int state_mailbox_load(struct state *st, struct tenant *t, const json_t *arr,
                       const char *path, char *err, size_t errlen);

#endif
