/*
 * server/auth/permissions.c - the check of a token's roles/scp against the
 * permission set a route row names (routes/graph/permissions.c holds the sets).
 */
#include "permissions.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "../core/router.h"

bool perm_has_claims(const json_t *claims)
{
	const char *scp = json_string_value(json_object_get(claims, "scp"));

	return json_array_size(json_object_get(claims, "roles")) > 0 || (scp && *scp);
}

enum source {
	FROM_ROLES = 1 << 0, /* application permissions */
	FROM_SCP = 1 << 1,   /* delegated permissions */
};

/* Is the @n bytes at @perm literally among the token's @from claims (case-insensitive)?
 */
static bool holds(const json_t *claims, const char *perm, size_t n, unsigned from)
{
	const char *scp = json_string_value(json_object_get(claims, "scp"));
	size_t i;
	json_t *v;

	if (from & FROM_ROLES)
		json_array_foreach(json_object_get(claims, "roles"), i, v)
		{
			const char *r = json_string_value(v);

			if (r && strlen(r) == n && !strncasecmp(r, perm, n))
				return true;
		}
	while ((from & FROM_SCP) && scp && *scp) {
		size_t len = strcspn(scp, " ");

		if (len == n && !strncasecmp(scp, perm, n))
			return true;
		scp += len;
		scp += strspn(scp, " ");
	}
	return false;
}

/* @perm (@n bytes) held, or its *.ReadWrite.* twin when it is a *.Read.* one. */
static bool held(const json_t *claims, const char *perm, size_t n, unsigned from)
{
	const char *dot;
	char rw[128];
	int len;

	if (holds(claims, perm, n, from))
		return true;
	for (dot = perm; dot + 6 <= perm + n; dot++)
		if (!strncmp(dot, ".Read.", 6))
			break;
	if (dot + 6 > perm + n)
		return false;
	len = snprintf(rw, sizeof(rw), "%.*s.ReadWrite.%.*s", (int)(dot - perm), perm,
	               (int)(n - (size_t)(dot - perm) - 6), dot + 6);
	return len > 0 && (size_t)len < sizeof(rw) &&
	       holds(claims, rw, (size_t)len, from);
}

bool perm_held(const json_t *claims, const char *perm)
{
	return perm && held(claims, perm, strlen(perm), FROM_ROLES | FROM_SCP);
}

/* Every '+'-joined permission of @entry held through @from. */
static bool entry_held(const json_t *claims, const char *entry, unsigned from)
{
	while (*entry) {
		size_t n = strcspn(entry, "+");

		if (!n || !held(claims, entry, n, from))
			return false;
		entry += n;
		entry += *entry == '+';
	}
	return true;
}

/*
 * Is @entry only about the signed-in user? User.Read and User.ReadWrite let a
 * user read and edit their own profile, not anyone else's (permissions
 * reference): an entry made only of them grants /users/{id} for the caller's
 * own id alone.
 */
static bool self_only(const char *entry)
{
	while (*entry) {
		size_t n = strcspn(entry, "+");

		if (!((n == 9 && !strncmp(entry, "User.Read", 9)) ||
		      (n == 14 && !strncmp(entry, "User.ReadWrite", 14))))
			return false;
		entry += n;
		entry += *entry == '+';
	}
	return true;
}

static bool any_entry(const json_t *claims, const char *const *list, unsigned from,
                      bool self)
{
	for (; list && *list; list++)
		if ((self || !self_only(*list)) && entry_held(claims, *list, from))
			return true;
	return false;
}

bool perm_is_delegated(const json_t *claims)
{
	const char *scp = json_string_value(json_object_get(claims, "scp"));

	return scp && *scp;
}

bool perm_granted(const struct route_perms *rule, const json_t *claims)
{
	return perm_granted_on(rule, claims, true);
}

bool perm_granted_on(const struct route_perms *rule, const json_t *claims, bool self)
{
	if (!rule)
		return false;
	if (rule->kind == PERM_NONE)
		return true;
	if (!perm_has_claims(claims))
		return false;
	if (rule->kind == PERM_TOKEN)
		return true;
	/* A delegated token acts for a user: its scp against the delegated list. */
	if (perm_is_delegated(claims))
		return any_entry(claims, rule->delegated, FROM_SCP, self);
	return any_entry(claims, rule->app, FROM_ROLES, true);
}

void perm_least(const struct route_perms *rule, bool delegated, const char **out,
                size_t n, char *buf, size_t len)
{
	const char *const *list = !rule || rule->kind != PERM_LIST ? NULL
	                          : delegated                      ? rule->delegated
	                                                           : rule->app;
	const char *entry = list ? list[0] : NULL;
	size_t k = 0, used = 0;

	/* "A+B" (both needed) is reported as two permissions */
	while (entry && *entry && k + 1 < n) {
		size_t l = strcspn(entry, "+");

		if (used + l + 1 > len)
			break;
		memcpy(buf + used, entry, l);
		buf[used + l] = '\0';
		out[k++] = buf + used;
		used += l + 1;
		entry += l;
		entry += *entry == '+';
	}
	if (n)
		out[k] = NULL;
}

json_t *perm_granted_list(const json_t *claims)
{
	const char *scp = json_string_value(json_object_get(claims, "scp"));
	json_t *roles = json_object_get(claims, "roles");
	json_t *out;

	if (json_is_array(roles) && json_array_size(roles))
		return json_deep_copy(roles);
	out = json_array();
	while (out && scp && *scp) {
		size_t len = strcspn(scp, " ");
		if (len)
			json_array_append_new(out, json_stringn(scp, len));
		scp += len;
		scp += strspn(scp, " ");
	}
	return out;
}

/* Directory role template ids (Learn: permissions-reference). */
#define GLOBAL_ADMIN      "62e90394-69f5-4237-9190-012177145e10"
#define USER_ADMIN        "fe930be7-5e62-47db-91af-98c3a49a38b1"
#define PRIV_AUTH_ADMIN   "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"
#define GROUPS_ADMIN      "fdd7a751-b60b-444a-984c-02652fe8fa1c"
#define DIRECTORY_WRITERS "9360feb5-f418-4baa-8175-e2a00bac4301"
#define CLOUD_APP_ADMIN   "158c047a-c907-4556-b7ef-446551a6b5f7"
#define APP_ADMIN         "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"
#define PRIV_ROLE_ADMIN   "e8611ab8-c189-46e8-94e1-60213ab1f814"
#define APP_DEVELOPER     "cf1c38e5-3621-4004-a7cb-879624dced7c"
#define HYBRID_ID_ADMIN   "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2"
#define SECURITY_ADMIN    "194ae4cb-b126-40b2-bd5b-6091b380977d"
#define GUEST_USER_ROLE   "10dae51f-b6af-4016-8d66-8c2a99b929b3"
#define RESTRICTED_GUEST  "2af84b1e-32c8-42b7-82bc-daa82404023b"

/* The roles a delegated write needs, by the route's least permission (§8.5). */
static const struct {
	const char *least;
	const char *roles[8];
} admin_rules[] = {
    {"User.ReadWrite.All", {USER_ADMIN, PRIV_AUTH_ADMIN, NULL}},
    {"Group.ReadWrite.All", {GROUPS_ADMIN, USER_ADMIN, DIRECTORY_WRITERS, NULL}},
    {"GroupMember.ReadWrite.All", {GROUPS_ADMIN, USER_ADMIN, DIRECTORY_WRITERS, NULL}},
    {"AppRoleAssignment.ReadWrite.All",
     {CLOUD_APP_ADMIN, APP_ADMIN, USER_ADMIN, DIRECTORY_WRITERS, PRIV_ROLE_ADMIN, NULL}},
    {"Application.ReadWrite.OwnedBy",
     {APP_ADMIN, CLOUD_APP_ADMIN, APP_DEVELOPER, DIRECTORY_WRITERS, HYBRID_ID_ADMIN,
      SECURITY_ADMIN, NULL}},
    {"Application.ReadWrite.All",
     {APP_ADMIN, CLOUD_APP_ADMIN, APP_DEVELOPER, DIRECTORY_WRITERS, HYBRID_ID_ADMIN,
      SECURITY_ADMIN, NULL}},
};

static bool has_role(const json_t *claims, const char *role)
{
	size_t i;
	json_t *w;

	json_array_foreach(json_object_get(claims, "wids"), i, w)
	{
		if (json_is_string(w) && !strcasecmp(json_string_value(w), role))
			return true;
	}
	return false;
}

static bool admin_allowed(const struct route_perms *rule, const json_t *claims)
{
	/* the application list's first name: the permission an admin role backs */
	const char *first =
	    rule && rule->kind == PERM_LIST && rule->app ? rule->app[0] : NULL;
	char least[128];

	if (first)
		snprintf(least, sizeof(least), "%.*s", (int)strcspn(first, "+"), first);

	if (!first || has_role(claims, GLOBAL_ADMIN))
		return true;
	for (size_t i = 0; i < sizeof(admin_rules) / sizeof(admin_rules[0]); i++) {
		if (strcmp(admin_rules[i].least, least))
			continue;
		for (size_t r = 0; admin_rules[i].roles[r]; r++)
			if (has_role(claims, admin_rules[i].roles[r]))
				return true;
		return false;
	}
	return true;
}

bool perm_delegated_allowed(const struct route *route, const char *method,
                            const json_t *claims)
{
	bool own = !strncmp(route->pattern, "/me/", 4);

	if (own)
		return true;
	if (has_role(claims, RESTRICTED_GUEST))
		return false;
	/* the default guest role reads objects by id, never whole collections */
	if (has_role(claims, GUEST_USER_ROLE) && !strcmp(method, "GET") &&
	    !strchr(route->pattern, '{') && route->perms &&
	    route->perms->kind != PERM_NONE)
		return false;
	return admin_allowed(route->perms, claims);
}
