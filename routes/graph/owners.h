/*
 * routes/graph/owners.h - who owns what. A group (GROUP_OWNERS_KEY), an
 * application or a service principal (APP_OWNERS_KEY) keeps its owners' ids,
 * in the order they were added, as a hidden member of its stored properties:
 * no schema declares it, so no Graph answer ($select, $filter, $expand,
 * delta, deleted items) ever shows it, while exports write it and loads read
 * it back (docs/fixtures.md). An owner deleted since stays listed there and
 * is left out of every answer, so a restore brings it back, as for groups.
 * Used by group_common.c, app_owners.c, owned_objects.c and expand.c.
 * Locking: every function runs inside a handler, the tenant's lock held;
 * the objects it hands out are borrowed for as long.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_OWNERS_H
#define GRAPHMOCK_ROUTES_GRAPH_OWNERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../../state/state.h"
#include "../../state/util/guid.h"
#include "odata_ref.h"

struct call;
struct dobj_list;

/* Stored, never rendered: the owner ids of an application or service principal. */
#define APP_OWNERS_KEY "_appOwners"

/* The ids of one request's "owners@odata.bind" (odata_ref_bind()). */
struct owner_binds {
	char ids[ODATA_BIND_MAX][GUID_STR_LEN + 1];
	size_t n;
};

/* owners_key() - where objects of @kind keep their owners; NULL: they have none. */
const char *owners_key(enum dobj_kind kind);

/* owners_has() - does @d list @id among its owners (deleted ones included)? */
bool owners_has(const struct dobj *d, const char *id);

/*
 * owners_list() - @d's owners that exist and are visible, in the order they
 * were added, appended to @out. Returns 0, or -1 on OOM.
 */
int owners_list(struct call *c, const struct dobj *d, struct dobj_list *out);

/*
 * owners_owned_by() - every visible group, application and service
 * principal that lists @owner among its owners, appended to @out (kind by
 * kind; callers sort). Returns 0, or -1 on OOM.
 */
int owners_owned_by(struct call *c, const struct dobj *owner, struct dobj_list *out);

/*
 * owners_check() - may @id become an owner of @d (NULL: an object not made
 * yet)? Answered as groups' owners/$ref answers: an unknown id -> 404
 * Request_ResourceNotFound naming it; an object that is neither a user nor
 * a service principal -> 400 "Invalid object identifier"; an owner already
 * there -> 400 "One or more added object references already exist for the
 * following modified properties: 'owners'.". Returns 0, or -1 after
 * resp_error().
 */
int owners_check(struct call *c, const struct dobj *d, const char *id);

/*
 * owners_binds_check() - owners_check() for each bound id of a new object;
 * an id bound twice is the duplicate error. Returns 0, or -1 after
 * resp_error().
 */
int owners_binds_check(struct call *c, const struct owner_binds *binds);

/*
 * owners_binds_store() - the checked @binds as @obj's owners under @key
 * (nothing when there are none), @obj not stored yet. Returns 0, or -1 on
 * OOM (@obj may then hold part of them: the caller drops it).
 */
int owners_binds_store(json_t *obj, const char *key, const struct owner_binds *binds);

/* owners_add() - append @id to @d's owners. Returns 0, or -1 on OOM (no change). */
int owners_add(struct dobj *d, const char *id);

/* owners_remove() - take @id off @d's owners; false when it was not there. */
bool owners_remove(struct dobj *d, const char *id);

#endif
