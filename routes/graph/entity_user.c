/*
 * routes/graph/entity_user.c - the user entity (graph-spec §3.3, §4.5) over
 * Graph's CSDL type: the eleven default properties, the single-entity-only
 * ones, and what Graph lets clients filter, sort and search on by default
 * versus with advanced query params. Every other property of the CSDL type
 * is $select-able as it is.
 */
#include "entities.h"

#define D   OP_DEFAULT
#define F   OP_FILTER
#define SW  OP_STARTSWITH
#define EW  OP_ENDSWITH
#define R   OP_RANGE
#define ADV OP_ADVANCED
#define OB  OP_ORDERBY
#define S   OP_SEARCH

static const struct odata_prop user_props[] = {
    {"businessPhones", ODATA_STRING_COLLECTION, D | ADV},
    {"displayName", ODATA_STRING, D | F | SW | R | OB | S},
    {"givenName", ODATA_STRING, D | F | SW | R},
    {"id", ODATA_GUID, D | F | R},
    {"jobTitle", ODATA_STRING, D | F | SW},
    {"mail", ODATA_STRING, D | F | SW | EW | R | S},
    {"mobilePhone", ODATA_STRING, D | ADV | F | SW},
    {"officeLocation", ODATA_STRING, D | ADV | F | SW},
    {"preferredLanguage", ODATA_STRING, D | ADV | F},
    {"surname", ODATA_STRING, D | F | SW | R},
    {"userPrincipalName", ODATA_STRING, D | F | SW | EW | R | OB | S},
    {"accountEnabled", ODATA_BOOL, F},
    {"ageGroup", ODATA_STRING, F},
    /* any(u:u/skuId eq <guid>), and /$count eq 0 with advanced params */
    {"assignedLicenses", ODATA_OBJECT_COLLECTION, F},
    {"city", ODATA_STRING, F | SW},
    {"companyName", ODATA_STRING, ADV | F | SW},
    {"country", ODATA_STRING, F | SW},
    {"createdDateTime", ODATA_DATETIME, F | R | OB | OP_ORDERBY_ADVANCED},
    {"creationType", ODATA_STRING, F},
    {"deletedDateTime", ODATA_DATETIME, 0},
    {"department", ODATA_STRING, F | SW},
    {"employeeId", ODATA_STRING, F | SW},
    {"employeeHireDate", ODATA_DATETIME, ADV | F | R},
    {"employeeType", ODATA_STRING, ADV | F},
    {"externalUserState", ODATA_STRING, F},
    {"externalUserStateChangeDateTime", ODATA_DATETIME, F | R},
    {"faxNumber", ODATA_STRING, ADV | F},
    {"identities", ODATA_OBJECT_COLLECTION, F},
    {"imAddresses", ODATA_STRING_COLLECTION, F},
    {"isResourceAccount", ODATA_BOOL, 0},
    {"mailNickname", ODATA_STRING, F | SW | S},
    {"onPremisesImmutableId", ODATA_STRING, F},
    {"onPremisesSyncEnabled", ODATA_BOOL, F},
    {"otherMails", ODATA_STRING_COLLECTION, F | SW | EW},
    {"passwordPolicies", ODATA_STRING, 0},
    {"passwordProfile", ODATA_OBJECT, OP_HIDDEN},
    {"postalCode", ODATA_STRING, ADV | F},
    {"preferredDataLocation", ODATA_STRING, 0},
    {"proxyAddresses", ODATA_STRING_COLLECTION, F | SW | EW},
    {"showInAddressList", ODATA_BOOL, 0},
    {"state", ODATA_STRING, F | SW},
    {"streetAddress", ODATA_STRING, ADV | F},
    {"usageLocation", ODATA_STRING, F | SW},
    {"userType", ODATA_STRING, F},
    /* Served by GET /users/{id} only; a list answers 501 (graph-spec §4.1). */
    {"aboutMe", ODATA_STRING, OP_SINGLE},
    {"birthday", ODATA_DATETIME, OP_SINGLE},
    {"hireDate", ODATA_DATETIME, OP_SINGLE},
    {"interests", ODATA_STRING_COLLECTION, OP_SINGLE},
    {"mySite", ODATA_STRING, OP_SINGLE},
    {"pastProjects", ODATA_STRING_COLLECTION, OP_SINGLE},
    {"preferredName", ODATA_STRING, OP_SINGLE},
    {"responsibilities", ODATA_STRING_COLLECTION, OP_SINGLE},
    {"schools", ODATA_STRING_COLLECTION, OP_SINGLE},
    {"skills", ODATA_STRING_COLLECTION, OP_SINGLE},
    {"mailboxSettings", ODATA_OBJECT, OP_SINGLE},
    {0},
};

const struct odata_entity user_entity = {
    "users", "User", "#microsoft.graph.user", OE_DIRECTORY, user_props, SCHEMA_TYPE(user),
};
