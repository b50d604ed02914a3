/*
 * server/faults/throttle.h - token buckets for throttling rules, and the Retry-After
 * deadlines each client was given (to count clients that retry too early).
 * Keys are strings the fault engine builds: rule id plus tenant and client.
 * Not thread-safe: the fault engine calls these under its own lock.
 */
#ifndef GRAPHMOCK_SERVER_FAULTS_THROTTLE_H
#define GRAPHMOCK_SERVER_FAULTS_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum throttle_per {
	THROTTLE_CLIENT, /* per (tenant, client): Authorization header, else client IP */
	THROTTLE_TENANT, /* per tenant */
	THROTTLE_GLOBAL, /* one bucket */
};

/* A budget: @limit requests per @window_ms, refilled continuously. */
struct throttle_spec {
	int64_t limit;
	int64_t window_ms;
	enum throttle_per per;
};

struct throttle_entry;

struct throttle {
	struct throttle_entry *entries; /* buckets and Retry-After deadlines, by key */
	size_t count;
};

/* throttle_init() / throttle_release() - empty table; free every entry. */
void throttle_init(struct throttle *t);
void throttle_release(struct throttle *t);

/*
 * throttle_take() - take one token from bucket @key (created full) at
 * @now_ms. Returns 0 when granted, else the milliseconds until a token is
 * back (at least 1). Returns 0 (grant) when memory runs out.
 */
int64_t throttle_take(struct throttle *t, const char *key, const struct throttle_spec *s,
                      int64_t now_ms);

/* throttle_set_deadline() - remember that @key was told to wait until @until_ms. */
void throttle_set_deadline(struct throttle *t, const char *key, int64_t until_ms);

/* throttle_early() - did @key come back before its deadline? (false when none) */
bool throttle_early(const struct throttle *t, const char *key, int64_t now_ms);

/* throttle_forget() - drop every entry whose key starts with @prefix. */
void throttle_forget(struct throttle *t, const char *prefix);

#endif
