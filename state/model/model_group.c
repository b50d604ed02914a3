/*
 * state/model/model_group.c - the stored group: Graph's full property set for a
 * security group (graph-spec §5.1) and its securityIdentifier.
 */
#include "model_internal.h"

#include <stdio.h>
#include <string.h>

void model_security_identifier(const char *guid, char out[80])
{
	uint8_t b[16];
	uint32_t w[4];

	if (guid_to_bytes_le(guid, b)) {
		snprintf(out, 80, "S-1-12-1-0-0-0-0");
		return;
	}
	/* The GUID's .NET byte order read back as four little-endian words. */
	for (int i = 0; i < 4; i++)
		w[i] = (uint32_t)b[i * 4] | (uint32_t)b[i * 4 + 1] << 8 |
		       (uint32_t)b[i * 4 + 2] << 16 | (uint32_t)b[i * 4 + 3] << 24;
	snprintf(out, 80, "S-1-12-1-%u-%u-%u-%u", w[0], w[1], w[2], w[3]);
}

int model_group_complete(struct state *st, struct tenant *t, json_t *obj)
{
	char sid[80];
	int rc = 0;

	rc |= model_ensure_id(st, t, obj);
	model_security_identifier(json_string_value(json_object_get(obj, "id")), sid);
	rc |= model_default(obj, "createdDateTime", model_timestamp(st));
	rc |= model_default(obj, "renewedDateTime",
	                    json_deep_copy(json_object_get(obj, "createdDateTime")));
	rc |= model_default(obj, "groupTypes", json_array());
	rc |= model_default(obj, "mailEnabled", json_false());
	rc |= model_default(obj, "securityEnabled", json_true());
	rc |= model_default(obj, "proxyAddresses", json_array());
	rc |= model_default(obj, "resourceBehaviorOptions", json_array());
	rc |= model_default(obj, "resourceProvisioningOptions", json_array());
	rc |= model_default(obj, "onPremisesProvisioningErrors", json_array());
	rc |= model_default(obj, "creationOptions", json_array());
	rc |= model_default(obj, "serviceProvisioningErrors", json_array());
	rc |= json_object_set_new(obj, "securityIdentifier", json_string(sid));
	return rc ? -1 : 0;
}

enum member_verdict model_member_check(const struct dobj *group,
                                       const struct dobj *member)
{
	if (member->kind == DOBJ_APPLICATION)
		return MEMBER_NOT_A_PRINCIPAL;
	if (member == group)
		return MEMBER_SELF;
	return MEMBER_OK;
}
