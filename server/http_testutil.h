/*
 * server/http_testutil.h - what the in-process tests share: a server with
 * the default fixture (fault engine, journal, route tables), either serving
 * on a free loopback port (test_server_start, reached with libcurl) or not
 * serving at all (test_srv_new, reached through the request pipeline
 * directly with test_local); both answer the same struct test_reply.
 * Linked into test binaries only (*_testutil.c).
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

/*
 * test_srv_new() - a server with the default fixture loaded and every
 * feature initialised, not listening: for test_local(). Asserts (cmocka) on
 * any failure. New; free with test_srv_free().
 */
struct srv *test_srv_new(const struct test_server_opts *opts);
void test_srv_free(struct srv *srv);

/* test_server_start() - test_srv_new() serving on a free port. New. */
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
	const char *const
	    *headers; /* more "Name: value" lines, NULL-terminated, or NULL */
	/* test_local() only: with @fail_allocs, allocations through
	 * state/util/alloc.h (and jansson's, when the test installed them) fail
	 * after @allocs_ok of them while the pipeline runs. */
	bool fail_allocs;
	long allocs_ok;
};

struct test_reply {
	CURLcode rc;
	long status;      /* 0 when the connection was dropped */
	char body[16384]; /* the first 16 KiB of the body */
	size_t len;
	char retry_after[64];
	char www_auth[512];
	char cache_control[128];
	char content_type[128];
	char location[1024];
	json_t *json; /* the whole body parsed, or NULL (owned) */
};

/*
 * test_http() - send @rq to @srv (https when it serves TLS, trusting
 * TEST_CERTS/ca.pem) and fill @r. Release with test_reply_release().
 */
void test_http(struct srv *srv, const struct test_request *rq, struct test_reply *r);

/* test_http_port() - the same to whatever serves on 127.0.0.1:@port (localhost, TLS). */
void test_http_port(unsigned port, bool tls, const struct test_request *rq,
                    struct test_reply *r);
void test_reply_release(struct test_reply *r);

/*
 * test_local() - run @rq through the request pipeline of @srv (from
 * test_srv_new() or test_server_start()) as a $batch sub-request runs, no
 * socket involved, and fill @r as test_http() would. Links start with
 * srv->cfg.public_url, else http://graphmock.test. Release as above.
 */
void test_local(struct srv *srv, const struct test_request *rq, struct test_reply *r);

/* test_local_call() - test_local() into a new reply; free with test_reply_free(). */
struct test_reply *test_local_call(struct srv *srv, const char *method, const char *path,
                                   const char *body, const char *ctype,
                                   const char *token);

/*
 * test_call() - test_http() into a new reply; free with test_reply_free().
 * Asserts (cmocka) that the transfer itself succeeded.
 */
struct test_reply *test_call(struct srv *srv, const char *method, const char *path,
                             const char *body, const char *ctype, const char *token);
void test_reply_free(struct test_reply *r);

/*
 * test_waiting_users() - users of @srv's default tenant still kept as text,
 * not parsed yet (state/frozen.h).
 */
size_t test_waiting_users(struct srv *srv);

/*
 * test_token() - an access token for app @client_id in tenant @tenant from
 * graphmock's token endpoint (with the fixture app's documented secret),
 * for the form-encoded @scope. New string.
 */
char *test_token(struct srv *srv, const char *tenant, const char *client_id,
                 const char *scope);

#endif
