/*
 * state/schema/schema_fit.c - JSON kinds against CSDL types (see
 * schema_fit.h).
 */
#include "schema_fit.h"

enum schema_json_kind schema_json_kind_of_text(const char *text)
{
	switch (text[0]) {
	case 'n':
		return SCHEMA_JSON_NULL;
	case 't':
	case 'f':
		return SCHEMA_JSON_BOOLEAN;
	case '"':
		return SCHEMA_JSON_STRING;
	case '[':
		return SCHEMA_JSON_ARRAY;
	case '{':
		return SCHEMA_JSON_OBJECT;
	default:
		return SCHEMA_JSON_NUMBER;
	}
}

/* The kind a single (non-collection) value of @edm is written as. */
static enum schema_json_kind kind_of_edm(enum schema_edm edm)
{
	if (schema_edm_numeric(edm))
		return SCHEMA_JSON_NUMBER;
	switch (edm) {
	case SCHEMA_EDM_BOOLEAN:
		return SCHEMA_JSON_BOOLEAN;
	case SCHEMA_EDM_COMPLEX:
		return SCHEMA_JSON_OBJECT;
	default: /* strings, and what JSON writes as one: Guid, dates, enums, ... */
		return SCHEMA_JSON_STRING;
	}
}

bool schema_kind_fits(const struct schema_property *p, enum schema_json_kind kind)
{
	if (p->flags & SCHEMA_PROP_NAVIGATION)
		return true;
	if (kind == SCHEMA_JSON_NULL)
		return p->flags & SCHEMA_PROP_NULLABLE;
	if (p->flags & SCHEMA_PROP_COLLECTION)
		return kind == SCHEMA_JSON_ARRAY;
	return kind == kind_of_edm(p->edm);
}

const char *schema_kind_wanted(const struct schema_property *p)
{
	static const char *const names[] = {
	    [SCHEMA_JSON_NULL] = "null",       [SCHEMA_JSON_BOOLEAN] = "a boolean",
	    [SCHEMA_JSON_NUMBER] = "a number", [SCHEMA_JSON_STRING] = "a string",
	    [SCHEMA_JSON_ARRAY] = "an array",  [SCHEMA_JSON_OBJECT] = "an object",
	};

	if (p->flags & SCHEMA_PROP_COLLECTION)
		return names[SCHEMA_JSON_ARRAY];
	return names[kind_of_edm(p->edm)];
}
