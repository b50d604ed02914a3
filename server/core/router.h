/*
 * server/core/router.h - route tables and matching. A resource file in routes/
 * declares one `const struct route x_routes[]`; routes/registry.c lists the
 * tables. Each row says everything the pipeline (server/exchange.c) checks
 * before its handler runs, as redis keeps a command's flags in its table
 * row: the body and OData options it takes, the state it touches (hence the
 * locks), and the Graph permissions that grant it.
 */
#ifndef GRAPHMOCK_SERVER_CORE_ROUTER_H
#define GRAPHMOCK_SERVER_CORE_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

struct call;
struct req;
struct odata_entity;

/* A handler returns 0, or -1 after it has called resp_error() (server/core/call.h). */
typedef int route_fn(struct call *c);

enum route_flags {
	ROUTE_JSON_BODY = 1 << 0, /* body must be a JSON object; parsed into req->body */
	ROUTE_ODATA = 1 << 1,     /* parse OData options against .entity */
	ROUTE_OPTIONAL_BODY = 1 << 2, /* with ROUTE_JSON_BODY: an empty body is allowed */
	ROUTE_APPID_KEY = 1 << 3,     /* first capture may be an (appId='...') key */
	/*
	 * What the handler touches of the state, hence the locks. Without any of
	 * these, the route acts on the request's tenant: the registry is held
	 * shared and the tenant's lock around handler and rendering.
	 */
	ROUTE_STATE_NONE = 1 << 4,   /* nothing: no lock, no tenant */
	ROUTE_STATE_SHARED = 1 << 5, /* registry shared; the handler finds and locks
	                                tenants itself (call_lock_tenant) */
	ROUTE_STATE_ALL = 1 << 6,    /* registry exclusive: may replace tenants */
	/*
	 * With ROUTE_JSON_BODY on a /_mock route: a body of any size, not bound by
	 * --max-body. The transport spools it to a temp file (req->body_file) and
	 * the pipeline parses it from there as a state document, its users kept
	 * as text (state/load/fixture_read.h): PUT /_mock/state.
	 */
	ROUTE_LARGE_BODY = 1 << 7,
	/*
	 * A long admin operation (reset, tenant create/reset/delete, state
	 * export and import): over HTTP its handler runs on graphmock's admin
	 * thread, the connection suspended meanwhile, so the other connections a
	 * worker thread serves never wait for it (server/http/deferred.c).
	 */
	ROUTE_BACKGROUND = 1 << 8,
};

/* How a Graph route's permissions are checked under --auth jwt (graph-spec §10.2). */
enum perm_kind {
	PERM_NONE,  /* no permission at all ($metadata) */
	PERM_TOKEN, /* any token carrying roles or scp */
	PERM_LIST,  /* one entry of .app (roles) or of .delegated (scp) */
};

/*
 * The Graph permissions that grant a route, as Microsoft's API page lists them:
 * .app for application permissions, checked against an app-only token's
 * `roles`; .delegated for delegated permissions (work or school accounts),
 * checked against a delegated token's `scp`. Each is a NULL-terminated list,
 * least privileged first, whose entries are each one way to be granted the
 * route: a permission ("User.Read.All"), or permissions needed together joined
 * by '+' ("User.Read.All+GroupMember.Read.All", the pages' "X and Y"). A NULL
 * list: no permission of that type grants the route (the page's "Not
 * supported."). The first entry is the least privileged way.
 */
struct route_perms {
	enum perm_kind kind;
	const char *const *app;
	const char *const *delegated;
};

/* The two sets that are not lists: no permission at all, any token with roles or scp. */
extern const struct route_perms route_perms_none;
extern const struct route_perms route_perms_any_token;

/*
 * One row. Rows are written with positional initializers and every field
 * given, so -Wmissing-field-initializers (-Wextra) refuses a row without its
 * permissions: Graph routes name their struct route_perms, routes outside
 * Graph (/_mock, login) write NULL.
 */
struct route {
	const char *method;  /* "GET", "POST", "PATCH", "PUT", "DELETE" */
	const char *pattern; /* "/users/{id}/memberOf"; literal segments match
	                        case-insensitively */
	route_fn *fn;
	unsigned flags;
	const struct odata_entity *entity; /* for ROUTE_ODATA */
	const struct route_perms *perms;   /* Graph routes: required; else NULL */
};

/* A set of NULL-terminated lists of tables: Graph's (version-less) and the root's. */
struct route_set {
	const struct route *const *graph;
	const struct route *const *root;
};

/* Outcome of matching a request path against the tables. */
struct route_match {
	const struct route *route; /* NULL when nothing matched */
	bool method_mismatch;      /* the path exists, not with this method */
	size_t bad_segment;        /* index of the first unknown segment (req->nsegs
	                              when some row matches the path) */
};

/*
 * router_match() - find the route for @method and @req's segments in the
 * NULL-terminated list of @tables, filling req->params on success. Literal
 * segments win over {captures} when both match.
 */
void router_match(const struct route *const *tables, const char *method, struct req *req,
                  struct route_match *m);

/*
 * A route index over a NULL-terminated list of tables: the rows bucketed by
 * their first literal segment (case-insensitively), each bucket also holding
 * the rows whose first segment is a {capture}, all in table order, so a
 * request tries only the rows that can match it. router_index_match() gives
 * exactly what router_match() gives over the same tables (the rows it skips
 * can neither match nor reach a depth above 0). Read-only once built, so
 * any number of threads may match against it.
 */
#define ROUTER_DEPTHS 16 /* rows of up to this many segments are also kept by count */

struct router_bucket {
	const char *key; /* the first segment, borrowed from a pattern (not NUL-ended) */
	size_t keylen;
	const struct route **rows; /* the key's rows and the capture rows, in order */
	size_t nrows;
	/*
	 * The same rows stably sorted by their number of segments: a request of
	 * n segments can only be answered (matched, or 405) by
	 * exact[from[n] .. from[n + 1]); the full list is walked only to find
	 * the first unknown segment of a path nothing matches.
	 */
	const struct route **exact;
	size_t from[ROUTER_DEPTHS + 2];
};

struct router_index {
	struct router_bucket *buckets; /* sorted by key, ASCII case folded */
	size_t nbuckets;
	struct router_bucket wild; /* rows whose first segment is a {capture} */
	const struct route **root; /* "/" rows: the version root itself */
	size_t nroot;
	const struct route **store; /* the one allocation behind every row list */
};

/* router_index_init() - index @tables (borrowed; must outlive @ix). 0, or -1 (memory). */
int router_index_init(struct router_index *ix, const struct route *const *tables);

/* router_index_release() - free what router_index_init() allocated. */
void router_index_release(struct router_index *ix);

/* router_index_match() - router_match() over the tables @ix indexes. */
void router_index_match(const struct router_index *ix, const char *method,
                        struct req *req, struct route_match *m);

/* router_pattern_valid() - does @pattern parse (leading '/', no empty segment)? */
bool router_pattern_valid(const char *pattern);

/* router_allow() - the methods @req's path accepts, as "GET, POST", into @out. */
void router_allow(const struct route *const *tables, const struct req *req, char *out,
                  size_t len);

#endif
