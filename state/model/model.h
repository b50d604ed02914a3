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
#include <stdbool.h>

#include "../state.h"

struct buf;

/*
 * model_<kind>_complete() - give @obj (borrowed, modified in place) an "id"
 * when it has none and every default property of its kind that is missing.
 * Returns 0, or -1 on OOM.
 */
int model_user_complete(struct state *st, struct tenant *t, json_t *obj);

/*
 * model_user_complete_text() - append to @out the text of the user whose
 * JSON text is @text (@len bytes, accepted by a parser), completed as
 * model_user_complete() would complete its tree: its members as they are,
 * then the defaults it lacks. For an export of users kept as text
 * (state/frozen.h), which would otherwise parse each one only to write it
 * again. Returns 0, or -1 with @out untouched when only the tree can do it
 * (no id, or one not in lower case; no creation time; a clear password; a
 * key spelled with escapes; not an object).
 */
int model_user_complete_text(const char *text, size_t len, struct buf *out);
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
 * Properties of graphmock's own on stored objects. No Graph schema names
 * them, so Graph routes never return them and POST/PATCH refuse them;
 * GET /_mock/state exports them (hashes only, never a secret in clear).
 */
#define MODEL_PASSWORD_HASH   "@graphmock.passwordHash" /* user: state/util/password.h */
#define MODEL_SECRET_HASHES   "@graphmock.secretHashes" /* application: {keyId: hash} */
#define MODEL_KEYS            "@graphmock.keys" /* application: {keyId: DER b64} */
#define MODEL_DIRECTORY_ROLES "@graphmock.directoryRoles" /* user: role template ids */

/*
 * model_user_hash_password() - replace a clear passwordProfile.password of
 * @user by its hash in MODEL_PASSWORD_HASH (the profile keeps its other
 * fields). A no-op when there is none. 0, or -1 on OOM.
 */
int model_user_hash_password(json_t *user);

/*
 * model_application_hash_secrets() - for each passwordCredential of @app
 * carrying a clear "secretText" (fixtures): keyId (derived from the appId
 * when missing, so --seed ids stay reproducible), hint (its first three
 * characters), its hash in MODEL_SECRET_HASHES, secretText null; for each
 * keyCredential with a "key": the key into MODEL_KEYS, "key" null. 0 or -1.
 */
int model_application_hash_secrets(json_t *app);

/*
 * model_fixture_hash_secrets() - both of the above over every tenant of
 * fixture document @doc (modified in place), so a fixture kept for resets
 * and new tenants is hashed once, not once per tenant. 0 or -1.
 */
int model_fixture_hash_secrets(json_t *doc);

/* The guest role template ids of authorizationPolicy.guestUserRoleId. */
#define MODEL_GUEST_ROLE_MEMBER     "a0b1b346-4d3e-4e8b-98f8-753987be4970"
#define MODEL_GUEST_ROLE_DEFAULT    "10dae51f-b6af-4016-8d66-8c2a99b929b3"
#define MODEL_GUEST_ROLE_RESTRICTED "2af84b1e-32c8-42b7-82bc-daa82404023b"

/* model_allow_invites_valid() - one of authorizationPolicy's allowInvitesFrom values? */
bool model_allow_invites_valid(const char *v);

/* model_guest_role_valid() - one of the three guest role template ids? */
bool model_guest_role_valid(const char *v);

/*
 * model_policy_load() - @t's authorizationPolicy from fixture value @p
 * (NULL: the defaults, everyone / Guest User). 0, or -1 with the problem
 * ("allowInvitesFrom: ...") in @err.
 */
int model_policy_load(struct tenant *t, const json_t *p, char *err, size_t errlen);

/* model_policy_export() - {"allowInvitesFrom", "guestUserRoleId"} of @t. New. */
json_t *model_policy_export(const struct tenant *t);

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

/*
 * model_timestamp_ticks() - the mock clock now with Graph's seven fractional
 * digits of 100 ns ticks, "2021-02-15T16:14:59.8643039Z": the milliseconds,
 * then four digits below them (the mock clock keeps milliseconds only, so
 * those come from the machine's clock), as appRoleAssignment and application
 * createdDateTime carry them (graph-spec §6.3, §7.2). New reference.
 */
json_t *model_timestamp_ticks(struct state *st);

/* ---- a user's manager (graph-spec §3; the store keeps it on the user) ---- */

/* Stored, never rendered (not a structural property): the manager's object id. */
#define MODEL_MANAGER_KEY "_manager"

/*
 * model_user_manager() - @user's manager: a visible user of @t, or NULL when
 * none is set or it is gone (deleted) or still lagging. Borrowed.
 */
struct dobj *model_user_manager(struct state *st, struct tenant *t,
                                const struct dobj *user);

/* model_user_set_manager() - make @manager @user's manager (NULL: none). 0 or -1 (OOM).
 */
int model_user_set_manager(struct dobj *user, const struct dobj *manager);

#endif
