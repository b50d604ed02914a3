/*
 * routes/graph/apps.h - helpers shared by the enterprise-app route files
 * (applicationTemplates, applications, servicePrincipals, app role
 * assignments): path-object lookup with the (appId='...') alternate key,
 * request-body checking against a property table, and appRole validation.
 * Locking: every function runs inside a handler, st->lock held.
 */
#ifndef GRAPHMOCK_ROUTES_GRAPH_APPS_H
#define GRAPHMOCK_ROUTES_GRAPH_APPS_H

#include <jansson.h>
#include <stddef.h>

#include "../../state/state.h"

struct call;
struct owner_binds;
struct req;
struct resp;

/* How a request-body property is checked (apps_body_check). */
enum apps_prop_type {
	AP_STRING,    /* non-empty string */
	AP_NSTRING,   /* string or null */
	AP_BOOL,      /* true / false */
	AP_STRINGS,   /* array of strings */
	AP_OBJECT,    /* object or null */
	AP_OBJECTS,   /* array of objects */
	AP_GUID,      /* GUID string */
	AP_APP_ROLES, /* appRole array, see apps_app_roles_check() */
	AP_READONLY,  /* exists but cannot be written: 400 */
};

struct apps_prop {
	const char *name;
	enum apps_prop_type type;
};

/*
 * apps_path_object() - the object of @kind named by capture @param: an id, or
 * for captures written (appId='x') the object of @kind with that appId.
 * A malformed id answers 400 "Invalid object identifier", an unknown one 404.
 * Returns: borrowed, or NULL after resp_error().
 */
struct dobj *apps_path_object(struct call *c, enum dobj_kind kind, size_t param);

/*
 * apps_path_principal() - the user (id or userPrincipalName), group or
 * service principal (id or appId key) named by capture 0, by @kind.
 * Returns: borrowed, or NULL after resp_error().
 */
struct dobj *apps_path_principal(struct call *c, enum dobj_kind kind);

/*
 * apps_body_check() - every key of @body must be in @props ("@odata.*"
 * annotations are accepted and ignored) with a value of the listed type.
 * @type_name ("application") names the type in messages.
 * Returns 0, or -1 after a 400 naming the property.
 */
int apps_body_check(const json_t *body, const struct apps_prop *props,
                    const char *type_name, struct resp *resp);

/*
 * apps_create_body_check() - apps_body_check() for a POST that creates the
 * object: "owners@odata.bind" is taken too, its reference URLs parsed into
 * @binds (at most ODATA_BIND_MAX; odata_ref_bind() answers the malformed
 * ones) and left for the caller to resolve (owners_binds_check()).
 * Returns 0, or -1 after a 400.
 */
int apps_create_body_check(const json_t *body, const struct apps_prop *props,
                           const char *type_name, struct owner_binds *binds,
                           struct resp *resp);

/*
 * apps_app_roles_check() - validate an appRoles array (graph-spec §6.2):
 * objects with a GUID id, allowedMemberTypes from {User, Application},
 * value of at most 120 characters without spaces, boolean isEnabled; ids
 * and values unique. Returns 0, or -1 after a 400.
 */
int apps_app_roles_check(const json_t *roles, struct resp *resp);

/*
 * apps_app_roles_removable() - Graph refuses to drop or change an enabled
 * role in one step (400 CannotDeleteOrUpdateEnabledEntitlement): check the
 * transition @old -> @new. Returns 0, or -1 after the 400.
 */
int apps_app_roles_removable(const json_t *old, const json_t *new_roles,
                             struct resp *resp);

/*
 * apps_app_roles_normalize() - a stored copy of a checked appRoles array:
 * fixed key order, lower-case ids, isEnabled defaulting to true, and origin
 * @origin unless the role's id is in @keep_origin_from (then its origin).
 * Returns: new reference, or NULL on OOM.
 */
json_t *apps_app_roles_normalize(const json_t *roles, const char *origin,
                                 const json_t *keep_origin_from);

/*
 * app_credentials_patch_keys() - the keyCredentials of a PATCH body copy
 * @patch made ready to store on @app (app_credentials.c): new certificates
 * described and kept apart, re-sent keys keeping theirs, the rest dropped.
 * 0, or -1 after a 400.
 */
int app_credentials_patch_keys(struct call *c, struct dobj *app, json_t *patch);

/* apps_apply() - copy every key of @body into @obj (deep copies) but annotations
 * and "<nav>@odata.bind" arrays. */
int apps_apply(json_t *obj, const json_t *body);

#endif
