/*
 * server/core/req.h - one HTTP request as handlers see it: decoded path segments,
 * {id} captures, decoded query options, headers, the parsed JSON body.
 * Built by server/http/http.c from libmicrohttpd; unit tests build one by hand
 * with req_init() and the req_set_*() helpers, no socket needed.
 */
#ifndef GRAPHMOCK_SERVER_CORE_REQ_H
#define GRAPHMOCK_SERVER_CORE_REQ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define REQ_MAX_SEGMENTS 32
#define REQ_MAX_PARAMS   4
#define REQ_GUID_LEN     36

/* One decoded name/value pair (query option or header); both strings are owned. */
struct req_kv {
	char *name;
	char *value;
};

struct req {
	char method[16];

	/*
	 * Path below the version prefix, split into percent-decoded segments
	 * ("/v1.0/users/a%23b" -> {"users", "a#b"}). Key-as-segment forms are
	 * split too: "servicePrincipals(appId='x')" -> {"servicePrincipals", "x"}
	 * with alt_key "appId" recorded for the capture of "x".
	 */
	char *segs[REQ_MAX_SEGMENTS];
	const char *seg_alt_key[REQ_MAX_SEGMENTS]; /* "appId" or NULL (static) */
	size_t nsegs;
	char *path;      /* raw path as received, e.g. "/v1.0/users" (owned) */
	char version[8]; /* "v1.0", "beta", or "" for /_mock and others */

	/* {id} captures of the matched route, borrowed from segs[]. */
	const char *params[REQ_MAX_PARAMS];
	const char *param_alt_key[REQ_MAX_PARAMS]; /* "appId" or NULL */
	size_t nparams;

	struct req_kv *query; /* decoded query options, in order received */
	size_t nquery;
	struct req_kv *headers; /* names lower-cased */
	size_t nheaders;

	char *raw_body; /* NUL-terminated upload, NULL if none (owned) */
	size_t body_len;
	/* A ROUTE_LARGE_BODY upload spooled to a temp file instead (owned,
	 * rewound; raw_body then NULL, body_len its size). */
	FILE *body_file;
	json_t *body; /* parsed when the route has ROUTE_JSON_BODY (new ref) */

	/*
	 * The payload of the bearer JWT, decoded once by the pipeline and NOT
	 * verified (auth_check() verifies the signature with --auth jwt); NULL
	 * without a decodable bearer token. New reference.
	 */
	json_t *claims;

	/* "http://127.0.0.1:8080": --public-url, else scheme + Host header. */
	char base_url[256];
	char request_id[REQ_GUID_LEN + 1];
	char client_request_id[128];
	char peer[64];  /* the client's IP address as text; "" when unknown (tests) */
	int64_t now_ms; /* mock-clock time when the request arrived */
};

/* req_init() - zero a request and give it fresh request ids. */
void req_init(struct req *req);

/* req_release() - free everything the request owns (not the struct). */
void req_release(struct req *req);

/*
 * req_query() - value of query option @name, or NULL.
 * "$filter" also matches "%24filter"-style keys (decoded before storage) and
 * is matched case-sensitively, as OData system query options are.
 * Returns: borrowed.
 */
const char *req_query(const struct req *req, const char *name);

/*
 * req_option_named() - is query name @name OData system query option
 * @option ("$top")? Case-insensitively, and on /beta also without its "$":
 * "On the beta endpoint, the $ prefix is optional" (Graph's query-parameters
 * doc; on v1.0 only some APIs take it, not the directory's).
 */
bool req_option_named(const struct req *req, const char *name, const char *option);

/* req_option() - value of system query option @option as above, or NULL. */
const char *req_option(const struct req *req, const char *option);

/* req_header() - value of header @name (case-insensitive), or NULL. Borrowed. */
const char *req_header(const struct req *req, const char *name);

/*
 * Builders, used by the transports and by unit tests. Each copies its input
 * and returns 0, or -1 when out of memory (the request must then fail, not
 * go on without the part). Allocation goes through state/util/alloc.h, so
 * tests can fail it.
 */
int req_add_query(struct req *req, const char *name, const char *value);
int req_add_header(struct req *req, const char *name, const char *value);
int req_set_body(struct req *req, const char *data, size_t len);

/*
 * req_take_body() - the body is @len bytes at @data (steals; allocated with
 * state_malloc/realloc and one byte longer, for the NUL written here).
 */
void req_take_body(struct req *req, char *data, size_t len);

/* Why decoding failed: a broken escape (the client's fault) or memory. */
enum req_decode {
	REQ_DECODE_OK,
	REQ_DECODE_BAD, /* a broken %XX escape or an encoded NUL */
	REQ_DECODE_OOM,
};

/*
 * req_add_query_string() - decode and add the options of query string @q
 * ("a=b&c=d", no leading '?'). Returns REQ_DECODE_OK (0) or why not; on
 * failure some options may have been added.
 */
int req_add_query_string(struct req *req, const char *q);

/*
 * req_set_path() - store @path and split it into decoded segments, stripping
 * one leading "/v1.0" or "/beta". Returns REQ_DECODE_OK (0), REQ_DECODE_BAD
 * (too many segments, an invalid percent escape) or REQ_DECODE_OOM.
 */
int req_set_path(struct req *req, const char *path);

/*
 * req_percent_decode_into() - decode the %XX escapes of @len bytes at @s
 * into *@out (new string; NULL on failure). Returns why it failed, or 0.
 */
enum req_decode req_percent_decode_into(const char *s, size_t len, char **out);

/* req_percent_decode() - the same; NULL for a broken escape, an encoded NUL, or OOM. */
char *req_percent_decode(const char *s, size_t len);

/*
 * req_insert_segment() - put a copy of @value before segment @at (what
 * /me becomes: "/me/<signed-in user's id>/..."). 0, or -1 when the path
 * is already at REQ_MAX_SEGMENTS or on OOM (nothing changed).
 */
int req_insert_segment(struct req *req, size_t at, const char *value);

/* req_param() - capture @i of the matched route, or NULL. Borrowed. */
const char *req_param(const struct req *req, size_t i);

/*
 * req_graph_audience() - is @aud a token audience Graph accepts: Graph's URI
 * or app id, or graphmock's own base URL for @req (with or without '/')?
 */
bool req_graph_audience(const struct req *req, const char *aud);

/* req_is_advanced() - true when ConsistencyLevel: eventual was sent. */
bool req_is_advanced(const struct req *req);

#endif
