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
	switch (edm) {
	case SCHEMA_EDM_BOOLEAN:
		return SCHEMA_JSON_BOOLEAN;
	case SCHEMA_EDM_BYTE:
	case SCHEMA_EDM_SBYTE:
	case SCHEMA_EDM_INT16:
	case SCHEMA_EDM_INT32:
	case SCHEMA_EDM_INT64:
	case SCHEMA_EDM_SINGLE:
	case SCHEMA_EDM_DOUBLE:
	case SCHEMA_EDM_DECIMAL:
		return SCHEMA_JSON_NUMBER;
	case SCHEMA_EDM_COMPLEX:
		return SCHEMA_JSON_OBJECT;
	case SCHEMA_EDM_NONE:
	case SCHEMA_EDM_STRING:
	case SCHEMA_EDM_GUID:
	case SCHEMA_EDM_DATE_TIME_OFFSET:
	case SCHEMA_EDM_DATE:
	case SCHEMA_EDM_TIME_OF_DAY:
	case SCHEMA_EDM_DURATION:
	case SCHEMA_EDM_BINARY:
	case SCHEMA_EDM_STREAM:
	case SCHEMA_EDM_ENUM:
	case SCHEMA_EDM_ENTITY:
		break;
	}
	return SCHEMA_JSON_STRING;
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
