/*
 * state/deleted.c - deleted items (deleted.h): moving objects out of the
 * directory and back, purging them, the reserved keys they hold, and their
 * export and import.
 */
#include "deleted.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "changelog.h"
#include "invitation.h"
#include "rewind.h"

static int ids_push(struct deleted_ids *ids, const char *id)
{
	for (size_t i = 0; i < ids->n; i++)
		if (!strcmp(ids->v[i], id))
			return 0;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 4;
		void *grown = state_realloc(ids->v, cap * sizeof(*ids->v));
		if (!grown)
			return -1;
		ids->v = grown;
		ids->cap = cap;
	}
	guid_lower(id, ids->v[ids->n++]);
	return 0;
}

/* app role assignments of a deleted item: kept in a uthash table by id */
static int asg_keep(struct deleted_item *it, struct assignment *a)
{
	struct assignment *check;

	HASH_ADD_STR(it->assignments, id, a);
	HASH_FIND_STR(it->assignments, a->id, check);
	return check == a ? 0 : -1;
}

static void item_free(struct tenant *t, struct deleted_item *it)
{
	struct assignment *a, *tmp;

	HASH_ITER(hh, it->assignments, a, tmp)
	{
		HASH_DEL(it->assignments, a);
		json_decref(a->obj);
		state_free(a);
	}
	if (it->d)
		state_dobj_free(t, it->d);
	state_free(it->member_of.v);
	state_free(it->members.v);
	state_free(it->upn);
	state_free(it);
}

struct deleted_item *state_deleted_find(struct tenant *t, const char *id)
{
	char key[GUID_STR_LEN + 1];
	struct deleted_item *it;

	if (!id || !guid_valid(id))
		return NULL;
	guid_lower(id, key);
	HASH_FIND_STR(t->deleted, key, it);
	return it;
}

static void schedule_purge(struct tenant *t, int64_t deleted_ms)
{
	int64_t due = deleted_ms + DELETED_RETENTION_MS;

	if (!t->deleted_next_purge_ms || due < t->deleted_next_purge_ms)
		t->deleted_next_purge_ms = due;
}

/* The item shell for @d: edges as ids, the old name. NULL on OOM. */
static struct deleted_item *item_new(struct state *st, struct dobj *d)
{
	struct deleted_item *it = state_calloc(1, sizeof(*it));
	const struct dobj_link *l;
	const char *upn =
	    json_string_value(json_object_get(state_dobj_json(d), "userPrincipalName"));

	if (!it)
		return NULL;
	memcpy(it->id, d->id, sizeof(it->id));
	it->deleted_ms = state_now_ms(st);
	it->seq = state_next_seq(st);
	for (l = d->member_of; l; l = l->hh.next)
		if (ids_push(&it->member_of, l->id))
			goto out_free;
	for (l = d->members; l; l = l->hh.next)
		if (ids_push(&it->members, l->id))
			goto out_free;
	if (d->kind == DOBJ_USER && upn) {
		it->upn = state_strdup(upn);
		if (!it->upn)
			goto out_free;
	}
	return it;

out_free:
	item_free(NULL, it);
	return NULL;
}

/* "{id without hyphens}{old name}": how Entra renames a deleted user. */
static json_t *deleted_upn(const struct dobj *d, const char *upn)
{
	char buf[GUID_STR_LEN + 512];
	size_t n = 0;

	for (const char *p = d->id; *p; p++)
		if (*p != '-')
			buf[n++] = *p;
	snprintf(buf + n, sizeof(buf) - n, "%s", upn);
	return json_string(buf);
}

int state_dobj_soft_delete(struct state *st, struct tenant *t, struct dobj *d)
{
	struct deleted_item *it, *check;
	struct assignment *a;
	char when[TIME_ISO_LEN];
	json_t *old_upn;

	state_rewind_note(t, d);
	it = item_new(st, d);
	if (!it)
		return -1;
	HASH_ADD_STR(t->deleted, id, it);
	HASH_FIND_STR(t->deleted, it->id, check);
	if (check != it)
		goto out_free;
	time_format(it->deleted_ms, TIME_SECONDS_Z, when);
	old_upn = json_incref(json_object_get(state_dobj_json(d), "userPrincipalName"));
	if (json_object_set_new(state_dobj_json(d), "deletedDateTime",
	                        json_string(when)) ||
	    (it->upn && json_object_set_new(state_dobj_json(d), "userPrincipalName",
	                                    deleted_upn(d, it->upn))) ||
	    state_change_log(st, t, CHANGE_SOFT_DELETED, d, NULL, NULL, 0)) {
		json_object_del(state_dobj_json(d), "deletedDateTime");
		if (old_upn)
			json_object_set(state_dobj_json(d), "userPrincipalName", old_upn);
		json_decref(old_upn);
		HASH_DEL(t->deleted, it);
		goto out_free;
	}
	json_decref(old_upn);
	/* Nothing below allocates: the move itself cannot fail half way. */
	for (int side = 0; side < 2; side++)
		while ((a = side ? d->as_resource : d->as_principal)) {
			state_assignment_detach(t, a);
			if (asg_keep(it, a)) { /* uthash out of memory: it is lost */
				json_decref(a->obj);
				state_free(a);
			}
		}
	state_dobj_edges_drop(d);
	state_dobj_unindex(t, d);
	state_dobj_unlink(t, d);
	it->d = d;
	schedule_purge(t, it->deleted_ms);
	return 0;

out_free:
	item_free(t, it);
	return -1;
}

static bool is_distribution_group(const struct dobj *d)
{
	const json_t *types = json_object_get(state_dobj_json(d), "groupTypes");
	size_t i;
	json_t *v;

	if (d->kind != DOBJ_GROUP ||
	    !json_is_true(json_object_get(state_dobj_json(d), "mailEnabled")) ||
	    json_is_true(json_object_get(state_dobj_json(d), "securityEnabled")))
		return false;
	json_array_foreach(types, i, v)
	{
		if (!strcasecmp(json_string_value(v) ? json_string_value(v) : "",
		                "Unified"))
			return false;
	}
	return true;
}

int state_dobj_delete(struct state *st, struct tenant *t, struct dobj *d)
{
	if (is_distribution_group(d)) {
		state_dobj_remove(t, d);
		return 0;
	}
	return state_dobj_soft_delete(st, t, d);
}

/* ---- restore ---- */

/* An object of the directory other than @self holding @addr as a mail address? */
static bool mail_taken(struct tenant *t, const char *addr, const struct dobj *self)
{
	size_t n;
	struct dobj *const *hits;

	if (!addr || !*addr)
		return false;
	if (!strncasecmp(addr, "smtp:", 5))
		addr += 5;
	hits = state_dobj_lookup(t, IDX_MAIL, addr, &n);
	for (size_t i = 0; i < n; i++)
		if (hits[i] != self)
			return true;
	return false;
}

/* Drop from @obj every mail address another object holds (autoReconcileProxyConflict).
 */
static void reconcile_mail(struct tenant *t, json_t *obj)
{
	static const char *const lists[] = {"otherMails", "proxyAddresses"};
	const char *mail = json_string_value(json_object_get(obj, "mail"));

	if (mail_taken(t, mail, NULL))
		json_object_set_new(obj, "mail", json_null());
	for (size_t k = 0; k < 2; k++) {
		json_t *arr = json_object_get(obj, lists[k]);
		for (size_t i = json_array_size(arr); i-- > 0;)
			if (mail_taken(t, json_string_value(json_array_get(arr, i)),
			               NULL))
				json_array_remove(arr, i);
	}
}

static bool any_mail_taken(struct tenant *t, const json_t *obj)
{
	static const char *const lists[] = {"otherMails", "proxyAddresses"};

	if (mail_taken(t, json_string_value(json_object_get(obj, "mail")), NULL))
		return true;
	for (size_t k = 0; k < 2; k++) {
		const json_t *arr = json_object_get(obj, lists[k]);
		for (size_t i = 0; i < json_array_size(arr); i++)
			if (mail_taken(t, json_string_value(json_array_get(arr, i)),
			               NULL))
				return true;
	}
	return false;
}

static bool kind_holds(struct tenant *t, enum dobj_index idx, const char *key,
                       enum dobj_kind kind)
{
	size_t n;
	struct dobj *const *hits = key ? state_dobj_lookup(t, idx, key, &n) : NULL;

	for (size_t i = 0; hits && i < n; i++)
		if (hits[i]->kind == kind)
			return true;
	return false;
}

static enum restore_result check_restore(struct tenant *t, const struct deleted_item *it,
                                         const char *upn, bool reconcile)
{
	const json_t *obj = state_dobj_json(it->d);
	const char *app_id = json_string_value(json_object_get(obj, "appId"));

	switch (it->d->kind) {
	case DOBJ_USER:
		if (upn && kind_holds(t, IDX_UPN, upn, DOBJ_USER))
			return RESTORE_UPN_TAKEN;
		if (!reconcile && any_mail_taken(t, obj))
			return RESTORE_PROXY_TAKEN;
		return RESTORE_OK;
	case DOBJ_GROUP:
		return any_mail_taken(t, obj) ? RESTORE_PROXY_TAKEN : RESTORE_OK;
	case DOBJ_SERVICE_PRINCIPAL:
		if (kind_holds(t, IDX_APPID, app_id, DOBJ_SERVICE_PRINCIPAL))
			return RESTORE_APPID_TAKEN;
		return kind_holds(t, IDX_APPID, app_id, DOBJ_APPLICATION)
		           ? RESTORE_OK
		           : RESTORE_NO_APP;
	case DOBJ_APPLICATION:
	case DOBJ_KIND_COUNT:
		break;
	}
	return RESTORE_OK;
}

/* The object as it comes back: no deletedDateTime, its name back. NULL on OOM. */
static json_t *restored_obj(struct tenant *t, const struct deleted_item *it,
                            const char *upn, bool reconcile)
{
	json_t *obj = json_deep_copy(state_dobj_json(it->d));

	if (!obj)
		return NULL;
	json_object_del(obj, "deletedDateTime");
	if (upn && json_object_set_new(obj, "userPrincipalName", json_string(upn))) {
		json_decref(obj);
		return NULL;
	}
	if (reconcile && it->d->kind == DOBJ_USER)
		reconcile_mail(t, obj);
	return obj;
}

/* Give @d its edges back where the other end is here; hand them on where it is deleted.
 */
static void relink(struct tenant *t, struct deleted_item *it, struct dobj *d)
{
	for (int dir = 0; dir < 2; dir++) {
		const struct deleted_ids *ids = dir ? &it->members : &it->member_of;

		for (size_t i = 0; i < ids->n; i++) {
			struct dobj *peer;
			struct deleted_item *gone;

			HASH_FIND_STR(t->objects, ids->v[i], peer);
			if (peer) {
				if (dir == 0 && peer->kind == DOBJ_GROUP)
					state_edge_add(peer, d);
				else if (dir == 1 && d->kind == DOBJ_GROUP)
					state_edge_add(d, peer);
				continue;
			}
			HASH_FIND_STR(t->deleted, ids->v[i], gone);
			if (gone) /* its restore will link the two */
				ids_push(dir ? &gone->member_of : &gone->members, d->id);
		}
	}
}

static void reattach_assignments(struct tenant *t, struct deleted_item *it,
                                 const struct dobj *d)
{
	struct assignment *a, *tmp;

	HASH_ITER(hh, it->assignments, a, tmp)
	{
		const char *other =
		    strcmp(a->principal_id, d->id) ? a->principal_id : a->resource_id;
		struct dobj *peer;
		struct deleted_item *gone;

		HASH_DEL(it->assignments, a);
		HASH_FIND_STR(t->objects, other, peer);
		HASH_FIND_STR(t->deleted, other, gone);
		if (peer) {
			if (!state_assignment_attach(t, a))
				continue;
		} else if (gone && !asg_keep(gone, a)) {
			continue;
		}
		json_decref(a->obj);
		state_free(a);
	}
}

enum restore_result state_deleted_restore(struct state *st, struct tenant *t,
                                          struct deleted_item *it, const char *new_upn,
                                          bool reconcile, struct dobj **out)
{
	struct dobj *d = it->d;
	const char *upn = new_upn ? new_upn : it->upn;
	enum restore_result rc = check_restore(t, it, upn, reconcile);
	json_t *obj, *old;

	if (rc != RESTORE_OK)
		return rc;
	obj = restored_obj(t, it, d->kind == DOBJ_USER ? upn : NULL, reconcile);
	if (!obj)
		return RESTORE_OOM;
	/* our own reference to the old properties, for the roll-back */
	old = json_incref(state_dobj_json(d));
	state_dobj_set_json(d, obj);
	if (state_dobj_link(st, t, d)) {
		state_dobj_set_json(d, old); /* releases obj */
		return RESTORE_OOM;
	}
	if (state_change_log(st, t, CHANGE_RESTORED, d, NULL, NULL, 0)) {
		state_dobj_unindex(t, d);
		state_dobj_unlink(t, d);
		state_dobj_set_json(d, old); /* releases obj */
		return RESTORE_OOM;
	}
	json_decref(old);
	HASH_DEL(t->deleted, it);
	relink(t, it, d);
	reattach_assignments(t, it, d);
	it->d = NULL;
	item_free(t, it);
	*out = d;
	return RESTORE_OK;
}

struct dobj *state_deleted_take(struct tenant *t, struct deleted_item *it)
{
	struct dobj *d = it->d;

	HASH_DEL(t->deleted, it);
	it->d = NULL;
	item_free(t, it);
	if (!t->deleted)
		t->deleted_next_purge_ms = 0;
	return d;
}

/* ---- purge, expiry, reserved keys ---- */

void state_deleted_purge(struct state *st, struct tenant *t, struct deleted_item *it)
{
	/* Graph: only permanently deleted users leave their groups. */
	for (size_t i = 0; i < it->member_of.n; i++) {
		struct dobj *g;

		HASH_FIND_STR(t->objects, it->member_of.v[i], g);
		if (g && g->kind == DOBJ_GROUP)
			state_change_log(st, t, CHANGE_MEMBER_REMOVED, g, it->d, NULL, 0);
	}
	state_change_log(st, t, CHANGE_PURGED, it->d, NULL, NULL, 0);
	/* gone for good: its invitations name no user any more */
	if (it->d->kind == DOBJ_USER)
		state_invitations_detach_user(t, it->id);
	HASH_DEL(t->deleted, it);
	item_free(t, it);
}

void state_deleted_expire(struct state *st, struct tenant *t)
{
	struct deleted_item *it, *tmp;
	int64_t now = state_now_ms(st);

	if (!t->deleted_next_purge_ms || now < t->deleted_next_purge_ms)
		return;
	t->deleted_next_purge_ms = 0;
	HASH_ITER(hh, t->deleted, it, tmp)
	{
		if (it->deleted_ms + DELETED_RETENTION_MS <= now)
			state_deleted_purge(st, t, it);
		else
			schedule_purge(t, it->deleted_ms);
	}
}

const struct deleted_item *state_deleted_holder(const struct tenant *t,
                                                enum dobj_index idx, const char *key,
                                                enum dobj_kind kind)
{
	const char *prop = idx == IDX_APPID ? "appId" : idx == IDX_MAIL ? "mail" : NULL;

	if (!prop || !key)
		return NULL;
	for (const struct deleted_item *it = t->deleted; it; it = it->hh.next) {
		const char *v =
		    json_string_value(json_object_get(state_dobj_json(it->d), prop));
		if (it->d->kind == kind && v && !strcasecmp(v, key))
			return it;
	}
	return NULL;
}

void state_deleted_clear(struct tenant *t)
{
	struct deleted_item *it, *tmp;

	HASH_ITER(hh, t->deleted, it, tmp)
	{
		HASH_DEL(t->deleted, it);
		item_free(t, it);
	}
	t->deleted_next_purge_ms = 0;
}

/* ---- export and import ---- */

static json_t *ids_export(const struct deleted_ids *ids)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < ids->n; i++)
		if (json_array_append_new(arr, json_string(ids->v[i]))) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

static json_t *item_export(const struct deleted_item *it)
{
	char when[TIME_ISO_LEN];
	json_t *asg = json_array(), *j;

	for (const struct assignment *a = it->assignments; asg && a; a = a->hh.next)
		if (json_array_append_new(asg, json_deep_copy(a->obj))) {
			json_decref(asg);
			asg = NULL;
		}
	time_format(it->deleted_ms, TIME_FRACTION_Z, when);
	j = json_pack("{s:s, s:s, s:O, s:o, s:o, s:o}", "kind",
	              state_dobj_kind_name(it->d->kind), "deletedAt", when, "object",
	              state_dobj_json(it->d), "memberOf", ids_export(&it->member_of),
	              "members", ids_export(&it->members), "appRoleAssignments", asg);
	if (j && it->upn &&
	    json_object_set_new(j, "userPrincipalName", json_string(it->upn))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

json_t *state_deleted_export(const struct tenant *t)
{
	json_t *arr = json_array();

	for (const struct deleted_item *it = t->deleted; arr && it; it = it->hh.next)
		if (json_array_append_new(arr, item_export(it))) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

static int fail(char *err, size_t errlen, const char *path, size_t i, const char *what)
{
	snprintf(err, errlen, "%s.deletedItems[%zu]%s", path, i, what);
	return -1;
}

static int ids_load(struct deleted_ids *ids, const json_t *arr)
{
	size_t i;
	json_t *v;

	if (arr && !json_is_array(arr))
		return -1;
	json_array_foreach(arr, i, v)
	{
		if (!guid_valid(json_string_value(v)) ||
		    ids_push(ids, json_string_value(v)))
			return -1;
	}
	return 0;
}

static int asg_load(struct deleted_item *it, const json_t *arr)
{
	size_t i;
	json_t *v;

	if (arr && !json_is_array(arr))
		return -1;
	json_array_foreach(arr, i, v)
	{
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *p = json_string_value(json_object_get(v, "principalId"));
		const char *r = json_string_value(json_object_get(v, "resourceId"));
		const char *role = json_string_value(json_object_get(v, "appRoleId"));
		struct assignment *a, *check;

		if (!id || strlen(id) >= sizeof(a->id) || !guid_valid(p) ||
		    !guid_valid(r) || !guid_valid(role))
			return -1;
		HASH_FIND_STR(it->assignments, id, check);
		if (check)
			return -1;
		a = state_calloc(1, sizeof(*a));
		if (!a)
			return -1;
		snprintf(a->id, sizeof(a->id), "%s", id);
		guid_lower(p, a->principal_id);
		guid_lower(r, a->resource_id);
		guid_lower(role, a->app_role_id);
		a->obj = json_deep_copy(v);
		if (!a->obj || asg_keep(it, a)) {
			json_decref(a->obj);
			state_free(a);
			return -1;
		}
	}
	return 0;
}

/* One item of the export. 0, or -1 with @err. */
static int item_load(struct state *st, struct tenant *t, const json_t *j,
                     const char *path, size_t i, char *err, size_t errlen)
{
	int kind = state_dobj_kind_parse(json_string_value(json_object_get(j, "kind")));
	const json_t *obj = json_object_get(j, "object");
	const char *upn = json_string_value(json_object_get(j, "userPrincipalName"));
	struct deleted_item *it, *check;
	int64_t when;

	if (kind < 0 || !json_is_object(obj) ||
	    !guid_valid(json_string_value(json_object_get(obj, "id"))) ||
	    time_parse_iso(json_string_value(json_object_get(j, "deletedAt")), &when))
		return fail(
		    err, errlen, path, i,
		    ": needs \"kind\", \"deletedAt\" and an \"object\" with an id");
	if (state_dobj_find(st, t, -1, json_string_value(json_object_get(obj, "id"))) ||
	    state_deleted_find(t, json_string_value(json_object_get(obj, "id"))))
		return fail(err, errlen, path, i, ".object.id: already in use");
	it = state_calloc(1, sizeof(*it));
	if (!it)
		return fail(err, errlen, path, i, ": out of memory");
	it->deleted_ms = when;
	it->seq = state_next_seq(st);
	it->d = state_dobj_new_detached(t, (enum dobj_kind)kind, json_deep_copy(obj));
	if (!it->d || (upn && !(it->upn = state_strdup(upn))) ||
	    ids_load(&it->member_of, json_object_get(j, "memberOf")) ||
	    ids_load(&it->members, json_object_get(j, "members")) ||
	    asg_load(it, json_object_get(j, "appRoleAssignments"))) {
		item_free(t, it);
		return fail(err, errlen, path, i,
		            ": bad memberOf, members or appRoleAssignments (or out of "
		            "memory)");
	}
	memcpy(it->id, it->d->id, sizeof(it->id));
	HASH_ADD_STR(t->deleted, id, it);
	HASH_FIND_STR(t->deleted, it->id, check);
	if (check != it) {
		item_free(t, it);
		return fail(err, errlen, path, i, ": out of memory");
	}
	schedule_purge(t, when);
	return 0;
}

int state_deleted_load(struct state *st, struct tenant *t, const json_t *arr,
                       const char *path, char *err, size_t errlen)
{
	size_t i;
	json_t *j;

	if (!arr)
		return 0;
	if (!json_is_array(arr)) {
		snprintf(err, errlen, "%s.deletedItems: must be an array", path);
		return -1;
	}
	json_array_foreach(arr, i, j)
	{
		if (item_load(st, t, j, path, i, err, errlen))
			return -1;
	}
	return 0;
}
