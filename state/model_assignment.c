/*
 * state/model_assignment.c - the appRoleAssignment object and Graph's id
 * format for it (graph-spec §6.3).
 */
#include "model_internal.h"

#include <string.h>

static void base64url(const uint8_t *in, size_t len, char *out)
{
	static const char tbl[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0;

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;
		if (n > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (n > 2)
			v |= in[i + 2];
		out[o++] = tbl[(v >> 18) & 63];
		out[o++] = tbl[(v >> 12) & 63];
		if (n > 1)
			out[o++] = tbl[(v >> 6) & 63];
		if (n > 2)
			out[o++] = tbl[v & 63];
	}
	out[o] = '\0';
}

json_t *model_assignment_new(struct state *st, const struct dobj *principal,
			     const struct dobj *resource, const char *app_role_id,
			     char id_out[64])
{
	uint8_t raw[32];
	char created[TIME_ISO_LEN];
	char role[GUID_STR_LEN + 1];

	guid_to_bytes_le(principal->id, raw);
	/* The second half is an internal link id in Graph; random here. */
	for (int i = 0; i < 2; i++) {
		uint64_t r = rng_next(&st->rng);
		memcpy(raw + 16 + i * 8, &r, 8);
	}
	base64url(raw, sizeof(raw), id_out);
	time_format(state_now_ms(st), TIME_FRACTION_Z, created);
	guid_lower(app_role_id, role);
	json_t *pname = json_object_get(principal->obj, "displayName");
	json_t *rname = json_object_get(resource->obj, "displayName");
	return json_pack("{s:s, s:n, s:s, s:s, s:O, s:s, s:s, s:O, s:s}", "id", id_out,
			 "deletedDateTime", "appRoleId", role, "createdDateTime", created,
			 "principalDisplayName",
			 pname ? pname : json_null(),
			 "principalId", principal->id, "principalType",
			 model_principal_type(principal), "resourceDisplayName",
			 rname ? rname : json_null(),
			 "resourceId", resource->id);
}
