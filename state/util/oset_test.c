/*
 * state/util/oset_test.c - the ordered set against a sorted array: random
 * inserts and removes, then every seek, every step back and the whole walk
 * (both ways) agree; appends and removes at the end (the O(1) path) keep
 * every level and its tail right.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oset.h"

#define N 3000

struct ref {
	char key[8];
	uint64_t seq;
	bool in;
};

static struct ref refs[N];
static uint64_t r = 12345;

static unsigned rnd(unsigned n)
{
	r = r * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((r >> 33) % n);
}

static int by_key(const void *a, const void *b)
{
	const struct ref *x = *(struct ref *const *)a, *y = *(struct ref *const *)b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Every level sorted, its nodes tall enough, and its tail its last node. */
static void check_levels(const struct oset *set)
{
	for (unsigned l = 0; l < OSET_LEVELS; l++) {
		const struct oset_node *last = set->head;
		for (const struct oset_node *o = set->head->next[l]; o; o = o->next[l]) {
			assert_true(o->level > l);
			if (last != set->head) {
				int c = strcmp(last->key, o->key);
				assert_true(c < 0 || (c == 0 && last->seq < o->seq));
			}
			last = o;
		}
		assert_ptr_equal(set->tail[l], last);
	}
}

static void test_agrees_with_sorted_array(void **s)
{
	struct oset set = {0};
	struct ref *sorted[N];
	size_t n = 0;

	(void)s;
	for (int i = 0; i < N; i++) {
		snprintf(refs[i].key, sizeof(refs[i].key), "%c%c", 'a' + rnd(5),
		         'a' + rnd(5));
		refs[i].seq = rnd(50);
	}
	for (int round = 0; round < 20000; round++) {
		struct ref *x = &refs[rnd(N)];
		if (!x->in) {
			bool dup = false;
			for (int i = 0; i < N; i++)
				dup |= refs[i].in && !strcmp(refs[i].key, x->key) &&
				       refs[i].seq == x->seq;
			if (dup)
				continue;
			assert_int_equal(oset_insert(&set, x->key, x->seq, x), 0);
			x->in = true;
		} else {
			assert_int_equal(oset_remove(&set, x->key, x->seq), 0);
			assert_int_equal(oset_remove(&set, x->key, x->seq), 1);
			x->in = false;
		}
	}
	for (int i = 0; i < N; i++)
		if (refs[i].in)
			sorted[n++] = &refs[i];
	qsort(sorted, n, sizeof(*sorted), by_key);
	check_levels(&set);
	assert_int_equal(set.count, n);
	size_t k = 0;
	for (struct oset_node *o = oset_first(&set); o; o = oset_next(o), k++)
		assert_ptr_equal(o->val, sorted[k]);
	assert_int_equal(k, n);
	/* seek: the first at or after any (key, seq) */
	for (int i = 0; i < 2000; i++) {
		char key[8];
		uint64_t seq = rnd(60);
		struct oset_node *o;
		size_t want = 0;
		snprintf(key, sizeof(key), "%c%c", 'a' + rnd(6), 'a' + rnd(6));
		while (want < n &&
		       (strcmp(sorted[want]->key, key) < 0 ||
		        (!strcmp(sorted[want]->key, key) && sorted[want]->seq < seq)))
			want++;
		o = oset_seek(&set, key, seq);
		if (want == n)
			assert_null(o);
		else
			assert_ptr_equal(o->val, sorted[want]);
		/* before: the one in front of it */
		o = oset_before(&set, key, seq);
		if (want == 0)
			assert_null(o);
		else
			assert_ptr_equal(o->val, sorted[want - 1]);
	}
	assert_ptr_equal(oset_last(&set)->val, sorted[n - 1]);
	/* backwards from the last, one oset_before() a step: every entry */
	k = n;
	for (struct oset_node *o = oset_last(&set); o;
	     o = oset_before(&set, o->key, o->seq))
		assert_ptr_equal(o->val, sorted[--k]);
	assert_int_equal(k, 0);
	oset_release(&set);
	assert_null(oset_first(&set));
	assert_null(oset_last(&set));
	assert_null(oset_before(&set, "a", 0));
}

/* The seq orders' pattern: appends (the O(1) path), removes of the last
 * entry and of others, appends again; the walk matches the entries kept. */
static void test_appends_after_removes(void **s)
{
	static bool in[N];
	struct oset set = {0};
	uint64_t next = 0;
	size_t n = 0;

	(void)s;
	for (int round = 0; round < 20000; round++) {
		unsigned what = rnd(10);
		if (what < 6 && next < N) {
			assert_int_equal(oset_insert(&set, "k", next, &in[next]), 0);
			in[next++] = true;
			n++;
		} else if (what < 8 && n) {
			uint64_t last = next;
			while (!in[--last])
				;
			assert_int_equal(oset_remove(&set, "k", last), 0);
			in[last] = false;
			n--;
		} else if (next) {
			uint64_t x = rnd((unsigned)next);
			assert_int_equal(oset_remove(&set, "k", x), in[x] ? 0 : 1);
			n -= in[x];
			in[x] = false;
		}
		if (round % 997 == 0)
			check_levels(&set);
	}
	check_levels(&set);
	assert_int_equal(set.count, n);
	uint64_t want = 0;
	for (struct oset_node *o = oset_first(&set); o; o = oset_next(o), want++) {
		while (!in[want])
			want++;
		assert_int_equal(o->seq, want);
		assert_ptr_equal(o->val, &in[want]);
	}
	while (want < next)
		assert_false(in[want++]);
	oset_release(&set);
	assert_null(oset_first(&set));
}

/* Copied keys: the entry keeps its own, sorted, found and freed with it. */
static void test_copied_keys(void **s)
{
	struct oset set = {0};
	char key[16];

	(void)s;
	for (int i = 0; i < 500; i++) {
		snprintf(key, sizeof(key), "k%03d", (i * 7) % 500);
		assert_int_equal(oset_insert_copy(&set, key, (uint64_t)i, NULL), 0);
	}
	memset(key, 'x', sizeof(key) - 1); /* the caller's buffer, reused */
	assert_int_equal(oset_insert_copy(&set, NULL, 9999, NULL), 0); /* as "" */
	check_levels(&set);
	assert_int_equal(set.count, 501);
	assert_string_equal(oset_first(&set)->key, "");
	assert_string_equal(oset_next(oset_first(&set))->key, "k000");
	assert_string_equal(oset_seek(&set, "k250", 0)->key, "k250");
	for (int i = 0; i < 500; i += 2) {
		snprintf(key, sizeof(key), "k%03d", (i * 7) % 500);
		assert_int_equal(oset_remove(&set, key, (uint64_t)i), 0);
	}
	check_levels(&set);
	assert_int_equal(set.count, 251);
	oset_release(&set); /* the rest, keys and all (ASan: no leak) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_agrees_with_sorted_array),
	    cmocka_unit_test(test_appends_after_removes),
	    cmocka_unit_test(test_copied_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
