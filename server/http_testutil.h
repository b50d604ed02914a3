/*
 * server/http_testutil.h - what the in-process HTTP tests share: a real
 * graphmock daemon on a free loopback port (fixture loaded, fault engine,
 * journal), and one libcurl call with the reply's status, body and the
 * headers tests look at. Linked into test binaries only (*_testutil.c).
 */
#ifndef GRAPHMOCK_SERVER_HTTP_TESTUTIL_H
#define GRAPHMOCK_SERVER_HTTP_TESTUTIL_H

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct srv;

#define TEST_CERTS "build/certs" /* made by conformance/certs.sh */

struct test_server_opts {
	uint64_t seed;
	unsigned threads; /* 0 means 2 */
	bool tls;         /* serve TEST_CERTS/server.pem */
	enum auth_mode auth;
};

/* test_server_start() - a running daemon; asserts (cmocka) on any failure. New. */
struct srv *test_server_start(const struct test_server_opts *opts);

/* test_server_stop() - stop and free a daemon from test_server_start(). */
void test_server_stop(struct srv *srv);

struct test_request {
	const char *method;
	const char *path;  /* "/v1.0/users" */
	const char *body;  /* NULL for none */
	const char *ctype; /* Content-Type, NULL for none */
	const char *token; /* Authorization: Bearer, NULL for none */
	const char *fault; /* X-Graphmock-Fault, NULL for none */
};

struct test_reply {
	CURLcode rc;
	long status;
	char body[16384];
	size_t len;
	char retry_after[64];
	char www_auth[512];
	json_t *json; /* the body parsed, or NULL (owned) */
};

/*
 * test_http() - send @rq to @srv (https when it serves TLS, trusting
 * TEST_CERTS/ca.pem) and fill @r. Release with test_reply_release().
 */
void test_http(struct srv *srv, const struct test_request *rq, struct test_reply *r);
void test_reply_release(struct test_reply *r);

/*
 * test_call() - test_http() into a new reply; free with test_reply_free().
 * Asserts (cmocka) that the transfer itself succeeded.
 */
struct test_reply *test_call(struct srv *srv, const char *method, const char *path,
                             const char *body, const char *ctype, const char *token);
void test_reply_free(struct test_reply *r);

/*
 * test_token() - an access token for app @client_id in tenant @tenant from
 * graphmock's token endpoint, for the form-encoded @scope. New string.
 */
char *test_token(struct srv *srv, const char *tenant, const char *client_id,
                 const char *scope);

#endif
