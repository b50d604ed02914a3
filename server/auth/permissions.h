/*
 * server/auth/permissions.h - the check of a token's `roles`/`scp` against the
 * Graph permissions a route row names (struct route_perms, server/core/router.h;
 * the sets themselves are in routes/graph/permissions.c, each row names its own,
 * so a Graph route cannot exist without one).
 */
#ifndef GRAPHMOCK_SERVER_AUTH_PERMISSIONS_H
#define GRAPHMOCK_SERVER_AUTH_PERMISSIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct route;
struct route_perms;

/* perm_has_claims() - do @claims carry a non-empty `roles` array or `scp` string? */
bool perm_has_claims(const json_t *claims);

/*
 * perm_held() - does a token with @claims hold @perm, through `roles` (app)
 * or space-separated `scp` (delegated)? "X.ReadWrite.Y" also grants "X.Read.Y".
 */
bool perm_held(const json_t *claims, const char *perm);

/* perm_granted() - does @rule let a token with @claims through? NULL @rule: no. */
bool perm_granted(const struct route_perms *rule, const json_t *claims);

/*
 * perm_least() - the least-privileged permissions @rule needs (the first of
 * each list), into @out (@n slots, NULL-terminated). For the permission
 * report.
 */
void perm_least(const struct route_perms *rule, const char **out, size_t n);

/* perm_granted_list() - the token's roles, or its scp split, as an array. New. */
json_t *perm_granted_list(const json_t *claims);

/*
 * perm_delegated_allowed() - what a signed-in user may do beyond the
 * token's scopes (identity.md §8.2, §8.5): a guest with the default guest
 * role (wids) may not list directory collections, a restricted guest may
 * only use /me; a write whose least permission needs an administrator
 * needs one of its directory roles in wids (Global Administrator always
 * does). Owners are not special.
 */
bool perm_delegated_allowed(const struct route *route, const char *method,
                            const json_t *claims);

#endif
