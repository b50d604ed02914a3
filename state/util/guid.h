/*
 * state/util/guid.h - GUIDs and randomness. Object ids come from a seedable PRNG
 * (struct rng, reproducible with --seed); request ids and redemption tickets
 * come from the kernel's random source and are never reproducible.
 */
#ifndef GRAPHMOCK_STATE_UTIL_GUID_H
#define GRAPHMOCK_STATE_UTIL_GUID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUID_STR_LEN 36

/* xoshiro256** state; not thread-safe, callers hold the state lock. */
struct rng {
	uint64_t s[4];
};

/* rng_seed() - deterministic stream for @seed (splitmix64 expansion). */
void rng_seed(struct rng *r, uint64_t seed);

/* rng_next() - next 64 random bits. */
uint64_t rng_next(struct rng *r);

/* rng_double() - uniform in [0, 1). */
double rng_double(struct rng *r);

/* guid_from_rng() - version-4 GUID from @r into @out (37 bytes, lower case). */
void guid_from_rng(struct rng *r, char out[GUID_STR_LEN + 1]);

/* guid_random() - version-4 GUID from the kernel's random source. Thread-safe. */
void guid_random(char out[GUID_STR_LEN + 1]);

/* random_bytes() - @n unpredictable bytes. Thread-safe. */
void random_bytes(void *buf, size_t n);

/* guid_valid() - is @s exactly 8-4-4-4-12 hex digits (either case)? */
bool guid_valid(const char *s);

/* guid_to_bytes_le() - the 16 bytes of @s in .NET (little-endian) order; -1 if invalid.
 */
int guid_to_bytes_le(const char *s, uint8_t out[16]);

/* guid_lower() - copy @s lower-cased into @out (37 bytes). */
void guid_lower(const char *s, char out[GUID_STR_LEN + 1]);

#endif
