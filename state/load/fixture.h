/*
 * state/load/fixture.h - turning a fixture document (docs/fixtures.md) into
 * tenants. Private to state/.
 */
#ifndef GRAPHMOCK_STATE_LOAD_FIXTURE_H
#define GRAPHMOCK_STATE_LOAD_FIXTURE_H

#include <jansson.h>
#include <stddef.h>

#include "../state.h"

/*
 * fixture_tenant_build() - a new tenant from fixture object @doc (borrowed),
 * whose JSON path is @path (for messages), with its own copy of the gallery
 * @templates (borrowed; NULL for none). @id overrides the tenant id when
 * non-NULL. Objects loaded here exist from the start: no replication lag.
 * Returns: new tenant (caller frees with fixture_tenant_free), or NULL with
 * "<path>: <problem>" in @err.
 */
struct tenant *fixture_tenant_build(struct state *st, const json_t *doc,
                                    const json_t *templates, const char *path,
                                    const char *id, char *err, size_t errlen);

/* fixture_tenant_free() - free a tenant and all it holds. */
void fixture_tenant_free(struct tenant *t);

/* fixture_templates_check() - validate the applicationTemplates array. 0 or -1 + @err. */
int fixture_templates_check(const json_t *templates, char *err, size_t errlen);

/* The built-in default fixture (state/default_fixture.json, compiled in). */
extern const char default_fixture_json[];

#endif
