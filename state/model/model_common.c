/*
 * state/model/model_common.c - helpers shared by the per-kind models: ids,
 * timestamps and "set when missing".
 */
#include "model_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

json_t *model_timestamp(struct state *st)
{
	char buf[TIME_ISO_LEN];

	time_format(state_now_ms(st), TIME_SECONDS_Z, buf);
	return json_string(buf);
}

json_t *model_timestamp_ticks(struct state *st)
{
	char base[TIME_ISO_LEN], buf[TIME_ISO_LEN + 16];
	int64_t ms = state_now_ms(st);
	struct timespec ts;
	long below = 0;

	time_format(ms, TIME_NO_Z, base);
	if (clock_gettime(CLOCK_REALTIME, &ts) == 0)
		below = (long)((ts.tv_nsec / 100) % 10000);
	/* Graph's 100 ns tick digits end in a non-zero digit nine times in ten;
	 * never print "0000" so the seven digits never look like padded ms. */
	if (below % 10 == 0)
		below += 1 + (long)(ms % 9);
	snprintf(buf, sizeof(buf), "%s.%03d%04ldZ", base,
	         (int)(((ms % 1000) + 1000) % 1000), below % 10000);
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
