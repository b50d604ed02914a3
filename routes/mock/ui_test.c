/*
 * routes/mock/ui_test.c - the dashboard's compiled-in files: each has a real
 * Content-Type; every file a page names (/_mock/ui/x, import './x.js')
 * exists; nothing needs what the Content-Security-Policy forbids (inline
 * scripts, handlers or styles, eval, HTML parsed from strings, other
 * origins, fonts); and the route serves them through the real pipeline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../server/http_testutil.h"
#include "../../server/srv.h"
#include "ui.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* The file as a NUL-terminated string (the generator adds the NUL). */
static const char *text(const struct ui_asset *a)
{
	assert_int_equal(a->data[a->len], '\0');
	return (const char *)a->data;
}

static void test_every_file_has_a_type_and_an_etag(void **s)
{
	size_t n = 0;

	(void)s;
	for (const struct ui_asset *a = ui_assets; a->name; a++, n++) {
		assert_string_not_equal(ui_content_type(a->name),
		                        "application/octet-stream");
		assert_true(strlen(a->etag) == 18 && a->etag[0] == '"' &&
		            a->etag[17] == '"');
		assert_ptr_equal(ui_asset_find(a->name), a);
		for (const struct ui_asset *b = a + 1; b->name; b++)
			assert_string_not_equal(a->etag, b->etag);
	}
	assert_true(n >= 10);
	assert_non_null(ui_asset_find("index.html"));
	assert_non_null(ui_asset_find("base.css")); /* shared with the sign-in pages */
	assert_null(ui_asset_find("../ui.c"));
	assert_null(ui_asset_find(NULL));
	assert_string_equal(ui_content_type("x.js"), "text/javascript; charset=utf-8");
	assert_string_equal(ui_content_type("x.css"), "text/css; charset=utf-8");
	assert_string_equal(ui_content_type("index.html"), "text/html; charset=utf-8");
	assert_string_equal(ui_content_type("js"), "application/octet-stream");
}

/* Each "<prefix>NAME<end>" in @body must name a compiled-in file. */
static void check_refs(const char *file, const char *body, const char *prefix, char end)
{
	for (const char *p = strstr(body, prefix); p; p = strstr(p + 1, prefix)) {
		const char *name = p + strlen(prefix);
		const char *stop = strchr(name, end);
		char buf[128];

		assert_non_null(stop);
		snprintf(buf, sizeof(buf), "%.*s", (int)(stop - name), name);
		if (!ui_asset_find(buf))
			fail_msg("%s refers to '%s', which is not in routes/mock/ui/",
			         file, buf);
	}
}

static void check_absent(const char *file, const char *body, const char *what)
{
	if (strstr(body, what))
		fail_msg("%s contains '%s', which the dashboard's policy forbids", file,
		         what);
}

static void test_references_resolve_and_obey_the_policy(void **s)
{
	static const char *const anywhere[] = {"http://", "https://fonts", "@font-face",
	                                       "javascript:", "@import"};
	static const char *const in_js[] = {
	    "innerHTML",    "outerHTML",      "insertAdjacentHTML",   "eval(",
	    "new Function", "document.write", "setAttribute('style'", ".style.",
	    "setTimeout('"};
	static const char *const in_html[] = {
	    "<script>", "<style",    " style=",   " onclick=",
	    " onload=", " onerror=", " onsubmit="};

	(void)s;
	for (const struct ui_asset *a = ui_assets; a->name; a++) {
		const char *body = text(a);
		for (size_t i = 0; i < sizeof(anywhere) / sizeof(*anywhere); i++)
			if (!ends_with(a->name,
			               ".svg")) /* its xmlns is a name, not a fetch */
				check_absent(a->name, body, anywhere[i]);
		check_refs(a->name, body, "/_mock/ui/", '"');
		if (ends_with(a->name, ".js")) {
			check_refs(a->name, body, "from './", '\'');
			for (size_t i = 0; i < sizeof(in_js) / sizeof(*in_js); i++)
				check_absent(a->name, body, in_js[i]);
		}
		if (ends_with(a->name, ".html"))
			for (size_t i = 0; i < sizeof(in_html) / sizeof(*in_html); i++)
				check_absent(a->name, body, in_html[i]);
	}
	assert_non_null(
	    strstr(text(ui_asset_find("index.html")),
	           "<script type=\"module\" src=\"/_mock/ui/app.js\"></script>"));
	assert_non_null(strstr(UI_CSP, "script-src 'self';"));
	assert_null(strstr(UI_CSP, "unsafe"));
}

static void test_served_through_the_pipeline(void **s)
{
	struct test_server_opts opts = {.seed = 1};
	struct srv *srv = test_srv_new(&opts);
	struct test_reply *r;
	const struct ui_asset *index = ui_asset_find("index.html");

	(void)s;
	r = test_local_call(srv, "GET", "/_mock/ui", NULL, NULL, NULL);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->content_type, "text/html; charset=utf-8");
	assert_string_equal(r->cache_control, "no-cache");
	assert_int_equal(r->len, index->len);
	assert_memory_equal(r->body, index->data, r->len < sizeof(r->body) ? r->len : 64);
	test_reply_free(r);

	r = test_local_call(srv, "GET", "/_mock/ui/app.js", NULL, NULL, NULL);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->content_type, "text/javascript; charset=utf-8");
	test_reply_free(r);

	r = test_local_call(srv, "GET", "/_mock/ui/base.css", NULL, NULL, NULL);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->content_type, "text/css; charset=utf-8");
	test_reply_free(r);

	r = test_local_call(srv, "GET", "/_mock/ui/missing.js", NULL, NULL, NULL);
	assert_int_equal(r->status, 404);
	assert_non_null(strstr(r->body, "The dashboard has no file 'missing.js'."));
	test_reply_free(r);

	/* The admin plane answers 404 for a method it does not serve there. */
	r = test_local_call(srv, "POST", "/_mock/ui", "{}", "application/json", NULL);
	assert_int_equal(r->status, 404);
	test_reply_free(r);
	test_srv_free(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_file_has_a_type_and_an_etag),
	    cmocka_unit_test(test_references_resolve_and_obey_the_policy),
	    cmocka_unit_test(test_served_through_the_pipeline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
