/*
 * routes/mock/ui.c - the dashboard at /_mock/ui: its files (ui_assets.h) with
 * their Content-Type, an ETag and revalidation (304), and a strict
 * Content-Security-Policy: scripts, styles and requests from this origin
 * only, nothing inline, no framing. The pages themselves are clients of
 * the public /_mock and Graph routes, like any other (routes/mock/ui/).
 */
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "ui.h"
#include "ui_assets.h"

/* clang-format off */
static const struct {
	const char *ext;
	const char *type;
} content_types[] = {
	{".html", "text/html; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".json", "application/json"},
};
/* clang-format on */

const char *ui_content_type(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(content_types) / sizeof(content_types[0]); i++) {
		size_t e = strlen(content_types[i].ext);
		if (n > e && !strcmp(name + n - e, content_types[i].ext))
			return content_types[i].type;
	}
	return "application/octet-stream";
}

const struct ui_asset *ui_asset_find(const char *name)
{
	for (const struct ui_asset *a = ui_assets; name && a->name; a++)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

/* Every answer of /_mock/ui, a 404 included, carries the same policy. */
static void security_headers(struct resp *resp)
{
	resp_header(resp, "Content-Security-Policy", "%s", UI_CSP);
	resp_header(resp, "X-Content-Type-Options", "nosniff");
	resp_header(resp, "Referrer-Policy", "no-referrer");
	resp_header(resp, "X-Frame-Options", "DENY");
}

static int serve(struct call *c, const char *name)
{
	const struct ui_asset *a = ui_asset_find(name);
	const char *match = req_header(c->req, "if-none-match");

	security_headers(c->resp);
	if (!a)
		return resp_error_code(c->resp, 404, "NotFound",
		                       "The dashboard has no file '%s'.", name);
	/* Revalidate every time (no-cache): a new binary brings new files. */
	resp_header(c->resp, "Cache-Control", "no-cache");
	resp_header(c->resp, "ETag", "%s", a->etag);
	if (match && (strstr(match, a->etag) || !strcmp(match, "*")))
		return resp_empty(c->resp, 304);
	if (resp_raw(c->resp, 200, ui_content_type(a->name), (const char *)a->data,
	             a->len))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return 0;
}

static int ui_index(struct call *c)
{
	return serve(c, "index.html");
}

static int ui_file(struct call *c)
{
	return serve(c, req_param(c->req, 0));
}

const struct route ui_routes[] = {
    {"GET", "/_mock/ui", ui_index, ROUTE_STATE_NONE, NULL, NULL},
    {"GET", "/_mock/ui/{file}", ui_file, ROUTE_STATE_NONE, NULL, NULL},
    {0},
};
