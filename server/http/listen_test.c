/*
 * server/http/listen_test.c - where graphmock listens: without --listen on
 * 127.0.0.1 and ::1 on the same port (clients resolve localhost to either
 * first), with --listen on that one address only; a port taken on ::1 is a
 * failure to start, not a silent IPv4-only server. Probed with the
 * --healthcheck client.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../healthcheck.h"
#include "../http_testutil.h"
#include "../srv.h"
#include "http.h"

/* 0 when @host:@port answers GET /_mock/health with 200. */
static int probe(const char *host, unsigned port)
{
	char url[128];
	FILE *devnull = fopen("/dev/null", "w");
	int rc;

	assert_non_null(devnull);
	snprintf(url, sizeof(url), "http://%s:%u/_mock/health", host, port);
	rc = healthcheck_run(url, devnull);
	fclose(devnull);
	return rc;
}

/* A socket listening on [::1]:0, or -1 where the machine has no IPv6 loopback. */
static int listen_v6_any_port(unsigned *port)
{
	struct sockaddr_in6 a = {.sin6_family = AF_INET6,
	                         .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET6, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(a.sin6_port);
	return fd;
}

static void need_ipv6(void)
{
	unsigned port;
	int fd = listen_v6_any_port(&port);

	if (fd < 0) {
		fprintf(stderr, "skipping: this machine has no IPv6 loopback\n");
		skip();
	}
	close(fd);
}

static void test_default_is_both_loopbacks_on_one_port(void **s)
{
	struct test_server_opts o = {.seed = 1};
	struct srv *srv;

	(void)s;
	need_ipv6();
	srv = test_server_start(&o);
	assert_string_equal(srv->addr, "127.0.0.1"); /* what the ready line prints */
	assert_true(srv->listen_fd >= 0);
	assert_true(srv->listen_fd_v6 >= 0);
	assert_int_equal(probe("127.0.0.1", srv->port), 0);
	assert_int_equal(probe("[::1]", srv->port), 0);
	assert_int_equal(probe("localhost", srv->port), 0);
	test_server_stop(srv);
}

static void test_listen_picks_one_address(void **s)
{
	static const char *const cases[][3] = {
	    /* --listen, answers, does not answer */
	    {"127.0.0.1", "127.0.0.1", "[::1]"},
	    {"::1", "[::1]", "127.0.0.1"},
	};
	struct test_server_opts o = {.seed = 1};

	(void)s;
	need_ipv6();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct srv *srv = test_srv_new(&o);

		snprintf(srv->cfg.listen, sizeof(srv->cfg.listen), "%s", cases[i][0]);
		assert_int_equal(srv_start(srv), 0);
		assert_int_equal(srv->listen_fd_v6, -1);
		assert_string_equal(srv->addr, cases[i][1]);
		assert_int_equal(probe(cases[i][1], srv->port), 0);
		assert_int_equal(probe(cases[i][2], srv->port), 1);
		srv_stop(srv);
		test_srv_free(srv);
	}
}

static void test_port_taken_on_ipv6_is_a_failure(void **s)
{
	struct test_server_opts o = {.seed = 1};
	struct srv *srv;
	unsigned port;
	int fd;

	(void)s;
	fd = listen_v6_any_port(&port);
	if (fd < 0) {
		fprintf(stderr, "skipping: this machine has no IPv6 loopback\n");
		skip();
	}
	srv = test_srv_new(&o);
	srv->cfg.port = port;
	assert_int_equal(srv_start(srv), -1);
	assert_int_equal(srv->listen_fd, -1);
	assert_int_equal(srv->listen_fd_v6, -1);
	test_srv_free(srv);
	close(fd);
}

static void test_bad_listen_address(void **s)
{
	struct test_server_opts o = {.seed = 1};
	struct srv *srv = test_srv_new(&o);

	(void)s;
	snprintf(srv->cfg.listen, sizeof(srv->cfg.listen), "localhost");
	assert_int_equal(srv_start(srv), -1);
	test_srv_free(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_is_both_loopbacks_on_one_port),
	    cmocka_unit_test(test_listen_picks_one_address),
	    cmocka_unit_test(test_port_taken_on_ipv6_is_a_failure),
	    cmocka_unit_test(test_bad_listen_address),
	};

	return cmocka_run_group_tests_name("listen", tests, NULL, NULL);
}
