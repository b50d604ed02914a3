/*
 * state/changelog.h - one change log per tenant: every write to a user,
 * group, service principal or application (create, property update, soft
 * delete, restore, permanent delete) and every membership edge added or
 * removed, in commit order. Delta queries read it (routes/graph/delta.c),
 * change notifications are fed from it (the commit hook below), and the
 * state export carries it, so delta tokens survive a save and load.
 *
 * HOW WRITES REACH IT
 *   The store logs what it does itself: state_dobj_add() a creation,
 *   state_dobj_remove() a permanent delete (with the memberships it drops),
 *   state_member_add()/_remove() the edges, state/deleted.c soft deletes and
 *   restores. Property updates are found by difference: the request pipeline
 *   opens a transaction on the tenant (state_txn_begin), every object a
 *   writing request finds or looks up is snapshotted first (and code that
 *   edits an object it reached otherwise calls state_dobj_touch()), and
 *   state_txn_end() compares each snapshot with the object as it is now and
 *   logs the top-level properties that differ. Until then entries are
 *   pending: an object created and removed again inside one request (a
 *   handler undoing its own half-done work) or an edge added and taken back
 *   leaves nothing behind. Without an open transaction (tests, loaders)
 *   entries are committed at once.
 *
 * BOUNDED MEMORY
 *   The log holds at most max_entries entries. Past that it is compacted:
 *   first the entries of one object (or one membership edge) are coalesced
 *   into the newest (its changed-property sets merged, a creation or restore
 *   turning the result into "every property"), which only ever makes a later
 *   delta round report a superset of what changed, as Graph allows; then, if
 *   still over, the oldest entries are dropped and floor_seq rises. Entries
 *   older than the token lifetime (7 days on the mock clock) are dropped too.
 *   A delta token at or below floor_seq cannot be answered any more: the
 *   client must sync again (HTTP 410 from the delta route).
 *
 * Locking: everything here runs under the tenant's lock.
 */
#ifndef GRAPHMOCK_STATE_CHANGELOG_H
#define GRAPHMOCK_STATE_CHANGELOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

/* Graph: "For directory objects, the limit is seven days." (delta-query-overview) */
#define CHANGELOG_TOKEN_LIFETIME_MS ((int64_t)7 * 24 * 3600 * 1000)
#define CHANGELOG_DEFAULT_MAX       10000
#define CHANGELOG_MIN_MAX           4

enum change_op {
	CHANGE_CREATED,
	CHANGE_UPDATED, /* props[] name what changed; all_props: everything */
	CHANGE_SOFT_DELETED,
	CHANGE_RESTORED,
	CHANGE_PURGED, /* permanently deleted */
	CHANGE_MEMBER_ADDED,
	CHANGE_MEMBER_REMOVED,
};
#define CHANGE_OP_COUNT (CHANGE_MEMBER_REMOVED + 1)

struct change {
	uint64_t seq; /* per tenant, ascending; 0 while pending */
	int64_t at_ms;
	enum change_op op;
	enum dobj_kind kind; /* of @id (a group for the member ops) */
	char id[GUID_STR_LEN + 1];
	enum dobj_kind member_kind; /* member ops: the member */
	char member_id[GUID_STR_LEN + 1];
	bool all_props;
	char **props; /* CHANGE_UPDATED: names (owned), sorted */
	size_t nprops;
};

struct txn_snap;

struct changelog {
	uint64_t epoch;     /* random per log: tokens of another epoch are unknown */
	uint64_t last_seq;  /* newest committed entry */
	uint64_t floor_seq; /* entries up to here were dropped (tokens resync) */
	size_t max_entries;
	bool used;        /* something was logged or a token issued: export it */
	struct change *v; /* committed, seq ascending */
	size_t n, cap;
	struct change *pending;
	size_t npending, cap_pending;
	bool txn;   /* a request holds a transaction open */
	bool write; /* ... and it may write: finds and lookups snapshot */
	struct txn_snap *snaps;
	size_t nsnaps, cap_snaps;
};

/*
 * state_changes_fn - told about entries as they are committed (@v, @n
 * borrowed for the call) under the tenant's lock: the server's change
 * notifications. Set with state_set_change_hook(); must not block.
 */
typedef void state_changes_fn(void *ctx, struct state *st, struct tenant *t,
                              const struct change *v, size_t n);

/* state_set_change_hook() - who hears of commits (NULL: nobody). */
void state_set_change_hook(struct state *st, state_changes_fn *fn, void *ctx);

/*
 * state_changelog() - @t's log, made on first use with a fresh epoch, and
 * from now on part of the state export (its epoch keeps tokens valid).
 * Returns: borrowed, or NULL on OOM.
 */
struct changelog *state_changelog(struct state *st, struct tenant *t);

/* state_changelog_free() - free a log and everything in it. NULL is fine. */
void state_changelog_free(struct changelog *log);

/*
 * state_change_log() - record one change of @t (pending inside a
 * transaction, else committed now). @props (borrowed, may be NULL) names the
 * changed properties of CHANGE_UPDATED; NULL means every property. Nothing
 * is logged while @t is loading. Returns 0, or -1 on OOM (nothing logged).
 */
int state_change_log(struct state *st, struct tenant *t, enum change_op op,
                     const struct dobj *d, const struct dobj *member,
                     const char *const *props, size_t nprops);

/*
 * state_txn_begin() - open a transaction on @t for one request; @write says
 * whether it may change objects (then every found object is snapshotted).
 * state_txn_end() - log the differences of the snapshots, commit the pending
 * entries (calling the hook) and close it. Both are no-ops while @t loads.
 */
void state_txn_begin(struct state *st, struct tenant *t, bool write);
void state_txn_end(struct state *st, struct tenant *t);

/*
 * state_dobj_touch() - @d is about to be edited in place: inside a
 * transaction, snapshot it (once); outside one, log it as updated (every
 * property) right away. Either way the tenant's rewind record notes what @d
 * holds now (state/rewind.h): an edit in place that no lookup of a writing
 * request and no touch came before is one a reset cannot undo.
 */
void state_dobj_touch(struct state *st, struct tenant *t, const struct dobj *d);

/*
 * state_txn_snapshot() - for finds and lookups: snapshot @d if a writing txn
 * is open. A tree is only marked (@d->snap_due) and copied when first used
 * (state_txn_snapshot_due): nothing edits it before, and a write that merely
 * finds an object (the member POST members/$ref adds) walks no cold tree.
 */
void state_txn_snapshot(struct tenant *t, const struct dobj *d);

/*
 * state_txn_snapshot_due() - @d->snap_due: its properties are about to be
 * used or replaced, so copy them now for the snapshot the find put off (if
 * the transaction that found it is still open). Clears @d->snap_due.
 * Called by state_dobj_json() and by whatever replaces @d->props.
 */
void state_txn_snapshot_due(struct tenant *t, struct dobj *d);

/*
 * state_changelog_set_max() - keep at most @max entries (at least
 * CHANGELOG_MIN_MAX), compacting now if needed. 0 or -1 (OOM).
 */
int state_changelog_set_max(struct state *st, struct tenant *t, size_t max);

/*
 * state_changelog_expire() - drop entries older than the token lifetime on
 * the mock clock (raising floor_seq). Cheap when nothing is due.
 */
void state_changelog_expire(struct state *st, struct tenant *t);

/* state_change_op_name() - "created", "updated", ... for exports and /_mock. */
const char *state_change_op_name(enum change_op op);

/*
 * state_changelog_export() - {"epoch","lastSeq","floorSeq","maxEntries",
 * "entries":[...]} of @t, or NULL when @t has no log in use. New reference.
 * state_changelog_load() - the inverse, for the fixture loader: 0, or -1
 * with "<path>.changeLog...: problem" in @err.
 */
json_t *state_changelog_export(const struct tenant *t);
int state_changelog_load(struct state *st, struct tenant *t, const json_t *j,
                         const char *path, char *err, size_t errlen);

#endif
