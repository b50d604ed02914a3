/*
 * routes/graph/users_manager.c - a user's manager and direct reports
 * (user-list-manager, user-post-manager, user-delete-manager,
 * user-list-directreports): GET /users/{id}/manager, PUT and DELETE
 * .../manager/$ref, GET /users/{id}/directReports (+ /$count and the user
 * cast). The manager is kept on the user (state/model, MODEL_MANAGER_KEY);
 * direct reports are the users who name it.
 */
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/model/model.h"
#include "../../state/state.h"
#include "entities.h"
#include "expand.h"
#include "groups.h"
#include "member_walk.h"
#include "permissions.h"

/* Graph's 404 when no manager is set: the literal word (entra-powershell#237). */
#define NO_MANAGER "manager"

/* Reference URLs a manager may be named by: a user, as a directory object. */
static const char *const manager_sets[] = {"directoryObjects", "users", NULL};

static int manager_get(struct call *c)
{
	struct dobj *u = dobj_find_or_reply(c, DOBJ_USER, req_param(c->req, 0));
	struct dobj *m;

	if (!u)
		return -1;
	m = model_user_manager(c->st, c->tenant, u);
	if (!m)
		return resp_not_found(c->resp, NO_MANAGER);
	return expand_respond_one(c, m, "directoryObjects", true);
}

static int manager_put(struct call *c)
{
	char id[GUID_STR_LEN + 1];
	struct dobj *u, *m;

	if (odata_ref_body(c->req->body, manager_sets, c->resp, id))
		return -1;
	u = dobj_find_or_reply(c, DOBJ_USER, req_param(c->req, 0));
	if (!u)
		return -1;
	m = dobj_find_or_reply(c, -1, id);
	if (!m)
		return -1;
	/* Graph's managers are users or organizational contacts; graphmock keeps
	 * no contacts. */
	if (m->kind != DOBJ_USER || m == u)
		return resp_error(c->resp, GERR_REQUEST_BAD_REQUEST,
		                  "Invalid object identifier '%s'.", m->id);
	if (model_user_set_manager(u, m))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	return resp_empty(c->resp, 204);
}

static int manager_delete(struct call *c)
{
	struct dobj *u = dobj_find_or_reply(c, DOBJ_USER, req_param(c->req, 0));

	if (!u)
		return -1;
	if (!model_user_manager(c->st, c->tenant, u))
		return resp_not_found(c->resp, NO_MANAGER);
	model_user_set_manager(u, NULL);
	return resp_empty(c->resp, 204);
}

/* The users whose manager is @u, visible ones only. */
static int reports(struct call *c, const struct dobj *u, struct dobj_list *out)
{
	memset(out, 0, sizeof(*out));
	for (struct dobj *r = state_dobj_first(c->tenant, DOBJ_USER); r;
	     r = state_dobj_next(r))
		if (state_dobj_visible(c->st, r) &&
		    model_user_manager(c->st, c->tenant, r) == u &&
		    dobj_list_push(out, r)) {
			dobj_list_release(out);
			return -1;
		}
	return 0;
}

static int reports_respond(struct call *c, bool cast, bool count)
{
	struct dobj *u = dobj_find_or_reply(c, DOBJ_USER, req_param(c->req, 0));
	struct dobj_list list;
	int rc;

	if (!u)
		return -1;
	if (reports(c, u, &list))
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	rc = dobjs_respond(c, &list, cast ? "users" : "directoryObjects", !cast, false,
	                   cast ? DOBJ_USER : -1, count);
	dobj_list_release(&list);
	return rc;
}

static int reports_list(struct call *c)
{
	return reports_respond(c, false, false);
}

static int reports_count(struct call *c)
{
	return reports_respond(c, false, true);
}

static int reports_users(struct call *c)
{
	return reports_respond(c, true, false);
}

#define DIR ROUTE_ODATA, &directory_object_entity

const struct route user_manager_routes[] = {
    {"GET", "/users/{id}/manager", manager_get, DIR, &PERMS_USER_MANAGER_READ},
    {"PUT", "/users/{id}/manager/$ref", manager_put, ROUTE_JSON_BODY, NULL,
     &PERMS_USER_MANAGER_WRITE},
    {"DELETE", "/users/{id}/manager/$ref", manager_delete, 0, NULL,
     &PERMS_USER_MANAGER_WRITE},
    {"GET", "/users/{id}/directReports", reports_list, DIR, &PERMS_USER_REPORTS_READ},
    {"GET", "/users/{id}/directReports/$count", reports_count, DIR,
     &PERMS_USER_REPORTS_READ},
    {"GET", "/users/{id}/directReports/microsoft.graph.user", reports_users, ROUTE_ODATA,
     &user_entity, &PERMS_USER_REPORTS_READ},
    {0},
};
