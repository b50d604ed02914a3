/*
 * state/model/model_common.c - helpers shared by the per-kind models: ids,
 * timestamps and "set when missing".
 */
#include "model_internal.h"

#include <string.h>

json_t *model_timestamp(struct state *st)
{
	char buf[TIME_ISO_LEN];

	time_format(state_now_ms(st), TIME_SECONDS_Z, buf);
	return json_string(buf);
}

int model_default(json_t *obj, const char *key, json_t *value)
{
	if (json_object_get(obj, key)) {
		json_decref(value);
		return 0;
	}
	return json_object_set_new(obj, key, value);
}

int model_ensure_id(struct state *st, struct tenant *t, json_t *obj)
{
	char id[GUID_STR_LEN + 1];

	if (json_is_string(json_object_get(obj, "id")))
		return 0;
	state_dobj_new_id(st, t, id);
	return json_object_set_new(obj, "id", json_string(id));
}

const char *model_principal_type(const struct dobj *d)
{
	switch (d->kind) {
	case DOBJ_USER:
		return "User";
	case DOBJ_GROUP:
		return "Group";
	case DOBJ_SERVICE_PRINCIPAL:
		return "ServicePrincipal";
	case DOBJ_APPLICATION:
	case DOBJ_KIND_COUNT:
		break;
	}
	return "Unknown";
}
