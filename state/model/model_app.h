/*
 * state/model/model_app.h - the enterprise-app rules that belong to the model
 * rather than to HTTP: which app role a principal may be given on a resource
 * (graph-spec §6.3), reading an assignment id back, and keeping a service
 * principal's app-defined roles in step with its application.
 * Locking: caller holds st->lock.
 */
#ifndef GRAPHMOCK_STATE_MODEL_MODEL_APP_H
#define GRAPHMOCK_STATE_MODEL_MODEL_APP_H

#include <jansson.h>

#include "../state.h"

/* The appRoleId that means "Default Access" (resources without app roles). */
#define MODEL_DEFAULT_ACCESS_ROLE "00000000-0000-0000-0000-000000000000"

enum assignment_verdict {
	ASSIGN_OK,
	ASSIGN_ROLE_NOT_FOUND, /* not on the resource, disabled, or not for this kind */
	ASSIGN_DUPLICATE,      /* same principal, resource and role exist already */
};

/*
 * model_assignment_check() - may @principal (user, group or service
 * principal) be given @app_role_id on @resource? The role must be one of the
 * resource's appRoles, enabled, and allowed for the principal's kind
 * ("User" covers users and groups, "Application" service principals); the
 * Default Access role only when the resource declares no roles.
 */
/*
 * model_assignment_duplicate() - does @principal hold @app_role_id of
 * @resource already? (Checked for requests and fixtures alike.)
 */
bool model_assignment_duplicate(const struct dobj *principal, const struct dobj *resource,
                                const char *app_role_id);

enum assignment_verdict model_assignment_check(const struct tenant *t,
                                               const struct dobj *principal,
                                               const struct dobj *resource,
                                               const char *app_role_id);

/*
 * model_assignment_id_principal() - decode a 43-char assignment id and write
 * the principal GUID it embeds to @out. Returns 0, or -1 when @id is not in
 * that form.
 */
int model_assignment_id_principal(const char *id, char out[GUID_STR_LEN + 1]);

/*
 * model_assignment_refresh() - bring the stored principalDisplayName and
 * resourceDisplayName of @a up to date with the objects it names.
 */
void model_assignment_refresh(struct tenant *t, struct assignment *a);

/*
 * model_sp_sync_app_roles() - give @sp the appRoles of its application
 * (@app_roles, borrowed): the roles with origin "Application" are replaced,
 * roles defined on the service principal itself are kept. Returns 0 or -1.
 */
int model_sp_sync_app_roles(struct dobj *sp, const json_t *app_roles);

#endif
