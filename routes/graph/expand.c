/*
 * routes/graph/expand.c - what each navigation property of a directory object
 * points at, for $expand: the same objects the relationship's own route
 * lists (memberOf, members, owners, appRoleAssignments...), in insertion
 * order. Navigation properties graphmock keeps nothing for (registeredDevices,
 * sponsors, createdObjects...) expand to an empty collection. The OData
 * engine caps each collection at Graph's 20 items.
 */
#include "expand.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../state/model/model.h"
#include "../../state/schema/schema.h"
#include "../../state/state.h"
#include "assignments.h"
#include "entities.h"
#include "groups.h"
#include "listing.h"
#include "member_walk.h"
#include "owners.h"

/*
 * The stored object an item of an answer shows (any kind, lag not applied):
 * the object of that id whose stored tree the item is, or, for an object
 * still kept as text (state/frozen.h), which has no tree of its own, the
 * one the item was parsed from for this answer (listing_item()). Nothing is
 * parsed here: asking must not leave a big tenant's users parsed.
 */
static struct dobj *item_dobj(struct tenant *t, const struct odata_item *item)
{
	const char *id = json_string_value(json_object_get(item->obj, "id"));
	struct dobj *d;

	if (!id || strlen(id) != GUID_STR_LEN)
		return NULL;
	HASH_FIND_STR(t->objects, id, d);
	if (!d)
		return NULL;
	return d->props == item->obj || (!d->props && d->frozen) ? d : NULL;
}

/*
 * @list as items of their own types, sorted by insertion; consumes @list.
 * Only the first ODATA_EXPAND_CAP, all the engine shows: a group of 100,000
 * members expands without reading the rest, and objects kept as text are
 * parsed for this answer only (listing_item()).
 */
static int from_list(struct dobj_list *list, struct odata_related *out)
{
	size_t n = list->n < ODATA_EXPAND_CAP ? list->n : ODATA_EXPAND_CAP;

	listing_sort_by_seq(list->v, list->n);
	out->items = calloc(n + 1, sizeof(*out->items));
	if (!out->items) {
		dobj_list_release(list);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		out->items[i] =
		    listing_item(list->v[i], entity_for_kind(list->v[i]->kind));
		if (!out->items[i].obj) { /* out of memory */
			odata_items_free(out->items, i + 1);
			out->items = NULL;
			dobj_list_release(list);
			return -1;
		}
	}
	out->n = n;
	dobj_list_release(list);
	return 0;
}

static int push_visible(struct state *st, struct dobj_list *l, struct dobj *d)
{
	return state_dobj_visible(st, d) ? dobj_list_push(l, d) : 0;
}

static int links(struct state *st, struct dobj_link *head, struct dobj_list *out)
{
	struct dobj_link *l, *tmp;

	HASH_ITER(hh, head, l, tmp)
	{
		if (push_visible(st, out, l->obj))
			return -1;
	}
	return 0;
}

/* Users whose manager is @d. */
static int reports(struct call *c, const struct dobj *d, struct dobj_list *out)
{
	for (struct dobj *u = state_dobj_first(c->tenant, DOBJ_USER); u;
	     u = state_dobj_next(u))
		if (model_user_manager(c->st, c->tenant, u) == d &&
		    push_visible(c->st, out, u))
			return -1;
	return 0;
}

static int directory_nav(struct call *c, struct dobj *d, const char *nav,
                         struct dobj_list *out)
{
	if (!strcmp(nav, "memberOf"))
		return links(c->st, d->member_of, out);
	if (!strcmp(nav, "members"))
		/* Unlike GET .../members on v1.0, $expand=members lists service
		 * principals too (Microsoft's own workaround, graph-spec §5.3). */
		return links(c->st, d->members, out);
	if (!strcmp(nav, "transitiveMemberOf"))
		return member_walk_up(c->st, d, out);
	if (!strcmp(nav, "transitiveMembers"))
		return d->kind == DOBJ_GROUP ? member_walk_down(c->st, d, out) : 0;
	/* owners of groups, applications and service principals; what a user
	 * or a service principal owns (owners.h) */
	if (!strcmp(nav, "owners"))
		return owners_list(c, d, out);
	if (!strcmp(nav, "ownedObjects"))
		return owners_owned_by(c, d, out);
	if (!strcmp(nav, "directReports"))
		return reports(c, d, out);
	if (!strcmp(nav, "manager")) {
		struct dobj *m =
		    d->kind == DOBJ_USER ? model_user_manager(c->st, c->tenant, d) : NULL;

		return m ? dobj_list_push(out, m) : 0;
	}
	return 0; /* nothing kept for it: an empty collection */
}

static int related(void *ctx, const struct odata_item *item,
                   const struct schema_property *nav, struct odata_related *out)
{
	struct call *c = ctx;
	struct dobj *d = item_dobj(c->tenant, item);
	struct dobj_list list = {0};
	enum assignment_side side = SIDE_PRINCIPAL;

	if (!d)
		return 0;
	if (!strcmp(nav->name, "appRoleAssignedTo"))
		side = SIDE_RESOURCE;
	if (side == SIDE_RESOURCE || !strcmp(nav->name, "appRoleAssignments")) {
		if (side == SIDE_RESOURCE && d->kind != DOBJ_SERVICE_PRINCIPAL)
			return 0;
		out->items = assignments_items(c, side, d, &out->n);
		return out->items ? 0 : -1;
	}
	if (directory_nav(c, d, nav->name, &list)) {
		dobj_list_release(&list);
		return -1;
	}
	return from_list(&list, out);
}

void expand_init(struct odata_expander *ex, struct call *c)
{
	ex->related = related;
	ex->ctx = c;
}

int expand_respond_one(struct call *c, const struct dobj *d, const char *context,
                       bool annotate)
{
	struct odata_expander ex;
	struct odata_one one;

	expand_init(&ex, c);
	one.entity = entity_for_kind(d->kind);
	one.obj = state_dobj_json(d);
	one.context = context;
	one.type_annotation = annotate;
	one.expander = &ex;
	one.tag = dobj_tag(d);
	return odata_respond_one(c->odata, c->req, c->resp, 200, &one);
}
