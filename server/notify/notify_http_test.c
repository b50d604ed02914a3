/*
 * server/notify/notify_http_test.c - change notifications end to end: a real
 * graphmock on a free port and a real webhook receiver in this test (a small
 * libmicrohttpd server). The handshake echoed and not echoed (over HTTP,
 * where the request waits suspended, and in-process, where it blocks);
 * create, update, member-add, soft-delete and permanent-delete notifications
 * arriving in order with Graph's body; a 503 from the receiver retried with
 * the same body; a slow receiver never slowing graphmock's answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../http_testutil.h"
#include "../srv.h"

#define ADELE     "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define DEV_GROUP "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define TENANT    "2dd67af8-8f6d-47d9-86d2-56d41895239d"

/* ---- the receiver ---- */

struct receiver {
	struct MHD_Daemon *d;
	unsigned port;
	pthread_mutex_t lock;
	json_t *got;        /* every notification received, in arrival order */
	size_t posts;       /* deliveries (not validations) received */
	size_t validations; /* handshakes answered */
	int fail_next;      /* answer this many deliveries 503 */
	bool wrong_echo;    /* answer handshakes with the wrong text */
	int slow_ms;        /* sleep this long before answering a delivery */
	int slow_next;      /* ... or only the next N deliveries */
	int slow_validation_ms;
};

struct upload {
	char *data;
	size_t len;
};

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

static enum MHD_Result answer(struct MHD_Connection *conn, unsigned status,
                              const char *ctype, const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	if (ctype)
		MHD_add_response_header(r, "Content-Type", ctype);
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result on_hook(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version, const char *data,
                               size_t *size, void **req_cls)
{
	struct receiver *rc = cls;
	struct upload *up = *req_cls;
	const char *token;
	json_t *body;
	unsigned status = 202;

	(void)url;
	(void)method;
	(void)version;
	if (!up) {
		*req_cls = calloc(1, sizeof(struct upload));
		return MHD_YES;
	}
	if (*size) {
		up->data = realloc(up->data, up->len + *size + 1);
		memcpy(up->data + up->len, data, *size);
		up->len += *size;
		up->data[up->len] = '\0';
		*size = 0;
		return MHD_YES;
	}
	token =
	    MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "validationToken");
	if (token) {
		pthread_mutex_lock(&rc->lock);
		rc->validations++;
		if (rc->wrong_echo)
			token = "something else";
		pthread_mutex_unlock(&rc->lock);
		if (rc->slow_validation_ms)
			sleep_ms(rc->slow_validation_ms);
		return answer(conn, 200, "text/plain", token);
	}
	body = up->data ? json_loads(up->data, 0, NULL) : NULL;
	pthread_mutex_lock(&rc->lock);
	rc->posts++;
	if (rc->slow_next > 0) {
		rc->slow_next--;
		pthread_mutex_unlock(&rc->lock);
		json_decref(body);
		sleep_ms(
		    600); /* past the sender's timeout: this one counts for nothing */
		return answer(conn, 202, NULL, "");
	}
	if (rc->fail_next > 0) {
		rc->fail_next--;
		status = 503;
	} else {
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(body, "value"), i, v)
		    json_array_append(rc->got, v);
	}
	pthread_mutex_unlock(&rc->lock);
	json_decref(body);
	if (rc->slow_ms)
		sleep_ms(rc->slow_ms);
	return answer(conn, status, NULL, "");
}

static void on_done(void *cls, struct MHD_Connection *conn, void **req_cls,
                    enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *req_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (up)
		free(up->data);
	free(up);
}

static struct receiver *receiver_start(void)
{
	struct receiver *rc = calloc(1, sizeof(*rc));

	assert_non_null(rc);
	pthread_mutex_init(&rc->lock, NULL);
	rc->got = json_array();
	rc->d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
	    NULL, on_hook, rc, MHD_OPTION_NOTIFY_COMPLETED, on_done, rc, MHD_OPTION_END);
	assert_non_null(rc->d);
	rc->port = MHD_get_daemon_info(rc->d, MHD_DAEMON_INFO_BIND_PORT)->port;
	return rc;
}

static void receiver_stop(struct receiver *rc)
{
	MHD_stop_daemon(rc->d);
	json_decref(rc->got);
	pthread_mutex_destroy(&rc->lock);
	free(rc);
}

/* Wait (up to 15 s) until @n notifications have arrived. */
static void wait_for(struct receiver *rc, size_t n)
{
	for (int i = 0; i < 1500; i++) {
		size_t have;
		pthread_mutex_lock(&rc->lock);
		have = json_array_size(rc->got);
		pthread_mutex_unlock(&rc->lock);
		if (have >= n)
			return;
		sleep_ms(10);
	}
	fail_msg("only %zu of %zu notifications arrived", json_array_size(rc->got), n);
}

/* ---- graphmock ---- */

static struct test_reply *call(struct srv *srv, const char *method, const char *path,
                               const char *body)
{
	return test_call(srv, method, path, body, body ? "application/json" : NULL, NULL);
}

static char *subscribe(struct srv *srv, struct receiver *rc, const char *resource,
                       long expect)
{
	char body[512], when[TIME_ISO_LEN];
	struct test_reply *r;
	char *id = NULL;

	time_format(state_now_ms(&srv->state) + 24 * 3600 * 1000, TIME_FRACTION_Z, when);
	snprintf(body, sizeof(body),
	         "{\"changeType\": \"updated,deleted\", \"notificationUrl\": "
	         "\"http://127.0.0.1:%u/hook?x=1\", \"resource\": \"%s\", "
	         "\"expirationDateTime\": \"%s\", \"clientState\": \"secret-%s\"}",
	         rc->port, resource, when, resource);
	r = call(srv, "POST", "/v1.0/subscriptions", body);
	if (r->status != expect)
		fail_msg("POST /subscriptions %s: %ld %s", resource, r->status, r->body);
	if (expect == 201)
		id = strdup(json_string_value(json_object_get(r->json, "id")));
	test_reply_free(r);
	return id;
}

static void expect_status(struct srv *srv, const char *method, const char *path,
                          const char *body, long status)
{
	struct test_reply *r = call(srv, method, path, body);

	if (r->status != status)
		fail_msg("%s %s: expected %ld, got %ld %s", method, path, status,
		         r->status, r->body);
	test_reply_free(r);
}

/* One received notification against what Graph sends for a directory object. */
static void check_one(const json_t *n, const char *change, const char *set,
                      const char *id, const char *sub, const char *client_state)
{
	char resource[96];
	const json_t *data = json_object_get(n, "resourceData");

	snprintf(resource, sizeof(resource), "%s/%s", set, id);
	assert_string_equal(json_string_value(json_object_get(n, "changeType")), change);
	assert_string_equal(json_string_value(json_object_get(n, "resource")), resource);
	assert_string_equal(json_string_value(json_object_get(n, "subscriptionId")), sub);
	assert_string_equal(json_string_value(json_object_get(n, "clientState")),
	                    client_state);
	assert_string_equal(json_string_value(json_object_get(n, "tenantId")), TENANT);
	assert_non_null(strstr(
	    json_string_value(json_object_get(n, "subscriptionExpirationDateTime")),
	    "+00:00"));
	assert_string_equal(json_string_value(json_object_get(data, "@odata.type")),
	                    !strcmp(set, "Users") ? "#Microsoft.Graph.User"
	                                          : "#Microsoft.Graph.Group");
	assert_string_equal(json_string_value(json_object_get(data, "@odata.id")),
	                    resource);
	assert_string_equal(json_string_value(json_object_get(data, "id")), id);
	assert_string_equal(json_string_value(json_object_get(data, "organizationId")),
	                    TENANT);
	assert_true(json_integer_value(json_object_get(data, "sequenceNumber")) >
	            600000000000000000LL);
	assert_non_null(json_string_value(json_object_get(data, "eventTime")));
}

static void test_notifications_arrive_in_order(void **s)
{
	struct test_server_opts opts = {.seed = 1};
	struct srv *srv = test_server_start(&opts);
	struct receiver *rc = receiver_start();
	char *users_sub, *groups_sub, path[128], body[256], uid[GUID_STR_LEN + 1];
	struct test_reply *r;
	const json_t *got, *delta;

	(void)s;
	users_sub = subscribe(srv, rc, "users", 201);
	groups_sub = subscribe(srv, rc, "groups", 201);
	assert_int_equal(rc->validations, 2);

	r = call(
	    srv, "POST", "/v1.0/users",
	    "{\"accountEnabled\": true, \"displayName\": \"Noted\", \"mailNickname\": "
	    "\"noted\", \"userPrincipalName\": \"noted@contoso.onmicrosoft.com\", "
	    "\"passwordProfile\": {\"password\": \"Noted-pass-1!\"}}");
	assert_int_equal(r->status, 201);
	snprintf(uid, sizeof(uid), "%s",
	         json_string_value(json_object_get(r->json, "id")));
	test_reply_free(r);
	snprintf(path, sizeof(path), "/v1.0/users/%s", uid);
	expect_status(srv, "PATCH", path, "{\"jobTitle\": \"Noted\"}", 204);
	snprintf(
	    body, sizeof(body),
	    "{\"@odata.id\": \"https://graph.microsoft.com/v1.0/directoryObjects/%s\"}",
	    uid);
	expect_status(srv, "POST", "/v1.0/groups/" DEV_GROUP "/members/$ref", body, 204);
	expect_status(srv, "DELETE", path, NULL, 204);
	snprintf(path, sizeof(path), "/v1.0/directory/deletedItems/%s", uid);
	expect_status(srv, "DELETE", path, NULL, 204);

	wait_for(rc, 6);
	got = rc->got;
	check_one(json_array_get(got, 0), "updated", "Users", uid, users_sub,
	          "secret-users"); /* created */
	check_one(json_array_get(got, 1), "updated", "Users", uid, users_sub,
	          "secret-users"); /* jobTitle */
	check_one(json_array_get(got, 2), "updated", "Groups", DEV_GROUP, groups_sub,
	          "secret-groups");
	delta = json_object_get(json_object_get(json_array_get(got, 2), "resourceData"),
	                        "members@delta");
	assert_int_equal(json_array_size(delta), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(delta, 0), "id")), uid);
	assert_null(json_object_get(json_array_get(delta, 0), "@removed"));
	check_one(json_array_get(got, 3), "updated", "Users", uid, users_sub,
	          "secret-users"); /* soft delete */
	/* permanent delete: the group loses the member, then the user is gone */
	check_one(json_array_get(got, 4), "updated", "Groups", DEV_GROUP, groups_sub,
	          "secret-groups");
	delta = json_object_get(json_object_get(json_array_get(got, 4), "resourceData"),
	                        "members@delta");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(delta, 0), "@removed")),
	    "deleted");
	check_one(json_array_get(got, 5), "deleted", "Users", uid, users_sub,
	          "secret-users");
	sleep_ms(100);
	assert_int_equal(json_array_size(rc->got), 6); /* nothing more, nothing twice */

	test_server_stop(srv);
	receiver_stop(rc);
	free(users_sub);
	free(groups_sub);
}

/* 503 from the receiver: the same body comes again after the back-off. */
static void test_503_is_retried(void **s)
{
	struct test_server_opts opts = {.seed = 1};
	struct srv *srv = test_server_start(&opts);
	struct receiver *rc = receiver_start();
	struct test_reply *r;
	const json_t *attempts, *first;
	char *sub;

	(void)s;
	srv->notify.backoff_base_ms = 200;
	sub = subscribe(srv, rc, "users/" ADELE, 201);
	rc->fail_next = 1;
	expect_status(srv, "PATCH", "/v1.0/users/" ADELE, "{\"jobTitle\": \"Retried\"}",
	              204);
	wait_for(rc, 1);
	assert_int_equal(rc->posts, 2);
	check_one(json_array_get(rc->got, 0), "updated", "Users", ADELE, sub,
	          "secret-users/" ADELE);

	r = call(srv, "GET", "/_mock/notifications", NULL);
	attempts = json_object_get(r->json, "value");
	/* the handshake, then the 503 and the retry of the same body */
	assert_int_equal(json_array_size(attempts), 3);
	first = json_array_get(attempts, 1);
	assert_string_equal(json_string_value(json_object_get(first, "outcome")),
	                    "failed");
	assert_int_equal(json_integer_value(json_object_get(first, "status")), 503);
	assert_int_equal(json_integer_value(json_object_get(first, "attempt")), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(attempts, 2), "outcome")),
	    "delivered");
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(attempts, 2), "attempt")),
	    2);
	assert_true(json_equal(json_object_get(first, "body"),
	                       json_object_get(json_array_get(attempts, 2), "body")));
	test_reply_free(r);

	test_server_stop(srv);
	receiver_stop(rc);
	free(sub);
}

/* Not echoed: Graph's 400, no subscription; in-process (blocking) too. */
static void test_handshake_not_echoed(void **s)
{
	struct test_server_opts opts = {.seed = 1};
	struct srv *srv = test_server_start(&opts);
	struct receiver *rc = receiver_start();
	struct test_reply *r;
	char body[512], when[TIME_ISO_LEN];
	struct test_request rq = {"POST", "/v1.0/subscriptions",
	                          body,   "application/json",
	                          NULL,   NULL,
	                          NULL,   false,
	                          0};
	struct test_reply lr;

	(void)s;
	rc->wrong_echo = true;
	subscribe(srv, rc, "users", 400);
	r = call(srv, "GET", "/v1.0/subscriptions", NULL);
	assert_int_equal(json_array_size(json_object_get(r->json, "value")), 0);
	test_reply_free(r);
	/* through the pipeline without a socket (as a $batch entry): it blocks */
	time_format(state_now_ms(&srv->state) + 3600 * 1000 * 2, TIME_FRACTION_Z, when);
	snprintf(body, sizeof(body),
	         "{\"changeType\": \"updated\", \"notificationUrl\": "
	         "\"http://127.0.0.1:%u/hook\", \"resource\": \"groups\", "
	         "\"expirationDateTime\": \"%s\"}",
	         rc->port, when);
	test_local(srv, &rq, &lr);
	assert_int_equal(lr.status, 400);
	assert_non_null(strstr(lr.body, "Response must exactly match validationToken"));
	test_reply_release(&lr);
	rc->wrong_echo = false;
	test_local(srv, &rq, &lr);
	assert_int_equal(lr.status, 201);
	test_reply_release(&lr);
	test_server_stop(srv);
	receiver_stop(rc);
}

/* GET /_mock/notifications once it lists @n attempts, or after 15 s. */
static struct test_reply *attempts_at_least(struct srv *srv, size_t n)
{
	struct test_reply *r = NULL;

	for (int i = 0; i < 1500; i++) {
		if (r)
			test_reply_free(r);
		r = call(srv, "GET", "/_mock/notifications", NULL);
		if (json_array_size(json_object_get(r->json, "value")) >= n)
			break;
		sleep_ms(10);
	}
	return r;
}

/* Graph's timeouts: a handshake not answered in time, a delivery retried. */
static void test_timeouts(void **s)
{
	struct test_server_opts opts = {.seed = 1};
	struct srv *srv = test_server_start(&opts);
	struct receiver *rc = receiver_start();
	struct test_reply *r;
	const json_t *attempts;
	char *sub, body[512];

	(void)s;
	srv->notify.validate_timeout_ms = 200;
	srv->notify.first_timeout_ms = 200;
	srv->notify.backoff_base_ms = 100;
	rc->slow_validation_ms = 600;
	r = call(
	    srv, "POST", "/v1.0/subscriptions",
	    "{\"changeType\": \"updated\", \"notificationUrl\": "
	    "\"http://127.0.0.1:1/x\", "
	    "\"resource\": \"users\", \"expirationDateTime\": \"2020-01-01T00:00:00Z\"}");
	assert_int_equal(r->status, 400); /* nothing listens there: refused at once */
	assert_non_null(strstr(r->body, "must respond with 200 OK"));
	test_reply_free(r);
	snprintf(
	    body, sizeof(body),
	    "{\"changeType\": \"updated\", \"notificationUrl\": "
	    "\"http://127.0.0.1:%u/h\", "
	    "\"resource\": \"groups\", \"expirationDateTime\": \"2020-01-01T00:00:00Z\"}",
	    rc->port);
	r = call(srv, "POST", "/v1.0/subscriptions", body);
	assert_int_equal(r->status, 400);
	assert_non_null(
	    strstr(r->body, "\"Subscription validation request timed out.\""));
	test_reply_free(r);
	r = call(srv, "GET", "/_mock/notifications", NULL);
	attempts = json_object_get(r->json, "value");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(attempts, 1), "outcome")),
	    "timeout");
	test_reply_free(r);

	rc->slow_validation_ms = 0;
	sub = subscribe(srv, rc, "users", 201);
	rc->slow_next = 1;
	expect_status(srv, "PATCH", "/v1.0/users/" ADELE, "{\"jobTitle\": \"Slow\"}",
	              204);
	wait_for(rc, 1);
	/* two failed handshakes, one good one, the timed-out try, the retry
	 * (journaled once its answer is read, which may be after the receiver
	 * has it: a loaded machine saw four) */
	r = attempts_at_least(srv, 5);
	attempts = json_object_get(r->json, "value");
	assert_int_equal(json_array_size(attempts), 5);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(attempts, 3), "outcome")),
	    "timeout");
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(attempts, 3), "status")),
	    0);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(attempts, 4), "outcome")),
	    "delivered");
	test_reply_free(r);
	test_server_stop(srv);
	receiver_stop(rc);
	free(sub);
}

/* A receiver taking 2 s per delivery holds no request of graphmock's. */
static void test_slow_receiver_blocks_nothing(void **s)
{
	struct test_server_opts opts = {.seed = 1, .threads = 1};
	struct srv *srv = test_server_start(&opts);
	struct receiver *rc = receiver_start();
	char *sub;

	(void)s;
	sub = subscribe(srv, rc, "users", 201);
	rc->slow_ms = 2000;
	expect_status(srv, "PATCH", "/v1.0/users/" ADELE, "{\"jobTitle\": \"A\"}", 204);
	sleep_ms(100); /* the delivery is now waiting on the receiver */
	for (int i = 0; i < 5; i++) {
		int64_t t0 = monotonic_us();
		expect_status(srv, "GET", "/v1.0/users/" ADELE, NULL, 200);
		assert_true(monotonic_us() - t0 < 1000000);
	}
	wait_for(rc, 1);
	test_server_stop(srv);
	receiver_stop(rc);
	free(sub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_notifications_arrive_in_order),
	    cmocka_unit_test(test_503_is_retried),
	    cmocka_unit_test(test_handshake_not_echoed),
	    cmocka_unit_test(test_timeouts),
	    cmocka_unit_test(test_slow_receiver_blocks_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
