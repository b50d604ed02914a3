/*
 * state/schema/schema.c - lookups over the generated schema tables
 * (schema_gen.c): binary searches by ASCII-folded name with OData's "exact
 * match first, else the unique case-insensitive one" rule (schema.h).
 */
#include <stdio.h>
#include <string.h>

#include "schema.h"

/* Longest type name schema_type_find() accepts; Graph's are under 100. */
#define NAME_MAX_LEN 256

static unsigned char fold(char c)
{
	unsigned char u = (unsigned char)c;

	return u >= 'A' && u <= 'Z' ? (unsigned char)(u + ('a' - 'A')) : u;
}

/*
 * Compare @key (@len bytes) with @name, byte by byte after folding: the order
 * gen_schema.py sorts the indexes in (Python's str.lower() on ASCII, then
 * bytes, a prefix first).
 */
static int fold_cmp(const char *key, size_t len, const char *name)
{
	size_t i;

	for (i = 0; i < len && name[i]; i++) {
		int d = fold(key[i]) - fold(name[i]);
		if (d)
			return d;
	}
	if (i < len)
		return 1;
	return name[i] ? -1 : 0;
}

static bool exact(const char *key, size_t len, const char *name)
{
	return !strncmp(key, name, len) && name[len] == '\0';
}

/* One sorted index: the name of its i-th entry in folded order. */
struct index {
	const void *tab;
	size_t n;
	const char *(*name_at)(const struct index *ix, size_t i);
};

/*
 * find() - the position in @ix of @key: its exact match when there is one,
 * else its only case-insensitive match. Returns false when there is none, or
 * several and none exact (ambiguous, as the OData libraries answer).
 */
static bool find(const struct index *ix, const char *key, size_t len, size_t *pos)
{
	size_t lo = 0, hi = ix->n, matches = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fold_cmp(key, len, ix->name_at(ix, mid)) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < ix->n; i++) {
		const char *name = ix->name_at(ix, i);
		if (fold_cmp(key, len, name))
			break;
		if (exact(key, len, name)) {
			*pos = i;
			return true;
		}
		if (!matches++)
			*pos = i;
	}
	return matches == 1;
}

static const char *type_at(const struct index *ix, size_t i)
{
	return ((const struct schema_type *)ix->tab)[i].name;
}

static const char *prop_at(const struct index *ix, size_t i)
{
	const struct schema_type *t = ix->tab;

	return t->all[t->all_by_name[i]]->name;
}

static const char *member_at(const struct index *ix, size_t i)
{
	const struct schema_type *t = ix->tab;

	return t->members[t->members_by_name[i]].name;
}

static const char *source_at(const struct index *ix, size_t i)
{
	return ((const struct schema_source *)ix->tab)[i].name;
}

/* Does @s start with @prefix, folded? */
static bool has_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strlen(s) >= n && !fold_cmp(s, n, prefix);
}

const struct schema_type *schema_type_find(const char *name)
{
	struct index ix = {schema_types, schema_ntypes, type_at};
	char buf[NAME_MAX_LEN];
	const char *prefix = "";
	size_t pos;
	int n;

	if (!name)
		return NULL;
	if (*name == '#')
		name++;
	/* "graph." is the alias Graph's own $metadata and Kiota's casts use. */
	if (has_prefix(name, "graph."))
		prefix = "microsoft.";
	else if (!strchr(name, '.'))
		prefix = SCHEMA_NAMESPACE ".";
	n = snprintf(buf, sizeof(buf), "%s%s", prefix, name);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	if (!find(&ix, buf, (size_t)n, &pos))
		return NULL;
	return &schema_types[pos];
}

int schema_property_slot(const struct schema_type *type, const char *name, size_t len)
{
	struct index ix = {type, type ? type->nall : 0, prop_at};
	size_t pos;

	if (!type || !name || !find(&ix, name, len, &pos))
		return -1;
	return (int)type->all_by_name[pos];
}

const struct schema_property *schema_property_find_len(const struct schema_type *type,
                                                       const char *name, size_t len)
{
	int slot = schema_property_slot(type, name, len);

	return slot < 0 ? NULL : type->all[slot];
}

const struct schema_property *schema_property_find(const struct schema_type *type,
                                                   const char *name)
{
	return name ? schema_property_find_len(type, name, strlen(name)) : NULL;
}

void schema_prop_iter_init(struct schema_prop_iter *it, const struct schema_type *type)
{
	it->type = type;
	it->next = 0;
}

const struct schema_property *schema_prop_iter_next(struct schema_prop_iter *it)
{
	if (!it->type || it->next >= it->type->nall)
		return NULL;
	return it->type->all[it->next++];
}

const struct schema_enum_member *schema_enum_member_find(const struct schema_type *type,
                                                         const char *name)
{
	struct index ix = {type, type ? type->nmembers : 0, member_at};
	size_t pos;

	if (!type || !name || type->kind != SCHEMA_KIND_ENUM ||
	    !find(&ix, name, strlen(name), &pos))
		return NULL;
	return &type->members[type->members_by_name[pos]];
}

const struct schema_source *schema_source_find(const char *name)
{
	struct index ix = {schema_sources, schema_nsources, source_at};
	size_t pos;

	if (!name || !find(&ix, name, strlen(name), &pos))
		return NULL;
	return &schema_sources[pos];
}

bool schema_edm_numeric(enum schema_edm edm)
{
	switch (edm) {
	case SCHEMA_EDM_BYTE:
	case SCHEMA_EDM_SBYTE:
	case SCHEMA_EDM_INT16:
	case SCHEMA_EDM_INT32:
	case SCHEMA_EDM_INT64:
	case SCHEMA_EDM_SINGLE:
	case SCHEMA_EDM_DOUBLE:
	case SCHEMA_EDM_DECIMAL:
		return true;
	default:
		return false;
	}
}

bool schema_type_is_a(const struct schema_type *type, const struct schema_type *ancestor)
{
	for (; type; type = type->base) {
		if (type == ancestor)
			return true;
	}
	return false;
}
