/*
 * routes/graph/users.h - what the two halves of the /users resource share:
 * users.c (reads, delete, the route table) and users_write.c (POST, PATCH
 * and the validation of user bodies). Private to routes/users*.c.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_USERS_H
#define GRAPHMOCK_ROUTES_GRAPH_USERS_H

#include <jansson.h>

struct call;
struct state;
struct req;
struct resp;
struct dobj;

/* Graph's "Invalid value" / "required" messages name the property like this. */
#define USERS_INVALID_FMT "Invalid value specified for property '%s' of resource 'User'."

/*
 * users_resolve() - the user that /users/{key} names: @key is an object id
 * (any case) or a userPrincipalName (case-insensitive, '#' already decoded).
 * Replication lag applies as for every read.
 * Returns: borrowed user, or NULL after a 404 (or 400 for a bare '$' key) on
 * @resp. Locking: caller holds st->lock.
 */
struct dobj *users_resolve(struct call *c, const char *key);

/*
 * users_create() / users_update() - POST /users and PATCH /users/{key}
 * (users_write.c). Handlers: 0, or -1 after resp_error().
 */
int users_create(struct call *c);
int users_update(struct call *c);

/* users_revoke_sessions() - POST /users/{key}/revokeSignInSessions (users_write.c). */
int users_revoke_sessions(struct call *c);

#endif
