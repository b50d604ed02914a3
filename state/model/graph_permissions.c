/*
 * state/model/graph_permissions.c - Graph's permission catalogue, parsed once.
 * The one piece of state shared by every tenant: immutable once built (its
 * arrays are only ever referenced, never edited: a PATCH of a service
 * principal's appRoles replaces the array), so sharing it needs no lock
 * beyond the one that guards building it.
 *
 * Its 1,390 objects repeat a few short values thousands of times
 * ("Application" 2,036 times, "Admin", "User", true) and every app role has
 * the same allowedMemberTypes. Built as parsed, each repeat was a string of
 * its own (~80 bytes with malloc's headers): so each permission is interned
 * as the parser finishes it, its short strings and small string arrays
 * replaced by the first of their kind. The tree reads the same; it is built
 * in 2.3 MB of malloc instead of 2.6 (bench/results.md). Once built, the
 * pages of the embedded text are given back: nothing reads it again.
 */
#define _DEFAULT_SOURCE /* madvise */
#include "graph_permissions.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../util/jparse.h"

/* Strings up to this length are interned (45 values in the catalogue). */
#define INTERN_MAX 16

static pthread_mutex_t catalogue_lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *catalogue; /* built once, then read-only; freed with the process */

/* What the build has seen: "s" + a short string, "a" + a small array's text. */
struct intern {
	json_t *seen; /* object: key -> the first value of that kind */
	char key[INTERN_MAX * 4 + 8];
};

/* A short string with no control character (so none holds the separator). */
static bool internable(const json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);

	if (!s || len > INTERN_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20)
			return false;
	return true;
}

/* @v, or the first value of its kind seen (borrowed). */
static json_t *intern_one(struct intern *in, json_t *v)
{
	size_t i, n = 1;
	json_t *e, *first;

	if (json_is_string(v)) {
		if (!internable(v))
			return v;
		in->key[0] = 's';
		memcpy(in->key + 1, json_string_value(v), json_string_length(v) + 1);
	} else if (json_is_array(v)) {
		in->key[0] = 'a';
		json_array_foreach(v, i, e)
		{
			if (!internable(e) ||
			    n + json_string_length(e) + 2 > sizeof(in->key))
				return v;
			memcpy(in->key + n, json_string_value(e), json_string_length(e));
			n += json_string_length(e);
			in->key[n++] = '\x1f';
		}
		in->key[n] = '\0';
	} else {
		return v;
	}
	first = json_object_get(in->seen, in->key);
	if (first)
		return first;
	json_object_set(in->seen, in->key, v); /* (out of memory: not shared) */
	return v;
}

static bool want(void *ctx, const char *const *keys, size_t depth)
{
	(void)ctx;
	return depth == 2 && !keys[1] &&
	       (!strcmp(keys[0], "appRoles") ||
	        !strcmp(keys[0], "oauth2PermissionScopes"));
}

/* One permission, parsed: its values replaced by those seen before. */
static json_t *capture(void *ctx, const char *const *keys, size_t depth, json_t *tree,
                       const char *text, size_t len)
{
	const char *k;
	json_t *v, *first;

	(void)keys, (void)depth, (void)text, (void)len;
	json_object_foreach(tree, k, v)
	{
		first = intern_one(ctx, v);
		if (first != v && json_object_set_nocheck(tree, k, first))
			return NULL;
	}
	return json_incref(tree);
}

/* The whole pages of the embedded text, out of this process's memory: they
 * are file pages of the binary, read back from it if anything touched them. */
static void release_text(const char *text, size_t len)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from = ((uintptr_t)text + page - 1) & ~(page - 1);
	uintptr_t to = ((uintptr_t)text + len) & ~(page - 1);

	if (to > from)
		madvise((void *)from, to - from, MADV_DONTNEED);
}

static json_t *build(void)
{
	struct intern in = {.seen = json_object()};
	struct jparse_capture cap = {want, capture, &in, NULL, NULL};
	size_t len = strlen(model_graph_permissions_json);
	json_t *c;

	if (!in.seen)
		return NULL;
	c = jparse(model_graph_permissions_json, len, &cap, &(json_error_t){0});
	json_decref(in.seen);
	if (c)
		release_text(model_graph_permissions_json, len);
	return c;
}

const json_t *model_graph_permissions(void)
{
	json_t *c;

	pthread_mutex_lock(&catalogue_lock);
	if (!catalogue)
		catalogue = build();
	c = catalogue;
	pthread_mutex_unlock(&catalogue_lock);
	return c;
}
