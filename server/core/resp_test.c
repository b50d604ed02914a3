/*
 * server/core/resp_test.c - a success is never sent without its body: a body
 * that cannot be rendered (too big, too deep, not UTF-8, never built) turns
 * into Graph's 500; streamed bodies arrive whole, or as a 500.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../../state/util/buf.h"
#include "resp.h"

static void expect_500(struct resp *resp)
{
	resp_finish(resp);
	if (resp->status != 500)
		fail_msg("status %u with %zu bytes: a body that failed to render",
		         resp->status, resp->bytes_len);
	assert_non_null(resp->bytes);
	assert_non_null(strstr(resp->bytes, "InternalServerError"));
	resp_release(resp);
}

static void test_unrenderable_body_is_500(void **s)
{
	struct resp resp;
	json_t *deep = json_array(), *at = deep;

	(void)s;
	/* not UTF-8 (jansson refuses to print it) */
	resp_init(&resp, NULL);
	resp_json(&resp, 200,
	          json_pack("{s:o}", "v", json_stringn_nocheck("\xff\xfe", 2)));
	expect_500(&resp);
	/* deeper than the writer goes */
	for (int i = 0; i < 5000; i++) {
		json_t *next = json_array();
		json_array_append_new(at, next);
		at = next;
	}
	resp_init(&resp, NULL);
	resp_odata(&resp, 200, deep);
	expect_500(&resp);
	/* a body that was never built (json_pack failed) */
	resp_init(&resp, NULL);
	resp_json(&resp, 200, NULL);
	expect_500(&resp);
}

struct pieces {
	int left;
	bool fail;
	int released;
};

static int next_piece(void *ctx, struct buf *out)
{
	struct pieces *p = ctx;

	if (p->fail && p->left == 1)
		return -1;
	buf_addstr(out, "ab");
	return --p->left > 0;
}

static void release_pieces(void *ctx)
{
	((struct pieces *)ctx)->released++;
}

static void test_stream_drained_whole_or_500(void **s)
{
	struct pieces ok = {3, false, 0}, bad = {3, true, 0};
	struct resp_stream st = {next_piece, release_pieces, &ok, NULL, 0};
	struct resp resp;

	(void)s;
	resp_init(&resp, NULL);
	resp_stream(&resp, 200, "application/json", &st);
	resp_finish(&resp); /* a stream stays one */
	resp_stream_drain(&resp);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.bytes_len, 6);
	assert_string_equal(resp.bytes, "ababab");
	assert_int_equal(ok.released, 1);
	resp_release(&resp);
	st.ctx = &bad;
	resp_init(&resp, NULL);
	resp_stream(&resp, 200, "application/json", &st);
	resp_stream_drain(&resp);
	assert_int_equal(resp.status, 500);
	assert_int_equal(bad.released, 1);
	resp_release(&resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unrenderable_body_is_500),
	    cmocka_unit_test(test_stream_drained_whole_or_500),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
