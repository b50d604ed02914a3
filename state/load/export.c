/*
 * state/load/export.c - live state back into the fixture format. Arrays follow
 * insertion order, which state_load() preserves, so a round trip is exact.
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "../changelog.h"
#include "../deleted.h"
#include "../invitation.h"
#include "../mailbox.h"
#include "../model/model.h"
#include "../subscription.h"
#include "../state.h"
#include "../frozen.h"
#include "../util/buf.h"
#include "../util/jcopy.h"
#include "tenants.h"

static const struct {
	const char *key;
	enum dobj_kind kind;
} kinds[] = {
    {"users", DOBJ_USER},
    {"groups", DOBJ_GROUP},
    {"applications", DOBJ_APPLICATION},
    {"servicePrincipals", DOBJ_SERVICE_PRINCIPAL},
};

static int add_objects(json_t *out, const struct tenant *t, const char *key,
                       enum dobj_kind kind, bool deep)
{
	json_t *arr = json_array();

	if (!arr || json_object_set_new(out, key, arr))
		return -1;
	/* A user still frozen stays so: a copy is parsed for it, and the
	 * snapshot carries its text (immutable), which the streamed export
	 * completes line by line (server/export_stream.c). Graph's service
	 * principal kept as text (fixture.c) is completed here, under the lock:
	 * its defaults name the tenant. */
	for (const struct dobj *d = state_dobj_first(t, kind); d; d = state_dobj_next(d))
		if (json_array_append_new(arr, deep || (!d->props && kind != DOBJ_USER)
		                                   ? state_dobj_json_copy(d)
		                               : d->props ? jcopy_shared(d->props)
		                                          : json_incref(d->frozen)))
			return -1;
	return 0;
}

/* @value into @out as @key, copied for a snapshot: the exports of
 * invitations, mail, subscriptions and deleted items name stored objects. */
static int set_part(json_t *out, const char *key, json_t *value, bool deep)
{
	json_t *own = deep || !value ? json_incref(value) : jcopy_shared(value);

	json_decref(value);
	return json_object_set_new(out, key, own);
}

/*
 * {@k1: @v1, @k2: @v2} of two ids (new reference, NULL on OOM), made without
 * json_pack, whose format parsing cost more than the rest of an edge: an
 * export's snapshot of 400,000 edges is taken under the tenant's lock.
 */
static json_t *pair(const char *k1, const char *v1, const char *k2, const char *v2)
{
	json_t *o = json_object();

	if (o && (json_object_set_new_nocheck(o, k1, json_string_nocheck(v1)) ||
	          json_object_set_new_nocheck(o, k2, json_string_nocheck(v2)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Edges from each group's side: group order, then the order members were added. */
static int add_memberships(json_t *out, const struct tenant *t)
{
	json_t *arr = json_array();

	if (!arr || json_object_set_new(out, "memberships", arr))
		return -1;
	for (const struct dobj *g = state_dobj_first(t, DOBJ_GROUP); g;
	     g = state_dobj_next(g))
		for (const struct dobj_link *l = g->members; l; l = l->hh.next)
			if (json_array_append_new(
			        arr, pair("groupId", g->id, "memberId", l->id)))
				return -1;
	return 0;
}

/* Characters a JSON string may hold as they are, of those ids and times use. */
static bool plain(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= 'A' && *s <= 'Z') || strchr("-_.:+", *s)))
			return false;
	return true;
}

/* "@key":"@value" to @b, @value plain (ids). */
static void member_text(struct buf *b, const char *key, const char *value, bool first)
{
	buf_addstr(b, first ? "{\"" : ",\"");
	buf_addstr(b, key);
	buf_addstr(b, "\":\"");
	buf_addstr(b, value);
	buf_addch(b, '"');
}

/*
 * The snapshot's edges: the text of the memberships and appRoleAssignments
 * arrays as the export writes them (one element a line), kept as frozen
 * text (state_frozen_exact), which the export writes as it is. Made with no
 * allocation an edge: the snapshot is taken under the tenant's lock, and
 * 400,000 edges as objects cost ~600 bytes and a dozen allocations each.
 */
static int add_edges_text(json_t *out, const struct tenant *t)
{
	struct buf b;
	size_t n = 0;
	json_t *v;

	buf_init(&b, SIZE_MAX);
	buf_addch(&b, '[');
	for (const struct dobj *g = state_dobj_first(t, DOBJ_GROUP); g;
	     g = state_dobj_next(g))
		for (const struct dobj_link *l = g->members; l; l = l->hh.next) {
			buf_addstr(&b, n++ ? ",\n" : "\n");
			member_text(&b, "groupId", g->id, true);
			member_text(&b, "memberId", l->id, false);
			buf_addch(&b, '}');
		}
	buf_addch(&b, ']');
	v = b.failed ? NULL : state_frozen_exact(b.data, b.len);
	if (!v || json_object_set_new(out, "memberships", v))
		goto fail;
	b.len = 0;
	n = 0;
	buf_addch(&b, '[');
	for (const struct assignment *a = t->assignments; a; a = a->hh.next) {
		json_t *created = json_object_get(a->obj, "createdDateTime");
		const char *c = json_string_value(created);

		buf_addstr(&b, n++ ? ",\n" : "\n");
		member_text(&b, "id", a->id, true);
		member_text(&b, "principalId", a->principal_id, false);
		member_text(&b, "resourceId", a->resource_id, false);
		member_text(&b, "appRoleId", a->app_role_id, false);
		if (c && plain(c)) {
			member_text(&b, "createdDateTime", c, false);
		} else if (created) { /* any other value, as JSON writes it */
			char *text = json_dumps(created, JSON_COMPACT | JSON_ENCODE_ANY);
			buf_addstr(&b, ",\"createdDateTime\":");
			if (text)
				buf_addstr(&b, text);
			else
				b.failed = true;
			free(text);
		}
		buf_addch(&b, '}');
	}
	buf_addch(&b, ']');
	v = b.failed ? NULL : state_frozen_exact(b.data, b.len);
	if (!v || json_object_set_new(out, "appRoleAssignments", v))
		goto fail;
	buf_release(&b);
	return 0;

fail:
	buf_release(&b);
	return -1;
}

static int add_assignments(json_t *out, const struct tenant *t)
{
	json_t *arr = json_array();

	if (!arr || json_object_set_new(out, "appRoleAssignments", arr))
		return -1;
	for (const struct assignment *a = t->assignments; a; a = a->hh.next) {
		json_t *created = json_object_get(a->obj, "createdDateTime");
		json_t *item = pair("id", a->id, "principalId", a->principal_id);
		if (item &&
		    (json_object_set_new_nocheck(item, "resourceId",
		                                 json_string_nocheck(a->resource_id)) ||
		     json_object_set_new_nocheck(item, "appRoleId",
		                                 json_string_nocheck(a->app_role_id)) ||
		     (created && json_object_set(item, "createdDateTime", created)))) {
			json_decref(item);
			item = NULL;
		}
		if (json_array_append_new(arr, item))
			return -1;
	}
	return 0;
}

/*
 * Deleted items, the change log (delta tokens stay valid across a save and
 * load) and subscriptions, each only when there is something to carry.
 */
static int add_change_tracking(json_t *out, const struct tenant *t, bool deep)
{
	json_t *log = state_changelog_export(t);

	if (log && json_object_set_new(out, "changeLog", log))
		return -1;
	if (t->deleted && set_part(out, "deletedItems", state_deleted_export(t), deep))
		return -1;
	if (t->subscriptions &&
	    set_part(out, "subscriptions", state_subscriptions_export(t), deep))
		return -1;
	return 0;
}

static json_t *export_tenant(const struct tenant *t, bool deep)
{
	json_t *out = json_pack("{s:s, s:s, s:s}", "id", t->id, "displayName",
	                        t->display_name, "domain", t->domain);

	if (!out)
		return NULL;
	if (t->copy_of[0] && json_object_set_new(out, "copyOf", json_string(t->copy_of)))
		goto out_free;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (add_objects(out, t, kinds[k].key, kinds[k].kind, deep))
			goto out_free;
	if (deep ? add_memberships(out, t) || add_assignments(out, t)
	         : add_edges_text(out, t))
		goto out_free;
	if (set_part(out, "invitations", state_invitations_export(t), deep) ||
	    set_part(out, "mailbox", state_mailbox_export(t), deep) ||
	    json_object_set_new(out, "authorizationPolicy", model_policy_export(t)))
		goto out_free;
	if (add_change_tracking(out, t, deep))
		goto out_free;
	return out;

out_free:
	json_decref(out);
	return NULL;
}

json_t *state_export_tenant(const struct tenant *t)
{
	return export_tenant(t, true);
}

json_t *state_export_tenant_snapshot(const struct tenant *t)
{
	return export_tenant(t, false);
}

int state_export_frozen_user(const json_t *v, struct buf *out)
{
	const char *text;
	size_t len;

	if (!state_frozen_text(v, &text, &len))
		return -1;
	return model_user_complete_text(text, len, out);
}

json_t *state_export(struct state *st)
{
	json_t *tenants = json_array();
	json_t *doc = json_object();

	if (!tenants || !doc)
		goto out_free;
	/* One tenant locked at a time: the others keep serving meanwhile. */
	for (struct tenant *t = st->tenants; t; t = t->hh.next) {
		json_t *one;

		state_tenant_lock(t);
		one = state_export_tenant(t);
		state_tenant_unlock(t);
		if (json_array_append_new(tenants, one))
			goto out_free;
	}
	if (json_object_set_new(doc, "tenants", tenants)) {
		tenants = NULL;
		goto out_free;
	}
	tenants = NULL;
	if (json_object_set_new(doc, "applicationTemplates",
	                        st->templates ? json_deep_copy(st->templates)
	                                      : json_array()))
		goto out_free;
	return doc;

out_free:
	json_decref(tenants);
	json_decref(doc);
	return NULL;
}
