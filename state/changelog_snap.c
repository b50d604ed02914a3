/*
 * state/changelog_snap.c - what a writing request found an object holding
 * (its top-level members, in its order), and the names of those that
 * differ when the request ends (see changelog_internal.h).
 */
#include "changelog_internal.h"

#include <string.h>

#include "util/alloc.h"
#include "util/jcopy.h"

int changelog_snap_take(struct txn_snap *s, const json_t *obj)
{
	const char *key;
	size_t len, n = 0, bytes = 0;
	json_t *v;
	char *keys;

	s->before = NULL;
	s->nbefore = 0;
	if (!json_is_object(obj))
		return -1;
	json_object_keylen_foreach((json_t *)obj, key, len, v)
	{
		n++;
		bytes += len + 1;
	}
	/* the members, then their keys, in one block */
	s->before = state_malloc(n * sizeof(*s->before) + bytes + 1);
	if (!s->before)
		return -1;
	keys = (char *)(s->before + n);
	json_object_keylen_foreach((json_t *)obj, key, len, v)
	{
		struct snap_member *m = &s->before[s->nbefore];

		memcpy(keys, key, len);
		keys[len] = '\0';
		m->key = keys;
		m->key_len = len;
		keys += len + 1;
		m->value = jcopy_shared(v);
		if (!m->value) {
			changelog_snap_release(s);
			return -1;
		}
		s->nbefore++;
	}
	return 0;
}

void changelog_snap_release(struct txn_snap *s)
{
	for (size_t i = 0; i < s->nbefore; i++)
		json_decref(s->before[i].value);
	state_free(s->before);
	s->before = NULL;
	s->nbefore = 0;
}

/* The value member @key (@len bytes) had, or NULL. */
static const json_t *before_get(const struct txn_snap *s, const char *key, size_t len)
{
	for (size_t i = 0; i < s->nbefore; i++) {
		const struct snap_member *m = &s->before[i];

		if (m->key_len == len && !memcmp(m->key, key, len))
			return m->value;
	}
	return NULL;
}

/* Each member looked up in the other: what differs in any order. */
static size_t diff_any_order(const struct txn_snap *s, const json_t *now,
                             const char **out, size_t cap)
{
	const char *key;
	size_t len, n = 0;
	json_t *v;

	json_object_keylen_foreach((json_t *)now, key, len, v)
	{
		if (key[0] != '_' && n < cap && !json_equal(v, before_get(s, key, len)))
			out[n++] = key;
	}
	for (size_t i = 0; i < s->nbefore; i++) {
		const struct snap_member *m = &s->before[i];

		if (m->key[0] != '_' && n < cap &&
		    !json_object_getn(now, m->key, m->key_len))
			out[n++] = m->key;
	}
	return n;
}

size_t changelog_snap_diff(const struct txn_snap *s, const json_t *now, const char **out,
                           size_t cap)
{
	const char *key;
	size_t len, n = 0, i = 0;
	json_t *v;

	/* An object keeps its members' order unless one was removed or added
	 * (jansson iterates in insertion order): walk the two side by side, and
	 * look members up only when they part. */
	json_object_keylen_foreach((json_t *)now, key, len, v)
	{
		const struct snap_member *m = &s->before[i];

		if (i == s->nbefore || m->key_len != len || memcmp(m->key, key, len))
			return diff_any_order(s, now, out, cap);
		i++;
		if (key[0] != '_' && n < cap && !json_equal(v, m->value))
			out[n++] = key;
	}
	return i == s->nbefore ? n : diff_any_order(s, now, out, cap);
}
