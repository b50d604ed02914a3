/*
 * routes/graph/owners.c - the owner id lists of groups, applications and
 * service principals (owners.h): reading them, the reverse walk behind
 * ownedObjects, and the checks an owner to add must pass.
 */
#include "owners.h"

#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../state/frozen.h"
#include "groups.h"
#include "member_walk.h"

const char *owners_key(enum dobj_kind kind)
{
	switch (kind) {
	case DOBJ_GROUP:
		return GROUP_OWNERS_KEY;
	case DOBJ_APPLICATION:
	case DOBJ_SERVICE_PRINCIPAL:
		return APP_OWNERS_KEY;
	default:
		return NULL;
	}
}

/*
 * @d's owner ids, or NULL. Microsoft Graph's service principal stays text
 * until something reads it (state/frozen.h); a walk over every service
 * principal parses it only when its text names owners at all.
 */
static json_t *owner_ids(const struct dobj *d)
{
	const char *key = owners_key(d->kind);
	const char *text;
	size_t len;

	if (!key)
		return NULL;
	if (!d->props && d->frozen && state_frozen_text(d->frozen, &text, &len) &&
	    !strstr(text, key))
		return NULL;
	return json_object_get(state_dobj_json(d), key);
}

bool owners_has(const struct dobj *d, const char *id)
{
	size_t i;
	json_t *e;

	json_array_foreach(owner_ids(d), i, e)
	{
		if (json_is_string(e) && !strcasecmp(json_string_value(e), id))
			return true;
	}
	return false;
}

int owners_list(struct call *c, const struct dobj *d, struct dobj_list *out)
{
	size_t i;
	json_t *e;

	json_array_foreach(owner_ids(d), i, e)
	{
		/* An owner deleted since is simply gone (back when restored). */
		struct dobj *o =
		    state_dobj_find(c->st, c->tenant, -1, json_string_value(e));

		if (o && dobj_list_push(out, o))
			return -1;
	}
	return 0;
}

int owners_owned_by(struct call *c, const struct dobj *owner, struct dobj_list *out)
{
	static const enum dobj_kind kinds[] = {DOBJ_GROUP, DOBJ_APPLICATION,
	                                       DOBJ_SERVICE_PRINCIPAL};

	for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++)
		for (struct dobj *d = state_dobj_first(c->tenant, kinds[k]); d;
		     d = state_dobj_next(d))
			if (owners_has(d, owner->id) && state_dobj_visible(c->st, d) &&
			    dobj_list_push(out, d))
				return -1;
	return 0;
}

int owners_check(struct call *c, const struct dobj *d, const char *id)
{
	struct dobj *o = dobj_find_or_reply(c, -1, id);

	if (!o)
		return -1;
	if (o->kind != DOBJ_USER && o->kind != DOBJ_SERVICE_PRINCIPAL)
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		                  "Invalid object identifier '%s'.", id);
	if (d && owners_has(d, o->id))
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST, GROUP_DUPLICATE_FMT,
		                  "owners");
	return 0;
}

int owners_binds_check(struct call *c, const struct owner_binds *binds)
{
	for (size_t i = 0; i < binds->n; i++) {
		if (owners_check(c, NULL, binds->ids[i]))
			return -1;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(binds->ids[j], binds->ids[i]))
				return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
				                  GROUP_DUPLICATE_FMT, "owners");
	}
	return 0;
}

int owners_binds_store(json_t *obj, const char *key, const struct owner_binds *binds)
{
	json_t *ids;

	if (!binds->n)
		return 0;
	ids = json_array();
	if (json_object_set_new(obj, key, ids))
		return -1;
	for (size_t i = 0; i < binds->n; i++)
		if (json_array_append_new(ids, json_string(binds->ids[i])))
			return -1;
	return 0;
}

int owners_add(struct dobj *d, const char *id)
{
	const char *key = owners_key(d->kind);
	char lower[GUID_STR_LEN + 1];
	json_t *obj, *ids;

	if (!key || strlen(id) != GUID_STR_LEN)
		return -1;
	guid_lower(id, lower);
	obj = state_dobj_json(d);
	ids = json_object_get(obj, key);
	if (ids)
		return json_array_append_new(ids, json_string(lower));
	ids = json_pack("[s]", lower);
	return ids ? json_object_set_new(obj, key, ids) : -1;
}

bool owners_remove(struct dobj *d, const char *id)
{
	json_t *ids = owner_ids(d);
	size_t i;
	json_t *e;

	json_array_foreach(ids, i, e)
	{
		if (json_is_string(e) && !strcasecmp(json_string_value(e), id)) {
			json_array_remove(ids, i);
			return true;
		}
	}
	return false;
}
