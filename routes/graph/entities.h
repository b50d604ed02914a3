/*
 * routes/graph/entities.h - every entity type graphmock serves: its CSDL type
 * (which properties exist, with their EDM types), and what the CSDL does not
 * say: which come back without $select, which only on a single entity, and
 * which $filter/$orderby/$search operations Graph allows on each.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_ENTITIES_H
#define GRAPHMOCK_ROUTES_GRAPH_ENTITIES_H

#include "../../server/odata/odata.h"
#include "../../state/schema/schema_ids.h"
#include "../../state/state.h"

extern const struct odata_entity user_entity;                 /* entity_user.c */
extern const struct odata_entity group_entity;                /* entity_group.c */
extern const struct odata_entity service_principal_entity;    /* entity_app.c */
extern const struct odata_entity application_entity;          /* entity_app.c */
extern const struct odata_entity application_template_entity; /* entity_app.c */
extern const struct odata_entity app_role_assignment_entity;  /* entity_app.c */
extern const struct odata_entity
    directory_object_entity; /* entities.c: mixed collections */

/* entity_for_kind() - the schema of a stored directory object's kind. */
const struct odata_entity *entity_for_kind(enum dobj_kind kind);

/*
 * dobj_tag() - @d for the render cache (struct odata_tag): an object is freed
 * or changed only where its tenant's generation moves on, so the pair names
 * its properties. Only for an item holding @d's whole properties.
 * Locking: @d's tenant lock.
 */
static inline struct odata_tag dobj_tag(const struct dobj *d)
{
	return (struct odata_tag){d, state_tenant_gen(d->tenant)};
}

#endif
