/*
 * state/load/tenants.c - the tenants' lifecycle: loading fixture documents into
 * the store (validated completely before anything changes), replacing,
 * resetting, cloning and removing tenants, and releasing the state. The long
 * part of each (building tenants, freeing them) runs with no lock held; only
 * the swap that makes it visible takes the registry (or one tenant's) lock.
 */
#include "tenants.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../deleted.h"
#include "../grant.h"
#include "../model/model.h"
#include "../rewind.h"
#include "../usage.h"
#include "fixture.h"
#include "rewind_tenant.h"

/* Past this many objects freed at once, hand the memory back to the system. */
#define TRIM_OBJECTS 10000

void state_tenant_get(struct tenant *t)
{
	atomic_fetch_add(&t->refs, 1);
}

static size_t object_count(const struct tenant *t)
{
	return HASH_COUNT(t->objects);
}

void state_tenant_put(struct tenant *t)
{
	size_t n;

	if (!t || atomic_fetch_sub(&t->refs, 1) != 1)
		return;
	n = object_count(t);
	fixture_tenant_free(t);
	if (n > TRIM_OBJECTS)
		state_alloc_trim();
}

/* Drop the registry's reference to every tenant of @head (freed when no
 * export still holds one). */
static void tenants_free(struct tenant **head)
{
	struct tenant *t, *tmp;
	size_t n = 0;

	HASH_ITER(hh, *head, t, tmp)
	{
		HASH_DEL(*head, t);
		if (atomic_fetch_sub(&t->refs, 1) != 1)
			continue; /* an export still holds it: freed by its put */
		n += object_count(t);
		fixture_tenant_free(t);
	}
	if (n > TRIM_OBJECTS)
		state_alloc_trim();
}

void state_release(struct state *st)
{
	tenants_free(&st->tenants);
	json_decref(st->templates);
	json_decref(st->fixture);
	state_grants_clear(st);
	state_usage_clear(st);
	pthread_mutex_destroy(&st->usage_lock);
	pthread_mutex_destroy(&st->grant_lock);
	pthread_mutex_destroy(&st->id_lock);
	pthread_rwlock_destroy(&st->registry);
}

/*
 * Build every tenant of @doc, each with a copy of gallery @templates, into
 * @out; nothing in @st changes but the id stream. @baseline: @doc is the
 * fixture, which resets return to (each tenant's changes are recorded).
 */
static int build_tenants(struct state *st, const json_t *doc, const json_t *templates,
                         bool baseline, struct tenant **out, char *err, size_t errlen)
{
	const json_t *arr = json_object_get(doc, "tenants");
	char path[48];
	size_t i;
	json_t *tdoc;

	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		snprintf(err, errlen, "tenants: a non-empty array is required");
		return -1;
	}
	json_array_foreach(arr, i, tdoc)
	{
		struct tenant *t, *dup;
		snprintf(path, sizeof(path), "tenants[%zu]", i);
		t = fixture_tenant_build(st, tdoc, templates, path, NULL, err, errlen);
		if (!t)
			goto out_free;
		if (baseline)
			fixture_tenant_track(st, t, tdoc);
		HASH_FIND_STR(*out, t->id, dup);
		if (dup) {
			snprintf(err, errlen, "%s.id: '%s' is used by another tenant",
			         path, t->id);
			fixture_tenant_free(t);
			goto out_free;
		}
		/* The API's rule (POST /_mock/tenants): a domain names one tenant;
		 * only copies ("copyOf") share their original's. */
		for (dup = *out; dup; dup = dup->hh.next)
			if (!strcasecmp(dup->domain, t->domain) && !dup->copy_of[0] &&
			    !t->copy_of[0])
				break;
		if (dup) {
			snprintf(
			    err, errlen,
			    "%s.domain: '%s' is the domain of another tenant (only a "
			    "tenant with \"copyOf\" may share it)",
			    path, t->domain);
			fixture_tenant_free(t);
			goto out_free;
		}
		HASH_ADD_STR(*out, id, t);
		HASH_FIND_STR(*out, t->id, dup);
		if (dup != t) {
			snprintf(err, errlen, "%s: out of memory", path);
			fixture_tenant_free(t);
			goto out_free;
		}
	}
	return 0;

out_free:
	tenants_free(out);
	return -1;
}

/* A fixture document built into tenants, not installed yet. */
struct built {
	struct tenant *tenants;
	json_t *templates; /* the gallery as loaded */
	json_t *doc;       /* the document (a reference), the reset baseline */
};

static void built_release(struct built *b)
{
	tenants_free(&b->tenants);
	json_decref(b->templates);
	json_decref(b->doc);
	memset(b, 0, sizeof(*b));
}

/* Does @doc hold a password or app credential in clear (model_fixture_hash_secrets)? */
static bool fixture_has_clear_secrets(const json_t *doc)
{
	size_t i, j;
	json_t *t, *o;

	json_array_foreach(json_object_get(doc, "tenants"), i, t)
	{
		json_array_foreach(json_object_get(t, "users"), j, o)
		{
			if (json_object_get(json_object_get(o, "passwordProfile"),
			                    "password"))
				return true;
		}
		json_array_foreach(json_object_get(t, "applications"), j, o)
		{
			if (json_array_size(json_object_get(o, "passwordCredentials")) ||
			    json_array_size(json_object_get(o, "keyCredentials")))
				return true;
		}
	}
	return false;
}

/* Validate @doc completely and build its tenants; nothing in @st changes but
 * the id stream. @baseline as build_tenants(). No lock needed. */
static int build(struct state *st, const json_t *doc, bool baseline, struct built *out,
                 char *err, size_t errlen)
{
	const json_t *templates = json_object_get(doc, "applicationTemplates");
	const char *key;
	json_t *value;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(doc)) {
		snprintf(err, errlen, "$: the fixture must be a JSON object");
		return -1;
	}
	json_object_foreach((json_t *)doc, key, value)
	{
		if (strcmp(key, "tenants") && strcmp(key, "applicationTemplates") &&
		    strcmp(key, "$schema") && strcmp(key, "description")) {
			snprintf(err, errlen, "%s: unknown key", key);
			return -1;
		}
	}
	if (fixture_templates_check(templates, err, errlen))
		return -1;
	out->templates = templates ? json_deep_copy(templates) : json_array();
	/* Kept as it is when there is nothing to hash (a fixture of a million
	 * users is big); else a copy with its secrets hashed once, which resets
	 * and new tenants reuse. */
	if (fixture_has_clear_secrets(doc)) {
		out->doc = json_deep_copy(doc);
		if (out->doc && model_fixture_hash_secrets(out->doc)) {
			json_decref(out->doc);
			out->doc = NULL;
		}
	} else {
		out->doc = json_incref((json_t *)doc);
	}
	if (!out->templates || !out->doc) {
		snprintf(err, errlen, "$: out of memory");
		built_release(out);
		return -1;
	}
	if (build_tenants(st, out->doc, out->templates, baseline, &out->tenants, err,
	                  errlen)) {
		built_release(out);
		return -1;
	}
	return 0;
}

/* Make @b the state (registry held exclusive); @b gets what it replaced. */
static void install(struct state *st, struct built *b, bool baseline)
{
	struct tenant *tenants = st->tenants;
	json_t *templates = st->templates, *doc = st->fixture;

	st->tenants = b->tenants;
	st->templates = b->templates;
	b->tenants = tenants;
	b->templates = templates;
	if (baseline) {
		st->fixture = b->doc;
		b->doc = doc;
	}
}

/* The id stream as a load of the fixture leaves it (see rng_built). */
static void rng_mark_built(struct state *st)
{
	pthread_mutex_lock(&st->id_lock);
	st->rng_built = st->rng;
	pthread_mutex_unlock(&st->id_lock);
}

int state_load(struct state *st, const json_t *doc, char *err, size_t errlen)
{
	struct built b;

	if (build(st, doc, true, &b, err, errlen))
		return -1;
	rng_mark_built(st);
	install(st, &b, true);
	built_release(&b);
	return 0;
}

int state_replace(struct state *st, const json_t *doc, char *err, size_t errlen)
{
	struct built b;

	if (build(st, doc, false, &b, err, errlen))
		return -1;
	state_registry_write(st);
	install(st, &b, false); /* the fixtures stay what a reset returns to */
	state_registry_unlock(st);
	built_release(&b); /* the old tenants, freed with no lock held */
	return 0;
}

/*
 * The fixture tenant of @tdoc in the registry when it can rewind, else NULL.
 * Registry lock held.
 */
static struct tenant *rewindable(struct state *st, const json_t *tdoc)
{
	const char *id = json_string_value(json_object_get(tdoc, "id"));
	char key[GUID_STR_LEN + 1];
	struct tenant *t;

	if (!guid_valid(id)) /* its id was drawn at the build: a rebuild draws it */
		return NULL;
	guid_lower(id, key);
	HASH_FIND_STR(st->tenants, key, t);
	return t && state_rewind_ready(t) ? t : NULL;
}

/*
 * Every tenant back as the fixture built it, by rewinding each (the
 * registry held exclusive, so no request sees one tenant reset and another
 * not), and the tenants made since dropped. 1: some fixture tenant cannot
 * rewind (deleted, replaced by a state import, or its record lost), nothing
 * changed; -1: one failed half way (out of memory), the caller rebuilds; 0.
 */
static int reset_by_rewind(struct state *st)
{
	const json_t *arr = json_object_get(st->fixture, "tenants");
	struct tenant *t = st->tenants, *next, *gone = NULL;
	size_t i, undone = 0;
	json_t *tdoc;
	int rc = 0;

	/* the fixture's tenants first, in its order, as a load leaves them */
	json_array_foreach(arr, i, tdoc)
	{
		if (!t || rewindable(st, tdoc) != t)
			return 1;
		t = t->hh.next;
	}
	json_array_foreach(arr, i, tdoc)
	{
		struct tenant *f = rewindable(st, tdoc);

		state_tenant_lock(f);
		undone += state_rewind_notes(f);
		rc = fixture_tenant_rewind(st, f, tdoc, st->templates);
		state_tenant_unlock(f);
		if (rc)
			return -1;
	}
	for (; t; t = next) {
		next = t->hh.next;
		HASH_DEL(st->tenants, t);
		t->hh.next = gone;
		gone = t;
	}
	pthread_mutex_lock(&st->id_lock);
	st->rng = st->rng_built;
	pthread_mutex_unlock(&st->id_lock);
	state_registry_unlock(st);
	for (; gone; gone = next) { /* freed with no lock held */
		next = gone->hh.next;
		state_tenant_put(gone);
	}
	/* what long rewinds freed, back to the system */
	if (undone > TRIM_OBJECTS)
		state_alloc_trim();
	state_registry_write(st);
	return 0;
}

int state_reset(struct state *st)
{
	char err[256];
	struct built b;
	json_t *doc;
	int rc;

	/* a reset signs everybody out and starts a new permission report */
	state_grants_clear(st);
	state_usage_clear(st);
	state_registry_write(st);
	rc = st->fixture ? reset_by_rewind(st) : 1;
	doc = json_incref(st->fixture);
	state_registry_unlock(st);
	if (!rc) {
		json_decref(doc);
		return 0;
	}
	/* Same seed, same ids: a reset tenant looks exactly like a fresh start
	 * (unless requests draw ids while it is built). */
	pthread_mutex_lock(&st->id_lock);
	rng_seed(&st->rng, st->seed);
	pthread_mutex_unlock(&st->id_lock);
	rc = doc ? build(st, doc, true, &b, err, sizeof(err)) : -1;
	json_decref(doc);
	if (rc)
		return -1;
	rng_mark_built(st);
	state_registry_write(st);
	install(st, &b, true);
	state_registry_unlock(st);
	built_release(&b);
	return 0;
}

/* Replace *@field with a copy of @value when @value is non-NULL. 0 or -1 (OOM). */
static int replace_string(char **field, const char *value)
{
	char *copy;

	if (!value)
		return 0;
	copy = state_strdup(value);
	if (!copy)
		return -1;
	state_free(*field);
	*field = copy;
	return 0;
}

/* The fixture and gallery, referenced, for a build with no lock held. */
static void baseline_get(struct state *st, json_t **fixture, json_t **templates)
{
	state_registry_read(st);
	*fixture = json_incref(st->fixture);
	*templates = json_incref(st->templates);
	state_registry_unlock(st);
}

/* Mark @t a copy of fixture tenant @tdoc (its id, else the first tenant's). */
static void copy_mark(struct state *st, struct tenant *t, const json_t *tdoc)
{
	const char *src = json_string_value(json_object_get(tdoc, "id"));
	const struct tenant *def;

	if (guid_valid(src)) {
		guid_lower(src, t->copy_of);
		return;
	}
	state_registry_read(st);
	def = state_tenant_default(st);
	snprintf(t->copy_of, sizeof(t->copy_of), "%s", def ? def->id : t->id);
	state_registry_unlock(st);
}

struct tenant *state_tenant_create(struct state *st, const char *display,
                                   const char *domain)
{
	json_t *fixture, *templates;
	const json_t *tdoc;
	char id[GUID_STR_LEN + 1];
	char err[256];
	struct tenant *t = NULL, *check;

	baseline_get(st, &fixture, &templates);
	tdoc = json_array_get(json_object_get(fixture, "tenants"), 0);
	if (!tdoc)
		goto out;
	guid_random(id);
	t = fixture_tenant_build(st, tdoc, templates, "tenants[0]", id, err, sizeof(err));
	if (!t)
		goto out;
	/* Without a domain of its own it is a copy sharing the fixture tenant's:
	 * marked so, a domain still names one tenant (state_tenant_find). */
	if (!domain)
		copy_mark(st, t, tdoc);
	if (replace_string(&t->display_name, display) ||
	    replace_string(&t->domain, domain))
		goto out_free;
	fixture_tenant_track(st, t, tdoc); /* (its name is part of the export) */
	state_registry_write(st);
	if (domain && state_tenant_find(st, domain)) {
		state_registry_unlock(st);
		goto out_free;
	}
	HASH_ADD_STR(st->tenants, id, t);
	HASH_FIND_STR(st->tenants, t->id, check);
	if (check == t)
		state_tenant_get(t); /* the caller's reference */
	state_registry_unlock(st);
	if (check != t)
		goto out_free;
out:
	json_decref(fixture);
	json_decref(templates);
	return t;
out_free:
	state_tenant_put(t);
	t = NULL;
	goto out;
}

/* The fixture object a tenant was built from: same id, else the first tenant. */
static const json_t *fixture_doc_for(const json_t *fixture, const char *id)
{
	const json_t *arr = json_object_get(fixture, "tenants");
	size_t i;
	json_t *tdoc;

	json_array_foreach(arr, i, tdoc)
	{
		const char *tid = json_string_value(json_object_get(tdoc, "id"));
		if (tid && !strcasecmp(tid, id))
			return tdoc;
	}
	return json_array_get(arr, 0);
}

/* Exchange everything @a and @b hold, but who they are (id, names, lock). */
static void swap_contents(struct tenant *a, struct tenant *b)
{
	struct tenant tmp = *a;

#define SWAP(field)                                                                      \
	do {                                                                             \
		a->field = b->field;                                                     \
		b->field = tmp.field;                                                    \
	} while (0)
	SWAP(loading);
	SWAP(names_later);
	SWAP(lag_applied);
	SWAP(by_upn);
	SWAP(upn_ordered);
	SWAP(by_created);
	SWAP(guests);
	SWAP(expect);
	SWAP(templates);
	SWAP(objects);
	SWAP(assignments);
	SWAP(invitations);
	SWAP(invitations_by_user);
	SWAP(mailbox);
	SWAP(mail_seq);
	SWAP(changes);
	SWAP(deleted);
	SWAP(deleted_next_purge_ms);
	SWAP(subscriptions);
	SWAP(rewind);
	SWAP(parsed);
	SWAP(nparsed);
	SWAP(cap_parsed);
	for (int k = 0; k < DOBJ_KIND_COUNT; k++) {
		SWAP(by_kind[k]);
		SWAP(kind_count[k]);
		SWAP(by_seq[k]);
		SWAP(by_name[k]);
	}
	for (int k = 0; k < IDX_COUNT; k++)
		SWAP(idx[k]);
#undef SWAP
	memcpy(a->allow_invites_from, b->allow_invites_from,
	       sizeof(a->allow_invites_from));
	memcpy(b->allow_invites_from, tmp.allow_invites_from,
	       sizeof(b->allow_invites_from));
	memcpy(a->guest_role_id, b->guest_role_id, sizeof(a->guest_role_id));
	memcpy(b->guest_role_id, tmp.guest_role_id, sizeof(b->guest_role_id));
	/* Each object names its tenant: the struct, which stays, not the builder. */
	for (struct dobj *d = a->objects; d; d = d->hh.next)
		d->tenant = a;
	for (struct dobj *d = b->objects; d; d = d->hh.next)
		d->tenant = b;
	for (struct deleted_item *it = a->deleted; it; it = it->hh.next)
		it->d->tenant = a;
	for (struct deleted_item *it = b->deleted; it; it = it->hh.next)
		it->d->tenant = b;
}

int state_tenant_reset(struct state *st, struct tenant *t)
{
	json_t *fixture, *templates;
	const json_t *tdoc;
	struct tenant *fresh = NULL;
	char err[256];
	size_t undone;
	int rc = -1, rewound;

	baseline_get(st, &fixture, &templates);
	tdoc = fixture_doc_for(fixture, t->id);
	if (!tdoc)
		goto out;
	/* In time with what changed, when the tenant kept a record of it. */
	state_tenant_lock(t);
	undone = state_rewind_notes(t);
	rewound = fixture_tenant_rewind(st, t, tdoc, templates);
	if (rewound > 0) /* not tracked: built with no lock held */
		state_tenant_unlock(t);
	if (rewound) {
		/* Half rewound (out of memory) it is rebuilt with @t still locked,
		 * so no request sees it half way. */
		fresh = fixture_tenant_build(st, tdoc, templates, "tenant", t->id, err,
		                             sizeof(err));
		if (fresh)
			fixture_tenant_track(st, fresh, tdoc);
		if (rewound > 0)
			state_tenant_lock(t);
		if (fresh)
			swap_contents(t, fresh);
	}
	state_tenant_unlock(t);
	rc = rewound && !fresh ? -1 : 0;
	state_tenant_put(fresh); /* the old contents */
	/* what a long rewind freed, back to the system */
	if (!rewound && undone > TRIM_OBJECTS)
		state_alloc_trim();
out:
	json_decref(fixture);
	json_decref(templates);
	return rc;
}

int state_tenant_reset_id(struct state *st, const char *id_or_domain)
{
	struct tenant *t;
	int rc;

	state_registry_read(st);
	t = state_tenant_find(st, id_or_domain);
	if (t)
		state_tenant_get(t);
	state_registry_unlock(st);
	if (!t)
		return 1;
	rc = state_tenant_reset(st, t);
	state_tenant_put(t);
	return rc;
}

void state_tenant_remove(struct state *st, struct tenant *t)
{
	HASH_DEL(st->tenants, t);
	state_tenant_put(t);
}

int state_tenant_remove_id(struct state *st, const char *id_or_domain)
{
	struct tenant *t;

	state_registry_write(st);
	t = state_tenant_find(st, id_or_domain);
	if (t)
		HASH_DEL(st->tenants, t);
	state_registry_unlock(st);
	if (!t)
		return 1;
	state_tenant_put(t); /* freed with no lock held */
	return 0;
}
