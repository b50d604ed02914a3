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

static bool any_entry(const json_t *claims, const char *const *list, unsigned from)
{
	for (; list && *list; list++)
		if (entry_held(claims, *list, from))
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
		return any_entry(claims, rule->delegated, FROM_SCP);
	return any_entry(claims, rule->app, FROM_ROLES);
}
