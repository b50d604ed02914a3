/*
 * state/model/graph_permissions.h - Microsoft Graph's own permissions as its
 * service principal (appId 00000003-0000-0000-c000-000000000000) publishes
 * them: every application permission as an appRole and every delegated one as
 * an oauth2PermissionScope, with Microsoft's ids, values and texts
 * (graph_permissions.json; source and licence in docs/fixtures.md). A Graph
 * service principal that a fixture or POST /servicePrincipals gives no appRoles
 * (or no oauth2PermissionScopes) gets these, so a tool grants Directory.Read.All
 * or any other permission by id as it does in a tenant.
 */
#ifndef GRAPHMOCK_STATE_MODEL_GRAPH_PERMISSIONS_H
#define GRAPHMOCK_STATE_MODEL_GRAPH_PERMISSIONS_H

#include <jansson.h>

/* The appId of Microsoft Graph's service principal, in every tenant. */
#define MODEL_GRAPH_APP_ID "00000003-0000-0000-c000-000000000000"

/* The catalogue, embedded by the Makefile from graph_permissions.json. */
extern const char model_graph_permissions_json[];

/*
 * model_graph_permissions() - the catalogue parsed: {"appRoles": [...],
 * "oauth2PermissionScopes": [...]}. Built on first use and then shared,
 * never changed, by every tenant (stored objects point at its arrays, so
 * 650 roles and 740 scopes cost nothing per tenant). Thread-safe.
 * Returns: borrowed, valid for the life of the process, or NULL when it
 * could not be built (out of memory; a later call tries again).
 */
const json_t *model_graph_permissions(void);

#endif
