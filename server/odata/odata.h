/*
 * server/odata/odata.h - the OData query engine every collection route shares:
 * $filter (recursive-descent parser + evaluator over stored json_t objects),
 * $select, $orderby, $top, $count, $search, $skiptoken, Graph's
 * advanced-query rules (graph-spec §4.5), and the collection / entity /
 * $count responders. What properties a type has, their EDM types and their
 * spelling come from Graph's CSDL (state/schema/); an entity adds what the
 * CSDL does not say: Graph's default property set and its query rules.
 */
#ifndef GRAPHMOCK_SERVER_ODATA_ODATA_H
#define GRAPHMOCK_SERVER_ODATA_ODATA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct req;
struct resp;
struct schema_type;
struct odata_expr;   /* parsed $filter, private to server/odata/odata_filter.c */
struct odata_search; /* parsed $search, private to server/odata/odata_search.c */

enum odata_type {
	ODATA_STRING,
	ODATA_BOOL,
	ODATA_INT,
	ODATA_DATETIME, /* stored as "2024-05-01T10:22:31Z" strings */
	ODATA_GUID,     /* stored as lower-case strings; unquoted literals allowed */
	ODATA_STRING_COLLECTION,
	ODATA_OBJECT,
	ODATA_OBJECT_COLLECTION,
};

enum odata_prop_flags {
	OP_DEFAULT = 1 << 0,    /* returned without $select */
	OP_FILTER = 1 << 1,     /* eq, in (and any() on collections) by default */
	OP_STARTSWITH = 1 << 2, /* startswith() by default */
	OP_RANGE = 1 << 3,      /* ge/le/gt/lt by default */
	OP_ADVANCED = 1 << 4,   /* any filter on it needs advanced query params */
	OP_ENDSWITH = 1 << 5,   /* endswith() allowed (always an advanced query) */
	OP_ORDERBY = 1 << 6,    /* $orderby allowed */
	OP_SEARCH = 1 << 7,     /* $search="prop:token" allowed */
	OP_HIDDEN = 1 << 8,     /* stored but never returned (passwordProfile) */
	OP_CONTAINS = 1 << 9,   /* contains() allowed (applicationTemplates) */
	/* With OP_ORDERBY on OE_DIRECTORY: $orderby needs advanced params
	 * (users createdDateTime, servicePrincipals displayName). */
	OP_ORDERBY_ADVANCED = 1 << 10,
	/* Served on a single entity only: $select of it on a list is Graph's 501
	 * (aboutMe, birthday, ... mailboxSettings on users; graph-spec §4.1). */
	OP_SINGLE = 1 << 11,
};

struct odata_prop {
	const char *name;
	enum odata_type type;
	unsigned flags;
};

enum odata_entity_flags {
	/*
	 * Directory objects follow Graph's advanced-query rules: ne, not,
	 * endswith, $search, $filter+$orderby and /$count need
	 * ConsistencyLevel: eventual (+ $count=true where Graph says so).
	 * Without this flag every supported operator simply works.
	 */
	OE_DIRECTORY = 1 << 0,
	/* Mixed-type collections (directoryObjects): $select names are not checked. */
	OE_OPEN = 1 << 1,
	/* $skip is honoured (applicationTemplates); elsewhere it is rejected. */
	OE_SKIP = 1 << 2,
};

/*
 * An entity is static data: rendering remembers an entity's default set by its
 * address across answers (odata_project.c), so never render with one built
 * on the stack or changed after use.
 */
struct odata_entity {
	const char *set;                /* entity set name: "users" */
	const char *type_name;          /* for messages: "User" */
	const char *odata_type;         /* "#microsoft.graph.user" */
	unsigned flags;                 /* enum odata_entity_flags */
	const struct odata_prop *props; /* terminated by { 0 } */
	/*
	 * Graph's CSDL type (SCHEMA_TYPE(user)): every property $select may
	 * name and how an absent one is written (null, or [] for a
	 * collection). @props then lists only what the CSDL does not say (the
	 * default set, the query rules, secrets, single-entity-only ones),
	 * each name declared by the type. NULL: @props is the whole schema
	 * (the engine's own tests).
	 */
	const struct schema_type *type;
};

struct odata_orderby {
	char *prop;
	bool desc;
};

#define ODATA_LEVELS_MAX (-1) /* $levels=max */

/* One $expand item, parsed against the entity's CSDL type. */
struct odata_expand {
	const struct schema_property
	    *nav;      /* the navigation property (borrowed, static) */
	char **select; /* nested $select, declared names; NULL: default */
	size_t nselect;
	int levels; /* $levels: 0 not given, n, or ODATA_LEVELS_MAX */
};

struct odata_query {
	int top;       /* 0 = not given */
	int skip;      /* 0 = not given */
	bool count;    /* $count=true (only honoured with advanced) */
	bool advanced; /* ConsistencyLevel: eventual was sent */
	char **select; /* NULL = default property set */
	size_t nselect;
	struct odata_expr *filter; /* NULL = none */
	struct odata_orderby *orderby;
	size_t norderby;
	char *search;                      /* raw $search value, validated; NULL = none */
	char *skiptoken;                   /* raw $skiptoken, validated; NULL = none */
	const struct odata_entity *entity; /* the schema it was validated against */
	struct odata_search *search_expr;  /* parsed $search; NULL = none */
	/* Decoded $skiptoken: ODATA_TOKEN_SEQ (last seq returned, default order),
	 * ODATA_TOKEN_OFFSET (index into the ordered matches) or
	 * ODATA_TOKEN_CURSOR (the last item's sort key and seq, for pages walked
	 * from an ordered index); 0 = none. */
	int token_kind;
	uint64_t token_value;
	struct odata_expand *expand; /* $expand items; NULL = none */
	size_t nexpand;
	char *token_key; /* ODATA_TOKEN_CURSOR: the sort key, lower case (owned) */
};

/* Outer page size with $expand, whatever $top says (microsoft-graph-docs#21506);
 * routes that walk their own pages cap them alike. */
#define ODATA_EXPAND_MAX_PAGE 100

#define ODATA_TOKEN_SEQ      1
#define ODATA_TOKEN_OFFSET   2
#define ODATA_TOKEN_CURSOR   3
#define ODATA_CURSOR_KEY_MAX 512 /* longest sort key a cursor carries */

/*
 * What names a stored object's properties for the render cache
 * (odata_rcache.h): the same @key and @gen always stand for the same
 * properties, so the text of its default set written once may be written
 * again. The route vouches for that (a store object and its tenant's
 * generation, state_tenant_gen()). @gen 0: nothing cached ({NULL, 0}).
 */
struct odata_tag {
	const void *key;
	uint64_t gen;
};

/* One candidate of a collection, handed to odata_respond_collection(). */
struct odata_item {
	const json_t *obj;                 /* borrowed stored object (all properties) */
	const struct odata_entity *entity; /* its type: projection, @odata.type */
	uint64_t seq;                      /* insertion sequence: default order, paging */
	/* NULL, or a reference dropped with the item (odata_items_free): @obj
	 * parsed for this answer only, a stored object kept as text in a big
	 * tenant (state/frozen.h) that the answer must not leave parsed. */
	json_t *hold;
	struct odata_tag tag; /* {NULL, 0}: render it every time */
};

/* Items of an expanded collection Graph shows (graph-spec §4.5): a route
 * may hand the engine only the first ones. */
#define ODATA_EXPAND_CAP 20

/*
 * The top-level properties a query reads of each object ($filter, $search,
 * $orderby, and "id"): a route whose objects are kept as text parses only
 * these to filter, count and sort, and whole objects only for the page.
 */
#define ODATA_MEMBERS_MAX 16
struct odata_members {
	const char *name[ODATA_MEMBERS_MAX + 1]; /* NULL-terminated; borrowed from @q */
	size_t n;
	bool all; /* more than fit, or the query reads what it cannot name */
};

/* odata_query_members() - those of @q (NULL: just "id"). */
void odata_query_members(const struct odata_query *q, struct odata_members *m);

/* odata_items_free() - drop @items' holds and free the array (NULL is fine). */
void odata_items_free(struct odata_item *items, size_t n);

/* The objects one navigation property of one item relates to, from a route. */
struct odata_related {
	struct odata_item *items; /* new array (the engine frees it with
	                             odata_items_free()); NULL when n == 0 */
	size_t n;                 /* in the order Graph lists them */
};

/*
 * odata_related_fn - a route's answer to "what does @item's @nav point at?"
 * for $expand: fill @out (zeroed by the caller). A single-valued property
 * (manager) gives at most one item. Returns 0, or -1 out of memory.
 * Called under the state lock, while the response is rendered.
 */
typedef int odata_related_fn(void *ctx, const struct odata_item *item,
                             const struct schema_property *nav,
                             struct odata_related *out);

/* How the engine reaches a route's related objects. */
struct odata_expander {
	odata_related_fn *related;
	void *ctx;
};

struct odata_list_opts {
	/* Text after "$metadata#": "users", "directoryObjects",
	 * "servicePrincipals('<id>')/appRoleAssignedTo". */
	const char *context;
	bool type_annotations; /* "@odata.type" on every item (directoryObjects) */
	int default_top;       /* page size without $top; 0 means 100 */
	int max_top;           /* largest $top; 0 means 999 */
	/* Resolves $expand; NULL renders every expanded collection empty. */
	const struct odata_expander *expander;
};

/*
 * odata_query_parse() - parse and validate every system query option of
 * @req against @entity into @q (which it initialises). Syntax errors, unknown
 * properties, unsupported operators, $top out of range and advanced-only
 * constructs without ConsistencyLevel produce Graph's exact 400 on @resp.
 * Returns 0, or -1 after resp_error() (q is then released already).
 */
int odata_query_parse(struct odata_query *q, const struct odata_entity *entity,
                      const struct req *req, struct resp *resp);

/* odata_query_release() - free what odata_query_parse() allocated. */
void odata_query_release(struct odata_query *q);

/* odata_filter_match() - does @obj satisfy the query's $filter and $search? */
bool odata_query_match(const struct odata_query *q, const json_t *obj);

/*
 * odata_select_single_only() - does @q's $select name a property @entity
 * serves on a single entity only (OP_SINGLE)? A list answers it with 501.
 */
bool odata_select_single_only(const struct odata_query *q,
                              const struct odata_entity *entity);

/*
 * odata_filter_eq_value() - if the $filter is `@prop eq 'v'` (alone or as one
 * conjunct of a top-level `and`), the literal v; else NULL. Lets routes use an
 * index instead of a scan. Borrowed from q.
 */
const char *odata_filter_eq_value(const struct odata_query *q, const char *prop);

/*
 * odata_filter_key_values() - if the $filter is `@prop eq 'v'` or `@prop in
 * ('v1', 'v2', ...)` of strings or GUIDs (alone or as one conjunct of a
 * top-level `and`), its values, at most @max of them, in @out (borrowed
 * from q); else (or when there are more) 0. `id in (...)` is how clients
 * look up many objects at once: an index answers it.
 */
size_t odata_filter_key_values(const struct odata_query *q, const char *prop,
                               const char **out, size_t max);

#define ODATA_FILTER_IN_MAX 256 /* values in one `in (...)` list */

/*
 * odata_filter_startswith_value() - if the $filter is `startswith(@prop, 'v')`
 * (alone or one conjunct of a top-level `and`), the literal v; else NULL.
 * Lets routes walk an ordered index from v. Borrowed from q.
 */
const char *odata_filter_startswith_value(const struct odata_query *q, const char *prop);

/*
 * odata_project() - a new object holding @obj's $select-ed properties, or
 * the entity's default set; hidden properties never. With @type_annotation,
 * "@odata.type" comes first. Returns: new reference (NULL on OOM).
 */
json_t *odata_project(const struct odata_query *q, const struct odata_entity *entity,
                      const json_t *obj, bool type_annotation);

/*
 * odata_respond_collection() - filter, search, order, count, page and project
 * @items, then set @resp to 200 with {"@odata.context", ["@odata.count"],
 * ["@odata.nextLink"], "value"}. The nextLink is absolute on req->base_url,
 * repeats the request's query options and carries an opaque $skiptoken.
 * Returns 0, or -1 after resp_error() (bad $skiptoken, OOM).
 */
int odata_respond_collection(const struct odata_query *q, const struct req *req,
                             struct resp *resp, const struct odata_item *items, size_t n,
                             const struct odata_list_opts *opts);

/* One entity to answer: its object, its type, and how to expand it. */
struct odata_one {
	const struct odata_entity *entity;
	const json_t *obj;                     /* borrowed stored object */
	const char *context;                   /* after "$metadata#"; NULL: entity->set */
	bool type_annotation;                  /* "@odata.type" after "@odata.context" */
	const struct odata_expander *expander; /* NULL: expanded collections empty */
	struct odata_tag tag;                  /* {NULL, 0}: render it every time */
};

/* A collection's page, picked before it is answered. */
struct odata_pick {
	size_t *idx; /* the matches in order: @items indexes (owned) */
	size_t m;    /* how many match */
	size_t from; /* the page is idx[from..to) */
	size_t to;
};

/*
 * odata_collection_pick() / odata_collection_answer() -
 * odata_respond_collection() in two steps, for a route whose items carry only
 * what the query reads (odata_query_members()): it replaces the page's items,
 * @items[@pick->idx[from..to)], by whole objects between the two. The pick
 * returns 0, or -1 after resp_error(); the answer returns 0 or -1 and frees
 * what the pick made, and must follow a pick that returned 0.
 */
int odata_collection_pick(const struct odata_query *q, struct resp *resp,
                          const struct odata_item *items, size_t n,
                          const struct odata_list_opts *opts, struct odata_pick *pick);
int odata_collection_answer(const struct odata_query *q, const struct req *req,
                            struct resp *resp, const struct odata_item *items,
                            const struct odata_list_opts *opts, struct odata_pick *pick);

/* Where the page after a walked one starts (odata_respond_walked). */
struct odata_cursor {
	uint64_t seq;    /* the last item's seq */
	const char *key; /* its sort key (lower case) when the order has one, else NULL */
};

/*
 * odata_respond_walked() - the page @items[0..n) (already filtered, ordered
 * and cut to the page size by a route walking an ordered index) as
 * odata_respond_collection() answers it, with an @odata.nextLink to @next
 * when more follows (NULL: the last page). A cursor with a key becomes an
 * ODATA_TOKEN_CURSOR $skiptoken, one without an ODATA_TOKEN_SEQ one.
 * @count: every match of the whole walk, for "@odata.count" (the route
 * counted them; NULL when $count was not asked for). Returns 0, or -1
 * after resp_error().
 */
int odata_respond_walked(const struct odata_query *q, const struct req *req,
                         struct resp *resp, const struct odata_item *items, size_t n,
                         const struct odata_cursor *next, const size_t *count,
                         const struct odata_list_opts *opts);

/*
 * odata_respond_one() - set @resp to @status with the projection of @one's
 * object and "@odata.context": "<base>/<version>/$metadata#<ctx>[(<select>)]/$entity".
 * Single-entity-only properties are served. Under the pipeline
 * (resp->bytes_only) the body is written as text at once and resp->body
 * stays NULL; otherwise it is a json_t. Returns 0 or -1.
 */
int odata_respond_one(const struct odata_query *q, const struct req *req,
                      struct resp *resp, unsigned status, const struct odata_one *one);

/* odata_respond_entity() - odata_respond_one() without annotation or expander. */
int odata_respond_entity(const struct odata_query *q, const struct req *req,
                         struct resp *resp, unsigned status,
                         const struct odata_entity *entity, const json_t *obj,
                         const char *context);

/* odata_respond_entity_json() - the same, always as a json_t resp->body. */
int odata_respond_entity_json(const struct odata_query *q, const struct req *req,
                              struct resp *resp, unsigned status,
                              const struct odata_entity *entity, const json_t *obj,
                              const char *context);

/*
 * odata_respond_count() - /$count: without ConsistencyLevel: eventual the 400
 * "$count is not currently supported."; else 200 text/plain with the number
 * of @items that match the query's $filter/$search. Returns 0 or -1.
 */
int odata_respond_count(const struct odata_query *q, const struct req *req,
                        struct resp *resp, const struct odata_item *items, size_t n);

/*
 * odata_respond_number() - the same answer for @m matches a route counted
 * itself (walking an index, parsing nothing it need not).
 */
int odata_respond_number(const struct odata_query *q, const struct req *req,
                         struct resp *resp, size_t m);

/*
 * odata_edm_type() - the CSDL type name of @type ("Edm.String",
 * "Collection(Edm.String)", "microsoft.graph.complexType" for objects), as
 * $metadata declares it and as $filter type errors name it.
 */
const char *odata_edm_type(enum odata_type type);

/*
 * odata_metadata_none() - did the client ask for no control information
 * (Accept: application/json;odata.metadata=none)? Then answers carry no
 * @odata.context, @odata.type, @odata.id... but keep @odata.nextLink and
 * @odata.count (OData JSON Format 4.01 §3.1.3; the CLI for Microsoft 365
 * sends it, pnp/cli-microsoft365#3825).
 */
bool odata_metadata_none(const struct req *req);

/*
 * odata_strip_metadata() - remove that control information from @body
 * (modified in place, recursively): for routes that build a body themselves.
 */
void odata_strip_metadata(json_t *body);

/*
 * odata_respond_body() - @status with a body a route built itself (steals
 * @body; NULL answers 500), its control information stripped when the client
 * asked for odata.metadata=none. Returns 0, or -1 after resp_error().
 */
int odata_respond_body(const struct req *req, struct resp *resp, unsigned status,
                       json_t *body);

/*
 * odata_resource_units() - what @req costs against Entra ID's throttling
 * budget, the value of Graph's x-ms-resource-unit header: the base cost of
 * its path (GET users 2, groups/{id}/members 3, transitiveMembers 5,
 * directoryObjects/getByIds 5, users/{id}/checkMemberGroups 4 ..., any
 * other 1), then $select -1, $expand +1, $top below 20 -1, at least 1.
 */
int odata_resource_units(const struct req *req);

/* odata_entity_prop() - the schema entry for @name (case-insensitive), or NULL. */
const struct odata_prop *odata_entity_prop(const struct odata_entity *entity,
                                           const char *name);

/*
 * odata_render_check - GRAPHMOCK_RENDER_CHECK=1 (set by main, and by the
 * tests): every answer the render cache could give is written afresh and
 * compared with it, and a difference aborts with both on stderr: a route
 * that changed an object without its tenant's generation moving on.
 */
extern bool odata_render_check;

#endif
