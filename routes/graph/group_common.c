/*
 * routes/graph/group_common.c - lookups, reference-bind checks and the
 * directoryObjects collection responder shared by the group, membership
 * and directoryObjects routes.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/odata/odata.h"
#include "../../server/core/req.h"
#include "../../state/model/model.h"
#include "../../state/state.h"
#include "entities.h"
#include "groups.h"
#include "expand.h"
#include "listing.h"
#include "member_walk.h"
#include "owners.h"

struct dobj *dobj_find_or_reply(struct call *c, int kind, const char *key)
{
	struct dobj *const *hits;
	struct dobj *d = NULL;
	size_t n;

	if (key && guid_valid(key)) {
		d = state_dobj_find(c->st, c->tenant, kind, key);
	} else if (key && (kind < 0 || kind == DOBJ_USER)) {
		/* /users/{userPrincipalName}/... */
		hits = state_dobj_lookup(c->tenant, IDX_UPN, key, &n);
		for (size_t i = 0; i < n && !d; i++)
			if (state_dobj_visible(c->st, hits[i]))
				d = hits[i];
	}
	if (!d)
		resp_not_found(c->resp, key ? key : "");
	return d;
}

struct dobj *group_find_or_reply(struct call *c, const char *id)
{
	/* Groups have no alternate key: anything but a GUID is malformed. */
	if (!id || !guid_valid(id)) {
		resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		           "Invalid object identifier '%s'.", id ? id : "");
		return NULL;
	}
	return dobj_find_or_reply(c, DOBJ_GROUP, id);
}

bool dobj_sp_hidden(const struct req *req, const struct dobj *d)
{
	return d->kind == DOBJ_SERVICE_PRINCIPAL && strcmp(req->version, "beta");
}

static bool group_is_dynamic(const struct dobj *g)
{
	size_t i;
	json_t *e;

	/* read only: a member POST copies nothing of the group for this */
	json_array_foreach(json_object_get(state_dobj_json_peek(g), "groupTypes"), i, e)
	{
		if (!strcasecmp(json_string_value(e), "DynamicMembership"))
			return true;
	}
	return false;
}

int group_member_refusal(const struct dobj *group, const struct dobj *member,
                         struct resp *resp)
{
	switch (member ? model_member_check(group, member) : MEMBER_OK) {
	case MEMBER_NOT_A_PRINCIPAL:
		return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
		                  "Invalid object identifier '%s'.", member->id);
	case MEMBER_SELF:
		return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
		                  "A group cannot be added as a member of itself.");
	case MEMBER_OK:
		break;
	}
	if (!group)
		return 0;
	if (group_is_dynamic(group))
		return resp_error(
		    resp, GERR_REQUEST_BAD_REQUEST,
		    "Members of a group with dynamic membership cannot be added or "
		    "removed manually.");
	return 0;
}

static bool id_listed(const char (*ids)[GUID_STR_LEN + 1], size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ids[i], id))
			return true;
	return false;
}

int group_binds_check(struct call *c, struct dobj *group, const struct group_binds *binds)
{
	struct resp *resp = c->resp;
	struct dobj *d;

	for (size_t i = 0; i < binds->nmembers; i++) {
		const char *id = binds->members[i];

		d = dobj_find_or_reply(c, -1, id);
		if (!d || group_member_refusal(group, d, resp))
			return -1;
		if ((group && state_member_has(group, id)) ||
		    id_listed(binds->members, i, id))
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
			                  GROUP_DUPLICATE_FMT, "members");
	}
	for (size_t i = 0; i < binds->nowners; i++) {
		const char *id = binds->owners[i];

		d = dobj_find_or_reply(c, -1, id);
		if (!d)
			return -1;
		if (d->kind != DOBJ_USER && d->kind != DOBJ_SERVICE_PRINCIPAL)
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
			                  "Invalid object identifier '%s'.", id);
		if ((group && owners_has(group, id)) || id_listed(binds->owners, i, id))
			return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
			                  GROUP_DUPLICATE_FMT, "owners");
	}
	return 0;
}

int group_binds_apply(struct call *c, struct dobj *group, const struct group_binds *binds)
{
	json_t *owners = json_object_get(state_dobj_json(group), GROUP_OWNERS_KEY);
	size_t done = 0, nowners = json_array_size(owners);
	bool added[ODATA_BIND_MAX] = {false};

	if (binds->nowners && !owners) {
		owners = json_array();
		if (json_object_set_new(state_dobj_json(group), GROUP_OWNERS_KEY, owners))
			return -1;
	}
	for (size_t i = 0; i < binds->nowners; i++)
		if (json_array_append_new(owners, json_string(binds->owners[i])))
			goto out_undo;
	for (; done < binds->nmembers; done++) {
		struct dobj *m =
		    state_dobj_find(c->st, c->tenant, -1, binds->members[done]);

		if (!m || state_member_add(group, m, &added[done]))
			goto out_undo;
	}
	return 0;

out_undo:
	/* only the edges this call added: members from before stay */
	for (size_t i = 0; i < done; i++)
		if (added[i])
			state_member_remove(group, binds->members[i]);
	while (json_array_size(owners) > nowners)
		json_array_remove(owners, json_array_size(owners) - 1);
	return -1;
}

/* /$count of @objs, each read only for what $filter and $search read. */
static int count_dobjs(struct call *c, struct dobj *const *objs, size_t n)
{
	struct odata_members mem;
	size_t m = 0;

	odata_query_members(c->odata, &mem);
	for (size_t i = 0; i < n; i++) {
		int rc = listing_matches(c, objs[i], &mem);

		if (rc < 0)
			return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
		m += (size_t)rc;
	}
	return odata_respond_number(c->odata, c->req, c->resp, m);
}

int dobjs_respond(struct call *c, struct dobj_list *list, const char *context,
                  bool annotate, bool skip_sps, int kind, bool count)
{
	struct odata_list_opts opts = {context, annotate, 100, 999, NULL};
	struct dobj **objs = malloc((list->n + 1) * sizeof(*objs));
	size_t n = 0;
	int rc;

	if (!objs)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	for (size_t i = 0; i < list->n; i++) {
		struct dobj *d = list->v[i];

		if (!(skip_sps && dobj_sp_hidden(c->req, d)) &&
		    (kind < 0 || d->kind == (enum dobj_kind)kind))
			objs[n++] = d;
	}
	listing_sort_by_seq(objs, n);
	rc = count ? count_dobjs(c, objs, n) : listing_answer(c, objs, n, NULL, &opts);
	free(objs);
	return rc;
}
