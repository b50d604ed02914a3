/*
 * server/http_testutil.c - the daemon and client the in-process HTTP tests
 * share (see http_testutil.h).
 */
#include "../state/load/fixture_read.h"
#include "http_testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "../routes/registry.h"
#include "../state/util/alloc.h"
#include "../state/load/fixture.h"
#include "exchange.h"
#include "http/http.h"
#include "srv.h"
#include "../state/load/tenants.h"

struct srv *test_srv_new(const struct test_server_opts *opts)
{
	struct srv *srv = calloc(1, sizeof(*srv));
	json_t *doc = fixture_read(default_fixture_json, strlen(default_fixture_json),
	                           &(json_error_t){0});
	char err[256];

	assert_non_null(srv);
	config_defaults(&srv->cfg);
	srv->cfg.port = 0;
	srv->cfg.threads = opts->threads ? opts->threads : 2;
	srv->cfg.quiet = true;
	srv->cfg.seed = opts->seed;
	srv->cfg.auth = opts->auth;
	if (opts->tls) {
		srv->cfg.tls_cert = TEST_CERTS "/server.pem";
		srv->cfg.tls_key = TEST_CERTS "/server.key";
	}
	srv->listen_fd = -1;
	assert_int_equal(state_init(&srv->state, opts->seed), 0);
	assert_int_equal(srv_features_init(srv, &registry_routes), 0);
	srv->faults.quiet = true;
	/* every reset a test makes that rewinds is checked against the build */
	srv->state.rewind_check = true;
	assert_int_equal(state_load(&srv->state, doc, err, sizeof(err)), 0);
	json_decref(doc);
	return srv;
}

void test_srv_free(struct srv *srv)
{
	srv_features_release(srv);
	state_release(&srv->state);
	free(srv);
}

struct srv *test_server_start(const struct test_server_opts *opts)
{
	struct srv *srv = test_srv_new(opts);

	assert_int_equal(srv_start(srv), 0);
	return srv;
}

void test_server_stop(struct srv *srv)
{
	srv_stop(srv);
	test_srv_free(srv);
}

/* Add "Name: value" line @line to @req. */
static void add_header_line(struct req *req, const char *line)
{
	const char *colon = strchr(line, ':');
	char name[256];

	assert_non_null(colon);
	snprintf(name, sizeof(name), "%.*s", (int)(colon - line), line);
	colon++;
	while (*colon == ' ')
		colon++;
	assert_int_equal(req_add_header(req, name, colon), 0);
}

void test_local(struct srv *srv, const struct test_request *rq, struct test_reply *r)
{
	struct exchange ex;
	const char *q = strchr(rq->path, '?');
	char path[2048], bearer[4096];
	const char *v;

	memset(r, 0, sizeof(*r));
	exchange_init(&ex);
	snprintf(ex.req.method, sizeof(ex.req.method), "%s", rq->method);
	snprintf(ex.req.base_url, sizeof(ex.req.base_url), "%s",
	         srv->cfg.public_url[0] ? srv->cfg.public_url : "http://graphmock.test");
	snprintf(path, sizeof(path), "%.*s",
	         (int)(q ? (size_t)(q - rq->path) : strlen(rq->path)), rq->path);
	assert_int_equal(req_set_path(&ex.req, path), 0);
	if (q)
		assert_int_equal(req_add_query_string(&ex.req, q + 1), 0);
	if (rq->ctype)
		assert_int_equal(req_add_header(&ex.req, "Content-Type", rq->ctype), 0);
	if (rq->token) {
		snprintf(bearer, sizeof(bearer), "Bearer %s", rq->token);
		assert_int_equal(req_add_header(&ex.req, "Authorization", bearer), 0);
	}
	if (rq->fault)
		assert_int_equal(req_add_header(&ex.req, "X-Graphmock-Fault", rq->fault),
		                 0);
	for (size_t i = 0; rq->headers && rq->headers[i]; i++)
		add_header_line(&ex.req, rq->headers[i]);
	if (rq->body)
		assert_int_equal(req_set_body(&ex.req, rq->body, strlen(rq->body)), 0);
	if (rq->fail_allocs)
		state_alloc_fail_after(rq->allocs_ok);
	if (exchange_run(srv, &ex, 0) == EXCHANGE_RESPOND) {
		resp_stream_drain(&ex.resp); /* GET /_mock/state: the whole body */
		r->status = ex.resp.status;
	}
	state_alloc_fail_after(-1);
	r->len =
	    ex.resp.bytes_len < sizeof(r->body) ? ex.resp.bytes_len : sizeof(r->body) - 1;
	if (ex.resp.bytes)
		memcpy(r->body, ex.resp.bytes, r->len);
	r->body[r->len] = '\0';
	v = resp_header_get(&ex.resp, "Retry-After");
	snprintf(r->retry_after, sizeof(r->retry_after), "%s", v ? v : "");
	v = resp_header_get(&ex.resp, "WWW-Authenticate");
	snprintf(r->www_auth, sizeof(r->www_auth), "%s", v ? v : "");
	v = resp_header_get(&ex.resp, "Cache-Control");
	snprintf(r->cache_control, sizeof(r->cache_control), "%s", v ? v : "no-cache");
	v = resp_header_get(&ex.resp, "Location");
	snprintf(r->location, sizeof(r->location), "%s", v ? v : "");
	v = resp_content_type(&ex.resp);
	snprintf(r->content_type, sizeof(r->content_type), "%s", v ? v : "");
	if (ex.resp.bytes)
		r->json = json_loadb(ex.resp.bytes, ex.resp.bytes_len, 0, NULL);
	exchange_release(&ex);
}

struct test_reply *test_local_call(struct srv *srv, const char *method, const char *path,
                                   const char *body, const char *ctype, const char *token)
{
	struct test_request rq = {method, path, body, ctype, token, NULL, NULL, false, 0};
	struct test_reply *r = malloc(sizeof(*r));

	assert_non_null(r);
	test_local(srv, &rq, r);
	return r;
}

static size_t on_body(char *p, size_t size, size_t n, void *cls)
{
	struct test_reply *r = cls;
	size_t len = size * n;

	if (r->len + len < sizeof(r->body)) {
		memcpy(r->body + r->len, p, len);
		r->len += len;
		r->body[r->len] = '\0';
	}
	return len;
}

/* Copy the value of header line @p into @out when it is @name. */
static void header_value(const char *p, size_t len, const char *name, char *out,
                         size_t outlen)
{
	size_t nlen = strlen(name);

	if (len < nlen + 2 || strncasecmp(p, name, nlen) || p[nlen] != ':')
		return;
	p += nlen + 1;
	len -= nlen + 1;
	while (len && *p == ' ') {
		p++;
		len--;
	}
	while (len && (p[len - 1] == '\r' || p[len - 1] == '\n'))
		len--;
	snprintf(out, outlen, "%.*s", (int)len, p);
}

static size_t on_header(char *p, size_t size, size_t n, void *cls)
{
	struct test_reply *r = cls;
	size_t len = size * n;

	header_value(p, len, "Retry-After", r->retry_after, sizeof(r->retry_after));
	header_value(p, len, "WWW-Authenticate", r->www_auth, sizeof(r->www_auth));
	header_value(p, len, "Cache-Control", r->cache_control, sizeof(r->cache_control));
	header_value(p, len, "Content-Type", r->content_type, sizeof(r->content_type));
	header_value(p, len, "Location", r->location, sizeof(r->location));
	return len;
}

static struct curl_slist *add_header(struct curl_slist *h, const char *name,
                                     const char *value)
{
	size_t n;
	char *line;
	struct curl_slist *with;

	if (!value)
		return h;
	n = strlen(name) + strlen(value) + 3; /* a test's long header whole */
	line = malloc(n);
	if (!line)
		return h;
	snprintf(line, n, "%s: %s", name, value);
	with = curl_slist_append(h, line);
	free(line);
	return with;
}

void test_http(struct srv *srv, const struct test_request *rq, struct test_reply *r)
{
	test_http_port(srv->port, srv->cfg.tls_cert != NULL, rq, r);
}

void test_http_port(unsigned port, bool tls, const struct test_request *rq,
                    struct test_reply *r)
{
	struct curl_slist *h = NULL;
	char url[512], bearer[4096];
	CURL *c = curl_easy_init();

	memset(r, 0, sizeof(*r));
	assert_non_null(c);
	snprintf(url, sizeof(url), "%s://%s:%u%s", tls ? "https" : "http",
	         tls ? "localhost" : "127.0.0.1", port, rq->path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, rq->method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (tls)
		curl_easy_setopt(c, CURLOPT_CAINFO, TEST_CERTS "/ca.pem");
	h = add_header(h, "Content-Type", rq->ctype);
	if (rq->token) {
		snprintf(bearer, sizeof(bearer), "Bearer %s", rq->token);
		h = add_header(h, "Authorization", bearer);
	}
	h = add_header(h, "X-Graphmock-Fault", rq->fault);
	for (size_t i = 0; rq->headers && rq->headers[i]; i++)
		h = curl_slist_append(h, rq->headers[i]);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (rq->body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
	r->rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	r->json = json_loadb(r->body, r->len, 0, NULL);
}

void test_reply_release(struct test_reply *r)
{
	json_decref(r->json);
	r->json = NULL;
}

struct test_reply *test_call(struct srv *srv, const char *method, const char *path,
                             const char *body, const char *ctype, const char *token)
{
	struct test_request rq = {method, path, body, ctype, token, NULL, NULL, false, 0};
	struct test_reply *r = malloc(sizeof(*r));

	assert_non_null(r);
	test_http(srv, &rq, r);
	assert_int_equal(r->rc, CURLE_OK);
	return r;
}

void test_reply_free(struct test_reply *r)
{
	test_reply_release(r);
	free(r);
}

char *test_token(struct srv *srv, const char *tenant, const char *client_id,
                 const char *scope)
{
	char form[512], path[128];
	struct test_reply *r;
	char *tok;

	/* the fixture apps' documented secrets (README "Signing in") */
	const char *secret = !strcmp(client_id, "bb307b24-a6db-470e-9a3b-e58a68578312")
	                         ? "GuestOnboarding~Secret1"
	                     : !strcmp(client_id, "0e6a4b2c-8d1f-4e3a-b5c7-9f2d6a8e1b43")
	                         ? "ReadOnlyReporting~Secret1"
	                         : "s";

	snprintf(form, sizeof(form),
	         "client_id=%s&client_secret=%s&grant_type=client_credentials&scope=%s",
	         client_id, secret, scope);
	snprintf(path, sizeof(path), "/%s/oauth2/v2.0/token", tenant);
	r = test_call(srv, "POST", path, form, "application/x-www-form-urlencoded", NULL);
	assert_int_equal(r->status, 200);
	tok = strdup(json_string_value(json_object_get(r->json, "access_token")));
	assert_non_null(tok);
	test_reply_free(r);
	return tok;
}

size_t test_waiting_users(struct srv *srv)
{
	struct tenant *t;
	size_t n = 0;

	state_registry_read(&srv->state);
	t = state_tenant_default(&srv->state);
	state_tenant_lock(t);
	for (struct dobj *d = state_dobj_first(t, DOBJ_USER); d; d = state_dobj_next(d))
		n += !d->props; /* not parsed yet */
	state_tenant_unlock(t);
	state_registry_unlock(&srv->state);
	return n;
}
