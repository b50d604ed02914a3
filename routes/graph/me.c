/*
 * routes/graph/me.c - /me itself has no handler of its own: the pipeline
 * (server/exchange.c) turns /me/... into /me/<signed-in user's id>/...,
 * whose rows sit beside their /users/{id} twins (users.c, member_of.c,
 * app_role_assignments.c, directory_objects.c), and answers Graph's 400
 * "/me request is only valid with delegated authentication flow." for
 * tokens without a signed-in user. Nothing is left for this table.
 */
#include "../../server/core/router.h"

const struct route me_routes[] = {
    {0},
};
