/*
 * routes/graph/listing.h - what every collection route does once it knows its
 * candidates: answer them as the collection (the OData engine filters, sorts,
 * counts, pages and projects) or as its /$count.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_LISTING_H
#define GRAPHMOCK_ROUTES_GRAPH_LISTING_H

#include <stddef.h>

#include "../../server/odata/odata.h"
#include "../../state/state.h"

struct call;
struct req;
struct resp;

/*
 * A route's candidates: a new array (odata_items_free()) of *@n items
 * borrowed from state, or NULL when out of memory. Called under the state lock.
 */
typedef struct odata_item *listing_fn(struct call *c, size_t *n);

/*
 * listing_respond() - @collect's items as the collection @opts describes, or,
 * when @opts is NULL, as /$count. Returns 0, or -1 after resp_error().
 */
int listing_respond(struct call *c, listing_fn *collect,
                    const struct odata_list_opts *opts);

/*
 * listing_item() - @d as an item of @entity. An object still frozen in a big
 * tenant is parsed for this answer only (the item's hold: drop it with
 * odata_items_free()), never left parsed: a query the general engine
 * answers over a million users must not keep a million trees.
 */
struct odata_item listing_item(const struct dobj *d, const struct odata_entity *entity);

/*
 * listing_kind() - every object of @kind in @t past its lag window, as items
 * of @entity in insertion order. New array (free()), or NULL on OOM. With a
 * `startswith(displayName, 'v')` in the $filter, only the objects whose name
 * starts so (from the name index; the engine applies the whole filter).
 */
struct odata_item *listing_kind(struct state *st, struct tenant *t, enum dobj_kind kind,
                                const struct odata_entity *entity, size_t *n);

/* listing_kind_for() - listing_kind() for the request's query (the prefix shortcut). */
struct odata_item *listing_kind_for(struct call *c, enum dobj_kind kind,
                                    const struct odata_entity *entity, size_t *n);

/* listing_sort_by_seq() - @v[0..n) in insertion order. */
void listing_sort_by_seq(struct dobj **v, size_t n);

/*
 * listing_answer() - @objs[0..n) (in insertion order) as the collection
 * @opts describes, through the general engine, items of @entity (NULL:
 * each object's own); $expand resolved by expand.c. Objects kept as text in
 * a big tenant are parsed for what the query reads to filter and sort them
 * (state_dobj_json_some()), then whole for the page alone, and kept by
 * none. Returns 0, or -1 after resp_error().
 */
int listing_answer(struct call *c, struct dobj *const *objs, size_t n,
                   const struct odata_entity *entity, const struct odata_list_opts *opts);

/* listing_respond_kind() - listing_answer() over every visible object of
 * @kind the query can match (the name index's range for a startswith
 * prefix). */
int listing_respond_kind(struct call *c, enum dobj_kind kind,
                         const struct odata_entity *entity,
                         const struct odata_list_opts *opts);

/*
 * listing_matches() - does @d pass the request's $filter and $search? Of an
 * object kept as text in a big tenant, only the members @mem names
 * (odata_query_members()) are parsed, and dropped again. Returns 1 or 0,
 * or -1 when @d could not be read (out of memory).
 */
int listing_matches(const struct call *c, const struct dobj *d,
                    const struct odata_members *mem);

/*
 * listing_seq_walkable() - could a page of this query be walked in insertion
 * order (no $skip, no $orderby, no offset $skiptoken, $top in bounds)? For
 * other lists kept in seq order (an app's assignments); they must also
 * refuse what they do not apply on the way ($filter, $search, $expand).
 */
bool listing_seq_walkable(const struct odata_query *q,
                          const struct odata_list_opts *opts);

/* listing_page_size() - the page a walk answers: $top, else the route's
 * default, else 100; at most 100 with $expand, as the engine pages. */
size_t listing_page_size(const struct odata_query *q, const struct odata_list_opts *opts);

/* listing_walks - false sends every list and count to the general engine:
 * tests compare the two answers. Only tests change it, before any request. */
extern bool listing_walks;

/*
 * listing_walk() - answer a page of @kind (items of @entity) by walking an
 * ordered index from the request's $skiptoken, so a page costs O(page size
 * + log N) and not a sort of every object: in insertion order (only the
 * guests when the $filter asks for `userType eq 'Guest'`), by displayName
 * either way (ascending from the `startswith(displayName, ...)` prefix when
 * the $filter has one), or users by userPrincipalName either way. A prefix
 * in insertion order walks its range of the name index, sorted by seq for
 * the page (O(range) pointers, and only the objects the page looks at read).
 * Every other filter term, and $search, is applied per object on the way;
 * $count=true counts the whole walk in one more pass, parsing objects kept
 * as text only when a $filter or $search must read them, and keeping none.
 * Returns 0 or -1 (answered, as odata_respond_collection would), or 1 when
 * the query needs the general engine ($skip, another $orderby, an offset
 * $skiptoken, a prefix with a descending or UPN order, a few guests sorted).
 */
int listing_walk(struct call *c, enum dobj_kind kind, const struct odata_entity *entity,
                 const struct odata_list_opts *opts);

/*
 * listing_walk_members() - the same over @group's direct members (by seq),
 * only those of @kind (-1: any), without service principals when
 * @skip_sps (v1.0); items carry their own entity.
 */
int listing_walk_members(struct call *c, const struct dobj *group, int kind,
                         bool skip_sps, const struct odata_list_opts *opts);

/*
 * listing_count() - answer /$count of @kind in @t by walking it as
 * listing_walk() does (objects kept as text parsed one at a time, only for
 * a $filter or $search). Returns 0 or -1 (answered).
 */
int listing_count(struct call *c, enum dobj_kind kind);

#endif
