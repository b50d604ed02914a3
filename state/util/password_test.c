/*
 * state/util/password_test.c - secrets at rest: a hash verifies its own
 * secret only, never contains it, differs per call (salt), and malformed
 * encodings are refused rather than read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "password.h"

static void round_trip(void **ctx)
{
	char a[PASSWORD_HASH_LEN], b[PASSWORD_HASH_LEN];

	(void)ctx;
	password_hash("Adele-Pass-1!", a);
	password_hash("Adele-Pass-1!", b);
	assert_non_null(strstr(a, "pbkdf2-sha256$1000$"));
	assert_null(strstr(a, "Adele"));
	assert_string_not_equal(a, b); /* fresh salt each time */
	assert_true(password_is_hash(a));
	assert_true(password_verify("Adele-Pass-1!", a));
	assert_true(password_verify("Adele-Pass-1!", b));
	assert_false(password_verify("adele-pass-1!", a));
	assert_false(password_verify("", a));
	assert_false(password_verify(NULL, a));
}

/* PBKDF2-HMAC-SHA256("passwd", "salt", 1 iteration, 32 bytes), as Python's hashlib
 * computes it. */
static void known_vector(void **ctx)
{
	const char *enc =
	    "pbkdf2-sha256$1$c2FsdA$VawEblbjCJ_sFpHCJUS2BflBhSFt3gRl5oudV8INrLw";

	(void)ctx;
	assert_true(password_is_hash(enc));
	assert_true(password_verify("passwd", enc));
	assert_false(password_verify("passwe", enc));
}

/* A hash exported by a graphmock that used 10,000 iterations still verifies. */
static void other_iteration_count(void **ctx)
{
	const char *enc = "pbkdf2-sha256$10000$AAECAwQFBgcICQoLDA0ODw$"
	                  "WllNarGQqUojX9vOAFkhfNNB0dREFjUabcuMpa8H6Dw";

	(void)ctx;
	assert_true(password_is_hash(enc));
	assert_true(password_verify("Adele-Pass-1!", enc));
	assert_false(password_verify("Adele-Pass-2!", enc));
}

static void malformed(void **ctx)
{
	static const char *const bad[] = {
	    "",
	    "Adele-Pass-1!",
	    "pbkdf2-sha256$",
	    "pbkdf2-sha256$0$c2FsdA$VawEblbjCJ_sFpHCJUS2BflBhSFt3gRl5oudV8INrLw",
	    "pbkdf2-sha256$99999999$c2FsdA$VawEblbjCJ_sFpHCJUS2BflBhSFt3gRl5oudV8INrLw",
	    "pbkdf2-sha256$1$$VawEblbjCJ_sFpHCJUS2BflBhSFt3gRl5oudV8INrLw",
	    "pbkdf2-sha256$1$c2FsdA$short",
	    "pbkdf2-sha1$1$c2FsdA$VawEblbjCJ_sFpHCJUS2BflBhSFt3gRl5oudV8INrLw",
	};

	(void)ctx;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(password_is_hash(bad[i]));
		assert_false(password_verify("passwd", bad[i]));
	}
	assert_false(password_is_hash(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(known_vector),
	    cmocka_unit_test(other_iteration_count),
	    cmocka_unit_test(malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
