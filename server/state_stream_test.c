/*
 * server/state_stream_test.c - the admin plane moves state of any size over
 * HTTP: GET /_mock/state streams the export (and equals the in-memory
 * export), PUT /_mock/state takes it back whatever --max-body says (the body
 * is spooled to disk), but only with the admin token when one is set.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "../state/load/export.h"
#include "../state/state.h"
#include "http/http.h"
#include "http_testutil.h"
#include "srv.h"

struct body {
	char *data;
	size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *cls)
{
	struct body *b = cls;
	char *grown = realloc(b->data, b->len + size * n + 1);

	assert_non_null(grown);
	memcpy(grown + b->len, p, size * n);
	b->data = grown;
	b->len += size * n;
	b->data[b->len] = '\0';
	return size * n;
}

/* @method /_mock/state with @body (or NULL) and @header; the status, all of
 * the answer into @out when non-NULL. */
static long call(struct srv *srv, const char *method, const char *body,
                 const char *header, struct body *out)
{
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	struct body sink = {0};
	char url[128];
	CURL *c = curl_easy_init();
	long status = 0;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/_mock/state", srv->port);
	if (header)
		h = curl_slist_append(h, header);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out ? out : &sink);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(sink.data);
	return status;
}

/* Enough users that the export is several times --max-body. */
static void grow(struct srv *srv, int users)
{
	char body[512];

	for (int i = 0; i < users; i++) {
		struct test_reply *r;

		snprintf(body, sizeof(body),
		         "{\"accountEnabled\":true,\"displayName\":\"Stream user %d\","
		         "\"mailNickname\":\"s%d\",\"userPrincipalName\":"
		         "\"s%d@contoso.onmicrosoft.com\",\"jobTitle\":\"Engineer\","
		         "\"passwordProfile\":{\"password\":\"Pa55-word!\"}}",
		         i, i, i);
		r = test_local_call(srv, "POST", "/v1.0/users", body, "application/json",
		                    NULL);
		assert_int_equal(r->status, 201);
		test_reply_free(r);
	}
}

static json_t *in_memory_export(struct srv *srv)
{
	json_t *doc;

	state_registry_read(&srv->state);
	doc = state_export(&srv->state);
	state_registry_unlock(&srv->state);
	return doc;
}

static void test_state_of_any_size(void **s)
{
	struct test_server_opts opts = {.seed = 4};
	struct srv *srv = test_srv_new(&opts);
	struct body got = {0}, again = {0};
	json_t *a, *b, *mem;

	(void)s;
	srv->cfg.max_body = 16 * 1024;
	assert_int_equal(srv_start(srv), 0);
	grow(srv, 200);
	assert_int_equal(call(srv, "GET", NULL, NULL, &got), 200);
	assert_true(got.len > 4 * srv->cfg.max_body);
	a = json_loads(got.data, 0, NULL);
	assert_non_null(a);
	mem = in_memory_export(srv);
	assert_true(json_equal(a, mem));
	/* back in, over --max-body: 204, and the same state after */
	if (call(srv, "PUT", got.data, NULL, NULL) != 204)
		fail_msg("PUT /_mock/state of %zu bytes (--max-body %zu) refused",
		         got.len, srv->cfg.max_body);
	/* what came in waits as text until read, and the export reads the same */
	assert_true(test_waiting_users(srv) >= 200);
	assert_int_equal(call(srv, "GET", NULL, NULL, &again), 200);
	b = json_loads(again.data, 0, NULL);
	assert_non_null(b);
	assert_true(json_equal(a, b));
	assert_true(test_waiting_users(srv) >= 200);
	/* a bad document still changes nothing */
	assert_int_equal(call(srv, "PUT", "{\"tenants\": 1}", NULL, NULL), 400);
	json_decref(a);
	json_decref(b);
	json_decref(mem);
	free(got.data);
	free(again.data);
	test_server_stop(srv);
}

static void test_big_put_needs_the_admin_token(void **s)
{
	struct test_server_opts opts = {.seed = 4};
	struct srv *srv = test_srv_new(&opts);
	struct body got = {0};

	(void)s;
	srv->cfg.max_body = 16 * 1024;
	srv->cfg.admin_token = "t0ken";
	assert_int_equal(srv_start(srv), 0);
	grow(srv, 200);
	assert_int_equal(call(srv, "GET", NULL, "X-Graphmock-Admin-Token: t0ken", &got),
	                 200);
	assert_int_equal(call(srv, "PUT", got.data, NULL, NULL), 401);
	assert_int_equal(call(srv, "PUT", got.data, "Authorization: Bearer t0ken", NULL),
	                 204);
	free(got.data);
	test_server_stop(srv);
}

struct put_job {
	struct srv *srv;
	const char *doc;
	long status;
	atomic_int done;
};

static void *put_thread(void *arg)
{
	struct put_job *j = arg;

	j->status = call(j->srv, "PUT", j->doc, NULL, NULL);
	j->done = 1;
	return NULL;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/*
 * With one worker thread, a long admin operation (a big PUT /_mock/state)
 * runs on the admin thread: requests meanwhile are answered at once, none
 * waits for most of it (as all did when the worker ran it).
 */
static void test_admin_operation_blocks_nobody(void **s)
{
	struct test_server_opts opts = {.seed = 4, .threads = 1};
	struct srv *srv = test_srv_new(&opts);
	struct body got = {0};
	struct put_job job = {srv, NULL, 0, 0};
	double start, took, worst = 0;
	pthread_t th;

	(void)s;
	assert_int_equal(srv_start(srv), 0);
	grow(srv, 6000);
	assert_int_equal(call(srv, "GET", NULL, NULL, &got), 200);
	job.doc = got.data;
	start = now_ms();
	assert_int_equal(pthread_create(&th, NULL, put_thread, &job), 0);
	while (!job.done) {
		double t0 = now_ms();
		struct test_reply *r =
		    test_call(srv, "GET", "/v1.0/organization", NULL, NULL, NULL);
		assert_int_equal(r->status, 200);
		if (now_ms() - t0 > worst)
			worst = now_ms() - t0;
		test_reply_free(r);
	}
	pthread_join(th, NULL);
	took = now_ms() - start;
	assert_int_equal(job.status, 204);
	if (worst > took / 2)
		fail_msg("a request waited %.0f ms of the %.0f ms PUT /_mock/state took",
		         worst, took);
	free(got.data);
	test_server_stop(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_state_of_any_size),
	    cmocka_unit_test(test_big_put_needs_the_admin_token),
	    cmocka_unit_test(test_admin_operation_blocks_nobody),
	};

	curl_global_init(CURL_GLOBAL_ALL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
