/*
 * state/rewind.h - putting a tenant back the way it was built, in time that
 * grows with what changed since rather than with the tenant.
 *
 * A reset rebuilt the whole tenant from its fixture: 5-9 s and a second copy
 * of its memory at a million users, for a test that changed three objects.
 * Instead, a tenant built from the fixture (its baseline) keeps a record:
 *   - each object a write is about to change, with what it held before the
 *     first change (its text, shared with the fixture document, or a copy
 *     of its properties) and its place (seq); objects made since are noted
 *     as new;
 *   - every membership edge and app role assignment added or removed, in
 *     order, with what an undo needs.
 * state_rewind() then gives each noted object its first contents back in
 * its place (back from deleted items or made again after a purge), undoes
 * the edge log newest first, and drops what was made since. The rest of the
 * tenant (invitations, mailbox, policy, change log) is small and is loaded
 * again by the caller (state/load/fixture.c fixture_tenant_rewind).
 *
 * WHEN IT GIVES UP
 *   The record is "lost" (the next reset rebuilds, as before, and tracking
 *   starts again on the rebuilt tenant) when it would grow past a bound
 *   (REWIND_MAX_NOTES objects or edges, or an eighth of the tenant), when
 *   memory runs out, and when an object changes that no write noted first:
 *   the store's own mutators check (state_rewind_check), so a path that
 *   forgot to note costs a rebuild, never a wrong reset.
 *
 * Hooks are called by the store (state/dobj.c, deleted.c, assignment.c,
 * changelog.c); each does nothing while the tenant is loading (a build, or a
 * rewind itself) or not tracked. Everything runs under the tenant's lock.
 */
#ifndef GRAPHMOCK_STATE_REWIND_H
#define GRAPHMOCK_STATE_REWIND_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "state.h"

/* At least this many notes are kept whatever the tenant's size. */
#define REWIND_MIN_NOTES 4096

/*
 * state_rewind_start() - @t, just built from the fixture (no object of it
 * noted yet), is its own baseline from now on: track what changes. Without
 * memory it is not tracked (resets rebuild). state_rewind_stop() frees the
 * record.
 */
void state_rewind_start(struct tenant *t);
void state_rewind_stop(struct tenant *t);

/* Is @t tracked, with a record a rewind can use? */
bool state_rewind_ready(const struct tenant *t);

/* How many objects and edge changes the record holds (tests, the bench). */
size_t state_rewind_notes(const struct tenant *t);

/* ---- hooks: called by the store ---- */

/* @d is about to change (or may: a writing request found it). */
void state_rewind_note(struct tenant *t, struct dobj *d);
/* @d was made now, after the build. */
void state_rewind_created(struct tenant *t, struct dobj *d);
/* @d has changed: it must have been noted (else the record is lost). */
void state_rewind_check(struct tenant *t, const struct dobj *d);
/* A membership edge was added or removed. */
void state_rewind_member(struct tenant *t, bool added, const struct dobj *group,
                         const struct dobj *member);
/* An app role assignment joined or left the tenant's tables. */
void state_rewind_assignment(struct tenant *t, bool added, const struct assignment *a);

/*
 * state_rewind() - the objects, memberships and app role assignments of @t
 * as they were built (see above). @t->loading must be set by the caller (no
 * change is logged). Returns 0, or -1 when @t is not ready or memory ran
 * out on the way: then @t is half rewound and the caller must rebuild it.
 * The record is empty afterwards either way.
 */
int state_rewind(struct state *st, struct tenant *t);

/* Baseline data a caller keeps with the record (the check mode's export). */
void state_rewind_set_extra(struct tenant *t, json_t *extra);
json_t *state_rewind_extra(const struct tenant *t);

#endif
