/*
 * server/journal_test.c - the request ring: wrap-around keeps the newest
 * entries oldest-first, filters, body cap, disabled journal, clear.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "core/req.h"

static void record(struct journal *j, const char *method, const char *path,
                   unsigned status, int64_t now_ms)
{
	struct journal_entry en;
	struct req req;

	req_init(&req);
	snprintf(req.method, sizeof(req.method), "%s", method);
	req_set_path(&req, path);
	req_add_header(&req, "client-request-id", "abc");
	req_add_header(&req, "authorization", "Bearer secret");
	req_add_query(&req, "$top", "5");
	req.now_ms = now_ms;
	journal_fill(&en, &req, status, 12);
	journal_record(j, &en);
	req_release(&req);
}

static json_t *query(struct journal *j, const char *method, const char *path,
                     unsigned status, int64_t since)
{
	struct journal_filter f = {
	    .method = method, .path = path, .status = status, .since_ms = since};
	json_t *out = journal_query(j, &f);
	json_t *v = json_incref(json_object_get(out, "value"));

	json_decref(out);
	return v;
}

static void test_wrap_around(void **s)
{
	struct journal j;
	json_t *v;
	char path[32];

	(void)s;
	journal_init(&j, 3);
	for (int i = 1; i <= 5; i++) {
		snprintf(path, sizeof(path), "/v1.0/users/%d", i);
		record(&j, "GET", path, 200, i);
	}
	v = query(&j, NULL, NULL, 0, -1);
	assert_int_equal(json_array_size(v), 3);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(v, 0), "path")),
	    "/v1.0/users/3");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(v, 2), "path")),
	    "/v1.0/users/5");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 2), "seq")),
	                 5);
	json_t *h = json_object_get(json_array_get(v, 0), "headers");
	assert_string_equal(json_string_value(json_object_get(h, "client-request-id")),
	                    "abc");
	assert_null(json_object_get(h, "authorization"));
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(v, 0), "query")), "$top=5");
	json_decref(v);
	journal_clear(&j);
	v = query(&j, NULL, NULL, 0, -1);
	assert_int_equal(json_array_size(v), 0);
	json_decref(v);
	journal_release(&j);
}

static void test_filters(void **s)
{
	struct journal j;
	json_t *v;

	(void)s;
	journal_init(&j, 10);
	record(&j, "GET", "/v1.0/users", 429, 100);
	record(&j, "POST", "/v1.0/invitations", 201, 200);
	record(&j, "GET", "/v1.0/groups/x/members", 200, 300);
	v = query(&j, "get", NULL, 0, -1);
	assert_int_equal(json_array_size(v), 2);
	json_decref(v);
	v = query(&j, NULL, "/v1.0/groups/*", 0, -1);
	assert_int_equal(json_array_size(v), 1);
	json_decref(v);
	v = query(&j, NULL, NULL, 429, -1);
	assert_int_equal(json_array_size(v), 1);
	json_decref(v);
	v = query(&j, NULL, NULL, 0, 200);
	assert_int_equal(json_array_size(v), 2);
	json_decref(v);
	journal_release(&j);
}

/* A poller's view: the newest N, then only what came after the last seq it saw. */
static void test_after_last_exclude(void **s)
{
	struct journal j;
	struct journal_filter f = {.since_ms = -1};
	json_t *out, *v;

	(void)s;
	journal_init(&j, 4);
	out = journal_query(&j, &f);
	assert_int_equal(json_integer_value(json_object_get(out, "lastSeq")), 0);
	json_decref(out);
	record(&j, "GET", "/v1.0/users", 200, 1);
	record(&j, "GET", "/_mock/requests", 200, 2);
	record(&j, "POST", "/v1.0/groups", 201, 3);
	record(&j, "GET", "/_mock/faults/stats", 200, 4);
	record(&j, "GET", "/v1.0/users/1", 404, 5); /* seq 5: the ring drops seq 1 */

	f.last = 2;
	f.exclude = "/_mock/*";
	out = journal_query(&j, &f);
	assert_int_equal(json_integer_value(json_object_get(out, "lastSeq")), 5);
	v = json_object_get(out, "value");
	assert_int_equal(json_array_size(v), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 0), "seq")),
	                 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 1), "seq")),
	                 5);
	json_decref(out);

	f.last = 10; /* more than there are: all that match, oldest first */
	out = journal_query(&j, &f);
	assert_int_equal(json_array_size(json_object_get(out, "value")), 2);
	json_decref(out);

	f.last = 0;
	f.exclude = NULL;
	f.after = 3;
	out = journal_query(&j, &f);
	v = json_object_get(out, "value");
	assert_int_equal(json_array_size(v), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(v, 0), "path")),
	    "/_mock/faults/stats");
	json_decref(out);

	f.after = 5; /* nothing new; lastSeq still says where the journal is */
	out = journal_query(&j, &f);
	assert_int_equal(json_array_size(json_object_get(out, "value")), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "lastSeq")), 5);
	json_decref(out);

	journal_clear(&j); /* sequence numbers go on after a clear */
	record(&j, "GET", "/v1.0/me", 400, 6);
	out = journal_query(&j, &f);
	v = json_object_get(out, "value");
	assert_int_equal(json_array_size(v), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 0), "seq")),
	                 6);
	json_decref(out);
	journal_release(&j);
}

static void test_body_cap_and_disabled(void **s)
{
	struct journal j;
	struct journal_entry en;
	struct req req;
	char *big = malloc(JOURNAL_BODY_MAX + 100);
	json_t *v;

	(void)s;
	memset(big, 'a', JOURNAL_BODY_MAX + 100);
	req_init(&req);
	req_set_path(&req, "/v1.0/users");
	req_set_body(&req, big, JOURNAL_BODY_MAX + 100);
	journal_init(&j, 2);
	journal_fill(&en, &req, 201, 5);
	journal_record(&j, &en);
	v = query(&j, NULL, NULL, 0, -1);
	assert_int_equal(
	    strlen(json_string_value(json_object_get(json_array_get(v, 0), "body"))),
	    JOURNAL_BODY_MAX);
	assert_true(json_is_true(json_object_get(json_array_get(v, 0), "bodyTruncated")));
	json_decref(v);
	journal_release(&j);
	journal_init(&j, 0); /* --journal-size 0 */
	journal_fill(&en, &req, 201, 5);
	journal_record(&j, &en);
	v = query(&j, NULL, NULL, 0, -1);
	assert_int_equal(json_array_size(v), 0);
	json_decref(v);
	journal_release(&j);
	req_release(&req);
	free(big);
}

/* Everything an entry keeps lives in one allocation: check each piece. */
static void test_entry_contents(void **s)
{
	struct journal j;
	struct journal_entry en;
	struct req req;
	json_t *v, *e, *h;
	char *dump;

	(void)s;
	req_init(&req);
	snprintf(req.method, sizeof(req.method), "POST");
	req_set_path(&req, "/v1.0/groups/x/members/$ref");
	req_add_query(&req, "$select", "id,displayName");
	req_add_query(&req, "x", "");
	req_add_header(&req, "X-Graphmock-Tenant", "contoso.onmicrosoft.com");
	req_add_header(&req, "User-Agent", "ua/1");
	req_add_header(&req, "Content-Type", "application/json");
	req_set_body(&req, "{\"a\":1}", 7);
	journal_init(&j, 4);
	journal_fill(&en, &req, 204, 9);
	journal_record(&j, &en);
	v = query(&j, NULL, NULL, 0, -1);
	e = json_array_get(v, 0);
	assert_string_equal(json_string_value(json_object_get(e, "path")),
	                    "/v1.0/groups/x/members/$ref");
	assert_string_equal(json_string_value(json_object_get(e, "query")),
	                    "$select=id,displayName&x=");
	assert_string_equal(json_string_value(json_object_get(e, "body")), "{\"a\":1}");
	assert_true(json_is_false(json_object_get(e, "bodyTruncated")));
	h = json_object_get(e, "headers");
	dump = json_dumps(h, JSON_COMPACT);
	/* The kept headers in journal.c's order, whatever order they came in. */
	assert_string_equal(dump, "{\"user-agent\":\"ua/1\",\"content-type\":"
	                          "\"application/json\",\"x-graphmock-tenant\":"
	                          "\"contoso.onmicrosoft.com\"}");
	free(dump);
	json_decref(v);
	journal_release(&j);
	req_release(&req);
}

/* Record one request with @body and @query (name, value) and return what the
 * journal shows of it as text. */
static char *recorded(const char *body, const char *qname, const char *qvalue)
{
	struct journal j;
	struct journal_entry en;
	struct req req;
	json_t *v;
	char *text;

	journal_init(&j, 2);
	req_init(&req);
	snprintf(req.method, sizeof(req.method), "POST");
	req_set_path(&req, "/common/oauth2/v2.0/token");
	req_add_header(&req, "authorization", "Basic c2VjcmV0OnNlY3JldA==");
	if (qname)
		req_add_query(&req, qname, qvalue);
	req_set_body(&req, body, strlen(body));
	journal_fill(&en, &req, 200, 1);
	journal_record(&j, &en);
	req_release(&req);
	v = query(&j, NULL, NULL, 0, -1);
	text = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	journal_release(&j);
	return text;
}

static void expect_redacted(const char *body, const char *qname, const char *qvalue,
                            const char *const *secrets, const char *kept)
{
	char *text = recorded(body, qname, qvalue);

	for (size_t i = 0; secrets[i]; i++)
		if (strstr(text, secrets[i]))
			fail_msg("the journal keeps the secret '%s': %s", secrets[i],
			         text);
	assert_non_null(strstr(text, "REDACTED"));
	if (kept && !strstr(text, kept))
		fail_msg("'%s' was lost: %s", kept, text);
	free(text);
}

static void test_secrets_redacted(void **s)
{
	static const char *const user[] = {"Pa55-word!", NULL};
	static const char *const form[] = {"s3cret-value", "eyJhbGciOi.x.y", "c2VjcmV0",
	                                   NULL};
	static const char *const batch[] = {"eyJ0eXAi.aaa.bbb", NULL};
	static const char *const cut[] = {"Pa55-wo", NULL};
	char big[JOURNAL_BODY_MAX + 64];

	(void)s;
	expect_redacted("{\"displayName\":\"Bob\",\"passwordProfile\":{"
	                "\"forceChangePasswordNextSignIn\":true,\"password\" : "
	                "\"Pa55-word!\"}}",
	                NULL, NULL, user, "\\\"displayName\\\":\\\"Bob\\\"");
	expect_redacted("client_id=abc&client_secret=s3cret-value&client_assertion="
	                "eyJhbGciOi.x.y&grant_type=client_credentials",
	                NULL, NULL, form, "client_id=abc");
	expect_redacted("{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":"
	                "\"/users\",\"headers\":{\"Authorization\":\"Bearer "
	                "eyJ0eXAi.aaa.bbb\"}}]}",
	                "client_secret", "c2VjcmV0", batch, "/users");
	/* a body cut at the journal's limit inside the secret */
	memset(big, ' ', sizeof(big));
	memcpy(big + JOURNAL_BODY_MAX - 20, "{\"password\":\"Pa55-word!\"}", 25);
	big[sizeof(big) - 1] = '\0';
	big[0] = '{';
	expect_redacted(big, NULL, NULL, cut, NULL);
}

/*
 * The redacted text byte for byte: runs between strings are copied whole,
 * and a secret key's value is redacted only when it is a string (a number,
 * true or an object after it is kept), across spaces and colons.
 */
static void test_redaction_exact(void **s)
{
	static const char *const cases[][2] = {
	    {"{\"password\" :\t\"x\",\"n\":5}", "{\"password\" :\t\"REDACTED\",\"n\":5}"},
	    {"{\"Password\": 5, \"a\": \"b\"}", "{\"Password\": 5, \"a\": \"b\"}"},
	    {"[{\"secretText\":{\"k\":\"v\"}},\"password\",\"q\"]",
	     "[{\"secretText\":{\"k\":\"v\"}},\"password\",\"q\"]"},
	    {"{\"a\":\"p\\\"q\",\"client_secret\":\"s\\\"t\"}",
	     "{\"a\":\"p\\\"q\",\"client_secret\":\"REDACTED\"}"},
	    {"{\"password\":", "{\"password\":"},
	    {"{\"password\":\"cut", "{\"password\":\"REDACTED\""},
	};

	(void)s;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		char *out = journal_redact(cases[i][0], strlen(cases[i][0]), &len);

		assert_non_null(out);
		assert_string_equal(out, cases[i][1]);
		assert_int_equal(len, strlen(cases[i][1]));
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_entry_contents),
	    cmocka_unit_test(test_wrap_around),
	    cmocka_unit_test(test_filters),
	    cmocka_unit_test(test_after_last_exclude),
	    cmocka_unit_test(test_body_cap_and_disabled),
	    cmocka_unit_test(test_secrets_redacted),
	    cmocka_unit_test(test_redaction_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
