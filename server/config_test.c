/*
 * server/config_test.c - flag parsing: defaults, every flag, bad values
 * (usage, exit 2), --help and --version; GRAPHMOCK_* variables, which flags
 * override.
 */
#define _GNU_SOURCE /* sched_setaffinity */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

static enum config_result parse(struct config *cfg, int argc, const char **argv,
                                char *out, size_t outlen)
{
	FILE *o = fmemopen(out, outlen, "w");
	FILE *e = fopen("/dev/null", "w");
	enum config_result r = config_parse(cfg, argc, (char **)argv, o, e);

	fclose(o);
	fclose(e);
	return r;
}

static void test_defaults(void **ctx)
{
	const char *argv[] = {"graphmock", NULL};
	struct config cfg;
	char out[64];

	(void)ctx;
	assert_int_equal(parse(&cfg, 1, argv, out, sizeof(out)), CONFIG_OK);
	assert_string_equal(cfg.listen, ""); /* 127.0.0.1 and ::1 */
	assert_int_equal(cfg.port, 8080);
	assert_int_equal(cfg.threads, config_usable_cores());
	assert_int_equal(cfg.max_body, 4u << 20);
	assert_false(cfg.seeded);
	assert_int_equal(cfg.log_format, LOG_TEXT);
}

/* Pinned to one core (taskset -c N), the default is one thread. */
static void test_threads_follow_affinity(void **ctx)
{
	const char *argv[] = {"graphmock", NULL};
	cpu_set_t all, one;
	struct config cfg;
	char out[64];

	(void)ctx;
	assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
	CPU_ZERO(&one);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &all)) {
			CPU_SET(cpu, &one);
			break;
		}
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	assert_int_equal(parse(&cfg, 1, argv, out, sizeof(out)), CONFIG_OK);
	assert_int_equal(cfg.threads, 1);
	assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
	assert_int_equal(config_usable_cores(), (unsigned)CPU_COUNT(&all));
}

static void test_every_flag(void **ctx)
{
	const char *argv[] = {"graphmock",
	                      "--listen",
	                      "0.0.0.0",
	                      "--port",
	                      "0",
	                      "--threads",
	                      "3",
	                      "--fixtures",
	                      "f.json",
	                      "--seed",
	                      "42",
	                      "--public-url",
	                      "http://mock:1/",
	                      "--log-format",
	                      "json",
	                      "--quiet",
	                      "--max-body",
	                      "10",
	                      "--faults",
	                      "x.json",
	                      "--no-fault-header",
	                      "--journal-size",
	                      "5",
	                      "--state-file",
	                      "s.json",
	                      NULL};
	struct config cfg;
	char out[64];

	(void)ctx;
	assert_int_equal(parse(&cfg, 25, argv, out, sizeof(out)), CONFIG_OK);
	assert_string_equal(cfg.listen, "0.0.0.0");
	assert_int_equal(cfg.port, 0);
	assert_int_equal(cfg.threads, 3);
	assert_string_equal(cfg.fixtures, "f.json");
	assert_true(cfg.seeded);
	assert_int_equal(cfg.seed, 42);
	assert_string_equal(cfg.public_url, "http://mock:1");
	assert_int_equal(cfg.log_format, LOG_JSON);
	assert_true(cfg.quiet);
	assert_int_equal(cfg.max_body, 10);
	assert_string_equal(cfg.faults_file, "x.json");
	assert_true(cfg.no_fault_header);
	assert_int_equal(cfg.journal_size, 5);
	assert_string_equal(cfg.state_file, "s.json");
}

/* The fault header and the admin token: what turns the header on, and where
 * the token comes from (the flag wins over $GRAPHMOCK_ADMIN_TOKEN). */
static void test_fault_header_and_admin_token(void **ctx)
{
	const char *loop[] = {"graphmock", NULL};
	const char *wide[] = {"graphmock", "--listen", "0.0.0.0", NULL};
	const char *forced[] = {"graphmock", "--listen", "::", "--fault-header", NULL};
	const char *off[] = {"graphmock", "--no-fault-header", NULL};
	const char *token[] = {"graphmock",     "--listen", "0.0.0.0",
	                       "--admin-token", "t1",       NULL};
	const char *both[] = {"graphmock", "--fault-header", "--no-fault-header", NULL};
	struct config cfg;
	char out[64];

	(void)ctx;
	unsetenv("GRAPHMOCK_ADMIN_TOKEN");
	assert_int_equal(parse(&cfg, 1, loop, out, sizeof(out)), CONFIG_OK);
	assert_true(config_loopback(&cfg));
	assert_true(config_fault_header_on(&cfg));
	assert_null(cfg.admin_token);
	assert_int_equal(parse(&cfg, 3, wide, out, sizeof(out)), CONFIG_OK);
	assert_false(config_loopback(&cfg));
	assert_false(config_fault_header_on(&cfg));
	assert_int_equal(parse(&cfg, 4, forced, out, sizeof(out)), CONFIG_OK);
	assert_true(config_fault_header_on(&cfg));
	assert_int_equal(parse(&cfg, 2, off, out, sizeof(out)), CONFIG_OK);
	assert_false(config_fault_header_on(&cfg));
	assert_int_equal(parse(&cfg, 5, token, out, sizeof(out)), CONFIG_OK);
	assert_string_equal(cfg.admin_token, "t1");
	assert_true(config_fault_header_on(&cfg)); /* guarded by the token */
	assert_int_equal(parse(&cfg, 3, both, out, sizeof(out)), CONFIG_USAGE);
	setenv("GRAPHMOCK_ADMIN_TOKEN", "from-env", 1);
	assert_int_equal(parse(&cfg, 3, wide, out, sizeof(out)), CONFIG_OK);
	assert_string_equal(cfg.admin_token, "from-env");
	assert_int_equal(parse(&cfg, 5, token, out, sizeof(out)), CONFIG_OK);
	assert_string_equal(cfg.admin_token, "t1");
	unsetenv("GRAPHMOCK_ADMIN_TOKEN");
}

static void test_bad_values_are_usage_errors(void **ctx)
{
	const char *bad[][3] = {
	    {"graphmock", "--port", "65536"},
	    {"graphmock", "--port", "-1"},
	    {"graphmock", "--port", "80x"},
	    {"graphmock", "--threads", "0"},
	    {"graphmock", "--log-format", "xml"},
	    {"graphmock", "--public-url", "ftp://x"},
	    {"graphmock", "--bogus", "1"},
	    {"graphmock", "--seed", ""},
	    {"graphmock", "--max-body", "0"},
	    {"graphmock", "--auth", "closed"},
	};
	struct config cfg;
	char out[64];

	(void)ctx;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[] = {bad[i][0], bad[i][1], bad[i][2], NULL};
		assert_int_equal(parse(&cfg, 3, argv, out, sizeof(out)), CONFIG_USAGE);
	}
}

/* --auth: none (default), jwt, open (any client secret: the quick-start mode). */
static void test_auth_modes(void **ctx)
{
	const char *modes[] = {"none", "jwt", "open"};
	const enum auth_mode want[] = {AUTH_NONE, AUTH_JWT, AUTH_OPEN};
	struct config cfg;
	char out[64];

	(void)ctx;
	for (size_t i = 0; i < 3; i++) {
		const char *argv[] = {"graphmock", "--auth", modes[i], NULL};
		assert_int_equal(parse(&cfg, 3, argv, out, sizeof(out)), CONFIG_OK);
		assert_int_equal(cfg.auth, want[i]);
	}
}

/* --profile realistic (issue 10): the realism profile; any other name is refused. */
static void test_profile(void **ctx)
{
	const char *ok[] = {"graphmock", "--profile", "realistic", NULL};
	const char *bad[] = {"graphmock", "--profile", "sloppy", NULL};
	struct config cfg;
	char out[64];

	(void)ctx;
	assert_int_equal(parse(&cfg, 3, ok, out, sizeof(out)), CONFIG_OK);
	assert_string_equal(cfg.profile, "realistic");
	assert_int_equal(parse(&cfg, 3, bad, out, sizeof(out)), CONFIG_USAGE);
	assert_int_equal(
	    parse(&cfg, 1, (const char *[]){"graphmock", NULL}, out, sizeof(out)),
	    CONFIG_OK);
	assert_null(cfg.profile); /* the friendly default */
}

static void test_help_and_version(void **ctx)
{
	const char *help[] = {"graphmock", "--help", NULL};
	const char *version[] = {"graphmock", "--version", NULL};
	struct config cfg;
	char out[16384];

	(void)ctx;
	assert_int_equal(parse(&cfg, 2, help, out, sizeof(out)), CONFIG_EXIT_OK);
	assert_non_null(strstr(out, "--public-url"));
	assert_non_null(strstr(out, "--state-file"));
	assert_int_equal(parse(&cfg, 2, version, out, sizeof(out)), CONFIG_EXIT_OK);
	assert_string_equal(out, "graphmock " GRAPHMOCK_VERSION "\n");
}

/* parse() with stderr kept in @err. */
static enum config_result parse_err(struct config *cfg, int argc, const char **argv,
                                    char *err, size_t errlen)
{
	FILE *o = fopen("/dev/null", "w");
	FILE *e = fmemopen(err, errlen, "w");
	enum config_result r = config_parse(cfg, argc, (char **)argv, o, e);

	fclose(o);
	fclose(e);
	return r;
}

static void test_environment(void **ctx)
{
	const char *none[] = {"graphmock", NULL};
	const char *flags[] = {"graphmock", "--port", "9001", "--auth", "none", NULL};
	struct config cfg;
	char err[16384];

	(void)ctx;
	setenv("GRAPHMOCK_PORT", "9000", 1);
	setenv("GRAPHMOCK_FIXTURES", "/etc/graphmock/fixtures.json", 1);
	setenv("GRAPHMOCK_SEED", "7", 1);
	setenv("GRAPHMOCK_AUTH", "jwt", 1);
	setenv("GRAPHMOCK_TLS_CERT", "/etc/graphmock/tls/server.pem", 1);
	setenv("GRAPHMOCK_TLS_KEY", "/etc/graphmock/tls/server.key", 1);
	setenv("GRAPHMOCK_NO_FAULT_HEADER", "true", 1);
	setenv("GRAPHMOCK_QUIET", "0", 1); /* off: not set */
	setenv("GRAPHMOCK_FAULTS", "", 1); /* empty: unset */
	setenv("GRAPHMOCK_PUBLIC_URL", "https://graph.microsoft.com/", 1);
	assert_int_equal(parse_err(&cfg, 1, none, err, sizeof(err)), CONFIG_OK);
	assert_int_equal(cfg.port, 9000);
	assert_string_equal(cfg.fixtures, "/etc/graphmock/fixtures.json");
	assert_true(cfg.seeded);
	assert_int_equal(cfg.seed, 7);
	assert_int_equal(cfg.auth, AUTH_JWT);
	assert_string_equal(cfg.tls_key, "/etc/graphmock/tls/server.key");
	assert_true(cfg.no_fault_header);
	assert_false(cfg.quiet);
	assert_null(cfg.faults_file);
	assert_string_equal(cfg.public_url, "https://graph.microsoft.com");

	/* flags win over the environment */
	assert_int_equal(parse_err(&cfg, 5, flags, err, sizeof(err)), CONFIG_OK);
	assert_int_equal(cfg.port, 9001);
	assert_int_equal(cfg.auth, AUTH_NONE);
	assert_int_equal(cfg.seed, 7);

	/* a bad value names its variable; a switch takes only yes/no words */
	setenv("GRAPHMOCK_PORT", "80x", 1);
	assert_int_equal(parse_err(&cfg, 1, none, err, sizeof(err)), CONFIG_USAGE);
	assert_memory_equal(err, "graphmock: GRAPHMOCK_PORT: invalid --port '80x'", 47);
	unsetenv("GRAPHMOCK_PORT");
	setenv("GRAPHMOCK_QUIET", "maybe", 1);
	assert_int_equal(parse_err(&cfg, 1, none, err, sizeof(err)), CONFIG_USAGE);
	assert_non_null(strstr(err, "GRAPHMOCK_QUIET"));
	setenv("GRAPHMOCK_QUIET", "YES", 1);
	assert_int_equal(parse_err(&cfg, 1, none, err, sizeof(err)), CONFIG_OK);
	assert_true(cfg.quiet);
	/* the half of a pair from the environment still needs its other half */
	unsetenv("GRAPHMOCK_TLS_KEY");
	assert_int_equal(parse_err(&cfg, 1, none, err, sizeof(err)), CONFIG_USAGE);

	const char *vars[] = {"GRAPHMOCK_FIXTURES",   "GRAPHMOCK_SEED",
	                      "GRAPHMOCK_AUTH",       "GRAPHMOCK_TLS_CERT",
	                      "GRAPHMOCK_QUIET",      "GRAPHMOCK_FAULTS",
	                      "GRAPHMOCK_PUBLIC_URL", "GRAPHMOCK_NO_FAULT_HEADER"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

/* --help lists the variable of every option but --help and --version. */
static void test_help_lists_every_variable(void **ctx)
{
	const char *help[] = {"graphmock", "--help", NULL};
	const char *names[] = {"GRAPHMOCK_LISTEN",
	                       "GRAPHMOCK_PORT",
	                       "GRAPHMOCK_THREADS",
	                       "GRAPHMOCK_FIXTURES",
	                       "GRAPHMOCK_SEED",
	                       "GRAPHMOCK_PUBLIC_URL",
	                       "GRAPHMOCK_LOG_FORMAT",
	                       "GRAPHMOCK_QUIET",
	                       "GRAPHMOCK_MAX_BODY",
	                       "GRAPHMOCK_FAULTS",
	                       "GRAPHMOCK_NO_FAULT_HEADER",
	                       "GRAPHMOCK_JOURNAL_SIZE",
	                       "GRAPHMOCK_STATE_FILE",
	                       "GRAPHMOCK_TLS_CERT",
	                       "GRAPHMOCK_TLS_KEY",
	                       "GRAPHMOCK_AUTH"};
	struct config cfg;
	char out[16384];

	(void)ctx;
	assert_int_equal(parse(&cfg, 2, help, out, sizeof(out)), CONFIG_EXIT_OK);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_non_null(strstr(out, names[i]));
	assert_null(strstr(out, "GRAPHMOCK_HELP"));
	assert_null(strstr(out, "GRAPHMOCK_VERSION"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_threads_follow_affinity),
	    cmocka_unit_test(test_every_flag),
	    cmocka_unit_test(test_fault_header_and_admin_token),
	    cmocka_unit_test(test_bad_values_are_usage_errors),
	    cmocka_unit_test(test_auth_modes),
	    cmocka_unit_test(test_help_and_version),
	    cmocka_unit_test(test_environment),
	    cmocka_unit_test(test_help_lists_every_variable),
	    cmocka_unit_test(test_profile),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
