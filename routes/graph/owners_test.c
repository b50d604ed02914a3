/*
 * routes/graph/owners_test.c - owner lists on the default fixture: ids kept
 * lower-case and matched whatever their case, owners deleted since left out,
 * the reverse walk over groups, applications and service principals, and
 * Microsoft Graph's service principal left as text by a walk that does not
 * need it (its permission catalogue is 2.2 MB once parsed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/http_testutil.h"
#include "../../server/srv.h"
#include "member_walk.h"
#include "owners.h"

#define ADMIN    "33c3317d-939c-4e2f-855a-95aa465db42a"
#define ADELE    "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define GROUP    "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define APP      "ebcfd23c-7aec-4030-8ffc-e1a1fd7ab9e8"
#define GRAPH_SP "bd9c1ced-d13a-4ed9-8018-1d502b412f30"
#define UNKNOWN  "0badc0de-0000-4000-8000-000000000001"

struct fx {
	struct srv *srv;
	struct call c;
};

static int fx_setup(void **state)
{
	struct test_server_opts opts = {.seed = 1};
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->srv = test_srv_new(&opts);
	fx->c.st = &fx->srv->state;
	fx->c.tenant = state_tenant_default(fx->c.st);
	*state = fx;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *fx = *state;

	test_srv_free(fx->srv);
	free(fx);
	return 0;
}

static struct dobj *find(struct fx *fx, const char *id)
{
	struct dobj *d = state_dobj_find(fx->c.st, fx->c.tenant, -1, id);

	assert_non_null(d);
	return d;
}

static bool listed(const struct dobj_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i]->id, id))
			return true;
	return false;
}

static void test_add_has_remove(void **state)
{
	struct fx *fx = *state;
	struct dobj *app = find(fx, APP), *user = find(fx, ADMIN);
	struct dobj_list l = {0};

	assert_null(owners_key(DOBJ_USER));
	assert_int_equal(owners_add(user, ADELE), -1); /* users own, never are owned */
	assert_false(owners_has(app, ADMIN));
	assert_int_equal(owners_add(app, "33C3317D-939C-4E2F-855A-95AA465DB42A"), 0);
	assert_int_equal(owners_add(app, UNKNOWN), 0);
	assert_string_equal(
	    json_string_value(
	        json_array_get(json_object_get(state_dobj_json(app), APP_OWNERS_KEY), 0)),
	    ADMIN);
	assert_true(owners_has(app, "33c3317d-939c-4e2f-855a-95aa465db42A"));
	/* an id that names nothing is kept but never listed */
	assert_int_equal(owners_list(&fx->c, app, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0]->id, ADMIN);
	dobj_list_release(&l);
	assert_true(owners_remove(app, UNKNOWN));
	assert_false(owners_remove(app, UNKNOWN));
	assert_true(owners_remove(app, ADMIN));
	assert_false(owners_has(app, ADMIN));
}

static void test_owned_by_every_kind(void **state)
{
	struct fx *fx = *state;
	struct dobj *admin = find(fx, ADMIN);
	struct dobj_list l = {0};

	assert_int_equal(owners_add(find(fx, GROUP), ADMIN), 0);
	assert_int_equal(owners_add(find(fx, APP), ADMIN), 0);
	assert_int_equal(owners_owned_by(&fx->c, admin, &l), 0);
	assert_int_equal(l.n, 2);
	assert_true(listed(&l, GROUP));
	assert_true(listed(&l, APP));
	dobj_list_release(&l);
	assert_true(owners_remove(find(fx, GROUP), ADMIN));
	assert_true(owners_remove(find(fx, APP), ADMIN));
}

static void test_graph_sp_stays_text(void **state)
{
	struct fx *fx = *state;
	struct dobj *graph, *admin = find(fx, ADMIN);
	struct dobj_list l = {0};

	HASH_FIND_STR(fx->c.tenant->objects, GRAPH_SP, graph);
	assert_non_null(graph);
	assert_non_null(graph->frozen);
	assert_null(graph->props);
	assert_int_equal(owners_owned_by(&fx->c, admin, &l), 0);
	assert_int_equal(l.n, 0);
	assert_false(owners_has(graph, ADMIN));
	assert_null(graph->props); /* the walk did not parse it */
	/* once it has owners it is read like any other */
	assert_int_equal(owners_add(graph, ADMIN), 0);
	assert_int_equal(owners_owned_by(&fx->c, admin, &l), 0);
	assert_true(listed(&l, GRAPH_SP));
	dobj_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_add_has_remove, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_owned_by_every_kind, fx_setup,
	                                    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_graph_sp_stays_text, fx_setup,
	                                    fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
