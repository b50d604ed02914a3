/*
 * server/odata/odata_rcache_test.c - the render cache: a text is given back
 * only for the tag, generation and entity it was kept for; and a projection
 * with a tag writes byte for byte what it writes without one, whether the
 * default set comes from the cache or not, opening an object or continuing
 * one, and never for a $select. (Run without GRAPHMOCK_RENDER_CHECK's
 * flag, which a kept text made up here would trip.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../state/schema/schema_ids.h"
#include "../../state/util/buf.h"
#include "odata.h"
#include "odata_rcache.h"
#include "odata_respond.h"
#include "odata_test_schemas.h"

/* A typed entity: only a CSDL type's default set goes through the cache. */
static const struct odata_prop user_props[] = {
    {"id", ODATA_GUID, OP_DEFAULT | OP_FILTER},
    {"displayName", ODATA_STRING, OP_DEFAULT | OP_FILTER},
    {"businessPhones", ODATA_STRING_COLLECTION, OP_DEFAULT},
    {"birthday", ODATA_DATETIME, OP_DEFAULT},
    {"passwordProfile", ODATA_OBJECT, OP_HIDDEN},
    {0},
};

static const struct odata_entity user = {
    "users", "User", "#microsoft.graph.user", OE_DIRECTORY, user_props, SCHEMA_TYPE(user),
};

static void test_find_needs_key_gen_and_entity(void **ctx)
{
	int a, b;
	struct odata_tag tag = {&a, 7}, other_gen = {&a, 8}, other_key = {&b, 7};
	struct odata_tag none = {&a, 0};
	size_t len = 0;
	const char *got;

	(void)ctx;
	odata_rcache_put(&tag, &fx_user, ",\"id\":\"x\"", 9);
	got = odata_rcache_find(&tag, &fx_user, &len);
	assert_non_null(got);
	assert_int_equal(len, 9);
	assert_memory_equal(got, ",\"id\":\"x\"", 9);
	assert_null(odata_rcache_find(&other_gen, &fx_user, &len));
	assert_null(odata_rcache_find(&other_key, &fx_user, &len));
	assert_null(odata_rcache_find(&tag, &fx_group, &len));
	/* gen 0 is "keep nothing": neither kept nor found */
	odata_rcache_put(&none, &fx_user, ",\"id\":\"y\"", 9);
	assert_null(odata_rcache_find(&none, &fx_user, &len));
	/* a newer text for the same object replaces the old one */
	odata_rcache_put(&other_gen, &fx_user, ",\"id\":\"z\"", 9);
	assert_null(odata_rcache_find(&tag, &fx_user, &len));
	assert_non_null(odata_rcache_find(&other_gen, &fx_user, &len));
}

static void test_long_text_not_kept(void **ctx)
{
	int a;
	struct odata_tag tag = {&a, 9};
	size_t n = ODATA_RCACHE_TEXT_MAX + 1, len;
	char *text = calloc(1, n);

	(void)ctx;
	assert_non_null(text);
	memset(text, 'x', n);
	odata_rcache_put(&tag, &fx_user, text, n);
	assert_null(odata_rcache_find(&tag, &fx_user, &len));
	free(text);
}

/* What @flags and @q write of @obj with @tag (NULL: none), as a string to free(). */
static char *write(const struct odata_query *q, const json_t *obj, unsigned flags,
                   const struct odata_tag *tag)
{
	struct buf w;
	size_t len;

	buf_init(&w, (size_t)1 << 20);
	if (flags & ODATA_PW_CONTINUED)
		buf_add(&w, "{\"@odata.context\":\"c\"", 21);
	odata_project_write_ex(&w, q, &user, obj, flags, NULL, tag);
	return buf_detach(&w, &len);
}

/* The same text with and without @tag, twice (kept, then from the cache). */
static void same_with_tag(const struct odata_query *q, const json_t *obj, unsigned flags,
                          const struct odata_tag *tag)
{
	char *want = write(q, obj, flags, NULL);

	for (int i = 0; i < 2; i++) {
		char *got = write(q, obj, flags, tag);

		assert_non_null(got);
		assert_string_equal(got, want);
		free(got);
	}
	free(want);
}

static void test_tagged_projection_matches(void **ctx)
{
	static const unsigned flags[] = {0, ODATA_PW_ANNOTATE, ODATA_PW_CONTINUED,
	                                 ODATA_PW_CONTINUED | ODATA_PW_ANNOTATE |
	                                     ODATA_PW_SINGLE};
	json_t *obj = json_loads(sample_user, 0, NULL);
	struct odata_query q;
	char name[] = "displayName";
	char *sel[] = {name};
	int key;
	uint64_t gen = 100;

	(void)ctx;
	assert_non_null(obj);
	memset(&q, 0, sizeof(q));
	q.entity = &user;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct odata_tag tag = {&key, ++gen};

		same_with_tag(&q, obj, flags[i], &tag);
		same_with_tag(NULL, obj, flags[i], &tag);
	}
	/* a $select of the same object and tag is written, not the kept default set */
	q.select = sel;
	q.nselect = 1;
	same_with_tag(&q, obj, 0, &(struct odata_tag){&key, gen});
	json_decref(obj);
}

/* What the cache holds for a tag is what is written: the hit path is taken,
 * opening an object (no comma) and continuing one. */
static void test_kept_text_is_written(void **ctx)
{
	json_t *obj = json_loads(sample_user, 0, NULL);
	int key;
	struct odata_tag tag = {&key, 700};
	char *open, *cont;

	(void)ctx;
	assert_non_null(obj);
	odata_rcache_put(&tag, &user, ",\"kept\":1", 9);
	open = write(NULL, obj, 0, &tag);
	cont = write(NULL, obj, ODATA_PW_CONTINUED, &tag);
	assert_string_equal(open, "{\"kept\":1}");
	assert_string_equal(cont, "{\"@odata.context\":\"c\",\"kept\":1}");
	free(open);
	free(cont);
	json_decref(obj);
}

/* A changed object under a new generation is written again, not given back. */
static void test_new_gen_writes_again(void **ctx)
{
	json_t *obj = json_loads(sample_user, 0, NULL);
	int key;
	struct odata_tag before = {&key, 500}, after = {&key, 501};
	char *old, *now;

	(void)ctx;
	assert_non_null(obj);
	old = write(NULL, obj, 0, &before);
	json_object_set_new(obj, "displayName", json_string("Renamed"));
	now = write(NULL, obj, 0, &after);
	assert_non_null(strstr(old, "\"displayName\":\""));
	assert_null(strstr(old, "Renamed"));
	assert_non_null(strstr(now, "\"displayName\":\"Renamed\""));
	free(old);
	free(now);
	json_decref(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find_needs_key_gen_and_entity),
	    cmocka_unit_test(test_long_text_not_kept),
	    cmocka_unit_test(test_tagged_projection_matches),
	    cmocka_unit_test(test_kept_text_is_written),
	    cmocka_unit_test(test_new_gen_writes_again),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
