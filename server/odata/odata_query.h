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

/* odata_search_eval() - tokenized, case-insensitive prefix match; NULL @s matches. */
bool odata_search_eval(const struct odata_search *s, const json_t *obj);

/*
 * odata_token_encode() - opaque URL-safe token for (@kind, @value) into @out
 * (at least ODATA_TOKEN_LEN + 1 bytes). odata_token_decode() returns 0, or -1
 * for anything it did not produce (tampered, truncated, other version).
 */
#define ODATA_TOKEN_LEN 24
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
