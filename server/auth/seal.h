/*
 * server/auth/seal.h - opaque, tamper-proof strings for what graphmock
 * hands out and takes back itself (refresh tokens, the sign-in session
 * cookie): base64url(JSON) + "." + base64url(HMAC-SHA256) under a random
 * key made at start, so they do not survive a restart (nor do the signing
 * keys).
 */
#ifndef GRAPHMOCK_SERVER_AUTH_SEAL_H
#define GRAPHMOCK_SERVER_AUTH_SEAL_H

#include <jansson.h>

#define SEAL_KEY_LEN 32

struct sealer {
	unsigned char key[SEAL_KEY_LEN];
};

/* sealer_init() - a fresh random key. */
void sealer_init(struct sealer *s);

/* seal() - @payload (borrowed, an object) sealed. Returns: new string, or NULL. */
char *seal(const struct sealer *s, const json_t *payload);

/* unseal() - the payload of a string seal() made with this key, or NULL. New. */
json_t *unseal(const struct sealer *s, const char *sealed);

#endif
