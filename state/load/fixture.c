/*
 * state/load/fixture.c - validating fixture documents and building tenants from
 * them. Every problem is reported as "<json path>: <what is wrong>".
 */
#include "fixture.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../changelog.h"
#include "../deleted.h"
#include "../frozen.h"
#include "../invitation.h"
#include "../mailbox.h"
#include "../model/model.h"
#include "../model/model_value.h"
#include "../rewind.h"
#include "../schema/schema_fit.h"
#include "../subscription.h"
#include "../model/graph_permissions.h"
#include "../model/model_app.h"
#include "../util/jcopy.h"
#include "../util/jparse.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Deleted items, the change log and subscriptions (issue 11). */
static void change_tracking_free(struct tenant *t)
{
	state_deleted_clear(t);
	state_subscriptions_clear(t);
	state_changelog_free(t->changes);
	t->changes = NULL;
}

/* The same from a state export; absent keys leave them empty. 0 or -1 with @err. */
static int change_tracking_load(struct state *st, struct tenant *t, const json_t *doc,
                                const char *path, char *err, size_t errlen)
{
	return state_deleted_load(st, t, json_object_get(doc, "deletedItems"), path, err,
	                          errlen) ||
	       state_changelog_load(st, t, json_object_get(doc, "changeLog"), path, err,
	                            errlen) ||
	       state_subscriptions_load(st, t, json_object_get(doc, "subscriptions"),
	                                path, err, errlen);
}

void fixture_tenant_free(struct tenant *t)
{

	if (!t)
		return;
	t->loading = true; /* taking it apart is no change to log */
	state_rewind_stop(t);
	change_tracking_free(t);
	state_dobjs_free_all(t);
	state_invitations_clear(t);
	state_mailbox_clear(t);
	json_decref(t->templates);
	state_free(t->display_name);
	state_free(t->domain);
	state_free(t->parsed);
	pthread_mutex_destroy(&t->lock);
	state_free(t);
}

static const char *str_member(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

struct kind_spec {
	const char *key;  /* fixture array name */
	const char *type; /* its entity type (state/schema) */
	enum dobj_kind kind;
	const char *required[3];
	int (*complete)(struct state *, struct tenant *, json_t *);
};

static const struct kind_spec kinds[] = {
    {"users",
     "user",
     DOBJ_USER,
     {"displayName", "userPrincipalName", NULL},
     model_user_complete},
    {"groups", "group", DOBJ_GROUP, {"displayName", NULL, NULL}, model_group_complete},
    {"applications",
     "application",
     DOBJ_APPLICATION,
     {"displayName", NULL, NULL},
     model_application_complete},
    {"servicePrincipals",
     "servicePrincipal",
     DOBJ_SERVICE_PRINCIPAL,
     {"displayName", "appId", NULL},
     model_service_principal_complete},
};

/* state->thaw: a user kept as text, parsed on first use, completed as the
 * loader would have completed it (fixture_read.c's may_wait()). */
static int thaw_complete(struct state *st, struct tenant *t, enum dobj_kind kind,
                         json_t *obj)
{
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (kinds[k].kind == kind)
			return kinds[k].complete(st, t, obj);
	return 0;
}

/* What the checks below and the store's indexes read of a user kept as text
 * (state/dobj.c keys_collect, name_key_of): parsed alone at load. */
static const char *const user_index_members[] = {
    "id", "displayName", "userPrincipalName", "mail", "otherMails", "userType", NULL,
};

/*
 * Each member of fixture object @obj that its entity type declares holds a
 * value of the kind the CSDL gives it (state/schema/schema_fit.h): what the
 * API would refuse, the loader refuses. Annotations and members the type
 * does not declare are the fixture's own. (A user kept as text was judged
 * alike when it was read: fixture_read.c keeps one that fails as a tree.)
 */
static int member_kinds_check(const struct kind_spec *ks, const json_t *obj,
                              const char *path, size_t i, char *err, size_t errlen)
{
	const struct schema_type *type = schema_type_find(ks->type);
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v)
	{
		const struct schema_property *p =
		    strchr(key, '@') ? NULL : schema_property_find(type, key);

		if (!p)
			continue;
		if (!schema_kind_fits(p, model_json_kind(v)))
			return fail(err, errlen, "%s.%s[%zu].%s: must be %s", path,
			            ks->key, i, key, schema_kind_wanted(p));
		if (json_is_string(v) &&
		    !model_value_fits(p, json_string_value(v), json_string_length(v)))
			return fail(
			    err, errlen, "%s.%s[%zu].%s: must be %s, not \"%.40s\"", path,
			    ks->key, i, key, model_value_wanted(p), json_string_value(v));
		if (model_value_deep(p) && !model_property_fits(p, v))
			return fail(err, errlen,
			            "%s.%s[%zu].%s: holds a value its type %s "
			            "does not take",
			            path, ks->key, i, key, p->type_name);
	}
	return 0;
}

/*
 * Microsoft Graph's own service principal, given no permissions of its own
 * by the fixture, is kept as its text until something reads it: completing
 * it attaches Graph's permission catalogue (state/model/graph_permissions.h,
 * 2.2 MB once parsed), which a server that never shows Graph's service
 * principal need not hold (idle RSS, bench/results.md). Only with its id
 * given: a text is completed with the id it holds.
 */
static bool graph_sp_lazy(const struct kind_spec *ks, const json_t *item)
{
	const char *app_id = str_member(item, "appId");

	return ks->kind == DOBJ_SERVICE_PRINCIPAL && app_id &&
	       !strcasecmp(app_id, MODEL_GRAPH_APP_ID) &&
	       guid_valid(str_member(item, "id")) &&
	       (!json_object_get(item, "appRoles") ||
	        !json_object_get(item, "oauth2PermissionScopes"));
}

/* What the store's indexes read of a service principal (state/dobj.c). */
static const char *const sp_index_members[] = {"id", "displayName", "appId", NULL};

/* Fixture object @item as frozen text (new reference in @frozen) and the
 * stub of its index members the store is given meanwhile. NULL on OOM. */
static json_t *frozen_stub(const json_t *item, const char *const *members,
                           json_t **frozen)
{
	char *text = json_dumps(item, JSON_COMPACT);
	json_t *stub = NULL;

	*frozen = text ? state_frozen_new(text, strlen(text)) : NULL;
	if (*frozen)
		stub = jparse_members(text, strlen(text), members, &(json_error_t){0});
	free(text);
	if (!stub) {
		json_decref(*frozen);
		*frozen = NULL;
	}
	return stub;
}

static int load_objects(struct state *st, struct tenant *t, const json_t *doc,
                        const char *path, const struct kind_spec *ks, char *err,
                        size_t errlen)
{
	const json_t *arr = json_object_get(doc, ks->key);
	size_t i;
	json_t *item;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return fail(err, errlen, "%s.%s: must be an array", path, ks->key);
	json_array_foreach(arr, i, item)
	{
		const char *text;
		size_t len;
		json_t *frozen = NULL, *stub = NULL;

		/* A user kept as text (fixture_read.c): parsed here only for what
		 * the checks and the indexes read, and kept as text again. */
		if (state_frozen_text(item, &text, &len)) {
			json_error_t jerr;
			frozen = item;
			item = stub =
			    jparse_members(text, len, user_index_members, &jerr);
			if (!stub)
				return fail(err, errlen, "%s.%s[%zu]: %s", path, ks->key,
				            i, jerr.text);
		}
		int rc = 0;
		if (!json_is_object(item))
			rc = fail(err, errlen, "%s.%s[%zu]: must be an object", path,
			          ks->key, i);
		for (int r = 0; !rc && r < 3 && ks->required[r]; r++)
			if (!str_member(item, ks->required[r]))
				rc = fail(err, errlen,
				          "%s.%s[%zu].%s: required string is missing",
				          path, ks->key, i, ks->required[r]);
		json_t *id = json_object_get(item, "id");
		if (!rc && id && !guid_valid(json_string_value(id)))
			rc = fail(err, errlen, "%s.%s[%zu].id: must be a GUID string",
			          path, ks->key, i);
		if (!rc && !stub)
			rc = member_kinds_check(ks, item, path, i, err, errlen);
		if (rc) { /* (fixture_read.c keeps as text only users that pass) */
			json_decref(stub);
			return rc;
		}
		/* The stub is ours and the store reads no default (completed on
		 * first use, state_dobj_json); a tree is copied and completed. */
		json_t *own_frozen = NULL;
		if (!stub && graph_sp_lazy(ks, item)) {
			stub = frozen_stub(item, sp_index_members, &own_frozen);
			frozen = own_frozen;
			if (!stub)
				return fail(err, errlen, "%s.%s[%zu]: out of memory",
				            path, ks->key, i);
		}
		json_t *copy = stub ? stub : jcopy_shared(item);
		if (!copy || (!stub && ks->complete(st, t, copy))) {
			json_decref(copy);
			return fail(err, errlen, "%s.%s[%zu]: out of memory", path,
			            ks->key, i);
		}
		char oid[GUID_STR_LEN + 1];
		guid_lower(str_member(copy, "id"), oid);
		struct dobj *d = state_dobj_add(st, t, ks->kind, copy);
		if (!d) {
			json_decref(own_frozen);
			return fail(err, errlen,
			            "%s.%s[%zu].id: '%s' is used by another object", path,
			            ks->key, i, oid);
		}
		/* The API's own rule (state/model): one user per UPN, in any case.
		 * Asked once the user is indexed, when the lookup is a warm step
		 * (a cold one before cost ~5% of a million-user load); a tenant
		 * that fails to load is dropped whole. */
		const char *upn = str_member(copy, "userPrincipalName");
		if (ks->kind == DOBJ_USER && model_user_upn_holder(t, upn, d))
			return fail(
			    err, errlen,
			    "%s.%s[%zu].userPrincipalName: '%s' is used by another "
			    "user",
			    path, ks->key, i, upn);
		if (frozen)
			state_dobj_freeze(d, frozen);
		json_decref(own_frozen);
	}
	return 0;
}

/* What the loader reads of a membership or an app role assignment. */
static const char *const edge_members[] = {
    "groupId",   "memberId", "principalId",     "resourceId",
    "appRoleId", "id",       "createdDateTime", NULL,
};

/*
 * Fixture edge @item as a tree (new reference): a membership or assignment
 * kept as text (fixture_read.c) parsed alone for what the loader reads,
 * else @item itself. NULL with @jerr on OOM (the text was parsed once
 * already).
 */
static json_t *edge_tree(json_t *item, json_error_t *jerr)
{
	const char *text;
	size_t len;

	if (!state_frozen_text(item, &text, &len))
		return json_incref(item);
	return jparse_members(text, len, edge_members, jerr);
}

/* memberships[@i], @m: one edge, checked and added. */
static int load_membership(struct state *st, struct tenant *t, const json_t *m,
                           const char *path, size_t i, char *err, size_t errlen)
{
	struct dobj *g = state_dobj_find(st, t, DOBJ_GROUP, str_member(m, "groupId"));
	struct dobj *o = state_dobj_find(st, t, -1, str_member(m, "memberId"));

	if (!g)
		return fail(err, errlen, "%s.memberships[%zu].groupId: no such group",
		            path, i);
	if (!o || model_member_check(g, o) == MEMBER_NOT_A_PRINCIPAL)
		return fail(err, errlen,
		            "%s.memberships[%zu].memberId: no such user, group or "
		            "service principal",
		            path, i);
	if (model_member_check(g, o) == MEMBER_SELF)
		return fail(err, errlen,
		            "%s.memberships[%zu].memberId: a group cannot be a member "
		            "of itself",
		            path, i);
	if (state_member_add(g, o, NULL))
		return fail(err, errlen, "%s.memberships[%zu]: out of memory", path, i);
	return 0;
}

static int load_memberships(struct state *st, struct tenant *t, const json_t *doc,
                            const char *path, char *err, size_t errlen)
{
	const json_t *arr = json_object_get(doc, "memberships");
	size_t i;
	json_t *item;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return fail(err, errlen, "%s.memberships: must be an array", path);
	json_array_foreach(arr, i, item)
	{
		json_error_t jerr;
		json_t *m = edge_tree(item, &jerr);
		int rc =
		    m ? load_membership(st, t, m, path, i, err, errlen)
		      : fail(err, errlen, "%s.memberships[%zu]: %s", path, i, jerr.text);
		json_decref(m);
		if (rc)
			return rc;
	}
	return 0;
}

/* appRoleAssignments[@i], @a: one assignment, checked and added. */
static int load_assignment(struct state *st, struct tenant *t, const json_t *a,
                           const char *path, size_t i, char *err, size_t errlen)
{
	struct dobj *p = state_dobj_find(st, t, -1, str_member(a, "principalId"));
	struct dobj *r =
	    state_dobj_find(st, t, DOBJ_SERVICE_PRINCIPAL, str_member(a, "resourceId"));
	const char *role = str_member(a, "appRoleId");
	char id[64];

	if (!p || p->kind == DOBJ_APPLICATION)
		return fail(err, errlen,
		            "%s.appRoleAssignments[%zu].principalId: no such principal",
		            path, i);
	if (!r)
		return fail(err, errlen,
		            "%s.appRoleAssignments[%zu].resourceId: no such service "
		            "principal",
		            path, i);
	if (!guid_valid(role))
		return fail(err, errlen,
		            "%s.appRoleAssignments[%zu].appRoleId: must be a GUID", path,
		            i);
	if (model_assignment_duplicate(p, r, role))
		return fail(err, errlen,
		            "%s.appRoleAssignments[%zu]: the principal holds this "
		            "app role of this resource already",
		            path, i);
	json_t *obj = model_assignment_new(st, p, r, role, id);
	if (obj && str_member(a, "id")) {
		snprintf(id, sizeof(id), "%s", str_member(a, "id"));
		json_object_set_new(obj, "id", json_string(id));
	}
	if (obj && json_object_get(a, "createdDateTime"))
		json_object_set(obj, "createdDateTime",
		                json_object_get(a, "createdDateTime"));
	if (!obj || !state_assignment_add(st, t, id, p->id, r->id, role, obj))
		return fail(err, errlen,
		            "%s.appRoleAssignments[%zu]: duplicate id or out of memory",
		            path, i);
	return 0;
}

static int load_assignments(struct state *st, struct tenant *t, const json_t *doc,
                            const char *path, char *err, size_t errlen)
{
	const json_t *arr = json_object_get(doc, "appRoleAssignments");
	size_t i;
	json_t *item;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return fail(err, errlen, "%s.appRoleAssignments: must be an array", path);
	json_array_foreach(arr, i, item)
	{
		json_error_t jerr;
		json_t *a = edge_tree(item, &jerr);
		int rc = a ? load_assignment(st, t, a, path, i, err, errlen)
		           : fail(err, errlen, "%s.appRoleAssignments[%zu]: %s", path, i,
		                  jerr.text);
		json_decref(a);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * A big tenant's name orders (state_dobj_names_build) are sorted on a thread
 * of their own while this one adds the memberships and app role
 * assignments: with a million users each side takes ~0.7 s (bench/load.c).
 * The two touch disjoint parts of the tenant: the sort reads the seq orders
 * and each object's name key and seq, and writes only the by_name orders;
 * the edges read the id table and the objects' properties, and write the
 * member links, member orders, assignment tables and the parsed-user list.
 */
struct names_job {
	struct tenant *t;
	int rc;
};

static void *names_sort(void *arg)
{
	struct names_job *job = arg;

	job->rc = state_dobj_names_build(job->t);
	return NULL;
}

/* The name orders, memberships and assignments: -1 out of memory, -2 a bad
 * edge (@err says which), 0. */
static int load_names_and_edges(struct state *st, struct tenant *t, const json_t *doc,
                                const char *path, char *err, size_t errlen)
{
	struct names_job job = {.t = t};
	pthread_t sorter;
	bool threaded = state_tenant_is_big(t, DOBJ_USER) &&
	                (json_array_size(json_object_get(doc, "memberships")) ||
	                 json_array_size(json_object_get(doc, "appRoleAssignments"))) &&
	                pthread_create(&sorter, NULL, names_sort, &job) == 0;
	int rc = 0;

	if (!threaded)
		job.rc = state_dobj_names_build(t);
	if (threaded || !job.rc)
		rc = load_memberships(st, t, doc, path, err, errlen) ||
		     load_assignments(st, t, doc, path, err, errlen);
	if (threaded)
		pthread_join(sorter, NULL); /* job.rc is read only after this */
	return job.rc ? -1 : rc ? -2 : 0;
}

static const char *const tenant_keys[] = {
    "id",
    "displayName",
    "domain",
    "users",
    "groups",
    "applications",
    "servicePrincipals",
    "memberships",
    "appRoleAssignments",
    "invitations",
    "mailbox",
    "authorizationPolicy",
    "deletedItems",
    "changeLog",
    "subscriptions",
    "copyOf",
    NULL,
};

struct tenant *fixture_tenant_build(struct state *st, const json_t *doc,
                                    const json_t *templates, const char *path,
                                    const char *id, char *err, size_t errlen)
{
	struct tenant *t;
	const char *key;
	json_t *value;

	if (!json_is_object(doc)) {
		fail(err, errlen, "%s: must be an object", path);
		return NULL;
	}
	json_object_foreach((json_t *)doc, key, value)
	{
		int known = 0;
		for (int i = 0; tenant_keys[i]; i++)
			known |= !strcmp(key, tenant_keys[i]);
		if (!known) {
			fail(err, errlen, "%s.%s: unknown key", path, key);
			return NULL;
		}
	}
	if (!str_member(doc, "displayName") || !str_member(doc, "domain")) {
		fail(err, errlen,
		     "%s: \"displayName\" and \"domain\" strings are required", path);
		return NULL;
	}
	if (!id)
		id = str_member(doc, "id");
	if (id && !guid_valid(id)) {
		fail(err, errlen, "%s.id: must be a GUID string", path);
		return NULL;
	}
	if (json_object_get(doc, "copyOf") && !guid_valid(str_member(doc, "copyOf"))) {
		fail(err, errlen, "%s.copyOf: must be the GUID of the tenant copied",
		     path);
		return NULL;
	}
	t = state_calloc(1, sizeof(*t));
	if (!t)
		goto out_oom;
	atomic_init(&t->refs, 1);
	if (pthread_mutex_init(&t->lock, NULL)) {
		state_free(t);
		t = NULL;
		goto out_oom;
	}
	t->loading = true;
	t->st = st;
	state_tenant_gen_init(t);
	t->templates = templates ? json_deep_copy(templates) : json_array();
	if (!t->templates)
		goto out_oom;
	if (id)
		guid_lower(id, t->id);
	else
		state_new_id(st, t->id);
	if (str_member(doc, "copyOf"))
		guid_lower(str_member(doc, "copyOf"), t->copy_of);
	t->display_name = state_strdup(str_member(doc, "displayName"));
	t->domain = state_strdup(str_member(doc, "domain"));
	if (!t->display_name || !t->domain)
		goto out_oom;
	{
		char perr[200];
		if (model_policy_load(t, json_object_get(doc, "authorizationPolicy"),
		                      perr, sizeof(perr))) {
			fail(err, errlen, "%s.authorizationPolicy.%s", path, perr);
			goto out_free;
		}
	}
	/* Set once, by the first load (before any request thread runs). */
	if (!st->thaw)
		st->thaw = thaw_complete;
	t->names_later = true; /* sorted once, not inserted one by one */
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		t->expect.of_kind[kinds[k].kind] =
		    json_array_size(json_object_get(doc, kinds[k].key));
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (load_objects(st, t, doc, path, &kinds[k], err, errlen))
			goto out_free;
	switch (load_names_and_edges(st, t, doc, path, err, errlen)) {
	case -1:
		goto out_oom;
	case -2:
		goto out_free;
	}
	/* Written by the state export; users, deleted ones included, exist by now,
	 * so invitations' userIds can be checked. */
	if (change_tracking_load(st, t, doc, path, err, errlen) ||
	    state_invitations_load(st, t, json_object_get(doc, "invitations"), path, err,
	                           errlen) ||
	    state_mailbox_load(st, t, json_object_get(doc, "mailbox"), path, err, errlen))
		goto out_free;
	t->loading = false;
	memset(&t->expect, 0, sizeof(t->expect));
	return t;

out_oom:
	fail(err, errlen, "%s: out of memory", path);
out_free:
	fixture_tenant_free(t);
	return NULL;
}

int fixture_templates_check(const json_t *templates, char *err, size_t errlen)
{
	size_t i;
	json_t *tpl;

	if (!templates)
		return 0;
	if (!json_is_array(templates))
		return fail(err, errlen, "applicationTemplates: must be an array");
	json_array_foreach(templates, i, tpl)
	{
		if (!json_is_object(tpl))
			return fail(err, errlen,
			            "applicationTemplates[%zu]: must be an object", i);
		if (!guid_valid(str_member(tpl, "id")))
			return fail(err, errlen,
			            "applicationTemplates[%zu].id: must be a GUID", i);
		if (!str_member(tpl, "displayName"))
			return fail(
			    err, errlen,
			    "applicationTemplates[%zu].displayName: required string is "
			    "missing",
			    i);
		json_t *roles = json_object_get(tpl, "appRoles");
		if (roles && !json_is_array(roles))
			return fail(err, errlen,
			            "applicationTemplates[%zu].appRoles: must be an "
			            "array",
			            i);
	}
	return 0;
}
