/*
 * state/util/b64_test.c - the base64 codec against RFC 4648's test vectors,
 * round trips at every length that exercises a padding case, and the inputs
 * each decoder must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "b64.h"

/* RFC 4648 §10, in both alphabets (these vectors use neither '+' nor '/'). */
static void rfc4648_vectors(void **ctx)
{
	static const char *const plain[] = {"",     "f",     "fo",    "foo",
	                                    "foob", "fooba", "foobar"};
	static const char *const coded[] = {"",       "Zg",      "Zm8",     "Zm9v",
	                                    "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};

	(void)ctx;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char out[16];
		size_t n;
		unsigned char *dec;

		b64url_encode_to(plain[i], strlen(plain[i]), out);
		assert_string_equal(out, coded[i]);
		assert_int_equal(b64url_len(strlen(plain[i])), strlen(coded[i]));
		dec = b64_decode(coded[i], strlen(coded[i]), &n);
		assert_non_null(dec);
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(dec, plain[i], n);
		free(dec);
	}
}

/*
 * b64url_encode_to() writes b64url_len() + 1 bytes and not one more, padding
 * case or not: each output is a heap block of exactly that size, so a write
 * past it is an ASan report (nettle's padded form is up to two bytes longer).
 */
static void encode_to_exact_room(void **ctx)
{
	unsigned char in[40];

	(void)ctx;
	memset(in, 0xa5, sizeof(in));
	for (size_t len = 0; len <= sizeof(in); len++) {
		char *out = malloc(b64url_len(len) + 1);

		assert_non_null(out);
		b64url_encode_to(in, len, out);
		assert_int_equal(strlen(out), b64url_len(len));
		free(out);
	}
}

/* Every byte value, every length 0..40: encode then decode gives the input back. */
static void round_trips(void **ctx)
{
	unsigned char in[40], out[41];

	(void)ctx;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 37 + 251);
	for (size_t len = 0; len <= sizeof(in); len++) {
		char *s = b64url_encode(in, len);

		assert_non_null(s);
		assert_int_equal(strlen(s), b64url_len(len));
		assert_null(strpbrk(s, "+/="));
		assert_int_equal(b64url_decode_to(s, strlen(s), out, sizeof(out)),
		                 (long)len);
		assert_memory_equal(out, in, len);
		free(s);
	}
}

static void standard_alphabet_and_padding(void **ctx)
{
	size_t n;
	unsigned char *d;

	(void)ctx;
	d = b64_decode("+/8=", 4, &n); /* standard alphabet, padded */
	assert_non_null(d);
	assert_int_equal(n, 2);
	assert_int_equal(d[0], 0xfb);
	assert_int_equal(d[1], 0xff);
	free(d);
	d = b64_decode("-_8", 3, &n); /* the same bytes, url alphabet, unpadded */
	assert_non_null(d);
	assert_int_equal(n, 2);
	assert_int_equal(d[0], 0xfb);
	free(d);
}

/* The padded standard form (x5c, Edm.Binary): RFC 4648 §10 and a '+', '/' case. */
static void standard_encoder(void **ctx)
{
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba"};
	static const char *const coded[] = {
	    "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE="};
	static const unsigned char high[] = {0xfb, 0xff, 0xbf};

	(void)ctx;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char *out = b64_encode(plain[i], strlen(plain[i]));
		assert_string_equal(out, coded[i]);
		free(out);
	}
	{
		char *out = b64_encode(high, sizeof(high));
		assert_string_equal(out, "+/+/");
		free(out);
	}
}

static void refused(void **ctx)
{
	unsigned char out[8];
	size_t n;

	(void)ctx;
	assert_null(b64_decode("Z", 1, &n));     /* impossible length */
	assert_null(b64_decode("Zm9v!", 5, &n)); /* outside both alphabets */
	assert_null(b64_decode("+-8=", 4, &n));  /* alphabets mixed */
	assert_null(b64_decode("Zm 9v", 5, &n)); /* whitespace */
	assert_null(b64_decode("Zm\0v", 4, &n)); /* NUL */
	assert_int_equal(b64url_decode_to("Zg==", 4, out, sizeof(out)), -1); /* padded */
	assert_int_equal(b64url_decode_to("+/8", 3, out, sizeof(out)), -1); /* alphabet */
	assert_int_equal(b64url_decode_to("Zm9vYmFy", 8, out, 4), -1);      /* too big */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rfc4648_vectors),
	    cmocka_unit_test(encode_to_exact_room),
	    cmocka_unit_test(round_trips),
	    cmocka_unit_test(standard_alphabet_and_padding),
	    cmocka_unit_test(standard_encoder),
	    cmocka_unit_test(refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
