/*
 * server/core/cors.h - cross-origin access, as Microsoft Graph grants it, so
 * a single-page app (MSAL.js, the Graph JavaScript SDK, Graph Toolkit) runs
 * against graphmock from its own dev server as it runs against Graph.
 *
 * Graph answers every request with `Access-Control-Allow-Origin: *` and
 * exposes the headers a client reads (request-id, Retry-After, Location...;
 * recorded answers in docs/cors.md), and answers a browser's preflight. The
 * admin plane (/_mock/...) is left out: a page from anywhere must not read or
 * change a test's tenants (README "Security model").
 */
#ifndef GRAPHMOCK_SERVER_CORE_CORS_H
#define GRAPHMOCK_SERVER_CORE_CORS_H

#include <stdbool.h>

struct req;
struct resp;

/* The value of Access-Control-Allow-Origin on every answer cors_applies(). */
#define CORS_ALLOW_ORIGIN "*"

/* Graph's Access-Control-Expose-Headers, as recorded (docs/cors.md). */
#define CORS_EXPOSE_HEADERS                                                              \
	"ETag, Location, Preference-Applied, Content-Range, request-id, "                \
	"client-request-id, ReadWriteConsistencyToken, Retry-After, SdkVersion, "        \
	"WWW-Authenticate, x-ms-client-gcc-tenant, X-Planner-Operationid, "              \
	"x-ms-permissions-recommendations"

/* cors_applies() - may pages of other origins read the answer to @req? Every
 * path but the admin plane's. */
bool cors_applies(const struct req *req);

/*
 * cors_preflight() - when @req is a browser's preflight (OPTIONS with Origin
 * and Access-Control-Request-Method) of a path cors_applies() to, answer it
 * in @resp: 200, no body, the method and headers asked for allowed. Asked
 * before anything else of the pipeline: a preflight carries no token, and
 * no fault rule or tenant applies to it. Returns: whether it answered.
 */
bool cors_preflight(const struct req *req, struct resp *resp);

#endif
