/*
 * routes/registry.h - the route tables the router searches. Graph tables hold
 * version-less patterns ("/users/{id}"), served under /v1.0 and /beta; root
 * tables hold full paths outside Graph (the /_mock admin plane).
 */
#ifndef GRAPHMOCK_ROUTES_REGISTRY_H
#define GRAPHMOCK_ROUTES_REGISTRY_H

#include "../server/router.h"

/* NULL-terminated lists of route tables. */
extern const struct route *const graph_route_tables[];
extern const struct route *const root_route_tables[];

#endif
