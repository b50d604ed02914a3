/*
 * conformance/exec.h - run one loaded case against a server: expand each
 * step's request with the case variables, send it, check the response
 * against expect.json, and turn captures into variables for later steps.
 */
#ifndef GRAPHMOCK_CONFORMANCE_EXEC_H
#define GRAPHMOCK_CONFORMANCE_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct case_dir;
struct http_client;
struct vars;

#define EXEC_REASON_MAX 2048

struct exec_ctx {
	struct http_client *http; /* borrowed; one per thread */
	const char *base;         /* "http://127.0.0.1:PORT", no trailing '/' */
	const char *tenant;       /* value for X-Graphmock-Tenant, or NULL */
	const char *token;        /* bearer token for Authorization, or NULL */
	bool verbose;             /* on failure, write request and response to log */
	FILE *log;                /* where verbose output goes */
};

/*
 * exec_case() - run the steps of @c in order, stopping at the first failing
 * one. @vars must already hold the built-ins (base, uniq, and tenant/domain
 * when known); captured values are added to it.
 * Returns 0 when every step passed, else -1 with a one-line reason such as
 * "step 2 (GET /v1.0/users/{{uid}}): status: expected 200, got 404 ..." in
 * @reason.
 */
int exec_case(const struct exec_ctx *ctx, const struct case_dir *c, struct vars *vars,
              char *reason, size_t len);

#endif
