/*
 * state/model/model.h - what each kind of stored object looks like: the defaults a
 * new object gets and the properties derived from others (ids, timestamps,
 * securityIdentifier, assignment ids). Shared by fixture loading and by the
 * routes that create objects, so both produce identical objects.
 * Locking: caller holds st->lock (ids come from the seeded generator).
 */
#ifndef GRAPHMOCK_STATE_MODEL_MODEL_H
#define GRAPHMOCK_STATE_MODEL_MODEL_H

#include <jansson.h>

#include "../state.h"

/*
 * model_<kind>_complete() - give @obj (borrowed, modified in place) an "id"
 * when it has none and every default property of its kind that is missing.
 * Returns 0, or -1 on OOM.
 */
int model_user_complete(struct state *st, struct tenant *t, json_t *obj);
int model_group_complete(struct state *st, struct tenant *t, json_t *obj);
int model_service_principal_complete(struct state *st, struct tenant *t, json_t *obj);
int model_application_complete(struct state *st, struct tenant *t, json_t *obj);

/* model_security_identifier() - "S-1-12-1-a-b-c-d" from the GUID's four LE words. */
void model_security_identifier(const char *guid, char out[80]);

/* model_principal_type() - "User", "Group" or "ServicePrincipal" for @d's kind. */
const char *model_principal_type(const struct dobj *d);

/*
 * model_assignment_new() - the appRoleAssignment JSON of graph-spec §6.3 for
 * (@principal, @resource, @app_role_id), its id written to @id_out:
 * base64url(principalId as .NET bytes || 16 random bytes), 43 chars.
 * Returns: new reference, or NULL on OOM.
 */
json_t *model_assignment_new(struct state *st, const struct dobj *principal,
                             const struct dobj *resource, const char *app_role_id,
                             char id_out[64]);

/*
 * The rules an object must keep however it arrives (a request, a fixture,
 * PUT /_mock/state, --state-file): one check each, used by both paths.
 */

/*
 * model_user_upn_holder() - the user other than @self (NULL: none excluded)
 * that holds @upn in any case, lagging ones included, or NULL. Borrowed.
 */
struct dobj *model_user_upn_holder(struct tenant *t, const char *upn,
                                   const struct dobj *self);

enum member_verdict {
	MEMBER_OK,
	MEMBER_NOT_A_PRINCIPAL, /* applications are never members */
	MEMBER_SELF,            /* a group cannot be its own member */
};

/* model_member_check() - may @member be a direct member of @group? */
enum member_verdict model_member_check(const struct dobj *group,
                                       const struct dobj *member);

/* model_timestamp() - the mock clock now as "2024-05-01T10:22:31Z". New reference. */
json_t *model_timestamp(struct state *st);

#endif
