/*
 * routes/entra/login.h - what the mock Entra ID endpoints (login.c, login_token.c)
 * share: Entra's OAuth error body, the {tenant} path segment, JSON replies
 * with login.microsoftonline.com's content type.
 */
#ifndef GRAPHMOCK_ROUTES_ENTRA_LOGIN_H
#define GRAPHMOCK_ROUTES_ENTRA_LOGIN_H

#include <jansson.h>
#include <stdbool.h>

struct req;
struct resp;
struct state;
struct tenant;

#define LOGIN_CONTENT_TYPE "application/json; charset=utf-8"
#define GRAPH_APP_ID       "00000003-0000-0000-c000-000000000000"
#define GRAPH_RESOURCE     "https://graph.microsoft.com"

/*
 * login_error() - Entra's OAuth error (graph-spec §10.4): @status with
 * {"error": @error, "error_description": "AADSTS<code>: <message>\r\nTrace
 * ID: ...\r\nCorrelation ID: ...\r\nTimestamp: ...", "error_codes": [code],
 * "timestamp", "trace_id", "correlation_id", "error_uri"}. Returns -1.
 */
int login_error(struct resp *resp, const struct req *req, unsigned status,
                const char *error, unsigned code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* login_invalid_tenant() - 400 invalid_tenant AADSTS90002 naming @segment. Returns -1. */
int login_invalid_tenant(struct resp *resp, const struct req *req, const char *segment);

/* login_is_alias() - common, organizations, consumers or adfs: not one tenant. */
bool login_is_alias(const char *segment);

/*
 * login_tenant() - the tenant a {tenant} segment names: a tenant id or
 * domain; for an alias, the first tenant holding a service principal with
 * @app_id (may be NULL), else the default tenant. NULL when unknown.
 * Returns: borrowed, not locked. Locking: the registry held (shared); takes
 * each tenant's lock in turn while it searches.
 */
struct tenant *login_tenant(struct state *st, const char *segment, const char *app_id);

/* login_reply() - @status with @body (steals) as LOGIN_CONTENT_TYPE. Returns 0 or -1. */
int login_reply(struct resp *resp, unsigned status, json_t *body);

#endif
