/*
 * server/permissions.c - the per-route permission table (graph-spec §10.2,
 * §2.5, §5.3-5.4, §6.3, §7.2 and Microsoft's API pages) and the check of a
 * token's roles/scp against it. Lists hold application permission values,
 * least privileged first; docs/identity.md shows the same table.
 */
#include "permissions.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

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
/* DELETE /groups/{id}/members/{mid} deletes the member itself, of any type. */
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

static const char *const ORG_READ[] = {"Organization.Read.All", "Directory.Read.All",
	"Organization.ReadWrite.All", "Directory.ReadWrite.All", NULL};

#define NONE(m, p)        {m, p, PERM_NONE, NULL, NULL}
#define TOKEN(m, p)       {m, p, PERM_TOKEN, NULL, NULL}
#define ANY(m, p, l)      {m, p, PERM_LIST, l, NULL}
#define BOTH(m, p, l, l2) {m, p, PERM_LIST, l, l2}

const struct perm_rule perm_rules[] = {
	/* users (routes/users.c) */
	ANY("GET", "/users", USER_READ),
	ANY("POST", "/users", USER_WRITE),
	ANY("GET", "/users/$count", USER_READ),
	ANY("GET", "/users/{id}", USER_READ),
	ANY("PATCH", "/users/{id}", USER_WRITE),
	ANY("DELETE", "/users/{id}", USER_WRITE),
	/* invitations (§2.5) */
	ANY("POST", "/invitations", INVITE),
	/* groups (§5.1) */
	ANY("GET", "/groups", GROUP_READ),
	ANY("POST", "/groups", GROUP_CREATE),
	ANY("GET", "/groups/$count", GROUP_READ),
	ANY("GET", "/groups/{id}", GROUP_READ),
	ANY("PATCH", "/groups/{id}", GROUP_WRITE),
	ANY("DELETE", "/groups/{id}", GROUP_WRITE),
	/* members and owners (§5.3-5.5) */
	ANY("GET", "/groups/{id}/members", GROUP_READ),
	ANY("GET", "/groups/{id}/members/$count", GROUP_READ),
	ANY("GET", "/groups/{id}/members/microsoft.graph.user", GROUP_READ),
	ANY("GET", "/groups/{id}/members/microsoft.graph.user/$count", GROUP_READ),
	ANY("GET", "/groups/{id}/members/microsoft.graph.group", GROUP_READ),
	ANY("GET", "/groups/{id}/members/microsoft.graph.group/$count", GROUP_READ),
	ANY("GET", "/groups/{id}/members/microsoft.graph.servicePrincipal", GROUP_READ),
	ANY("POST", "/groups/{id}/members/$ref", MEMBER_WRITE),
	ANY("DELETE", "/groups/{id}/members/{mid}/$ref", MEMBER_WRITE),
	ANY("DELETE", "/groups/{id}/members/{mid}", OBJECT_DELETE),
	ANY("GET", "/groups/{id}/transitiveMembers", GROUP_READ),
	ANY("GET", "/groups/{id}/transitiveMembers/$count", GROUP_READ),
	ANY("GET", "/groups/{id}/transitiveMembers/microsoft.graph.user", GROUP_READ),
	ANY("GET", "/groups/{id}/transitiveMembers/microsoft.graph.group", GROUP_READ),
	ANY("GET", "/groups/{id}/owners", GROUP_READ),
	ANY("POST", "/groups/{id}/owners/$ref", GROUP_WRITE),
	ANY("DELETE", "/groups/{id}/owners/{oid}/$ref", GROUP_WRITE),
	/* memberOf (user-list-memberof: Directory.Read.All for apps) */
	ANY("GET", "/users/{id}/memberOf", DIR_READ),
	ANY("GET", "/users/{id}/memberOf/$count", DIR_READ),
	ANY("GET", "/users/{id}/memberOf/microsoft.graph.group", DIR_READ),
	ANY("GET", "/users/{id}/transitiveMemberOf", DIR_READ),
	ANY("GET", "/users/{id}/transitiveMemberOf/$count", DIR_READ),
	ANY("GET", "/users/{id}/transitiveMemberOf/microsoft.graph.group", DIR_READ),
	ANY("GET", "/groups/{id}/memberOf", GROUP_READ),
	ANY("GET", "/groups/{id}/memberOf/$count", GROUP_READ),
	ANY("GET", "/groups/{id}/transitiveMemberOf", GROUP_READ),
	ANY("GET", "/groups/{id}/transitiveMemberOf/$count", GROUP_READ),
	ANY("GET", "/servicePrincipals/{id}/memberOf", APP_READ),
	ANY("GET", "/servicePrincipals/{id}/transitiveMemberOf", APP_READ),
	/* directoryObjects */
	ANY("GET", "/directoryObjects/{id}", DIR_READ),
	ANY("POST", "/directoryObjects/getByIds", DIR_READ),
	/* membership functions (directoryobject-getmembergroups and friends) */
	ANY("POST", "/directoryObjects/{id}/checkMemberGroups", DIR_READ),
	ANY("POST", "/directoryObjects/{id}/getMemberGroups", DIR_READ),
	ANY("POST", "/directoryObjects/{id}/checkMemberObjects", DIR_READ),
	ANY("POST", "/directoryObjects/{id}/getMemberObjects", DIR_READ),
	BOTH("POST", "/users/{id}/checkMemberGroups", USER_READ, GROUP_READ),
	BOTH("POST", "/users/{id}/getMemberGroups", USER_READ, GROUP_READ),
	BOTH("POST", "/users/{id}/checkMemberObjects", USER_READ, GROUP_READ),
	BOTH("POST", "/users/{id}/getMemberObjects", USER_READ, GROUP_READ),
	ANY("POST", "/groups/{id}/checkMemberGroups", GROUP_READ),
	ANY("POST", "/groups/{id}/getMemberGroups", GROUP_READ),
	ANY("POST", "/groups/{id}/checkMemberObjects", GROUP_READ),
	ANY("POST", "/groups/{id}/getMemberObjects", GROUP_READ),
	BOTH("POST", "/servicePrincipals/{id}/checkMemberGroups", APP_READ,
	     GROUP_READ),
	BOTH("POST", "/servicePrincipals/{id}/getMemberGroups", APP_READ,
	     GROUP_READ),
	BOTH("POST", "/servicePrincipals/{id}/checkMemberObjects", APP_READ,
	     GROUP_READ),
	BOTH("POST", "/servicePrincipals/{id}/getMemberObjects", APP_READ,
	     GROUP_READ),
	/* gallery (§7.1-7.2) */
	TOKEN("GET", "/applicationTemplates"),
	TOKEN("GET", "/applicationTemplates/{id}"),
	ANY("POST", "/applicationTemplates/{id}/instantiate", APP_WRITE),
	/* applications, service principals (§6.1) */
	ANY("GET", "/applications", APP_READ),
	ANY("GET", "/applications/$count", APP_READ),
	ANY("GET", "/applications/{id}", APP_READ),
	ANY("PATCH", "/applications/{id}", APP_WRITE),
	ANY("DELETE", "/applications/{id}", APP_WRITE),
	ANY("GET", "/servicePrincipals", APP_READ),
	ANY("POST", "/servicePrincipals", APP_WRITE),
	ANY("GET", "/servicePrincipals/$count", APP_READ),
	ANY("GET", "/servicePrincipals/{id}", APP_READ),
	ANY("PATCH", "/servicePrincipals/{id}", APP_WRITE),
	ANY("DELETE", "/servicePrincipals/{id}", APP_WRITE),
	/* app role assignments (§6.3-6.4) */
	ANY("GET", "/servicePrincipals/{id}/appRoleAssignedTo", SP_ASSIGN_READ),
	BOTH("POST", "/servicePrincipals/{id}/appRoleAssignedTo", ASSIGN_WRITE, APP_READ),
	ANY("GET", "/servicePrincipals/{id}/appRoleAssignedTo/{aid}", SP_ASSIGN_READ),
	BOTH("DELETE", "/servicePrincipals/{id}/appRoleAssignedTo/{aid}", ASSIGN_WRITE,
	     APP_READ),
	ANY("GET", "/users/{id}/appRoleAssignments", USER_ASSIGN_READ),
	ANY("POST", "/users/{id}/appRoleAssignments", ASSIGN_WRITE),
	ANY("GET", "/users/{id}/appRoleAssignments/{aid}", USER_ASSIGN_READ),
	ANY("DELETE", "/users/{id}/appRoleAssignments/{aid}", ASSIGN_WRITE),
	ANY("GET", "/groups/{id}/appRoleAssignments", GROUP_ASSIGN_READ),
	ANY("POST", "/groups/{id}/appRoleAssignments", ASSIGN_WRITE),
	ANY("GET", "/groups/{id}/appRoleAssignments/{aid}", GROUP_ASSIGN_READ),
	ANY("DELETE", "/groups/{id}/appRoleAssignments/{aid}", ASSIGN_WRITE),
	ANY("GET", "/servicePrincipals/{id}/appRoleAssignments", SP_ASSIGN_READ),
	BOTH("POST", "/servicePrincipals/{id}/appRoleAssignments", ASSIGN_WRITE, APP_READ),
	ANY("GET", "/servicePrincipals/{id}/appRoleAssignments/{aid}", SP_ASSIGN_READ),
	BOTH("DELETE", "/servicePrincipals/{id}/appRoleAssignments/{aid}", ASSIGN_WRITE,
	     APP_READ),
	/* $batch: any valid token; each sub-request is checked on its own route */
	TOKEN("POST", "/$batch"),
	/* $metadata and the service document need no permission */
	NONE("GET", "/$metadata"),
	NONE("GET", "/"),
	/* /me: any token; graphmock's app-only tokens then get Graph's 400 */
	TOKEN("GET", "/me"),
	/* organization-list: Organization.Read.All least privileged */
	ANY("GET", "/organization", ORG_READ),
	ANY("GET", "/organization/{id}", ORG_READ),
	{NULL, NULL, PERM_NONE, NULL, NULL},
};
/* clang-format on */

const struct perm_rule *perm_find(const char *method, const char *pattern)
{
	const struct perm_rule *r;

	for (r = perm_rules; r->method; r++)
		if (!strcmp(r->method, method) && !strcmp(r->pattern, pattern))
			return r;
	return NULL;
}

bool perm_has_claims(const json_t *claims)
{
	const char *scp = json_string_value(json_object_get(claims, "scp"));

	return json_array_size(json_object_get(claims, "roles")) > 0 || (scp && *scp);
}

/* Is @perm literally among the token's roles or scopes (case-insensitive)? */
static bool holds(const json_t *claims, const char *perm)
{
	const char *scp = json_string_value(json_object_get(claims, "scp"));
	size_t n = strlen(perm);
	size_t i;
	json_t *v;

	json_array_foreach(json_object_get(claims, "roles"), i, v)
	{
		if (json_is_string(v) && !strcasecmp(json_string_value(v), perm))
			return true;
	}
	while (scp && *scp) {
		size_t len = strcspn(scp, " ");

		if (len == n && !strncasecmp(scp, perm, n))
			return true;
		scp += len;
		scp += strspn(scp, " ");
	}
	return false;
}

bool perm_held(const json_t *claims, const char *perm)
{
	const char *dot = strstr(perm, ".Read.");
	char rw[128];
	int n;

	if (holds(claims, perm))
		return true;
	if (!dot)
		return false;
	n = snprintf(rw, sizeof(rw), "%.*s.ReadWrite.%s", (int)(dot - perm), perm,
	             dot + 6);
	return n > 0 && (size_t)n < sizeof(rw) && holds(claims, rw);
}

static bool held_any(const json_t *claims, const char *const *list)
{
	for (; *list; list++)
		if (perm_held(claims, *list))
			return true;
	return false;
}

bool perm_granted(const struct perm_rule *rule, const json_t *claims)
{
	if (!rule)
		return false;
	if (rule->kind == PERM_NONE)
		return true;
	if (!perm_has_claims(claims))
		return false;
	if (rule->kind == PERM_TOKEN)
		return true;
	return held_any(claims, rule->any) &&
	       (!rule->also || held_any(claims, rule->also));
}
