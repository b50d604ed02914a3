/*
 * state/assignment.c - app role assignments: the per-tenant table keyed by
 * Graph's base64url assignment id, the lists of each principal and resource,
 * and the lag window.
 */
#include <stdio.h>
#include <string.h>

#include "rewind.h"
#include "state.h"

struct assignment *state_assignment_add(struct state *st, struct tenant *t,
                                        const char *id, const char *principal_id,
                                        const char *resource_id, const char *app_role_id,
                                        json_t *obj)
{
	struct assignment *a, *check;
	struct dobj *principal, *resource;
	char key[GUID_STR_LEN + 1];

	if (strlen(id) >= sizeof(a->id) || !guid_valid(principal_id) ||
	    !guid_valid(resource_id))
		goto out_release;
	guid_lower(principal_id, key);
	HASH_FIND_STR(t->objects, key, principal);
	guid_lower(resource_id, key);
	HASH_FIND_STR(t->objects, key, resource);
	if (!principal || !resource)
		goto out_release;
	HASH_FIND_STR(t->assignments, id, check);
	if (check)
		goto out_release;
	a = state_calloc(1, sizeof(*a));
	if (!a)
		goto out_release;
	snprintf(a->id, sizeof(a->id), "%s", id);
	guid_lower(principal_id, a->principal_id);
	guid_lower(resource_id, a->resource_id);
	guid_lower(app_role_id, a->app_role_id);
	a->obj = obj;
	a->seq = state_next_seq(st);
	if (!t->loading) {
		int64_t lag = atomic_load(&st->lag_ms[LAG_ASSIGNMENT]);

		a->visible_at_ms = lag ? state_now_ms(st) + lag : 0;
		a->invisible_reads = atomic_load(&st->lag_reads[LAG_ASSIGNMENT]);
	}
	HASH_ADD_STR(t->assignments, id, a);
	HASH_FIND_STR(t->assignments, a->id, check);
	if (check != a) {
		state_free(a);
		goto out_release;
	}
	a->principal = principal;
	a->resource = resource;
	DL_APPEND2(principal->as_principal, a, p_prev, p_next);
	DL_APPEND2(resource->as_resource, a, r_prev, r_next);
	state_rewind_assignment(t, true, a);
	return a;

out_release:
	json_decref(obj);
	return NULL;
}

bool state_assignment_visible(struct state *st, const struct assignment *a)
{
	return !a->visible_at_ms || state_now_ms(st) >= a->visible_at_ms;
}

struct assignment *state_assignment_find(struct state *st, struct tenant *t,
                                         const char *id)
{
	struct assignment *a;

	HASH_FIND_STR(t->assignments, id, a);
	if (!a || !state_assignment_visible(st, a))
		return NULL;
	if (a->invisible_reads > 0) {
		a->invisible_reads--;
		return NULL;
	}
	return a;
}

void state_assignment_detach(struct tenant *t, struct assignment *a)
{
	state_rewind_assignment(t, false, a);
	DL_DELETE2(a->principal->as_principal, a, p_prev, p_next);
	DL_DELETE2(a->resource->as_resource, a, r_prev, r_next);
	HASH_DEL(t->assignments, a);
	a->principal = a->resource = NULL;
	a->p_prev = a->p_next = a->r_prev = a->r_next = NULL;
}

static int by_seq(const struct assignment *x, const struct assignment *y)
{
	return (x->seq > y->seq) - (x->seq < y->seq);
}

int state_assignment_attach(struct tenant *t, struct assignment *a)
{
	struct dobj *principal, *resource;
	struct assignment *check;

	HASH_FIND_STR(t->objects, a->principal_id, principal);
	HASH_FIND_STR(t->objects, a->resource_id, resource);
	HASH_FIND_STR(t->assignments, a->id, check);
	if (!principal || !resource || check)
		return -1;
	HASH_ADD_STR(t->assignments, id, a);
	HASH_FIND_STR(t->assignments, a->id, check);
	if (check != a)
		return -1; /* uthash ran out of memory and did not add it */
	a->principal = principal;
	a->resource = resource;
	/* Back with the seq it had: in its place, as readers walk the lists in
	 * seq order (routes/graph/app_role_assignments.c). */
	DL_INSERT_INORDER2(principal->as_principal, a, by_seq, p_prev, p_next);
	DL_INSERT_INORDER2(resource->as_resource, a, by_seq, r_prev, r_next);
	state_rewind_assignment(t, true, a);
	return 0;
}

void state_assignment_remove(struct tenant *t, struct assignment *a)
{
	state_assignment_detach(t, a);
	json_decref(a->obj);
	state_free(a);
}
