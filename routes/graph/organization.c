/*
 * routes/graph/organization.c - /organization: the tenant as Graph describes it
 * (id, displayName, verifiedDomains...). Scripts read it to learn the tenant
 * id and its domains. Built from the tenant on each request; nothing stored.
 */
#include <string.h>
#include <strings.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/odata/odata.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/schema/schema_ids.h"
#include "../../state/state.h"
#include "permissions.h"

#define D OP_DEFAULT

static const struct odata_prop organization_props[] = {
    {"id", ODATA_GUID, D | OP_FILTER},
    {"deletedDateTime", ODATA_DATETIME, D},
    {"assignedPlans", ODATA_OBJECT_COLLECTION, D},
    {"businessPhones", ODATA_STRING_COLLECTION, D},
    {"city", ODATA_STRING, D},
    {"country", ODATA_STRING, D},
    {"countryLetterCode", ODATA_STRING, D},
    {"createdDateTime", ODATA_DATETIME, D},
    {"displayName", ODATA_STRING, D},
    {"marketingNotificationEmails", ODATA_STRING_COLLECTION, D},
    {"onPremisesLastSyncDateTime", ODATA_DATETIME, D},
    {"onPremisesSyncEnabled", ODATA_BOOL, D},
    {"postalCode", ODATA_STRING, D},
    {"preferredLanguage", ODATA_STRING, D},
    {"privacyProfile", ODATA_OBJECT, D},
    {"provisionedPlans", ODATA_OBJECT_COLLECTION, D},
    {"securityComplianceNotificationMails", ODATA_STRING_COLLECTION, D},
    {"securityComplianceNotificationPhones", ODATA_STRING_COLLECTION, D},
    {"state", ODATA_STRING, D},
    {"street", ODATA_STRING, D},
    {"technicalNotificationMails", ODATA_STRING_COLLECTION, D},
    {"tenantType", ODATA_STRING, D},
    {"verifiedDomains", ODATA_OBJECT_COLLECTION, D},
    {0},
};

const struct odata_entity organization_entity = {
    "organization",
    "Organization",
    "#microsoft.graph.organization",
    0,
    organization_props,
    SCHEMA_TYPE(organization),
};

/* The organization object of @t. New reference. */
static json_t *organization_json(const struct tenant *t)
{
	return json_pack("{s:s, s:n, s:s, s:s, s:s, s:s, s:[{s:s, s:b, s:b, s:s, s:s}]}",
	                 "id", t->id, "deletedDateTime", "countryLetterCode", "US",
	                 "displayName", t->display_name, "preferredLanguage", "en",
	                 "tenantType", "AAD", "verifiedDomains", "capabilities",
	                 "Email, OfficeCommunicationsOnline", "isDefault", 1, "isInitial",
	                 1, "name", t->domain, "type", "Managed");
}

static int organization_list(struct call *c)
{
	json_t *org = organization_json(c->tenant);
	struct odata_item item = {org, &organization_entity, 1, NULL, {NULL, 0}};
	struct odata_list_opts opts = {"organization", false, 0, 0, NULL};
	int rc;

	if (!org)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	rc = odata_respond_collection(c->odata, c->req, c->resp, &item, 1, &opts);
	json_decref(org); /* the response holds what it needs */
	return rc;
}

static int organization_get(struct call *c)
{
	const char *id = req_param(c->req, 0);
	json_t *org;
	int rc;

	if (strcasecmp(id, c->tenant->id))
		return resp_not_found(c->resp, id);
	org = organization_json(c->tenant);
	if (!org)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	rc = odata_respond_entity(c->odata, c->req, c->resp, 200, &organization_entity,
	                          org, NULL);
	json_decref(org);
	return rc;
}

const struct route organization_routes[] = {
    {"GET", "/organization", organization_list, ROUTE_ODATA, &organization_entity,
     &PERMS_ORG_READ},
    {"GET", "/organization/{id}", organization_get, ROUTE_ODATA, &organization_entity,
     &PERMS_ORG_READ},
    {0},
};
