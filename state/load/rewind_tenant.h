/*
 * state/load/rewind_tenant.h - a reset as a rewind (state/rewind.h): the
 * objects and edges put back from the record, the tenant's small parts
 * (invitations, mailbox, policy, gallery, change log) loaded again from its
 * fixture object. Private to state/load/.
 */
#ifndef GRAPHMOCK_STATE_LOAD_REWIND_TENANT_H
#define GRAPHMOCK_STATE_LOAD_REWIND_TENANT_H

#include <jansson.h>

#include "../state.h"

/*
 * fixture_tenant_track() - @t was just built from fixture object @tdoc:
 * record what changes from now on, so a reset can rewind (unless @tdoc holds
 * what only a rebuild restores). In check mode the export of @t is kept to
 * compare each rewind with. Locking: @t is not shared yet, or its lock.
 */
void fixture_tenant_track(struct state *st, struct tenant *t, const json_t *tdoc);

/*
 * fixture_tenant_rewind() - @t as fixture object @tdoc with gallery
 * @templates built it. Returns 0; 1 when it cannot (not tracked, record
 * lost), @t untouched; -1 when memory ran out on the way: @t is half
 * rewound, and the caller must rebuild it before unlocking.
 * Locking: @t's lock.
 */
int fixture_tenant_rewind(struct state *st, struct tenant *t, const json_t *tdoc,
                          const json_t *templates);

#endif
