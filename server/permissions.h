/*
 * server/permissions.h - which Microsoft Graph permissions grant each Graph
 * route (graph-spec §10.2), and the check of a token's `roles`/`scp` against
 * them. The table is keyed by the route's method and pattern, so struct route
 * and the route tables stay as they are; permissions_test.c walks
 * graph_route_tables so no route ships without an entry.
 */
#ifndef GRAPHMOCK_SERVER_PERMISSIONS_H
#define GRAPHMOCK_SERVER_PERMISSIONS_H

#include <jansson.h>
#include <stdbool.h>

enum perm_kind {
	PERM_NONE,  /* no permission at all ($metadata) */
	PERM_TOKEN, /* any token carrying roles or scp */
	PERM_LIST,  /* one of .any (and, when set, one of .also) */
};

struct perm_rule {
	const char *method;
	const char *pattern; /* exactly as in the route table */
	enum perm_kind kind;
	const char *const *any;  /* NULL-terminated, least privileged first */
	const char *const *also; /* NULL, or a second NULL-terminated list */
};

/* The whole table, terminated by an entry whose method is NULL. */
extern const struct perm_rule perm_rules[];

/* perm_find() - the rule for @method + @pattern, or NULL. Returns: borrowed (static). */
const struct perm_rule *perm_find(const char *method, const char *pattern);

/* perm_has_claims() - do @claims carry a non-empty `roles` array or `scp` string? */
bool perm_has_claims(const json_t *claims);

/*
 * perm_held() - does a token with @claims hold @perm, through `roles` (app)
 * or space-separated `scp` (delegated)? "X.ReadWrite.Y" also grants "X.Read.Y".
 */
bool perm_held(const json_t *claims, const char *perm);

/* perm_granted() - does @rule let a token with @claims through? NULL @rule: no. */
bool perm_granted(const struct perm_rule *rule, const json_t *claims);

#endif
