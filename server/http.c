/*
 * server/http.c - the libmicrohttpd glue: the listening socket, the daemon
 * (internal epoll thread pool), per-request state in *req_cls, upload
 * accumulation with the body cap, and turning a struct resp into an MHD
 * response with Graph's common headers. The only file that sees MHD.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth.h"
#include "error.h"
#include "fault_apply.h"
#include "req.h"
#include "resp.h"
#include "srv.h"
#include "tls.h"

enum exchange_phase {
	PHASE_UPLOAD,   /* receiving the request */
	PHASE_SLEEPING, /* suspended for injected latency */
	PHASE_RESUMED,  /* latency over: serve normally */
};

/* Per-connection-request state, kept in *req_cls until the completed callback. */
struct exchange {
	struct req req;
	struct resp resp;
	char *upload;
	size_t upload_len, upload_cap;
	bool too_large;
	bool bad_query;
	bool built;     /* req is complete (journal it) */
	bool dropped;   /* a connection fault: nothing (complete) was sent */
	bool journaled; /* the journal has this exchange */
	enum exchange_phase phase;
	int64_t started_us;
	char tenant_id[GUID_STR_LEN + 1];
	char tenant_domain[256];
	char client[256];
	struct fault_decision fault;
};

/* Keep escapes as sent: path segments and query values are decoded one by one in req.c.
 */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
	struct exchange *ex = cls;

	(void)kind;
	req_add_header(&ex->req, key, value);
	return MHD_YES;
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
	struct exchange *ex = cls;
	char *k = req_percent_decode(key, strlen(key));
	char *v = value ? req_percent_decode(value, strlen(value)) : strdup("");

	(void)kind;
	if (!k || !v)
		ex->bad_query = true;
	else
		req_add_query(&ex->req, k, v);
	free(k);
	free(v);
	return MHD_YES;
}

static void set_base_url(struct srv *srv, struct req *req)
{
	const char *host = req_header(req, "host");

	if (srv->cfg.public_url[0])
		snprintf(req->base_url, sizeof(req->base_url), "%s", srv->cfg.public_url);
	else if (host && *host && !strpbrk(host, " /\\\"'<>"))
		snprintf(req->base_url, sizeof(req->base_url), "%s://%s", srv_scheme(srv),
		         host);
	else
		snprintf(req->base_url, sizeof(req->base_url), "%s://%s:%u",
		         srv_scheme(srv), srv->addr, srv->port);
}

static int upload_append(struct exchange *ex, const char *data, size_t len, size_t cap)
{
	if (ex->too_large || ex->upload_len + len > cap) {
		ex->too_large =
		    true; /* keep reading, drop the bytes, answer 413 at the end */
		return 0;
	}
	if (ex->upload_len + len > ex->upload_cap) {
		size_t want = (ex->upload_len + len) * 2;
		char *grown = realloc(ex->upload, want < cap ? want : cap);
		if (!grown)
			return -1;
		ex->upload = grown;
		ex->upload_cap = want < cap ? want : cap;
	}
	memcpy(ex->upload + ex->upload_len, data, len);
	ex->upload_len += len;
	return 0;
}

static void add_graph_headers(struct MHD_Response *r, const struct exchange *ex)
{
	const struct resp *resp = &ex->resp;
	const char *ct = resp_content_type(resp);

	MHD_add_response_header(r, "request-id", ex->req.request_id);
	MHD_add_response_header(r, "client-request-id", ex->req.client_request_id);
	if (ct)
		MHD_add_response_header(r, "Content-Type", ct);
	if (!resp_header_get(resp, "Cache-Control")) /* the token endpoint sets its own */
		MHD_add_response_header(r, "Cache-Control", "no-cache");
	if (ex->req.version[0]) {
		MHD_add_response_header(r, "Strict-Transport-Security",
		                        "max-age=31536000");
		MHD_add_response_header(
		    r, "x-ms-ags-diagnostic",
		    "{\"ServerInfo\":{\"DataCenter\":\"graphmock\",\"Slice\":\"E\","
		    "\"Ring\":\"0\",\"ScaleUnit\":\"000\",\"RoleInstance\":\"graphmock\"}"
		    "}");
		MHD_add_response_header(r, "x-ms-resource-unit", "1");
		if (resp->kind == RESP_ODATA)
			MHD_add_response_header(r, "OData-Version", "4.0");
	}
	for (size_t i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
}

/*
 * Journal the exchange as soon as its outcome is known, before the client can
 * see the response: a test that asks /_mock/requests right after a call must
 * find that call there. Requests that end without an answer are journaled
 * when MHD reports them complete.
 */
static void journal_exchange(struct srv *srv, struct exchange *ex)
{
	const struct fault_decision *d = &ex->fault;
	int64_t micros = monotonic_us() - ex->started_us;
	struct journal_entry en;

	if (ex->journaled || !ex->built || !srv->journal.cap)
		return;
	ex->journaled = true;

	journal_fill(&en, &ex->req, ex->dropped ? 0 : ex->resp.status, micros);
	snprintf(en.tenant, sizeof(en.tenant), "%s", ex->tenant_id);
	if (d->kind != FAULT_NONE) {
		snprintf(en.fault, sizeof(en.fault), "%s", fault_kind_name(d->kind));
		snprintf(en.rule_id, sizeof(en.rule_id), "%s", d->rule_id);
		if (d->kind == FAULT_CONNECTION ||
		    (d->kind == FAULT_GHOST && d->ghost_reset))
			snprintf(en.fault_detail, sizeof(en.fault_detail), "%s",
			         d->conn == FAULT_CONN_RESET      ? "reset"
			         : d->conn == FAULT_CONN_CLOSE    ? "close"
			         : d->conn == FAULT_CONN_TRUNCATE ? "truncate"
			                                          : "garbage");
		else if (d->kind == FAULT_LATENCY)
			snprintf(en.fault_detail, sizeof(en.fault_detail), "%lldms",
			         (long long)d->latency_ms);
		else
			snprintf(en.fault_detail, sizeof(en.fault_detail), "%u",
			         d->error.status);
	}
	journal_record(&srv->journal, &en);
}

static enum MHD_Result respond(struct srv *srv, struct MHD_Connection *conn,
                               struct exchange *ex)
{
	struct resp *resp = &ex->resp;
	struct MHD_Response *r;
	enum MHD_Result ok;

	r = MHD_create_response_from_buffer_with_free_callback(resp->bytes_len,
	                                                       resp->bytes, &free);
	if (!r)
		return MHD_NO;
	resp->bytes = NULL; /* MHD frees it now */
	add_graph_headers(r, ex);
	journal_exchange(srv, ex);
	ok = MHD_queue_response(conn, resp->status, r);
	MHD_destroy_response(r);
	return ok;
}

/* The client's IP address as text, into req->peer ($batch sub-requests reuse it). */
static void set_peer(struct MHD_Connection *conn, struct req *req)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		          &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
		          req->peer, sizeof(req->peer));
	else
		inet_ntop(AF_INET,
		          &((const struct sockaddr_in *)ci->client_addr)->sin_addr,
		          req->peer, sizeof(req->peer));
}

static void build_request(struct srv *srv, struct MHD_Connection *conn,
                          struct exchange *ex, const char *url, const char *method)
{
	const char *crid;

	snprintf(ex->req.method, sizeof(ex->req.method), "%s", method);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, ex);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, ex);
	crid = req_header(&ex->req, "client-request-id");
	if (crid && *crid)
		snprintf(ex->req.client_request_id, sizeof(ex->req.client_request_id),
		         "%s", crid);
	ex->req.now_ms = state_now_ms(&srv->state);
	set_peer(conn, &ex->req);
	set_base_url(srv, &ex->req);
	resp_init(&ex->resp, &ex->req);
	if (ex->upload_len)
		req_set_body(&ex->req, ex->upload, ex->upload_len);
	if (req_set_path(&ex->req, url))
		resp_error(&ex->resp, GERR_BAD_REQUEST,
		           "Resource not found for the segment '%s'.", url);
	else if (ex->bad_query)
		resp_error(&ex->resp, GERR_BAD_REQUEST,
		           "The query string contains an invalid percent-encoding.");
}

static bool declared_too_large(struct MHD_Connection *conn, size_t max)
{
	const char *cl =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	char *end;
	unsigned long long n;

	if (!cl)
		return false;
	errno = 0;
	n = strtoull(cl, &end, 10);
	return !errno && end != cl && n > max;
}

/* The tenant a request names (or the default one), copied out under the state lock. */
static void resolve_tenant(struct srv *srv, struct exchange *ex)
{
	const char *want = req_header(&ex->req, "x-graphmock-tenant");
	struct tenant *t;

	state_registry_read(&srv->state);
	t = want ? state_tenant_find(&srv->state, want)
	         : auth_token_tenant(&srv->state, &ex->req);
	if (!t && !want)
		t = state_tenant_default(&srv->state);
	if (t) {
		snprintf(ex->tenant_id, sizeof(ex->tenant_id), "%s", t->id);
		snprintf(ex->tenant_domain, sizeof(ex->tenant_domain), "%s", t->domain);
	}
	state_registry_unlock(&srv->state);
}

/* Throttling key: the Authorization header (one per app/token), else the client IP. */
static void identify_client(struct exchange *ex)
{
	const char *auth = req_header(&ex->req, "authorization");

	snprintf(ex->client, sizeof(ex->client), "%s",
	         auth && *auth ? auth : ex->req.peer);
}

/* Run the rules (and a one-shot X-Graphmock-Fault header) over the request. */
static void decide_fault(struct srv *srv, struct exchange *ex)
{
	const char *header =
	    srv->cfg.no_fault_header ? NULL : req_header(&ex->req, FAULT_HEADER);
	struct fault_rule *oneshot = NULL;
	struct fault_request fr;
	char err[512];

	if (header) {
		oneshot = fault_rule_parse_compact(header, err, sizeof(err));
		if (!oneshot) {
			resp_error(&ex->resp, GERR_BAD_REQUEST, "%s", err);
			return;
		}
	}
	identify_client(ex);
	fr.method = ex->req.method;
	fr.path = ex->req.path ? ex->req.path : "";
	fr.tenant_id = ex->tenant_id;
	fr.tenant_domain = ex->tenant_domain;
	fr.client = ex->client;
	fr.req = &ex->req;
	fault_engine_decide(&srv->faults, &fr, oneshot, ex->req.now_ms, &ex->fault);
	fault_rule_free(oneshot);
}

/* Answer from the fault decision before (or, for ghost writes, after) the handler. */
static enum MHD_Result serve(struct srv *srv, struct MHD_Connection *conn,
                             struct exchange *ex)
{
	struct fault_decision *d = &ex->fault;

	switch (d->kind) {
	case FAULT_ERROR:
	case FAULT_THROTTLE:
		fault_error_respond(&d->error, d->body, &ex->req, &ex->resp);
		return respond(srv, conn, ex);
	case FAULT_CONNECTION:
		/* truncate cuts a real response short, so the handler runs for it */
		if (d->conn == FAULT_CONN_TRUNCATE)
			srv_dispatch(srv, &ex->req, &ex->resp, ex->too_large);
		fault_conn_drop(conn, d->conn, &ex->resp, d->garbage_seed);
		ex->dropped = true;
		journal_exchange(srv, ex);
		return MHD_NO;
	case FAULT_GHOST:
		/* The write happens; the client only hears of a failure. */
		srv_dispatch(srv, &ex->req, &ex->resp, ex->too_large);
		if (d->ghost_reset) {
			fault_conn_drop(conn, FAULT_CONN_RESET, &ex->resp, 0);
			ex->dropped = true;
			journal_exchange(srv, ex);
			return MHD_NO;
		}
		resp_release(&ex->resp);
		resp_init(&ex->resp, &ex->req);
		fault_error_respond(&d->error, d->body, &ex->req, &ex->resp);
		return respond(srv, conn, ex);
	case FAULT_LATENCY:
		if (ex->phase == PHASE_UPLOAD && d->latency_ms > 0) {
			ex->phase = PHASE_SLEEPING;
			MHD_suspend_connection(conn);
			if (fault_sleeper_add(&srv->sleeper, conn, d->latency_ms))
				MHD_resume_connection(conn);
			return MHD_YES;
		}
		break;
	case FAULT_NONE:
	case FAULT_MAIL:
	case FAULT_LAG:
		break;
	}
	srv_dispatch(srv, &ex->req, &ex->resp, ex->too_large);
	return respond(srv, conn, ex);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
	struct srv *srv = cls;
	struct exchange *ex = *req_cls;

	(void)version;
	if (!ex) {
		ex = calloc(1, sizeof(*ex));
		if (!ex)
			return MHD_NO;
		req_init(&ex->req);
		ex->started_us = monotonic_us();
		*req_cls = ex;
		if (!declared_too_large(conn, srv->cfg.max_body))
			return MHD_YES;
		/* Answer 413 before reading a body we would only throw away. */
		ex->too_large = true;
	} else if (ex->phase == PHASE_SLEEPING) {
		ex->phase = PHASE_RESUMED; /* the latency timer resumed us */
		return serve(srv, conn, ex);
	} else if (*upload_data_size) {
		if (upload_append(ex, upload_data, *upload_data_size, srv->cfg.max_body))
			return MHD_NO;
		*upload_data_size = 0;
		return MHD_YES;
	}
	build_request(srv, conn, ex, url, method);
	ex->built = true;
	resolve_tenant(srv, ex);
	if (ex->resp.kind == RESP_NONE)
		decide_fault(srv, ex);
	if (ex->resp.kind != RESP_NONE) {
		resp_finish(&ex->resp);
		return respond(srv, conn, ex);
	}
	return serve(srv, conn, ex);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct srv *srv = cls;
	struct exchange *ex = *req_cls;
	int64_t micros;

	(void)conn;
	(void)toe;
	if (!ex)
		return;
	micros = monotonic_us() - ex->started_us;
	if (ex->resp.status)
		srv_log_access(srv, &ex->req, &ex->resp, micros);
	journal_exchange(srv, ex); /* when no answer was sent */
	fault_decision_release(&ex->fault);
	req_release(&ex->req);
	resp_release(&ex->resp);
	free(ex->upload);
	free(ex);
	*req_cls = NULL;
}

/* Bind ourselves so "address in use" is reported with errno, as users expect. */
static int open_listener(struct srv *srv)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (strchr(srv->cfg.listen, ':')) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)srv->cfg.port);
		if (inet_pton(AF_INET6, srv->cfg.listen, &a6->sin6_addr) != 1)
			goto out_bad_addr;
		len = sizeof(*a6);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)srv->cfg.port);
		if (inet_pton(AF_INET, srv->cfg.listen, &a4->sin_addr) != 1)
			goto out_bad_addr;
		len = sizeof(*a4);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "socket failed: %s\n", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 1024)) {
		fprintf(stderr, "bind to port '%u' failed: %s\n", srv->cfg.port,
		        strerror(errno));
		close(fd);
		return -1;
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	srv->port =
	    ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                                   : ((struct sockaddr_in *)&ss)->sin_port);
	srv->listen_fd = fd;
	if (ss.ss_family == AF_INET6)
		snprintf(srv->addr, sizeof(srv->addr), "[%s]", srv->cfg.listen);
	else
		snprintf(srv->addr, sizeof(srv->addr), "%s", srv->cfg.listen);
	return 0;

out_bad_addr:
	fprintf(stderr, "invalid listen address '%s'\n", srv->cfg.listen);
	return -1;
}

int srv_start(struct srv *srv)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO;
	struct MHD_OptionItem tls[3];
	int tls_flag = srv_tls_options(srv, tls);

	if (tls_flag < 0)
		return -1;
	flags |= (unsigned)tls_flag;
	if (open_listener(srv)) {
		srv_tls_release(srv);
		return -1;
	}
	if (strchr(srv->cfg.listen, ':'))
		flags |= MHD_USE_IPv6;
	srv->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, &on_request, srv, MHD_OPTION_LISTEN_SOCKET,
	    srv->listen_fd, MHD_OPTION_THREAD_POOL_SIZE, srv->cfg.threads,
	    MHD_OPTION_NOTIFY_COMPLETED, &on_completed, srv, MHD_OPTION_UNESCAPE_CALLBACK,
	    &keep_escapes, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_ARRAY, tls,
	    MHD_OPTION_END);
	if (!srv->daemon) {
		fprintf(stderr, "starting the HTTP daemon on port '%u' failed\n",
		        srv->port);
		close(srv->listen_fd);
		srv->listen_fd = -1;
		srv_tls_release(srv);
		return -1;
	}
	return 0;
}

void srv_stop(struct srv *srv)
{
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	srv->listen_fd = -1;
	srv_tls_release(srv);
}
