/*
 * server/odata/odata_test_schemas.h - test fixtures shared by the odata unit tests:
 * schemas for users, groups, servicePrincipals, applicationTemplates and
 * appRoleAssignments written the way routes should write theirs, plus one
 * sample stored object per type.
 */
#ifndef GRAPHMOCK_SERVER_ODATA_ODATA_TEST_SCHEMAS_H
#define GRAPHMOCK_SERVER_ODATA_ODATA_TEST_SCHEMAS_H

#include "odata.h"

#define T_UNUSED  __attribute__((unused))
#define T_STR_DEF (OP_DEFAULT | OP_FILTER | OP_STARTSWITH)

static const struct odata_prop fx_user_props[] T_UNUSED = {
    {"businessPhones", ODATA_STRING_COLLECTION, OP_DEFAULT},
    {"displayName", ODATA_STRING, T_STR_DEF | OP_RANGE | OP_ORDERBY | OP_SEARCH},
    {"givenName", ODATA_STRING, T_STR_DEF | OP_RANGE},
    {"id", ODATA_GUID, OP_DEFAULT | OP_FILTER | OP_RANGE},
    {"jobTitle", ODATA_STRING, T_STR_DEF},
    {"mail", ODATA_STRING, T_STR_DEF | OP_ENDSWITH | OP_RANGE | OP_SEARCH},
    {"mobilePhone", ODATA_STRING, OP_DEFAULT | OP_FILTER | OP_ADVANCED},
    {"officeLocation", ODATA_STRING, OP_DEFAULT | OP_FILTER | OP_ADVANCED},
    {"preferredLanguage", ODATA_STRING, OP_DEFAULT | OP_FILTER | OP_ADVANCED},
    {"surname", ODATA_STRING, T_STR_DEF},
    {"userPrincipalName", ODATA_STRING, T_STR_DEF | OP_ENDSWITH | OP_ORDERBY | OP_SEARCH},
    {"accountEnabled", ODATA_BOOL, OP_FILTER},
    {"userType", ODATA_STRING, OP_FILTER},
    {"creationType", ODATA_STRING, OP_FILTER},
    {"externalUserState", ODATA_STRING, OP_FILTER},
    {"mailNickname", ODATA_STRING, OP_FILTER | OP_STARTSWITH},
    {"otherMails", ODATA_STRING_COLLECTION, OP_FILTER | OP_STARTSWITH | OP_ENDSWITH},
    {"proxyAddresses", ODATA_STRING_COLLECTION, OP_FILTER | OP_STARTSWITH | OP_ENDSWITH},
    {"identities", ODATA_OBJECT_COLLECTION, OP_FILTER},
    {"assignedLicenses", ODATA_OBJECT_COLLECTION, OP_FILTER},
    {"createdDateTime", ODATA_DATETIME,
     OP_FILTER | OP_RANGE | OP_ORDERBY | OP_ORDERBY_ADVANCED},
    {"companyName", ODATA_STRING, OP_FILTER | OP_STARTSWITH | OP_ADVANCED},
    {"employeeOrgData", ODATA_OBJECT, OP_FILTER | OP_ADVANCED},
    {"signInActivity", ODATA_OBJECT, 0},
    {"passwordProfile", ODATA_OBJECT, OP_HIDDEN},
    {0},
};

static const struct odata_entity fx_user T_UNUSED = {
    .set = "users",
    .type_name = "User",
    .odata_type = "#microsoft.graph.user",
    .flags = OE_DIRECTORY,
    .props = fx_user_props,
};

static const struct odata_prop fx_group_props[] T_UNUSED = {
    {"id", ODATA_GUID, OP_DEFAULT | OP_FILTER},
    {"createdDateTime", ODATA_DATETIME, OP_DEFAULT},
    {"description", ODATA_STRING, OP_DEFAULT | OP_SEARCH},
    {"displayName", ODATA_STRING, T_STR_DEF | OP_ORDERBY | OP_SEARCH},
    {"groupTypes", ODATA_STRING_COLLECTION, OP_DEFAULT | OP_FILTER},
    {"mail", ODATA_STRING, T_STR_DEF | OP_ENDSWITH | OP_SEARCH},
    {"mailEnabled", ODATA_BOOL, OP_DEFAULT | OP_FILTER},
    {"mailNickname", ODATA_STRING, T_STR_DEF},
    {"securityEnabled", ODATA_BOOL, OP_DEFAULT | OP_FILTER},
    {"proxyAddresses", ODATA_STRING_COLLECTION, OP_DEFAULT | OP_FILTER | OP_STARTSWITH},
    {0},
};

static const struct odata_entity fx_group T_UNUSED = {
    .set = "groups",
    .type_name = "Group",
    .odata_type = "#microsoft.graph.group",
    .flags = OE_DIRECTORY,
    .props = fx_group_props,
};

static const struct odata_prop fx_sp_props[] T_UNUSED = {
    {"id", ODATA_GUID, OP_DEFAULT | OP_FILTER},
    {"appId", ODATA_STRING, OP_DEFAULT | OP_FILTER | OP_STARTSWITH},
    {"displayName", ODATA_STRING,
     T_STR_DEF | OP_ORDERBY | OP_ORDERBY_ADVANCED | OP_SEARCH},
    {"servicePrincipalNames", ODATA_STRING_COLLECTION,
     OP_DEFAULT | OP_FILTER | OP_STARTSWITH},
    {"tags", ODATA_STRING_COLLECTION, OP_DEFAULT | OP_FILTER},
    {"accountEnabled", ODATA_BOOL, OP_DEFAULT | OP_FILTER},
    {"appRoles", ODATA_OBJECT_COLLECTION, OP_DEFAULT},
    {"keyCredentials", ODATA_OBJECT_COLLECTION, OP_DEFAULT},
    {0},
};

static const struct odata_entity fx_sp T_UNUSED = {
    .set = "servicePrincipals",
    .type_name = "ServicePrincipal",
    .odata_type = "#microsoft.graph.servicePrincipal",
    .flags = OE_DIRECTORY,
    .props = fx_sp_props,
};

/* Not a directory object: no advanced-query gate, $skip honoured. */
static const struct odata_prop fx_tmpl_props[] T_UNUSED = {
    {"id", ODATA_GUID, OP_DEFAULT | OP_FILTER},
    {"displayName", ODATA_STRING, T_STR_DEF | OP_CONTAINS | OP_ENDSWITH | OP_ORDERBY},
    {"homePageUrl", ODATA_STRING, OP_DEFAULT},
    {"supportedSingleSignOnModes", ODATA_STRING_COLLECTION, OP_DEFAULT},
    {"supportedProvisioningTypes", ODATA_STRING_COLLECTION, OP_DEFAULT},
    {"logoUrl", ODATA_STRING, OP_DEFAULT},
    {"categories", ODATA_STRING_COLLECTION, OP_DEFAULT | OP_FILTER | OP_CONTAINS},
    {"publisher", ODATA_STRING, OP_DEFAULT | OP_ORDERBY},
    {"description", ODATA_STRING, OP_DEFAULT},
    {0},
};

static const struct odata_entity fx_tmpl T_UNUSED = {
    .set = "applicationTemplates",
    .type_name = "ApplicationTemplate",
    .odata_type = "#microsoft.graph.applicationTemplate",
    .flags = OE_SKIP,
    .props = fx_tmpl_props,
};

static const struct odata_prop fx_ara_props[] T_UNUSED = {
    {"id", ODATA_STRING, OP_DEFAULT | OP_FILTER},
    {"appRoleId", ODATA_GUID, OP_DEFAULT | OP_FILTER},
    {"createdDateTime", ODATA_DATETIME, OP_DEFAULT},
    {"principalDisplayName", ODATA_STRING, T_STR_DEF},
    {"principalId", ODATA_GUID, OP_DEFAULT | OP_FILTER},
    {"principalType", ODATA_STRING, OP_DEFAULT | OP_FILTER},
    {"resourceDisplayName", ODATA_STRING, OP_DEFAULT},
    {"resourceId", ODATA_GUID, OP_DEFAULT | OP_FILTER},
    {0},
};

static const struct odata_entity fx_ara T_UNUSED = {
    .set = "appRoleAssignments",
    .type_name = "AppRoleAssignment",
    .odata_type = "#microsoft.graph.appRoleAssignment",
    .flags = OE_DIRECTORY,
    .props = fx_ara_props,
};

/* Mixed members: $select names are not checked against one type. */
static const struct odata_prop fx_dirobj_props[] T_UNUSED = {
    {"id", ODATA_GUID, OP_DEFAULT | OP_FILTER},
    {"displayName", ODATA_STRING, OP_FILTER | OP_STARTSWITH | OP_ADVANCED},
    {0},
};

static const struct odata_entity fx_dirobj T_UNUSED = {
    .set = "directoryObjects",
    .type_name = "DirectoryObject",
    .odata_type = "#microsoft.graph.directoryObject",
    .flags = OE_DIRECTORY | OE_OPEN,
    .props = fx_dirobj_props,
};

static const char sample_user[] T_UNUSED =
    "{\"id\":\"cbb896f9-8306-49d0-b56b-b8e39cd28825\",\"businessPhones\":[],"
    "\"displayName\":\"Bob O'Brien\",\"givenName\":\"Bob\",\"surname\":\"O'Brien\","
    "\"mail\":\"bob@fabrikam.com\","
    "\"userPrincipalName\":\"bob_fabrikam.com#EXT#@contoso.onmicrosoft.com\","
    "\"mailNickname\":\"bob_fabrikam.com#EXT#\",\"jobTitle\":null,"
    "\"accountEnabled\":true,\"userType\":\"Guest\",\"creationType\":\"Invitation\","
    "\"externalUserState\":\"PendingAcceptance\","
    "\"otherMails\":[\"bob@fabrikam.com\",\"robert@example.org\"],"
    "\"proxyAddresses\":[\"SMTP:bob@fabrikam.com\"],"
    "\"identities\":[{\"signInType\":\"userPrincipalName\","
    "\"issuer\":\"contoso.onmicrosoft.com\","
    "\"issuerAssignedId\":\"bob_fabrikam.com#EXT#@contoso.onmicrosoft.com\"},"
    "{\"signInType\":\"emailAddress\",\"issuer\":\"My B2C tenant\","
    "\"issuerAssignedId\":\"j.smith@yahoo.com\"}],"
    "\"assignedLicenses\":[{\"disabledPlans\":[],"
    "\"skuId\":\"c7df2760-2c81-4ef7-b578-5b5392b571df\"}],"
    "\"createdDateTime\":\"2024-05-01T10:22:31Z\",\"companyName\":null,"
    "\"employeeOrgData\":{\"division\":\"Sales\",\"costCenter\":\"42\"},"
    "\"passwordProfile\":{\"password\":\"Secret-1\"}}";

static const char sample_group[] T_UNUSED =
    "{\"id\":\"21d05557-b7b6-418f-86fa-a3118d751be4\",\"displayName\":\"Finance Team\","
    "\"description\":\"All finance people\",\"groupTypes\":[\"Unified\"],"
    "\"mail\":\"finance@contoso.com\",\"mailEnabled\":true,\"mailNickname\":\"finance\","
    "\"securityEnabled\":false,\"createdDateTime\":\"2021-09-21T07:09:14Z\","
    "\"proxyAddresses\":[\"SMTP:finance@contoso.com\"]}";

static const char sample_sp[] T_UNUSED =
    "{\"id\":\"00af5dfb-85da-4b41-a677-0c6b86dd34f8\","
    "\"appId\":\"6731de76-14a6-49ae-97bc-6eba6914391e\",\"displayName\":\"DocuSign\","
    "\"servicePrincipalNames\":[\"6731de76-14a6-49ae-97bc-6eba6914391e\","
    "\"https://docusign.example\"],\"tags\":[],\"accountEnabled\":true,"
    "\"appRoles\":[],\"keyCredentials\":[]}";

static const char sample_tmpl[] T_UNUSED =
    "{\"id\":\"00000007-0000-0000-c000-000000000000\","
    "\"displayName\":\"Dynamics CRM Online\","
    "\"homePageUrl\":\"http://www.microsoft.com/dynamics/crm\","
    "\"supportedSingleSignOnModes\":[\"oidc\",\"external\"],"
    "\"supportedProvisioningTypes\":[],"
    "\"logoUrl\":\"https://az495088.vo.msecnd.net/app-logo/crm_215.png\","
    "\"categories\":[\"crm\",\"productivity\",\"collaboration\",\"businessMgmt\"],"
    "\"publisher\":\"Microsoft Corporation\",\"description\":null}";

static const char sample_ara[] T_UNUSED =
    "{\"id\":\"41W1zT6z1U-kJxf62svfp1HFE8pMZhxDh6FvVqHPpbg\","
    "\"appRoleId\":\"ef7437e6-4f94-4a0a-a110-a439eb2aa8f7\","
    "\"createdDateTime\":\"2021-02-15T16:39:38.2975029Z\","
    "\"principalDisplayName\":\"Megan Bowen\","
    "\"principalId\":\"cdb555e3-b33e-4fd5-a427-17fadacbdfa7\","
    "\"principalType\":\"User\",\"resourceDisplayName\":\"dxprovisioning-graphapi\","
    "\"resourceId\":\"8e881353-1735-45af-af21-ee1344582a4d\"}";

#endif
