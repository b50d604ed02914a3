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
 * A route's candidates: a new array (free()) of *@n items borrowed from state,
 * or NULL when out of memory. Called under the state lock.
 */
typedef struct odata_item *listing_fn(struct call *c, size_t *n);

/*
 * listing_respond() - @collect's items as the collection @opts describes, or,
 * when @opts is NULL, as /$count. Returns 0, or -1 after resp_error().
 */
int listing_respond(struct call *c, listing_fn *collect,
                    const struct odata_list_opts *opts);

/*
 * listing_kind() - every object of @kind in @t past its lag window, as items
 * of @entity in insertion order. New array (free()), or NULL on OOM.
 */
struct odata_item *listing_kind(struct state *st, struct tenant *t, enum dobj_kind kind,
                                const struct odata_entity *entity, size_t *n);

#endif
