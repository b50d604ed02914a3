/*
 * server/prestretch_test.c - a new user's password is stretched before its
 * request takes the tenant's lock (server/exchange.c prestretch_password):
 * with the lock held by the test, the POST /users it sends has already done
 * the PBKDF2 work, and once the lock is let go the hash made under it
 * stretches nothing more. So a user's creation holds up the tenant's other
 * requests for the time of an HMAC, not of 1,000 PBKDF2 rounds.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "../state/state.h"
#include "../state/util/password.h"
#include "http_testutil.h"
#include "srv.h"

struct post {
	struct srv *srv;
	struct test_reply reply;
};

static void *post_user(void *arg)
{
	struct post *p = arg;
	struct test_request rq = {
	    "POST",
	    "/v1.0/users",
	    "{\"accountEnabled\":true,\"displayName\":\"Stretched Early\","
	    "\"mailNickname\":\"early\",\"userPrincipalName\":"
	    "\"early@contoso.onmicrosoft.com\",\"passwordProfile\":{\"password\":"
	    "\"Stretched-Early-1!\"}}",
	    "application/json",
	    NULL,
	    NULL,
	    NULL,
	    false,
	    0};

	test_http(p->srv, &rq, &p->reply);
	return NULL;
}

static void test_password_stretched_before_the_lock(void **s)
{
	struct test_server_opts opts = {.seed = 5};
	struct srv *srv = test_server_start(&opts);
	struct post p = {srv, {0}};
	struct tenant *t;
	unsigned long before = password_stretches();
	pthread_t poster;
	int waited_ms = 0;

	(void)s;
	state_registry_read(&srv->state);
	t = state_tenant_default(&srv->state);
	state_registry_unlock(&srv->state);
	state_tenant_lock(t);
	assert_int_equal(pthread_create(&poster, NULL, post_user, &p), 0);
	/* Not a timing assertion: the stretch must come while the lock is held
	 * here, however long it takes; 10 s is only how long a failure waits. */
	while (password_stretches() == before && waited_ms < 10000) {
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
		waited_ms += 10;
	}
	assert_int_equal(password_stretches(), before + 1);
	state_tenant_unlock(t);
	pthread_join(poster, NULL);
	assert_int_equal(p.reply.rc, CURLE_OK);
	assert_int_equal(p.reply.status, 201);
	assert_int_equal(password_stretches(), before + 1); /* the hash found it */
	assert_null(strstr(p.reply.body, "Stretched-Early-1!"));
	test_reply_release(&p.reply);
	test_server_stop(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_password_stretched_before_the_lock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
