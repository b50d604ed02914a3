/*
 * routes/graph/permissions.c - the permission sets of routes/graph/permissions.h: lists
 * of application permission values, least privileged first (a *.ReadWrite.* permission
 * also grants the matching *.Read.*; server/auth checks that).
 */
#include "permissions.h"

/* clang-format off */
static const char *const INVITE[] = {"User.Invite.All", "User.ReadWrite.All",
	"Directory.ReadWrite.All", NULL};
static const char *const USER_READ[] = {"User.Read.All", "User.ReadWrite.All",
	"Directory.Read.All", "Directory.ReadWrite.All", NULL};
static const char *const USER_WRITE[] = {"User.ReadWrite.All", "Directory.ReadWrite.All",
	NULL};
static const char *const GROUP_READ[] = {"GroupMember.Read.All", "Group.Read.All",
	"Directory.Read.All", "GroupMember.ReadWrite.All", "Group.ReadWrite.All",
	"Directory.ReadWrite.All", NULL};
static const char *const GROUP_CREATE[] = {"Group.Create", "Group.ReadWrite.All",
	"Directory.ReadWrite.All", NULL};
static const char *const GROUP_WRITE[] = {"Group.ReadWrite.All", "Directory.ReadWrite.All",
	NULL};
static const char *const MEMBER_WRITE[] = {"GroupMember.ReadWrite.All",
	"Group.ReadWrite.All", "Directory.ReadWrite.All", NULL};
static const char *const OBJECT_DELETE[] = {"User.ReadWrite.All", "Group.ReadWrite.All",
	"Application.ReadWrite.All", "Directory.ReadWrite.All", NULL};
static const char *const DIR_READ[] = {"Directory.Read.All", "Directory.ReadWrite.All",
	NULL};
static const char *const APP_READ[] = {"Application.Read.All",
	"Application.ReadWrite.OwnedBy", "Application.ReadWrite.All", "Directory.Read.All",
	"Directory.ReadWrite.All", NULL};
static const char *const APP_WRITE[] = {"Application.ReadWrite.OwnedBy",
	"Application.ReadWrite.All", "Directory.ReadWrite.All", NULL};
static const char *const ASSIGN_WRITE[] = {"AppRoleAssignment.ReadWrite.All", NULL};
static const char *const USER_ASSIGN_READ[] = {"Directory.Read.All",
	"AppRoleAssignment.ReadWrite.All", "Directory.ReadWrite.All", NULL};
static const char *const GROUP_ASSIGN_READ[] = {"Group.Read.All", "Directory.Read.All",
	"AppRoleAssignment.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All",
	NULL};
static const char *const SP_ASSIGN_READ[] = {"Application.Read.All",
	"AppRoleAssignment.ReadWrite.All", "Application.ReadWrite.All", "Directory.Read.All",
	"Directory.ReadWrite.All", NULL};
static const char *const DELETED_READ[] = {"User.Read.All", "Group.Read.All",
	"Application.Read.All", "Directory.Read.All", "User.ReadWrite.All",
	"Group.ReadWrite.All", "Application.ReadWrite.All", "Directory.ReadWrite.All", NULL};
static const char *const SUBSCRIPTION_WRITE[] = {"User.Read.All", "Group.Read.All",
	"GroupMember.Read.All", "Directory.Read.All", "User.ReadWrite.All",
	"Group.ReadWrite.All", "GroupMember.ReadWrite.All", "Directory.ReadWrite.All", NULL};
static const char *const ORG_READ[] = {"Organization.Read.All", "Directory.Read.All",
	"Organization.ReadWrite.All", "Directory.ReadWrite.All", NULL};

/* /me: delegated permissions (a token without a signed-in user never gets here) */
static const char *const ME_READ[] = {"User.Read", "User.ReadWrite", "User.ReadBasic.All",
	"User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All",
	NULL};
static const char *const ME_WRITE[] = {"User.ReadWrite", "User.ReadWrite.All",
	"Directory.ReadWrite.All", NULL};
static const char *const ME_MEMBER_OF[] = {"User.Read", "GroupMember.ReadBasic.All",
	"Group.ReadBasic.All", "GroupMember.Read.All", "Group.Read.All", "Directory.Read.All",
	"Directory.ReadWrite.All", NULL};
static const char *const ME_ASSIGN_READ[] = {"User.ReadBasic.All", "User.Read.All",
	"Directory.Read.All", "AppRoleAssignment.ReadWrite.All", "Directory.ReadWrite.All",
	NULL};
static const char *const ME_CHECK[] = {"User.Read", "User.ReadBasic.All",
	"GroupMember.Read.All", "User.Read.All", "Directory.Read.All",
	"Directory.ReadWrite.All", NULL};
static const char *const POLICY_READ[] = {"Policy.Read.All",
	"Policy.ReadWrite.Authorization", NULL};
static const char *const POLICY_WRITE[] = {"Policy.ReadWrite.Authorization", NULL};

const struct route_perms PERMS_ME_READ = {PERM_LIST, ME_READ, NULL};
const struct route_perms PERMS_ME_WRITE = {PERM_LIST, ME_WRITE, NULL};
const struct route_perms PERMS_ME_MEMBER_OF = {PERM_LIST, ME_MEMBER_OF, NULL};
const struct route_perms PERMS_ME_ASSIGN_READ = {PERM_LIST, ME_ASSIGN_READ, NULL};
const struct route_perms PERMS_ME_CHECK = {PERM_LIST, ME_CHECK, NULL};
const struct route_perms PERMS_POLICY_READ = {PERM_LIST, POLICY_READ, NULL};
const struct route_perms PERMS_POLICY_WRITE = {PERM_LIST, POLICY_WRITE, NULL};
const struct route_perms PERMS_APP_READ = {PERM_LIST, APP_READ, NULL};
const struct route_perms PERMS_APP_READ_AND_GROUP_READ = {PERM_LIST, APP_READ, GROUP_READ};
const struct route_perms PERMS_APP_WRITE = {PERM_LIST, APP_WRITE, NULL};
const struct route_perms PERMS_ASSIGN_WRITE = {PERM_LIST, ASSIGN_WRITE, NULL};
const struct route_perms PERMS_ASSIGN_WRITE_AND_APP_READ = {PERM_LIST, ASSIGN_WRITE, APP_READ};
const struct route_perms PERMS_DELETED_READ = {PERM_LIST, DELETED_READ, NULL};
const struct route_perms PERMS_DIR_READ = {PERM_LIST, DIR_READ, NULL};
const struct route_perms PERMS_GROUP_ASSIGN_READ = {PERM_LIST, GROUP_ASSIGN_READ, NULL};
const struct route_perms PERMS_GROUP_CREATE = {PERM_LIST, GROUP_CREATE, NULL};
const struct route_perms PERMS_GROUP_READ = {PERM_LIST, GROUP_READ, NULL};
const struct route_perms PERMS_GROUP_WRITE = {PERM_LIST, GROUP_WRITE, NULL};
const struct route_perms PERMS_INVITE = {PERM_LIST, INVITE, NULL};
const struct route_perms PERMS_MEMBER_WRITE = {PERM_LIST, MEMBER_WRITE, NULL};
const struct route_perms PERMS_OBJECT_DELETE = {PERM_LIST, OBJECT_DELETE, NULL};
const struct route_perms PERMS_ORG_READ = {PERM_LIST, ORG_READ, NULL};
const struct route_perms PERMS_SUBSCRIPTION = {PERM_LIST, SUBSCRIPTION_WRITE, NULL};
const struct route_perms PERMS_SP_ASSIGN_READ = {PERM_LIST, SP_ASSIGN_READ, NULL};
const struct route_perms PERMS_USER_ASSIGN_READ = {PERM_LIST, USER_ASSIGN_READ, NULL};
const struct route_perms PERMS_USER_READ = {PERM_LIST, USER_READ, NULL};
const struct route_perms PERMS_USER_READ_AND_GROUP_READ = {PERM_LIST, USER_READ, GROUP_READ};
const struct route_perms PERMS_USER_WRITE = {PERM_LIST, USER_WRITE, NULL};
/* clang-format on */
