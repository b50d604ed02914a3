/*
 * state/model/model_user.c - the stored user: defaults a member user gets when a
 * fixture or POST /users leaves them out (graph-spec §3).
 */
#include "model_internal.h"

#include <stdatomic.h>

/*
 * "Member", one string shared by every user of every tenant given the default.
 * Nothing changes a string in place, and the string is made immortal as
 * jansson's own true/false/null are (refcount (size_t)-1: json_incref and
 * json_decref leave it alone), so threads of different tenants never write
 * its count; jansson's atomic increments would still race with the plain read
 * of the count json_incref makes first. It lives as long as the process.
 */
static json_t *member_type(void)
{
	static _Atomic(json_t *) shared;
	json_t *v = atomic_load(&shared), *none = NULL;

	if (!v) {
		v = json_string("Member");
		if (!v)
			return NULL;
		v->refcount = (size_t)-1;
		if (!atomic_compare_exchange_strong(&shared, &none, v)) {
			v->refcount = 1;
			json_decref(v); /* another thread made it first */
			v = none;
		}
	}
	return v;
}

int model_user_complete(struct state *st, struct tenant *t, json_t *obj)
{
	int rc = 0;

	rc |= model_ensure_id(st, t, obj);
	rc |= MODEL_DEFAULT(obj, "accountEnabled", json_true());
	rc |= MODEL_DEFAULT(obj, "userType", member_type());
	rc |= MODEL_DEFAULT(obj, "businessPhones", json_array());
	rc |= MODEL_DEFAULT(obj, "otherMails", json_array());
	rc |= MODEL_DEFAULT(obj, "proxyAddresses", json_array());
	rc |= MODEL_DEFAULT(obj, "identities", json_array());
	rc |= MODEL_DEFAULT(obj, "createdDateTime", model_timestamp(st));
	rc |= MODEL_DEFAULT(obj, "creationType", json_null());
	rc |= MODEL_DEFAULT(obj, "externalUserState", json_null());
	rc |= MODEL_DEFAULT(obj, "externalUserStateChangeDateTime", json_null());
	rc |= model_user_hash_password(obj);
	return rc ? -1 : 0;
}

struct dobj *model_user_manager(struct state *st, struct tenant *t,
                                const struct dobj *user)
{
	const char *id =
	    json_string_value(json_object_get(state_dobj_json(user), MODEL_MANAGER_KEY));
	char key[GUID_STR_LEN + 1];
	struct dobj *m;

	if (!id || !guid_valid(id))
		return NULL;
	guid_lower(id, key);
	HASH_FIND_STR(t->objects, key, m);
	/* A manager deleted since is simply gone, as with group owners. */
	if (!m || m->kind != DOBJ_USER || !state_dobj_visible(st, m))
		return NULL;
	return m;
}

int model_user_set_manager(struct dobj *user, const struct dobj *manager)
{
	if (!manager) {
		json_object_del(state_dobj_json(user), MODEL_MANAGER_KEY);
		return 0;
	}
	return json_object_set_new(state_dobj_json(user), MODEL_MANAGER_KEY,
	                           json_string(manager->id));
}

struct dobj *model_user_upn_holder(struct tenant *t, const char *upn,
                                   const struct dobj *self)
{
	struct dobj *const *hits;
	size_t n;

	if (!upn)
		return NULL;
	hits = state_dobj_lookup(t, IDX_UPN, upn, &n);
	for (size_t i = 0; i < n; i++)
		if (hits[i] != self && hits[i]->kind == DOBJ_USER)
			return hits[i];
	return NULL;
}
