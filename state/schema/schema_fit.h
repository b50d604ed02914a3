/*
 * state/schema/schema_fit.h - does a JSON value's kind suit a property, by
 * its CSDL type: a fixture or a state import holds what the API would hold
 * (`"accountEnabled": "yes"` is refused there as a PATCH refuses it),
 * checked the same whether the loader reads an object as a tree or as its
 * text (state/load). Leaf code, like schema.h.
 */
#ifndef GRAPHMOCK_STATE_SCHEMA_SCHEMA_FIT_H
#define GRAPHMOCK_STATE_SCHEMA_SCHEMA_FIT_H

#include <stdbool.h>

#include "schema.h"

enum schema_json_kind {
	SCHEMA_JSON_NULL,
	SCHEMA_JSON_BOOLEAN,
	SCHEMA_JSON_NUMBER,
	SCHEMA_JSON_STRING,
	SCHEMA_JSON_ARRAY,
	SCHEMA_JSON_OBJECT,
};

/* schema_json_kind_of_text() - the kind of the JSON value written at @text
 * (text a parser accepted: its first byte says). */
enum schema_json_kind schema_json_kind_of_text(const char *text);

/*
 * schema_kind_fits() - may a value of @kind stand for property @p? null when
 * the CSDL lets it be null; a collection is an array (its elements are not
 * looked at); else strings for String, Guid, dates, times, durations, binary
 * and enum members, numbers for the numeric types, booleans, objects for
 * complex types. Navigation properties are not a stored object's to hold
 * and are not judged here (true).
 */
bool schema_kind_fits(const struct schema_property *p, enum schema_json_kind kind);

/* schema_kind_wanted() - what @p takes, for a message: "a boolean", ... */
const char *schema_kind_wanted(const struct schema_property *p);

#endif
