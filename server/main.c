/*
 * server/main.c - the graphmock process: flags, fixtures, the daemon, the
 * admin queue (run by the main thread), and a clean stop on SIGINT/SIGTERM
 * (blocked in every thread, taken by sigwait on a thread of its own).
 */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../routes/registry.h"
#include "../state/load/fixture.h"
#include "../state/load/fixture_read.h"
#include "certs.h"
#include "healthcheck.h"
#include "hugepages.h"
#include "faults/fault_profile.h"
#include "http/deferred.h"
#include "http/http.h"
#include "odata/odata.h"
#include "srv.h"
#include "../state/load/tenants.h"
#include "../state/util/prefault.h"

/*
 * A big file's parse and build fault in about four times its size of fresh
 * heap (a million-user fixture: 380 MB of text, 1.5 GB of heap): a helper
 * thread faults it in meanwhile (state/util/prefault.h). NULL: not big.
 */
static struct prefault *prefault_for(const char *path)
{
	struct stat sb;

	if (!path || stat(path, &sb) || sb.st_size <= 0)
		return NULL;
	return prefault_begin((size_t)sb.st_size * 4);
}

static int load_fixtures(struct srv *srv)
{
	char err[512] = "the built-in fixture does not parse";
	json_t *doc;
	const char *name = srv->cfg.fixtures ? srv->cfg.fixtures : "built-in fixture";
	struct prefault *pf = prefault_for(srv->cfg.fixtures);
	int rc = -1;

	if (srv->cfg.fixtures)
		doc = srv_read_fixture_file(srv->cfg.fixtures, err, sizeof(err));
	else
		doc = fixture_read(default_fixture_json, strlen(default_fixture_json),
		                   &(json_error_t){0});
	if (!doc)
		fprintf(stderr, "fixture '%s': %s\n", name, err);
	else if (state_load(&srv->state, doc, err, sizeof(err)))
		fprintf(stderr, "fixture '%s': %s\n", name, err);
	else
		rc = 0;
	json_decref(doc);
	prefault_end(pf);
	return rc;
}

/* --state-file: loaded instead of the fixtures when it exists. */
static int load_state_file(struct srv *srv)
{
	char err[512];

	if (!srv->cfg.state_file)
		return 0;
	/* A save killed halfway leaves its temp file; only ours match. */
	srv_state_clean_temps(srv->cfg.state_file, srv->cfg.quiet);
	if (access(srv->cfg.state_file, F_OK))
		return 0;
	struct prefault *pf = prefault_for(srv->cfg.state_file);
	int rc = srv_state_load_file(srv, srv->cfg.state_file, err, sizeof(err));

	prefault_end(pf);
	if (rc) {
		fprintf(stderr, "state file '%s': %s\n", srv->cfg.state_file, err);
		return -1;
	}
	return 0;
}

static int save_state_file(struct srv *srv)
{
	char err[512];

	if (!srv->cfg.state_file)
		return 0;
	if (srv_state_save(srv, srv->cfg.state_file, err, sizeof(err))) {
		fprintf(stderr, "state file '%s': %s\n", srv->cfg.state_file, err);
		return 1;
	}
	if (!srv->cfg.quiet)
		fprintf(stderr, "state saved to '%s'\n", srv->cfg.state_file);
	return 0;
}

/* Beyond loopback without --admin-token, anyone who reaches the port rules it. */
static void warn_exposure(const struct config *cfg)
{
	if (config_loopback(cfg) || cfg->admin_token)
		return;
	fprintf(stderr,
	        "graphmock: warning: listening on '%s' without --admin-token: anyone "
	        "who reaches this port can read, replace and reset all state "
	        "(/_mock/*)%s; see README \"Security model\"\n",
	        cfg->listen,
	        config_fault_header_on(cfg) ? " and inject faults (X-Graphmock-Fault)"
	                                    : "");
}

static uint64_t pick_seed(const struct config *cfg)
{
	uint64_t seed;

	if (cfg->seeded)
		return cfg->seed;
	random_bytes(&seed, sizeof(seed));
	return seed;
}

/*
 * graphmock --healthcheck [URL] [options]: the URL, else the health URL of
 * the server the options and the environment describe. Exit 0/1, 2 on usage.
 */
static int healthcheck_main(int argc, char **argv)
{
	char url[512], why[160];
	const char *given = NULL;
	struct config cfg;

	if (argc > 2 && argv[2][0] != '-')
		given = argv[2];
	argv[given ? 2 : 1] = argv[0]; /* the options that follow, as their own argv */
	switch (config_parse(&cfg, argc - (given ? 2 : 1), argv + (given ? 2 : 1), stdout,
	                     stderr)) {
	case CONFIG_OK:
		break;
	case CONFIG_EXIT_OK:
		return 0;
	case CONFIG_USAGE:
		return 2;
	}
	if (!given && healthcheck_default_url(&cfg, url, sizeof(url), why, sizeof(why))) {
		fprintf(stderr, "healthcheck: %s\n", why);
		return 2;
	}
	return healthcheck_run(given ? given : url, stdout);
}

/* graphmock certs DIR [NAME...] (server/certs.h). Exit 0, 1, or 2 on usage. */
static int certs_main(int argc, char **argv)
{
	if (argc < 3 || argv[2][0] == '-') {
		fprintf(stderr, "usage: graphmock certs DIR [NAME...]\n");
		return 2;
	}
	return certs_issue(argv[2], (const char *const *)argv + 3, argc - 3, stdout,
	                   stderr)
	           ? 1
	           : 0;
}

/* --profile NAME: its fault rules, windows drawn from the state's seed. */
static int load_profile(struct srv *srv)
{
	char err[256];
	json_t *rules =
	    fault_profile_rules(srv->cfg.profile, srv->state.seed, err, sizeof(err));

	if (!rules || fault_engine_add(&srv->faults, rules, err, sizeof(err))) {
		fprintf(stderr, "profile '%s': %s\n", srv->cfg.profile, err);
		json_decref(rules);
		return -1;
	}
	json_decref(rules);
	return 0;
}

/*
 * Huge pages pay for a big start-up: a fixture or state file of HUGEPAGES_FROM
 * bytes builds a heap of ~4 times that, and each 4 KiB page of it costs a
 * fault (~15 us on our virtual machines; bench/results.md). Below that the
 * faults saved are a few milliseconds, while a heap backed by 2 MiB pages
 * holds at least 2 MiB, most of an idle server's own memory. So the server
 * re-executes with huge pages only for such a start-up, or when asked
 * (GRAPHMOCK_HUGEPAGES=1); =0 and the rest of server/hugepages.h still say no.
 */
#define HUGEPAGES_FROM (4u << 20)

static off_t file_size(const char *path)
{
	struct stat sb;

	return path && !stat(path, &sb) ? sb.st_size : 0;
}

static bool hugepages_wanted(const struct config *cfg)
{
	const char *opt = getenv("GRAPHMOCK_HUGEPAGES");

	if (opt && !strcmp(opt, "1"))
		return true;
	return file_size(cfg->fixtures) + file_size(cfg->state_file) >= HUGEPAGES_FROM;
}

/*
 * GRAPHMOCK_KEEP_PARSED_BELOW=N: tenants of fewer than N users (4,096 by
 * default) keep the users they parse; bigger ones parse users kept as text
 * for each answer only. graphmock's own tests set 0 to run whole suites on
 * the built-in fixture as a tenant of a million users would. 0, or -1 (said).
 */
static int keep_parsed_below(struct state *st)
{
	const char *v = getenv("GRAPHMOCK_KEEP_PARSED_BELOW");
	char *end;
	unsigned long n;

	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || v[0] == '-') {
		fprintf(stderr,
		        "graphmock: GRAPHMOCK_KEEP_PARSED_BELOW: invalid value '%s' "
		        "(a number of users)\n",
		        v);
		return -1;
	}
	st->read_keep_below = n;
	return 0;
}

/*
 * GRAPHMOCK_REWIND_CHECK=1: every reset that rewinds a tenant (state/rewind.h)
 * compares the tenant with an export taken when it was built, and aborts
 * with both on stderr when they differ: graphmock's own tests run so.
 */
static void rewind_check(struct state *st)
{
	const char *v = getenv("GRAPHMOCK_REWIND_CHECK");

	st->rewind_check = v && !strcmp(v, "1");
}

/* GRAPHMOCK_RENDER_CHECK=1: every text the render cache would give is
 * written afresh and compared (odata_render_check): the tests run so. */
static void render_check(void)
{
	const char *v = getenv("GRAPHMOCK_RENDER_CHECK");

	odata_render_check = v && !strcmp(v, "1");
}

struct stop_waiter {
	struct srv *srv;
	const sigset_t *signals;
	int sig;
};

/* SIGINT or SIGTERM (blocked in every thread): the admin queue the main
 * thread runs ends, and main() goes on to stop the server. */
static void *wait_for_stop(void *arg)
{
	struct stop_waiter *w = arg;

	while (sigwait(w->signals, &w->sig) == EINTR)
		;
	deferred_quit(&w->srv->admin_thread);
	return NULL;
}

int main(int argc, char **argv)
{
	struct srv srv;
	sigset_t stop_signals;
	int rc = 1;

	if (argc > 1 && !strcmp(argv[1], "--healthcheck"))
		return healthcheck_main(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "certs"))
		return certs_main(argc, argv);
	memset(&srv, 0, sizeof(srv));
	srv.listen_fd = -1;
	switch (config_parse(&srv.cfg, argc, argv, stdout, stderr)) {
	case CONFIG_OK:
		break;
	case CONFIG_EXIT_OK:
		return 0;
	case CONFIG_USAGE:
		return 2;
	}
	/* (parsing printed nothing, so the re-executed process repeats nothing) */
	if (hugepages_wanted(&srv.cfg))
		hugepages_reexec(argv); /* returns when it does not re-execute */
	/* Workers inherit the mask, so only sigwait() below sees these. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);
	json_object_seed(0);

	if (state_init(&srv.state, pick_seed(&srv.cfg)))
		return 1;
	if (keep_parsed_below(&srv.state)) {
		rc = 2;
		goto out_state;
	}
	rewind_check(&srv.state);
	render_check();
	if (srv_features_init(&srv, &registry_routes))
		goto out_state;
	if (load_fixtures(&srv) || load_state_file(&srv))
		goto out_features;
	if (srv.cfg.faults_file && srv_load_faults_file(&srv, srv.cfg.faults_file))
		goto out_features;
	if (srv.cfg.profile && load_profile(&srv))
		goto out_features;
	srv.admin_on_caller = true;
	if (srv_start(&srv))
		goto out_features;
	printf("graphmock listening on %s://%s:%u\n", srv_scheme(&srv), srv.addr,
	       srv.port);
	fflush(stdout);
	warn_exposure(&srv.cfg);

	/* The main thread runs the admin queue (deferred.h says why); a thread
	 * of its own waits for the signal to stop. */
	struct stop_waiter waiter = {&srv, &stop_signals, 0};
	pthread_t waiting;
	if (pthread_create(&waiting, NULL, wait_for_stop, &waiter)) {
		fprintf(stderr, "graphmock: starting the signal thread failed\n");
		deferred_quit(&srv.admin_thread);
	} else {
		deferred_run(&srv.admin_thread);
		pthread_join(waiting, NULL);
	}
	srv_stop(&srv);
	rc = save_state_file(&srv);
out_features:
	srv_features_release(&srv);
out_state:
	state_release(&srv.state);
	return rc;
}
