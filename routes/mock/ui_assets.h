/*
 * routes/mock/ui_assets.h - the dashboard's files (routes/mock/ui/), compiled
 * into the binary by the Makefile as byte arrays ($(O)/gen/ui_assets.c), so
 * /_mock/ui works offline with nothing beside the executable.
 */
#ifndef GRAPHMOCK_ROUTES_MOCK_UI_ASSETS_H
#define GRAPHMOCK_ROUTES_MOCK_UI_ASSETS_H

#include <stddef.h>

struct ui_asset {
	const char *name; /* file name under routes/mock/ui/: "app.js" */
	const unsigned char *data;
	size_t len;
	const char *etag; /* quoted: "\"<16 hex digits of its SHA-256>\"" */
};

/* Every file, ended by an entry whose name is NULL (generated). */
extern const struct ui_asset ui_assets[];

#endif
