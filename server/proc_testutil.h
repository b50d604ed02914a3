/*
 * server/proc_testutil.h - for tests of the graphmock process itself (flags,
 * environment, start-up, state files, signals): start $GRAPHMOCK_BIN
 * (default build/asan/graphmock) with arguments, read its ready line, talk
 * to it over HTTP, stop it with SIGTERM and read what it wrote on stderr.
 * Linked into test binaries only (*_testutil.c).
 */
#ifndef GRAPHMOCK_SERVER_PROC_TESTUTIL_H
#define GRAPHMOCK_SERVER_PROC_TESTUTIL_H

#include <stdbool.h>
#include <sys/types.h>

#include "http_testutil.h"

struct test_proc {
	pid_t pid;
	unsigned port;    /* from the ready line; 0 when it never came */
	char errfile[64]; /* its stderr */
	char log[16384];  /* stderr as read by test_proc_stop() */
	int status;       /* waitpid() status after test_proc_stop() */
};

/*
 * test_proc_start() - run the binary with "--port 0" and the NULL-terminated
 * @args (and @env, "NAME=value" entries added to the environment, or NULL),
 * and wait for its ready line. Skips the test (cmocka) when the binary is
 * not built. Returns 0, or -1 when it exited before being ready (then
 * @p->log and @p->status say why).
 */
int test_proc_start(struct test_proc *p, const char *const *args, const char *const *env);

/* test_proc_stop() - SIGTERM, wait, read stderr into @p->log. Returns the exit code. */
int test_proc_stop(struct test_proc *p);

/* test_proc_call() - @method @path (with @body as JSON when non-NULL) to @p. New. */
struct test_reply *test_proc_call(const struct test_proc *p, const char *method,
                                  const char *path, const char *body,
                                  const char *const *headers);

#endif
