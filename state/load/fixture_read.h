/*
 * state/load/fixture_read.h - reading a fixture or state document
 * (docs/fixtures.md) with its tenants' users kept as text where that changes
 * nothing (state/frozen.h): the document then holds, in place of each such
 * user object, its frozen text, which fixture_tenant_build() turns into a
 * stored user parsed only when first used.
 */
#ifndef GRAPHMOCK_STATE_LOAD_FIXTURE_READ_H
#define GRAPHMOCK_STATE_LOAD_FIXTURE_READ_H

#include <jansson.h>
#include <stddef.h>

/*
 * fixture_read() - the document in @len bytes at @text (state/util/jparse:
 * accepted or refused as jansson would). Returns: new reference, or NULL
 * with @jerr filled.
 */
json_t *fixture_read(const char *text, size_t len, json_error_t *jerr);

/* fixture_read_fd() - the same for the whole of open file @fd. */
json_t *fixture_read_fd(int fd, json_error_t *jerr);

#endif
