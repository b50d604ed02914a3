/*
 * routes/graph/entity_app.c - schemas of the enterprise-app types: service
 * principals (graph-spec §6.2), applications (§7.2), application templates
 * (§7.1) and app role assignments (§6.3). Graph returns their full property
 * sets by default.
 */
#include "entities.h"

#define D  OP_DEFAULT
#define F  OP_FILTER
#define SW OP_STARTSWITH
#define OB OP_ORDERBY
#define S  OP_SEARCH

static const struct odata_prop service_principal_props[] = {
    {"id", ODATA_GUID, D | F},
    {"deletedDateTime", ODATA_DATETIME, D},
    {"accountEnabled", ODATA_BOOL, D | F},
    {"alternativeNames", ODATA_STRING_COLLECTION, D | F},
    {"appDisplayName", ODATA_STRING, D | F | SW},
    {"appDescription", ODATA_STRING, D},
    {"appId", ODATA_STRING, D | F},
    {"applicationTemplateId", ODATA_STRING, D | F},
    {"appOwnerOrganizationId", ODATA_GUID, D | F},
    {"appRoleAssignmentRequired", ODATA_BOOL, D | F},
    {"description", ODATA_STRING, D | F | SW | S},
    {"disabledByMicrosoftStatus", ODATA_STRING, D | F},
    /* graph-spec §6.1: $orderby=displayName needs advanced query params. */
    {"displayName", ODATA_STRING, D | F | SW | OB | OP_ORDERBY_ADVANCED | S},
    {"homepage", ODATA_STRING, D | F | SW},
    {"loginUrl", ODATA_STRING, D},
    {"logoutUrl", ODATA_STRING, D},
    {"notes", ODATA_STRING, D},
    {"notificationEmailAddresses", ODATA_STRING_COLLECTION, D},
    {"preferredSingleSignOnMode", ODATA_STRING, D | F},
    {"preferredTokenSigningKeyThumbprint", ODATA_STRING, D},
    {"replyUrls", ODATA_STRING_COLLECTION, D | F},
    {"servicePrincipalNames", ODATA_STRING_COLLECTION, D | F | SW},
    {"servicePrincipalType", ODATA_STRING, D | F},
    {"signInAudience", ODATA_STRING, D},
    {"tags", ODATA_STRING_COLLECTION, D | F},
    {"tokenEncryptionKeyId", ODATA_GUID, D},
    {"info", ODATA_OBJECT, D},
    {"addIns", ODATA_OBJECT_COLLECTION, D},
    {"appRoles", ODATA_OBJECT_COLLECTION, D},
    {"keyCredentials", ODATA_OBJECT_COLLECTION, D},
    {"oauth2PermissionScopes", ODATA_OBJECT_COLLECTION, D},
    {"passwordCredentials", ODATA_OBJECT_COLLECTION, D},
    {"resourceSpecificApplicationPermissions", ODATA_OBJECT_COLLECTION, D},
    {"verifiedPublisher", ODATA_OBJECT, D},
    {0},
};

const struct odata_entity service_principal_entity = {
    "servicePrincipals", "ServicePrincipal",      "#microsoft.graph.servicePrincipal",
    OE_DIRECTORY,        service_principal_props, SCHEMA_TYPE(servicePrincipal),
};

static const struct odata_prop application_props[] = {
    {"id", ODATA_GUID, D | F},
    {"deletedDateTime", ODATA_DATETIME, D},
    {"appId", ODATA_STRING, D | F},
    {"applicationTemplateId", ODATA_STRING, D | F},
    {"createdDateTime", ODATA_DATETIME, D | F | OP_RANGE},
    {"description", ODATA_STRING, D | F | SW | S},
    {"displayName", ODATA_STRING, D | F | SW | OB | S},
    {"identifierUris", ODATA_STRING_COLLECTION, D | F},
    {"notes", ODATA_STRING, D},
    {"publisherDomain", ODATA_STRING, D | F},
    {"signInAudience", ODATA_STRING, D | F},
    {"tags", ODATA_STRING_COLLECTION, D | F},
    {"appRoles", ODATA_OBJECT_COLLECTION, D},
    {"addIns", ODATA_OBJECT_COLLECTION, D},
    {"api", ODATA_OBJECT, D},
    {"info", ODATA_OBJECT, D},
    {"isFallbackPublicClient", ODATA_BOOL, D},
    {"keyCredentials", ODATA_OBJECT_COLLECTION, D},
    {"parentalControlSettings", ODATA_OBJECT, D},
    {"passwordCredentials", ODATA_OBJECT_COLLECTION, D},
    {"publicClient", ODATA_OBJECT, D},
    {"requiredResourceAccess", ODATA_OBJECT_COLLECTION, D},
    {"web", ODATA_OBJECT, D},
    {"spa", ODATA_OBJECT, D},
    {0},
};

const struct odata_entity application_entity = {
    "applications", "Application",     "#microsoft.graph.application",
    OE_DIRECTORY,   application_props, SCHEMA_TYPE(application),
};

/* Templates also store "appRoles", graphmock's extension copied into the apps
 * instantiated from them; Graph's applicationTemplate has no such property, so
 * it is not in the schema: never returned, and $select=appRoles is a 400. */
static const struct odata_prop application_template_props[] = {
    {"id", ODATA_GUID, D | F},
    {"displayName", ODATA_STRING, D | F | SW | OP_CONTAINS | OB},
    {"homePageUrl", ODATA_STRING, D},
    {"supportedSingleSignOnModes", ODATA_STRING_COLLECTION, D | F},
    {"supportedProvisioningTypes", ODATA_STRING_COLLECTION, D | F},
    {"logoUrl", ODATA_STRING, D},
    {"categories", ODATA_STRING_COLLECTION, D | F | OP_CONTAINS},
    {"publisher", ODATA_STRING, D | F | OB},
    {"description", ODATA_STRING, D},
    {0},
};

const struct odata_entity application_template_entity = {
    "applicationTemplates",
    "ApplicationTemplate",
    "#microsoft.graph.applicationTemplate",
    OE_SKIP,
    application_template_props,
    SCHEMA_TYPE(applicationTemplate),
};

static const struct odata_prop app_role_assignment_props[] = {
    {"id", ODATA_STRING, D | F},
    {"deletedDateTime", ODATA_DATETIME, D},
    {"appRoleId", ODATA_GUID, D | F},
    {"createdDateTime", ODATA_DATETIME, D},
    {"principalDisplayName", ODATA_STRING, D | F | SW},
    {"principalId", ODATA_GUID, D | F},
    {"principalType", ODATA_STRING, D | F},
    {"resourceDisplayName", ODATA_STRING, D | F | SW},
    {"resourceId", ODATA_GUID, D | F},
    {0},
};

const struct odata_entity app_role_assignment_entity = {
    "appRoleAssignments",
    "AppRoleAssignment",
    "#microsoft.graph.appRoleAssignment",
    0,
    app_role_assignment_props,
    SCHEMA_TYPE(appRoleAssignment),
};
