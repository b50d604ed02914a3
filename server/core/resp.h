/*
 * server/core/resp.h - the response a handler builds: status, a JSON body (OData
 * success or Graph error envelope) or raw bytes, and extra headers. The
 * router renders it to bytes while the state lock is still held, so the body
 * may reference stored json_t values (json_object_set() increfs).
 */
#ifndef GRAPHMOCK_SERVER_CORE_RESP_H
#define GRAPHMOCK_SERVER_CORE_RESP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RESP_MAX_HEADERS 16
#define RESP_TEXT_MAX    ((size_t)1 << 30) /* largest body we render */

/* Content-Type of a 2xx JSON body from Graph (graph-spec §1.3). */
#define RESP_ODATA_CONTENT_TYPE                                                          \
	"application/json;odata.metadata=minimal;odata.streaming=true;"                  \
	"IEEE754Compatible=false;charset=utf-8"

struct req;

enum resp_kind {
	RESP_NONE,   /* nothing set yet */
	RESP_ODATA,  /* JSON body with the OData content type */
	RESP_JSON,   /* JSON body, plain application/json (errors, /_mock) */
	RESP_RAW,    /* raw bytes with the given content type (text/plain, html) */
	RESP_EMPTY,  /* no body, no Content-Type (204, 302) */
	RESP_STREAM, /* a body produced piece by piece after the handler (.stream) */
};

struct buf;

/*
 * A body too big to render at once (GET /_mock/state): the transport calls
 * @next for each piece, after the handler and its locks are gone, until it
 * returns 0; @release frees @ctx whatever happened.
 */
struct resp_stream {
	/* Append the next piece to @out: 1 more follows, 0 the end, -1 failed. */
	int (*next)(void *ctx, struct buf *out);
	void (*release)(void *ctx);
	void *ctx;
	/* Or the whole body written already: @file_len bytes of @file (owned,
	 * rewound), sent from it as it is (@next then NULL). */
	FILE *file;
	size_t file_len;
};

struct resp_header {
	char *name;
	char *value;
};

struct resp {
	unsigned status;
	enum resp_kind kind;
	json_t *body; /* RESP_ODATA / RESP_JSON: new reference owned by resp */
	/* RESP_ODATA written straight to JSON text instead of @body; owned. */
	char *text;
	size_t text_len;
	/*
	 * Set by srv_dispatch(): nothing but the rendered bytes will be read
	 * (no handler or test inspects @body), so the OData collection
	 * responder may write @text instead of building a json_t body.
	 */
	bool bytes_only;
	char *raw; /* RESP_RAW: owned bytes */
	size_t raw_len;
	char content_type[96];
	struct resp_stream stream; /* RESP_STREAM (owned) */
	struct resp_header headers[RESP_MAX_HEADERS];
	size_t nheaders;

	/* Copied from the request so the error helper can fill innerError. */
	char request_id[40];
	char client_request_id[128];
	int64_t now_ms; /* for innerError.date */

	/* The body rendered to bytes by the router (under the lock); owned. */
	char *bytes;
	size_t bytes_len;
	bool finished; /* resp_finish() ran: @bytes is final */
};

/* resp_init() - empty response tied to @req's ids (@req may be NULL in tests). */
void resp_init(struct resp *resp, const struct req *req);

/* resp_release() - free the body and headers (not the struct). */
void resp_release(struct resp *resp);

/* resp_odata() - @status with @body (steals) and Graph's OData content type. Returns 0.
 */
int resp_odata(struct resp *resp, unsigned status, json_t *body);

/*
 * resp_odata_text() - @status with @len bytes of JSON at @text (steals; a
 * malloc'ed NUL-terminated string) and Graph's OData content type. Returns 0.
 */
int resp_odata_text(struct resp *resp, unsigned status, char *text, size_t len);

/* resp_json() - @status with @body (steals) as plain application/json. Returns 0. */
int resp_json(struct resp *resp, unsigned status, json_t *body);

/* resp_raw() - @status with a copy of @len bytes of @data. Returns 0 (or -1 on OOM). */
int resp_raw(struct resp *resp, unsigned status, const char *content_type,
             const char *data, size_t len);

/* resp_empty() - @status with no body (204 No Content, redirects). Returns 0. */
int resp_empty(struct resp *resp, unsigned status);

/*
 * resp_stream() - @status with a body produced by @s (steals: @s->release
 * runs in any case) as @content_type. Returns 0.
 */
int resp_stream(struct resp *resp, unsigned status, const char *content_type,
                const struct resp_stream *s);

/*
 * resp_stream_drain() - for transports that send whole bodies ($batch, the
 * in-process tests): run a RESP_STREAM to its end into resp->bytes, or turn
 * it into a 500 when a piece fails. Anything else is left alone.
 */
void resp_stream_drain(struct resp *resp);

/*
 * resp_header() - add (or replace) header @name with a formatted value.
 * Returns 0, or -1 when the table is full.
 */
int resp_header(struct resp *resp, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* resp_header_get() - value of header @name set on @resp, or NULL. Borrowed. */
const char *resp_header_get(const struct resp *resp, const char *name);

/*
 * resp_render() - the body as bytes: malloc'ed, NUL-terminated, length in
 * @len; NULL with *len = 0 when there is no body. Call under the state lock
 * when the body may hold stored values.
 */
char *resp_render(const struct resp *resp, size_t *len);

/*
 * resp_finish() - render the body into resp->bytes (moving pre-rendered text
 * rather than copying it) and drop the json_t, so no stored value outlives
 * the state lock. Call under the lock when the body may hold stored values.
 * A body that cannot be rendered (over RESP_TEXT_MAX, out of memory) becomes
 * a 500: a success is never sent without its body. A stream stays a stream.
 * Only the first call renders; later ones do nothing.
 */
void resp_finish(struct resp *resp);

/* resp_content_type() - the Content-Type to send, or NULL for none. */
const char *resp_content_type(const struct resp *resp);

#endif
