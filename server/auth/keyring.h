/*
 * server/auth/keyring.h - graphmock's token signing keys and their rotation
 * (Learn: signing-key-rollover): one current key signs; POST
 * /_mock/keys/rotate makes a new current key and retires the old one, which
 * stays in the JWKS and keeps verifying until every token it signed has
 * expired on the mock clock, then drops out. Verification picks the key by
 * the token header's kid. Thread-safe (a rwlock: signing and verifying
 * share it, rotation takes it exclusively).
 */
#ifndef GRAPHMOCK_SERVER_AUTH_KEYRING_H
#define GRAPHMOCK_SERVER_AUTH_KEYRING_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "jwt.h"

#define KEYRING_MAX 16 /* keys kept at most; the oldest retired one goes first */

struct keyring_key {
	struct jwt_key key;
	int64_t created_ms;       /* mock clock */
	int64_t retired_ms;       /* 0 while current */
	_Atomic int64_t last_exp; /* the latest exp (s) of a token it signed */
};

struct keyring {
	pthread_rwlock_t lock;
	struct keyring_key *keys[KEYRING_MAX]; /* [0] is current, then newest first */
	size_t n;
	unsigned bits;
};

/*
 * keyring_init() - a ring with one fresh RSA-@bits key, created at mock time
 * @now_ms. 0, or -1 after printing why. keyring_release() frees it.
 */
int keyring_init(struct keyring *r, unsigned bits, int64_t now_ms);
void keyring_release(struct keyring *r);

/* keyring_sign() - jwt_sign() with the current key. New string or NULL. */
char *keyring_sign(struct keyring *r, const json_t *claims);

/*
 * keyring_verify() - jwt_verify() with the live key the header's kid names
 * (a retired key whose tokens have all expired by @now_s is not live):
 * JWT_BAD_SIGNATURE when no live key has that kid.
 */
enum jwt_status keyring_verify(struct keyring *r, int64_t now_s, const char *token,
                               const json_t *claims);

/* keyring_jwks() - the live keys as JWKs (current first). New array or NULL. */
json_t *keyring_jwks(struct keyring *r, int64_t now_s);

/*
 * keyring_rotate() - generate a key (outside the lock: ~100 ms), make it
 * current, retire the old one at @now_ms and forget keys no longer live.
 * 0, or -1 when generation failed (the ring unchanged).
 */
int keyring_rotate(struct keyring *r, int64_t now_ms);

/*
 * keyring_describe() - {"value": [{kid, status: "current"|"retired",
 * createdDateTime, retiredDateTime, validUntil}]}, live keys only: what
 * GET/POST /_mock/keys answer. New.
 */
json_t *keyring_describe(struct keyring *r, int64_t now_ms);

#endif
