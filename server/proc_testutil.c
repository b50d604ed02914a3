/*
 * server/proc_testutil.c - a graphmock process under test (proc_testutil.h).
 */
#include "proc_testutil.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

static void read_log(struct test_proc *p)
{
	FILE *f = fopen(p->errfile, "r");
	size_t n = 0;

	p->log[0] = '\0';
	if (f) {
		n = fread(p->log, 1, sizeof(p->log) - 1, f);
		p->log[n] = '\0';
		fclose(f);
	}
	unlink(p->errfile);
}

int test_proc_start(struct test_proc *p, const char *const *args, const char *const *env)
{
	const char *bin = getenv("GRAPHMOCK_BIN");
	const char *argv[32];
	char line[512];
	size_t n = 0;
	int out[2], errfd;
	FILE *f;

	memset(p, 0, sizeof(*p));
	if (!bin)
		bin = "build/asan/graphmock";
	if (access(bin, X_OK)) {
		fprintf(stderr, "skipping: %s not built (make asan)\n", bin);
		skip();
	}
	snprintf(p->errfile, sizeof(p->errfile), "/tmp/graphmock-proc-XXXXXX");
	errfd = mkstemp(p->errfile);
	assert_true(errfd >= 0);
	argv[n++] = bin;
	argv[n++] = "--port";
	argv[n++] = "0";
	for (size_t i = 0; args && args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	assert_int_equal(pipe(out), 0);
	p->pid = fork();
	assert_true(p->pid >= 0);
	if (!p->pid) {
		dup2(out[1], 1);
		dup2(errfd, 2);
		close(out[0]);
		for (size_t i = 0; env && env[i]; i++) {
			char name[128];
			const char *eq = strchr(env[i], '=');
			snprintf(name, sizeof(name), "%.*s", (int)(eq - env[i]), env[i]);
			setenv(name, eq + 1, 1);
		}
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(errfd);
	f = fdopen(out[0], "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		const char *at = strstr(line, "graphmock listening on ");
		const char *colon = at ? strrchr(line, ':') : NULL;
		if (colon && sscanf(colon + 1, "%u", &p->port) == 1)
			break;
	}
	fclose(f);
	if (p->port)
		return 0;
	waitpid(p->pid, &p->status, 0);
	p->pid = 0;
	read_log(p);
	return -1;
}

int test_proc_stop(struct test_proc *p)
{
	if (p->pid) {
		kill(p->pid, SIGTERM);
		assert_int_equal(waitpid(p->pid, &p->status, 0), p->pid);
		p->pid = 0;
		read_log(p);
	}
	return WIFEXITED(p->status) ? WEXITSTATUS(p->status) : 128 + WTERMSIG(p->status);
}

struct test_reply *test_proc_call(const struct test_proc *p, const char *method,
                                  const char *path, const char *body,
                                  const char *const *headers)
{
	struct test_request rq = {method, path, body,    body ? "application/json" : NULL,
	                          NULL,   NULL, headers, false,
	                          0};
	struct test_reply *r = malloc(sizeof(*r));

	assert_non_null(r);
	test_http_port(p->port, false, &rq, r);
	return r;
}
