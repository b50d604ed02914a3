/*
 * state/util/password.h - secrets at rest: user passwords and application
 * client secrets are kept only as salted, stretched hashes, never in clear,
 * so neither GET /_mock/state nor a saved --state-file holds one:
 * "pbkdf2-hmac-sha256$<iterations>$<key salt>$<salt>$<mac>" (base64url), where
 * the key is PBKDF2-HMAC-SHA256(secret, key salt, iterations) and the mac
 * HMAC-SHA256(key, salt). The key salt is drawn once per process, so the
 * stretch of a secret is computed once and remembered (password.c); the salt
 * is fresh per hash. The older "pbkdf2-sha256$<iterations>$<salt>$<key>" still
 * verifies.
 */
#ifndef GRAPHMOCK_STATE_UTIL_PASSWORD_H
#define GRAPHMOCK_STATE_UTIL_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_LEN 128 /* room for the encoded form, NUL included */
/*
 * A mock's cost, not a production one (OWASP asks 600k): ~0.3 ms a stretch
 * here, paid once per distinct secret while it stays among the last few.
 * Verification reads the count from the stored hash, so hashes exported with
 * any other count still verify.
 */
#define PASSWORD_ITERATIONS 1000

/*
 * password_hash() - hash @secret with a fresh random salt into @out
 * (PASSWORD_HASH_LEN bytes): two calls never give the same string. Thread-safe;
 * touches no seeded generator, so object ids stay reproducible with --seed.
 * Returns 0 (it cannot fail).
 */
int password_hash(const char *secret, char out[PASSWORD_HASH_LEN]);

/*
 * password_prestretch() - compute and remember the stretch password_hash()
 * will need for @secret, so a hash made soon after finds it: the server
 * calls it for a request's new password before it takes the tenant's lock,
 * which the hash is then made under (server/exchange.c). Thread-safe.
 */
void password_prestretch(const char *secret);

/* password_stretches() - how many stretches this process has computed (a
 * secret found remembered is not computed again). */
unsigned long password_stretches(void);

/* password_verify() - does @secret hash to @encoded? false for a malformed @encoded. */
bool password_verify(const char *secret, const char *encoded);

/* password_is_hash() - is @s in the encoded form password_hash() writes? */
bool password_is_hash(const char *s);

#endif
