/*
 * state/model/model_value.h - is a string the literal its property's EDM
 * type takes: a Guid in its 8-4-4-4-12 form, a DateTimeOffset with its zone,
 * an enum member. Graph's OData reader refuses a body whose string does not
 * convert ("Cannot convert the literal 'x' to the expected type
 * 'Edm.DateTimeOffset'."), so the routes that take such properties refuse
 * it alike, and the loader refuses a fixture or a state import holding one
 * (state/load), the other half of what schema_kind_fits() judges.
 */
#ifndef GRAPHMOCK_STATE_MODEL_MODEL_VALUE_H
#define GRAPHMOCK_STATE_MODEL_MODEL_VALUE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../schema/schema_fit.h"

/*
 * model_literal_fits() - is @s (@len bytes, a JSON string's decoded value) a
 * literal of @edm? Guid: 8-4-4-4-12 hex digits; DateTimeOffset: ISO 8601
 * as OData writes it, the zone required ("2024-05-01T09:30:00Z",
 * "...:00.1234567+02:00"), years 1 to 9999 in UTC as .NET's DateTimeOffset
 * holds them; Date: a calendar date "YYYY-MM-DD" of those years; an enum: the
 * name of one of @enum_type's members (several, comma-separated, for a flags
 * enum), matched as schema_enum_member_find() matches. Every other type
 * takes any string (strings, and the rarer forms Graph's types of stored
 * objects never hold at the top level: TimeOfDay, Duration, Binary).
 */
bool model_literal_fits(enum schema_edm edm, const struct schema_type *enum_type,
                        const char *s, size_t len);

/* model_value_fits() - model_literal_fits() for property @p's element type. */
bool model_value_fits(const struct schema_property *p, const char *s, size_t len);

/* model_value_checked() - does @p's element type take only some strings (so
 * a value of it, or each element of a collection of it, is worth reading)? */
bool model_value_checked(const struct schema_property *p);

/* model_value_deep() - does a value of @p hold such a value anywhere: @p's
 * element type checked, or a complex type with such a property at any
 * depth (assignedLicenses' skuId; not identities, all strings)? */
bool model_value_deep(const struct schema_property *p);

/* model_value_wanted() - what such a value looks like, for a message:
 * "a DateTimeOffset such as 2024-05-01T09:30:00Z". */
const char *model_value_wanted(const struct schema_property *p);

/*
 * model_date_time_utc() - DateTimeOffset literal @s (@len bytes) as Graph
 * answers it, in UTC: "2024-05-01T07:30:00Z" for "2024-05-01T09:30:00+02:00",
 * its fraction as written. A new string, or NULL when @s needs no change
 * (written in UTC already, or not such a literal, or out of years 1-9999).
 */
json_t *model_date_time_utc(const char *s, size_t len);

/* model_json_kind() - the kind of JSON value @v is, as schema_fit.h names it. */
enum schema_json_kind model_json_kind(const json_t *v);

/*
 * model_property_fits() - may @v be property @p's value: of its kind
 * (schema_kind_fits), and every string in it, at any depth (a collection's
 * elements, a complex value's members), of the literal its type takes,
 * complex values holding only members their types declare.
 */
bool model_property_fits(const struct schema_property *p, const json_t *v);

/*
 * model_complex_misfit() - does object @obj hold a value of complex type
 * @type: each member declared by the type (annotations aside), of the kind
 * and literal its property takes, complex members judged alike. Returns
 * NULL when it does, else the key of the first member that does not
 * (borrowed from @obj), with *@undeclared telling whether the type lacks it.
 */
const char *model_complex_misfit(const struct schema_type *type, const json_t *obj,
                                 bool *undeclared);

#endif
