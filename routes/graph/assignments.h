/*
 * routes/graph/assignments.h - app role assignments as both route files see them
 * (graph-spec §6.3, §6.4): the resource side under
 * /servicePrincipals/{id}/appRoleAssignedTo and the principal side under
 * /users|groups|servicePrincipals/{id}/appRoleAssignments.
 * Locking: handlers only, st->lock held.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_ASSIGNMENTS_H
#define GRAPHMOCK_ROUTES_GRAPH_ASSIGNMENTS_H

#include <stdbool.h>

#include "../../state/state.h"

struct call;
struct odata_item;
struct req;
struct resp;

/* Which side of an assignment a path names. */
enum assignment_side {
	SIDE_RESOURCE,  /* /servicePrincipals/{id}/appRoleAssignedTo */
	SIDE_PRINCIPAL, /* /{users|groups|servicePrincipals}/{id}/appRoleAssignments */
};

/*
 * assignments_create() - validate req->body ({principalId, resourceId,
 * appRoleId}) against @owner, the object of the path on @side, store the
 * assignment and answer 201 with "@odata.context" <base>/<v>/$metadata#@context/$entity
 * and a Location header. Errors follow graph-spec §6.3. Returns 0 or -1.
 */
int assignments_create(struct call *c, enum assignment_side side, struct dobj *owner,
                       const char *context);

/*
 * assignments_list() - 200 with the assignments of @owner on @side (for
 * users also those of the groups it is a direct member of), through the
 * OData engine with @context. Returns 0 or -1.
 */
int assignments_list(struct call *c, enum assignment_side side, const struct dobj *owner,
                     const char *context);

/*
 * assignments_items() - what assignments_list() answers, as items of
 * app_role_assignment_entity in creation order (count in *@n), for $expand.
 * Returns: new array (free()), or NULL on OOM.
 */
struct odata_item *assignments_items(struct call *c, enum assignment_side side,
                                     const struct dobj *owner, size_t *n);

/*
 * assignments_find() - the assignment named by capture 1 that belongs to
 * @owner on @side. Returns: borrowed, or NULL after a 404.
 */
struct assignment *assignments_find(struct call *c, enum assignment_side side,
                                    const struct dobj *owner);

#endif
