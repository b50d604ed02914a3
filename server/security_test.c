/*
 * server/security_test.c - who may do what: with --auth jwt a token acts in
 * its own tenant only; --admin-token (or $GRAPHMOCK_ADMIN_TOKEN) guards the
 * admin plane and the fault header; beyond loopback the fault header is off
 * by default and graphmock warns when nothing guards it; and the fault
 * header cannot pin the server: its latency is capped, so is the number of
 * delayed requests, and a client that hangs up frees its slot at once.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/http.h"
#include "http_testutil.h"
#include "proc_testutil.h"
#include "srv.h"

#define APP_ID "bb307b24-a6db-470e-9a3b-e58a68578312"
#define SCOPE  "https%3A%2F%2Fgraph.microsoft.com%2F.default"

static struct test_reply *get_with(struct srv *srv, const char *method, const char *path,
                                   const char *token, const char *tenant,
                                   const char *body)
{
	char hdr[128];
	const char *headers[] = {hdr, NULL};
	struct test_request rq = {method,
	                          path,
	                          body,
	                          body ? "application/json" : NULL,
	                          token,
	                          NULL,
	                          tenant ? headers : NULL,
	                          false,
	                          0};
	struct test_reply *r = malloc(sizeof(*r));

	assert_non_null(r);
	snprintf(hdr, sizeof(hdr), "X-Graphmock-Tenant: %s", tenant ? tenant : "");
	test_http(srv, &rq, r);
	return r;
}

static void expect_token_refused(struct test_reply *r)
{
	const char *code =
	    json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
	const char *msg = json_string_value(
	    json_object_get(json_object_get(r->json, "error"), "message"));

	if (r->status != 401)
		fail_msg("expected 401, got %ld: %s", r->status, r->body);
	assert_string_equal(code, "InvalidAuthenticationToken");
	assert_string_equal(msg, "Access token validation failure.");
	assert_non_null(strstr(r->www_auth, "Bearer"));
	test_reply_free(r);
}

/* A token of tenant B reads and writes B only, whatever X-Graphmock-Tenant says. */
static void test_token_bound_to_its_tenant(void **s)
{
	struct test_server_opts opts = {.seed = 1, .auth = AUTH_JWT};
	struct srv *srv = test_server_start(&opts);
	struct test_reply *r = test_call(srv, "POST", "/_mock/tenants", NULL, NULL, NULL);
	char a[64], b[64], path[128];
	char *token;

	(void)s;
	assert_int_equal(r->status, 201);
	snprintf(b, sizeof(b), "%s", json_string_value(json_object_get(r->json, "id")));
	test_reply_free(r);
	snprintf(a, sizeof(a), "%s", state_tenant_default(&srv->state)->id);
	token = test_token(srv, b, APP_ID, SCOPE);
	/* its own tenant: by header, or by the token's tid */
	r = get_with(srv, "GET", "/v1.0/users", token, b, NULL);
	assert_int_equal(r->status, 200);
	test_reply_free(r);
	r = get_with(srv, "GET", "/v1.0/users", token, NULL, NULL);
	assert_int_equal(r->status, 200);
	test_reply_free(r);
	/* another tenant, by id or by domain: 401, nothing read or written */
	expect_token_refused(get_with(srv, "GET", "/v1.0/users", token, a, NULL));
	expect_token_refused(
	    get_with(srv, "GET", "/v1.0/users", token, "contoso.onmicrosoft.com", NULL));
	expect_token_refused(get_with(
	    srv, "POST", "/v1.0/groups", token, a,
	    "{\"displayName\":\"X\",\"mailEnabled\":false,\"mailNickname\":\"x\","
	    "\"securityEnabled\":true}"));
	r = get_with(srv, "GET", "/v1.0/groups", NULL, a, NULL);
	assert_int_equal(r->status, 401); /* --auth jwt: no token, no answer */
	test_reply_free(r);
	assert_int_equal(state_dobj_count(state_tenant_default(&srv->state), DOBJ_GROUP),
	                 1);
	/* the token's tenant deleted: never the default tenant instead */
	snprintf(path, sizeof(path), "/_mock/tenants/%s", b);
	r = test_call(srv, "DELETE", path, NULL, NULL, NULL);
	assert_int_equal(r->status, 204);
	test_reply_free(r);
	expect_token_refused(get_with(srv, "GET", "/v1.0/users", token, NULL, NULL));
	free(token);
	test_server_stop(srv);
}

/* A raw connection sending @req; returns the socket. */
static int send_raw(unsigned port, const char *req)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
	return fd;
}

/* The status of the answer on @fd within @ms, or 0. */
static int read_status(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char buf[512];
	int status = 0;
	ssize_t n;

	if (poll(&p, 1, ms) != 1)
		return 0;
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	sscanf(buf, "HTTP/1.1 %d", &status);
	return status;
}

static const char slow_get[] = "GET /v1.0/organization HTTP/1.1\r\nHost: t\r\n"
                               "X-Graphmock-Fault: latency=20000\r\n\r\n";

/* Did the journal record /v1.0/organization unanswered (status null)? */
static bool journaled_dropped(struct srv *srv)
{
	struct test_reply *r = test_call(
	    srv, "GET", "/_mock/requests?path=/v1.0/organization", NULL, NULL, NULL);
	json_t *v = json_object_get(r->json, "value");
	bool dropped = json_array_size(v) == 1 &&
	               json_is_null(json_object_get(json_array_get(v, 0), "status"));

	test_reply_free(r);
	return dropped;
}

static void test_hung_up_client_frees_its_slot(void **s)
{
	struct test_server_opts opts = {.seed = 1};
	struct srv *srv = test_server_start(&opts);
	int fd = send_raw(srv->port, slow_get);
	int waited = 0;

	(void)s;
	nanosleep(&(struct timespec){.tv_nsec = 200000000}, NULL); /* suspended */
	close(fd);
	/* 20 s of latency asked for; the slot is freed (and journaled) at once */
	while (!journaled_dropped(srv) && waited < 3000) {
		nanosleep(&(struct timespec){.tv_nsec = 50000000}, NULL);
		waited += 50;
	}
	if (waited >= 3000)
		fail_msg("the hung-up request still holds its slot after 3 s");
	test_server_stop(srv);
}

static void test_header_latency_capped(void **s)
{
	struct test_server_opts opts = {.seed = 1};
	struct srv *srv = test_server_start(&opts);
	struct test_request rq = {"GET", "/v1.0/organization", NULL, NULL,
	                          NULL,  "latency=600000",     NULL, false,
	                          0};
	struct test_reply r;

	(void)s;
	test_http(srv, &rq, &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "30000 ms at most"));
	test_reply_release(&r);
	test_server_stop(srv);
}

static void test_delayed_requests_capped(void **s)
{
	struct test_server_opts opts = {.seed = 1};
	struct srv *srv = test_srv_new(&opts);
	int fd[3];

	(void)s;
	srv->cfg.max_delayed = 2;
	assert_int_equal(srv_start(srv), 0);
	fd[0] = send_raw(srv->port, slow_get);
	fd[1] = send_raw(srv->port, slow_get);
	nanosleep(&(struct timespec){.tv_nsec = 200000000}, NULL);
	fd[2] = send_raw(srv->port, slow_get);
	assert_int_equal(read_status(fd[2], 2000), 503); /* at once, not in 20 s */
	for (int i = 0; i < 3; i++)
		close(fd[i]);
	test_server_stop(srv);
}

static const char *const fault_hdr[] = {"X-Graphmock-Fault: error=503", NULL};

static long status_of(struct test_proc *p, const char *path, const char *const *headers)
{
	struct test_reply *r = test_proc_call(p, "GET", path, NULL, headers);
	long status = r->status;

	test_reply_free(r);
	return status;
}

/* Beyond loopback: the fault header is off unless asked for, and a warning. */
static void test_beyond_loopback(void **s)
{
	const char *open_args[] = {"--listen", "0.0.0.0", NULL};
	const char *forced[] = {"--listen", "0.0.0.0", "--fault-header", NULL};
	struct test_proc p;

	(void)s;
	if (test_proc_start(&p, open_args, NULL))
		fail_msg("did not start: %s", p.log);
	assert_int_equal(status_of(&p, "/v1.0/organization", fault_hdr), 200);
	assert_int_equal(test_proc_stop(&p), 0);
	assert_non_null(strstr(p.log, "without --admin-token"));
	if (test_proc_start(&p, forced, NULL))
		fail_msg("did not start: %s", p.log);
	assert_int_equal(status_of(&p, "/v1.0/organization", fault_hdr), 503);
	assert_int_equal(test_proc_stop(&p), 0);
}

static void test_admin_token(void **s)
{
	const char *args[] = {"--listen", "0.0.0.0", "--admin-token", "s3cret", NULL};
	const char *env[] = {"GRAPHMOCK_ADMIN_TOKEN=other", NULL};
	const char *tok[] = {"X-Graphmock-Admin-Token: s3cret", NULL};
	const char *bearer[] = {"Authorization: Bearer s3cret", NULL};
	const char *wrong[] = {"X-Graphmock-Admin-Token: other", NULL};
	const char *fault_tok[] = {"X-Graphmock-Fault: error=503",
	                           "X-Graphmock-Admin-Token: s3cret", NULL};
	struct test_proc p;

	(void)s;
	/* the flag wins over the environment */
	if (test_proc_start(&p, args, env))
		fail_msg("did not start: %s", p.log);
	assert_int_equal(status_of(&p, "/_mock/tenants", NULL), 401);
	assert_int_equal(status_of(&p, "/_mock/state", wrong), 401);
	assert_int_equal(status_of(&p, "/_mock/tenants", tok), 200);
	assert_int_equal(status_of(&p, "/_mock/tenants", bearer), 200);
	assert_int_equal(status_of(&p, "/_mock/health", NULL), 200);
	assert_int_equal(status_of(&p, "/v1.0/organization", NULL), 200);
	assert_int_equal(status_of(&p, "/v1.0/organization", fault_hdr), 401);
	assert_int_equal(status_of(&p, "/v1.0/organization", fault_tok), 503);
	assert_int_equal(test_proc_stop(&p), 0);
	assert_null(strstr(p.log, "warning"));
	/* by the environment alone */
	if (test_proc_start(&p, NULL, env))
		fail_msg("did not start: %s", p.log);
	assert_int_equal(status_of(&p, "/_mock/tenants", NULL), 401);
	assert_int_equal(status_of(&p, "/_mock/tenants", wrong), 200);
	assert_int_equal(test_proc_stop(&p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_token_bound_to_its_tenant),
	    cmocka_unit_test(test_hung_up_client_frees_its_slot),
	    cmocka_unit_test(test_header_latency_capped),
	    cmocka_unit_test(test_delayed_requests_capped),
	    cmocka_unit_test(test_beyond_loopback),
	    cmocka_unit_test(test_admin_token),
	};

	curl_global_init(CURL_GLOBAL_ALL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
