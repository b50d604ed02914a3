/*
 * conformance/runner.c - the conformance runner: command line, the graphmock
 * process it starts and stops, one fresh tenant per case, worker threads,
 * and the report that ends with "N passed, N failed".
 */
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "case.h"
#include "exec.h"
#include "http.h"
#include "server.h"
#include "vars.h"

#define MAX_JOBS        64
#define MAX_SERVER_ARGS 32
#define ID_MAX          256

struct opts {
	const char *server;
	const char *target;
	const char *token;
	const char *tenant_id;
	const char *domain;
	const char *filter;
	const char *cases;
	const char *cacert;
	const char *server_args[MAX_SERVER_ARGS];
	size_t nserver_args;
	bool verbose;
	long jobs;
};

enum outcome { OUT_PENDING, OUT_OK, OUT_FAIL, OUT_SKIP };

struct result {
	enum outcome outcome;
	char *reason; /* owned, for FAIL and skip */
	char *log;    /* owned verbose detail, or NULL */
};

/* Shared by the worker threads; everything below `lock` is guarded by it. */
struct run {
	const struct opts *o;
	const char *base;
	char **names;
	size_t n;
	struct result *res;
	pthread_mutex_t lock;
	pthread_cond_t done;
	/* Held shared by every running case, exclusively by a "serial" one. */
	pthread_rwlock_t *exclusive;
	size_t next;
	bool stop;
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: conformance-runner [options] [CASES_DIR]\n"
	        "  --server PATH       graphmock binary to start (default "
	        "build/asan/graphmock)\n"
	        "  --server-arg ARG    extra argument for the server (repeatable)\n"
	        "  --target URL        run against URL instead; no server, no tenants,\n"
	        "                      mock-only cases are skipped with their reason\n"
	        "  --token T           send 'Authorization: Bearer T' on every request\n"
	        "  --tenant-id ID      {{tenant}} with --target\n"
	        "  --domain D          {{domain}} with --target\n"
	        "  --cacert FILE       CA bundle for an https target\n"
	        "  --filter SUBSTR     run only cases whose name contains SUBSTR\n"
	        "  --jobs N            run N cases at a time (default 1)\n"
	        "  --verbose           print request and response of failing steps\n"
	        "CASES_DIR defaults to conformance/cases.\n");
}

/* "--name value" or "--name=value"; advances *i past what it used. */
static bool opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t len = strlen(name);

	if (strncmp(argv[*i], name, len) != 0)
		return false;
	if (argv[*i][len] == '=') {
		*val = argv[*i] + len + 1;
		return true;
	}
	if (argv[*i][len] != '\0' || *i + 1 >= argc)
		return false;
	*val = argv[++*i];
	return true;
}

static int parse_jobs(const char *s, long *jobs)
{
	char *end;

	*jobs = strtol(s, &end, 10);
	if (*end || end == s || *jobs < 1 || *jobs > MAX_JOBS) {
		fprintf(stderr, "conformance: --jobs takes 1..%d, not '%s'\n", MAX_JOBS,
		        s);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	const char *v;
	int i;

	memset(o, 0, sizeof(*o));
	o->server = "build/asan/graphmock";
	o->cases = "conformance/cases";
	o->jobs = 1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
			o->verbose = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			exit(0);
		} else if (opt_value(argc, argv, &i, "--server-arg", &v)) {
			if (o->nserver_args == MAX_SERVER_ARGS)
				return -1;
			o->server_args[o->nserver_args++] = v;
		} else if (opt_value(argc, argv, &i, "--server", &o->server) ||
		           opt_value(argc, argv, &i, "--target", &o->target) ||
		           opt_value(argc, argv, &i, "--token", &o->token) ||
		           opt_value(argc, argv, &i, "--tenant-id", &o->tenant_id) ||
		           opt_value(argc, argv, &i, "--domain", &o->domain) ||
		           opt_value(argc, argv, &i, "--cacert", &o->cacert) ||
		           opt_value(argc, argv, &i, "--filter", &o->filter)) {
			continue;
		} else if (opt_value(argc, argv, &i, "--jobs", &v)) {
			if (parse_jobs(v, &o->jobs))
				return -1;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "conformance: unknown option '%s'\n", argv[i]);
			return -1;
		} else {
			o->cases = argv[i];
		}
	}
	return 0;
}

static char *xstrdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *xstrdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* {{uniq}}: 8 random hex characters, so cases can make unique names. */
static void make_uniq(char out[9], size_t salt)
{
	unsigned char b[4] = {0};
	FILE *f = fopen("/dev/urandom", "rb");
	unsigned long v;

	if (!f || fread(b, 1, sizeof(b), f) != sizeof(b)) {
		v = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16) ^
		    salt * 2654435761u;
		memcpy(b, &v, sizeof(b));
	}
	if (f)
		fclose(f);
	snprintf(out, 9, "%02x%02x%02x%02x", b[0], b[1], b[2], b[3]);
}

static int set_builtins(const struct run *r, size_t i, struct vars *vars)
{
	char uniq[9];

	make_uniq(uniq, i);
	if (vars_set(vars, "base", r->base) || vars_set(vars, "uniq", uniq))
		return -1;
	if (r->o->target && r->o->tenant_id && vars_set(vars, "tenant", r->o->tenant_id))
		return -1;
	if (r->o->target && r->o->domain && vars_set(vars, "domain", r->o->domain))
		return -1;
	return 0;
}

/* Run case @i with a fresh tenant (without --target); fill @res. */
static void run_case(const struct run *r, struct http_client *http, FILE *log, size_t i,
                     struct result *res)
{
	char reason[EXEC_REASON_MAX], msg[EXEC_REASON_MAX / 2];
	char tenant[ID_MAX], domain[ID_MAX];
	struct exec_ctx ctx = {http, r->base, NULL, r->o->token, r->o->verbose, log};
	struct case_dir c;
	struct vars vars;
	bool locked = false;
	int rc;

	vars_init(&vars);
	res->outcome = OUT_FAIL;
	if (case_load(&c, r->o->cases, r->names[i], msg, sizeof(msg))) {
		res->reason = xstrdup_printf("bad case: %s", msg);
		goto out;
	}
	if (c.mock_only_reason && r->o->target) {
		res->outcome = OUT_SKIP;
		res->reason = xstrdup_printf("mock-only: %s", c.mock_only_reason);
		goto out;
	}
	if (c.serial)
		pthread_rwlock_wrlock(r->exclusive);
	else
		pthread_rwlock_rdlock(r->exclusive);
	locked = true;
	if (!http->curl || set_builtins(r, i, &vars)) {
		res->reason = xstrdup_printf("out of memory");
		goto out;
	}
	if (!r->o->target) {
		if (server_tenant_create(http, r->base, tenant, domain, sizeof(tenant),
		                         msg, sizeof(msg))) {
			res->reason = xstrdup_printf("tenant setup: %s", msg);
			goto out;
		}
		ctx.tenant = tenant;
		if (vars_set(&vars, "tenant", tenant) ||
		    vars_set(&vars, "domain", domain)) {
			res->reason = xstrdup_printf("out of memory");
			goto out;
		}
	}
	rc = exec_case(&ctx, &c, &vars, reason, sizeof(reason));
	if (!r->o->target &&
	    server_tenant_delete(http, r->base, tenant, msg, sizeof(msg))) {
		if (rc == 0)
			snprintf(reason, sizeof(reason), "tenant cleanup: %s", msg);
		rc = -1;
	}
	if (rc == 0)
		res->outcome = OUT_OK;
	else
		res->reason = xstrdup_printf("%s", reason);
out:
	if (locked)
		pthread_rwlock_unlock(r->exclusive);
	case_release(&c);
	vars_release(&vars);
}

static void *worker(void *arg)
{
	struct run *r = arg;
	struct http_client http;
	struct result res;
	char *logbuf;
	size_t loglen, i;
	FILE *log;

	if (http_client_init(&http))
		http.curl = NULL;
	http.cacert = r->o->cacert;
	for (;;) {
		pthread_mutex_lock(&r->lock);
		if (r->stop || r->next >= r->n) {
			pthread_mutex_unlock(&r->lock);
			break;
		}
		i = r->next++;
		pthread_mutex_unlock(&r->lock);

		memset(&res, 0, sizeof(res));
		logbuf = NULL;
		log = r->o->verbose ? open_memstream(&logbuf, &loglen) : NULL;
		run_case(r, &http, log ? log : stderr, i, &res);
		if (log) {
			fclose(log);
			res.log = logbuf;
		}
		pthread_mutex_lock(&r->lock);
		r->res[i] = res;
		pthread_cond_broadcast(&r->done);
		pthread_mutex_unlock(&r->lock);
	}
	if (http.curl)
		http_client_release(&http);
	return NULL;
}

struct tally {
	unsigned passed;
	unsigned failed;
	unsigned skipped;
};

static void report(const char *name, const struct result *res, struct tally *t)
{
	switch (res->outcome) {
	case OUT_OK:
		printf("ok   %s\n", name);
		t->passed++;
		break;
	case OUT_SKIP:
		printf("skip %s (%s)\n", name, res->reason ? res->reason : "");
		t->skipped++;
		break;
	case OUT_FAIL:
	case OUT_PENDING:
		printf("FAIL %s: %s\n", name,
		       res->reason ? res->reason : "out of memory");
		t->failed++;
		break;
	}
	if (res->log && res->log[0])
		fputs(res->log, stdout);
	fflush(stdout);
}

/*
 * Print results in case order as workers finish them and watch the server.
 * Returns true when the server died (already reported and counted).
 */
static bool collect(struct run *r, struct server *srv, struct tally *t)
{
	char msg[256];
	size_t i;

	for (i = 0; i < r->n; i++) {
		pthread_mutex_lock(&r->lock);
		while (r->res[i].outcome == OUT_PENDING)
			pthread_cond_wait(&r->done, &r->lock);
		pthread_mutex_unlock(&r->lock);
		report(r->names[i], &r->res[i], t);
		if (srv && server_exited(srv, msg, sizeof(msg))) {
			printf(
			    "FAIL server-exit: server %s during %s; %zu cases not run\n",
			    msg, r->names[i], r->n - i - 1);
			t->failed++;
			pthread_mutex_lock(&r->lock);
			r->stop = true;
			pthread_mutex_unlock(&r->lock);
			return true;
		}
	}
	return false;
}

/* Returns true when the server died during the run. */
static bool run_all(struct run *r, struct server *srv, struct tally *t)
{
	pthread_t threads[MAX_JOBS];
	long j, started = 0;
	size_t i;
	bool died;

	for (j = 0; j < r->o->jobs && (size_t)j < r->n; j++) {
		if (pthread_create(&threads[j], NULL, worker, r) != 0)
			break;
		started++;
	}
	if (started == 0 && r->n > 0)
		worker(r); /* no threads to be had: run everything here */
	died = collect(r, srv, t);
	for (j = 0; j < started; j++)
		pthread_join(threads[j], NULL);
	for (i = 0; i < r->n; i++) {
		free(r->res[i].reason);
		free(r->res[i].log);
	}
	return died;
}

/* Keep only the cases whose name contains --filter. */
static void apply_filter(char **names, size_t *n, const char *filter)
{
	size_t i, kept = 0;

	for (i = 0; i < *n; i++) {
		if (!filter || strstr(names[i], filter))
			names[kept++] = names[i];
		else
			free(names[i]);
	}
	*n = kept;
}

static void print_summary(const struct tally *t)
{
	if (t->skipped)
		printf("%u passed, %u failed, %u skipped\n", t->passed, t->failed,
		       t->skipped);
	else
		printf("%u passed, %u failed\n", t->passed, t->failed);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct server srv, *srvp = NULL;
	struct tally t = {0, 0, 0};
	struct opts o;
	struct run r;
	pthread_rwlock_t exclusive;
	char msg[512], base[SERVER_BASE_MAX];
	bool died;
	int ret = 1;

	if (parse_args(argc, argv, &o)) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (http_global_init()) {
		fprintf(stderr, "conformance: libcurl initialisation failed\n");
		return 1;
	}
	memset(&r, 0, sizeof(r));
	r.o = &o;
	if (case_list(r.o->cases, &r.names, &r.n, msg, sizeof(msg))) {
		printf("FAIL cases: %s\n", msg);
		t.failed++;
		goto out;
	}
	apply_filter(r.names, &r.n, r.o->filter);
	r.res = calloc(r.n ? r.n : 1, sizeof(*r.res));
	if (!r.res)
		goto out;
	if (r.o->target) {
		snprintf(base, sizeof(base), "%s", r.o->target);
		server_trim_base(base);
	} else {
		if (server_start(&srv, r.o->server, r.o->server_args, r.o->nserver_args,
		                 msg, sizeof(msg))) {
			printf("FAIL server-start: %s\n", msg);
			t.failed++;
			goto out;
		}
		srvp = &srv;
		snprintf(base, sizeof(base), "%s", srv.base);
	}
	r.base = base;
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.done, NULL);
	pthread_rwlock_init(&exclusive, NULL);
	r.exclusive = &exclusive;
	died = run_all(&r, srvp, &t);
	pthread_rwlock_destroy(&exclusive);
	pthread_cond_destroy(&r.done);
	pthread_mutex_destroy(&r.lock);
	if (srvp && server_stop(srvp, msg, sizeof(msg)) && !died) {
		printf("FAIL server-exit: %s\n", msg);
		t.failed++;
	}
	ret = t.failed == 0 && t.passed > 0 ? 0 : 1;
out:
	case_list_free(r.names, r.n);
	free(r.res);
	http_global_cleanup();
	print_summary(&t);
	return ret;
}
