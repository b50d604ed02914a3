/*
 * server/exchange_test.c - one pipeline for plain and batched requests: the
 * same sequence of requests, sent one by one to one server and as one
 * $batch to a twin (same seed, same rules, same frozen clock), gets the same
 * statuses, bodies, journal entries, fault decisions and throttling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http_testutil.h"
#include "journal.h"
#include "srv.h"

#define ADELE "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define NREQ  8

struct step {
	const char *method;
	const char *url; /* version-less, as a $batch entry gives it */
	const char *body;
	const char *fault; /* X-Graphmock-Fault, or NULL */
};

/*
 * Reads, a write, a miss, a one-shot fault, and enough /groups calls to run
 * into the throttle rule and the seeded 50% rule set up by twin().
 */
static const struct step steps[NREQ] = {
    {"GET", "/users?$top=1&$select=id,displayName", NULL, NULL},
    {"POST", "/groups",
     "{\"displayName\":\"Twin\",\"mailEnabled\":false,\"mailNickname\":\"twin\","
     "\"securityEnabled\":true}",
     NULL},
    {"GET", "/users/00000000-0000-0000-0000-000000000001", NULL, NULL},
    {"GET", "/users/" ADELE "?$select=id", NULL, "error=503"},
    {"GET", "/groups?$select=id", NULL, NULL},
    {"GET", "/groups?$select=id", NULL, NULL},
    {"GET", "/groups?$select=id", NULL, NULL},
    {"GET", "/groups?$select=id", NULL, NULL},
};

/* A server with the default fixture, a frozen clock and two fault rules. */
static struct srv *twin(void)
{
	struct test_server_opts opts = {.seed = 2};
	struct srv *srv = test_srv_new(&opts);
	struct test_reply *r;

	r = test_local_call(srv, "POST", "/_mock/clock",
	                    "{\"freeze\": true, \"at\": \"2030-01-02T03:04:05Z\"}",
	                    "application/json", NULL);
	assert_int_equal(r->status, 200);
	test_reply_free(r);
	r = test_local_call(
	    srv, "POST", "/_mock/faults",
	    "[{\"id\": \"budget\", \"match\": {\"path\": \"/v1.0/groups\"},"
	    "  \"throttle\": {\"limit\": 3, \"windowMs\": 60000, \"per\": \"client\"}},"
	    " {\"id\": \"coin\", \"match\": {\"method\": \"GET\", \"path\": "
	    "\"/v1.0/users*\"},"
	    "  \"when\": {\"probability\": 0.5}, \"action\": {\"error\": "
	    "\"throttled\"}}]",
	    "application/json", NULL);
	assert_int_equal(r->status, 201);
	test_reply_free(r);
	return srv;
}

/* @body without what differs from one request to the next (request ids). */
static json_t *comparable(json_t *body)
{
	json_t *copy = json_deep_copy(body);

	json_object_del(json_object_get(copy, "error"), "innerError");
	return copy ? copy : json_null();
}

/* The journal of @srv as [{method, path, status, fault}], without $batch itself. */
static json_t *journal_of(struct srv *srv)
{
	struct journal_filter f = {.since_ms = -1};
	json_t *all = journal_query(&srv->journal, &f);
	json_t *out = json_array();
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(all, "value"), i, e)
	{
		const char *path = json_string_value(json_object_get(e, "path"));

		if (!strcmp(path, "/_mock/clock") || !strcmp(path, "/_mock/faults") ||
		    !strcmp(path, "/v1.0/$batch"))
			continue;
		json_array_append_new(
		    out, json_pack("{s:O, s:s, s:O, s:O}", "method",
		                   json_object_get(e, "method"), "path", path, "status",
		                   json_object_get(e, "status"), "fault",
		                   json_object_get(e, "fault")));
	}
	json_decref(all);
	return out;
}

static void test_plain_and_batched_are_one_pipeline(void **ctx)
{
	struct srv *plain = twin(), *batched = twin();
	json_t *requests = json_array(), *answers, *stats[2], *journals[2];
	unsigned status[NREQ];
	json_t *body[NREQ];
	struct test_reply *r;
	char *batch;

	(void)ctx;
	for (size_t i = 0; i < NREQ; i++) {
		const char *fault_header[] = {NULL, NULL};
		char path[256], line[128];
		struct test_request rq = {steps[i].method,
		                          path,
		                          steps[i].body,
		                          steps[i].body ? "application/json" : NULL,
		                          NULL,
		                          NULL,
		                          fault_header,
		                          false,
		                          0};
		struct test_reply one;
		json_t *headers = json_object();

		snprintf(path, sizeof(path), "/v1.0%s", steps[i].url);
		if (steps[i].fault) {
			snprintf(line, sizeof(line), "X-Graphmock-Fault: %s",
			         steps[i].fault);
			fault_header[0] = line;
			json_object_set_new(headers, "X-Graphmock-Fault",
			                    json_string(steps[i].fault));
		}
		test_local(plain, &rq, &one);
		status[i] = (unsigned)one.status;
		body[i] = comparable(one.json);
		test_reply_release(&one);
		if (steps[i].body)
			json_object_set_new(headers, "Content-Type",
			                    json_string("application/json"));
		snprintf(line, sizeof(line), "%zu", i);
		json_array_append_new(
		    requests,
		    json_pack("{s:s, s:s, s:s, s:o, s:o?}", "id", line, "method",
		              steps[i].method, "url", steps[i].url, "headers", headers,
		              "body",
		              steps[i].body ? json_loads(steps[i].body, 0, NULL) : NULL));
	}
	requests = json_pack("{s:o}", "requests", requests);
	batch = json_dumps(requests, JSON_COMPACT);
	json_decref(requests);
	r = test_local_call(batched, "POST", "/v1.0/$batch", batch, "application/json",
	                    NULL);
	assert_int_equal(r->status, 200);
	answers = json_object_get(r->json, "responses");
	assert_int_equal(json_array_size(answers), NREQ);

	for (size_t i = 0; i < NREQ; i++) {
		json_t *entry = json_array_get(answers, i);
		json_t *b = comparable(json_object_get(entry, "body"));

		assert_int_equal(json_integer_value(json_object_get(entry, "status")),
		                 status[i]);
		if (!json_equal(b, body[i]))
			fail_msg("request %zu: bodies differ: plain %s, batched %s", i,
			         json_dumps(body[i], JSON_COMPACT),
			         json_dumps(b, JSON_COMPACT));
		json_decref(b);
		json_decref(body[i]);
	}
	/* the throttle and the seeded coin fired on the same requests both ways */
	stats[0] = fault_engine_stats(&plain->faults);
	stats[1] = fault_engine_stats(&batched->faults);
	if (!json_equal(json_object_get(stats[0], "value"),
	                json_object_get(stats[1], "value")))
		fail_msg("fault stats differ: plain %s, batched %s",
		         json_dumps(stats[0], JSON_COMPACT),
		         json_dumps(stats[1], JSON_COMPACT));
	/* the seeded coin did fire (this seed makes it), so its draws were compared */
	assert_true(json_integer_value(json_object_get(
	                json_array_get(json_object_get(stats[0], "value"), 1),
	                "injections")) > 0);
	journals[0] = journal_of(plain);
	journals[1] = journal_of(batched);
	assert_int_equal(json_array_size(journals[0]), NREQ);
	assert_true(json_equal(journals[0], journals[1]));
	/* and the sequence did exercise them: a 429, a 503, a 404, a 201 */
	assert_int_equal(status[1], 201);
	assert_int_equal(status[2] == 404 || status[2] == 429, true);
	assert_int_equal(status[3], 503);
	assert_int_equal(status[7], 429);

	json_decref(stats[0]);
	json_decref(stats[1]);
	json_decref(journals[0]);
	json_decref(journals[1]);
	free(batch);
	test_reply_free(r);
	test_srv_free(plain);
	test_srv_free(batched);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_and_batched_are_one_pipeline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
