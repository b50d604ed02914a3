/*
 * state/util/password.h - secrets at rest: user passwords and application
 * client secrets are kept only as salted PBKDF2-HMAC-SHA256 hashes
 * ("pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>"), never in clear,
 * so neither GET /_mock/state nor a saved --state-file holds one.
 */
#ifndef GRAPHMOCK_STATE_UTIL_PASSWORD_H
#define GRAPHMOCK_STATE_UTIL_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_LEN 128 /* room for the encoded form, NUL included */
/*
 * A mock's cost, not a production one (OWASP asks 600k): ~0.3 ms a hash here,
 * so a suite creating users with passwords is not bound by it (10,000 made
 * POST /users ~3 ms). Verification reads the count from the stored hash, so
 * hashes exported with any other count still verify.
 */
#define PASSWORD_ITERATIONS 1000

/*
 * password_hash() - hash @secret with a fresh random salt into @out
 * (PASSWORD_HASH_LEN bytes). Thread-safe; touches no seeded generator, so
 * object ids stay reproducible with --seed. Returns 0 (it cannot fail).
 */
int password_hash(const char *secret, char out[PASSWORD_HASH_LEN]);

/* password_verify() - does @secret hash to @encoded? false for a malformed @encoded. */
bool password_verify(const char *secret, const char *encoded);

/* password_is_hash() - is @s in the encoded form password_hash() writes? */
bool password_is_hash(const char *s);

#endif
