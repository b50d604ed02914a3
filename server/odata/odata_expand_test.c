/*
 * server/odata/odata_expand_test.c - the engine over Graph's CSDL types:
 * $select of any declared property (null / [] when absent, the declared
 * spelling, Graph's prefixed 400 otherwise), single-entity-only properties
 * (501 on a list), and $expand: its grammar and limits with Graph's errors,
 * the rendering of expanded objects (cap of 20, @odata.type, left out when
 * single-valued and empty, $levels chains that stop at a cycle), the
 * @odata.context select list and the page cap of 100.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../state/schema/schema_ids.h"
#include "../core/req.h"
#include "../core/resp.h"
#include "odata.h"

#define BASE "https://graph.test"

static const struct odata_prop user_props[] = {
    {"id", ODATA_GUID, OP_DEFAULT | OP_FILTER},
    {"displayName", ODATA_STRING, OP_DEFAULT | OP_FILTER},
    {"businessPhones", ODATA_STRING_COLLECTION, OP_DEFAULT},
    {"passwordProfile", ODATA_OBJECT, OP_HIDDEN},
    {"birthday", ODATA_DATETIME, OP_SINGLE},
    {0},
};

static const struct odata_entity user = {
    "users", "User", "#microsoft.graph.user", OE_DIRECTORY, user_props, SCHEMA_TYPE(user),
};

static const struct odata_prop group_props[] = {
    {"id", ODATA_GUID, OP_DEFAULT | OP_FILTER},
    {"displayName", ODATA_STRING, OP_DEFAULT | OP_FILTER},
    {0},
};

static const struct odata_entity group = {
    "groups",     "Group",     "#microsoft.graph.group",
    OE_DIRECTORY, group_props, SCHEMA_TYPE(group),
};

struct fx {
	struct req req;
	struct resp resp;
	struct odata_query q;
};

static void build(struct fx *f, const char *path, int eventual, ...)
{
	const char *name;
	va_list ap;

	memset(f, 0, sizeof(*f));
	req_init(&f->req);
	assert_int_equal(req_set_path(&f->req, path), 0);
	snprintf(f->req.base_url, sizeof(f->req.base_url), "%s", BASE);
	if (eventual)
		assert_int_equal(req_add_header(&f->req, "ConsistencyLevel", "eventual"),
		                 0);
	va_start(ap, eventual);
	for (name = va_arg(ap, const char *); name; name = va_arg(ap, const char *))
		assert_int_equal(req_add_query(&f->req, name, va_arg(ap, const char *)),
		                 0);
	va_end(ap);
	resp_init(&f->resp, &f->req);
}

static void done(struct fx *f)
{
	odata_query_release(&f->q);
	resp_release(&f->resp);
	req_release(&f->req);
}

static void expect_err(struct fx *f, unsigned status, const char *code, const char *msg)
{
	json_t *err = json_object_get(f->resp.body, "error");

	assert_int_equal(f->resp.status, status);
	assert_string_equal(json_string_value(json_object_get(err, "code")), code);
	assert_string_equal(json_string_value(json_object_get(err, "message")), msg);
}

#define REJECT(ent, eventual, status, code, msg, ...)                                    \
	do {                                                                             \
		struct fx f_;                                                            \
		build(&f_, "/v1.0/x", eventual, __VA_ARGS__, NULL);                      \
		assert_int_equal(odata_query_parse(&f_.q, ent, &f_.req, &f_.resp), -1);  \
		expect_err(&f_, status, code, msg);                                      \
		done(&f_);                                                               \
	} while (0)

#define FAILED "Parsing OData Select and Expand failed: "

/* ---- $select over the CSDL ---- */

static json_t *bob(void)
{
	return json_pack("{s:s, s:s, s:[s], s:{s:s}, s:s}", "id",
	                 "11111111-1111-4111-8111-111111111111", "displayName", "Bob",
	                 "businessPhones", "+1 555", "passwordProfile", "password",
	                 "secret", "_manager", "22222222-2222-4222-8222-222222222222");
}

static void test_select_any_declared_property(void **unused)
{
	json_t *obj = bob(), *p;
	struct fx f;

	(void)unused;
	/* Declared but absent: null, [] for collections; the declared spelling. */
	build(&f, "/v1.0/users", false, "$select",
	      "signInActivity,ASSIGNEDLICENSES,securityIdentifier,"
	      "onPremisesSamAccountName,displayName,passwordProfile,manager",
	      NULL);
	assert_int_equal(odata_query_parse(&f.q, &user, &f.req, &f.resp), 0);
	assert_string_equal(f.q.select[1], "assignedLicenses");
	p = odata_project(&f.q, &user, obj, false);
	assert_true(json_is_null(json_object_get(p, "signInActivity")));
	assert_true(json_is_array(json_object_get(p, "assignedLicenses")));
	assert_int_equal(json_array_size(json_object_get(p, "assignedLicenses")), 0);
	assert_true(json_is_null(json_object_get(p, "securityIdentifier")));
	assert_true(json_is_null(json_object_get(p, "onPremisesSamAccountName")));
	assert_string_equal(json_string_value(json_object_get(p, "displayName")), "Bob");
	/* a secret is null; a navigation property is not a member; internals never */
	assert_true(json_is_null(json_object_get(p, "passwordProfile")));
	assert_null(json_object_get(p, "manager"));
	assert_null(json_object_get(p, "_manager"));
	assert_int_equal(json_object_size(p), 6);
	json_decref(p);
	done(&f);
	/* '*': every structural property of the type, secrets and single-only not */
	build(&f, "/v1.0/users", false, "$select", "*", NULL);
	assert_int_equal(odata_query_parse(&f.q, &user, &f.req, &f.resp), 0);
	p = odata_project(&f.q, &user, obj, false);
	assert_true(json_object_size(p) > 60);
	assert_non_null(json_object_get(p, "signInActivity"));
	assert_null(json_object_get(p, "passwordProfile"));
	assert_null(json_object_get(p, "birthday"));
	assert_null(json_object_get(p, "memberOf"));
	json_decref(p);
	done(&f);
	json_decref(obj);
	REJECT(&user, false, 400, "BadRequest",
	       FAILED "Could not find a property named 'favouriteColour' on type "
	              "'microsoft.graph.user'.",
	       "$select", "id,favouriteColour");
}

static void test_single_entity_only(void **unused)
{
	json_t *obj = bob();
	struct odata_item it = {obj, &user, 1, NULL, {NULL, 0}};
	struct fx f;

	(void)unused;
	build(&f, "/v1.0/users", false, "$select", "id,birthday", NULL);
	assert_int_equal(odata_query_parse(&f.q, &user, &f.req, &f.resp), 0);
	assert_int_equal(odata_respond_collection(&f.q, &f.req, &f.resp, &it, 1, NULL),
	                 -1);
	expect_err(&f, 501, "NotImplemented",
	           "This operation target is not yet supported.");
	resp_release(&f.resp);
	resp_init(&f.resp, &f.req);
	assert_int_equal(
	    odata_respond_entity(&f.q, &f.req, &f.resp, 200, &user, obj, NULL), 0);
	/* not nullable in the CSDL: an unset one reads as the type's default */
	assert_string_equal(json_string_value(json_object_get(f.resp.body, "birthday")),
	                    "0001-01-01T00:00:00Z");
	assert_string_equal(
	    json_string_value(json_object_get(f.resp.body, "@odata.context")),
	    BASE "/v1.0/$metadata#users(id,birthday)/$entity");
	done(&f);
	json_decref(obj);
}

/* ---- $expand: grammar and limits ---- */

static void test_expand_errors(void **unused)
{
	(void)unused;
	REJECT(&user, false, 400, "BadRequest",
	       FAILED "Could not find a property named 'nope' on type "
	              "'microsoft.graph.user'.",
	       "$expand", "nope");
	REJECT(&user, false, 400, "BadRequest",
	       FAILED "Property 'displayName' on type 'microsoft.graph.user' is not a "
	              "navigation property or complex property. Only navigation "
	              "properties can be expanded.",
	       "$expand", "displayName");
	REJECT(&user, false, 400, "BadRequest",
	       "The result of parsing $expand contained at least 2 items, but the "
	       "maximum allowed is 1.",
	       "$expand", "manager,memberOf");
	REJECT(&user, true, 400, "Request_UnsupportedQuery",
	       "$expand is not supported with advanced query parameters ($count, "
	       "$search with ConsistencyLevel: eventual).",
	       "$expand", "memberOf", "$count", "true");
	REJECT(&user, false, 400, "BadRequest",
	       FAILED "The query option '$filter' is not supported inside $expand on "
	              "directory objects.",
	       "$expand", "memberOf($filter=id eq 'x')");
	REJECT(&user, false, 400, "BadRequest",
	       FAILED "The query option '$expand' is not supported inside $expand on "
	              "directory objects.",
	       "$expand", "memberOf($expand=members)");
	REJECT(&user, false, 400, "BadRequest",
	       FAILED "$levels is supported only on 'manager'.", "$expand",
	       "memberOf($levels=2)");
	REJECT(&user, false, 400, "BadRequest",
	       FAILED "The value of $levels must be 'max' or a number between 1 and "
	              "1000, not '0'.",
	       "$expand", "manager($levels=0)");
	REJECT(
	    &user, false, 501, "NotImplemented",
	    "graphmock does not serve $expand of 'calendar' on 'microsoft.graph.user': "
	    "it keeps no microsoft.graph.calendar objects.",
	    "$expand", "calendar");
	/* nested $select is checked against the target type */
	REJECT(&user, false, 400, "BadRequest",
	       FAILED "Could not find a property named 'nope' on type "
	              "'microsoft.graph.appRoleAssignment'.",
	       "$expand", "appRoleAssignments($select=id,nope)");
}

static void test_expand_accepted(void **unused)
{
	struct fx f;

	(void)unused;
	build(&f, "/v1.0/users", true, "$expand",
	      "Manager($levels=max;$select=id,displayName)", "$count", "true", NULL);
	assert_int_equal(odata_query_parse(&f.q, &user, &f.req, &f.resp), 0);
	assert_int_equal(f.q.nexpand, 1);
	assert_string_equal(f.q.expand[0].nav->name, "manager");
	assert_int_equal(f.q.expand[0].levels, ODATA_LEVELS_MAX);
	assert_int_equal(f.q.expand[0].nselect, 2);
	done(&f);
	build(&f, "/v1.0/groups", false, "$expand", " members ($select=id, displayName) ",
	      NULL);
	assert_int_equal(odata_query_parse(&f.q, &group, &f.req, &f.resp), 0);
	assert_int_equal(f.q.expand[0].nselect, 2);
	done(&f);
}

/* ---- $expand: rendering ---- */

#define NREL 25

struct world {
	json_t *objs[NREL];
	struct odata_item items[NREL];
	size_t nmembers;      /* what "members" returns */
	int manager_of[NREL]; /* index of each object's manager, -1 none */
};

static int find_index(struct world *w, const json_t *obj)
{
	for (int i = 0; i < NREL; i++)
		if (w->objs[i] == obj)
			return i;
	return -1;
}

static int world_related(void *ctx, const struct odata_item *item,
                         const struct schema_property *nav, struct odata_related *out)
{
	struct world *w = ctx;
	int i = find_index(w, item->obj);

	if (!strcmp(nav->name, "members")) {
		out->items = calloc(w->nmembers + 1, sizeof(*out->items));
		memcpy(out->items, w->items, w->nmembers * sizeof(*out->items));
		out->n = w->nmembers;
	} else if (!strcmp(nav->name, "manager") && i >= 0 && w->manager_of[i] >= 0) {
		out->items = calloc(1, sizeof(*out->items));
		out->items[0] = w->items[w->manager_of[i]];
		out->n = 1;
	}
	return 0;
}

static void world_init(struct world *w)
{
	for (int i = 0; i < NREL; i++) {
		char id[40];

		snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012d", i);
		w->objs[i] =
		    json_pack("{s:s, s:s+}", "id", id, "displayName", "U", id + 30);
		w->items[i] = (struct odata_item){
		    w->objs[i], &user, (uint64_t)i + 1, NULL, {NULL, 0}};
		w->manager_of[i] = -1;
	}
	w->nmembers = NREL;
}

static void world_release(struct world *w)
{
	for (int i = 0; i < NREL; i++)
		json_decref(w->objs[i]);
}

static json_t *respond_one(struct world *w, const struct odata_entity *e, int idx,
                           const char *path, ...)
{
	struct odata_expander ex = {world_related, w};
	struct odata_one one = {e, w->objs[idx], NULL, false, &ex, {NULL, 0}};
	const char *name;
	json_t *body;
	struct fx f;
	va_list ap;

	memset(&f, 0, sizeof(f));
	req_init(&f.req);
	assert_int_equal(req_set_path(&f.req, path), 0);
	snprintf(f.req.base_url, sizeof(f.req.base_url), "%s", BASE);
	va_start(ap, path);
	for (name = va_arg(ap, const char *); name; name = va_arg(ap, const char *))
		assert_int_equal(req_add_query(&f.req, name, va_arg(ap, const char *)),
		                 0);
	va_end(ap);
	resp_init(&f.resp, &f.req);
	assert_int_equal(odata_query_parse(&f.q, e, &f.req, &f.resp), 0);
	assert_int_equal(odata_respond_one(&f.q, &f.req, &f.resp, 200, &one), 0);
	body = json_incref(f.resp.body);
	done(&f);
	return body;
}

static void test_expand_members(void **unused)
{
	struct world w;
	json_t *body, *members;

	(void)unused;
	world_init(&w);
	body = respond_one(&w, &group, 0, "/v1.0/groups/x", "$select", "id", "$expand",
	                   "members($select=id,displayName)", NULL);
	assert_string_equal(json_string_value(json_object_get(body, "@odata.context")),
	                    BASE
	                    "/v1.0/$metadata#groups(id,members(id,displayName))/$entity");
	members = json_object_get(body, "members");
	assert_int_equal(json_array_size(members), 20); /* Graph's cap */
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(members, 0), "@odata.type")),
	    "#microsoft.graph.user");
	assert_int_equal(json_object_size(json_array_get(members, 0)), 3);
	json_decref(body);
	/* no nested $select: each item's default set; "members()" in the context */
	w.nmembers = 2;
	body = respond_one(&w, &group, 0, "/v1.0/groups/x", "$expand", "members", NULL);
	assert_string_equal(json_string_value(json_object_get(body, "@odata.context")),
	                    BASE "/v1.0/$metadata#groups(members())/$entity");
	members = json_object_get(body, "members");
	assert_int_equal(json_array_size(members), 2);
	assert_true(
	    json_is_array(json_object_get(json_array_get(members, 1), "businessPhones")));
	json_decref(body);
	w.nmembers = 0;
	body = respond_one(&w, &group, 0, "/v1.0/groups/x", "$expand", "members", NULL);
	assert_int_equal(json_array_size(json_object_get(body, "members")), 0);
	assert_true(json_is_array(json_object_get(body, "members")));
	json_decref(body);
	world_release(&w);
}

static void test_expand_manager_chain(void **unused)
{
	struct world w;
	json_t *body, *m;

	(void)unused;
	world_init(&w);
	/* 0 -> 1 -> 2 -> 1 (a cycle) */
	w.manager_of[0] = 1;
	w.manager_of[1] = 2;
	w.manager_of[2] = 1;
	body = respond_one(&w, &user, 0, "/v1.0/users/x", "$expand", "manager", NULL);
	m = json_object_get(body, "manager");
	assert_string_equal(json_string_value(json_object_get(m, "@odata.type")),
	                    "#microsoft.graph.user");
	assert_null(json_object_get(m, "manager")); /* no $levels: one level */
	json_decref(body);
	body = respond_one(&w, &user, 0, "/v1.0/users/x", "$expand",
	                   "manager($levels=max;$select=id)", NULL);
	m = json_object_get(body, "manager");
	assert_non_null(m);
	m = json_object_get(m, "manager");
	assert_non_null(m);
	/* 2's manager is 1, already in the chain: written, and the chain ends */
	m = json_object_get(m, "manager");
	assert_non_null(m);
	assert_null(json_object_get(m, "manager"));
	assert_int_equal(json_object_size(m), 2); /* @odata.type, id */
	json_decref(body);
	body = respond_one(&w, &user, 0, "/v1.0/users/x", "$expand", "manager($levels=1)",
	                   NULL);
	assert_null(json_object_get(json_object_get(body, "manager"), "manager"));
	json_decref(body);
	/* no manager: the key is left out */
	body = respond_one(&w, &user, 3, "/v1.0/users/x", "$expand", "manager", NULL);
	assert_null(json_object_get(body, "manager"));
	json_decref(body);
	world_release(&w);
}

static void test_expand_page_cap(void **unused)
{
	struct odata_expander ex = {world_related, NULL};
	struct odata_list_opts opts = {"users", false, 100, 999, &ex};
	struct odata_item many[150];
	json_t *obj = bob();
	struct world w;
	struct fx f;

	(void)unused;
	world_init(&w);
	ex.ctx = &w;
	w.nmembers = 0;
	for (size_t i = 0; i < 150; i++)
		many[i] = (struct odata_item){obj, &user, i + 1, NULL, {NULL, 0}};
	build(&f, "/v1.0/users", false, "$top", "999", "$expand", "manager", NULL);
	assert_int_equal(odata_query_parse(&f.q, &user, &f.req, &f.resp), 0);
	assert_int_equal(
	    odata_respond_collection(&f.q, &f.req, &f.resp, many, 150, &opts), 0);
	assert_int_equal(json_array_size(json_object_get(f.resp.body, "value")), 100);
	assert_non_null(json_object_get(f.resp.body, "@odata.nextLink"));
	done(&f);
	json_decref(obj);
	world_release(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_select_any_declared_property),
	    cmocka_unit_test(test_single_entity_only),
	    cmocka_unit_test(test_expand_errors),
	    cmocka_unit_test(test_expand_accepted),
	    cmocka_unit_test(test_expand_members),
	    cmocka_unit_test(test_expand_manager_chain),
	    cmocka_unit_test(test_expand_page_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
