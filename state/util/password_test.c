/*
 * state/util/password_test.c - secrets at rest: a hash verifies its own
 * secret only, never contains it, differs per call (salt), matches what
 * Python's hashlib computes for the same fields, and malformed encodings are
 * refused rather than read.
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
	assert_non_null(strstr(a, "pbkdf2-hmac-sha256$1000$"));
	assert_null(strstr(a, "Adele"));
	assert_string_not_equal(a, b); /* fresh salt each time */
	assert_true(password_is_hash(a));
	assert_true(password_verify("Adele-Pass-1!", a));
	assert_true(password_verify("Adele-Pass-1!", b));
	assert_false(password_verify("adele-pass-1!", a));
	assert_false(password_verify("", a));
	assert_false(password_verify(NULL, a));
}

/*
 * The key salt is the process's, the salt the hash's own: two hashes share the
 * first and differ in the second (so equal passwords never show as equal).
 */
static void fields(void **ctx)
{
	char a[PASSWORD_HASH_LEN], b[PASSWORD_HASH_LEN];
	const char *pa, *pb;
	size_t key_salt_end;

	(void)ctx;
	password_hash("same", a);
	password_hash("same", b);
	pa = strchr(strchr(a, '$') + 1, '$') + 1; /* past "<prefix>$<iterations>$" */
	pb = strchr(strchr(b, '$') + 1, '$') + 1;
	key_salt_end = (size_t)(strchr(pa, '$') - pa);
	assert_int_equal(key_salt_end, 22); /* 16 bytes */
	assert_memory_equal(pa, pb, key_salt_end);
	assert_string_not_equal(pa + key_salt_end, pb + key_salt_end);
}

/*
 * key = PBKDF2-HMAC-SHA256("Adele-Pass-1!", bytes 0..15, 1000, 32), mac =
 * HMAC-SHA256(key, bytes 16..31), as Python's hashlib and hmac compute them:
 * a hash written by another process (another key salt) verifies.
 */
static void known_vector(void **ctx)
{
	const char *enc =
	    "pbkdf2-hmac-sha256$1000$AAECAwQFBgcICQoLDA0ODw$"
	    "EBESExQVFhcYGRobHB0eHw$4ULGNrk37jtFCSJk-v0yajKaljk7Y1_elSbBQWb1eto";

	(void)ctx;
	assert_true(password_is_hash(enc));
	assert_true(password_verify("Adele-Pass-1!", enc));
	assert_true(password_verify("Adele-Pass-1!", enc)); /* the remembered stretch */
	assert_false(password_verify("Adele-Pass-2!", enc));
	assert_false(password_verify("Adele-Pass-1", enc));
}

/* PBKDF2-HMAC-SHA256("passwd", "salt", 1 iteration, 32 bytes), as Python's hashlib
 * computes it: the one-level form of earlier exports. */
static void known_vector_v1(void **ctx)
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
	    /* the two-level form: a field missing, short salts, a bad mac */
	    "pbkdf2-hmac-sha256$1000$AAECAwQFBgcICQoLDA0ODw$"
	    "4ULGNrk37jtFCSJk-v0yajKaljk7Y1_elSbBQWb1eto",
	    "pbkdf2-hmac-sha256$1000$c2FsdA$EBESExQVFhcYGRobHB0eHw$"
	    "4ULGNrk37jtFCSJk-v0yajKaljk7Y1_elSbBQWb1eto",
	    "pbkdf2-hmac-sha256$1000$AAECAwQFBgcICQoLDA0ODw$c2FsdA$"
	    "4ULGNrk37jtFCSJk-v0yajKaljk7Y1_elSbBQWb1eto",
	    "pbkdf2-hmac-sha256$1000$AAECAwQFBgcICQoLDA0ODw$EBESExQVFhcYGRobHB0eHw$short",
	    "pbkdf2-hmac-sha256$0$AAECAwQFBgcICQoLDA0ODw$EBESExQVFhcYGRobHB0eHw$"
	    "4ULGNrk37jtFCSJk-v0yajKaljk7Y1_elSbBQWb1eto",
	    "pbkdf2-hmac-sha256$1000$AAECAwQFBgcICQoLDA0ODw$EBESExQVFhcYGRobHB0eHw$"
	    "4ULGNrk37jtFCSJk-v0yajKaljk7Y1_elSbBQWb1eto$",
	};

	(void)ctx;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(password_is_hash(bad[i]));
		assert_false(password_verify("passwd", bad[i]));
	}
	assert_false(password_is_hash(NULL));
}

/*
 * A secret stretched ahead (as the server does before it takes a tenant's
 * lock) is not stretched again by the hash made with it, and the hash is as
 * good as one made without: the stretch counter says which work was done.
 */
static void prestretch_then_hash(void **ctx)
{
	char a[PASSWORD_HASH_LEN];
	unsigned long before;

	(void)ctx;
	before = password_stretches();
	password_prestretch("Prestretched-Pass-7!");
	assert_int_equal(password_stretches(), before + 1);
	password_hash("Prestretched-Pass-7!", a);
	assert_int_equal(password_stretches(), before + 1); /* found remembered */
	assert_true(password_verify("Prestretched-Pass-7!", a));
	assert_false(password_verify("Prestretched-Pass-8!", a));
	/* another secret is stretched by its hash */
	password_hash("Other-Pass-9!", a);
	assert_true(password_stretches() >= before + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(fields),
	    cmocka_unit_test(known_vector),
	    cmocka_unit_test(known_vector_v1),
	    cmocka_unit_test(other_iteration_count),
	    cmocka_unit_test(malformed),
	    cmocka_unit_test(prestretch_then_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
