/*
 * server/batch_test.c - $batch through the request pipeline on a real state,
 * no socket: every whole-batch 400 (and that nothing ran), dependsOn ordering,
 * 424 chains, inherited headers, entry bodies, faults and the journal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "core/error.h"
#include "http/fault_apply.h"
#include "http_testutil.h"
#include "core/req.h"
#include "core/resp.h"
#include "srv.h"

#define ADELE     "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define ADMIN     "33c3317d-939c-4e2f-855a-95aa465db42a"
#define DEV_GROUP "1892265b-9c32-4dcf-b9ab-51bf32136e62"

static int setup(void **ctx)
{
	struct test_server_opts opts = {.seed = 1};

	*ctx = test_srv_new(&opts);
	return 0;
}

static int teardown(void **ctx)
{
	test_srv_free(*ctx);
	return 0;
}

/* POST @body to /<version>/$batch with header @hname: @hvalue (or none);
 * returns the status and the parsed reply in *@out (new reference). */
static unsigned post(struct srv *srv, const char *version, const char *body,
                     const char *hname, const char *hvalue, json_t **out)
{
	char path[32], header[512];
	const char *headers[] = {header, NULL};
	struct test_request rq = {
	    "POST", path, body, "application/json", NULL, NULL, hname ? headers : NULL,
	    false,  0};
	struct test_reply r;

	snprintf(path, sizeof(path), "/%s/$batch", version);
	snprintf(header, sizeof(header), "%s: %s", hname ? hname : "",
	         hvalue ? hvalue : "");
	test_local(srv, &rq, &r);
	*out = json_incref(r.json);
	assert_non_null(*out);
	test_reply_release(&r);
	return (unsigned)r.status;
}

static json_t *run(struct srv *srv, const char *body)
{
	json_t *out;

	assert_int_equal(post(srv, "v1.0", body, NULL, NULL, &out), 200);
	return out;
}

static json_t *entry(json_t *reply, size_t i)
{
	return json_array_get(json_object_get(reply, "responses"), i);
}

static json_int_t status_of(json_t *reply, size_t i)
{
	return json_integer_value(json_object_get(entry(reply, i), "status"));
}

static const char *error_message(json_t *reply)
{
	return json_string_value(
	    json_object_get(json_object_get(reply, "error"), "message"));
}

struct bad_case {
	const char *body;
	const char *message; /* a prefix of the expected message */
};

static void test_every_whole_batch_400(void **ctx)
{
	/* each first request would delete Adele: a 400 batch must run nothing */
#define DEL "{\"id\":\"d\",\"method\":\"DELETE\",\"url\":\"/users/" ADELE "\"}"
	static const struct bad_case cases[] = {
	    {"{\"requests\": [", GMSG_BAD_JSON},
	    {"[]", GMSG_BAD_JSON},
	    {"{}", "Invalid batch payload format. The 'requests' property must be"},
	    {"{\"requests\":{}}",
	     "Invalid batch payload format. The 'requests' property"},
	    {"{\"requests\":[]}", "Invalid batch payload format. The 'requests' array is "
	                          "empty."},
	    {"{\"requests\":[" DEL ",1]}",
	     "Invalid batch payload format. Request 2 is not "
	     "a JSON object."},
	    {"{\"requests\":[" DEL ",{\"method\":\"GET\",\"url\":\"/users\"}]}",
	     "Invalid batch payload format. Request 2 has no 'id'"},
	    {"{\"requests\":[" DEL
	     ",{\"id\":\"\",\"method\":\"GET\",\"url\":\"/users\"}]}",
	     "Invalid batch payload format. Request 2 has no 'id'"},
	    /* a number is an id (the CLI for Microsoft 365 sends "id": 1); true is not */
	    {"{\"requests\":[" DEL
	     ",{\"id\":true,\"method\":\"GET\",\"url\":\"/users\"}]}",
	     "Invalid batch payload format. Request 2 has no 'id'"},
	    {"{\"requests\":[" DEL
	     ",{\"id\":\"D\",\"method\":\"GET\",\"url\":\"/users\"}]}",
	     "Request Id D has to be unique in a batch."},
	    {"{\"requests\":[" DEL ",{\"id\":\"2\",\"url\":\"/users\"}]}",
	     "Invalid batch payload format. Request '2' has no 'method'."},
	    {"{\"requests\":[" DEL ",{\"id\":\"2\",\"method\":\"HEAD\",\"url\":\"/u\"}]}",
	     "Invalid batch payload format. Request '2': method 'HEAD' is not one of"},
	    {"{\"requests\":[" DEL ",{\"id\":\"2\",\"method\":\"GET\"}]}",
	     "Invalid batch payload format. Request '2' has no 'url'."},
	    {"{\"requests\":[" DEL ",{\"id\":\"2\",\"method\":\"GET\",\"url\":"
	     "\"https://graph.microsoft.com/v1.0/users\"}]}",
	     "Invalid batch payload format. Request '2': url "
	     "'https://graph.microsoft.com/v1.0/users' must be relative"},
	    {"{\"requests\":[" DEL
	     ",{\"id\":\"2\",\"method\":\"GET\",\"url\":\"//h/u\"}]}",
	     "Invalid batch payload format. Request '2': url '//h/u' must be relative"},
	    {"{\"requests\":[" DEL
	     ",{\"id\":\"2\",\"method\":\"POST\",\"url\":\"$batch\"}]}",
	     "Invalid batch payload format. Request '2': a batch cannot contain a "
	     "$batch"},
	    {"{\"requests\":[" DEL ",{\"id\":\"2\",\"method\":\"POST\",\"url\":"
	     "\"/%24BATCH?x=1\"}]}",
	     "Invalid batch payload format. Request '2': a batch cannot contain a "
	     "$batch"},
	    {"{\"requests\":[" DEL ",{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users\","
	     "\"headers\":[]}]}",
	     "Invalid batch payload format. Request '2': 'headers' must be an object"},
	    {"{\"requests\":[" DEL ",{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users\","
	     "\"headers\":{\"ConsistencyLevel\":1}}]}",
	     "Invalid batch payload format. Request '2': header 'ConsistencyLevel' must "
	     "be a string."},
	    {"{\"requests\":[" DEL
	     ",{\"id\":\"2\",\"method\":\"POST\",\"url\":\"/groups\","
	     "\"body\":{}}]}",
	     "Write request id : 2 does not contain Content-Type header or body."},
	    {"{\"requests\":[" DEL
	     ",{\"id\":\"2\",\"method\":\"POST\",\"url\":\"/groups\","
	     "\"headers\":{\"Accept\":\"application/json\"},\"body\":{}}]}",
	     "Write request id : 2 does not contain Content-Type header or body."},
	    {"{\"requests\":[" DEL ",{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users\","
	     "\"dependsOn\":\"d\"}]}",
	     "Invalid batch payload format. Request '2': 'dependsOn' must be an array"},
	    {"{\"requests\":[" DEL ",{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users\","
	     "\"dependsOn\":[true]}]}",
	     "Invalid batch payload format. Request '2': 'dependsOn' must be an array"},
	    {"{\"requests\":[" DEL ",{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users\","
	     "\"dependsOn\":[\"x\"]}]}",
	     "Invalid dependency for request Id 2: 'x' is not the id of a request"},
	    {"{\"requests\":[" DEL ",{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users\","
	     "\"dependsOn\":[\"2\"]}]}",
	     "Invalid dependency for request Id 2: it depends on itself"},
	    {"{\"requests\":[{\"id\":\"a\",\"method\":\"GET\",\"url\":\"/users\","
	     "\"dependsOn\":[\"b\"]},{\"id\":\"b\",\"method\":\"GET\",\"url\":\"/users\","
	     "\"dependsOn\":[\"A\"]}," DEL "]}",
	     "Invalid dependency for request Id a: the dependsOn chain forms a cycle."},
	};
#undef DEL
	struct srv *srv = *ctx;
	json_t *out;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned st = post(srv, "v1.0", cases[i].body, NULL, NULL, &out);
		const char *msg = error_message(out);

		if (st != 400 || !msg ||
		    strncmp(msg, cases[i].message, strlen(cases[i].message)))
			fail_msg("case %zu: %u '%s'", i, st, msg ? msg : "(none)");
		assert_string_equal(json_string_value(json_object_get(
		                        json_object_get(out, "error"), "code")),
		                    "BadRequest");
		json_decref(out);
	}
	out = run(srv, "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":"
	               "\"/users/" ADELE "\"}]}");
	assert_int_equal(status_of(out, 0), 200); /* nothing ran */
	json_decref(out);
}

static void test_more_than_20_requests(void **ctx)
{
	char body[4096];
	size_t o;
	json_t *out;

	for (int n = 20; n <= 21; n++) {
		o = (size_t)snprintf(body, sizeof(body), "{\"requests\":[");
		for (int i = 1; i <= n; i++)
			o += (size_t)snprintf(body + o, sizeof(body) - o,
			                      "%s{\"id\":\"%d\",\"method\":\"GET\","
			                      "\"url\":\"/users/$count\"}",
			                      i > 1 ? "," : "", i);
		snprintf(body + o, sizeof(body) - o, "]}");
		if (n == 20) {
			out = run(*ctx, body);
			assert_int_equal(
			    json_array_size(json_object_get(out, "responses")), 20);
		} else {
			assert_int_equal(post(*ctx, "v1.0", body, NULL, NULL, &out), 400);
			assert_string_equal(error_message(out),
			                    "The batch contains 21 requests; a batch can "
			                    "contain at most 20 requests.");
		}
		json_decref(out);
	}
}

static struct batch_item *item(struct batch *b, const char *id)
{
	struct batch_item *it = &b->items[b->n++];

	memset(it, 0, sizeof(*it));
	it->id = id;
	return it;
}

static void test_plan_keeps_array_order_and_waits_for_dependencies(void **unused)
{
	struct batch b;
	size_t stuck = 99;

	(void)unused;
	memset(&b, 0, sizeof(b));
	item(&b, "a")->deps[0] = 2; /* a waits for c */
	b.items[0].ndeps = 1;
	item(&b, "b");
	item(&b, "c");
	item(&b, "d")->deps[0] = 0; /* d waits for a */
	b.items[3].ndeps = 1;
	assert_int_equal(batch_plan(&b, &stuck), 0);
	assert_int_equal(b.order[0], 1);
	assert_int_equal(b.order[1], 2);
	assert_int_equal(b.order[2], 0);
	assert_int_equal(b.order[3], 3);

	b.items[2].deps[0] = 3; /* c waits for d: a -> c -> d -> a */
	b.items[2].ndeps = 1;
	assert_int_equal(batch_plan(&b, &stuck), -1);
	assert_int_equal(stuck, 0);
}

static void test_failed_dependency_424_chain(void **ctx)
{
	json_t *out =
	    run(*ctx, "{\"requests\":["
	              "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/nope\"},"
	              "{\"id\":\"2\",\"method\":\"DELETE\",\"url\":\"/users/" ADELE "\","
	              "\"dependsOn\":[\"1\"]},"
	              "{\"id\":\"3\",\"method\":\"GET\",\"url\":\"/users/" ADELE "\","
	              "\"dependsOn\":[\"2\"]},"
	              "{\"id\":\"4\",\"method\":\"GET\",\"url\":\"/users/" ADELE "\"}]}");
	json_t *body = json_object_get(entry(out, 1), "body");

	assert_int_equal(status_of(out, 0), 404);
	assert_int_equal(status_of(out, 1), 424);
	assert_int_equal(status_of(out, 2), 424);
	assert_int_equal(status_of(out, 3), 200); /* Adele was not deleted */
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(body, "error"), "code")),
	    "FailedDependency");
	assert_string_equal(error_message(json_object_get(entry(out, 2), "body")),
	                    "The request depends on request '2', which failed with "
	                    "status 424.");
	json_decref(out);
}

static void test_forward_dependency_runs_first_and_ids_ignore_case(void **ctx)
{
	json_t *out =
	    run(*ctx, "{\"requests\":["
	              "{\"id\":\"read\",\"method\":\"GET\",\"url\":\"groups?$filter="
	              "displayName%20eq%20'Batch%20G'&$select=displayName\","
	              "\"dependsOn\":[\"MAKE\"]},"
	              "{\"id\":\"make\",\"method\":\"POST\",\"url\":\"/groups\","
	              "\"headers\":{\"content-type\":\"application/json\"},"
	              "\"body\":{\"displayName\":\"Batch G\",\"mailEnabled\":false,"
	              "\"mailNickname\":\"batchg\",\"securityEnabled\":true}}]}");
	json_t *read = json_object_get(entry(out, 0), "body");

	assert_string_equal(json_string_value(json_object_get(entry(out, 0), "id")),
	                    "read"); /* request order, not execution order */
	assert_int_equal(status_of(out, 1), 201);
	assert_non_null(json_string_value(
	    json_object_get(json_object_get(entry(out, 1), "headers"), "Location")));
	assert_int_equal(status_of(out, 0), 200);
	assert_int_equal(json_array_size(json_object_get(read, "value")), 1);
	json_decref(out);
}

static void test_entry_bodies_and_headers(void **ctx)
{
	json_t *out = run(
	    *ctx, "{\"requests\":["
	          "{\"id\":\"n\",\"method\":\"GET\",\"url\":\"/users/$count\","
	          "\"headers\":{\"ConsistencyLevel\":\"eventual\"}},"
	          "{\"id\":\"m\",\"method\":\"POST\",\"url\":\"/groups/" DEV_GROUP
	          "/members/$ref\",\"headers\":{\"Content-Type\":\"application/json\"},"
	          "\"body\":{\"@odata.id\":\"https://graph.microsoft.com/v1.0/"
	          "directoryObjects/" ADMIN "\"}},"
	          "{\"id\":\"u\",\"method\":\"GET\",\"url\":\"users/" ADMIN
	          "?$select=displayName\"}]}");
	json_t *h = json_object_get(entry(out, 2), "headers");

	assert_true(json_is_string(json_object_get(entry(out, 0), "body")));
	assert_string_equal(json_string_value(json_object_get(entry(out, 0), "body")),
	                    "2");
	assert_int_equal(status_of(out, 1), 204);
	assert_true(json_is_null(json_object_get(entry(out, 1), "body")));
	assert_null(
	    json_object_get(json_object_get(entry(out, 1), "headers"), "Content-Type"));
	assert_string_equal(json_string_value(json_object_get(h, "Content-Type")),
	                    RESP_ODATA_CONTENT_TYPE);
	assert_string_equal(json_string_value(json_object_get(h, "OData-Version")),
	                    "4.0");
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(entry(out, 2), "body"), "displayName")),
	                    "MOD Administrator");
	json_decref(out);
}

static void test_outer_headers_are_inherited_unless_overridden(void **ctx)
{
	const char *body =
	    "{\"requests\":["
	    "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" ADELE "\"},"
	    "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users/" ADELE "\","
	    "\"headers\":{\"X-Graphmock-Tenant\":\"contoso.onmicrosoft.com\"}}]}";
	json_t *out;

	assert_int_equal(
	    post(*ctx, "beta", body, "X-Graphmock-Tenant", "nowhere.test", &out), 200);
	assert_int_equal(status_of(out, 0), 400);
	assert_string_equal(error_message(json_object_get(entry(out, 0), "body")),
	                    "Tenant 'nowhere.test' does not exist in graphmock (GET "
	                    "/_mock/tenants lists them).");
	assert_int_equal(status_of(out, 1), 200);
	assert_non_null(
	    strstr(json_string_value(json_object_get(
	               json_object_get(entry(out, 1), "body"), "@odata.context")),
	           "/beta/$metadata"));
	json_decref(out);
}

static void test_routing_errors_stay_inside_the_entry(void **ctx)
{
	json_t *out =
	    run(*ctx, "{\"requests\":["
	              "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/v1.0/users\"},"
	              "{\"id\":\"2\",\"method\":\"PUT\",\"url\":\"/users\"},"
	              "{\"id\":\"3\",\"method\":\"GET\",\"url\":\"/users?%zz\"}]}");

	assert_int_equal(status_of(out, 0), 400);
	assert_string_equal(error_message(json_object_get(entry(out, 0), "body")),
	                    "Resource not found for the segment 'v1.0'.");
	assert_int_equal(status_of(out, 1), 405);
	assert_int_equal(status_of(out, 2), 400);
	json_decref(out);
}

static void test_fault_header_gives_a_429_entry_and_journal(void **ctx)
{
	struct srv *srv = *ctx;
	json_t *out, *log, *h;
	struct journal_filter f = {.since_ms = -1};

	journal_clear(&srv->journal);
	out = run(srv, "{\"requests\":["
	               "{\"id\":\"t\",\"method\":\"GET\",\"url\":\"/groups\","
	               "\"headers\":{\"X-Graphmock-Fault\":\"error=throttled;"
	               "retry-after=3\"}},"
	               "{\"id\":\"ok\",\"method\":\"GET\",\"url\":\"/groups\","
	               "\"dependsOn\":[\"t\"]}]}");
	h = json_object_get(entry(out, 0), "headers");
	assert_int_equal(status_of(out, 0), 429);
	assert_string_equal(json_string_value(json_object_get(h, "Retry-After")), "3");
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_object_get(entry(out, 0), "body"), "error"),
	        "code")),
	    "TooManyRequests");
	assert_int_equal(status_of(out, 1), 424);
	json_decref(out);

	/* each sub-request is journaled on its own, then the $batch itself */
	log = journal_query(&srv->journal, &f);
	assert_int_equal(json_array_size(json_object_get(log, "value")), 3);
	h = json_array_get(json_object_get(log, "value"), 0);
	assert_string_equal(json_string_value(json_object_get(h, "path")),
	                    "/v1.0/groups");
	assert_int_equal(json_integer_value(json_object_get(h, "status")), 429);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(h, "fault"), "action")),
	    "error");
	h = json_array_get(json_object_get(log, "value"), 2);
	assert_string_equal(json_string_value(json_object_get(h, "path")),
	                    "/v1.0/$batch");
	assert_int_equal(json_integer_value(json_object_get(h, "status")), 200);
	json_decref(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_every_whole_batch_400, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_more_than_20_requests, setup, teardown),
	    cmocka_unit_test(test_plan_keeps_array_order_and_waits_for_dependencies),
	    cmocka_unit_test_setup_teardown(test_failed_dependency_424_chain, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_forward_dependency_runs_first_and_ids_ignore_case, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_entry_bodies_and_headers, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_outer_headers_are_inherited_unless_overridden, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_routing_errors_stay_inside_the_entry,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_fault_header_gives_a_429_entry_and_journal, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
