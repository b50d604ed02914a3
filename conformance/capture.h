/*
 * conformance/capture.h - the "capture" member of expect.json: paths that
 * pick a value out of a response and the text it turns into as a variable.
 */
#ifndef GRAPHMOCK_CONFORMANCE_CAPTURE_H
#define GRAPHMOCK_CONFORMANCE_CAPTURE_H

#include <jansson.h>

#include "match.h"

/*
 * capture_lookup() - follow a capture path such as "body.value[0].id",
 * "body.@odata.nextLink" or "headers.location" from @root (an object with
 * "body" and "headers" members). Keys are separated by '.', a piece ending
 * in "@odata" is re-joined with the next one ("@odata.nextLink",
 * "members@odata.bind"), "[n]" indexes arrays, header names are lower-cased.
 * Returns: borrowed reference into @root, or NULL with @err filled in.
 */
json_t *capture_lookup(const json_t *root, const char *path, struct match_err *err);

/*
 * capture_stringify() - the text a captured value turns into: strings as they
 * are, numbers in decimal, anything else as compact JSON.
 * Returns: new malloc'd string (caller frees), or NULL on allocation failure.
 */
char *capture_stringify(const json_t *v);

/*
 * capture_url_param() - the value of parameter @name in the query or
 * fragment of URL @url, percent-decoded ('+' as a space): what a capture
 * path ending in "?name" captures ("headers.location?code" picks the
 * authorization code out of a redirect).
 * Returns: new malloc'd string, or NULL when the URL has no such parameter.
 */
char *capture_url_param(const char *url, const char *name);

#endif
