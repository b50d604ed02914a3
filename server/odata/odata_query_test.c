/*
 * server/odata/odata_query_test.c - query-option validation (the advanced-query
 * matrix of graph-spec §4.5), $search, $orderby, projection, @odata.context,
 * paging with $skiptoken across inserts, @odata.count and /$count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../core/error.h"
#include "odata.h"
#include "odata_filter.h"
#include "odata_query.h"
#include "odata_test_schemas.h"
#include "../core/req.h"
#include "../core/resp.h"

#define BASE "https://graph.test"

#define ADV_ENDSWITH                                                                     \
	"Operator 'endsWith' is not supported because the required parameters might be " \
	"missing. Try adding $count=true query parameter and ConsistencyLevel:eventual " \
	"header. Refer to https://aka.ms/graph-docs/advanced-queries for more "          \
	"information"
#define SEARCH_HDR                                                                       \
	"Request with $search query parameter only works through MSGraph with a "        \
	"special "                                                                       \
	"request header: 'ConsistencyLevel: eventual'"
#define SORT "Sorting not supported for current query."
#define TOKEN_EXPIRED                                                                    \
	"The specified page token value has expired and can no longer be included in "   \
	"your request."

struct fx {
	struct req req;
	struct resp resp;
	struct odata_query q;
};

/* Build a request: @path, ConsistencyLevel when @eventual, then name/value pairs. */
static void build(struct fx *f, const char *path, int eventual, ...)
{
	va_list ap;
	const char *name;

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

static int parse(struct fx *f, const struct odata_entity *e)
{
	return odata_query_parse(&f->q, e, &f->req, &f->resp);
}

/* The last response must be a Graph error with @status, @code and exactly @msg. */
static void expect_err(struct fx *f, unsigned status, const char *code, const char *msg)
{
	json_t *err = json_object_get(f->resp.body, "error");

	assert_int_equal(f->resp.status, status);
	assert_non_null(err);
	assert_string_equal(json_string_value(json_object_get(err, "code")), code);
	assert_string_equal(json_string_value(json_object_get(err, "message")), msg);
}

/* Parse with the given options and expect the exact error. */
#define REJECT(ent, eventual, status, code, msg, ...)                                    \
	do {                                                                             \
		struct fx f_;                                                            \
		build(&f_, "/v1.0/x", eventual, __VA_ARGS__, NULL);                      \
		assert_int_equal(parse(&f_, ent), -1);                                   \
		expect_err(&f_, status, code, msg);                                      \
		done(&f_);                                                               \
	} while (0)

#define ACCEPT(ent, eventual, ...)                                                       \
	do {                                                                             \
		struct fx f_;                                                            \
		build(&f_, "/v1.0/x", eventual, __VA_ARGS__, NULL);                      \
		if (parse(&f_, ent))                                                     \
			fail_msg(                                                        \
			    "rejected: %s",                                              \
			    json_string_value(json_object_get(                           \
			        json_object_get(f_.resp.body, "error"), "message")));    \
		done(&f_);                                                               \
	} while (0)

/* ---- option validation ---- */

static void test_top(void **state)
{
	static const char *const bad[] = {"0", "1000", "-1",         "abc",
	                                  "",  "5x",   "99999999999"};
	char msg[160];
	struct fx f;
	size_t i;

	(void)state;
	build(&f, "/v1.0/users", false, "$top", "999", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_int_equal(f.q.top, 999);
	done(&f);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(msg, sizeof(msg),
		         "Invalid page size specified: '%s'. Must be between 1 and 999 "
		         "inclusive.",
		         bad[i]);
		REJECT(&fx_user, false, 400, "Request_UnsupportedQuery", msg, "$top",
		       bad[i]);
	}
}

static void test_skip(void **state)
{
	struct fx f;

	(void)state;
	REJECT(&fx_user, false, 400, "Request_BadRequest",
	       "'$skip' is not supported by the service.", "$skip", "5");
	build(&f, "/v1.0/applicationTemplates", false, "$skip", "2", NULL);
	assert_int_equal(parse(&f, &fx_tmpl), 0);
	assert_int_equal(f.q.skip, 2);
	done(&f);
	REJECT(&fx_tmpl, false, 400, "BadRequest",
	       "Invalid value 'x' for $skip query option found. The $skip query option "
	       "requires a non-negative integer value.",
	       "$skip", "x");
}

static void test_unknown_options(void **state)
{
	struct fx f;

	(void)state;
	/* An entity without a CSDL type has no navigation property to expand. */
	REJECT(&fx_user, false, 400, "BadRequest",
	       "Parsing OData Select and Expand failed: Could not find a property named "
	       "'manager' on type 'microsoft.graph.user'.",
	       "$expand", "manager");
	REJECT(&fx_user, false, 400, "BadRequest",
	       "Query option '$foo' is not supported.", "$foo", "1");
	REJECT(
	    &fx_user, false, 400, "BadRequest",
	    "Query option '$top' was specified more than once, but it must be specified "
	    "at most once.",
	    "$top", "1", "$top", "2");
	REJECT(&fx_user, false, 400, "BadRequest", "'yes' is not a valid count option.",
	       "$count", "yes");
	/* Options without '$' are not OData's business, on v1.0 ... */
	build(&f, "/v1.0/users", false, "foo", "bar", "api-version", "1", "top", "5",
	      NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_null(f.q.filter);
	assert_int_equal(f.q.top, 0);
	done(&f);
	/* ... but on beta the '$' is optional (Graph's query-parameters doc) */
	build(&f, "/beta/users", false, "top", "5", "Filter", "accountEnabled eq true",
	      "foo", "bar", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_int_equal(f.q.top, 5);
	assert_non_null(f.q.filter);
	done(&f);
	build(&f, "/beta/users", false, "top", "1", "$top", "2", NULL);
	assert_int_equal(parse(&f, &fx_user), -1);
	expect_err(&f, 400, "BadRequest",
	           "Query option '$top' was specified more than once, but it must be "
	           "specified at most once.");
	done(&f);
}

static void test_select(void **state)
{
	struct fx f;

	(void)state;
	REJECT(&fx_user, false, 400, "BadRequest",
	       "Parsing OData Select and Expand failed: Could not find a property named "
	       "'foo' on type 'microsoft.graph.user'.",
	       "$select", "id,foo");
	REJECT(&fx_user, false, 400, "BadRequest",
	       "Parsing OData Select and Expand failed: Could not find a property named "
	       "'a/b' on type 'microsoft.graph.user'.",
	       "$select", "a/b");
	build(&f, "/v1.0/users", false, "$select", "ID, displayname", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_int_equal(f.q.nselect, 2);
	assert_string_equal(f.q.select[0], "id");
	assert_string_equal(f.q.select[1], "displayName");
	done(&f);
	/* Mixed collections accept any well-formed name. */
	build(&f, "/v1.0/groups/g/members", false, "$select", "id,appId", NULL);
	assert_int_equal(parse(&f, &fx_dirobj), 0);
	assert_string_equal(f.q.select[1], "appId");
	done(&f);
}

static void test_count_flags(void **state)
{
	struct fx f;

	(void)state;
	build(&f, "/v1.0/users", false, "$count", "true", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_true(f.q.count);
	assert_false(f.q.advanced);
	done(&f);
	build(&f, "/v1.0/users", true, "$count", "false", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_false(f.q.count);
	assert_true(f.q.advanced);
	done(&f);
}

/* graph-spec §4.5: which constructs need ConsistencyLevel (+ $count=true). */
static void test_advanced_matrix(void **state)
{
	(void)state;
	REJECT(&fx_user, false, 400, "Request_UnsupportedQuery", ADV_ENDSWITH, "$filter",
	       "endswith(mail,'@x.com')");
	REJECT(&fx_user, true, 400, "Request_UnsupportedQuery", ADV_ENDSWITH, "$filter",
	       "endswith(mail,'@x.com')");
	REJECT(&fx_user, false, 400, "Request_UnsupportedQuery", ADV_ENDSWITH, "$filter",
	       "endswith(mail,'@x.com')", "$count", "true");
	ACCEPT(&fx_user, true, "$filter", "endswith(mail,'@x.com')", "$count", "true");
	REJECT(&fx_user, false, 400, "Request_UnsupportedQuery", SEARCH_HDR, "$search",
	       "\"displayName:jo\"");
	ACCEPT(&fx_user, true, "$search", "\"displayName:jo\"");
	REJECT(&fx_user, false, 400, "Request_UnsupportedQuery", SORT, "$filter",
	       "startswith(displayName,'a')", "$orderby", "displayName");
	REJECT(&fx_user, true, 400, "Request_UnsupportedQuery", SORT, "$filter",
	       "startswith(displayName,'a')", "$orderby", "displayName");
	ACCEPT(&fx_user, true, "$filter", "startswith(displayName,'a')", "$orderby",
	       "displayName", "$count", "true");
	ACCEPT(&fx_user, false, "$orderby", "displayName");
	REJECT(&fx_user, false, 400, "Request_UnsupportedQuery", SORT, "$orderby",
	       "mail");
	REJECT(&fx_user, true, 400, "Request_UnsupportedQuery", SORT, "$orderby", "mail",
	       "$count", "true");
	REJECT(&fx_user, false, 400, "Request_UnsupportedQuery", SORT, "$orderby",
	       "createdDateTime");
	ACCEPT(&fx_user, true, "$orderby", "createdDateTime desc", "$count", "true");
	REJECT(&fx_sp, false, 400, "Request_UnsupportedQuery", SORT, "$orderby",
	       "displayName");
	/* applicationTemplates are not directory objects: no gate. */
	ACCEPT(&fx_tmpl, false, "$filter", "contains(displayName,'crm')", "$orderby",
	       "displayName", "$top", "5", "$skip", "5");
	REJECT(&fx_tmpl, false, 400, "Request_UnsupportedQuery",
	       "Unsupported or invalid search clause specified for property "
	       "'displayName' of "
	       "resource 'ApplicationTemplate'.",
	       "$search", "\"displayName:crm\"");
	REJECT(&fx_group, false, 400, "Request_UnsupportedQuery",
	       "Unsupported or invalid query filter clause specified for property "
	       "'createdDateTime' of resource 'Group'.",
	       "$filter", "createdDateTime ge 2021-01-01T00:00:00Z");
	REJECT(
	    &fx_user, false, 400, "BadRequest",
	    "Syntax error at position 14 in 'displayName eq'. Expected a literal value.",
	    "$filter", "displayName eq");
}

/* GET /users/$count?$filter=endswith(...) needs only the header. */
static void test_count_path_is_advanced(void **state)
{
	struct fx f;

	(void)state;
	build(&f, "/v1.0/users/$count", true, "$filter", "endswith(mail,'.com')", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	done(&f);
}

static void test_search_parse(void **state)
{
	(void)state;
	ACCEPT(&fx_user, true, "$search", "\"displayName:jo\" OR \"mail:bob\"");
	ACCEPT(&fx_user, true, "$search", "\"displayName:jo\" AND \"mail:bob\"");
	REJECT(
	    &fx_user, true, 400, "BadRequest",
	    "Invalid $search value 'displayName:jo': clauses must be enclosed in double "
	    "quotes.",
	    "$search", "displayName:jo");
	REJECT(
	    &fx_user, true, 400, "BadRequest",
	    "Invalid $search value '\"displayName:jo\" or \"mail:x\"': clauses must be "
	    "joined by AND or OR.",
	    "$search", "\"displayName:jo\" or \"mail:x\"");
	REJECT(
	    &fx_user, true, 400, "Request_UnsupportedQuery",
	    "Unsupported or invalid search clause specified for property 'jobTitle' of "
	    "resource 'User'.",
	    "$search", "\"jobTitle:x\"");
	REJECT(&fx_user, true, 400, "BadRequest",
	       "Could not find a property named 'foo' on type 'microsoft.graph.user'.",
	       "$search", "\"foo:x\"");
	REJECT(&fx_user, true, 400, "BadRequest",
	       "Invalid $search value '\"displayName\"': each clause must look like "
	       "\"property:value\".",
	       "$search", "\"displayName\"");
	REJECT(&fx_user, true, 400, "BadRequest",
	       "Invalid $search value '\"displayName:jo': missing closing '\"'.",
	       "$search", "\"displayName:jo");
	REJECT(&fx_user, true, 400, "BadRequest",
	       "Invalid $search value '\"displayName:\"': empty search term.", "$search",
	       "\"displayName:\"");
	REJECT(
	    &fx_user, true, 400, "BadRequest",
	    "Invalid $search value '\"displayName:a\" OR': clauses must be enclosed in "
	    "double quotes.",
	    "$search", "\"displayName:a\" OR");
}

static bool search_hits(const char *search, const char *sample)
{
	struct odata_err err = {0};
	struct odata_search *s = odata_search_parse(search, &fx_user, &err);
	json_t *obj = json_loads(sample, 0, NULL);
	bool hit;

	if (!s)
		fail_msg("'%s' rejected: %s", search, err.msg);
	assert_non_null(obj);
	hit = odata_search_eval(s, obj);
	odata_search_free(s);
	json_decref(obj);
	return hit;
}

static void test_search_eval(void **state)
{
	(void)state;
	assert_true(search_hits("\"displayName:bob\"", sample_user));
	assert_true(search_hits("\"displayName:BRI\"", sample_user));
	assert_true(search_hits("\"displayName:o'b\"", sample_user));
	assert_false(search_hits("\"displayName:ob\"", sample_user));
	assert_false(search_hits("\"displayName:rien\"", sample_user));
	assert_true(search_hits("\"mail:fabrikam\"", sample_user));
	assert_true(search_hits("\"displayName:zzz\" OR \"mail:bob\"", sample_user));
	assert_false(search_hits("\"displayName:bob\" AND \"mail:zzz\"", sample_user));
	assert_true(search_hits(
	    "\"displayName:zz\" OR \"displayName:bo\" AND \"mail:fab\"", sample_user));
	assert_false(search_hits(
	    "\"displayName:zz\" OR \"displayName:bo\" AND \"mail:x\"", sample_user));
	assert_true(search_hits("\"userPrincipalName:ext\"", sample_user));
}

static void test_orderby_parse(void **state)
{
	struct fx f;

	(void)state;
	build(&f, "/v1.0/users", false, "$orderby",
	      "displayName desc, userPrincipalName asc", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_int_equal(f.q.norderby, 2);
	assert_string_equal(f.q.orderby[0].prop, "displayName");
	assert_true(f.q.orderby[0].desc);
	assert_string_equal(f.q.orderby[1].prop, "userPrincipalName");
	assert_false(f.q.orderby[1].desc);
	done(&f);
	REJECT(&fx_user, false, 400, "BadRequest",
	       "Syntax error in $orderby: expected 'asc' or 'desc' after 'displayName'.",
	       "$orderby", "displayName up");
	REJECT(&fx_user, false, 400, "BadRequest",
	       "Could not find a property named 'foo' on type 'microsoft.graph.user'.",
	       "$orderby", "foo");
	REJECT(&fx_user, false, 400, "BadRequest",
	       "Could not find a property named '' on type 'microsoft.graph.user'.",
	       "$orderby", "displayName,");
}

static void test_skiptoken_codec(void **state)
{
	char tok[ODATA_TOKEN_LEN + 1];
	int kind = 0;
	uint64_t v = 0;
	size_t i;

	(void)state;
	odata_token_encode(ODATA_TOKEN_SEQ, 123456789012345ULL, tok);
	assert_int_equal(strlen(tok), ODATA_TOKEN_LEN);
	assert_memory_equal(tok, "RFNwdA", 6);
	assert_int_equal(strspn(tok,
	                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                        "0123456789-_"),
	                 ODATA_TOKEN_LEN);
	assert_int_equal(odata_token_decode(tok, &kind, &v), 0);
	assert_int_equal(kind, ODATA_TOKEN_SEQ);
	assert_true(v == 123456789012345ULL);
	/* Every single-character change is detected. */
	for (i = 0; i < ODATA_TOKEN_LEN; i++) {
		char bad[ODATA_TOKEN_LEN + 1];

		memcpy(bad, tok, sizeof(bad));
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		assert_int_equal(odata_token_decode(bad, &kind, &v), -1);
	}
	assert_int_equal(odata_token_decode("", &kind, &v), -1);
	assert_int_equal(odata_token_decode("RFNwdA", &kind, &v), -1);
	assert_int_equal(odata_token_decode("RFNwdA==================", &kind, &v), -1);
	REJECT(&fx_user, false, 400, "Request_BadRequest", TOKEN_EXPIRED, "$skiptoken",
	       "garbage");
	odata_token_encode(ODATA_TOKEN_OFFSET, 2, tok);
	/* An offset token belongs to an ordered query, a seq token to default order. */
	REJECT(&fx_user, false, 400, "Request_BadRequest", TOKEN_EXPIRED, "$skiptoken",
	       tok);
	ACCEPT(&fx_user, false, "$orderby", "displayName", "$skiptoken", tok);
}

/* A walk's cursor, its key empty (as long as a fixed token) or not, comes
 * back as it went; fixed tokens are no cursors, nor cursors fixed tokens. */
static void test_cursor_codec(void **state)
{
	static const char *const keys[] = {"", "adele vance", "80000000659a3c0000000000"};
	char fixed[ODATA_TOKEN_LEN + 1], *tok, *key = NULL;
	uint64_t seq = 0, v;
	int kind;

	(void)state;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		tok = odata_cursor_encode(4242 + i, keys[i]);
		assert_non_null(tok);
		assert_int_equal(odata_cursor_decode(tok, &seq, &key), 0);
		assert_true(seq == 4242 + i);
		assert_string_equal(key, keys[i]);
		free(key);
		assert_int_equal(odata_token_decode(tok, &kind, &v), -1);
		tok[strlen(tok) / 2] ^= 1; /* any change is detected */
		assert_int_equal(odata_cursor_decode(tok, &seq, &key), -1);
		free(tok);
	}
	odata_token_encode(ODATA_TOKEN_OFFSET, 2, fixed);
	assert_int_equal(odata_cursor_decode(fixed, &seq, &key), -1);
}

/* ---- projection and context ---- */

static json_t *load(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);

	assert_non_null(v);
	return v;
}

static void expect_keys(const json_t *obj, const char *const *keys)
{
	const char *key;
	json_t *v;
	size_t i = 0;

	json_object_foreach((json_t *)obj, key, v)
	{
		if (!keys[i])
			fail_msg("unexpected key '%s'", key);
		assert_string_equal(key, keys[i]);
		i++;
	}
	if (keys[i])
		fail_msg("missing key '%s'", keys[i]);
}

static void test_project_default(void **state)
{
	static const char *const keys[] = {
	    "businessPhones",    "displayName", "givenName",         "id",
	    "jobTitle",          "mail",        "mobilePhone",       "officeLocation",
	    "preferredLanguage", "surname",     "userPrincipalName", NULL,
	};
	json_t *obj = load(sample_user), *p = odata_project(NULL, &fx_user, obj, false);

	(void)state;
	assert_non_null(p);
	expect_keys(p, keys);
	assert_true(json_is_null(json_object_get(p, "jobTitle")));
	assert_true(json_is_null(json_object_get(p, "mobilePhone")));
	assert_true(json_is_array(json_object_get(p, "businessPhones")));
	assert_string_equal(json_string_value(json_object_get(p, "surname")), "O'Brien");
	json_decref(p);
	json_decref(obj);
}

static void test_project_select(void **state)
{
	static const char *const keys[] = {"@odata.type", "userType", "identities",
	                                   "passwordProfile", NULL};
	static const char *const empty[] = {"otherMails", NULL};
	json_t *obj = load(sample_user), *p, *bare = json_object();
	struct fx f;

	(void)state;
	build(&f, "/v1.0/users", false, "$select", "userType,identities,passwordProfile",
	      NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	p = odata_project(&f.q, &fx_user, obj, true);
	expect_keys(p, keys);
	assert_string_equal(json_string_value(json_object_get(p, "@odata.type")),
	                    "#microsoft.graph.user");
	/* A selected secret is answered with null, as Graph does. */
	assert_true(json_is_null(json_object_get(p, "passwordProfile")));
	json_decref(p);
	done(&f);
	/* Absent collections render as []. */
	build(&f, "/v1.0/users", false, "$select", "otherMails", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	p = odata_project(&f.q, &fx_user, bare, false);
	expect_keys(p, empty);
	assert_int_equal(json_array_size(json_object_get(p, "otherMails")), 0);
	assert_true(json_is_array(json_object_get(p, "otherMails")));
	json_decref(p);
	done(&f);
	json_decref(bare);
	json_decref(obj);
}

static void test_respond_entity(void **state)
{
	json_t *obj = load(sample_group);
	struct fx f;

	(void)state;
	build(&f, "/v1.0/groups/x", false, NULL);
	assert_int_equal(parse(&f, &fx_group), 0);
	assert_int_equal(
	    odata_respond_entity(&f.q, &f.req, &f.resp, 201, &fx_group, obj, NULL), 0);
	assert_int_equal(f.resp.status, 201);
	assert_int_equal(f.resp.kind, RESP_ODATA);
	assert_string_equal(
	    json_string_value(json_object_get(f.resp.body, "@odata.context")),
	    BASE "/v1.0/$metadata#groups/$entity");
	assert_string_equal(json_object_iter_key(json_object_iter(f.resp.body)),
	                    "@odata.context");
	assert_string_equal(
	    json_string_value(json_object_get(f.resp.body, "displayName")),
	    "Finance Team");
	done(&f);
	build(&f, "/beta/groups/x", false, "$select", "id,displayName", NULL);
	assert_int_equal(parse(&f, &fx_group), 0);
	assert_int_equal(odata_respond_entity(&f.q, &f.req, &f.resp, 200, &fx_group, obj,
	                                      "directoryObjects"),
	                 0);
	assert_string_equal(
	    json_string_value(json_object_get(f.resp.body, "@odata.context")),
	    BASE "/beta/$metadata#directoryObjects(id,displayName)/$entity");
	assert_int_equal(json_object_size(f.resp.body), 3);
	done(&f);
	json_decref(obj);
}

/* ---- collections and paging ---- */

#define NUSERS 7

struct pool {
	json_t *obj[NUSERS + 2];
	struct odata_item it[NUSERS + 2];
	size_t n;
};

static void pool_add(struct pool *p, uint64_t seq, const char *name, const char *mail)
{
	p->obj[p->n] = json_pack("{s:s, s:s*, s:s, s:[]}", "displayName", name, "mail",
	                         mail, "id", name, "businessPhones");
	assert_non_null(p->obj[p->n]);
	p->it[p->n].obj = p->obj[p->n];
	p->it[p->n].entity = &fx_user;
	p->it[p->n].seq = seq;
	p->n++;
}

/* Users stored out of seq order, as a hash table would hand them over. */
static void pool_init(struct pool *p)
{
	static const char *const names[NUSERS] = {"Eve",  "alice", "Carol", "bob",
	                                          "Dave", "Frank", "Bob"};
	static const uint64_t seqs[NUSERS] = {5, 1, 3, 2, 4, 6, 7};
	size_t i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < NUSERS; i++)
		pool_add(p, seqs[i], names[i], i == 2 ? NULL : "x@contoso.com");
}

static void pool_release(struct pool *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		json_decref(p->obj[i]);
}

/* Remove the item with @seq (a concurrent DELETE between two pages). */
static void pool_del(struct pool *p, uint64_t seq)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (p->it[i].seq == seq) {
			json_decref(p->obj[i]);
			p->obj[i] = p->obj[p->n - 1];
			p->it[i] = p->it[p->n - 1];
			p->it[i].obj = p->obj[i];
			p->n--;
			return;
		}
	}
	fail_msg("no seq %llu", (unsigned long long)seq);
}

/* "displayName" of every value item, joined with ','. */
static void names_of(const json_t *body, char *out, size_t len)
{
	json_t *arr = json_object_get(body, "value"), *v;
	size_t i, o = 0;

	out[0] = '\0';
	json_array_foreach(arr, i, v)
	{
		int w = snprintf(out + o, len - o, "%s%s", i ? "," : "",
		                 json_string_value(json_object_get(v, "displayName")));

		assert_true(w > 0 && (size_t)w < len - o);
		o += (size_t)w;
	}
}

static const char *next_link(const struct fx *f)
{
	return json_string_value(json_object_get(f->resp.body, "@odata.nextLink"));
}

/* The $skiptoken value of @link (copied into @tok). */
static void token_of(const char *link, char *tok, size_t len)
{
	const char *t = strstr(link, "$skiptoken=");

	assert_non_null(t);
	snprintf(tok, len, "%s", t + strlen("$skiptoken="));
}

static void list(struct fx *f, const struct pool *p, const struct odata_list_opts *o)
{
	assert_int_equal(parse(f, &fx_user), 0);
	assert_int_equal(
	    odata_respond_collection(&f->q, &f->req, &f->resp, p->it, p->n, o), 0);
	assert_int_equal(f->resp.status, 200);
}

static void test_default_order_and_paging(void **state)
{
	struct odata_list_opts o = {.context = "users"};
	struct pool p;
	struct fx f;
	char names[256], tok[64];

	(void)state;
	pool_init(&p);
	build(&f, "/v1.0/users", false, "$top", "3", NULL);
	list(&f, &p, &o);
	names_of(f.resp.body, names, sizeof(names));
	assert_string_equal(names, "alice,bob,Carol");
	assert_non_null(next_link(&f));
	assert_memory_equal(next_link(&f), BASE "/v1.0/users?$top=3&$skiptoken=RFNwdA",
	                    strlen(BASE "/v1.0/users?$top=3&$skiptoken=RFNwdA"));
	assert_string_equal(
	    json_string_value(json_object_get(f.resp.body, "@odata.context")),
	    BASE "/v1.0/$metadata#users");
	assert_null(json_object_get(f.resp.body, "@odata.count"));
	token_of(next_link(&f), tok, sizeof(tok));
	done(&f);

	/* Between pages: one new user arrives, one already-sent and one unsent leave. */
	pool_add(&p, 8, "Zed", NULL);
	pool_del(&p, 1);
	pool_del(&p, 4);
	build(&f, "/v1.0/users", false, "$top", "3", "$skiptoken", tok, NULL);
	list(&f, &p, &o);
	names_of(f.resp.body, names, sizeof(names));
	assert_string_equal(names, "Eve,Frank,Bob");
	token_of(next_link(&f), tok, sizeof(tok));
	done(&f);

	build(&f, "/v1.0/users", false, "$top", "3", "$skiptoken", tok, NULL);
	list(&f, &p, &o);
	names_of(f.resp.body, names, sizeof(names));
	assert_string_equal(names, "Zed");
	assert_null(next_link(&f));
	done(&f);
	pool_release(&p);
}

static void test_orderby_paging_and_count(void **state)
{
	static const char *const order[] = {"@odata.context", "@odata.count",
	                                    "@odata.nextLink", "value", NULL};
	struct odata_list_opts o = {.context = "users"};
	struct pool p;
	struct fx f;
	char names[256], tok[64];

	(void)state;
	pool_init(&p);
	build(&f, "/v1.0/users", true, "$orderby", "displayName", "$count", "true",
	      "$top", "4", "$filter",
	      "startswith(displayName,'a') or mail eq 'x@contoso.com'", NULL);
	list(&f, &p, &o);
	names_of(f.resp.body, names, sizeof(names));
	/* Case-insensitive, stable: "bob" (seq 2) before "Bob" (seq 7). */
	assert_string_equal(names, "alice,bob,Bob,Dave");
	assert_int_equal(json_integer_value(json_object_get(f.resp.body, "@odata.count")),
	                 6);
	expect_keys(f.resp.body, order);
	token_of(next_link(&f), tok, sizeof(tok));
	done(&f);
	build(&f, "/v1.0/users", true, "$orderby", "displayName", "$count", "true",
	      "$top", "4", "$filter",
	      "startswith(displayName,'a') or mail eq 'x@contoso.com'", "$skiptoken", tok,
	      NULL);
	list(&f, &p, &o);
	names_of(f.resp.body, names, sizeof(names));
	assert_string_equal(names, "Eve,Frank");
	assert_null(next_link(&f));
	assert_int_equal(json_integer_value(json_object_get(f.resp.body, "@odata.count")),
	                 6);
	done(&f);
	pool_release(&p);
}

static void test_orderby_desc_nulls(void **state)
{
	struct odata_list_opts o = {0};
	struct pool p;
	struct fx f;
	json_t *v;

	(void)state;
	pool_init(&p);
	build(&f, "/v1.0/users", true, "$orderby", "mail,displayName desc", "$count",
	      "true", NULL);
	assert_int_equal(parse(&f, &fx_user), -1); /* mail is not sortable */
	done(&f);
	build(&f, "/v1.0/users", false, "$orderby", "displayName desc", NULL);
	list(&f, &p, &o);
	v = json_array_get(json_object_get(f.resp.body, "value"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "displayName")),
	                    "Frank");
	done(&f);
	/* Nulls sort first ascending. */
	json_object_set_new(p.obj[0], "displayName", json_null());
	build(&f, "/v1.0/users", false, "$orderby", "displayName", NULL);
	list(&f, &p, &o);
	v = json_array_get(json_object_get(f.resp.body, "value"), 0);
	assert_true(json_is_null(json_object_get(v, "displayName")));
	done(&f);
	build(&f, "/v1.0/users", false, "$orderby", "displayName desc", NULL);
	list(&f, &p, &o);
	v = json_array_get(json_object_get(f.resp.body, "value"), NUSERS - 1);
	assert_true(json_is_null(json_object_get(v, "displayName")));
	done(&f);
	pool_release(&p);
}

/* Date-times sort by the time they name, whatever their zone or fraction
 * (each parsed once), nulls first; ties keep insertion order. */
static void test_orderby_datetime(void **state)
{
	static const char *const when[NUSERS] = {
	    "2024-01-01T10:00:00+02:00",    /* Eve: 08:00Z */
	    "2024-01-01T09:00:00Z",         /* alice */
	    NULL,                           /* Carol: no value */
	    "2024-01-01T08:30:00.5Z",       /* bob */
	    "2024-01-01T07:59:59.9999999Z", /* Dave */
	    "2024-01-01T08:00:00Z",         /* Frank: Eve's time, inserted later */
	    "2023-12-31T23:00:00-10:00",    /* Bob: 2024-01-01T09:00Z, alice's time */
	};
	struct odata_list_opts o = {0};
	char names[128];
	struct pool p;
	struct fx f;

	(void)state;
	pool_init(&p);
	for (size_t i = 0; i < NUSERS; i++)
		json_object_set_new(p.obj[i], "createdDateTime",
		                    when[i] ? json_string(when[i]) : json_null());
	/* seqs: alice 1, bob 2, Carol 3, Dave 4, Eve 5, Frank 6, Bob 7 */
	build(&f, "/v1.0/users", true, "$orderby", "createdDateTime", "$count", "true",
	      NULL);
	list(&f, &p, &o);
	names_of(f.resp.body, names, sizeof(names));
	assert_string_equal(names, "Carol,Dave,Eve,Frank,bob,alice,Bob");
	done(&f);
	build(&f, "/v1.0/users", true, "$orderby", "createdDateTime desc", "$count",
	      "true", NULL);
	list(&f, &p, &o);
	names_of(f.resp.body, names, sizeof(names));
	assert_string_equal(names, "alice,Bob,bob,Eve,Frank,Dave,Carol");
	done(&f);
	pool_release(&p);
}

static void test_page_size_defaults(void **state)
{
	struct odata_list_opts o = {.default_top = 2, .max_top = 5};
	struct pool p;
	struct fx f;

	(void)state;
	pool_init(&p);
	build(&f, "/v1.0/users", false, NULL);
	list(&f, &p, &o);
	assert_int_equal(json_array_size(json_object_get(f.resp.body, "value")), 2);
	done(&f);
	build(&f, "/v1.0/users", false, "$top", "6", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_int_equal(odata_respond_collection(&f.q, &f.req, &f.resp, p.it, p.n, &o),
	                 -1);
	expect_err(
	    &f, 400, "Request_UnsupportedQuery",
	    "Invalid page size specified: '6'. Must be between 1 and 5 inclusive.");
	done(&f);
	o.default_top = 0;
	build(&f, "/v1.0/users", false, NULL);
	list(&f, &p, &o);
	assert_int_equal(json_array_size(json_object_get(f.resp.body, "value")), NUSERS);
	assert_null(next_link(&f));
	done(&f);
	pool_release(&p);
}

static void test_skip_paging(void **state)
{
	struct odata_list_opts o = {.context = "applicationTemplates"};
	json_t *objs[5];
	struct odata_item it[5];
	struct fx f;
	char names[128], tok[64];
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++) {
		char name[8];

		snprintf(name, sizeof(name), "T%zu", i);
		objs[i] = json_pack("{s:s}", "displayName", name);
		it[i] = (struct odata_item){objs[i], &fx_tmpl, i + 1, NULL, {NULL, 0}};
	}
	build(&f, "/v1.0/applicationTemplates", false, "$skip", "1", "$top", "2", NULL);
	assert_int_equal(parse(&f, &fx_tmpl), 0);
	assert_int_equal(odata_respond_collection(&f.q, &f.req, &f.resp, it, 5, &o), 0);
	names_of(f.resp.body, names, sizeof(names));
	assert_string_equal(names, "T1,T2");
	token_of(next_link(&f), tok, sizeof(tok));
	done(&f);
	build(&f, "/v1.0/applicationTemplates", false, "$skip", "1", "$top", "2",
	      "$skiptoken", tok, NULL);
	assert_int_equal(parse(&f, &fx_tmpl), 0);
	assert_int_equal(odata_respond_collection(&f.q, &f.req, &f.resp, it, 5, &o), 0);
	names_of(f.resp.body, names, sizeof(names));
	assert_string_equal(names, "T3,T4");
	done(&f);
	for (i = 0; i < 5; i++)
		json_decref(objs[i]);
}

static void test_next_link_encoding(void **state)
{
	struct odata_list_opts o = {.context = "users"};
	char old[ODATA_TOKEN_LEN + 1];
	struct pool p;
	struct fx f;
	const char *want =
	    BASE "/v1.0/groups/a%23b%20c/members?$filter=displayName%20eq%20"
	         "'x%26y'%20or%20mail%20eq%20'x@contoso.com'&$top=1&foo=a%2Bb%3D"
	         "&$skiptoken=";
	const char *alt = BASE "/beta/servicePrincipals(appId='a%23b')/appRoleAssignedTo"
	                       "?$top=2&$skiptoken=RFNwdA";

	(void)state;
	pool_init(&p);
	odata_token_encode(ODATA_TOKEN_SEQ, 0, old);
	/* The old $skiptoken is dropped, everything else kept in order. */
	build(&f, "/v1.0/groups/a#b c/members", false, "$filter",
	      "displayName eq 'x&y' or mail eq 'x@contoso.com'", "$skiptoken", old,
	      "$top", "1", "foo", "a+b=", NULL);
	list(&f, &p, &o);
	assert_non_null(next_link(&f));
	assert_memory_equal(next_link(&f), want, strlen(want));
	done(&f);
	/* Key-as-segment captures are rebuilt in their key form. */
	build(&f, "/beta/servicePrincipals(appId='a%23b')/appRoleAssignedTo", false,
	      "$top", "2", NULL);
	list(&f, &p, &o);
	assert_non_null(next_link(&f));
	assert_memory_equal(next_link(&f), alt, strlen(alt));
	done(&f);
	pool_release(&p);
}

static void test_type_annotations_open(void **state)
{
	struct odata_list_opts o = {.context = "directoryObjects",
	                            .type_annotations = true};
	json_t *u = load(sample_user), *g = load(sample_group), *s = load(sample_sp), *v;
	struct odata_item it[3] = {{u, &fx_user, 1, NULL, {NULL, 0}},
	                           {g, &fx_group, 2, NULL, {NULL, 0}},
	                           {s, &fx_sp, 3, NULL, {NULL, 0}}};
	static const char *const ukeys[] = {"@odata.type", "id", "displayName", "mail",
	                                    NULL};
	static const char *const skeys[] = {"@odata.type", "id", "displayName", "appId",
	                                    NULL};
	struct fx f;

	(void)state;
	build(&f, "/v1.0/groups/x/members", false, "$select", "id,displayName,mail,appId",
	      NULL);
	assert_int_equal(parse(&f, &fx_dirobj), 0);
	assert_int_equal(odata_respond_collection(&f.q, &f.req, &f.resp, it, 3, &o), 0);
	v = json_object_get(f.resp.body, "value");
	expect_keys(json_array_get(v, 0), ukeys);
	expect_keys(json_array_get(v, 2), skeys);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(v, 1), "@odata.type")),
	    "#microsoft.graph.group");
	assert_string_equal(
	    json_string_value(json_object_get(f.resp.body, "@odata.context")),
	    BASE "/v1.0/$metadata#directoryObjects(id,displayName,mail,appId)");
	done(&f);
	json_decref(u);
	json_decref(g);
	json_decref(s);
}

static void test_respond_count(void **state)
{
	struct pool p;
	struct fx f;

	(void)state;
	pool_init(&p);
	build(&f, "/v1.0/users/$count", false, NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_int_equal(odata_respond_count(&f.q, &f.req, &f.resp, p.it, p.n), -1);
	expect_err(&f, 400, "Request_BadRequest", "$count is not currently supported.");
	done(&f);
	build(&f, "/v1.0/users/$count", true, "$filter", "startswith(displayName,'b')",
	      NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_int_equal(odata_respond_count(&f.q, &f.req, &f.resp, p.it, p.n), 0);
	assert_int_equal(f.resp.status, 200);
	assert_int_equal(f.resp.kind, RESP_RAW);
	assert_int_equal(f.resp.raw_len, 1);
	assert_memory_equal(f.resp.raw, "2", 1);
	assert_non_null(strstr(f.resp.content_type, "text/plain"));
	done(&f);
	pool_release(&p);
}

/* The keys of `eq` and `in (...)` an index can answer: alone or as a
 * conjunct of a top-level `and`, strings and GUIDs, up to a limit. */
static void test_key_values(void **state)
{
	const char *v[4];
	struct fx f;

	(void)state;
	build(&f, "/v1.0/users", true, "$filter",
	      "accountEnabled eq true and id in ('a1', 'b2', 'c3')", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_int_equal(odata_filter_key_values(&f.q, "id", v, 4), 3);
	assert_string_equal(v[0], "a1");
	assert_string_equal(v[2], "c3");
	assert_int_equal(odata_filter_key_values(&f.q, "id", v, 2), 0); /* too many */
	assert_int_equal(odata_filter_key_values(&f.q, "mail", v, 4), 0);
	done(&f);
	build(&f, "/v1.0/users", true, "$filter", "userPrincipalName eq 'X'", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_int_equal(odata_filter_key_values(&f.q, "userPrincipalName", v, 4), 1);
	assert_string_equal(v[0], "X");
	done(&f);
	/* under an `or`, either side may match alone: no index answers it */
	build(&f, "/v1.0/users", true, "$filter", "id in ('a1') or displayName eq 'Bob'",
	      NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_int_equal(odata_filter_key_values(&f.q, "id", v, 4), 0);
	done(&f);
}

static void test_match_and_eq_value(void **state)
{
	json_t *obj = load(sample_user);
	struct fx f;

	(void)state;
	build(&f, "/v1.0/users", true, "$filter",
	      "userPrincipalName eq 'X' and userType eq 'Guest'", "$search",
	      "\"displayName:bob\"", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_string_equal(odata_filter_eq_value(&f.q, "userPrincipalName"), "X");
	assert_null(odata_filter_eq_value(&f.q, "mail"));
	assert_false(odata_query_match(&f.q, obj));
	done(&f);
	build(&f, "/v1.0/users", true, "$filter", "userType eq 'Guest'", "$search",
	      "\"displayName:bob\"", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_true(odata_query_match(&f.q, obj));
	done(&f);
	build(&f, "/v1.0/users", true, "$filter", "userType eq 'Guest'", "$search",
	      "\"displayName:xyz\"", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	assert_false(odata_query_match(&f.q, obj));
	done(&f);
	assert_true(odata_query_match(NULL, obj));
	json_decref(obj);
}

/* @obj with only the members @m names. New. */
static json_t *members_only(const json_t *obj, const struct odata_members *m)
{
	json_t *part = json_object();

	for (size_t i = 0; i < m->n; i++) {
		json_t *v = json_object_get(obj, m->name[i]);

		if (v)
			json_object_set(part, m->name[i], v);
	}
	return part;
}

/* What a query reads of an object is all it needs: matching only those
 * members of each object gives what matching it whole gives, and sorting
 * reads only them too (routes parse no more of a big tenant's users). */
static void test_query_members(void **state)
{
	static const char *const filters[] = {
	    "accountEnabled eq true",
	    "userType eq 'Guest' and startswith(displayName,'b')",
	    "not(userType eq 'Member') or mail eq 'x@y.z'",
	    "otherMails/any(x:startswith(x,'bob'))",
	    "identities/any(i:i/issuer eq 'contoso.com' and i/signInType eq 'x')",
	    "userType in ('Guest','Member') and endswith(userPrincipalName,'.com')",
	    "createdDateTime ge 2020-01-01T00:00:00Z",
	};
	static const char *const objects[] = {
	    "{\"id\":\"a\",\"userType\":\"Guest\",\"displayName\":\"bob\","
	    "\"accountEnabled\":true,\"otherMails\":[\"bob@x.com\"],"
	    "\"identities\":[{\"issuer\":\"contoso.com\",\"signInType\":\"x\"}],"
	    "\"userPrincipalName\":\"bob@x.com\",\"mail\":\"x@y.z\","
	    "\"createdDateTime\":\"2021-01-01T00:00:00Z\"}",
	    "{\"id\":\"b\",\"userType\":\"Member\",\"displayName\":\"ann\","
	    "\"accountEnabled\":false,\"otherMails\":[],\"mail\":null,"
	    "\"createdDateTime\":\"2019-01-01T00:00:00Z\"}",
	};
	struct odata_members m;
	struct fx f;

	(void)state;
	odata_query_members(NULL, &m);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.name[0], "id");
	assert_null(m.name[1]);
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		build(&f, "/v1.0/users", true, "$filter", filters[i], "$search",
		      "\"displayName:bo\" OR \"mail:x\"", "$orderby", "userPrincipalName",
		      "$count", "true", NULL);
		if (parse(&f, &fx_user))
			fail_msg("%s: %s", filters[i], json_dumps(f.resp.body, 0));
		odata_query_members(&f.q, &m);
		assert_false(m.all);
		assert_string_equal(m.name[0], "id");
		for (size_t k = 0; k < m.n; k++) /* each once */
			for (size_t j = k + 1; j < m.n; j++)
				assert_string_not_equal(m.name[k], m.name[j]);
		for (size_t o = 0; o < sizeof(objects) / sizeof(objects[0]); o++) {
			json_t *whole = load(objects[o]), *part = members_only(whole, &m);

			assert_int_equal(odata_query_match(&f.q, part),
			                 odata_query_match(&f.q, whole));
			/* the sort key is there whenever the object has it */
			assert_ptr_equal(json_object_get(part, "userPrincipalName"),
			                 json_object_get(whole, "userPrincipalName"));
			json_decref(part);
			json_decref(whole);
		}
		done(&f);
	}
	/* the filter's own members: nothing more than it reads */
	build(&f, "/v1.0/users", true, "$filter", "otherMails/any(x:startswith(x,'b'))",
	      "$count", "true", NULL);
	assert_int_equal(parse(&f, &fx_user), 0);
	odata_query_members(&f.q, &m);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.name[1], "otherMails");
	done(&f);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_query_members),
	    cmocka_unit_test(test_top),
	    cmocka_unit_test(test_skip),
	    cmocka_unit_test(test_unknown_options),
	    cmocka_unit_test(test_select),
	    cmocka_unit_test(test_count_flags),
	    cmocka_unit_test(test_advanced_matrix),
	    cmocka_unit_test(test_count_path_is_advanced),
	    cmocka_unit_test(test_search_parse),
	    cmocka_unit_test(test_search_eval),
	    cmocka_unit_test(test_orderby_parse),
	    cmocka_unit_test(test_skiptoken_codec),
	    cmocka_unit_test(test_cursor_codec),
	    cmocka_unit_test(test_project_default),
	    cmocka_unit_test(test_project_select),
	    cmocka_unit_test(test_respond_entity),
	    cmocka_unit_test(test_default_order_and_paging),
	    cmocka_unit_test(test_orderby_paging_and_count),
	    cmocka_unit_test(test_orderby_desc_nulls),
	    cmocka_unit_test(test_orderby_datetime),
	    cmocka_unit_test(test_page_size_defaults),
	    cmocka_unit_test(test_skip_paging),
	    cmocka_unit_test(test_next_link_encoding),
	    cmocka_unit_test(test_type_annotations_open),
	    cmocka_unit_test(test_respond_count),
	    cmocka_unit_test(test_match_and_eq_value),
	    cmocka_unit_test(test_key_values),
	};

	return cmocka_run_group_tests_name("odata_query", tests, NULL, NULL);
}
