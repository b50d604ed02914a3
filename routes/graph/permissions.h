/*
 * routes/graph/permissions.h - the Graph permission sets route rows name (graph-spec
 * §10.2 and each API page's permission table): one set per distinct rule,
 * least privileged first. docs/identity.md shows the same table.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_PERMISSIONS_H
#define GRAPHMOCK_ROUTES_GRAPH_PERMISSIONS_H

#include "../../server/core/router.h"

extern const struct route_perms PERMS_APP_READ;
extern const struct route_perms PERMS_APP_READ_AND_GROUP_READ;
extern const struct route_perms PERMS_APP_WRITE;
extern const struct route_perms PERMS_ASSIGN_WRITE;
extern const struct route_perms PERMS_ASSIGN_WRITE_AND_APP_READ;
extern const struct route_perms PERMS_DELETED_READ;
extern const struct route_perms PERMS_DIR_READ;
extern const struct route_perms PERMS_GROUP_ASSIGN_READ;
extern const struct route_perms PERMS_GROUP_CREATE;
extern const struct route_perms PERMS_GROUP_READ;
extern const struct route_perms PERMS_GROUP_WRITE;
extern const struct route_perms PERMS_INVITE;
extern const struct route_perms PERMS_ME_ASSIGN_READ;
extern const struct route_perms PERMS_ME_CHECK;
extern const struct route_perms PERMS_ME_MEMBER_OF;
extern const struct route_perms PERMS_ME_READ;
extern const struct route_perms PERMS_ME_WRITE;
extern const struct route_perms PERMS_MEMBER_WRITE;
extern const struct route_perms PERMS_OBJECT_DELETE;
extern const struct route_perms PERMS_ORG_READ;
extern const struct route_perms PERMS_POLICY_READ;
extern const struct route_perms PERMS_POLICY_WRITE;
extern const struct route_perms PERMS_SP_ASSIGN_READ;
extern const struct route_perms PERMS_SUBSCRIPTION;
extern const struct route_perms PERMS_USER_ASSIGN_READ;
extern const struct route_perms PERMS_USER_READ;
extern const struct route_perms PERMS_USER_READ_AND_GROUP_READ;
extern const struct route_perms PERMS_USER_WRITE;

#endif
