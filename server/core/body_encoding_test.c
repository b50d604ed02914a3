/*
 * server/core/body_encoding_test.c - a gzip body is inflated in place of the
 * upload, whole (several members too); a truncated or trailing-garbage one
 * is corrupt; one inflating past the bound stops there (a 1 MB bomb against
 * 64 KiB); an encoding not taken is named so; a failed allocation leaves the
 * upload as it was and leaks nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../state/util/alloc.h"
#include "body_encoding.h"
#include "req.h"

/* @len bytes of @data as one gzip member (malloc'ed, length in @out_len). */
static unsigned char *gzip(const void *data, size_t len, size_t *out_len)
{
	z_stream zs;
	size_t cap = len + len / 100 + 64;
	unsigned char *out = malloc(cap);

	assert_non_null(out);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(
	    deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
	    Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*out_len = cap - zs.avail_out;
	deflateEnd(&zs);
	return out;
}

static void request(struct req *req, const char *coding, const void *body, size_t len)
{
	req_init(req);
	if (coding)
		assert_int_equal(req_add_header(req, "Content-Encoding", coding), 0);
	if (body)
		assert_int_equal(req_set_body(req, body, len), 0);
}

static const char json[] = "{\"displayName\":\"Gzip group\",\"mailEnabled\":false}";

static void test_gzip_inflated(void **s)
{
	const char *const codings[] = {"gzip", "GZIP", " x-gzip ", "gzip\t"};
	size_t zlen;
	unsigned char *z = gzip(json, strlen(json), &zlen);

	(void)s;
	for (size_t i = 0; i < sizeof(codings) / sizeof(codings[0]); i++) {
		struct req req;

		request(&req, codings[i], z, zlen);
		assert_int_equal(body_decode(&req, 4096), BODY_INFLATED);
		assert_int_equal(req.body_len, strlen(json));
		assert_string_equal(req.raw_body, json);
		req_release(&req);
	}
	free(z);
}

static void test_members_one_after_another(void **s)
{
	size_t alen, blen;
	unsigned char *a = gzip("{\"a\":", 5, &alen), *b = gzip("1}", 2, &blen);
	unsigned char *both = malloc(alen + blen);
	struct req req;

	(void)s;
	memcpy(both, a, alen);
	memcpy(both + alen, b, blen);
	request(&req, "gzip", both, alen + blen);
	assert_int_equal(body_decode(&req, 4096), BODY_INFLATED);
	assert_string_equal(req.raw_body, "{\"a\":1}");
	req_release(&req);
	free(a), free(b), free(both);
}

static void test_corrupt(void **s)
{
	size_t zlen;
	unsigned char *z = gzip(json, strlen(json), &zlen);
	unsigned char *garbage = malloc(zlen + 3);
	struct req req;

	(void)s;
	request(&req, "gzip", z, zlen / 2); /* cut short */
	assert_int_equal(body_decode(&req, 4096), BODY_CORRUPT);
	assert_int_equal(req.body_len, zlen / 2); /* the upload as it was */
	req_release(&req);
	request(&req, "gzip", json, strlen(json)); /* not gzip at all */
	assert_int_equal(body_decode(&req, 4096), BODY_CORRUPT);
	req_release(&req);
	memcpy(garbage, z, zlen);
	memcpy(garbage + zlen, "xyz", 3);
	request(&req, "gzip", garbage, zlen + 3); /* bytes after the member */
	assert_int_equal(body_decode(&req, 4096), BODY_CORRUPT);
	req_release(&req);
	free(z), free(garbage);
}

static void test_bomb_stops_at_the_bound(void **s)
{
	size_t big = 1 << 20, zlen;
	char *zeros = calloc(1, big);
	unsigned char *z = gzip(zeros, big, &zlen);
	struct req req;

	(void)s;
	assert_true(zlen < 4096); /* ~1 KB on the wire */
	request(&req, "gzip", z, zlen);
	assert_int_equal(body_decode(&req, 65536), BODY_TOO_LARGE);
	assert_int_equal(req.body_len, zlen);
	req_release(&req);
	request(&req, "gzip", z, zlen); /* exactly the bound: taken */
	assert_int_equal(body_decode(&req, big), BODY_INFLATED);
	assert_int_equal(req.body_len, big);
	req_release(&req);
	request(&req, "gzip", z, zlen); /* one byte under: refused */
	assert_int_equal(body_decode(&req, big - 1), BODY_TOO_LARGE);
	req_release(&req);
	free(zeros), free(z);
}

static void test_plain_and_unknown(void **s)
{
	struct req req;

	(void)s;
	request(&req, NULL, json, strlen(json));
	assert_int_equal(body_decode(&req, 4096), BODY_PLAIN);
	req_release(&req);
	request(&req, "identity", json, strlen(json));
	assert_int_equal(body_decode(&req, 4096), BODY_PLAIN);
	req_release(&req);
	request(&req, "br", NULL, 0); /* a GET's stray header: nothing to decode */
	assert_int_equal(body_decode(&req, 4096), BODY_PLAIN);
	req_release(&req);
	const char *const unknown[] = {"br", "deflate", "gzip, br", "compress"};
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		request(&req, unknown[i], json, strlen(json));
		assert_int_equal(body_decode(&req, 4096), BODY_UNKNOWN);
		assert_string_equal(req.raw_body, json);
		req_release(&req);
	}
}

/* Every allocation failing in turn: the upload stays, nothing leaks (ASan). */
static void test_out_of_memory(void **s)
{
	size_t zlen;
	unsigned char *z = gzip(json, strlen(json), &zlen);
	enum body_decode rc = BODY_OUT_OF_MEM;

	(void)s;
	for (long n = 0; rc == BODY_OUT_OF_MEM && n < 100; n++) {
		struct req req;

		request(&req, "gzip", z, zlen);
		state_alloc_fail_after(n);
		rc = body_decode(&req, 4096);
		state_alloc_fail_after(-1);
		if (rc == BODY_OUT_OF_MEM)
			assert_int_equal(req.body_len, zlen);
		req_release(&req);
	}
	assert_int_equal(rc, BODY_INFLATED);
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gzip_inflated),
	    cmocka_unit_test(test_members_one_after_another),
	    cmocka_unit_test(test_corrupt),
	    cmocka_unit_test(test_bomb_stops_at_the_bound),
	    cmocka_unit_test(test_plain_and_unknown),
	    cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
