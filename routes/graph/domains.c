/*
 * routes/graph/domains.c - /domains: the tenant's domain as Graph describes
 * an initial *.onmicrosoft.com domain. Scripts read it to learn the default
 * domain for the userPrincipalName of a new user (Get-MgDomain, Terraform's
 * azuread_domains). Built from the tenant on each request; nothing stored.
 */
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

/* Every structural property Graph's domain declares is a default one. */
static const struct odata_prop domain_props[] = {
    {"authenticationType", ODATA_STRING, D},
    {"availabilityStatus", ODATA_STRING, D},
    {"id", ODATA_STRING, D | OP_FILTER},
    {"isAdminManaged", ODATA_BOOL, D | OP_FILTER},
    {"isDefault", ODATA_BOOL, D | OP_FILTER},
    {"isInitial", ODATA_BOOL, D | OP_FILTER},
    {"isRoot", ODATA_BOOL, D | OP_FILTER},
    {"isVerified", ODATA_BOOL, D | OP_FILTER},
    {"manufacturer", ODATA_STRING, D},
    {"model", ODATA_STRING, D},
    {"passwordNotificationWindowInDays", ODATA_INT, D},
    {"passwordValidityPeriodInDays", ODATA_INT, D},
    {"state", ODATA_OBJECT, D},
    {"supportedServices", ODATA_STRING_COLLECTION, D},
    {0},
};

const struct odata_entity domain_entity = {
    "domains", "Domain", "#microsoft.graph.domain", 0, domain_props, SCHEMA_TYPE(domain),
};

/*
 * The initial domain of @t, as Graph answers for a new tenant's
 * contoso.onmicrosoft.com: managed, verified, the default, passwords that
 * never expire (2147483647 days). New reference.
 */
static json_t *domain_json(const struct tenant *t)
{
	return json_pack("{s:s, s:n, s:s, s:b, s:b, s:b, s:b, s:b, s:n, s:n, s:i, s:i, "
	                 "s:n, s:[s, s]}",
	                 "authenticationType", "Managed", "availabilityStatus", "id",
	                 t->domain, "isAdminManaged", 1, "isDefault", 1, "isInitial", 1,
	                 "isRoot", 1, "isVerified", 1, "manufacturer", "model",
	                 "passwordNotificationWindowInDays", 14,
	                 "passwordValidityPeriodInDays", 2147483647, "state",
	                 "supportedServices", "Email", "OfficeCommunicationsOnline");
}

static int domains_list(struct call *c)
{
	json_t *domain = domain_json(c->tenant);
	struct odata_item item = {domain, &domain_entity, 1, NULL, {NULL, 0}};
	struct odata_list_opts opts = {"domains", false, 0, 0, NULL};
	int rc;

	if (!domain)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	rc = odata_respond_collection(c->odata, c->req, c->resp, &item, 1, &opts);
	json_decref(domain);
	return rc;
}

static int domains_get(struct call *c)
{
	const char *id = req_param(c->req, 0);
	json_t *domain;
	int rc;

	if (strcasecmp(id, c->tenant->domain))
		return resp_not_found(c->resp, id);
	domain = domain_json(c->tenant);
	if (!domain)
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	rc = odata_respond_entity(c->odata, c->req, c->resp, 200, &domain_entity, domain,
	                          NULL);
	json_decref(domain);
	return rc;
}

const struct route domain_routes[] = {
    {"GET", "/domains", domains_list, ROUTE_ODATA, &domain_entity, &PERMS_DOMAIN_READ},
    {"GET", "/domains/{id}", domains_get, ROUTE_ODATA, &domain_entity,
     &PERMS_DOMAIN_READ},
    {0},
};
