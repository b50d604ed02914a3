/*
 * state/load/tenants.c - the tenants' lifecycle: loading fixture documents into
 * the store (validated completely before anything changes), replacing,
 * resetting, cloning and removing tenants, and releasing the state.
 */
#include "tenants.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fixture.h"

static void tenants_free(struct tenant **head)
{
	struct tenant *t, *tmp;

	HASH_ITER(hh, *head, t, tmp)
	{
		HASH_DEL(*head, t);
		fixture_tenant_free(t);
	}
}

void state_release(struct state *st)
{
	tenants_free(&st->tenants);
	json_decref(st->templates);
	json_decref(st->fixture);
	pthread_mutex_destroy(&st->id_lock);
	pthread_rwlock_destroy(&st->registry);
}

/*
 * Build every tenant of @doc, each with a copy of gallery @templates, into
 * @out; nothing in @st changes but the id stream.
 */
static int build_tenants(struct state *st, const json_t *doc, const json_t *templates,
                         struct tenant **out, char *err, size_t errlen)
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

int state_load(struct state *st, const json_t *doc, char *err, size_t errlen)
{
	struct tenant *fresh = NULL;
	const char *key;
	json_t *value;
	int rc;

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
	if (fixture_templates_check(json_object_get(doc, "applicationTemplates"), err,
	                            errlen))
		return -1;
	json_t *templates = json_deep_copy(json_object_get(doc, "applicationTemplates"));
	json_t *keep = json_deep_copy(doc);
	if (!keep || (!templates && json_object_get(doc, "applicationTemplates"))) {
		snprintf(err, errlen, "$: out of memory");
		json_decref(keep);
		json_decref(templates);
		return -1;
	}
	rc = build_tenants(st, doc, templates, &fresh, err, errlen);
	if (rc) {
		json_decref(keep);
		json_decref(templates);
		return -1;
	}
	tenants_free(&st->tenants);
	st->tenants = fresh;
	json_decref(st->templates);
	st->templates = templates ? templates : json_array();
	json_decref(st->fixture);
	st->fixture = keep;
	return 0;
}

int state_replace(struct state *st, const json_t *doc, char *err, size_t errlen)
{
	json_t *baseline = json_incref(st->fixture);
	int rc = state_load(st, doc, err, errlen);

	/* state_load() keeps what it loads as the reset baseline: keep the
	 * fixtures instead. */
	if (!rc && baseline) {
		json_decref(st->fixture);
		st->fixture = baseline;
		baseline = NULL;
	}
	json_decref(baseline);
	return rc;
}

int state_reset(struct state *st)
{
	char err[256];
	json_t *doc = json_incref(st->fixture);
	int rc;

	/* Same seed, same ids: a reset tenant looks exactly like a fresh start. */
	pthread_mutex_lock(&st->id_lock);
	rng_seed(&st->rng, st->seed);
	pthread_mutex_unlock(&st->id_lock);
	atomic_store(&st->next_seq, 0);
	rc = state_load(st, doc, err, sizeof(err));
	json_decref(doc);
	return rc;
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

/* Mark @t a copy of fixture tenant @tdoc (by its id, else the default tenant's). */
static void copy_mark(struct state *st, struct tenant *t, const json_t *tdoc)
{
	const char *src = json_string_value(json_object_get(tdoc, "id"));
	const struct tenant *def = state_tenant_default(st);

	if (guid_valid(src))
		guid_lower(src, t->copy_of);
	else
		snprintf(t->copy_of, sizeof(t->copy_of), "%s", def ? def->id : t->id);
}

struct tenant *state_tenant_create(struct state *st, const char *display,
                                   const char *domain)
{
	const json_t *tdoc = json_array_get(json_object_get(st->fixture, "tenants"), 0);
	char id[GUID_STR_LEN + 1];
	char err[256];
	struct tenant *t, *check;

	if (!tdoc || (domain && state_tenant_find(st, domain)))
		return NULL;
	guid_random(id);
	t = fixture_tenant_build(st, tdoc, st->templates, "tenants[0]", id, err,
	                         sizeof(err));
	if (!t)
		return NULL;
	/* Without a domain of its own it is a copy sharing the fixture tenant's:
	 * marked so, a domain still names one tenant (state_tenant_find). */
	if (!domain)
		copy_mark(st, t, tdoc);
	if (replace_string(&t->display_name, display) ||
	    replace_string(&t->domain, domain)) {
		fixture_tenant_free(t);
		return NULL;
	}
	HASH_ADD_STR(st->tenants, id, t);
	HASH_FIND_STR(st->tenants, t->id, check);
	if (check != t) {
		fixture_tenant_free(t);
		return NULL;
	}
	return t;
}

/* The fixture object a tenant was built from: same id, else the first tenant. */
static const json_t *fixture_doc_for(const struct state *st, const char *id)
{
	const json_t *arr = json_object_get(st->fixture, "tenants");
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

int state_tenant_reset(struct state *st, struct tenant *t)
{
	const json_t *tdoc = fixture_doc_for(st, t->id);
	struct tenant *fresh, *check;
	char err[256];

	if (!tdoc)
		return -1;
	fresh = fixture_tenant_build(st, tdoc, st->templates, "tenant", t->id, err,
	                             sizeof(err));
	if (!fresh || replace_string(&fresh->display_name, t->display_name) ||
	    replace_string(&fresh->domain, t->domain)) {
		fixture_tenant_free(fresh);
		return -1;
	}
	memcpy(fresh->copy_of, t->copy_of, sizeof(fresh->copy_of));
	/* Deleting never allocates, and the table does not grow: the swap cannot
	 * fail halfway in practice, but if the add does, put the old tenant back. */
	HASH_DEL(st->tenants, t);
	HASH_ADD_STR(st->tenants, id, fresh);
	HASH_FIND_STR(st->tenants, t->id, check);
	if (check != fresh) {
		fixture_tenant_free(fresh);
		HASH_ADD_STR(st->tenants, id, t);
		return -1;
	}
	fixture_tenant_free(t);
	return 0;
}

void state_tenant_remove(struct state *st, struct tenant *t)
{
	HASH_DEL(st->tenants, t);
	fixture_tenant_free(t);
}
