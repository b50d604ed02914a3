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

#endif
