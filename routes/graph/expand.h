/*
 * routes/graph/expand.h - the related objects behind $expand (graph-spec §4.5,
 * issue 10): what a user's manager, directReports, memberOf, ownedObjects
 * and appRoleAssignments are, a group's members, owners and memberOf, a
 * service principal's appRoleAssignedTo, and so on, as the OData engine asks
 * for them while it writes an answer (server/odata/odata.h, odata_related_fn).
 * Locking: everything runs under the tenant's lock, inside the handler.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_EXPAND_H
#define GRAPHMOCK_ROUTES_GRAPH_EXPAND_H

#include "../../server/odata/odata.h"

struct call;
struct dobj;

/*
 * expand_init() - an expander over @c's tenant, for odata_list_opts and
 * odata_one. It borrows @c: use it only during the call.
 */
void expand_init(struct odata_expander *ex, struct call *c);

/*
 * expand_respond_one() - 200 with @d as its own type (an entity GET:
 * single-entity-only properties served, $expand resolved); @context after
 * "$metadata#" (NULL: the type's set), "@odata.type" when @annotate.
 * Returns 0, or -1 after resp_error().
 */
int expand_respond_one(struct call *c, const struct dobj *d, const char *context,
                       bool annotate);

#endif
