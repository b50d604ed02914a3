/*
 * bench/mem.c - what a user costs in memory, by part: the fixture document
 * kept as the reset baseline (read as the server reads it: users as text,
 * state/frozen.h), the store's own structures (struct dobj, the UPN/mail
 * hash indexes, the seq and name orders), and the json_t tree a user becomes
 * once something reads it, measured with mallinfo2() around each step on
 * FIXTURE (the make bench-scale fixture). Links libgraphmock.a.
 * Usage: mem FIXTURE
 */
#include <fcntl.h>
#include <jansson.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../state/load/fixture_read.h"
#include "../state/load/tenants.h"
#include "../state/model/model.h"
#include "../state/state.h"

#define SAMPLE 10000

static size_t used(void)
{
	return mallinfo2().uordblks;
}

int main(int argc, char **argv)
{
	struct state st;
	char err[256];
	size_t m0, m1, m2, m3, users, json_bytes = 0, store_one, sampled;
	json_error_t jerr;
	json_t *doc, *copies;
	struct tenant *t;

	if (argc != 2)
		return 2;
	json_object_seed(1);
	m0 = used();
	{
		int fd = open(argv[1], O_RDONLY);
		doc = fd >= 0 ? fixture_read_fd(fd, &jerr) : NULL;
		if (fd >= 0)
			close(fd);
	}
	if (!doc)
		return 1;
	m1 = used();
	state_init(&st, 1);
	if (state_load(&st, doc, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	m2 = used();
	t = state_tenant_default(&st);
	users = state_dobj_count(t, DOBJ_USER);
	/* A user once read: the tree it is parsed and completed into, measured
	 * on the first SAMPLE users (parsed apart, the store left as it is). */
	copies = json_array();
	sampled = 0;
	for (struct dobj *d = state_dobj_first(t, DOBJ_USER); d && sampled < SAMPLE;
	     d = state_dobj_next(d), sampled++)
		json_array_append_new(copies, state_dobj_json_copy(d));
	m3 = used();
	json_bytes = m3 - m2;
	json_decref(copies);
	/* One more user added to the store: its dobj, index and order entries
	 * (measured without its json_t, which the tenant takes over). */
	{
		json_t *u =
		    json_pack("{s:s, s:s, s:s}", "displayName", "Mem probe",
		              "userPrincipalName", "probe@contoso.onmicrosoft.com",
		              "mail", "probe@contoso.onmicrosoft.com");
		size_t before, json_one;
		model_user_complete(&st, t, u);
		json_t *c = json_deep_copy(u);
		before = used();
		json_decref(c);
		json_one = before - used();
		/* added as a load adds it: no change-log entry (the tenant's log
		 * is created by its first entry, kilobytes at once) */
		t->loading = true;
		before = used();
		state_dobj_add(&st, t, DOBJ_USER, u);
		store_one = used() - before;
		t->loading = false;
		(void)json_one;
	}
	printf("users: %zu\n", users);
	printf("fixture document (the reset baseline, users as text): %zu MiB, %zu "
	       "bytes a user\n",
	       (m1 - m0) >> 20, (m1 - m0) / users);
	printf(
	    "tenant (objects, edges, assignments, indexes): %zu MiB, %zu bytes a user\n",
	    (m2 - m1) >> 20, (m2 - m1) / users);
	printf("  store structures of one user (dobj, UPN and mail index keys and "
	       "entries, seq and name order nodes): %zu bytes\n",
	       store_one);
	printf("  the rest (memberships both ways, app role assignments, groups, "
	       "hash tables): %zu bytes a user\n",
	       (m2 - m1) / users - store_one);
	printf("malloc'd in all: %zu MiB, %zu bytes a user\n", (m2 - m0) >> 20,
	       (m2 - m0) / users);
	printf("a user once read (its json_t tree; kept only below 4,096 users): %zu bytes\n",
	       sampled ? json_bytes / sampled : 0);
	state_release(&st);
	json_decref(doc);
	return 0;
}
