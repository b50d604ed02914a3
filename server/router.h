/*
 * server/router.h - route tables and the dispatcher. A resource file in
 * routes/ declares one `const struct route x_routes[]`; routes/registry.c
 * lists the tables. The router runs every generic check before a handler:
 * version prefix, unknown segment (400), wrong method (405), body size and
 * JSON (400/413), OData options (400), tenant; then lock -> handler ->
 * render -> unlock.
 */
#ifndef GRAPHMOCK_SERVER_ROUTER_H
#define GRAPHMOCK_SERVER_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

struct state;
struct req;
struct resp;
struct odata_entity;

/* A handler returns 0, or -1 after it has called resp_error(). */
typedef int route_fn(struct state *st, const struct req *req, struct resp *resp);

enum route_flags {
	ROUTE_JSON_BODY = 1 << 0, /* body must be a JSON object; parsed into req->body */
	ROUTE_ODATA = 1 << 1,     /* parse OData options against .entity */
	ROUTE_NO_TENANT = 1 << 2, /* admin plane: no tenant is resolved */
	ROUTE_OPTIONAL_BODY = 1 << 3, /* with ROUTE_JSON_BODY: an empty body is allowed */
	ROUTE_APPID_KEY = 1 << 4,     /* first capture may be an (appId='...') key */
	/* $batch: srv_dispatch() runs batch_run() outside the state lock instead
	 * of .fn, which must still be set (and answers 500 if ever called) */
	ROUTE_BATCH = 1 << 5,
};

struct route {
	const char *method;  /* "GET", "POST", "PATCH", "PUT", "DELETE" */
	const char *pattern; /* "/users/{id}/memberOf"; literal segments match
	                        case-insensitively */
	route_fn *fn;
	unsigned flags;
	const struct odata_entity *entity; /* for ROUTE_ODATA */
};

/* Outcome of matching a request path against the tables. */
struct route_match {
	const struct route *route; /* NULL when nothing matched */
	bool method_mismatch;      /* the path exists, not with this method */
	size_t bad_segment;        /* index of the first unknown segment */
};

/*
 * router_match() - find the route for @method and @req's segments in the
 * NULL-terminated list of @tables, filling req->params on success. Literal
 * segments win over {captures} when both match.
 */
void router_match(const struct route *const *tables, const char *method, struct req *req,
                  struct route_match *m);

/* router_pattern_valid() - does @pattern parse (leading '/', no empty segment)? */
bool router_pattern_valid(const char *pattern);

/* router_allow() - the methods @req's path accepts, as "GET, POST", into @out. */
void router_allow(const struct route *const *tables, const struct req *req, char *out,
                  size_t len);

#endif
