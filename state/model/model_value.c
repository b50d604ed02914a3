/*
 * state/model/model_value.c - string literals of EDM types (see
 * model_value.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../schema/schema_fit.h"
#include "../util/guid.h"
#include "../util/isotime.h"
#include "model_value.h"

/* The longest enum member name looked up: Graph's are under 64 characters. */
#define MEMBER_MAX 127

static bool guid_fits(const char *s, size_t len)
{
	char text[GUID_STR_LEN + 1];

	if (len != GUID_STR_LEN)
		return false;
	memcpy(text, s, len);
	text[len] = '\0';
	return guid_valid(text);
}

/* .NET's DateTimeOffset, which Graph parses into, spans years 1 to 9999 in UTC. */
#define FIRST_INSTANT (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define LAST_INSTANT  253402300799LL   /* 9999-12-31T23:59:59Z */

static bool date_time_fits(const char *s, size_t len)
{
	struct iso_time t;

	return iso_time_parse(s, len, true, &t) == len && t.secs >= FIRST_INSTANT &&
	       t.secs <= LAST_INSTANT;
}

/* "YYYY-MM-DD", read as the midnight it starts so the calendar is checked once. */
static bool date_fits(const char *s, size_t len)
{
	char text[sizeof("YYYY-MM-DDT00:00Z")];

	if (len != 10)
		return false;
	memcpy(text, s, len);
	memcpy(text + len, "T00:00Z", sizeof("T00:00Z"));
	return date_time_fits(text, sizeof(text) - 1);
}

static bool member_fits(const struct schema_type *type, const char *s, size_t len)
{
	char name[MEMBER_MAX + 1];

	if (len == 0 || len > MEMBER_MAX || memchr(s, '\0', len))
		return false;
	memcpy(name, s, len);
	name[len] = '\0';
	return schema_enum_member_find(type, name) != NULL;
}

/* One member, or for a flags enum several joined by commas ("a,b", as OData
 * writes them; spaces after the commas are allowed). */
static bool enum_fits(const struct schema_type *type, const char *s, size_t len)
{
	const char *end = s + len;

	if (!type)
		return true; /* not in the tables: nothing to judge by */
	if (!(type->flags & SCHEMA_TYPE_FLAGS))
		return member_fits(type, s, len);
	for (;;) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *stop = comma ? comma : end;

		if (!member_fits(type, s, (size_t)(stop - s)))
			return false;
		if (!comma)
			return true;
		s = comma + 1;
		while (s < end && *s == ' ')
			s++;
	}
}

bool model_literal_fits(enum schema_edm edm, const struct schema_type *enum_type,
                        const char *s, size_t len)
{
	switch (edm) {
	case SCHEMA_EDM_GUID:
		return guid_fits(s, len);
	case SCHEMA_EDM_DATE_TIME_OFFSET:
		return date_time_fits(s, len);
	case SCHEMA_EDM_DATE:
		return date_fits(s, len);
	case SCHEMA_EDM_ENUM:
		return enum_fits(enum_type, s, len);
	default:
		return true;
	}
}

bool model_value_fits(const struct schema_property *p, const char *s, size_t len)
{
	return model_literal_fits(p->edm, p->type, s, len);
}

bool model_value_checked(const struct schema_property *p)
{
	switch (p->edm) {
	case SCHEMA_EDM_GUID:
	case SCHEMA_EDM_DATE_TIME_OFFSET:
	case SCHEMA_EDM_DATE:
		return true;
	case SCHEMA_EDM_ENUM:
		return p->type != NULL;
	default:
		return false;
	}
}

static bool type_deep(const struct schema_type *type, int depth)
{
	struct schema_prop_iter it;
	const struct schema_property *p;

	if (!type || depth > 8)
		return false;
	schema_prop_iter_init(&it, type);
	while ((p = schema_prop_iter_next(&it)))
		if (!(p->flags & SCHEMA_PROP_NAVIGATION) &&
		    (model_value_checked(p) ||
		     (p->edm == SCHEMA_EDM_COMPLEX && type_deep(p->type, depth + 1))))
			return true;
	return false;
}

bool model_value_deep(const struct schema_property *p)
{
	if (p->flags & SCHEMA_PROP_NAVIGATION)
		return false;
	return model_value_checked(p) ||
	       (p->edm == SCHEMA_EDM_COMPLEX && type_deep(p->type, 0));
}

const char *model_value_wanted(const struct schema_property *p)
{
	switch (p->edm) {
	case SCHEMA_EDM_GUID:
		return "a Guid such as 00000000-0000-0000-0000-000000000000";
	case SCHEMA_EDM_DATE_TIME_OFFSET:
		return "a DateTimeOffset such as 2024-05-01T09:30:00Z";
	case SCHEMA_EDM_DATE:
		return "a Date such as 2024-05-01";
	case SCHEMA_EDM_ENUM:
		return "a member of its enum type";
	default:
		return "a string";
	}
}

json_t *model_date_time_utc(const char *s, size_t len)
{
	struct iso_time t;
	struct tm tm;
	time_t secs;
	size_t frac = 0, end = iso_time_parse(s, len, true, &t);
	char out[64];

	if (end != len || len < 17 || s[len - 1] == 'Z' || s[len - 1] == 'z')
		return NULL; /* not a literal, or in UTC already */
	/* the fraction as written: between the seconds and the zone */
	if (len > 19 && s[16] == ':' && s[19] == '.')
		while (20 + frac < len && s[20 + frac] >= '0' && s[20 + frac] <= '9')
			frac++;
	secs = (time_t)t.secs;
	if (!gmtime_r(&secs, &tm) || tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
		return NULL;
	snprintf(out, sizeof(out), "%04d-%02d-%02dT%02d:%02d:%02d%s%.*sZ",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	         tm.tm_sec, frac ? "." : "", (int)frac, frac ? s + 20 : "");
	return json_string(out);
}

enum schema_json_kind model_json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return SCHEMA_JSON_OBJECT;
	case JSON_ARRAY:
		return SCHEMA_JSON_ARRAY;
	case JSON_STRING:
		return SCHEMA_JSON_STRING;
	case JSON_INTEGER:
	case JSON_REAL:
		return SCHEMA_JSON_NUMBER;
	case JSON_TRUE:
	case JSON_FALSE:
		return SCHEMA_JSON_BOOLEAN;
	case JSON_NULL:
		break;
	}
	return SCHEMA_JSON_NULL;
}

/* One value (not a collection) of property @p's element type. @depth bounds
 * complex values inside complex values: Graph's nest a few levels. */
static bool element_fits(const struct schema_property *p, const json_t *v, int depth);

/* Each element of collection @v of property @p's type. */
static bool elements_fit(const struct schema_property *p, const json_t *v, int depth)
{
	size_t i;
	json_t *item;

	json_array_foreach(v, i, item)
	{
		if (!element_fits(p, item, depth))
			return false;
	}
	return true;
}

/* A value of property @p: its kind, and its literals at any depth. */
static bool value_fits(const struct schema_property *p, const json_t *v, int depth)
{
	if (!schema_kind_fits(p, model_json_kind(v)))
		return false;
	if (p->flags & SCHEMA_PROP_COLLECTION)
		return elements_fit(p, v, depth);
	return json_is_null(v) || element_fits(p, v, depth);
}

static bool complex_fits(const struct schema_type *type, const json_t *obj, int depth,
                         const char **bad, bool *undeclared)
{
	const char *key;
	json_t *v;

	if (!type || depth > 16)
		return true; /* not in the tables, or deeper than Graph nests */
	json_object_foreach((json_t *)obj, key, v)
	{
		const struct schema_property *p;

		if (strchr(key, '@')) /* annotations */
			continue;
		p = schema_property_find(type, key);
		if (!p && (type->flags & SCHEMA_TYPE_OPEN))
			continue;
		if (!p) {
			*bad = key;
			*undeclared = true;
			return false;
		}
		if (!value_fits(p, v, depth)) {
			*bad = key;
			*undeclared = false;
			return false;
		}
	}
	return true;
}

static bool element_fits(const struct schema_property *p, const json_t *v, int depth)
{
	const char *bad;
	bool undeclared;

	if (p->flags & SCHEMA_PROP_NAVIGATION)
		return true;
	if (json_is_null(v))
		return (p->flags & SCHEMA_PROP_NULLABLE) != 0;
	if (p->edm == SCHEMA_EDM_COMPLEX)
		return json_is_object(v) &&
		       complex_fits(p->type, v, depth + 1, &bad, &undeclared);
	if (json_is_string(v))
		return model_value_fits(p, json_string_value(v), json_string_length(v));
	/* a collection's element: the kind a single value of the type takes */
	struct schema_property single = *p;

	single.flags &= ~(unsigned)SCHEMA_PROP_COLLECTION;
	return schema_kind_fits(&single, model_json_kind(v));
}

const char *model_complex_misfit(const struct schema_type *type, const json_t *obj,
                                 bool *undeclared)
{
	const char *bad = NULL;

	*undeclared = false;
	if (!json_is_object(obj))
		return NULL;
	return complex_fits(type, obj, 0, &bad, undeclared) ? NULL : bad;
}

bool model_property_fits(const struct schema_property *p, const json_t *v)
{
	return value_fits(p, v, 0);
}
