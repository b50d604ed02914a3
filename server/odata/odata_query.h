/*
 * server/odata/odata_query.h - private to the OData engine: $search parsing and
 * matching (odata_search.c) and the opaque $skiptoken codec
 * (odata_respond.c), shared with odata_query.c. Routes use odata.h.
 */
#ifndef GRAPHMOCK_SERVER_ODATA_ODATA_QUERY_H
#define GRAPHMOCK_SERVER_ODATA_ODATA_QUERY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct odata_entity;
struct odata_err;
struct odata_search;
struct odata_members;

#define ODATA_MAX_TOP         999
#define ODATA_DEFAULT_TOP     100
#define ODATA_SEARCH_MAX_LEN  1024
#define ODATA_SEARCH_MAX_TERM 32 /* clauses in one $search */

/* Graph's text for a $skiptoken it cannot use (Request_BadRequest). */
#define ODATA_TOKEN_MSG                                                                  \
	"The specified page token value has expired and can no longer be included in "   \
	"your request."

/*
 * odata_search_parse() - parse `"prop:term" [OR|AND "prop:term"]...` against
 * @entity (AND binds tighter than OR). Returns: new search (free with
 * odata_search_free), or NULL with @err set.
 */
struct odata_search *odata_search_parse(const char *text,
                                        const struct odata_entity *entity,
                                        struct odata_err *err);
void odata_search_free(struct odata_search *s);

/* odata_search_members() - add the properties @s reads to @m. */
void odata_search_members(const struct odata_search *s, struct odata_members *m);

/* odata_search_eval() - tokenized, case-insensitive prefix match; NULL @s matches. */
bool odata_search_eval(const struct odata_search *s, const json_t *obj);

/*
 * odata_token_encode() - opaque URL-safe token for (@kind, @value) into @out
 * (at least ODATA_TOKEN_LEN + 1 bytes). odata_token_decode() returns 0, or -1
 * for anything it did not produce (tampered, truncated, other version).
 */
#define ODATA_TOKEN_LEN 24

/* How Graph's OData parser prefixes what it finds wrong in $select and $expand
 * ("Parsing OData Select and Expand failed: Could not find a property named
 * 'x' on type 'microsoft.graph.user'.": msgraph-sdk-powershell#2103, #2550;
 * microsoft-graph-docs-contrib#4529 for a $select-only request). */
#define ODATA_SELECT_EXPAND_FAILED "Parsing OData Select and Expand failed: "

/*
 * odata_select_parse() - the $select list at @v (@len bytes) against @e: each
 * item's declared spelling (or '*', or a dynamic name on an open entity) into
 * a new array *@out of new strings, count in *@nout. Unknown names are
 * Graph's 400. Returns 0, or -1 with @err set (*@out may hold what was
 * parsed so far: the caller frees it either way).
 */
int odata_select_parse(const struct odata_entity *e, const char *v, size_t len,
                       char ***out, size_t *nout, struct odata_err *err);

/*
 * odata_expand_parse() - $expand=@v into q->expand (odata_expand.c): items
 * against the entity's CSDL navigation properties, nested $select and
 * $levels, and Graph's limits for directory objects. Needs q->entity,
 * q->advanced, q->count and q->search already set. Returns 0 or -1 + @err.
 */
struct odata_query;
int odata_expand_parse(struct odata_query *q, const char *v, struct odata_err *err);

/* odata_expand_release() - free q->expand. */
void odata_expand_release(struct odata_query *q);
void odata_token_encode(int kind, uint64_t value, char *out);
int odata_token_decode(const char *token, int *kind, uint64_t *value);

/*
 * odata_cursor_encode() - the opaque ODATA_TOKEN_CURSOR token for the item
 * at (@key, @seq) of an ordered walk (key at most ODATA_CURSOR_KEY_MAX bytes,
 * longer ones cut). New string, or NULL on OOM. odata_cursor_decode() gives
 * them back (*@key new), or returns -1 for anything it did not produce.
 */
char *odata_cursor_encode(uint64_t seq, const char *key);
int odata_cursor_decode(const char *token, uint64_t *seq, char **key);

#endif
