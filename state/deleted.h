/*
 * state/deleted.h - soft delete: Graph's /directory/deletedItems. Deleting a
 * user, group, application or service principal moves it out of the
 * directory into the tenant's deleted items for 30 days on the mock clock,
 * after which it is deleted for good. A deleted object is in no table or
 * index: lookups, listings, memberships and tokens no longer see it. What it
 * held is kept beside it so a restore brings it back as it was: its group
 * memberships (and, for a group, its members), its app role assignments, its
 * userPrincipalName. While deleted, a user's userPrincipalName is Graph's
 * rewritten form (its id without hyphens, then the original name), so the
 * name is free for a new user, and a service principal's appId is free for
 * a new service principal; a Microsoft 365 group keeps its address reserved
 * (state_deleted_holder()). A restore meets what was taken meanwhile.
 * Locking: the tenant's lock.
 */
#ifndef GRAPHMOCK_STATE_DELETED_H
#define GRAPHMOCK_STATE_DELETED_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

/* "Deleted items remain available to restore for up to 30 days." (directory resource) */
#define DELETED_RETENTION_MS ((int64_t)30 * 24 * 3600 * 1000)

struct deleted_ids {
	char (*v)[GUID_STR_LEN + 1];
	size_t n, cap;
};

struct deleted_item {
	char id[GUID_STR_LEN + 1];
	struct dobj *d; /* detached; its properties carry "deletedDateTime" */
	int64_t deleted_ms;
	uint64_t seq;                   /* deletion order: listings */
	struct deleted_ids member_of;   /* groups it was a direct member of */
	struct deleted_ids members;     /* groups: its direct members */
	struct assignment *assignments; /* app role assignments naming it (owned) */
	char *upn;                      /* users: userPrincipalName before deletion */
	UT_hash_handle hh;
};

/*
 * state_dobj_soft_delete() - move @d into deleted items (see above) and log
 * it. Returns 0, or -1 on OOM with nothing changed.
 */
int state_dobj_soft_delete(struct state *st, struct tenant *t, struct dobj *d);

/*
 * state_dobj_delete() - what DELETE does to @d in Graph: users,
 * applications, service principals, Microsoft 365 and security groups are
 * soft-deleted; distribution groups (mail-enabled, not Unified, not
 * security-enabled) are deleted for good. 0, or -1 on OOM (nothing changed).
 */
int state_dobj_delete(struct state *st, struct tenant *t, struct dobj *d);

/* state_deleted_find() - by id (any case). Borrowed or NULL. */
struct deleted_item *state_deleted_find(struct tenant *t, const char *id);

enum restore_result {
	RESTORE_OK,
	RESTORE_UPN_TAKEN,   /* another user holds its userPrincipalName */
	RESTORE_PROXY_TAKEN, /* another object holds its mail address */
	RESTORE_APPID_TAKEN, /* a service principal of its appId exists */
	RESTORE_NO_APP,      /* a service principal without its application */
	RESTORE_OOM,
};

/*
 * state_deleted_restore() - bring @it back into the directory under the same
 * id, with its memberships and app role assignments wherever the other end
 * is in the directory (an end that is itself deleted gets the edge back when
 * it is restored). Users take @new_upn when non-NULL (already checked by the
 * caller), else their old name; @reconcile drops mail addresses another
 * object now holds instead of failing. On RESTORE_OK @it is freed and *@out
 * is the object (borrowed); otherwise nothing changed.
 */
enum restore_result state_deleted_restore(struct state *st, struct tenant *t,
                                          struct deleted_item *it, const char *new_upn,
                                          bool reconcile, struct dobj **out);

/*
 * state_deleted_purge() - delete @it for good: its groups lose the member
 * (logged), the object is logged as permanently deleted, and @it is freed.
 */
void state_deleted_purge(struct state *st, struct tenant *t, struct deleted_item *it);

/*
 * state_deleted_take() - @it's object, detached, its item dropped with the
 * app role assignments it kept, logging nothing (state/rewind.c puts the
 * object back as it was built).
 */
struct dobj *state_deleted_take(struct tenant *t, struct deleted_item *it);

/* state_deleted_expire() - purge what has been deleted 30 days on the mock clock. */
void state_deleted_expire(struct state *st, struct tenant *t);

/*
 * state_deleted_holder() - the deleted item of @kind holding @key in @idx
 * (IDX_APPID: appId, IDX_MAIL: mail), or NULL. Borrowed.
 */
const struct deleted_item *state_deleted_holder(const struct tenant *t,
                                                enum dobj_index idx, const char *key,
                                                enum dobj_kind kind);

/* state_deleted_clear() - free every deleted item, logging nothing (tenant teardown). */
void state_deleted_clear(struct tenant *t);

/*
 * state_deleted_export() - [{"kind", "deletedAt", "object", "memberOf",
 * "members", "appRoleAssignments", "userPrincipalName"}] in deletion order.
 * New reference or NULL. state_deleted_load() - the inverse for the fixture
 * loader; 0, or -1 with "<path>.deletedItems[i]...: problem" in @err.
 */
json_t *state_deleted_export(const struct tenant *t);
int state_deleted_load(struct state *st, struct tenant *t, const json_t *arr,
                       const char *path, char *err, size_t errlen);

#endif
