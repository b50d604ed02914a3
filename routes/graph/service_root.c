/*
 * routes/graph/service_root.c - GET /v1.0/ (and /beta/): the OData service
 * document, listing the entity sets graphmock serves, as Graph lists its own.
 */
#include <stdio.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "entities.h"
#include "permissions.h"

static const char *const entity_sets[] = {
    "applications", "applicationTemplates", "directoryObjects",  "domains", "groups",
    "invitations",  "organization",         "servicePrincipals", "users",   NULL,
};

static int service_root_get(struct call *c)
{
	json_t *value = json_array();
	char context[320];

	for (size_t i = 0; entity_sets[i]; i++)
		json_array_append_new(
		    value, json_pack("{s:s, s:s, s:s}", "name", entity_sets[i], "kind",
		                     "EntitySet", "url", entity_sets[i]));
	snprintf(context, sizeof(context), "%s/%s/$metadata", c->req->base_url,
	         c->req->version);
	return resp_odata(
	    c->resp, 200,
	    json_pack("{s:s, s:o}", "@odata.context", context, "value", value));
}

const struct route service_root_routes[] = {
    {"GET", "/", service_root_get, 0, NULL, &route_perms_none},
    {0},
};
