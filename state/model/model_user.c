/*
 * state/model/model_user.c - the stored user: defaults a member user gets when a
 * fixture or POST /users leaves them out (graph-spec §3).
 */
#include "model_internal.h"

int model_user_complete(struct state *st, struct tenant *t, json_t *obj)
{
	int rc = 0;

	(void)t;
	rc |= model_ensure_id(st, obj);
	rc |= model_default(obj, "accountEnabled", json_true());
	rc |= model_default(obj, "userType", json_string("Member"));
	rc |= model_default(obj, "businessPhones", json_array());
	rc |= model_default(obj, "otherMails", json_array());
	rc |= model_default(obj, "proxyAddresses", json_array());
	rc |= model_default(obj, "identities", json_array());
	rc |= model_default(obj, "createdDateTime", model_timestamp(st));
	rc |= model_default(obj, "creationType", json_null());
	rc |= model_default(obj, "externalUserState", json_null());
	rc |= model_default(obj, "externalUserStateChangeDateTime", json_null());
	rc |= model_user_hash_password(obj);
	return rc ? -1 : 0;
}
