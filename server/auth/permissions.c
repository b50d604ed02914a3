/*
 * server/auth/permissions.c - the check of a token's roles/scp against the
 * permission set a route row names (routes/graph/permissions.c holds the sets).
 */
#include "permissions.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/router.h"

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

bool perm_granted(const struct route_perms *rule, const json_t *claims)
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
