/*
 * server/busy_tenant_test.c - a long admin operation on one tenant (an
 * export holds its lock while it renders) never stalls another tenant's
 * requests: a request to the busy tenant waits on the admin thread, not on
 * the worker that also serves everyone else's connections. One worker
 * thread, so before the fix the second request below could never answer.
 * And it waits only for the lock, not for the whole operation: an export
 * renders after letting the lock go, while the admin thread is still busy.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "../state/state.h"
#include "http_testutil.h"
#include "srv.h"

struct get {
	struct srv *srv;
	const char *tenant_header;
	struct test_reply reply;
};

static void *get_users(void *arg)
{
	struct get *g = arg;
	const char *headers[] = {g->tenant_header, NULL};
	struct test_request rq = {"GET", "/v1.0/users", NULL,  NULL, NULL,
	                          NULL,  headers,       false, 0};

	test_http(g->srv, &rq, &g->reply);
	return NULL;
}

/* A second tenant, "Other": its id into @id. */
static void make_other(struct srv *srv, char id[64])
{
	struct test_reply *made =
	    test_call(srv, "POST", "/_mock/tenants",
	              "{\"displayName\":\"Other\",\"domain\":\"other.example\"}",
	              "application/json", NULL);

	assert_int_equal(made->status, 201);
	snprintf(id, 64, "%s", json_string_value(json_object_get(made->json, "id")));
	test_reply_free(made);
}

/* The default tenant, held as an export holds it while taking its snapshot. */
static struct tenant *hold_default(struct srv *srv)
{
	struct tenant *t;

	state_registry_read(&srv->state);
	t = state_tenant_default(&srv->state);
	state_registry_unlock(&srv->state);
	atomic_fetch_add(&t->busy, 1);
	state_tenant_lock(t);
	return t;
}

static void test_busy_tenant_waits_elsewhere(void **s)
{
	struct test_server_opts opts = {.seed = 3, .threads = 1};
	struct srv *srv = test_server_start(&opts);
	struct tenant *busy;
	char other[128], other_id[64];
	struct get to_busy = {srv, NULL, {0}}, to_other = {srv, other, {0}};
	pthread_t waiting;

	(void)s;
	make_other(srv, other_id);
	snprintf(other, sizeof(other), "X-Graphmock-Tenant: %s", other_id);
	busy = hold_default(srv);
	assert_int_equal(pthread_create(&waiting, NULL, get_users, &to_busy), 0);
	nanosleep(&(struct timespec){0, 300 * 1000 * 1000}, NULL); /* it is in */

	/* The same single worker answers the other tenant meanwhile. */
	get_users(&to_other);
	assert_int_equal(to_other.reply.rc, CURLE_OK);
	assert_int_equal(to_other.reply.status, 200);

	state_tenant_unlock(busy);
	atomic_fetch_sub(&busy->busy, 1);
	pthread_join(waiting, NULL);
	assert_int_equal(to_busy.reply.rc, CURLE_OK);
	assert_int_equal(to_busy.reply.status, 200);
	assert_non_null(strstr(to_busy.reply.body, "Adele Vance"));
	test_reply_release(&to_busy.reply);
	test_reply_release(&to_other.reply);
	test_server_stop(srv);
}

struct post {
	struct srv *srv;
	char path[128];
	struct test_reply reply;
};

static void *post_reset(void *arg)
{
	struct post *p = arg;
	struct test_request rq = {"POST", p->path, NULL,  NULL, NULL,
	                          NULL,   NULL,    false, 0};

	test_http(p->srv, &rq, &p->reply);
	return NULL;
}

struct timed_get {
	struct get get;
	atomic_bool done;
};

static void *get_users_timed(void *arg)
{
	struct timed_get *g = arg;

	get_users(&g->get);
	atomic_store(&g->done, true);
	return NULL;
}

/*
 * The admin thread stays occupied (a per-tenant reset of Other, blocked on
 * Other's lock, which the test holds) while the default tenant is busy and
 * locked, then only unlocked: its waiting request answers as soon as the
 * lock is free, not once the admin thread is done. Before the busy-tenant
 * thread, it waited behind the reset (the export's rendering, in life).
 */
static void test_busy_tenant_waits_for_the_lock_only(void **s)
{
	struct test_server_opts opts = {.seed = 3, .threads = 1};
	struct srv *srv = test_server_start(&opts);
	struct tenant *busy, *other;
	struct post reset = {srv, "", {0}};
	struct timed_get to_busy = {{srv, NULL, {0}}, false};
	pthread_t resetting, waiting;
	char other_id[64];

	(void)s;
	make_other(srv, other_id);
	snprintf(reset.path, sizeof(reset.path), "/_mock/tenants/%s/reset", other_id);
	state_registry_read(&srv->state);
	other = state_tenant_find(&srv->state, other_id);
	state_registry_unlock(&srv->state);
	assert_non_null(other);

	state_tenant_lock(other); /* the admin thread will wait on it */
	assert_int_equal(pthread_create(&resetting, NULL, post_reset, &reset), 0);
	nanosleep(&(struct timespec){0, 300 * 1000 * 1000}, NULL);
	busy = hold_default(srv);
	assert_int_equal(pthread_create(&waiting, NULL, get_users_timed, &to_busy), 0);
	nanosleep(&(struct timespec){0, 300 * 1000 * 1000}, NULL); /* it is in */
	assert_false(atomic_load(&to_busy.done));
	state_tenant_unlock(busy); /* the snapshot taken; the admin thread busy on */
	atomic_fetch_sub(&busy->busy, 1);
	for (int i = 0; i < 100 && !atomic_load(&to_busy.done); i++)
		nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
	assert_true(atomic_load(&to_busy.done)); /* answered: the reset still waits */
	assert_int_equal(to_busy.get.reply.status, 200);
	state_tenant_unlock(other);
	pthread_join(waiting, NULL);
	pthread_join(resetting, NULL);
	assert_int_equal(reset.reply.status, 204);
	test_reply_release(&to_busy.get.reply);
	test_reply_release(&reset.reply);
	test_server_stop(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_busy_tenant_waits_elsewhere),
	    cmocka_unit_test(test_busy_tenant_waits_for_the_lock_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
