/*
 * state/changelog_internal.h - what changelog.c and changelog_export.c
 * share; not for use outside the change log.
 */
#ifndef GRAPHMOCK_STATE_CHANGELOG_INTERNAL_H
#define GRAPHMOCK_STATE_CHANGELOG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "changelog.h"

/* One top-level member of an object as a writing request found it. */
struct snap_member {
	const char *key; /* NUL-terminated, in the snapshot's own block */
	size_t key_len;
	json_t *value; /* scalars shared, containers copied (state/util/jcopy.h) */
};

struct txn_snap {
	char id[GUID_STR_LEN + 1];
	/* The object's members in its order, or NULL when they could not be
	 * kept or @frozen says it all. A flat copy: a jansson object made of
	 * them cost a hash insert and an allocation a member, and looking each
	 * up again at the end as much (~45k of POST members/$ref's ~95k). */
	struct snap_member *before;
	size_t nbefore;
	bool frozen; /* the object was still its frozen text (state/frozen.h) */
	bool due;    /* a tree not copied yet: unchanged unless used (snap_due) */
};

/* changelog_snap_take() - @s->before = the members of object @obj
 * (borrowed). 0, or -1 (OOM, or not an object) with @s->before NULL. */
int changelog_snap_take(struct txn_snap *s, const json_t *obj);

/* changelog_snap_release() - free @s's members; @s->before is NULL after. */
void changelog_snap_release(struct txn_snap *s);

/*
 * changelog_snap_diff() - the keys of the members of @now and of @s->before
 * (non-NULL) that differ, as @now's members then the ones it lost, at most
 * @cap of them into @out (borrowed from @now and @s, valid until either
 * changes); keys starting with '_' are internal and never listed.
 */
size_t changelog_snap_diff(const struct txn_snap *s, const json_t *now, const char **out,
                           size_t cap);

/* "created", "updated", ... by enum change_op. */
extern const char *const changelog_op_names[CHANGE_OP_COUNT];

/* changelog_change_release() - free an entry's property names. */
void changelog_change_release(struct change *c);

/* changelog_grow() - room for one more of @n elements of @size bytes. 0 or -1. */
int changelog_grow(void **v, size_t n, size_t *cap, size_t size);

/* changelog_props_set() - @c->props = sorted, unique copies of @props. 0 or -1. */
int changelog_props_set(struct change *c, const char *const *props, size_t n);

/* changelog_member_op() - a membership entry? */
bool changelog_member_op(enum change_op op);

#endif
