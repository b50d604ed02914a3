/*
 * state/changelog_internal.h - what changelog.c and changelog_export.c
 * share; not for use outside the change log.
 */
#ifndef GRAPHMOCK_STATE_CHANGELOG_INTERNAL_H
#define GRAPHMOCK_STATE_CHANGELOG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "changelog.h"

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
