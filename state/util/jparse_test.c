/*
 * state/util/jparse_test.c - jparse() against jansson's json_loadb(...,
 * JSON_REJECT_DUPLICATES): the same tree for every text jansson accepts, the
 * same refusal and message for every text it refuses (the cases yajl alone
 * would judge differently among them), the capture of wanted objects with
 * their exact text, and the built-in fixture read both ways.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jparse.h"

static bool want_all(void *ctx, const char *const *keys, size_t depth)
{
	(void)ctx;
	(void)keys;
	(void)depth;
	return true;
}

/* The objects of the root's arrays: [{...}] one level in, {"v":[{...}]} two. */
static bool want_depth_2(void *ctx, const char *const *keys, size_t depth)
{
	(void)ctx;
	return depth == 2 && keys[0] && !keys[1];
}

static json_t *count_and_keep(void *ctx, const char *const *keys, size_t depth,
                              json_t *tree, const char *text, size_t len)
{
	(void)keys;
	(void)depth;
	(void)text;
	(void)len;
	(*(size_t *)ctx)++;
	return json_incref(tree);
}

/* Was @text read by yajl (objects captured), not handed to jansson? */
static bool read_by_yajl(const char *text, size_t len)
{
	size_t captured = 0;
	struct jparse_capture cap = {want_all, count_and_keep, &captured, NULL, NULL};
	json_error_t jerr;
	json_t *doc = jparse(text, len, &cap, &jerr);

	json_decref(doc);
	return captured > 0;
}

/* The members a capture below builds of each object it wants. */
static const char *const some_members[] = {"a", "s", "id", NULL};

/*
 * A capture building some_members alone: @tree must be exactly those of
 * what jansson reads in @text, and the document gets jansson's whole tree
 * of it, so the document must come out as jansson's.
 */
static json_t *check_some(void *ctx, const char *const *keys, size_t depth, json_t *tree,
                          const char *text, size_t len)
{
	json_error_t jerr;
	json_t *whole = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *some = json_object();

	(void)keys;
	(void)depth;
	assert_non_null(whole);
	for (const char *const *m = some_members; *m; m++)
		if (json_object_get(whole, *m))
			json_object_set(some, *m, json_object_get(whole, *m));
	assert_true(json_equal(tree, some));
	json_decref(some);
	(*(size_t *)ctx)++;
	return whole;
}

/*
 * The same agreement when every outermost object is wanted built in part
 * (jparse_capture.build): what is only checked is refused as jansson
 * refuses it, with its words.
 */
static void agree_in_part(const char *text, size_t len, const json_t *theirs_doc,
                          const json_error_t *theirs)
{
	size_t captured = 0;
	struct jparse_capture cap = {want_all, check_some, &captured, some_members, NULL};
	json_error_t ours;
	json_t *doc = jparse(text, len, &cap, &ours);

	if (!theirs_doc) {
		if (doc)
			fail_msg("jparse built in part what jansson refuses (%s): %.*s",
			         theirs->text, (int)len, text);
		assert_string_equal(ours.text, theirs->text);
		assert_int_equal(ours.line, theirs->line);
		assert_int_equal(ours.column, theirs->column);
		return;
	}
	if (!doc)
		fail_msg("jparse refused (%s) built in part what jansson accepts: %.*s",
		         ours.text, (int)len, text);
	assert_true(json_equal(doc, theirs_doc));
	json_decref(doc);
}

/* jparse and jansson agree on @text: equal trees, or both refuse alike. */
static void agree(const char *text, size_t len)
{
	json_error_t ours, theirs;
	json_t *a = jparse(text, len, NULL, &ours);
	json_t *b = json_loadb(text, len, JSON_REJECT_DUPLICATES, &theirs);

	agree_in_part(text, len, b, &theirs);
	if (!b) {
		if (a)
			fail_msg("jparse accepted what jansson refuses (%s): %.*s",
			         theirs.text, (int)len, text);
		assert_string_equal(ours.text, theirs.text);
		assert_int_equal(ours.line, theirs.line);
		assert_int_equal(ours.column, theirs.column);
		return;
	}
	if (!a)
		fail_msg("jparse refused (%s) what jansson accepts: %.*s", ours.text,
		         (int)len, text);
	assert_true(json_equal(a, b));
	json_decref(a);
	/* Read again as kept text is, without the checks: the same tree. */
	a = jparse_trusted(text, len, &ours);
	assert_non_null(a);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
}

static void agree_str(const char *text)
{
	agree(text, strlen(text));
}

static void accepted_alike(void **ctx)
{
	static const char *const texts[] = {
	    "{}",
	    "[]",
	    " \n\t{\"a\" : 1 }\n",
	    "{\"a\":[1,2.5,-3,1e2,1E-2,-0,-0.0,0.5e+3,true,false,null,\"x\"]}",
	    "[{\"a\":{\"b\":{\"c\":[[],{}]}}},\"\\u00e9\\n\\t\\\"\\\\\\/\"]",
	    "{\"emoji\":\"\\ud83d\\ude00\",\"raw\":\"\xf0\x9f\x98\x80 \xc3\xa9\"}",
	    "[9223372036854775807,-9223372036854775808,1e-400]",
	    "{\"\":\"empty key\",\"k\\u00e9y\":\"unicode key\"}",
	    "{\"s\":\"a\\\\ud800 is not an escape here\"}",
	    /* one key in many objects; members checked only, of every kind */
	    "[{\"q\":1},{\"q\":1}]",
	    "{\"z\":{\"q\":1},\"y\":{\"q\":1},\"q\":{\"q\":{\"q\":1}}}",
	    "{\"z\":\"caf\xc3\xa9\",\"k\xc3\xa9y\":[1,2.5,true,null,{\"e\\u00e9\":"
	    "\"\\u00e9\"}]}",
	    "[{\"a\":{\"a\":{\"a\":1}},\"s\":\"x\",\"z\":[[{\"a\":1,\"b\":2}]],\"id\":[]}"
	    "]",
	};

	(void)ctx;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		agree_str(texts[i]);
	/* the fast path, not jansson, read these (escaped surrogates go to jansson) */
	assert_true(read_by_yajl(texts[2], strlen(texts[2])));
	assert_true(read_by_yajl(texts[4], strlen(texts[4])));
	assert_true(read_by_yajl(texts[7], strlen(texts[7])));
	assert_true(
	    read_by_yajl(texts[8], strlen(texts[8]))); /* "\\\\ud800": no escape */
	assert_false(read_by_yajl(texts[5], strlen(texts[5])));
}

static void refused_alike(void **ctx)
{
	static const char *const texts[] = {
	    "",
	    "   ",
	    "5",
	    "\"just a string\"",
	    "null",
	    "{\"a\":1,\"a\":2}",                /* duplicate key */
	    "{\"a\":{\"b\":1,\"b\":1}}",        /* duplicate, nested */
	    "[\"nul \\u0000 inside\"]",         /* NUL */
	    "{\"nul\\u0000key\":1}",            /* NUL in a key */
	    "[\"\\ud800 lone high\"]",          /* lone surrogates */
	    "[\"\\udc00 lone low\"]",           /* */
	    "[\"\\ud83d\\u0041 broken pair\"]", /* */
	    "[9223372036854775808]",            /* too big integer */
	    "[-9223372036854775809]",           /* */
	    "[1e400]",                          /* real overflow */
	    "[01]",                             /* leading zero */
	    "[1.]",                             /* */
	    "[.5]",                             /* */
	    "[-]",                              /* */
	    "{\"a\":1,}",                       /* trailing comma */
	    "[1,]",                             /* */
	    "{\"a\":1} x",                      /* trailing garbage */
	    "{\"a\":1}{}",                      /* two documents */
	    "{}\"",                             /* an unterminated string after */
	    "[1] \"abc",                        /* */
	    "{\"a\":1}\n\"\\u00e9",             /* */
	    "{'a':1}",                          /* single quotes */
	    "{\"a\":1 /* comment */}",          /* */
	    "[\"raw\ttab\"]",                   /* control character */
	    "[\"bad utf-8 \xc3\x28\"]",         /* */
	    "[\"overlong \xc0\xaf\"]",          /* */
	    "[\"surrogate in utf-8 \xed\xa0\x80\"]",
	    "[\"past U+10FFFF \xf4\x90\x80\x80\"]",
	    "{\"bad key \xc3\x28\":1}", /* */
	    "\xef\xbb\xbf{}",           /* byte order mark */
	    "{\"a\":[1,2}",             /* */
	    "{\"a\"",                   /* */
	    "[tru]",                    /* */
	    "[NaN]",                    /* */
	    "[Infinity]",               /* */
	    "{\f}",                     /* form feed: yajl's whitespace only */
	    "[1,\v2]",                  /* vertical tab: the same */
	    "{\"a\":1}\f",              /* */
	    "[\"raw \f form feed\"]",   /* */
	    /* the same inside members a capture only checks (agree_in_part) */
	    "{\"z\":1,\"z\":2}",
	    "{\"a\":1,\"z\":{},\"a\":2}",
	    "{\"z\":{\"b\":1,\"b\":1}}",
	    "{\"z\":[{\"b\":1},{\"b\":[{\"c\":1,\"c\":2}]}]}",
	    "[{\"id\":\"x\"},{\"id\":\"y\",\"id\":\"z\"}]",
	    "{\"z\":[\"nul \\u0000\"]}",
	    "{\"z\":{\"nul\\u0000key\":1}}",
	    "{\"z\":[9223372036854775808]}",
	    "{\"z\":1e400}",
	    "{\"z\":\"bad utf-8 \xc3\x28\"}",
	    "{\"z\":{\"bad key \xc3\x28\":1}}",
	    "{\"bad key \xc3\x28\":1}",
	    "{\"z\":\"overlong \xc0\xaf\"}",
	    "{\"z\":\"surrogate in utf-8 \xed\xa0\x80\"}",
	    "{\"z\":[\"raw\ttab\"]}",
	    "{\"z\":[1,]}",
	    "{\"z\":[1,\f2]}",
	    "{\"z\":{\v}}",
	};

	(void)ctx;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		agree_str(texts[i]);
}

/* Nesting around jansson's limit of 2048, both sides of it. */
static void depth_alike(void **ctx)
{
	static const size_t depths[] = {2047, 2048, 2049, 5000};

	(void)ctx;
	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		size_t n = depths[i];
		char *text = malloc(2 * n + 1);
		assert_non_null(text);
		memset(text, '[', n);
		memset(text + n, ']', n);
		text[2 * n] = '\0';
		agree(text, 2 * n);
		free(text);
	}
	/* the same inside a member a capture only checks: {"z":[[...]]} */
	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		size_t n = depths[i] - 1;
		char *text = malloc(2 * n + 7);
		assert_non_null(text);
		memcpy(text, "{\"z\":", 5);
		memset(text + 5, '[', n);
		memset(text + 5 + n, ']', n);
		text[5 + 2 * n] = '}';
		agree(text, 2 * n + 6);
		free(text);
	}
}

/* @n arrays around @scalar, inside @pre and @post: [[...[1]...]]. */
static void agree_nested(const char *pre, size_t n, const char *scalar, const char *post)
{
	size_t lp = strlen(pre), ls = strlen(scalar),
	       len = lp + 2 * n + ls + strlen(post);
	char *text = malloc(len + 1);

	assert_non_null(text);
	memcpy(text, pre, lp);
	memset(text + lp, '[', n);
	memcpy(text + lp + n, scalar, ls);
	memset(text + lp + n + ls, ']', n);
	memcpy(text + lp + 2 * n + ls, post, strlen(post) + 1);
	agree(text, len);
	free(text);
}

/* jansson counts a scalar a level too: one inside 2048 arrays is too deep,
 * while 2048 empty ones are not (depth_alike). */
static void scalar_depth_alike(void **ctx)
{
	static const char *const scalars[] = {"1", "-2.5", "\"s\"", "null", "true", "{}"};

	(void)ctx;
	for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		agree_nested("", 2047, scalars[i], "");
		agree_nested("", 2048, scalars[i], "");
		/* inside a member a capture only checks, and one it builds */
		agree_nested("{\"z\":", 2046, scalars[i], "}");
		agree_nested("{\"z\":", 2047, scalars[i], "}");
		agree_nested("{\"a\":", 2047, scalars[i], "}");
	}
}

/* Texts with no NUL at their end: @len is honoured. */
static void length_honoured(void **ctx)
{
	const char text[] = "{\"a\":1}garbage";

	(void)ctx;
	agree(text, 7);
	agree(text, 8);
}

struct seen {
	size_t n;
	char texts[4][64];
};

static bool want_users(void *ctx, const char *const *keys, size_t depth)
{
	(void)ctx;
	return depth == 4 && keys[0] && !strcmp(keys[0], "tenants") && !keys[1] &&
	       keys[2] && !strcmp(keys[2], "users") && !keys[3];
}

/* Each wanted object's text, replaced in the document by a string of it. */
static json_t *capture_as_text(void *ctx, const char *const *keys, size_t depth,
                               json_t *tree, const char *text, size_t len)
{
	struct seen *s = ctx;

	assert_true(want_users(NULL, keys, depth)); /* the place @want saw */
	assert_true(json_is_object(tree));
	assert_true(s->n < 4 && len < sizeof(s->texts[0]));
	memcpy(s->texts[s->n], text, len);
	s->texts[s->n][len] = '\0';
	s->n++;
	return json_stringn(text, len);
}

static void captures_wanted_objects(void **ctx)
{
	const char *text =
	    "{\"tenants\":[{\"users\":[{\"id\":\"a\"} ,\n"
	    "{ \"id\" : \"b\", \"x\": {\"y\": [1]} }],\"groups\":[{\"id\":"
	    "\"g\"}]},{\"users\":[]},{\"users\":[{}]}],\"users\":[{\"no\":1}]}";
	struct seen seen = {0};
	struct jparse_capture cap = {want_users, capture_as_text, &seen, NULL, NULL};
	json_error_t jerr;
	json_t *doc = jparse(text, strlen(text), &cap, &jerr);
	json_t *users;

	(void)ctx;
	assert_non_null(doc);
	assert_int_equal(seen.n, 3);
	assert_string_equal(seen.texts[0], "{\"id\":\"a\"}");
	assert_string_equal(seen.texts[1], "{ \"id\" : \"b\", \"x\": {\"y\": [1]} }");
	assert_string_equal(seen.texts[2], "{}");
	users =
	    json_object_get(json_array_get(json_object_get(doc, "tenants"), 0), "users");
	assert_int_equal(json_array_size(users), 2);
	assert_string_equal(json_string_value(json_array_get(users, 1)), seen.texts[1]);
	/* what was not wanted is a tree as before */
	assert_true(json_is_object(json_array_get(
	    json_object_get(json_array_get(json_object_get(doc, "tenants"), 0), "groups"),
	    0)));
	assert_true(json_is_object(json_array_get(json_object_get(doc, "users"), 0)));
	json_decref(doc);
}

/* A duplicate inside a wanted object: refused with jansson's words, nothing kept. */
static void capture_refuses_alike(void **ctx)
{
	const char *text = "{\"tenants\":[{\"users\":[{\"id\":\"a\",\"id\":\"b\"}]}]}";
	struct seen seen = {0};
	struct jparse_capture cap = {want_users, capture_as_text, &seen, NULL, NULL};
	json_error_t ours, theirs;

	(void)ctx;
	assert_null(jparse(text, strlen(text), &cap, &ours));
	assert_null(json_loads(text, JSON_REJECT_DUPLICATES, &theirs));
	assert_string_equal(ours.text, theirs.text);
}

/* The built-in fixture and, when present, the repository's JSON files. */
static void repository_documents_alike(void **ctx)
{
	static const char *const files[] = {
	    "state/default_fixture.json",
	    "state/model/graph_permissions.json",
	    "docker/fixtures/story.json",
	};

	(void)ctx;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f = fopen(files[i], "rb");
		char *text;
		long n;

		if (!f)
			continue; /* run from another directory */
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		n = ftell(f);
		rewind(f);
		text = malloc((size_t)n + 1);
		assert_non_null(text);
		assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
		fclose(f);
		agree(text, (size_t)n);
		if (strstr(files[i], "fixture"))
			assert_true(read_by_yajl(text, (size_t)n));
		free(text);
	}
}

/* Only the named members are built; the rest are skipped, nesting and all. */
static void members_only(void **ctx)
{
	static const char text[] =
	    "{\"skip1\":{\"a\":[1,{\"id\":\"inner\"}],\"b\":{}},\"id\":\"x\","
	    "\"skip2\":[[],[{}],\"s\",1.5,true,null],\"mail\":null,\"other\":[\"o\"],"
	    "\"skip3\":\"plain\",\"n\":7,\"skip4\":false}";
	static const char *const only[] = {"id", "mail", "other", "n", NULL};
	json_error_t jerr;
	json_t *want =
	    json_pack("{s:s, s:n, s:[s], s:i}", "id", "x", "mail", "other", "o", "n", 7);
	json_t *got = jparse_members(text, strlen(text), only, &jerr);

	(void)ctx;
	assert_non_null(got);
	assert_true(json_equal(got, want));
	json_decref(got);
	json_decref(want);
	/* an array is no object; bad JSON is refused as jansson refuses it */
	assert_null(jparse_members("[1]", 3, only, &jerr));
	assert_null(jparse_members("{\"id\":", 6, only, &jerr));
}

/* A random value, nested at most @depth deep: every kind JSON has, and the
 * strings the walk must hand to the parser (escapes) among those it reads. */
static json_t *random_value(unsigned *seed, int depth)
{
	static const char *const strings[] = {
	    "",
	    "plain",
	    "with \"quotes\"",
	    "back\\slash",
	    "tab\there",
	    "caf\xc3\xa9",
	    "\xe4\xb8\xad\xe6\x96\x87",
	    "a,b:c}{][",
	    "line\nbreak",
	    "\xf0\x9f\x98\x80 emoji",
	    "ends with \\",
	};
	int kind = rand_r(seed) % (depth > 0 ? 9 : 7);
	json_t *v;

	switch (kind) {
	case 0:
		return json_null();
	case 1:
		return json_boolean(rand_r(seed) % 2);
	case 2:
		return json_integer((json_int_t)rand_r(seed) - RAND_MAX / 2);
	case 3:
		return json_real((double)rand_r(seed) / 7.0 - 1e5);
	case 4:
		return json_integer(INT64_MIN + rand_r(seed) % 3);
	case 5:
	case 6:
		return json_string(
		    strings[rand_r(seed) % (sizeof(strings) / sizeof(strings[0]))]);
	case 7:
		v = json_array();
		for (int i = rand_r(seed) % 4; i > 0; i--)
			json_array_append_new(v, random_value(seed, depth - 1));
		return v;
	default:
		v = json_object();
		for (int i = rand_r(seed) % 4; i > 0; i--) {
			char key[16];
			snprintf(key, sizeof(key), "k%d", rand_r(seed) % 6);
			json_object_set_new(v, key, random_value(seed, depth - 1));
		}
		return v;
	}
}

/*
 * jparse_members() reads a few members without lexing the rest (jtext.h) and
 * hands what it cannot read so to the parser: either way, for a thousand
 * random objects written in every layout jansson writes (compact, indented,
 * ASCII-only with \u escapes), it builds what parsing the whole and keeping
 * the members named gives.
 */
static void members_any_layout(void **ctx)
{
	static const char *const only[] = {"id", "mail", "k1", "odd \"key\"", "n", NULL};
	static const char *const names[] = {"id",          "mail", "k1",    "k2",
	                                    "odd \"key\"", "n",    "other", "\xc3\xa9"};
	static const size_t flags[] = {JSON_COMPACT, JSON_INDENT(2), JSON_ENSURE_ASCII,
	                               JSON_COMPACT | JSON_ENSURE_ASCII};
	unsigned seed = 20261207;

	(void)ctx;
	for (int i = 0; i < 1000; i++) {
		json_t *obj = json_object(), *want = json_object(), *got, *v;
		const char *key;
		json_error_t jerr;
		char *text;

		for (int k = rand_r(&seed) % 8; k > 0; k--)
			json_object_set_new(obj, names[rand_r(&seed) % 8],
			                    random_value(&seed, 3));
		json_object_foreach(obj, key, v)
		{
			for (int o = 0; only[o]; o++)
				if (!strcmp(key, only[o]))
					json_object_set(want, key, v);
		}
		text = json_dumps(obj, flags[i % 4]);
		assert_non_null(text);
		got = jparse_members(text, strlen(text), only, &jerr);
		assert_non_null(got);
		if (!json_equal(got, want))
			fail_msg("object %d: %s", i, text);
		json_decref(got);
		json_decref(want);
		json_decref(obj);
		free(text);
	}
}

/* @text (NUL-terminated, room for 16 bytes more) changed at random: a
 * byte overwritten, dropped, or a member written again after an opening
 * brace (a duplicate key, or a trailing comma in an empty object). */
static void mutate(char *text, unsigned *seed)
{
	static const char bytes[] = "{}[],:\"\\\x80\xc3\x01 1e-nu";
	size_t len = strlen(text), at = len ? (size_t)rand_r(seed) % len : 0;
	char *brace;

	switch (rand_r(seed) % 4) {
	case 0:
		break;
	case 1:
		if (len)
			text[at] = bytes[rand_r(seed) % (sizeof(bytes) - 1)];
		break;
	case 2:
		if (len)
			memmove(text + at, text + at + 1, len - at);
		break;
	default:
		brace = strchr(text + at, '{');
		if (!brace)
			brace = strchr(text, '{');
		if (brace) {
			memmove(brace + 9, brace + 1, strlen(brace + 1) + 1);
			memcpy(brace + 1, rand_r(seed) % 2 ? "\"k1\":0, " : "\"id\":0, ",
			       8);
		}
	}
}

/* Random documents, some broken (mutate()): jparse, and jparse building
 * only some members of every outermost object, agree with jansson on each. */
static void mutants_alike(void **ctx)
{
	static const char *const names[] = {"id", "a", "s", "k1", "k2", "\xc3\xa9"};
	unsigned seed = 7122026;

	(void)ctx;
	for (int i = 0; i < 3000; i++) {
		json_t *doc = json_array();
		char *text, *room;

		for (int o = 1 + rand_r(&seed) % 3; o > 0; o--) {
			json_t *obj = json_object();
			for (int k = rand_r(&seed) % 6; k > 0; k--)
				json_object_set_new(obj, names[rand_r(&seed) % 6],
				                    random_value(&seed, 3));
			json_array_append_new(doc, obj);
		}
		text = json_dumps(doc, i % 2 ? JSON_COMPACT : JSON_INDENT(1));
		assert_non_null(text);
		room = malloc(strlen(text) + 16);
		assert_non_null(room);
		memcpy(room, text, strlen(text) + 1);
		mutate(room, &seed);
		agree(room, strlen(room));
		free(room);
		free(text);
		json_decref(doc);
	}
}

/* What jparse_capture.member was told, one "key=kind;" after another, a
 * string's value after its kind: "key=\"value;". */
static void tell(void *ctx, const char *key, size_t len, char kind, const char *value,
                 size_t value_len)
{
	char *told = ctx;
	size_t at = strlen(told);

	assert_true((kind == '"') == (value != NULL));
	snprintf(told + at, 256 - at, "%.*s=%c%.*s;", (int)len, key, kind, (int)value_len,
	         value ? value : "");
}

static json_t *keep_tree(void *ctx, const char *const *keys, size_t depth, json_t *tree,
                         const char *text, size_t len)
{
	(void)ctx;
	(void)keys;
	(void)depth;
	(void)tree;
	return json_loadb(text, len, 0, NULL);
}

/* Each top-level member of a wanted object built in part is told with the
 * kind of its value, its key decoded; nothing nested, nothing outside. */
static void members_told(void **ctx)
{
	static const char text[] =
	    "{\"o\":{\"x\":1},\"v\":[{\"n\":null,\"t\":true,\"f\":false,\"i\":-1,"
	    "\"r\":2.5,\"s\":\"x\\u0041\",\"k\\u00e9\":\"\",\"a\":[{\"deep\":1}],\"o\":{"
	    "\"d\":2}"
	    ","
	    "\"e\":{}},{}]}";
	char told[256] = "";
	struct jparse_capture cap = {want_all, keep_tree, told, some_members, tell};
	json_error_t jerr;
	json_t *doc = jparse(text, strlen(text), &cap, &jerr);

	(void)ctx;
	assert_non_null(doc);
	/* the root is wanted: its members are told, and nothing below them */
	assert_string_equal(told, "o={;v=[;");
	json_decref(doc);
	told[0] = '\0';
	/* the array's objects wanted: each member once, with its kind */
	cap.want = want_depth_2;
	doc = jparse(text, strlen(text), &cap, &jerr);
	assert_non_null(doc);
	assert_string_equal(told, "n=n;t=t;f=t;i=0;r=0;s=\"xA;k\xc3\xa9=\";a=[;o={;e={;");
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(accepted_alike),
	    cmocka_unit_test(refused_alike),
	    cmocka_unit_test(depth_alike),
	    cmocka_unit_test(scalar_depth_alike),
	    cmocka_unit_test(length_honoured),
	    cmocka_unit_test(captures_wanted_objects),
	    cmocka_unit_test(capture_refuses_alike),
	    cmocka_unit_test(repository_documents_alike),
	    cmocka_unit_test(members_only),
	    cmocka_unit_test(members_any_layout),
	    cmocka_unit_test(mutants_alike),
	    cmocka_unit_test(members_told),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
