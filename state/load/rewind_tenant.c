/*
 * state/load/rewind_tenant.c - a reset that puts a tenant back rather than
 * building it again (see rewind_tenant.h and state/rewind.h).
 */
#include "rewind_tenant.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../changelog.h"
#include "../deleted.h"
#include "../invitation.h"
#include "../mailbox.h"
#include "../model/model.h"
#include "../rewind.h"
#include "../subscription.h"
#include "export.h"

/* A fixture tenant that carries what only an export writes (deleted items,
 * a change log, subscriptions) is rebuilt: the record knows objects and
 * edges, not how to put those back. */
static bool fixture_is_plain(const json_t *tdoc)
{
	static const char *const keys[] = {"deletedItems", "changeLog", "subscriptions"};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const json_t *v = json_object_get(tdoc, keys[i]);

		if (v && !(json_is_array(v) && !json_array_size(v)) &&
		    !(json_is_object(v) && !json_object_size(v)))
			return false;
	}
	return true;
}

/* @doc with its app role assignments in id order: the export lists them in
 * the order they joined the table, which a rewind does not keep. */
static int cmp_assignment(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a, "id"));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b, "id"));

	return strcmp(x ? x : "", y ? y : "");
}

static json_t *comparable(json_t *doc)
{
	json_t *arr = json_object_get(doc, "appRoleAssignments");
	size_t n = json_array_size(arr);
	json_t **v;

	if (!n)
		return doc;
	v = malloc(n * sizeof(*v));
	if (!v)
		return doc;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof(*v), cmp_assignment);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
	return doc;
}

void fixture_tenant_track(struct state *st, struct tenant *t, const json_t *tdoc)
{
	if (!fixture_is_plain(tdoc)) {
		state_rewind_stop(t);
		return;
	}
	state_rewind_start(t);
	if (st->rewind_check)
		state_rewind_set_extra(t, comparable(state_export_tenant(t)));
}

/* Print to stderr the first element of array or value @key where @a and @b
 * differ, cut short: what a failed check needs to be read. */
static void show_difference(const char *key, const json_t *a, const json_t *b)
{
	size_t n = json_array_size(a) > json_array_size(b) ? json_array_size(a)
	                                                   : json_array_size(b);
	char *x, *y;

	for (size_t i = 0; json_is_array(a) && json_is_array(b) && i < n; i++) {
		if (json_equal(json_array_get(a, i), json_array_get(b, i)))
			continue;
		show_difference(key, json_array_get(a, i), json_array_get(b, i));
		return;
	}
	x = a ? json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
	y = b ? json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
	fprintf(stderr, "  %s built:   %.1500s\n  %s rewound: %.1500s\n", key,
	        x ? x : "(none)", key, y ? y : "(none)");
	free(x);
	free(y);
}

/* The export of @t against the one taken at its build: abort on a difference. */
static void check(const struct tenant *t, json_t *built)
{
	json_t *now = comparable(state_export_tenant(t));
	const char *key;
	json_t *v;

	if (!built || !now || json_equal(built, now)) {
		json_decref(now);
		return;
	}
	fprintf(stderr,
	        "graphmock: GRAPHMOCK_REWIND_CHECK: tenant %s rewound differs from its "
	        "build:\n",
	        t->id);
	json_object_foreach(built, key, v)
	{
		if (!json_equal(v, json_object_get(now, key)))
			show_difference(key, v, json_object_get(now, key));
	}
	json_object_foreach(now, key, v)
	{
		if (!json_object_get(built, key))
			show_difference(key, NULL, v);
	}
	abort();
}

int fixture_tenant_rewind(struct state *st, struct tenant *t, const json_t *tdoc,
                          const json_t *templates)
{
	json_t *gallery, *built;
	char err[200];
	int rc;

	if (!state_rewind_ready(t) || !fixture_is_plain(tdoc))
		return 1;
	gallery = templates ? json_deep_copy(templates) : json_array();
	if (!gallery)
		return 1;
	built = json_incref(state_rewind_extra(t));
	t->loading = true; /* nothing here is a change to log */
	rc = state_rewind(st, t);
	/* every deleted item was noted: taken back or dropped */
	if (!rc && t->deleted)
		rc = -1;
	if (!rc) {
		state_subscriptions_clear(t);
		state_changelog_free(t->changes);
		t->changes = NULL;
		state_invitations_clear(t);
		state_mailbox_clear(t);
		t->mail_seq = 0;
		t->deleted_next_purge_ms = 0;
		json_decref(t->templates);
		t->templates = gallery;
		gallery = NULL;
		rc = model_policy_load(t, json_object_get(tdoc, "authorizationPolicy"),
		                       err, sizeof(err)) ||
		             state_invitations_load(st, t,
		                                    json_object_get(tdoc, "invitations"),
		                                    "tenant", err, sizeof(err)) ||
		             state_mailbox_load(st, t, json_object_get(tdoc, "mailbox"),
		                                "tenant", err, sizeof(err))
		         ? -1
		         : 0;
	}
	t->loading = false;
	json_decref(gallery);
	if (!rc) {
		t->lag_applied = false; /* every object is as built: none lags */
		atomic_fetch_add(&st->rewinds, 1);
		if (st->rewind_check)
			check(t, built);
	}
	json_decref(built);
	return rc;
}
