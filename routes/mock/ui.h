/*
 * routes/mock/ui.h - what the dashboard route (ui.c) exposes to its tests and
 * to the pages that share the dashboard's look: the policy every /_mock/ui
 * answer carries, and the file lookup.
 */
#ifndef GRAPHMOCK_ROUTES_MOCK_UI_H
#define GRAPHMOCK_ROUTES_MOCK_UI_H

#include "ui_assets.h"

/*
 * The Content-Security-Policy of /_mock/ui: this origin's scripts, styles,
 * images and requests only, nothing inline, no plugins, no <base> URL, no
 * form posts, never framed. The mailbox renders each message in a sandboxed
 * srcdoc frame, which inherits this policy (no scripts, no styles).
 */
#define UI_CSP                                                                           \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "      \
	"connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; "    \
	"frame-ancestors 'none'"

/* ui_content_type() - the Content-Type for file @name, by its extension. */
const char *ui_content_type(const char *name);

/* ui_asset_find() - the compiled-in file @name, or NULL. */
const struct ui_asset *ui_asset_find(const char *name);

#endif
