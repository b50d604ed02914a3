/*
 * server/faults/fault_index.c - request rules by (method, first segment):
 * a request looks in four buckets (its method or any, its segment or any)
 * and merges them in rule order.
 */
#include "fault_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../state/util/hash.h"
#include "fault.h"
#include "fault_match.h"

#define ANY_METHOD 7 /* fault_method_bit() knows 7 methods: bits 0..6 */
#define SEG_MAX    (FAULT_PATTERN_MAX + 1)
#define KEY_MAX    (SEG_MAX + 16)

struct fault_index_bucket {
	char key[KEY_MAX]; /* "<method slot>/<segment>" */
	unsigned *pos;     /* rule positions, ascending */
	size_t n, cap;
	UT_hash_handle hh;
};

static void buckets_free(struct fault_index_bucket **head)
{
	struct fault_index_bucket *b, *tmp;

	HASH_ITER(hh, *head, b, tmp)
	{
		HASH_DEL(*head, b);
		free(b->pos);
		free(b);
	}
}

void fault_index_release(struct fault_index *ix)
{
	buckets_free(&ix->buckets);
	ix->valid = false;
}

/* The first segment of @path (after the version), lower case; "" when none. */
static void first_segment(const char *path, char *out, size_t len)
{
	const char *bare = fault_path_strip_version(path);
	const char *p = bare ? bare : path;
	size_t n = 0;

	out[0] = '\0';
	if (*p != '/')
		return;
	for (p++; *p && *p != '/' && n + 1 < len; p++)
		out[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	out[n] = '\0';
	if (*p && *p != '/')
		out[0] = '\0'; /* longer than any rule's key: no keyed bucket */
}

void fault_index_rule_segment(const char *pattern, char *out, size_t len)
{
	out[0] = '\0';
	if (!pattern)
		return;
	first_segment(pattern, out, len);
	if (strpbrk(out, "*{"))
		out[0] = '\0'; /* not a literal: the rule may match any segment */
}

static void make_key(char *key, unsigned slot, const char *seg)
{
	snprintf(key, KEY_MAX, "%u/%s", slot, seg);
}

static int bucket_add(struct fault_index_bucket **head, unsigned slot, const char *seg,
                      unsigned pos)
{
	char key[KEY_MAX];
	struct fault_index_bucket *b, *check;

	make_key(key, slot, seg);
	HASH_FIND_STR(*head, key, b);
	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b)
			return -1;
		memcpy(b->key, key, sizeof(b->key));
		HASH_ADD_STR(*head, key, b);
		HASH_FIND_STR(*head, key, check);
		if (check != b) {
			free(b);
			return -1;
		}
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4;
		unsigned *grown = realloc(b->pos, cap * sizeof(*grown));
		if (!grown)
			return -1;
		b->pos = grown;
		b->cap = cap;
	}
	b->pos[b->n++] = pos;
	return 0;
}

int fault_index_build(struct fault_index *ix, struct fault_rule *const *rules, size_t n)
{
	struct fault_index_bucket *fresh = NULL;
	char seg[SEG_MAX];

	fault_index_release(ix);
	for (size_t i = 0; i < n; i++) {
		const struct fault_rule *r = rules[i];

		if (r->kind == FAULT_MAIL || r->kind == FAULT_LAG)
			continue;
		fault_index_rule_segment(r->path, seg, sizeof(seg));
		for (unsigned slot = 0; slot <= ANY_METHOD; slot++) {
			bool wanted =
			    slot == ANY_METHOD ? !r->methods : (r->methods >> slot) & 1;
			if (wanted && bucket_add(&fresh, slot, seg, (unsigned)i))
				goto out_fail;
		}
	}
	ix->buckets = fresh;
	ix->valid = true;
	return 0;

out_fail:
	buckets_free(&fresh);
	return -1;
}

static const struct fault_index_bucket *lookup(const struct fault_index *ix,
                                               unsigned slot, const char *seg)
{
	char key[KEY_MAX];
	struct fault_index_bucket *b;

	make_key(key, slot, seg);
	HASH_FIND_STR(ix->buckets, key, b);
	return b;
}

size_t fault_index_candidates(const struct fault_index *ix, const char *method,
                              const char *path, unsigned *out, size_t n)
{
	const struct fault_index_bucket *b[4];
	size_t at[4] = {0}, count = 0;
	unsigned bit = fault_method_bit(method), slot = 0;
	char seg[SEG_MAX];

	if (!ix->valid) {
		for (size_t i = 0; i < n; i++)
			out[i] = (unsigned)i;
		return n;
	}
	while (slot < ANY_METHOD && !(bit >> slot & 1))
		slot++;
	first_segment(path, seg, sizeof(seg));
	b[0] = bit ? lookup(ix, slot, seg) : NULL;
	b[1] = bit ? lookup(ix, slot, "") : NULL;
	b[2] = lookup(ix, ANY_METHOD, seg);
	b[3] = lookup(ix, ANY_METHOD, "");
	if (!seg[0])
		b[0] = b[2] = NULL; /* the same buckets as b[1] and b[3] */
	/* Merge the four ascending lists; a rule sits in one bucket per slot. */
	for (;;) {
		int best = -1;
		for (int k = 0; k < 4; k++)
			if (b[k] && at[k] < b[k]->n &&
			    (best < 0 || b[k]->pos[at[k]] < b[best]->pos[at[best]]))
				best = k;
		if (best < 0 || count == n)
			break;
		out[count++] = b[best]->pos[at[best]++];
	}
	return count;
}
