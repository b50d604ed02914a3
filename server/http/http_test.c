/*
 * server/http/http_test.c - fault injection end to end: a real daemon on port 0
 * and libcurl. Connection faults as clients see them (curl error codes),
 * latency that holds no worker, the 429-429-200 retry story with its
 * journal, ghost writes, --seed reproducibility across two servers,
 * --faults files and --state-file save/load; and a request whose parts
 * cannot be kept for lack of memory fails whole, never served without them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../../state/util/alloc.h"
#include "../../state/load/export.h"
#include "../../state/load/fixture.h"
#include "fault_apply.h"
#include "../http_testutil.h"
#include "../srv.h"
#include "../../state/load/tenants.h"

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

static struct srv *server_start(uint64_t seed, unsigned threads)
{
	struct test_server_opts o = {.seed = seed, .threads = threads};

	return test_server_start(&o);
}

/* One request; @fault is an X-Graphmock-Fault value or NULL. */
static struct test_reply call(struct srv *srv, const char *method, const char *path,
                              const char *body, const char *fault)
{
	struct test_request rq = {method, path,  body, "application/json", NULL, fault,
	                          NULL,   false, 0};
	struct test_reply r;

	test_http(srv, &rq, &r);
	test_reply_release(&r); /* tests here read the raw body */
	return r;
}

static void test_connection_faults(void **s)
{
	struct srv *srv = server_start(1, 2);
	struct test_reply r;

	(void)s;
	r = call(srv, "GET", "/_mock/health", NULL, "reset");
	assert_int_equal(r.rc, CURLE_RECV_ERROR);
	r = call(srv, "GET", "/_mock/health", NULL, "close");
	assert_int_equal(r.rc, CURLE_GOT_NOTHING);
	r = call(srv, "GET", "/_mock/health", NULL, "truncate");
	assert_int_equal(r.rc, CURLE_PARTIAL_FILE);
	assert_int_equal(r.status, 200);
	r = call(srv, "GET", "/_mock/health", NULL, "garbage");
	assert_int_not_equal(r.rc, CURLE_OK);
	r = call(srv, "GET", "/_mock/health", NULL,
	         NULL); /* the server is fine afterwards */
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 200);
	test_server_stop(srv);
}

struct slow_call {
	struct srv *srv;
	struct test_reply r;
	int64_t took_us;
};

static void *slow_thread(void *arg)
{
	struct slow_call *sc = arg;
	int64_t t0 = monotonic_us();

	sc->r = call(sc->srv, "GET", "/_mock/health", NULL, "latency=800");
	sc->took_us = monotonic_us() - t0;
	return NULL;
}

static void test_latency_holds_no_worker(void **s)
{
	struct srv *srv = server_start(1, 1); /* one worker thread */
	struct slow_call sc = {.srv = srv};
	pthread_t th;
	int64_t t0, fast;
	struct test_reply r;

	(void)s;
	pthread_create(&th, NULL, slow_thread, &sc);
	sleep_ms(150);
	t0 = monotonic_us();
	r = call(srv, "GET", "/_mock/health", NULL, NULL);
	fast = monotonic_us() - t0;
	assert_int_equal(r.status, 200);
	assert_true(fast < 400000); /* served while the slow one sleeps */
	pthread_join(th, NULL);
	assert_int_equal(sc.r.status, 200);
	assert_true(sc.took_us >= 800000);
	test_server_stop(srv);
}

static void test_retry_story_and_journal(void **s)
{
	struct srv *srv = server_start(1, 2);
	struct test_reply r;

	(void)s;
	r = call(srv, "POST", "/_mock/faults",
	         "{\"id\":\"twice\",\"match\":{\"path\":\"/_mock/"
	         "health\"},\"when\":{\"times\":2},"
	         "\"action\":{\"error\":\"throttled\",\"retryAfter\":1}}",
	         NULL);
	assert_int_equal(r.status, 201);
	r = call(srv, "GET", "/_mock/health", NULL, NULL);
	assert_int_equal(r.status, 429);
	assert_string_equal(r.retry_after, "1");
	assert_non_null(strstr(r.body, "\"code\":\"TooManyRequests\""));
	r = call(srv, "GET", "/_mock/health", NULL, NULL);
	assert_int_equal(r.status, 429);
	r = call(srv, "GET", "/_mock/health", NULL, NULL);
	assert_int_equal(r.status, 200);
	r = call(srv, "GET", "/_mock/requests?path=/_mock/health", NULL, NULL);
	json_t *doc = json_loads(r.body, 0, NULL), *v = json_object_get(doc, "value");
	assert_int_equal(json_array_size(v), 3);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(v, 0), "status")), 429);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_array_get(v, 1), "fault"), "ruleId")),
	    "twice");
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(v, 2), "status")), 200);
	json_decref(doc);
	r = call(srv, "GET", "/_mock/faults/stats", NULL, NULL);
	assert_non_null(strstr(r.body, "\"injections\":2"));
	assert_non_null(strstr(r.body, "\"retryAfterViolations\":2"));
	test_server_stop(srv);
}

static void test_ghost_write(void **s)
{
	struct srv *srv = server_start(1, 2);
	struct test_reply r;

	(void)s;
	r = call(srv, "POST", "/_mock/tenants", "{\"displayName\":\"Ghost\"}",
	         "ghost-write=503");
	assert_int_equal(r.status, 503);
	assert_non_null(strstr(r.body, "serviceNotAvailable"));
	r = call(srv, "GET", "/_mock/tenants", NULL, NULL);
	assert_non_null(
	    strstr(r.body, "\"displayName\":\"Ghost\"")); /* the write happened */
	r = call(srv, "POST", "/_mock/tenants", "{\"displayName\":\"Ghost2\"}",
	         "ghost-write=reset");
	assert_int_equal(r.rc, CURLE_RECV_ERROR);
	r = call(srv, "GET", "/_mock/tenants", NULL, NULL);
	assert_non_null(strstr(r.body, "\"displayName\":\"Ghost2\""));
	test_server_stop(srv);
}

/* Statuses of 20 requests under a probability 0.5 rule, as a string. */
static void twenty(uint64_t seed, char out[21])
{
	struct srv *srv = server_start(seed, 2);
	struct test_reply r;

	r = call(srv, "POST", "/_mock/faults",
	         "{\"match\":{\"path\":\"/_mock/health\"},\"when\":{\"probability\":0.5},"
	         "\"action\":{\"error\":\"serviceUnavailable\"}}",
	         NULL);
	assert_int_equal(r.status, 201);
	for (int i = 0; i < 20; i++) {
		r = call(srv, "GET", "/_mock/health", NULL, NULL);
		out[i] = r.status == 503 ? 'X' : '.';
	}
	out[20] = '\0';
	test_server_stop(srv);
}

static void test_seed_reproducible_over_http(void **s)
{
	char a[21], b[21], c[21];

	(void)s;
	twenty(99, a);
	twenty(99, b);
	twenty(100, c);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c); /* 2^-20 chance of a false failure */
	assert_non_null(strchr(a, 'X'));
	assert_non_null(strchr(a, '.'));
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_faults_file(void **s)
{
	struct srv *srv = server_start(1, 1);
	char path[] = "/tmp/graphmock-faults-XXXXXX";
	int fd = mkstemp(path);

	(void)s;
	close(fd);
	write_file(
	    path,
	    "[{\"id\":\"ok\",\"action\":{\"error\":\"throttled\"}},"
	    "{\"id\":\"bad\",\"when\":{\"every\":0},\"action\":{\"error\":\"x\"}}]");
	assert_int_equal(srv_load_faults_file(srv, path),
	                 -1);                    /* prints rule 1 (id 'bad') */
	assert_int_equal(srv->faults.nrules, 0); /* nothing half-loaded */
	write_file(path,
	           "{\"rules\":[{\"id\":\"ok\",\"action\":{\"error\":\"throttled\"}}]}");
	assert_int_equal(srv_load_faults_file(srv, path), 0);
	assert_int_equal(srv->faults.nrules, 1);
	write_file(path, "[{\"id\":");
	assert_int_equal(srv_load_faults_file(srv, path), -1);
	unlink(path);
	test_server_stop(srv);
}

static void test_state_file(void **s)
{
	struct srv *a = server_start(1, 1), *b;
	char dir[] = "/tmp/graphmock-state-XXXXXX", path[256], err[256];
	struct test_reply r;
	json_t *ea, *eb;

	(void)s;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.json", dir);
	r = call(a, "POST", "/_mock/tenants", "{\"displayName\":\"Fabrikam\"}", NULL);
	assert_int_equal(r.status, 201);
	assert_int_equal(srv_state_save(a, path, err, sizeof(err)), 0);
	b = server_start(2, 1);
	assert_int_equal(srv_state_load_file(b, path, err, sizeof(err)), 0);
	ea = state_export(&a->state);
	eb = state_export(&b->state);
	assert_true(json_equal(ea, eb));
	json_decref(ea);
	json_decref(eb);
	test_server_stop(a);
	test_server_stop(b);
	unlink(path);
	rmdir(dir);
}

/*
 * Allocation N failing while graphmock builds and serves a request, for
 * every N: the answer is the whole answer or a 500, never an answer to a
 * request that silently lost a header or a query option (here the
 * ConsistencyLevel that $count needs, and the $top that bounds the page).
 */
static void test_request_parts_are_never_dropped(void **s)
{
	static const char *const headers[] = {"ConsistencyLevel: eventual",
	                                      "client-request-id: parts-1", NULL};
	struct test_request rq = {"GET",   "/v1.0/users?$count=true&$top=1",
	                          NULL,    NULL,
	                          NULL,    NULL,
	                          headers, false,
	                          0};
	struct srv *srv = server_start(1, 1); /* one worker: allocations in order */
	struct test_reply r;
	long n, errors = 0;

	(void)s;
	json_set_alloc_funcs(state_malloc, state_free);
	for (n = 0; n < 5000; n++) {
		state_alloc_fail_after(n);
		test_http(srv, &rq, &r);
		state_alloc_fail_after(-1);
		assert_int_equal(r.rc, CURLE_OK);
		/* parsed again now that the test's own jansson calls cannot fail */
		json_decref(r.json);
		r.json = json_loadb(r.body, r.len, 0, NULL);
		if (r.status == 200) {
			assert_int_equal(
			    json_integer_value(json_object_get(r.json, "@odata.count")),
			    2);
			assert_int_equal(
			    json_array_size(json_object_get(r.json, "value")), 1);
			test_reply_release(&r);
			break;
		}
		assert_int_equal(r.status, 500);
		errors++;
		test_reply_release(&r);
	}
	json_set_alloc_funcs(malloc, free);
	assert_true(errors > 5); /* the loop did reach the parts and the handler */
	assert_true(n < 5000);
	test_server_stop(srv);
}

/* jansson's allocator for the test below: its allocation number @json_fail_at fails. */
static atomic_long json_fail_at = -1;

static void *json_fail_once(size_t n)
{
	return atomic_fetch_sub(&json_fail_at, 1) == 0 ? NULL : malloc(n);
}

/*
 * jansson allocation N failing once while graphmock serves a POST with a
 * JSON body, for every N: the answer is a 500 (memory ran out: the body
 * parser's, or the error's own rendering) or the handler's 400 (this body
 * lacks accountEnabled), never the 400 for a body that is not JSON.
 */
static void test_body_parse_oom_is_500(void **s)
{
	struct test_request rq = {
	    .method = "POST",
	    .path = "/v1.0/users",
	    .body = "{\"displayName\":\"Out of memory\",\"mailNickname\":\"oom\","
	            "\"jobTitle\":\"x\",\"businessPhones\":[\"+1 425 555 0100\"]}",
	    .ctype = "application/json",
	};
	struct srv *srv = server_start(1, 1); /* one worker: allocations in order */
	struct test_reply r;
	long n, errors = 0;

	(void)s;
	json_set_alloc_funcs(json_fail_once, free);
	for (n = 0; n < 5000; n++) {
		atomic_store(&json_fail_at, n);
		test_http(srv, &rq, &r);
		assert_int_equal(r.rc, CURLE_OK);
		if (r.status == 500) {
			errors++;
		} else {
			assert_int_equal(r.status, 400);
			assert_non_null(strstr(r.body, "accountEnabled"));
		}
		test_reply_release(&r);
		if (atomic_load(&json_fail_at) >= 0)
			break; /* allocation n was never reached: all were tried */
	}
	atomic_store(&json_fail_at, -1);
	json_set_alloc_funcs(malloc, free);
	assert_true(errors > 5); /* the failures did reach the parser */
	assert_true(n < 5000);
	test_server_stop(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_connection_faults),
	    cmocka_unit_test(test_latency_holds_no_worker),
	    cmocka_unit_test(test_retry_story_and_journal),
	    cmocka_unit_test(test_ghost_write),
	    cmocka_unit_test(test_seed_reproducible_over_http),
	    cmocka_unit_test(test_faults_file),
	    cmocka_unit_test(test_state_file),
	    cmocka_unit_test(test_request_parts_are_never_dropped),
	    cmocka_unit_test(test_body_parse_oom_is_500),
	};
	signal(SIGPIPE, SIG_IGN);
	json_object_seed(0);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
