/*
 * server/core/error_test.c - the Graph error envelope byte for byte, the status
 * and code of every error kind, and hostile message text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "resp.h"

static void init(struct resp *resp)
{
	resp_init(resp, NULL);
	snprintf(resp->request_id, sizeof(resp->request_id),
	         "db39f8ea-8072-4eb5-95e2-26b8f78c1673");
	snprintf(resp->client_request_id, sizeof(resp->client_request_id), "c1");
	resp->now_ms = 1706901763000LL; /* 2024-02-02T19:22:43Z */
}

static void test_envelope_byte_for_byte(void **ctx)
{
	struct resp resp;
	size_t len;
	char *text;

	(void)ctx;
	init(&resp);
	assert_int_equal(resp_not_found(&resp, "8c14a998-3c8d-4c52-ad09-c9032671ea31"),
	                 -1);
	assert_int_equal(resp.status, 404);
	assert_string_equal(resp_content_type(&resp), "application/json");
	text = resp_render(&resp, &len);
	assert_string_equal(
	    text,
	    "{\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"Resource "
	    "'8c14a998-3c8d-4c52-ad09-c9032671ea31' does not exist or one of its queried "
	    "reference-property objects are not present.\",\"innerError\":{\"date\":"
	    "\"2024-02-02T19:22:43\",\"request-id\":\"db39f8ea-8072-4eb5-95e2-"
	    "26b8f78c1673\","
	    "\"client-request-id\":\"c1\"}}}");
	assert_int_equal(len, strlen(text));
	free(text);
	resp_release(&resp);
}

static void test_status_and_code_mapping(void **ctx)
{
	static const struct {
		enum gerr e;
		unsigned status;
		const char *code;
	} want[] = {
	    {GERR_BAD_REQUEST, 400, "BadRequest"},
	    {GERR_REQUEST_BAD_REQUEST, 400, "Request_BadRequest"},
	    {GERR_UNSUPPORTED_QUERY, 400, "Request_UnsupportedQuery"},
	    {GERR_UNAUTHORIZED, 401, "InvalidAuthenticationToken"},
	    {GERR_FORBIDDEN, 403, "Authorization_RequestDenied"},
	    {GERR_NOT_FOUND, 404, "Request_ResourceNotFound"},
	    {GERR_METHOD, 405, "Request_BadRequest"},
	    {GERR_TOO_LARGE, 413, "RequestEntityTooLarge"},
	    {GERR_THROTTLED, 429, "TooManyRequests"},
	    {GERR_UNAVAILABLE, 503, "serviceNotAvailable"},
	    {GERR_GATEWAY_TIMEOUT, 504, "UnknownError"},
	};

	(void)ctx;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(gerr_status(want[i].e), want[i].status);
		assert_string_equal(gerr_code(want[i].e), want[i].code);
	}
}

static void test_hostile_text_still_valid_json(void **ctx)
{
	struct resp resp;
	json_t *back;
	size_t len;
	char *text;

	(void)ctx;
	init(&resp);
	resp_error(&resp, GERR_BAD_REQUEST, "Resource not found for the segment '%s'.",
	           "\xff\xfe\"\\\n");
	text = resp_render(&resp, &len);
	assert_non_null(text);
	back = json_loads(text, 0, NULL);
	assert_non_null(back);
	assert_non_null(strstr(
	    json_string_value(json_object_get(json_object_get(back, "error"), "message")),
	    "\"\\\n"));
	json_decref(back);
	free(text);
	resp_release(&resp);
}

static void test_error_replaces_body(void **ctx)
{
	struct resp resp;

	(void)ctx;
	init(&resp);
	resp_odata(&resp, 200, json_object());
	resp_header(&resp, "Retry-After", "%d", 1);
	resp_error(&resp, GERR_THROTTLED, "Please retry again later.");
	assert_int_equal(resp.status, 429);
	assert_int_equal(resp.kind, RESP_JSON);
	assert_string_equal(resp_header_get(&resp, "retry-after"), "1");
	resp_release(&resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_envelope_byte_for_byte),
	    cmocka_unit_test(test_status_and_code_mapping),
	    cmocka_unit_test(test_hostile_text_still_valid_json),
	    cmocka_unit_test(test_error_replaces_body),
	};

	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
