/*
 * state/frozen.c - object text kept for later (see frozen.h).
 */
#include "frozen.h"

#include <stdatomic.h>
#include <string.h>

#include "state.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/guid.h"
#include "util/jgen.h"
#include "util/jparse.h"
#include "util/jtext.h"

/*
 * Copy JSON text @in to @out without the whitespace between tokens; @out has
 * room for @len bytes. A string is copied whole, up to the quote that ends
 * it (found with memchr, a user's text being mostly strings). Returns the
 * bytes written.
 */
static size_t squeeze(const char *in, size_t len, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		if (c == '"') {
			size_t end = jtext_string_end(in, len, i);

			if (end == len) /* (cannot happen: the text was parsed) */
				end = len - 1;

			memcpy(out + n, in + i, end + 1 - i);
			n += end + 1 - i;
			i = end;
		} else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			out[n++] = c;
		}
	}
	return n;
}

/* Texts up to this size are squeezed on the stack: a fixture's users and
 * edges, a million and more of them at load, are all far below it. */
#define FROZEN_STACK 4096
/* Texts longer than this are jansson's to dump (nothing is kept that big). */
#define FROZEN_GEN_MAX ((size_t)64 << 20)
/* A new user's text (~600 bytes) fits the first buffer. */
#define FROZEN_GEN_FIRST 1024

/* The frozen string for @text: a NUL, then the text squeezed or as it is. */
static json_t *frozen(const char *text, size_t len, bool squeezed)
{
	char stack[FROZEN_STACK];
	char *buf = len < sizeof(stack) ? stack : state_malloc(len + 1);
	size_t n;
	json_t *v;

	if (!buf)
		return NULL;
	buf[0] = '\0';
	if (squeezed) {
		n = squeeze(text, len, buf + 1);
	} else {
		memcpy(buf + 1, text, len);
		n = len;
	}
	v = json_stringn_nocheck(buf, 1 + n);
	if (buf != stack)
		state_free(buf);
	return v;
}

/* The frozen string of @obj as jansson dumps it: json_dumpb() into one
 * buffer sized once (the stack's, or the heap's after a first dump said
 * how much), after the NUL. json_dumps() would grow a buffer from 16 bytes
 * and strdup it, and state_frozen_new() copy it twice more, squeezing
 * nothing: compact text has no whitespace between tokens. */
static json_t *dumped(const json_t *obj)
{
	char stack[FROZEN_STACK];
	char *buf = stack;
	size_t n = json_dumpb(obj, stack + 1, sizeof(stack) - 1, JSON_COMPACT);
	json_t *v;

	if (!n)
		return NULL;
	if (n > sizeof(stack) - 1) {
		buf = state_malloc(n + 1);
		if (!buf)
			return NULL;
		if (json_dumpb(obj, buf + 1, n, JSON_COMPACT) != n) {
			state_free(buf);
			return NULL;
		}
	}
	buf[0] = '\0';
	v = json_stringn_nocheck(buf, 1 + n);
	if (buf != stack)
		state_free(buf);
	return v;
}

/*
 * jansson's dump of a new guest's ~600 bytes is ~62k instructions (see
 * util/jgen.h for where they go); yajl's generator writes the same bytes
 * in ~26k, into a buffer the string is then made from. What it leaves to
 * jansson, jansson dumps.
 */
json_t *state_frozen_dump(const json_t *obj)
{
	struct buf b;
	json_t *v;

	buf_init(&b, FROZEN_GEN_MAX);
	buf_reserve(&b, FROZEN_GEN_FIRST - 1);
	buf_addch(&b, '\0');
	if (jgen_compact(obj, &b))
		v = json_stringn_nocheck(b.data, b.len);
	else
		v = dumped(obj);
	buf_release(&b);
	return v;
}

json_t *state_frozen_new(const char *text, size_t len)
{
	return frozen(text, len, true);
}

json_t *state_frozen_exact(const char *text, size_t len)
{
	return frozen(text, len, false);
}

bool state_frozen_text(const json_t *v, const char **text, size_t *len)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);

	if (!s || n < 2 || s[0] != '\0')
		return false;
	*text = s + 1;
	*len = n - 1;
	return true;
}

static bool named(const char *const *only, const char *key)
{
	for (; *only; only++)
		if (!strcmp(*only, key))
			return true;
	return false;
}

/* Does @obj lack a member @only names? */
static bool lacks_one(const json_t *obj, const char *const *only)
{
	for (; *only; only++)
		if (!json_object_get(obj, *only))
			return true;
	return false;
}

/* Drop the members of @obj that @only does not name. */
static void keep_only(json_t *obj, const char *const *only)
{
	const char *key;
	json_t *v;
	void *tmp;

	json_object_foreach_safe(obj, tmp, key, v)
	{
		if (!named(only, key))
			json_object_del(obj, key);
	}
}

/* @v's text parsed (whole, or only the members @only names), its id in
 * lower case, completed as the loader completes a tree of @kind. */
static json_t *thaw(struct state *st, struct tenant *t, int kind, const json_t *v,
                    const char *const *only)
{
	const char *text, *id;
	size_t len;
	json_error_t jerr;
	json_t *obj;
	char lower[GUID_STR_LEN + 1];

	if (!state_frozen_text(v, &text, &len))
		return NULL;
	obj = only ? jparse_members(text, len, only, &jerr)
	           : jparse_trusted(text, len, &jerr);
	id = json_string_value(json_object_get(obj, "id"));
	if (!obj || !guid_valid(id))
		goto fail;
	/* stored lower case, as state_dobj_add() stores a tree's */
	guid_lower(id, lower);
	if (strcmp(id, lower) && json_object_set_new(obj, "id", json_string(lower)))
		goto fail;
	if (only && !lacks_one(obj, only))
		return obj; /* completing adds only what is missing */
	if (st->thaw && st->thaw(st, t, (enum dobj_kind)kind, obj))
		goto fail;
	if (only)
		keep_only(obj, only); /* a million such parts are held at once */
	return obj;

fail:
	json_decref(obj);
	return NULL;
}

static _Atomic unsigned long whole_thaws;

unsigned long state_frozen_whole_thaws(void)
{
	return atomic_load(&whole_thaws);
}

json_t *state_frozen_thaw(struct state *st, struct tenant *t, int kind, const json_t *v)
{
	atomic_fetch_add(&whole_thaws, 1);
	return thaw(st, t, kind, v, NULL);
}

json_t *state_frozen_thaw_members(struct state *st, struct tenant *t, int kind,
                                  const json_t *v, const char *const *only)
{
	return thaw(st, t, kind, v, only);
}
