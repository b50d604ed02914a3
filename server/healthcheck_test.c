/*
 * server/healthcheck_test.c - `graphmock --healthcheck`: the URL it derives
 * from the options (scheme, loopback for wildcard addresses, port), and its
 * verdicts against a live server over http and https (200 healthy; another
 * status, a closed port, an unanswerable URL not).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck.h"
#include "http_testutil.h"
#include "srv.h"

static void test_default_url(void **s)
{
	static const char *const cases[][3] = {
	    /* --listen, --tls-cert, URL */
	    {"", NULL, "http://127.0.0.1:8080/_mock/health"},
	    {"0.0.0.0", NULL, "http://127.0.0.1:8080/_mock/health"},
	    {"::", NULL, "http://[::1]:8080/_mock/health"},
	    {"::1", "c.pem", "https://[::1]:8080/_mock/health"},
	    {"10.1.2.3", "c.pem", "https://10.1.2.3:8080/_mock/health"},
	};
	struct config cfg;
	char url[256], why[128];

	(void)s;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		config_defaults(&cfg);
		snprintf(cfg.listen, sizeof(cfg.listen), "%s", cases[i][0]);
		cfg.tls_cert = cases[i][1];
		assert_int_equal(
		    healthcheck_default_url(&cfg, url, sizeof(url), why, sizeof(why)), 0);
		assert_string_equal(url, cases[i][2]);
	}
	cfg.port = 0; /* only the ready line knows */
	assert_int_equal(
	    healthcheck_default_url(&cfg, url, sizeof(url), why, sizeof(why)), -1);
	assert_non_null(strstr(why, "port 0"));
}

/* healthcheck_run() on @url; its one line goes to @line. */
static int run(const char *url, char *line, size_t len)
{
	FILE *f = fmemopen(line, len, "w");
	int rc;

	assert_non_null(f);
	rc = healthcheck_run(url, f);
	fclose(f);
	return rc;
}

static void test_verdicts(void **s)
{
	struct test_server_opts o = {.seed = 1};
	struct srv *srv = test_server_start(&o);
	char url[256], line[512];
	unsigned port = srv->port;

	(void)s;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", port); /* path: /_mock/health */
	assert_int_equal(run(url, line, sizeof(line)), 0);
	assert_non_null(strstr(line, ": 200 ok"));
	snprintf(url, sizeof(url), "http://localhost:%u/v1.0/users", port);
	assert_int_equal(run(url, line, sizeof(line)), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/v1.0/nonsense", port);
	assert_int_equal(run(url, line, sizeof(line)), 1);
	assert_non_null(strstr(line, ": 400"));
	assert_int_equal(run("ftp://127.0.0.1/", line, sizeof(line)), 1);
	assert_int_equal(run("http://127.0.0.1:99999999/", line, sizeof(line)), 1);
	test_server_stop(srv);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", port);
	assert_int_equal(run(url, line, sizeof(line)), 1);
	assert_non_null(strstr(line, "connect failed"));
}

static void test_https(void **s)
{
	struct test_server_opts o = {.seed = 1, .tls = true};
	struct srv *srv;
	char url[256], line[512];

	(void)s;
	assert_int_equal(system("conformance/certs.sh " TEST_CERTS " >/dev/null"), 0);
	srv = test_server_start(&o);
	snprintf(url, sizeof(url), "https://localhost:%u/_mock/health", srv->port);
	assert_int_equal(run(url, line, sizeof(line)), 0);
	snprintf(url, sizeof(url), "http://localhost:%u/_mock/health", srv->port);
	assert_int_equal(run(url, line, sizeof(line)), 1); /* plain http to a TLS port */
	test_server_stop(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_url),
	    cmocka_unit_test(test_verdicts),
	    cmocka_unit_test(test_https),
	};

	return cmocka_run_group_tests_name("healthcheck", tests, NULL, NULL);
}
