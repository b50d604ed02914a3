/*
 * state/load/export.h - live state as a fixture document (docs/fixtures.md), the
 * inverse of state_load(): exporting, loading the export and exporting again
 * gives an identical document. Used by GET /_mock/state and --state-file.
 */
#ifndef GRAPHMOCK_STATE_LOAD_EXPORT_H
#define GRAPHMOCK_STATE_LOAD_EXPORT_H

#include <jansson.h>

struct buf;
struct state;
struct tenant;

/*
 * state_export() - {"tenants": [...], "applicationTemplates": [...]} with
 * every tenant's objects (deep copies, insertion order), memberships, app
 * role assignments, invitations and mailbox (state/invitation.h, mailbox.h). Objects
 * inside a replication-lag window are included. Returns: new reference, or NULL on OOM.
 * Locking: caller holds the registry lock (shared is enough); each tenant's
 * own lock is taken in turn here.
 */
json_t *state_export(struct state *st);

/*
 * state_export_tenant() - one tenant of the document above. New reference or
 * NULL. Locking: caller holds @t's lock.
 */
json_t *state_export_tenant(const struct tenant *t);

/*
 * state_export_tenant_snapshot() - the same, cheap to take and safe to keep:
 * its objects and arrays are its own and its scalars shared with the store
 * (state/util/jcopy.h), a user still frozen is its text, which never
 * changes, and the memberships and appRoleAssignments members are each the
 * text of that array, frozen (state_frozen_text(): one element a line). So the caller
 * takes it under @t's lock and renders and drops it after releasing the lock, while
 * requests change @t (server/export_stream.c: a million users are rendered with no lock
 * held). New reference or NULL. Locking: caller holds @t's lock.
 */
json_t *state_export_tenant_snapshot(const struct tenant *t);

/*
 * state_export_frozen_user() - append to @out the export text of the user a
 * snapshot holds as its frozen text @v, completed with its defaults without
 * parsing it (model_user_complete_text()). Returns 0, or -1 with @out
 * untouched when it must be thawed instead (state_frozen_thaw()). No lock:
 * the text never changes, and completing it reads nothing of the tenant.
 */
int state_export_frozen_user(const json_t *v, struct buf *out);

#endif
