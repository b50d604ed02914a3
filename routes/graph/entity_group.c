/*
 * routes/graph/entity_group.c - the group schema (graph-spec §5.1-5.2): Graph
 * returns the full property set by default.
 */
#include "entities.h"

#define D  OP_DEFAULT
#define F  OP_FILTER
#define SW OP_STARTSWITH
#define R  OP_RANGE
#define OB OP_ORDERBY
#define S  OP_SEARCH

static const struct odata_prop group_props[] = {
    {"id", ODATA_GUID, D | F},
    {"deletedDateTime", ODATA_DATETIME, D},
    {"classification", ODATA_STRING, D | F},
    {"createdDateTime", ODATA_DATETIME, D | OP_ADVANCED | F | R},
    {"creationOptions", ODATA_STRING_COLLECTION, D},
    {"description", ODATA_STRING, D | F | SW | S},
    {"displayName", ODATA_STRING, D | F | SW | R | OB | S},
    {"expirationDateTime", ODATA_DATETIME, D | F | R},
    {"groupTypes", ODATA_STRING_COLLECTION, D | F},
    {"isAssignableToRole", ODATA_BOOL, D | F},
    {"mail", ODATA_STRING, D | F | SW | S},
    {"mailEnabled", ODATA_BOOL, D | F},
    {"mailNickname", ODATA_STRING, D | F | SW | S},
    {"membershipRule", ODATA_STRING, D | F},
    {"membershipRuleProcessingState", ODATA_STRING, D | F},
    {"onPremisesDomainName", ODATA_STRING, D},
    {"onPremisesLastSyncDateTime", ODATA_DATETIME, D | F | R},
    {"onPremisesNetBiosName", ODATA_STRING, D},
    {"onPremisesSamAccountName", ODATA_STRING, D},
    {"onPremisesSecurityIdentifier", ODATA_STRING, D | F},
    {"onPremisesSyncEnabled", ODATA_BOOL, D | F},
    {"preferredDataLocation", ODATA_STRING, D},
    {"preferredLanguage", ODATA_STRING, D | F},
    {"proxyAddresses", ODATA_STRING_COLLECTION, D | F | SW},
    {"renewedDateTime", ODATA_DATETIME, D | F | R},
    {"resourceBehaviorOptions", ODATA_STRING_COLLECTION, D},
    {"resourceProvisioningOptions", ODATA_STRING_COLLECTION, D},
    {"securityEnabled", ODATA_BOOL, D | F},
    {"securityIdentifier", ODATA_STRING, D | F},
    {"serviceProvisioningErrors", ODATA_OBJECT_COLLECTION, D},
    {"theme", ODATA_STRING, D},
    {"uniqueName", ODATA_STRING, D | F},
    {"visibility", ODATA_STRING, D},
    {"onPremisesProvisioningErrors", ODATA_OBJECT_COLLECTION, D},
    {0},
};

const struct odata_entity group_entity = {
    "groups",     "Group",     "#microsoft.graph.group",
    OE_DIRECTORY, group_props, SCHEMA_TYPE(group),
};
