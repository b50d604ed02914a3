/*
 * state/subscription.h - change-notification subscriptions of a tenant
 * (Graph's /subscriptions): what each watches and until when. The Graph
 * resource as the routes render it is kept as JSON; the parts that decide
 * which changes a subscription hears of are kept parsed beside it. Expiry
 * is on the mock clock. Delivery is the server's (server/notify/).
 * Locking: the tenant's lock.
 */
#ifndef GRAPHMOCK_STATE_SUBSCRIPTION_H
#define GRAPHMOCK_STATE_SUBSCRIPTION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

/* Graph: users, groups and other directory resources: 41,760 minutes (under 29 days). */
#define SUBSCRIPTION_MAX_MINUTES 41760
/* Graph: "... set to under 45 minutes after the time of the request is
 * automatically set to 45 minutes after the request time." */
#define SUBSCRIPTION_MIN_MINUTES 45

enum sub_change {
	SUB_CREATED = 1 << 0,
	SUB_UPDATED = 1 << 1,
	SUB_DELETED = 1 << 2,
};

/* What a resource string names: a collection, one object, or a group's members. */
struct sub_target {
	enum dobj_kind kind;       /* DOBJ_USER or DOBJ_GROUP */
	char id[GUID_STR_LEN + 1]; /* "" for the whole collection */
	bool members;              /* groups/{id}/members */
};

struct subscription {
	char id[GUID_STR_LEN + 1];
	json_t *obj; /* owned: the subscription resource, clientState included */
	struct sub_target target;
	unsigned changes;   /* enum sub_change */
	int64_t expires_ms; /* mock clock */
	bool reauth_sent;   /* reauthorizationRequired sent for this expiry */
	uint64_t seq;
	UT_hash_handle hh;
};

/*
 * state_subscription_target() - parse @resource ("users", "/Users",
 * "users/{id}", "groups", "groups/{id}", "groups/{id}/members"; the
 * collection names in any case) into @out. 0, or -1 when graphmock cannot
 * watch it.
 */
int state_subscription_target(const char *resource, struct sub_target *out);

/*
 * state_subscription_changes() - "updated,deleted" as enum sub_change bits;
 * 0 when empty or any item is unknown.
 */
unsigned state_subscription_changes(const char *s);

/*
 * state_subscription_add() - store @obj (steals; needs "id", "resource",
 * "changeType", "expirationDateTime") as a subscription of @t. Returns
 * borrowed, or NULL on a bad object, a taken id or OOM (obj released).
 */
struct subscription *state_subscription_add(struct state *st, struct tenant *t,
                                            json_t *obj);

/* state_subscription_find() - by id (any case), NULL once expired. Borrowed. */
struct subscription *state_subscription_find(struct state *st, struct tenant *t,
                                             const char *id);

/* state_subscription_set_expiry() - a new expirationDateTime (renewal). 0 or -1 (OOM). */
int state_subscription_set_expiry(struct subscription *s, int64_t ms);

/* state_subscription_remove() - delete and free @s. */
void state_subscription_remove(struct tenant *t, struct subscription *s);

/* state_subscriptions_expire() - remove those whose expiry has passed on the mock clock.
 */
void state_subscriptions_expire(struct state *st, struct tenant *t);

/* state_subscriptions_clear() - free them all (tenant teardown). */
void state_subscriptions_clear(struct tenant *t);

/*
 * state_subscriptions_export() - [{"subscription": {...}, "reauthorizationSent":
 * bool}] in creation order; new reference or NULL. state_subscriptions_load()
 * - the inverse for the fixture loader; 0, or -1 with the problem in @err.
 */
json_t *state_subscriptions_export(const struct tenant *t);
int state_subscriptions_load(struct state *st, struct tenant *t, const json_t *arr,
                             const char *path, char *err, size_t errlen);

/*
 * state_tenant_tick() - the mock clock's housekeeping for @t, run whenever a
 * request locks it: purge deleted items past 30 days, drop change-log
 * entries past the token lifetime, remove expired subscriptions.
 */
void state_tenant_tick(struct state *st, struct tenant *t);

#endif
