/*
 * routes/graph/member_walk_test.c - transitive membership walks over a cycle, and
 * the membership routes through the request pipeline on the default fixture: $ref add
 * and its duplicate error, nested checkMemberGroups, and referential
 * integrity when a member is deleted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "../../server/http_testutil.h"
#include "../../server/srv.h"
#include "../../state/model/model.h"
#include "member_walk.h"

#define DEV   "1892265b-9c32-4dcf-b9ab-51bf32136e62"
#define ADELE "867c0910-85c6-4427-9a19-b6e7e79332ae"
#define ADMIN "33c3317d-939c-4e2f-855a-95aa465db42a"

struct fx {
	struct srv *srv;
	struct state *st;
	struct tenant *t;
};

static int fx_setup(void **state)
{
	struct test_server_opts opts = {.seed = 1};
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->srv = test_srv_new(&opts);
	fx->st = &fx->srv->state;
	fx->t = state_tenant_default(fx->st);
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

static struct dobj *new_group(struct fx *fx, const char *name)
{
	json_t *g = json_pack("{s:s}", "displayName", name);

	assert_int_equal(model_group_complete(fx->st, fx->t, g), 0);
	return state_dobj_add(fx->st, fx->t, DOBJ_GROUP, g);
}

static bool listed(const struct dobj_list *l, const struct dobj *d)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == d)
			return true;
	return false;
}

static void test_walk_cycle(void **state)
{
	struct fx *fx = *state;
	struct dobj *a = new_group(fx, "A"), *b = new_group(fx, "B"),
	            *c = new_group(fx, "C");
	struct dobj *adele = state_dobj_find(fx->st, fx->t, DOBJ_USER, ADELE);
	struct dobj_list l;

	/* A in B, B in A (a cycle), C in B, Adele in A. */
	assert_int_equal(state_member_add(b, a, NULL), 0);
	assert_int_equal(state_member_add(a, b, NULL), 0);
	assert_int_equal(state_member_add(b, c, NULL), 0);
	assert_int_equal(state_member_add(a, adele, NULL), 0);

	assert_int_equal(member_walk_up(fx->st, adele, &l), 0);
	assert_int_equal(l.n, 3); /* Developer group, A, B: each once */
	assert_true(listed(&l, a) && listed(&l, b));
	assert_false(listed(&l, c));
	dobj_list_release(&l);

	assert_int_equal(member_walk_down(fx->st, a, &l), 0);
	assert_int_equal(l.n, 3); /* B, Adele, C; never A itself */
	assert_true(listed(&l, b) && listed(&l, c) && listed(&l, adele));
	assert_false(listed(&l, a));
	member_walk_sort(&l);
	for (size_t i = 1; i < l.n; i++)
		assert_true(l.v[i - 1]->seq < l.v[i]->seq);
	dobj_list_release(&l);

	/* A group that is in itself through the cycle is not listed as its own. */
	assert_int_equal(member_walk_up(fx->st, a, &l), 0);
	assert_int_equal(l.n, 1);
	assert_ptr_equal(l.v[0], b);
	dobj_list_release(&l);
}

/* Run @method @path with @body through the request pipeline; returns the status. */
static unsigned call(struct fx *fx, const char *method, const char *path,
                     const char *body, struct test_reply *resp)
{
	struct test_request rq = {method, path, body, body ? "application/json" : NULL,
	                          NULL,   NULL, NULL, false,
	                          0};

	test_local(fx->srv, &rq, resp);
	return (unsigned)resp->status;
}

static const char *error_message(const struct test_reply *resp)
{
	return json_string_value(
	    json_object_get(json_object_get(resp->json, "error"), "message"));
}

static void test_ref_add_duplicate(void **state)
{
	struct fx *fx = *state;
	const char *body =
	    "{\"@odata.id\": \"https://graph.microsoft.com/v1.0/directoryObjects/" ADMIN
	    "\"}";
	struct test_reply resp;

	assert_int_equal(
	    call(fx, "POST", "/v1.0/groups/" DEV "/members/$ref", body, &resp), 204);
	assert_null(resp.json);
	test_reply_release(&resp);
	assert_int_equal(
	    call(fx, "POST", "/v1.0/groups/" DEV "/members/$ref", body, &resp), 400);
	assert_string_equal(error_message(&resp),
	                    "One or more added object references already exist for the "
	                    "following modified properties: 'members'.");
	test_reply_release(&resp);
}

static void test_nested_check_member_groups(void **state)
{
	struct fx *fx = *state;
	struct dobj *outer = new_group(fx, "Outer");
	char body[128];
	struct test_reply resp;
	json_t *value;

	state_member_add(outer, state_dobj_find(fx->st, fx->t, DOBJ_GROUP, DEV), NULL);
	snprintf(body, sizeof(body), "{\"groupIds\": [\"%s\", \"%s\"]}", outer->id,
	         ADMIN);
	assert_int_equal(
	    call(fx, "POST", "/v1.0/users/" ADELE "/checkMemberGroups", body, &resp),
	    200);
	value = json_object_get(resp.json, "value");
	assert_int_equal(json_array_size(value), 1);
	assert_string_equal(json_string_value(json_array_get(value, 0)), outer->id);
	test_reply_release(&resp);
}

static void test_delete_member_object_cascades(void **state)
{
	struct fx *fx = *state;
	struct dobj *dev = state_dobj_find(fx->st, fx->t, DOBJ_GROUP, DEV);
	struct test_reply resp;

	/* The §5.5 trap: no /$ref deletes Adele herself, and her edge with her. */
	assert_int_equal(
	    call(fx, "DELETE", "/v1.0/groups/" DEV "/members/" ADELE, NULL, &resp), 204);
	test_reply_release(&resp);
	assert_null(state_dobj_find(fx->st, fx->t, -1, ADELE));
	assert_false(state_member_has(dev, ADELE));
	assert_null(dev->members);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_walk_cycle, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_ref_add_duplicate, fx_setup,
	                                    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_nested_check_member_groups, fx_setup,
	                                    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_delete_member_object_cascades, fx_setup,
	                                    fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
