/*
 * routes/graph/listing.c - the shared tail of collection routes.
 */
#include "listing.h"

#include <stdlib.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "expand.h"

int listing_respond(struct call *c, listing_fn *collect,
                    const struct odata_list_opts *opts)
{
	struct odata_list_opts with;
	struct odata_expander ex;
	struct odata_item *items;
	size_t n;
	int rc;

	items = collect(c, &n);
	if (!items)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	if (opts) {
		with = *opts;
		expand_init(&ex, c);
		with.expander = &ex;
		rc = odata_respond_collection(c->odata, c->req, c->resp, items, n, &with);
	} else
		rc = odata_respond_count(c->odata, c->req, c->resp, items, n);
	free(items);
	return rc;
}

struct odata_item *listing_kind(struct state *st, struct tenant *t, enum dobj_kind kind,
                                const struct odata_entity *entity, size_t *n)
{
	struct odata_item *items = calloc(state_dobj_count(t, kind) + 1, sizeof(*items));

	*n = 0;
	if (!items)
		return NULL;
	for (struct dobj *d = state_dobj_first(t, kind); d; d = state_dobj_next(d))
		if (state_dobj_visible(st, d))
			items[(*n)++] = (struct odata_item){d->obj, entity, d->seq};
	return items;
}
