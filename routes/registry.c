/*
 * routes/registry.c - every route table, listed once. A new resource is one
 * file in routes/ plus one line here.
 */
#include "registry.h"

extern const struct route admin_routes[];
extern const struct route admin_faults_routes[];
extern const struct route admin_requests_routes[];
extern const struct route admin_state_routes[];
extern const struct route admin_clock_routes[];
extern const struct route users_routes[];
extern const struct route invitations_routes[];
extern const struct route mailbox_routes[];
extern const struct route mailpit_routes[];
extern const struct route redeem_routes[];

const struct route *const graph_route_tables[] = {
    users_routes,
    invitations_routes,
    NULL,
};

const struct route *const root_route_tables[] = {
    admin_routes,       admin_faults_routes, admin_requests_routes,
    admin_state_routes, admin_clock_routes,  mailbox_routes,
    mailpit_routes,     redeem_routes,       NULL,
};
