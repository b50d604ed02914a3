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

/* perm_is_delegated() - is this a delegated token (a non-empty `scp`)? */
bool perm_is_delegated(const json_t *claims);

/*
 * perm_granted() - does @rule let a token with @claims through? A delegated
 * token (non-empty `scp`) needs one entry of @rule->delegated, all of whose
 * '+'-joined permissions are in its scp; an app-only token one entry of
 * @rule->app in its roles. "X.ReadWrite.Y" also grants "X.Read.Y". NULL
 * @rule: no.
 */
bool perm_granted(const struct route_perms *rule, const json_t *claims);

/*
 * perm_granted_on() - perm_granted() for a request that does (@self) or does
 * not act on the signed-in user's own object: User.Read and User.ReadWrite
 * alone grant a delegated token its own /users/{id} only.
 */
bool perm_granted_on(const struct route_perms *rule, const json_t *claims, bool self);

/*
 * perm_least() - the least-privileged permissions @rule needs of a
 * @delegated (else application) token: the first entry of that list, an
 * "A+B" entry split in two, into @out (@n slots, NULL-terminated), the names
 * copied into @buf (@len bytes). For the permission report.
 */
void perm_least(const struct route_perms *rule, bool delegated, const char **out,
                size_t n, char *buf, size_t len);

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
