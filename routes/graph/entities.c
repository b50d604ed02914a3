/*
 * routes/graph/entities.c - the directoryObject schema used by mixed-type
 * collections (/members, /memberOf, /directoryObjects) and the kind-to-
 * schema mapping. Each item of such a collection is projected with its own
 * type's schema; this one only governs $filter/$orderby on the collection.
 */
#include "entities.h"

static const struct odata_prop directory_object_props[] = {
    {"id", ODATA_GUID, OP_DEFAULT | OP_FILTER},
    {"deletedDateTime", ODATA_DATETIME, 0},
    {"displayName", ODATA_STRING, OP_FILTER | OP_STARTSWITH | OP_ORDERBY | OP_SEARCH},
    {"mail", ODATA_STRING, OP_FILTER | OP_STARTSWITH | OP_SEARCH},
    {"userPrincipalName", ODATA_STRING, OP_FILTER | OP_STARTSWITH | OP_SEARCH},
    {"userType", ODATA_STRING, OP_FILTER},
    {"securityEnabled", ODATA_BOOL, OP_FILTER},
    {"mailEnabled", ODATA_BOOL, OP_FILTER},
    {"appId", ODATA_STRING, OP_FILTER},
    {0},
};

const struct odata_entity directory_object_entity = {
    "directoryObjects",     "DirectoryObject",      "#microsoft.graph.directoryObject",
    OE_DIRECTORY | OE_OPEN, directory_object_props, SCHEMA_TYPE(directoryObject),
};

const struct odata_entity *entity_for_kind(enum dobj_kind kind)
{
	switch (kind) {
	case DOBJ_USER:
		return &user_entity;
	case DOBJ_GROUP:
		return &group_entity;
	case DOBJ_SERVICE_PRINCIPAL:
		return &service_principal_entity;
	case DOBJ_APPLICATION:
		return &application_entity;
	case DOBJ_KIND_COUNT:
		break;
	}
	return &directory_object_entity;
}
