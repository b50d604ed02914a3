/*
 * server/http/http.c - the libmicrohttpd glue: the listening socket, the daemon
 * (internal epoll thread pool), per-request state in *req_cls, upload
 * accumulation with the body cap, and turning a struct resp into an MHD
 * response with Graph's common headers. The only file that sees MHD.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../state/util/alloc.h"
#include "../../state/util/buf.h"
#include "../core/cors.h"
#include "../core/str.h"
#include "../core/error.h"
#include "../exchange.h"
#include "deferred.h"
#include "fault_apply.h"
#include "../core/req.h"
#include "../core/resp.h"
#include "http.h"
#include "../srv.h"
#include "tls.h"

enum http_phase {
	PHASE_UPLOAD,   /* receiving the request */
	PHASE_SLEEPING, /* suspended for injected latency */
	PHASE_WAITING,  /* suspended while a handler's webhook checks run */
	PHASE_RESUMED,  /* latency over: serve normally */
	PHASE_REFUSED,  /* the latency timer was full: answer 503 */
	PHASE_DEFERRED, /* suspended while the admin thread runs the handler */
};

/*
 * One request on a connection, made by the URI callback and kept in
 * *req_cls until the completed callback.
 */
struct http_exchange {
	struct exchange ex;
	char *query;  /* the raw query string, parsed here rather than by MHD */
	char *upload; /* the body as received; handed to ex.req when complete */
	size_t upload_len, upload_cap;
	FILE *spool;  /* a ROUTE_LARGE_BODY upload, any size: on disk instead */
	bool started; /* the access handler has seen this request */
	bool no_host; /* HTTP/1.1 without Host (RFC 9112 §3.2: 400) */
	bool oom;     /* a header, option or the body could not be kept */
	bool dropped; /* a connection fault: nothing (complete) was sent */
	enum http_phase phase;
	atomic_bool gone; /* the client hung up while suspended (latency timer) */
	struct deferred_result deferred; /* PHASE_DEFERRED: what the admin thread did */
};

/*
 * One finished exchange kept per thread for its next request: a ~3 KB block
 * freed and taken again for every request cost malloc and free ~1,500
 * instructions. The key's destructor frees it with its thread.
 */
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static bool spare_ok;

static void spare_init(void)
{
	spare_ok = !pthread_key_create(&spare_key, free);
}

static struct http_exchange *hx_alloc(void)
{
	struct http_exchange *hx = NULL;

	pthread_once(&spare_once, spare_init);
	if (spare_ok) {
		hx = pthread_getspecific(spare_key);
		if (hx)
			pthread_setspecific(spare_key, NULL);
	}
	return hx ? hx : malloc(sizeof(*hx));
}

static void hx_free(struct http_exchange *hx)
{
	if (spare_ok && !pthread_getspecific(spare_key) &&
	    !pthread_setspecific(spare_key, hx))
		return;
	free(hx);
}

/* Where the fields after the exchange begin (on_uri() clears from there). */
#define HX_TAIL offsetof(struct http_exchange, query)
_Static_assert(offsetof(struct http_exchange, ex) == 0, "the exchange comes first");

/*
 * MHD_OPTION_URI_LOG_CALLBACK: runs on the raw request line before
 * libmicrohttpd splits the query string into its per-connection pool. Every
 * option costs that 32 KiB pool ~56 bytes, and past ~500 of them
 * libmicrohttpd 0.9.75 loses its own 431 and leaves the client hanging (its
 * parse_initial_message_line ignores the failure). So the query is copied
 * here and cut off after '?' in libmicrohttpd's buffer (writable: it is the
 * connection's read buffer), and build_request() parses the copy. The
 * exchange made here becomes *req_cls.
 */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	/* Not calloc: exchange_init() clears the exchange, the rest is cleared
	 * here, and clearing its ~3 KB twice was a tenth of our own cost. */
	struct http_exchange *hx = hx_alloc();
	char *q = strchr(uri, '?');

	(void)cls;
	(void)conn;
	if (!hx)
		return NULL;
	memset((char *)hx + HX_TAIL, 0, sizeof(*hx) - HX_TAIL);
	exchange_init(&hx->ex);
	if (q) {
		hx->query = state_strdup(q + 1);
		if (!hx->query)
			hx->oom = true;
		q[1] = '\0';
	}
	return hx;
}

/* Keep escapes as sent: path segments and query values are decoded one by one in req.c.
 */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* A header that cannot be kept fails the request (500), never silently drops. */
static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
	struct http_exchange *hx = cls;

	(void)kind;
	if (req_add_header(&hx->ex.req, key, value))
		hx->oom = true;
	return MHD_YES;
}

static void set_base_url(struct srv *srv, struct req *req)
{
	const char *host = req_header(req, "host");

	if (srv->cfg.public_url[0]) {
		str_copy(req->base_url, sizeof(req->base_url), srv->cfg.public_url);
	} else if (host && *host && !strpbrk(host, " /\\\"'<>")) {
		/* "%s://%s" as snprintf cuts it, without its format machinery
		 * (the scheme is "http" or "https") */
		size_t n =
		    str_copy(req->base_url, sizeof(req->base_url), srv_scheme(srv));

		memcpy(req->base_url + n, "://", 4);
		str_copy(req->base_url + n + 3, sizeof(req->base_url) - n - 3, host);
	} else
		snprintf(req->base_url, sizeof(req->base_url), "%s://%s:%u",
		         srv_scheme(srv), srv->addr, srv->port);
}

/* Append a chunk of the body; past @cap, keep reading but drop the bytes (413 at the
 * end). */
static int upload_append(struct http_exchange *hx, const char *data, size_t len,
                         size_t cap)
{
	if (hx->spool) {
		if (fwrite(data, 1, len, hx->spool) != len)
			return -1;
		hx->upload_len += len;
		return 0;
	}
	if (hx->ex.too_large || hx->upload_len + len > cap) {
		hx->ex.too_large = true;
		return 0;
	}
	if (hx->upload_len + len + 1 > hx->upload_cap) {
		size_t want = (hx->upload_len + len) * 2 + 1;
		char *grown;

		if (want > cap + 1)
			want = cap + 1; /* the body and its NUL */
		grown = state_realloc(hx->upload, want);
		if (!grown)
			return -1;
		hx->upload = grown;
		hx->upload_cap = want;
	}
	memcpy(hx->upload + hx->upload_len, data, len);
	hx->upload_len += len;
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
		char units[16];
		int u = ex->resource_units > 0 ? ex->resource_units : 1;

		if (u < 10) { /* nearly always: Graph's costs are 1 to 5 */
			units[0] = (char)('0' + u);
			units[1] = '\0';
		} else {
			snprintf(units, sizeof(units), "%d", u);
		}
		MHD_add_response_header(r, "x-ms-resource-unit", units);
		if (resp->kind == RESP_ODATA)
			MHD_add_response_header(r, "OData-Version", "4.0");
	}
	if (cors_applies(&ex->req)) {
		MHD_add_response_header(r, "Access-Control-Allow-Origin",
		                        CORS_ALLOW_ORIGIN);
		MHD_add_response_header(r, "Access-Control-Expose-Headers",
		                        CORS_EXPOSE_HEADERS);
	}
	for (size_t i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
}

/* A streamed body as libmicrohttpd pulls it: the pieces, copied out in turn. */
struct stream_reader {
	struct resp_stream src;
	struct buf piece;
	size_t off;
	int more; /* what the last piece said: 1 more, 0 end */
};

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream_reader *sr = cls;
	size_t n;

	(void)pos;
	while (sr->off == sr->piece.len) {
		if (!sr->more)
			return MHD_CONTENT_READER_END_OF_STREAM;
		buf_release(&sr->piece);
		buf_init(&sr->piece, RESP_TEXT_MAX);
		sr->off = 0;
		sr->more = sr->src.next(sr->src.ctx, &sr->piece);
		if (sr->more < 0 || sr->piece.failed)
			return MHD_CONTENT_READER_END_WITH_ERROR; /* the client sees it
			                                             cut */
	}
	n = sr->piece.len - sr->off < max ? sr->piece.len - sr->off : max;
	memcpy(out, sr->piece.data + sr->off, n);
	sr->off += n;
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	struct stream_reader *sr = cls;

	buf_release(&sr->piece);
	if (sr->src.release)
		sr->src.release(sr->src.ctx);
	free(sr);
}

/*
 * The first piece is made before the status line goes out, so an export that
 * cannot even start answers 500 rather than a 200 cut short.
 */
static struct MHD_Response *stream_response(struct resp *resp)
{
	struct stream_reader *sr = calloc(1, sizeof(*sr));
	struct MHD_Response *r;

	if (!sr)
		return NULL;
	sr->src = resp->stream;
	memset(&resp->stream, 0, sizeof(resp->stream)); /* the reader owns it now */
	buf_init(&sr->piece, RESP_TEXT_MAX);
	sr->more = sr->src.next(sr->src.ctx, &sr->piece);
	if (sr->more < 0 || sr->piece.failed) {
		stream_free(sr);
		resp_error(resp, GERR_INTERNAL, "Exporting the state failed.");
		resp_finish(resp);
		return NULL;
	}
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read,
	                                      sr, stream_free);
	if (!r)
		stream_free(sr);
	return r;
}

static enum MHD_Result respond(struct MHD_Connection *conn, struct exchange *ex)
{
	struct resp *resp = &ex->resp;
	struct MHD_Response *r = NULL;
	enum MHD_Result ok;

	if (resp->kind == RESP_STREAM && resp->stream.file)
		resp_stream_drain(resp); /* not through the admin thread: from memory */
	if (resp->kind == RESP_STREAM)
		r = stream_response(resp);
	if (!r && resp->kind == RESP_STREAM)
		return MHD_NO;
	if (!r) {
		r = MHD_create_response_from_buffer_with_free_callback(
		    resp->bytes_len, resp->bytes, &free);
		if (!r)
			return MHD_NO;
		resp->bytes = NULL; /* MHD frees it now */
	}
	add_graph_headers(r, ex);
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
		str_ipv4(
		    (const unsigned char *)&((const struct sockaddr_in *)ci->client_addr)
		        ->sin_addr.s_addr,
		    req->peer);
}

/*
 * Fill the request from libmicrohttpd. What cannot be kept (out of memory)
 * or parsed (a broken escape in the path or query) is answered here, before
 * the pipeline runs: a request is never served with a part missing.
 */
static void build_request(struct srv *srv, struct MHD_Connection *conn,
                          struct http_exchange *hx, const char *url, const char *method)
{
	struct req *req = &hx->ex.req;
	int qrc = hx->query ? req_add_query_string(req, hx->query) : 0;
	int prc = req_set_path(req, url);
	const char *crid;

	str_copy(req->method, sizeof(req->method), method);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, hx);
	crid = req_header(req, "client-request-id");
	if (crid && *crid)
		str_copy(req->client_request_id, sizeof(req->client_request_id), crid);
	req->now_ms = state_now_ms(&srv->state);
	set_peer(conn, req);
	set_base_url(srv, req);
	if (hx->spool) {
		if (fflush(hx->spool) || fseek(hx->spool, 0, SEEK_SET))
			hx->oom = true;
		req->body_file = hx->spool;
		req->body_len = hx->upload_len;
		hx->spool = NULL;
	} else if (hx->upload_len) {
		req_take_body(req, hx->upload, hx->upload_len);
		hx->upload = NULL;
	}
	if (!hx->oom && !hx->no_host && !prc && !qrc)
		return; /* exchange_run() ties the response to the request's ids */
	resp_init(&hx->ex.resp, req);
	if (hx->oom || qrc == REQ_DECODE_OOM || prc == REQ_DECODE_OOM)
		resp_error(&hx->ex.resp, GERR_INTERNAL, "Out of memory.");
	else if (hx->no_host)
		resp_error(&hx->ex.resp, GERR_BAD_REQUEST,
		           "The request hostname is invalid.");
	else if (prc)
		resp_error(&hx->ex.resp, GERR_BAD_REQUEST,
		           "Resource not found for the segment '%s'.", url);
	else if (qrc)
		resp_error(&hx->ex.resp, GERR_BAD_REQUEST,
		           "The query string contains an invalid percent-encoding.");
}

/* Past this many bytes an oversized body is not read just to answer 413. */
#define DRAIN_MAX ((unsigned long long)64 << 20)

/*
 * Should the 413 for a body declared over @max go out before the body is
 * read? Only when the client waits for it (Expect: 100-continue) or the body
 * is too big to drain: answering while a client is still sending makes the
 * kernel reset the connection when it closes, and the client then sees the
 * reset instead of the 413. Smaller bodies are read and dropped first.
 */
static bool answer_before_body(struct MHD_Connection *conn, size_t max)
{
	const char *cl =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
	char *end;
	unsigned long long n;

	if (!cl)
		return false;
	errno = 0;
	n = strtoull(cl, &end, 10);
	if (errno || end == cl || n <= max)
		return false;
	return (expect && !strcasecmp(expect, "100-continue")) || n > DRAIN_MAX;
}

/* The delivery thread's call once a waiting handler's checks are done. */
static void wake_connection(void *arg)
{
	MHD_resume_connection(arg);
}

/* Carry out what the pipeline asks: send, wait for injected latency, or drop. */
static enum MHD_Result act(struct srv *srv, struct MHD_Connection *conn,
                           struct http_exchange *hx, enum exchange_step step)
{
	struct exchange *ex = &hx->ex;

	switch (step) {
	case EXCHANGE_RESPOND:
		return respond(conn, ex);
	case EXCHANGE_DELAY: {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		int rc;

		hx->phase = PHASE_SLEEPING;
		MHD_suspend_connection(conn);
		rc = fault_sleeper_add(&srv->sleeper, conn, ci ? ci->connect_fd : -1,
		                       ex->fault.latency_ms, &hx->gone);
		if (rc == FAULT_SLEEPER_FULL)
			hx->phase = PHASE_REFUSED; /* answered when resumed, below */
		if (rc)
			MHD_resume_connection(conn);
		return MHD_YES;
	}
	case EXCHANGE_DROP:
		fault_conn_drop(conn, ex->fault.conn, &ex->resp, ex->fault.garbage_seed);
		hx->dropped = true;
		return MHD_NO;
	case EXCHANGE_WAIT:
		hx->phase = PHASE_WAITING;
		MHD_suspend_connection(conn);
		if (exchange_wait_start(srv, ex, wake_connection, conn))
			MHD_resume_connection(conn);
		return MHD_YES;
	case EXCHANGE_DEFER:
		hx->phase = PHASE_DEFERRED;
		MHD_suspend_connection(conn);
		if (!deferred_add(ex->tenant_busy ? &srv->busy_waiters
		                                  : &srv->admin_thread,
		                  conn, ex, &hx->deferred))
			return MHD_YES;
		/* No admin thread (stopping): run it here after all. */
		MHD_resume_connection(conn);
		hx->phase = PHASE_RESUMED;
		return act(srv, conn, hx, exchange_run_deferred(srv, ex));
	}
	return MHD_NO;
}

/* The admin thread is done: answer as it left things (a spooled export: from the file).
 */
static enum MHD_Result deferred_done(struct srv *srv, struct MHD_Connection *conn,
                                     struct http_exchange *hx)
{
	struct deferred_result *d = &hx->deferred;
	struct MHD_Response *r;
	enum MHD_Result ok;
	int fd;

	hx->phase = PHASE_RESUMED;
	if (d->step != EXCHANGE_RESPOND || !d->body)
		return act(srv, conn, hx, (enum exchange_step)d->step);
	/* MHD owns (and closes) its own descriptor; on_completed closes the FILE. */
	fd = dup(fileno(d->body));
	r = fd < 0 ? NULL : MHD_create_response_from_fd((uint64_t)d->len, fd);
	if (!r) {
		if (fd >= 0)
			close(fd);
		return MHD_NO;
	}
	add_graph_headers(r, &hx->ex);
	ok = MHD_queue_response(conn, hx->ex.resp.status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
	struct srv *srv = cls;
	struct http_exchange *hx = *req_cls;

	if (!hx)
		return MHD_NO; /* on_uri() ran out of memory */
	if (!hx->started) {
		hx->started = true;
		hx->no_host = !strcmp(version, MHD_HTTP_VERSION_1_1) &&
		              !MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
		/* only the admin plane takes a body of any size: the headers
		 * that say who may are looked up for it alone */
		if (!strncmp(url, "/_mock/", 7) &&
		    exchange_body_unbounded(
		        srv, method, url,
		        MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                    "X-Graphmock-Admin-Token"),
		        MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                    "Authorization"))) {
			hx->spool = tmpfile(); /* PUT /_mock/state: any size, on disk */
			if (!hx->spool)
				hx->oom = true;
			return MHD_YES;
		}
		if (!answer_before_body(conn, srv->cfg.max_body))
			return MHD_YES; /* upload_append() drops what is over the cap */
		hx->ex.too_large = true;
	} else if (hx->phase == PHASE_SLEEPING) {
		hx->phase = PHASE_RESUMED; /* the latency timer resumed us */
		if (atomic_load(&hx->gone)) {
			hx->dropped = true; /* journaled unanswered by on_completed */
			return MHD_NO;
		}
		return act(srv, conn, hx, exchange_resume(srv, &hx->ex));
	} else if (hx->phase == PHASE_WAITING) {
		hx->phase = PHASE_RESUMED; /* the webhook checks are done */
		return act(srv, conn, hx, exchange_continue(srv, &hx->ex));
	} else if (hx->phase == PHASE_DEFERRED) {
		return deferred_done(srv, conn, hx);
	} else if (hx->phase == PHASE_REFUSED) {
		hx->phase = PHASE_RESUMED;
		return act(srv, conn, hx, exchange_delay_refused(srv, &hx->ex));
	} else if (*upload_data_size) {
		if (upload_append(hx, upload_data, *upload_data_size, srv->cfg.max_body))
			hx->oom = true; /* answered once the upload is over */
		*upload_data_size = 0;
		return MHD_YES;
	}
	build_request(srv, conn, hx, url, method);
	return act(srv, conn, hx,
	           exchange_run(srv, &hx->ex,
	                        EXCHANGE_CAN_DELAY | EXCHANGE_CAN_DROP |
	                            EXCHANGE_CAN_WAIT | EXCHANGE_CAN_DEFER));
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct srv *srv = cls;
	struct http_exchange *hx = *req_cls;

	(void)conn;
	(void)toe;
	if (!hx)
		return;
	if (hx->ex.resp.status)
		srv_log_access(srv, &hx->ex.req, &hx->ex.resp,
		               monotonic_us() - hx->ex.started_us);
	exchange_journal_dropped(srv, &hx->ex); /* when no answer was sent */
	exchange_release(&hx->ex);
	if (hx->spool)
		fclose(hx->spool);
	if (hx->deferred.body)
		fclose(hx->deferred.body);
	state_free(hx->upload);
	state_free(hx->query);
	hx_free(hx);
	*req_cls = NULL;
}

/*
 * Bind a listening socket to numeric address @addr (IPv4, or IPv6 when it
 * holds a ':') and @port; the port bound goes to *@bound. Returns the socket,
 * -1 with errno set when socket() or bind() failed, or -2 when @addr is not a
 * numeric address. Binding ourselves lets "address in use" be reported with
 * errno, as users expect.
 */
static int bind_listener(const char *addr, unsigned port, unsigned *bound)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;
	int fd, saved;

	memset(&ss, 0, sizeof(ss));
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, addr, &a6->sin6_addr) != 1)
			return -2;
		len = sizeof(*a6);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, addr, &a4->sin_addr) != 1)
			return -2;
		len = sizeof(*a4);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 1024)) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	*bound = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                                        : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

/* bind_listener() for --listen ADDR: one address, as given. */
static int open_one(struct srv *srv)
{
	int fd = bind_listener(srv->cfg.listen, srv->cfg.port, &srv->port);

	if (fd == -2) {
		fprintf(stderr, "invalid listen address '%s'\n", srv->cfg.listen);
		return -1;
	}
	if (fd < 0) {
		fprintf(stderr, "bind to port '%u' failed: %s\n", srv->cfg.port,
		        strerror(errno));
		return -1;
	}
	srv->listen_fd = fd;
	if (strchr(srv->cfg.listen, ':'))
		snprintf(srv->addr, sizeof(srv->addr), "[%s]", srv->cfg.listen);
	else
		snprintf(srv->addr, sizeof(srv->addr), "%s", srv->cfg.listen);
	return 0;
}

/* Tries at finding a port free on both loopback addresses for --port 0. */
#define PAIR_TRIES 32

/*
 * Without --listen: 127.0.0.1 and ::1 on the same port, because clients
 * resolve "localhost" to either first (Node 18, Java, Go and .NET try ::1
 * and do not fall back). With --port 0 the port the kernel picks for
 * 127.0.0.1 may be taken on ::1: then pick again. A machine without an IPv6
 * loopback gets 127.0.0.1 alone, with a note.
 */
static int open_loopback_pair(struct srv *srv)
{
	unsigned port6;
	int fd4, fd6;

	for (int i = 0; i < PAIR_TRIES; i++) {
		fd4 = bind_listener("127.0.0.1", srv->cfg.port, &srv->port);
		if (fd4 < 0) {
			fprintf(stderr, "bind to port '%u' failed: %s\n", srv->cfg.port,
			        strerror(errno));
			return -1;
		}
		fd6 = bind_listener("::1", srv->port, &port6);
		if (fd6 < 0 && errno == EADDRINUSE && srv->cfg.port == 0) {
			close(fd4);
			continue;
		}
		if (fd6 < 0 && errno != EADDRNOTAVAIL && errno != EAFNOSUPPORT) {
			fprintf(stderr, "bind to port '%u' failed: %s\n", srv->port,
			        strerror(errno));
			close(fd4);
			return -1;
		}
		if (fd6 < 0 && !srv->cfg.quiet)
			fprintf(stderr,
			        "no IPv6 loopback (%s): listening on 127.0.0.1 only\n",
			        strerror(errno));
		srv->listen_fd = fd4;
		srv->listen_fd_v6 = fd6;
		snprintf(srv->addr, sizeof(srv->addr), "127.0.0.1");
		return 0;
	}
	fprintf(stderr,
	        "bind to port '0' failed: no port free on both 127.0.0.1 and ::1\n");
	return -1;
}

static struct MHD_Daemon *start_daemon(struct srv *srv, unsigned flags, int fd,
                                       struct MHD_OptionItem *tls)
{
	return MHD_start_daemon(
	    flags, 0, NULL, NULL, &on_request, srv, MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_THREAD_POOL_SIZE, srv->cfg.threads, MHD_OPTION_NOTIFY_COMPLETED,
	    &on_completed, srv, MHD_OPTION_URI_LOG_CALLBACK, &on_uri, srv,
	    MHD_OPTION_UNESCAPE_CALLBACK, &keep_escapes, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)4096, MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
}

static void close_listeners(struct srv *srv)
{
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	if (srv->listen_fd_v6 >= 0)
		close(srv->listen_fd_v6);
	srv->listen_fd = -1;
	srv->listen_fd_v6 = -1;
}

int srv_start(struct srv *srv)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO;
	struct MHD_OptionItem tls[3];
	int tls_flag = srv_tls_options(srv, tls);

	srv->listen_fd = -1;
	srv->listen_fd_v6 = -1;
	srv->daemon = NULL;
	srv->daemon_v6 = NULL;
	if (tls_flag < 0)
		return -1;
	flags |= (unsigned)tls_flag;
	if (srv->cfg.listen[0] ? open_one(srv) : open_loopback_pair(srv)) {
		srv_tls_release(srv);
		return -1;
	}
	if (fault_sleeper_start(&srv->sleeper, srv->cfg.max_delayed)) {
		fprintf(stderr, "starting the latency timer failed\n");
		goto out_close;
	}
	if (srv->admin_on_caller ? deferred_init(&srv->admin_thread, srv)
	                         : deferred_start(&srv->admin_thread, srv)) {
		fprintf(stderr, "starting the admin thread failed\n");
		fault_sleeper_stop(&srv->sleeper);
		goto out_close;
	}
	if (deferred_start(&srv->busy_waiters, srv)) {
		fprintf(stderr, "starting the busy-tenant thread failed\n");
		deferred_stop(&srv->admin_thread);
		fault_sleeper_stop(&srv->sleeper);
		goto out_close;
	}
	srv->daemon =
	    start_daemon(srv, strchr(srv->cfg.listen, ':') ? flags | MHD_USE_IPv6 : flags,
	                 srv->listen_fd, tls);
	if (srv->daemon && srv->listen_fd_v6 >= 0) {
		srv->daemon_v6 =
		    start_daemon(srv, flags | MHD_USE_IPv6, srv->listen_fd_v6, tls);
		if (!srv->daemon_v6) {
			MHD_stop_daemon(srv->daemon);
			srv->daemon = NULL;
		}
	}
	if (!srv->daemon) {
		fprintf(stderr, "starting the HTTP daemon on port '%u' failed\n",
		        srv->port);
		deferred_stop(&srv->admin_thread);
		deferred_stop(&srv->busy_waiters);
		fault_sleeper_stop(&srv->sleeper);
		goto out_close;
	}
	return 0;

out_close:
	close_listeners(srv);
	srv_tls_release(srv);
	return -1;
}

const char *srv_scheme(const struct srv *srv)
{
	return srv->cfg.tls_cert ? "https" : "http";
}

void srv_stop(struct srv *srv)
{
	/* Wake delayed and waiting requests first: libmicrohttpd must not stop with
	 * suspended ones. */
	fault_sleeper_stop(&srv->sleeper);
	deferred_stop(&srv->admin_thread); /* runs what it holds, then resumes it */
	deferred_stop(&srv->busy_waiters); /* after: they may wait for its locks */
	notify_stop(&srv->notify);
	if (srv->daemon_v6)
		MHD_stop_daemon(srv->daemon_v6);
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	srv->daemon_v6 = NULL;
	srv->daemon = NULL;
	close_listeners(srv);
	srv_tls_release(srv);
}
