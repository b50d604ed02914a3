/*
 * routes/graph/permissions.c - the permission sets of routes/graph/permissions.h,
 * copied from the "Permissions" table of each route's Microsoft Graph API page
 * (the research behind each row: /work/notes/fidelity.md §8, kept in
 * docs/identity.md). Per set, one list for application permissions (checked
 * against a token's `roles`) and one for delegated permissions (work or school
 * accounts, checked against `scp`), least privileged first. An entry is one
 * way to be granted the route: one permission, or several needed together
 * joined by '+' (the pages' "User.Read.All and GroupMember.Read.All").
 * A *.ReadWrite.* permission also grants the matching *.Read.* (server/auth).
 * Where a page is older than Microsoft's current permission map
 * (microsoftgraph/microsoft-graph-devx-content permissions.json, 2026-08), the
 * lists hold both: a permission either one names grants the route.
 */
#include "permissions.h"

/* clang-format off */
#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})
#define SET(name, app, delegated) \
	const struct route_perms name = {PERM_LIST, app, delegated}

/* ---- users (user-list, user-get, user-post-users, user-update, user-delete) ---- */
SET(PERMS_USERS_LIST,
    LIST("User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
         "Directory.ReadWrite.All"),
    LIST("User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All",
         "Directory.Read.All", "Directory.ReadWrite.All"));
SET(PERMS_USER_GET,
    LIST("User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
         "Directory.ReadWrite.All"),
    LIST("User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All",
         "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"));
SET(PERMS_USER_CREATE,
    LIST("User.ReadWrite.All", "Directory.ReadWrite.All"),
    LIST("User.ReadWrite.All", "Directory.ReadWrite.All"));
SET(PERMS_USER_UPDATE,
    LIST("User.ReadWrite.All", "User.ManageIdentities.All", "Directory.ReadWrite.All"),
    LIST("User.ReadWrite", "User.ReadWrite.All", "User.ManageIdentities.All",
         "Directory.ReadWrite.All"));
/* user-revokesigninsessions */
SET(PERMS_USER_REVOKE_SESSIONS,
    LIST("User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All"),
    LIST("User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All"));
SET(PERMS_USER_DELETE,
    LIST("User.DeleteRestore.All", "User.ReadWrite.All"),
    LIST("User.DeleteRestore.All", "User.ReadWrite.All"));
/* invitation-post */
SET(PERMS_INVITE,
    LIST("User.Invite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"),
    LIST("User.Invite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"));
/* user-list-manager, user-post-manager, user-delete-manager, user-list-directreports */
SET(PERMS_USER_MANAGER_READ,
    LIST("User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
         "Directory.ReadWrite.All"),
    LIST("User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
         "Directory.ReadWrite.All"));
SET(PERMS_USER_MANAGER_WRITE,
    LIST("User.ReadWrite.All", "Directory.ReadWrite.All"),
    LIST("User.ReadWrite.All", "Directory.ReadWrite.All"));
SET(PERMS_USER_REPORTS_READ,
    LIST("User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
         "Directory.ReadWrite.All"),
    LIST("User.Read+User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All",
         "Directory.Read.All", "Directory.ReadWrite.All"));

/* ---- groups (group-list, group-get, group-post-groups, group-update, group-delete) ---- */
#define GROUP_READ LIST("Group.ReadBasic.All", "GroupMember.Read.All", "Group.Read.All", \
                        "Directory.Read.All", "Group.ReadWrite.All", "Directory.ReadWrite.All")
SET(PERMS_GROUP_READ, GROUP_READ, GROUP_READ);
SET(PERMS_GROUP_CREATE,
    LIST("Group.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"),
    LIST("Group.ReadWrite.All", "Directory.ReadWrite.All"));
SET(PERMS_GROUP_UPDATE,
    LIST("Group.ReadWrite.All", "Directory.ReadWrite.All"),
    LIST("Group.ReadWrite.All", "Directory.ReadWrite.All"));
SET(PERMS_GROUP_DELETE, LIST("Group.ReadWrite.All"), LIST("Group.ReadWrite.All"));
/* group-list-members, group-list-transitivemembers, group-list-owners */
#define MEMBERS_READ LIST("GroupMember.ReadBasic.All", "GroupMember.Read.All",         \
                          "Group.Read.All", "GroupMember.ReadWrite.All",               \
                          "Group.ReadWrite.All", "Directory.Read.All")
SET(PERMS_GROUP_MEMBERS_READ, MEMBERS_READ, MEMBERS_READ);
#define OWNERS_READ LIST("GroupMember.Read.All", "Group.Read.All",                      \
                         "GroupMember.ReadWrite.All", "Group.ReadWrite.All",            \
                         "Directory.Read.All")
SET(PERMS_GROUP_OWNERS_READ, OWNERS_READ, OWNERS_READ);
/* group-post-members, group-delete-members */
#define MEMBER_WRITE LIST("GroupMember.ReadWrite.All", "Group.ReadWrite.All",           \
                          "Directory.ReadWrite.All")
SET(PERMS_MEMBER_WRITE, MEMBER_WRITE, MEMBER_WRITE);
/* group-post-owners, group-delete-owners */
SET(PERMS_OWNER_WRITE,
    LIST("Group.ReadWrite.All", "Directory.ReadWrite.All"),
    LIST("Group.ReadWrite.All", "Directory.ReadWrite.All"));
/* DELETE /groups/{id}/members/{id} without /$ref deletes the member itself
 * (graph-spec §5.5): whatever deletes that kind of object. */
#define OBJECT_DELETE LIST("User.ReadWrite.All", "Group.ReadWrite.All",                  \
                           "Application.ReadWrite.All", "Directory.ReadWrite.All")
SET(PERMS_OBJECT_DELETE, OBJECT_DELETE, OBJECT_DELETE);

/* ---- memberships (user-list-memberof, user-list-transitivememberof, group-list-memberof,
 * group-list-transitivememberof, serviceprincipal-list-memberof / -transitivememberof) ---- */
SET(PERMS_USER_MEMBER_OF,
    LIST("Directory.Read.All", "Group.ReadBasic.All", "GroupMember.ReadBasic.All",
         "Directory.ReadWrite.All"),
    LIST("User.Read", "GroupMember.Read.All", "Group.ReadBasic.All",
         "GroupMember.ReadBasic.All", "Directory.Read.All", "Directory.ReadWrite.All"));
SET(PERMS_USER_TRANSITIVE_MEMBER_OF,
    LIST("User.Read.All", "Directory.Read.All", "Group.Read.All", "Group.ReadBasic.All",
         "GroupMember.Read.All", "GroupMember.ReadBasic.All", "Directory.ReadWrite.All"),
    LIST("User.Read", "User.Read.All", "Directory.Read.All", "Group.Read.All",
         "Group.ReadBasic.All", "GroupMember.Read.All", "GroupMember.ReadBasic.All",
         "Directory.ReadWrite.All"));
#define GROUP_MEMBER_OF LIST("GroupMember.ReadBasic.All", "GroupMember.Read.All",       \
                             "Group.Read.All", "Group.ReadBasic.All",                   \
                             "Directory.Read.All", "Directory.ReadWrite.All")
SET(PERMS_GROUP_MEMBER_OF, GROUP_MEMBER_OF, GROUP_MEMBER_OF);
SET(PERMS_GROUP_TRANSITIVE_MEMBER_OF,
    LIST("GroupMember.ReadBasic.All", "Group.ReadBasic.All", "Directory.Read.All",
         "Directory.ReadWrite.All"),
    LIST("GroupMember.ReadBasic.All", "GroupMember.Read.All", "Group.Read.All",
         "Group.ReadBasic.All", "Directory.Read.All", "Directory.ReadWrite.All"));
SET(PERMS_SP_MEMBER_OF,
    LIST("Application.Read.All", "Application.ReadWrite.OwnedBy", "Directory.Read.All",
         "Application.ReadWrite.All", "Directory.ReadWrite.All"),
    LIST("Application.Read.All", "Directory.Read.All", "Application.ReadWrite.All",
         "Directory.ReadWrite.All"));

/* user-list-ownedobjects: the current page lists no application permission
 * ("Not supported."); /me/ownedObjects is the same page. */
SET(PERMS_USER_OWNED_OBJECTS, NULL,
    LIST("User.Read", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
         "Directory.ReadWrite.All"));

/* ---- directoryObjects (directoryobject-get, directoryobject-getbyids) ---- */
SET(PERMS_DIR_READ,
    LIST("Directory.Read.All", "Directory.ReadWrite.All"),
    LIST("Directory.Read.All", "Directory.ReadWrite.All"));

/*
 * checkMemberGroups / getMemberGroups / checkMemberObjects / getMemberObjects
 * (user-, group-, serviceprincipal-, directoryobject-checkmembergroups ...):
 * the pages list one table per kind of target. Under /users/{id}, /groups/{id}
 * and /servicePrincipals/{id} each route takes its kind's table; under
 * /directoryObjects/{id} the kind is not known before the object is found, so
 * the route takes every kind's entries (as Microsoft's permission map does).
 */
#define USER_GROUPS_APP "User.Read.All+GroupMember.Read.All", "User.Read.All+Group.Read.All", \
	"User.ReadBasic.All+GroupMember.Read.All", "User.ReadBasic.All+Group.Read.All"
#define USER_GROUPS_DW "User.ReadBasic.All+GroupMember.Read.All",                   \
	"User.Read.All+GroupMember.Read.All", "User.ReadBasic.All+Group.Read.All",      \
	"User.Read.All+Group.Read.All"
#define GROUP_TARGET "GroupMember.ReadBasic.All", "GroupMember.Read.All", "Group.Read.All"
#define SP_TARGET "Application.Read.All"
SET(PERMS_USER_MEMBER_GROUPS,
    LIST(USER_GROUPS_APP, "Directory.Read.All", "Directory.ReadWrite.All"),
    LIST(USER_GROUPS_DW, "Directory.Read.All", "Directory.ReadWrite.All"));
SET(PERMS_USER_MEMBER_OBJECTS,
    LIST("User.Read.All", "Directory.Read.All", "User.ReadWrite.All",
         "Directory.ReadWrite.All"),
    LIST("User.Read", "User.Read.All", "Directory.Read.All", "User.ReadWrite.All",
         "Directory.ReadWrite.All"));
SET(PERMS_GROUP_MEMBERSHIP_ACTIONS,
    LIST(GROUP_TARGET, "Directory.Read.All", "Group.ReadWrite.All",
         "Directory.ReadWrite.All"),
    LIST(GROUP_TARGET, "Directory.Read.All", "Group.ReadWrite.All",
         "Directory.ReadWrite.All"));
SET(PERMS_SP_MEMBERSHIP_ACTIONS,
    LIST(SP_TARGET, "Directory.Read.All", "Application.ReadWrite.All",
         "Directory.ReadWrite.All"),
    LIST(SP_TARGET, "Directory.Read.All", "Application.ReadWrite.All",
         "Directory.ReadWrite.All"));
SET(PERMS_DIR_MEMBER_GROUPS,
    LIST(USER_GROUPS_APP, GROUP_TARGET, SP_TARGET, "Directory.Read.All",
         "Directory.ReadWrite.All"),
    LIST(USER_GROUPS_DW, GROUP_TARGET, SP_TARGET, "Directory.Read.All",
         "Directory.ReadWrite.All"));
SET(PERMS_DIR_MEMBER_OBJECTS,
    LIST("User.Read.All", GROUP_TARGET, SP_TARGET, "Directory.Read.All",
         "Directory.ReadWrite.All"),
    LIST("User.Read", "User.Read.All", GROUP_TARGET, SP_TARGET, "Directory.Read.All",
         "Directory.ReadWrite.All"));

/* ---- applications and service principals (application-list/-get/-update/-delete,
 * applicationtemplate-instantiate, serviceprincipal-list/-get/-post/-update/-delete) ---- */
SET(PERMS_APP_READ,
    LIST("Application.Read.All", "Application.ReadWrite.OwnedBy",
         "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"),
    LIST("Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All",
         "Directory.ReadWrite.All"));
SET(PERMS_APP_WRITE,
    LIST("Application.ReadWrite.OwnedBy", "Application.ReadWrite.All"),
    LIST("Application.ReadWrite.All"));
/* application-post-owners, serviceprincipal-post-owners ("X and Y": both needed) */
SET(PERMS_APP_OWNER_ADD,
    LIST("Application.ReadWrite.OwnedBy+Directory.Read.All",
         "Application.ReadWrite.All+Directory.Read.All", "Directory.ReadWrite.All"),
    LIST("Application.ReadWrite.All+Directory.Read.All", "Directory.ReadWrite.All"));
/* application-delete-owners, serviceprincipal-delete-owners */
SET(PERMS_APP_OWNER_REMOVE,
    LIST("Application.ReadWrite.OwnedBy", "Application.ReadWrite.All",
         "Directory.ReadWrite.All"),
    LIST("Application.ReadWrite.All", "Directory.ReadWrite.All"));
SET(PERMS_APP_INSTANTIATE,
    LIST("Application.ReadWrite.OwnedBy", "Application.ReadWrite.All",
         "Directory.ReadWrite.All"),
    LIST("Application.ReadWrite.All", "Directory.ReadWrite.All"));
SET(PERMS_SP_READ,
    LIST("Application.Read.All", "Application.ReadWrite.OwnedBy",
         "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"),
    LIST("Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All",
         "Directory.ReadWrite.All"));
SET(PERMS_SP_WRITE,
    LIST("Application.ReadWrite.OwnedBy", "Application.ReadWrite.All",
         "Directory.ReadWrite.All"),
    LIST("Application.ReadWrite.All", "Directory.ReadWrite.All"));

/* ---- app role assignments (serviceprincipal-list/-post/-delete-approleassignedto,
 * -approleassignments; user-/group-list/-post/-delete-approleassignments) ---- */
SET(PERMS_SP_ASSIGNMENTS_READ,
    LIST("Application.Read.All", "Application.ReadWrite.OwnedBy", "Directory.Read.All",
         "Application.ReadWrite.All", "Directory.ReadWrite.All"),
    LIST("Application.Read.All", "Directory.Read.All", "Application.ReadWrite.All",
         "Directory.ReadWrite.All"));
/* "AppRoleAssignment.ReadWrite.All and Application.Read.All" (current pages);
 * Directory.ReadWrite.All alone is no longer enough. */
#define ASSIGN_CREATE LIST("AppRoleAssignment.ReadWrite.All+Application.Read.All",     \
                           "AppRoleAssignment.ReadWrite.All+Directory.Read.All")
SET(PERMS_SP_ASSIGN_CREATE, ASSIGN_CREATE, ASSIGN_CREATE);
#define SP_ASSIGN_DELETE LIST("AppRoleAssignment.ReadWrite.All",                        \
                              "Application.ReadWrite.All")
SET(PERMS_SP_ASSIGN_DELETE, SP_ASSIGN_DELETE, SP_ASSIGN_DELETE);
#define PRINCIPAL_ASSIGN_READ LIST("Directory.Read.All",                                \
                                   "AppRoleAssignment.ReadWrite.All",                   \
                                   "Directory.ReadWrite.All")
SET(PERMS_PRINCIPAL_ASSIGNMENTS_READ, PRINCIPAL_ASSIGN_READ, PRINCIPAL_ASSIGN_READ);
#define PRINCIPAL_ASSIGN_WRITE LIST("AppRoleAssignment.ReadWrite.All")
SET(PERMS_PRINCIPAL_ASSIGN_WRITE, PRINCIPAL_ASSIGN_WRITE, PRINCIPAL_ASSIGN_WRITE);

/* ---- the tenant (organization-list, organization-get) ---- */
/* domain-list, domain-get */
SET(PERMS_DOMAIN_READ,
    LIST("Domain.Read.All", "Domain.ReadWrite.All", "Directory.Read.All"),
    LIST("Domain.Read.All", "Domain.ReadWrite.All", "Directory.Read.All"));
SET(PERMS_ORG_READ,
    LIST("Organization.Read.All", "Directory.Read.All", "User.Read.All",
         "Organization.ReadWrite.All", "Directory.ReadWrite.All"),
    LIST("User.Read", "Organization.Read.All", "Directory.Read.All", "User.Read.All",
         "Organization.ReadWrite.All", "Directory.ReadWrite.All"));
/* clang-format on */

/* clang-format off */
/* ---- /me (user-get, user-update, user-list-memberof, ... for the signed-in user):
 * delegated tokens only; an app-only token gets Graph's 400 before this check
 * (server/exchange.c); the application lists name what would read any user. ---- */
#define ME_READ LIST("User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", \
                     "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All")
SET(PERMS_ME_READ,
    LIST("User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
         "Directory.ReadWrite.All"),
    ME_READ);
#define ME_WRITE LIST("User.ReadWrite", "User.ReadWrite.All", "Directory.ReadWrite.All")
SET(PERMS_ME_WRITE, LIST("User.ReadWrite.All", "Directory.ReadWrite.All"), ME_WRITE);
#define ME_MEMBER_OF LIST("User.Read", "GroupMember.ReadBasic.All", "Group.ReadBasic.All", \
                          "GroupMember.Read.All", "Group.Read.All", "Directory.Read.All",  \
                          "Directory.ReadWrite.All")
SET(PERMS_ME_MEMBER_OF,
    LIST("GroupMember.Read.All", "Group.Read.All", "Directory.Read.All",
         "Directory.ReadWrite.All"),
    ME_MEMBER_OF);
#define ME_ASSIGN_READ LIST("User.ReadBasic.All", "User.Read.All", "Directory.Read.All",   \
                            "AppRoleAssignment.ReadWrite.All", "Directory.ReadWrite.All")
SET(PERMS_ME_ASSIGN_READ,
    LIST("User.Read.All", "Directory.Read.All", "AppRoleAssignment.ReadWrite.All",
         "Directory.ReadWrite.All"),
    ME_ASSIGN_READ);
#define ME_CHECK LIST("User.Read", "User.ReadBasic.All", "GroupMember.Read.All",          \
                      "User.Read.All", "Directory.Read.All", "Directory.ReadWrite.All")
SET(PERMS_ME_CHECK,
    LIST("GroupMember.Read.All", "User.Read.All", "Directory.Read.All",
         "Directory.ReadWrite.All"),
    ME_CHECK);

/* ---- authorizationPolicy (authorizationpolicy-get, -update) ---- */
#define POLICY_READ LIST("Policy.Read.All", "Policy.ReadWrite.Authorization")
SET(PERMS_POLICY_READ, POLICY_READ, POLICY_READ);
#define POLICY_WRITE LIST("Policy.ReadWrite.Authorization")
SET(PERMS_POLICY_WRITE, POLICY_WRITE, POLICY_WRITE);

/* ---- deleted items (directory-deleteditems-list/-get/-restore/-delete): the
 * permission of the object's kind; the route cannot know it before the lookup. ---- */
#define DELETED_READ LIST("User.Read.All", "Group.Read.All", "Application.Read.All",       \
                          "Directory.Read.All", "User.ReadWrite.All", "Group.ReadWrite.All", \
                          "Application.ReadWrite.All", "Directory.ReadWrite.All")
SET(PERMS_DELETED_READ, DELETED_READ, DELETED_READ);

/* ---- subscriptions (subscription-post-subscriptions: the resource's read permission) ---- */
#define SUBSCRIPTION LIST("User.Read.All", "Group.Read.All", "GroupMember.Read.All",       \
                          "Directory.Read.All", "User.ReadWrite.All", "Group.ReadWrite.All", \
                          "GroupMember.ReadWrite.All", "Directory.ReadWrite.All")
SET(PERMS_SUBSCRIPTION, SUBSCRIPTION, SUBSCRIPTION);
/* clang-format on */
