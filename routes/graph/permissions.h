/*
 * routes/graph/permissions.h - the Graph permission sets route rows name: one
 * per distinct table on Microsoft's API pages, each with its application and
 * its delegated permissions, least privileged first (permissions.c says how
 * to read an entry). docs/identity.md shows the same tables.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_PERMISSIONS_H
#define GRAPHMOCK_ROUTES_GRAPH_PERMISSIONS_H

#include "../../server/core/router.h"

extern const struct route_perms PERMS_APP_INSTANTIATE;
extern const struct route_perms PERMS_APP_OWNER_ADD;
extern const struct route_perms PERMS_APP_OWNER_REMOVE;
extern const struct route_perms PERMS_APP_READ;
extern const struct route_perms PERMS_APP_WRITE;
extern const struct route_perms PERMS_DELETED_READ;
extern const struct route_perms PERMS_DIR_MEMBER_GROUPS;
extern const struct route_perms PERMS_DIR_MEMBER_OBJECTS;
extern const struct route_perms PERMS_DIR_READ;
extern const struct route_perms PERMS_GROUP_CREATE;
extern const struct route_perms PERMS_GROUP_DELETE;
extern const struct route_perms PERMS_GROUP_MEMBERSHIP_ACTIONS;
extern const struct route_perms PERMS_GROUP_MEMBERS_READ;
extern const struct route_perms PERMS_GROUP_MEMBER_OF;
extern const struct route_perms PERMS_GROUP_OWNERS_READ;
extern const struct route_perms PERMS_GROUP_READ;
extern const struct route_perms PERMS_GROUP_TRANSITIVE_MEMBER_OF;
extern const struct route_perms PERMS_GROUP_UPDATE;
extern const struct route_perms PERMS_INVITE;
extern const struct route_perms PERMS_MEMBER_WRITE;
extern const struct route_perms PERMS_ME_ASSIGN_READ;
extern const struct route_perms PERMS_ME_CHECK;
extern const struct route_perms PERMS_ME_MEMBER_OF;
extern const struct route_perms PERMS_ME_READ;
extern const struct route_perms PERMS_ME_WRITE;
extern const struct route_perms PERMS_OBJECT_DELETE;
extern const struct route_perms PERMS_ORG_READ;
extern const struct route_perms PERMS_DOMAIN_READ;
extern const struct route_perms PERMS_OWNER_WRITE;
extern const struct route_perms PERMS_POLICY_READ;
extern const struct route_perms PERMS_POLICY_WRITE;
extern const struct route_perms PERMS_PRINCIPAL_ASSIGNMENTS_READ;
extern const struct route_perms PERMS_PRINCIPAL_ASSIGN_WRITE;
extern const struct route_perms PERMS_SP_ASSIGNMENTS_READ;
extern const struct route_perms PERMS_SP_ASSIGN_CREATE;
extern const struct route_perms PERMS_SP_ASSIGN_DELETE;
extern const struct route_perms PERMS_SP_MEMBERSHIP_ACTIONS;
extern const struct route_perms PERMS_SP_MEMBER_OF;
extern const struct route_perms PERMS_SP_READ;
extern const struct route_perms PERMS_SP_WRITE;
extern const struct route_perms PERMS_SUBSCRIPTION;
extern const struct route_perms PERMS_USERS_LIST;
extern const struct route_perms PERMS_USER_CREATE;
extern const struct route_perms PERMS_USER_DELETE;
extern const struct route_perms PERMS_USER_GET;
extern const struct route_perms PERMS_USER_MANAGER_READ;
extern const struct route_perms PERMS_USER_MANAGER_WRITE;
extern const struct route_perms PERMS_USER_MEMBER_GROUPS;
extern const struct route_perms PERMS_USER_MEMBER_OBJECTS;
extern const struct route_perms PERMS_USER_MEMBER_OF;
extern const struct route_perms PERMS_USER_OWNED_OBJECTS;
extern const struct route_perms PERMS_USER_REPORTS_READ;
extern const struct route_perms PERMS_USER_TRANSITIVE_MEMBER_OF;
extern const struct route_perms PERMS_USER_UPDATE;
extern const struct route_perms PERMS_USER_REVOKE_SESSIONS;

#endif
