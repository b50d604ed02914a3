/*
 * server/auth/keyring.c - the signing keys: the current one signs, retired
 * ones verify until the last token they signed expires (keyring.h).
 */
#include "keyring.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/util/clock.h"

static struct keyring_key *key_new(unsigned bits, int64_t now_ms)
{
	struct keyring_key *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	if (jwt_key_generate(&k->key, bits)) {
		free(k);
		return NULL;
	}
	k->created_ms = now_ms;
	atomic_store(&k->last_exp, 0);
	return k;
}

static void key_free(struct keyring_key *k)
{
	if (!k)
		return;
	jwt_key_release(&k->key);
	free(k);
}

/* Current, or retired with a token still unexpired at @now_s. */
static bool live(const struct keyring_key *k, int64_t now_s)
{
	return !k->retired_ms || atomic_load(&k->last_exp) > now_s;
}

int keyring_init(struct keyring *r, unsigned bits, int64_t now_ms)
{
	memset(r, 0, sizeof(*r));
	r->bits = bits;
	if (pthread_rwlock_init(&r->lock, NULL))
		return -1;
	r->keys[0] = key_new(bits, now_ms);
	if (!r->keys[0]) {
		pthread_rwlock_destroy(&r->lock);
		return -1;
	}
	r->n = 1;
	return 0;
}

void keyring_release(struct keyring *r)
{
	for (size_t i = 0; i < r->n; i++)
		key_free(r->keys[i]);
	pthread_rwlock_destroy(&r->lock);
	memset(r, 0, sizeof(*r));
}

char *keyring_sign(struct keyring *r, const json_t *claims)
{
	json_t *exp = json_object_get(claims, "exp");
	struct keyring_key *k;
	int64_t e, seen;
	char *token;

	pthread_rwlock_rdlock(&r->lock);
	k = r->keys[0];
	token = jwt_sign(&k->key, claims);
	/* remember the latest expiry, so a retired key lives exactly long enough */
	e = json_is_integer(exp) ? (int64_t)json_integer_value(exp) : 0;
	seen = atomic_load(&k->last_exp);
	while (token && e > seen && !atomic_compare_exchange_weak(&k->last_exp, &seen, e))
		;
	pthread_rwlock_unlock(&r->lock);
	return token;
}

enum jwt_status keyring_verify(struct keyring *r, int64_t now_s, const char *token,
                               const json_t *claims)
{
	json_t *header = jwt_peek_header(token);
	const char *kid = json_string_value(json_object_get(header, "kid"));
	enum jwt_status st = JWT_BAD_SIGNATURE;

	if (!strchr(token, '.'))
		st = JWT_NOT_JWS;
	else if (!header || !claims)
		st = JWT_MALFORMED;
	pthread_rwlock_rdlock(&r->lock);
	for (size_t i = 0; kid && st == JWT_BAD_SIGNATURE && i < r->n; i++)
		if (!strcmp(r->keys[i]->key.kid, kid) && live(r->keys[i], now_s))
			st = jwt_verify(&r->keys[i]->key, token, claims);
	pthread_rwlock_unlock(&r->lock);
	/* no kid or an unknown one: still tell a malformed token from a foreign one */
	if (st == JWT_BAD_SIGNATURE && !kid) {
		struct jws j;
		st = jws_parse(token, &j) == JWT_OK && !strcmp(j.alg, "RS256")
		         ? JWT_BAD_SIGNATURE
		         : JWT_MALFORMED;
		jws_release(&j);
	}
	json_decref(header);
	return st;
}

json_t *keyring_jwks(struct keyring *r, int64_t now_s)
{
	json_t *keys = json_array();

	pthread_rwlock_rdlock(&r->lock);
	for (size_t i = 0; keys && i < r->n; i++)
		if (live(r->keys[i], now_s) &&
		    json_array_append_new(keys, jwt_jwk(&r->keys[i]->key))) {
			json_decref(keys);
			keys = NULL;
		}
	pthread_rwlock_unlock(&r->lock);
	return keys;
}

int keyring_rotate(struct keyring *r, int64_t now_ms)
{
	struct keyring_key *fresh = key_new(r->bits, now_ms);
	struct keyring_key *old[KEYRING_MAX], *drop[KEYRING_MAX];
	size_t n, ndrop = 0, kept = 1;

	if (!fresh)
		return -1;
	pthread_rwlock_wrlock(&r->lock);
	r->keys[0]->retired_ms = now_ms;
	n = r->n;
	memcpy(old, r->keys, n * sizeof(old[0]));
	/* keep live keys, newest first, after the new one */
	for (size_t i = 0; i < n; i++) {
		if (live(old[i], now_ms / 1000) && kept < KEYRING_MAX)
			r->keys[kept++] = old[i];
		else
			drop[ndrop++] = old[i];
	}
	r->keys[0] = fresh;
	r->n = kept;
	pthread_rwlock_unlock(&r->lock);
	for (size_t i = 0; i < ndrop; i++)
		key_free(drop[i]);
	return 0;
}

static json_t *stamp(int64_t ms)
{
	char when[TIME_ISO_LEN];

	time_format(ms, TIME_SECONDS_Z, when);
	return json_string(when);
}

json_t *keyring_describe(struct keyring *r, int64_t now_ms)
{
	json_t *list = json_array();

	pthread_rwlock_rdlock(&r->lock);
	for (size_t i = 0; list && i < r->n; i++) {
		const struct keyring_key *k = r->keys[i];
		int64_t last = atomic_load(&k->last_exp);
		if (!live(k, now_ms / 1000))
			continue;
		json_array_append_new(
		    list,
		    json_pack("{s:s, s:s, s:o, s:o, s:o}", "kid", k->key.kid, "status",
		              k->retired_ms ? "retired" : "current", "createdDateTime",
		              stamp(k->created_ms), "retiredDateTime",
		              k->retired_ms ? stamp(k->retired_ms) : json_null(),
		              "verifiesUntil",
		              !k->retired_ms ? json_null() : stamp(last * 1000)));
	}
	pthread_rwlock_unlock(&r->lock);
	return json_pack("{s:o}", "value", list ? list : json_array());
}
