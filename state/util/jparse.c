/*
 * state/util/jparse.c - yajl's callbacks building a jansson tree, and the
 * hand-over to jansson for everything the two might judge differently (see
 * jparse.h).
 */
#include "jparse.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <yajl/yajl_parse.h>

#include "alloc.h"
#include "jtext.h"
#include "keyset.h"

/* jansson's limit: deeper documents are its to refuse. */
#define MAX_DEPTH JSON_PARSER_MAX_DEPTH
/* Longest number text taken here; longer ones are jansson's to judge. */
#define MAX_NUMBER 64

enum outcome {
	GOING,
	TO_JANSSON, /* a case jansson decides: parse again with it */
	OUT_OF_MEMORY,
};

struct level {
	json_t *value; /* the object or array being filled; NULL: checked only */
	char *key;     /* objects: the member whose value comes next */
	size_t key_len;
	size_t key_cap;  /* bytes allocated at @key, reused by the next member */
	size_t start;    /* offset of the opening brace (captured objects) */
	bool capture;    /* this object is handed to the capture function */
	bool track_keys; /* its keys go to builder.seen (not in a tree) */
	uint32_t object; /* its number there */
};

/*
 * The small allocations of one parse: yajl's own (its handle, lexer and
 * buffers, through yajl_alloc_funcs), the level stack and the key buffers.
 * They come from this block on the parser's stack while they fit, and from
 * the heap past it. A fixture is parsed once whole and then once more per
 * user, membership and assignment (a few hundred bytes each, 1.5 million
 * of them at a million users): each of those parses used to make and free
 * about ten heap blocks between the store's own.
 */
#define SCRATCH_BYTES 4096
#define SCRATCH_HEAD  16 /* a block's size before it; keeps 16-byte alignment */

struct scratch {
	size_t used;
	_Alignas(16) unsigned char bytes[SCRATCH_BYTES];
};

struct builder {
	yajl_handle yajl;
	struct scratch *scratch;
	const char *text;
	const struct jparse_capture *cap;
	struct level *levels; /* @cap_levels of them, grown as nesting deepens */
	const char **keys;    /* the place, for cap->want */
	size_t cap_levels;
	size_t depth;
	json_t *root;
	size_t root_end; /* offset just past the root's closing bracket */
	enum outcome outcome;
	/* jparse_members(): the root's members to build (NULL: all); a value
	 * left out is lexed only: @skip_value for the next one, @skipping the
	 * nesting inside one that is a container. */
	const char *const *only;
	bool trusted; /* text parsed whole before: its checks are not made again */
	bool skip_value;
	size_t skipping;
	/* Inside a wanted object built in part (jparse_capture.build): @light
	 * counts the levels open from it down (0: outside one), @check_value
	 * says its next member is one checked only, and @seen holds the keys
	 * of its objects that no tree holds, numbered by @objects. */
	size_t light;
	bool check_value;
	uint32_t objects;
	struct keyset seen;
};

static bool in_scratch(const struct scratch *sc, const void *p)
{
	uintptr_t at = (uintptr_t)p, start = (uintptr_t)sc->bytes;

	return at >= start && at < start + SCRATCH_BYTES;
}

static void *scratch_malloc(void *ctx, size_t n)
{
	struct scratch *sc = ctx;
	size_t need = SCRATCH_HEAD + ((n + 15) & ~(size_t)15);

	if (n <= SCRATCH_BYTES && need <= SCRATCH_BYTES - sc->used) {
		unsigned char *p = sc->bytes + sc->used;

		memcpy(p, &n, sizeof(n));
		sc->used += need;
		return p + SCRATCH_HEAD;
	}
	return state_malloc(n);
}

static void scratch_free(void *ctx, void *p)
{
	if (p && !in_scratch(ctx, p))
		state_free(p);
}

static void *scratch_realloc(void *ctx, void *p, size_t n)
{
	size_t old;
	void *q;

	if (!p)
		return scratch_malloc(ctx, n);
	if (!in_scratch(ctx, p))
		return state_realloc(p, n);
	memcpy(&old, (unsigned char *)p - SCRATCH_HEAD, sizeof(old));
	if (n <= old)
		return p;
	q = scratch_malloc(ctx, n);
	if (q)
		memcpy(q, p, old);
	return q;
}

static int stop(struct builder *b, enum outcome why)
{
	b->outcome = why;
	return 0; /* yajl: cancel the parse */
}

/* Is the value starting now one jparse_members() leaves out? */
static bool skipped(struct builder *b)
{
	if (b->skipping)
		return true;
	if (!b->skip_value)
		return false;
	b->skip_value = false;
	return true;
}

/* A value starts: one of a member of the wanted object built in part
 * (directly inside it)? Then its capture is told (jparse_capture.member). */
static void tell_member_value(struct builder *b, char kind, const unsigned char *value,
                              size_t len)
{
	const struct level *top;

	if (b->light != 1 || !b->cap->member)
		return;
	top = &b->levels[b->depth - 1];
	b->cap->member(b->cap->ctx, top->key, top->key_len, kind, (const char *)value,
	               len);
}

static void tell_member(struct builder *b, char kind)
{
	tell_member_value(b, kind, NULL, 0);
}

/* Is the value starting now one checked without being built? */
static bool unbuilt(struct builder *b)
{
	if (!b->light)
		return false;
	if (b->check_value) {
		b->check_value = false;
		return true;
	}
	return !b->levels[b->depth - 1].value;
}

/*
 * Would jansson take @n bytes at @s as a string or key? No NUL, and UTF-8
 * by its rules: text that is not plain ASCII is given to json_stringn() to
 * judge (NULL there is also its "out of memory": jansson then reads the
 * document and says so itself).
 */
static bool text_ok(const unsigned char *s, size_t n)
{
	size_t plain = 0;
	json_t *v;

	while (plain < n && s[plain] && s[plain] < 0x80)
		plain++;
	if (plain == n)
		return true;
	if (memchr(s, '\0', n))
		return false;
	v = json_stringn((const char *)s, n);
	json_decref(v);
	return v != NULL;
}

/* Put @v (a new reference) where the document is now. */
static int add(struct builder *b, json_t *v)
{
	struct level *top;
	int rc;

	if (!v)
		return stop(b, OUT_OF_MEMORY);
	if (b->depth == 0) {
		b->root = v;
		return 1;
	}
	top = &b->levels[b->depth - 1];
	if (json_is_array(top->value))
		return json_array_append_new(top->value, v) ? stop(b, OUT_OF_MEMORY) : 1;
	if (b->trusted) /* text parsed whole before: no duplicate, valid keys */
		return json_object_setn_new_nocheck(top->value, top->key, top->key_len, v)
		           ? stop(b, OUT_OF_MEMORY)
		           : 1;
	if (json_object_getn(top->value, top->key, top->key_len)) {
		json_decref(v);
		return stop(b, TO_JANSSON); /* a duplicate key: jansson's message */
	}
	/* Fails for OOM or a key jansson finds bad UTF-8 in: its call. */
	rc = json_object_setn_new(top->value, top->key, top->key_len, v);
	return rc ? stop(b, TO_JANSSON) : 1;
}

/*
 * A scalar value starts (its @kind as tell_member() has it; a string's
 * @value too): false, the parse stopped, when it is nested past jansson's
 * limit. jansson counts every value a level, so one inside 2048 open
 * containers is refused ("maximum parsing depth reached") where an empty
 * 2048th container is not.
 */
static bool scalar_value_starts(struct builder *b, char kind, const unsigned char *value,
                                size_t len)
{
	if (b->depth >= MAX_DEPTH) {
		stop(b, TO_JANSSON);
		return false;
	}
	tell_member_value(b, kind, value, len);
	return true;
}

static bool scalar_starts(struct builder *b, char kind)
{
	return scalar_value_starts(b, kind, NULL, 0);
}

static int on_null(void *ctx)
{
	return scalar_starts(ctx, 'n') &&
	       (skipped(ctx) || unbuilt(ctx) || add(ctx, json_null()));
}

static int on_boolean(void *ctx, int v)
{
	return scalar_starts(ctx, 't') &&
	       (skipped(ctx) || unbuilt(ctx) || add(ctx, json_boolean(v)));
}

/* A number as jansson reads it: a real, else an integer. */
struct number {
	bool real;
	double d;
	long long i;
};

/*
 * The number written @s (@n bytes) by jansson's rule: a fraction or exponent
 * makes a real, else an integer. false when jansson is to judge it (too long,
 * out of range: its "real number overflow", "too big integer"); else true
 * and *@num its value.
 */
static bool number_read(const char *s, size_t n, struct number *num)
{
	char text[MAX_NUMBER];
	char *end;

	if (n >= sizeof(text))
		return false;
	memcpy(text, s, n);
	text[n] = '\0';
	errno = 0;
	num->real = strpbrk(text, ".eE") != NULL;
	if (num->real) {
		num->d = strtod(text, &end);
		return !*end && !(errno == ERANGE && isinf(num->d));
	}
	num->i = strtoll(text, &end, 10);
	return !*end && errno != ERANGE;
}

/* number_read() built: *@v the value (NULL when memory ran out). */
static bool number_value(const char *s, size_t n, json_t **v)
{
	struct number num;

	if (!number_read(s, n, &num))
		return false;
	*v = num.real ? json_real(num.d) : json_integer(num.i);
	return true;
}

static int on_number(void *ctx, const char *s, size_t n)
{
	struct builder *b = ctx;
	struct number num;
	json_t *v;

	if (!scalar_starts(b, '0'))
		return 0;
	if (skipped(b))
		return 1;
	if (unbuilt(b))
		return number_read(s, n, &num) ? 1 : stop(b, TO_JANSSON);
	if (!number_value(s, n, &v))
		return stop(b, TO_JANSSON);
	return add(b, v);
}

/* Checked like jansson's own strings: valid UTF-8 (its rules), no NUL;
 * except in jparse_members(), whose text passed those checks before. */
static int on_string(void *ctx, const unsigned char *s, size_t n)
{
	struct builder *b = ctx;
	json_t *v;

	if (!scalar_value_starts(b, '"', s, n))
		return 0;
	if (skipped(b))
		return 1;
	if (unbuilt(b))
		return text_ok(s, n) ? 1 : stop(b, TO_JANSSON);
	if (b->trusted) {
		v = json_stringn_nocheck((const char *)s, n);
		return v ? add(b, v) : stop(b, OUT_OF_MEMORY);
	}
	if (memchr(s, '\0', n))
		return stop(b, TO_JANSSON);
	v = json_stringn((const char *)s, n);
	return v ? add(b, v) : stop(b, TO_JANSSON); /* NULL: UTF-8 jansson refuses */
}

/* Room for one level more: most documents nest a few levels, some 2048. */
static int grow(struct builder *b)
{
	size_t n = b->cap_levels ? 2 * b->cap_levels : 16;
	struct level *levels = scratch_malloc(b->scratch, n * sizeof(*levels));
	const char **keys = scratch_malloc(b->scratch, n * sizeof(*keys));

	if (!levels || !keys) {
		scratch_free(b->scratch, levels);
		scratch_free(b->scratch, keys);
		return -1;
	}
	memset(levels, 0, n * sizeof(*levels));
	if (b->cap_levels) {
		memcpy(levels, b->levels, b->cap_levels * sizeof(*levels));
		memcpy(keys, b->keys, b->cap_levels * sizeof(*keys));
	}
	scratch_free(b->scratch, b->levels);
	scratch_free(b->scratch, b->keys);
	b->levels = levels;
	b->keys = keys;
	b->cap_levels = n;
	return 0;
}

static int open_level(struct builder *b, json_t *v, bool capture)
{
	struct level *l;

	if (!v)
		return stop(b, OUT_OF_MEMORY);
	if (b->depth >= MAX_DEPTH) {
		json_decref(v);
		return stop(b, TO_JANSSON); /* "maximum parsing depth reached" */
	}
	if (b->depth == b->cap_levels && grow(b)) {
		json_decref(v);
		return stop(b, OUT_OF_MEMORY);
	}
	json_incref(v); /* one for the parent (add), one while filled */
	if (!add(b, v)) {
		json_decref(v);
		return 0;
	}
	l = &b->levels[b->depth];
	l->value = v;
	l->key_len = 0;
	l->capture = capture;
	l->track_keys = false;
	/* yajl's offset is just past the brace */
	l->start = yajl_get_bytes_consumed(b->yajl) - 1;
	b->keys[b->depth] = NULL;
	b->depth++;
	if (b->light)
		b->light++;
	return 1;
}

/* A container inside a wanted object built in part, checked only. */
static int open_unbuilt(struct builder *b, bool is_object)
{
	struct level *l;

	if (b->depth >= MAX_DEPTH)
		return stop(b, TO_JANSSON); /* "maximum parsing depth reached" */
	if (b->depth == b->cap_levels && grow(b))
		return stop(b, OUT_OF_MEMORY);
	l = &b->levels[b->depth];
	l->value = NULL;
	l->key_len = 0;
	l->capture = false;
	l->track_keys = is_object;
	l->object = ++b->objects;
	b->keys[b->depth] = NULL;
	b->depth++;
	b->light++;
	return 1;
}

/* A wanted object to build in part: its top-level members named in @build. */
static int open_light(struct builder *b)
{
	if (!open_level(b, json_object(), true))
		return 0;
	keyset_forget(&b->seen);
	b->objects = 0;
	b->levels[b->depth - 1].track_keys = true;
	b->levels[b->depth - 1].object = ++b->objects;
	b->light = 1;
	return 1;
}

/* A container left out: counted through, never built. */
static bool skip_container(struct builder *b)
{
	if (b->skipping) {
		b->skipping++;
		return true;
	}
	if (!b->skip_value)
		return false;
	b->skip_value = false;
	b->skipping = 1;
	return true;
}

static int on_start_map(void *ctx)
{
	struct builder *b = ctx;
	bool capture;

	tell_member(b, '{');
	if (skip_container(b))
		return 1;
	if (unbuilt(b))
		return open_unbuilt(b, true);
	capture = !b->light && b->cap && b->cap->want(b->cap->ctx, b->keys, b->depth);
	if (capture && b->cap->build)
		return open_light(b);
	return open_level(b, json_object(), capture);
}

/* Is the key of @n bytes at @key (NUL-terminated or not) one of @names? */
static bool listed(const char *const *names, const char *key, size_t n)
{
	for (; *names; names++)
		if ((*names)[0] == key[0] && !strncmp(*names, key, n) &&
		    (*names)[n] == '\0')
			return true;
	return false;
}

static int on_map_key(void *ctx, const unsigned char *s, size_t n)
{
	struct builder *b = ctx;
	struct level *top;

	if (b->skipping)
		return 1;
	top = &b->levels[b->depth - 1];
	if (top->track_keys) { /* in no tree: checked here as jansson would */
		int added = text_ok(s, n)
		                ? keyset_add(&b->seen, top->object, (const char *)s, n)
		                : 0;
		if (added <= 0)
			return stop(b, added < 0 ? OUT_OF_MEMORY : TO_JANSSON);
		if (!top->value)
			return 1;
	}
	if (memchr(s, '\0', n))
		return stop(b, TO_JANSSON);
	if (n + 1 > top->key_cap) {
		char *key = scratch_malloc(b->scratch, n + 1 > 64 ? n + 1 : 64);
		if (!key)
			return stop(b, OUT_OF_MEMORY);
		scratch_free(b->scratch, top->key);
		top->key = key;
		top->key_cap = n + 1 > 64 ? n + 1 : 64;
	}
	memcpy(top->key, s, n);
	top->key[n] = '\0';
	top->key_len = n;
	b->keys[b->depth - 1] = top->key;
	if (b->only && b->depth == 1 && !listed(b->only, top->key, top->key_len))
		b->skip_value = true;
	if (top->track_keys) /* the wanted object built in part */
		b->check_value = !listed(b->cap->build, top->key, top->key_len);
	return 1;
}

/* Put @by in the parent's slot just filled (an array's last, an object's member). */
static int replace_in_parent(struct builder *b, json_t *by)
{
	struct level *parent;

	if (b->depth == 0) {
		json_decref(b->root);
		b->root = by;
		return 0;
	}
	parent = &b->levels[b->depth - 1];
	if (json_is_array(parent->value))
		return json_array_set_new(parent->value,
		                          json_array_size(parent->value) - 1, by);
	return json_object_setn_new(parent->value, parent->key, parent->key_len, by);
}

static int close_level(struct builder *b)
{
	struct level *l = &b->levels[--b->depth];
	json_t *v = l->value;
	int rc = 1;

	b->keys[b->depth] = NULL;
	if (b->depth == 0)
		b->root_end = yajl_get_bytes_consumed(b->yajl);
	if (b->light)
		b->light--;
	if (!v) /* checked only */
		return 1;
	if (l->capture) {
		size_t end = yajl_get_bytes_consumed(b->yajl);
		json_t *by =
		    b->cap->capture(b->cap->ctx, (const char *const *)b->keys, b->depth,
		                    v, b->text + l->start, end - l->start);
		if (!by || replace_in_parent(b, by))
			rc = stop(b, OUT_OF_MEMORY);
	}
	json_decref(v); /* the parent holds it (or what replaced it) */
	return rc;
}

static int on_start_array(void *ctx)
{
	tell_member(ctx, '[');
	if (skip_container(ctx))
		return 1;
	if (unbuilt(ctx))
		return open_unbuilt(ctx, false);
	return open_level(ctx, json_array(), false);
}

static int on_end(void *ctx)
{
	struct builder *b = ctx;

	if (b->skipping) {
		b->skipping--;
		return 1;
	}
	return close_level(b);
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = on_end,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end,
};

/* An escaped UTF-16 surrogate: yajl and jansson differ on lone ones. */
static bool has_escaped_surrogate(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while ((p = memchr(p, '\\', (size_t)(end - p))) && end - p >= 4) {
		if (p[1] == 'u' && (p[2] == 'd' || p[2] == 'D') && p[3] &&
		    strchr("89abAB", p[3]))
			return true;
		p += 2; /* past the escape, so "\\\\u..." is not misread */
	}
	return false;
}

/*
 * A form feed or vertical tab: yajl's lexer skips both as whitespace, while
 * to jansson they are no whitespace between tokens and a raw control
 * character inside a string, so a text holding one is refused anywhere.
 */
static bool has_yajl_only_space(const char *text, size_t len)
{
	return memchr(text, '\f', len) || memchr(text, '\v', len);
}

/*
 * Is there only whitespace (jansson's) after the root? yajl reports a
 * token it has not seen the end of as the end of the text, so past a
 * complete document it takes an unterminated string ({}") for no token.
 */
static bool only_space_after(const char *text, size_t len, size_t at)
{
	for (; at < len; at++)
		if (text[at] != ' ' && text[at] != '\t' && text[at] != '\n' &&
		    text[at] != '\r')
			return false;
	return true;
}

static void builder_release(struct builder *b)
{
	while (b->depth > 0)
		json_decref(b->levels[--b->depth].value);
	for (size_t i = 0; i < b->cap_levels; i++)
		scratch_free(b->scratch, b->levels[i].key);
	json_decref(b->root);
	b->root = NULL;
	scratch_free(b->scratch, b->levels);
	scratch_free(b->scratch, b->keys);
	keyset_free(&b->seen);
	if (b->yajl)
		yajl_free(b->yajl);
}

static json_t *with_jansson(const char *text, size_t len, json_error_t *jerr)
{
	return json_loadb(text, len, JSON_REJECT_DUPLICATES, jerr);
}

/* @jerr filled with @text and no position, as jansson reports no position. */
static json_t *parse_error(json_error_t *jerr, const char *text)
{
	memset(jerr, 0, sizeof(*jerr));
	jerr->line = jerr->column = -1;
	snprintf(jerr->text, sizeof(jerr->text), "%s", text);
	return NULL;
}

/* Run @b (set up by the caller) over @text; jansson decides what it refuses. */
static json_t *parse(struct builder *b, const char *text, size_t len, json_error_t *jerr)
{
	yajl_status st;
	json_t *root;
	struct scratch sc; /* (its bytes are not cleared: used only as handed out) */
	yajl_alloc_funcs funcs = {scratch_malloc, scratch_realloc, scratch_free, &sc};

	if (has_escaped_surrogate(text, len) ||
	    (!b->trusted && has_yajl_only_space(text, len)))
		return with_jansson(text, len, jerr);
	sc.used = 0;
	b->scratch = &sc;
	keyset_init(&b->seen);
	b->yajl = yajl_alloc(&callbacks, &funcs, b);
	if (!b->yajl) {
		builder_release(b);
		return parse_error(jerr, "out of memory");
	}
	if (b->trusted) /* text parsed whole before: its strings are valid UTF-8 */
		yajl_config(b->yajl, yajl_dont_validate_strings, 1);
	st = yajl_parse(b->yajl, (const unsigned char *)text, len);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(b->yajl);
	if (st == yajl_status_ok && b->depth == 0 &&
	    (json_is_object(b->root) || json_is_array(b->root)) &&
	    only_space_after(text, len, b->root_end)) {
		root = b->root;
		b->root = NULL;
		builder_release(b);
		return root;
	}
	builder_release(b);
	if (b->outcome == OUT_OF_MEMORY)
		return parse_error(jerr, "out of memory");
	/* Refused by yajl, or one of jansson's cases: its verdict and words. */
	return with_jansson(text, len, jerr);
}

json_t *jparse(const char *text, size_t len, const struct jparse_capture *cap,
               json_error_t *jerr)
{
	struct builder b = {.text = text, .cap = cap};

	return parse(&b, text, len, jerr);
}

/*
 * The value written @s (@n bytes) of trusted text, built; NULL when it is the
 * parser's to build (a string with escapes, a number jansson judges), or
 * when memory ran out.
 */
static json_t *member_value(const char *s, size_t n)
{
	json_error_t jerr;
	json_t *v = NULL;

	switch (s[0]) {
	case '"':
		if (n < 2 || memchr(s + 1, '\\', n - 2))
			return NULL;
		return json_stringn_nocheck(s + 1, n - 2); /* valid UTF-8, no NUL */
	case '{':
	case '[':
		return jparse_trusted(s, n, &jerr);
	case 't':
		return json_true();
	case 'f':
		return json_false();
	case 'n':
		return json_null();
	default:
		return number_value(s, n, &v) ? v : NULL;
	}
}

/*
 * jparse_members() by walking the text (jtext.h) rather than lexing all of
 * it: members left out are skipped by finding their end, which for a user's
 * text is most of it. NULL when it declines (a key or string with escapes,
 * text it cannot walk: the parser's to read and to judge) or memory ran out;
 * the parser then reads the text whole.
 */
static json_t *members_by_walk(const char *text, size_t len, const char *const *only)
{
	json_t *root = json_object();
	struct jtext_member m;
	size_t pos = 0;
	int rc = -1;

	while (root && (rc = jtext_member_next(text, len, &pos, &m)) == 1) {
		json_t *v;

		if (memchr(m.key, '\\', m.key_len))
			break;
		if (!listed(only, m.key, m.key_len))
			continue;
		v = member_value(m.value, m.value_len);
		if (!v || json_object_setn_new_nocheck(root, m.key, m.key_len, v))
			break;
	}
	if (root && rc == 0)
		return root;
	json_decref(root);
	return NULL;
}

json_t *jparse_members(const char *text, size_t len, const char *const *only,
                       json_error_t *jerr)
{
	struct builder b = {.text = text, .only = only, .trusted = true};
	json_t *root = only ? members_by_walk(text, len, only) : NULL;

	const char *key;
	json_t *v;
	void *tmp;

	if (root)
		return root;
	root = parse(&b, text, len, jerr);
	if (root && !json_is_object(root)) {
		json_decref(root);
		return parse_error(jerr, "an object is expected");
	}
	/* jansson, when it read the text instead (escaped surrogates), built all */
	if (root && only)
		json_object_foreach_safe(root, tmp, key, v)
		{
			if (!listed(only, key, strlen(key)))
				json_object_del(root, key);
		}
	return root;
}

json_t *jparse_trusted(const char *text, size_t len, json_error_t *jerr)
{
	struct builder b = {.text = text, .trusted = true};

	return parse(&b, text, len, jerr);
}

json_t *jparse_fd(int fd, const struct jparse_capture *cap, json_error_t *jerr)
{
	struct stat sb;
	void *map;
	json_t *doc;

	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_size == 0) {
		FILE *f = fdopen(dup(fd), "rb"); /* not a plain file: jansson reads it */
		if (!f)
			return parse_error(jerr, "out of memory");
		doc = json_loadf(f, JSON_REJECT_DUPLICATES, jerr);
		fclose(f);
		return doc;
	}
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return parse_error(jerr, "out of memory");
	posix_madvise(map, (size_t)sb.st_size, POSIX_MADV_SEQUENTIAL);
	doc = jparse(map, (size_t)sb.st_size, cap, jerr);
	munmap(map, (size_t)sb.st_size);
	return doc;
}
