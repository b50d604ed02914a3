/*
 * state/schema/schema.h - Microsoft Graph's own schema as C tables: the entity,
 * complex and enum types graphmock models, their properties (structural and
 * navigation, with EDM type, nullability, collection-ness, key), enum members,
 * and the entity sets and singletons of the service root. The tables are
 * generated from Graph's v1.0 CSDL by gen_schema.py into schema_gen.c (see
 * README.md beside this file); the lookups are in schema.c.
 *
 * Ownership: everything these functions return points into static const
 * tables. It is borrowed, valid for the life of the process, never freed, and
 * safe to share between threads without a lock.
 *
 * Which types: the roots listed at the top of gen_schema.py (user, group,
 * application, servicePrincipal, appRoleAssignment, invitation, organization,
 * directoryObject, entity, applicationTemplate, subscription, directory, ...),
 * their base types, and every complex and enum type their structural
 * properties reference, transitively (with the complex types derived from
 * those, since a property of complex type X may hold any type derived from
 * X). Navigation targets are not followed: a navigation property always names
 * its target (type_name), and its `type` is NULL when that target is not in
 * the tables (user.calendar, ...).
 *
 * Case: Graph resolves declared property names case-insensitively:
 * GET /v1.0/users/{id}?$select=AccountEnabled,SignInSessionsValidFromDateTime
 * returns accountEnabled and signInSessionsValidFromDateTime, spelt as
 * declared (microsoftgraph/microsoft-graph-explorer-v4#2111,
 * https://github.com/microsoftgraph/microsoft-graph-explorer-v4/issues/2111).
 * The same issue shows the limit: on /directoryObjects/{id} the same $select
 * returns nothing, because directoryObject is an open type that declares
 * neither name, so they are taken as dynamic properties, which match only
 * with the exact case. Graph runs on the OData .NET libraries, whose
 * case-insensitive resolution "will first try to resolve the name with
 * case-sensitive semantics and return the best match if found; otherwise
 * case-insensitive semantics are applied, returning the unique match"
 * (https://learn.microsoft.com/en-us/odata/webapi/caseinsensitiveandqualifiedfunctions),
 * and it covers type names too. Every *_find() below follows exactly that
 * rule (ASCII folding): an exact match wins; otherwise the one
 * case-insensitive match; two or more case-insensitive matches and no exact
 * one give NULL. For type names and enum members the rule is that library's
 * documented behaviour; only the property case is confirmed on Graph itself.
 * A caller that gets NULL for a name on an open type (SCHEMA_TYPE_OPEN) may
 * treat it as a dynamic property, matched with the exact case.
 *
 * Speed: lookups are binary searches over generated indexes sorted by folded
 * name (O(log n) string comparisons, no allocation); the type table itself is
 * so sorted.
 */
#ifndef GRAPHMOCK_STATE_SCHEMA_SCHEMA_H
#define GRAPHMOCK_STATE_SCHEMA_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The EDM type of a property (of its elements, for a collection). */
enum schema_edm {
	SCHEMA_EDM_NONE, /* not a property type: the `underlying` of non-enum types */
	SCHEMA_EDM_STRING,
	SCHEMA_EDM_BOOLEAN,
	SCHEMA_EDM_GUID,
	SCHEMA_EDM_DATE_TIME_OFFSET,
	SCHEMA_EDM_DATE,
	SCHEMA_EDM_TIME_OF_DAY,
	SCHEMA_EDM_DURATION,
	SCHEMA_EDM_BYTE,
	SCHEMA_EDM_SBYTE,
	SCHEMA_EDM_INT16,
	SCHEMA_EDM_INT32,
	SCHEMA_EDM_INT64,
	SCHEMA_EDM_SINGLE,
	SCHEMA_EDM_DOUBLE,
	SCHEMA_EDM_DECIMAL,
	SCHEMA_EDM_BINARY,
	SCHEMA_EDM_STREAM,
	SCHEMA_EDM_COMPLEX, /* a complex type: property->type says which */
	SCHEMA_EDM_ENUM,    /* an enum type: property->type says which */
	SCHEMA_EDM_ENTITY,  /* navigation properties only */
};

enum schema_kind {
	SCHEMA_KIND_ENTITY,
	SCHEMA_KIND_COMPLEX,
	SCHEMA_KIND_ENUM,
};

enum schema_type_flags {
	SCHEMA_TYPE_ABSTRACT = 1 << 0, /* Abstract="true" (entity) */
	SCHEMA_TYPE_OPEN = 1 << 1,  /* OpenType="true": undeclared properties allowed */
	SCHEMA_TYPE_FLAGS = 1 << 2, /* enum with IsFlags="true" */
};

enum schema_prop_flags {
	SCHEMA_PROP_NULLABLE = 1 << 0,   /* Nullable absent or "true" (CSDL default) */
	SCHEMA_PROP_COLLECTION = 1 << 1, /* Type="Collection(...)" */
	SCHEMA_PROP_NAVIGATION = 1 << 2, /* NavigationProperty, else structural */
	SCHEMA_PROP_CONTAINS_TARGET = 1 << 3, /* ContainsTarget="true" (navigation) */
	SCHEMA_PROP_KEY = 1 << 4,             /* named by its type's <Key> */
};

struct schema_type;

struct schema_property {
	const char *name;      /* "signInActivity", as declared */
	const char *type_name; /* element type, qualified: "Edm.String",
	                          "microsoft.graph.assignedLicense" (no "Collection()") */
	/* The complex, enum or entity type named by type_name when it is in the
	 * tables; NULL for primitives and for navigation targets not modelled. */
	const struct schema_type *type;
	const struct schema_type *owner; /* the type that declares it */
	enum schema_edm edm;
	unsigned flags; /* enum schema_prop_flags */
};

struct schema_enum_member {
	const char *name;
	int64_t value;
};

struct schema_type {
	const char *name;               /* qualified: "microsoft.graph.user" */
	const char *short_name;         /* "user" */
	const struct schema_type *base; /* BaseType, or NULL */
	enum schema_kind kind;
	unsigned flags;             /* enum schema_type_flags */
	enum schema_edm underlying; /* enums: UnderlyingType (Int32 by default) */
	/* Declared by this type, in CSDL order (entity and complex types). */
	const struct schema_property *props;
	size_t nprops;
	/* Inherited and declared, base first, each in CSDL order: read them
	 * with schema_prop_iter. all_by_name indexes all[] by folded name. */
	const struct schema_property *const *all;
	size_t nall;
	const uint16_t *all_by_name;
	const struct schema_property *key; /* entity types: the key ("id"), else NULL */
	/* Enum types: members in CSDL order, and their index by folded name. */
	const struct schema_enum_member *members;
	const uint16_t *members_by_name;
	size_t nmembers;
};

enum schema_source_kind {
	SCHEMA_ENTITY_SET,
	SCHEMA_SINGLETON,
};

/* A NavigationPropertyBinding kept only when its path resolves on these
 * tables and its target is one of schema_sources[]. */
struct schema_binding {
	const char *path;   /* "manager", "microsoft.graph.user/manager" */
	const char *target; /* "directoryObjects" */
};

/* An entity set ("users") or singleton ("me", "directory") of the container. */
struct schema_source {
	const char *name;
	enum schema_source_kind kind;
	const struct schema_type *type;
	const struct schema_binding *bindings;
	size_t nbindings;
};

/* Every type, sorted by folded qualified name (schema_gen.c). */
extern const struct schema_type schema_types[];
extern const size_t schema_ntypes;
/* The entity sets and singletons, sorted by folded name (schema_gen.c). */
extern const struct schema_source schema_sources[];
extern const size_t schema_nsources;

/* The container's name, as $metadata declares it. */
#define SCHEMA_CONTAINER "GraphService"
#define SCHEMA_NAMESPACE "microsoft.graph"

/*
 * schema_type_find() - the type named @name: qualified
 * ("microsoft.graph.user"), with Graph's alias ("graph.user"), short for the
 * microsoft.graph namespace ("user"), or with a leading '#' as @odata.type
 * writes it ("#microsoft.graph.user"). Case as described at the top.
 * Returns: borrowed, or NULL when the tables lack it.
 */
const struct schema_type *schema_type_find(const char *name);

/*
 * schema_property_find() - the property @name of @type, declared there or
 * inherited through its base types (user: "id" from entity, "deletedDateTime"
 * from directoryObject). Case as described at the top; the result's ->name is
 * the declared spelling to write back. schema_property_find_len() takes a
 * name that is not NUL-terminated (a $select item inside the query string).
 * Returns: borrowed, or NULL (also for enum types and a NULL @type).
 */
const struct schema_property *schema_property_find(const struct schema_type *type,
                                                   const char *name);
const struct schema_property *schema_property_find_len(const struct schema_type *type,
                                                       const char *name, size_t len);

/*
 * schema_property_slot() - where the property @name (@len bytes) sits in
 * @type->all[] (0 .. nall-1), found as schema_property_find_len() finds it,
 * or -1. Lets a caller keep one bit per property of a type.
 */
int schema_property_slot(const struct schema_type *type, const char *name, size_t len);

/*
 * Every property of a type, inherited ones first (entity's id, then
 * directoryObject's deletedDateTime, then user's own), each type's in CSDL
 * order:
 *
 *	struct schema_prop_iter it;
 *	const struct schema_property *p;
 *
 *	schema_prop_iter_init(&it, type);
 *	for (p = schema_prop_iter_next(&it); p; p = schema_prop_iter_next(&it))
 *		...
 *
 * The iterator holds no resources: there is nothing to release.
 */
struct schema_prop_iter {
	const struct schema_type *type;
	size_t next;
};

void schema_prop_iter_init(struct schema_prop_iter *it, const struct schema_type *type);

/* schema_prop_iter_next() - the next property (borrowed), or NULL at the end. */
const struct schema_property *schema_prop_iter_next(struct schema_prop_iter *it);

/*
 * schema_enum_member_find() - the member @name of enum @type. Case as
 * described at the top. Returns: borrowed, or NULL (also when @type is not an
 * enum type).
 */
const struct schema_enum_member *schema_enum_member_find(const struct schema_type *type,
                                                         const char *name);

/*
 * schema_source_find() - the entity set or singleton @name ("users", "me").
 * Case as described at the top. Returns: borrowed, or NULL.
 */
const struct schema_source *schema_source_find(const char *name);

/* schema_edm_numeric() - is @edm one of the number types (JSON numbers)? */
bool schema_edm_numeric(enum schema_edm edm);

/* schema_type_is_a() - is @type @ancestor or derived from it? (casts, @odata.type) */
bool schema_type_is_a(const struct schema_type *type, const struct schema_type *ancestor);

#endif
