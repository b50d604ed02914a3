/*
 * server/odata/odata_respond_test.c - the text path of the OData responders prints
 * exactly what the json_t path prints: odata_project_write() against
 * json_dumps(odata_project()) for every schema and many $select lists
 * (duplicates, '*', hidden properties, case variants, unknown names), and
 * odata_respond_collection() and odata_respond_entity() with resp->bytes_only
 * against the json_t body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../core/jwriter.h"
#include "odata.h"
#include "odata_respond.h"
#include "odata_test_schemas.h"
#include "../core/req.h"
#include "../core/resp.h"

#define FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

static const char *const selects[] = {
    NULL,
    "*",
    "id",
    "id,displayName",
    "displayName,id,displayName",
    "DISPLAYNAME,displayname",
    "*,id",
    "id,*",
    "passwordProfile",
    "passwordProfile,*,passwordProfile",
    "*,passwordProfile",
    "businessPhones,identities,employeeOrgData,signInActivity",
    "nosuchprop,id",
    "appRoles,tags,keyCredentials,servicePrincipalNames",
    "categories,description,logoUrl",
    "principalDisplayName,resourceId,createdDateTime",
};

/* A $select list as odata_query_parse() leaves it (names as written). */
static void set_select(struct odata_query *q, const struct odata_entity *e,
                       const char *list)
{
	char *copy, *save = NULL, *tok;

	memset(q, 0, sizeof(*q));
	q->entity = e;
	if (!list)
		return;
	copy = strdup(list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		q->select = realloc(q->select, (q->nselect + 1) * sizeof(*q->select));
		q->select[q->nselect++] = strdup(tok);
	}
	free(copy);
}

static void clear_select(struct odata_query *q)
{
	for (size_t i = 0; i < q->nselect; i++)
		free(q->select[i]);
	free(q->select);
}

static void same_projection(const struct odata_query *q, const struct odata_entity *e,
                            const json_t *obj, bool annotate)
{
	json_t *p = odata_project(q, e, obj, annotate);
	char *want = json_dumps(p, FLAGS), *got;
	struct buf w;
	size_t len;

	buf_init(&w, (size_t)1 << 20);
	odata_project_write(&w, q, e, obj, annotate, false);
	got = buf_detach(&w, &len);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	free(want);
	json_decref(p);
}

static void test_projection_matches(void **ctx)
{
	static const struct {
		const struct odata_entity *e;
		const char *sample;
	} kinds[] = {
	    {&fx_user, sample_user}, {&fx_group, sample_group}, {&fx_sp, sample_sp},
	    {&fx_tmpl, sample_tmpl}, {&fx_ara, sample_ara},     {&fx_dirobj, sample_user},
	};
	struct odata_query q;

	(void)ctx;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		json_t *obj = json_loads(kinds[k].sample, 0, NULL);

		assert_non_null(obj);
		/* Hostile text in a default property, and an absent one. */
		json_object_set_new(
		    obj, "displayName",
		    json_string("Z\xc3\xa9 \"q\" \\ \n\x01 \xf0\x9f\x98\x80"));
		json_object_del(obj, "id");
		for (size_t s = 0; s < sizeof(selects) / sizeof(selects[0]); s++) {
			set_select(&q, kinds[k].e, selects[s]);
			same_projection(&q, kinds[k].e, obj, false);
			same_projection(&q, kinds[k].e, obj, true);
			clear_select(&q);
		}
		same_projection(NULL, kinds[k].e, obj, true);
		json_decref(obj);
	}
}

/* ---- whole collection bodies ---- */

#define NOBJ 7

struct coll {
	json_t *objs[NOBJ];
	struct odata_item items[NOBJ];
};

static void coll_init(struct coll *c)
{
	for (size_t i = 0; i < NOBJ; i++) {
		char id[40];

		c->objs[i] = json_loads(i % 2 ? sample_user : sample_group, 0, NULL);
		snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012zu", i);
		json_object_set_new(c->objs[i], "id", json_string(id));
		json_object_set_new(c->objs[i], "displayName",
		                    json_string(i % 3 ? "B\xc3\xa9" : "a \"x\""));
		c->items[i].obj = c->objs[i];
		c->items[i].entity = i % 2 ? &fx_user : &fx_group;
		c->items[i].seq = i + 1;
		c->items[i].tag = (struct odata_tag){NULL, 0};
	}
}

static void coll_release(struct coll *c)
{
	for (size_t i = 0; i < NOBJ; i++)
		json_decref(c->objs[i]);
}

/* Respond to @path + query pairs both ways; the bytes must match. */
static void same_page(const struct coll *c, const struct odata_list_opts *opts,
                      const char *path, ...)
{
	struct odata_query q;
	struct req req;
	struct resp json_resp, text_resp;
	const char *name;
	char *want, *got;
	size_t wlen;
	va_list ap;

	req_init(&req);
	assert_int_equal(req_set_path(&req, path), 0);
	snprintf(req.base_url, sizeof(req.base_url), "https://graph.test");
	assert_int_equal(req_add_header(&req, "ConsistencyLevel", "eventual"), 0);
	va_start(ap, path);
	for (name = va_arg(ap, const char *); name; name = va_arg(ap, const char *))
		assert_int_equal(req_add_query(&req, name, va_arg(ap, const char *)), 0);
	va_end(ap);
	resp_init(&json_resp, &req);
	resp_init(&text_resp, &req);
	text_resp.bytes_only = true;
	memset(&q, 0, sizeof(q));
	assert_int_equal(odata_query_parse(&q, &fx_user, &req, &json_resp), 0);
	assert_int_equal(
	    odata_respond_collection(&q, &req, &json_resp, c->items, NOBJ, opts), 0);
	assert_int_equal(
	    odata_respond_collection(&q, &req, &text_resp, c->items, NOBJ, opts), 0);
	assert_non_null(json_resp.body);
	assert_null(text_resp.body);
	assert_non_null(text_resp.text);
	assert_string_equal(resp_content_type(&text_resp), resp_content_type(&json_resp));
	want = resp_render(&json_resp, &wlen);
	resp_finish(&text_resp);
	got = text_resp.bytes;
	assert_string_equal(got, want);
	assert_int_equal(text_resp.bytes_len, wlen);
	free(want);
	resp_release(&json_resp);
	resp_release(&text_resp);
	odata_query_release(&q);
	req_release(&req);
}

static void test_collection_matches(void **ctx)
{
	const struct odata_list_opts plain = {0};
	const struct odata_list_opts annotated = {"directoryObjects", true, 3, 0, NULL};
	struct coll c;

	(void)ctx;
	coll_init(&c);
	same_page(&c, NULL, "/v1.0/users", NULL);
	same_page(&c, &plain, "/v1.0/users", "$top", "2", NULL);
	same_page(&c, &plain, "/v1.0/users", "$top", "3", "$count", "true", NULL);
	same_page(&c, &plain, "/v1.0/users", "$select", "id,displayName,id", "$top", "1",
	          NULL);
	same_page(&c, &plain, "/v1.0/users", "$orderby", "displayName desc", "$top", "4",
	          NULL);
	same_page(&c, &plain, "/v1.0/users", "$filter", "displayName eq 'B\xc3\xa9'",
	          "$count", "true", NULL);
	same_page(&c, &plain, "/v1.0/users", "$filter", "id eq 'none'", NULL);
	same_page(&c, &annotated, "/beta/groups/x/members", "$select", "*", NULL);
	coll_release(&c);
}

/* odata_respond_entity() with resp->bytes_only against the json_t body. */
static void same_entity(const char *sel, const char *context)
{
	json_t *obj = json_loads(sample_user, 0, NULL);
	struct odata_query q;
	struct req req;
	struct resp json_resp, text_resp;
	char *want;
	size_t wlen;

	json_object_set_new(obj, "jobTitle", json_string("\"Chef\" \xc3\xa9\t"));
	req_init(&req);
	assert_int_equal(req_set_path(&req, "/v1.0/users/x"), 0);
	snprintf(req.base_url, sizeof(req.base_url), "https://graph.test");
	if (sel)
		assert_int_equal(req_add_query(&req, "$select", sel), 0);
	resp_init(&json_resp, &req);
	resp_init(&text_resp, &req);
	text_resp.bytes_only = true;
	memset(&q, 0, sizeof(q));
	assert_int_equal(odata_query_parse(&q, &fx_user, &req, &json_resp), 0);
	assert_int_equal(
	    odata_respond_entity(&q, &req, &json_resp, 201, &fx_user, obj, context), 0);
	assert_int_equal(
	    odata_respond_entity(&q, &req, &text_resp, 201, &fx_user, obj, context), 0);
	assert_non_null(json_resp.body);
	assert_null(text_resp.body);
	assert_int_equal(text_resp.status, json_resp.status);
	assert_int_equal(text_resp.kind, json_resp.kind);
	want = resp_render(&json_resp, &wlen);
	resp_finish(&text_resp);
	assert_string_equal(text_resp.bytes, want);
	assert_int_equal(text_resp.bytes_len, wlen);
	free(want);
	resp_release(&json_resp);
	resp_release(&text_resp);
	odata_query_release(&q);
	req_release(&req);
	json_decref(obj);
}

static void test_entity_matches(void **ctx)
{
	(void)ctx;
	same_entity(NULL, NULL);
	same_entity("*", NULL);
	same_entity("id,jobTitle,id,passwordProfile", NULL);
	same_entity("displayName", "users('x')/manager");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_projection_matches),
	    cmocka_unit_test(test_collection_matches),
	    cmocka_unit_test(test_entity_matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
