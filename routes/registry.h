/*
 * routes/registry.h - the route tables of routes/. Graph tables hold
 * version-less patterns ("/users/{id}"), served under /v1.0 and /beta; root
 * tables hold full paths outside Graph (the /_mock admin plane, Entra's
 * endpoints). The server adds its own tables ($batch, /_mock/faults, ...)
 * to these; only main() and tests include this header.
 */
#ifndef GRAPHMOCK_ROUTES_REGISTRY_H
#define GRAPHMOCK_ROUTES_REGISTRY_H

#include "../server/core/router.h"

/* NULL-terminated lists of route tables. */
extern const struct route *const graph_route_tables[];
extern const struct route *const root_route_tables[];

/* Both, as main() hands them to the server (srv_features_init()). */
extern const struct route_set registry_routes;

#endif
