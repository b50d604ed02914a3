/*
 * routes/graph/metadata.c - GET /$metadata: a CSDL (EDMX) document generated from
 * the same OData schemas the routes filter and project with, so the property
 * names a client discovers are exactly the ones graphmock serves. Graph's
 * document is far larger; clients that read it (n8n's Entra node) only look
 * up entity types and property names.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/req.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/util/buf.h"
#include "entities.h"
#include "permissions.h"

/* "#microsoft.graph.user" -> "user" */
static const char *type_name(const struct odata_entity *e)
{
	const char *dot = strrchr(e->odata_type, '.');

	return dot ? dot + 1 : e->odata_type;
}

static void put_entity_type(struct buf *t, const struct odata_entity *e, bool directory)
{
	char line[256];

	snprintf(line, sizeof(line), "<EntityType Name=\"%s\"%s OpenType=\"true\">",
	         type_name(e), directory ? " BaseType=\"graph.directoryObject\"" : "");
	buf_addstr(t, line);
	if (!directory)
		buf_addstr(t, "<Key><PropertyRef Name=\"id\"/></Key>");
	for (const struct odata_prop *p = e->props; p->name; p++) {
		if (directory &&
		    (!strcmp(p->name, "id") || !strcmp(p->name, "deletedDateTime")))
			continue; /* inherited from directoryObject */
		snprintf(line, sizeof(line), "<Property Name=\"%s\" Type=\"%s\"%s/>",
		         p->name, odata_edm_type(p->type),
		         strcmp(p->name, "id") ? "" : " Nullable=\"false\"");
		buf_addstr(t, line);
	}
	buf_addstr(t, "</EntityType>");
}

static const struct odata_entity *const directory_entities[] = {
    &user_entity, &group_entity, &service_principal_entity, &application_entity, NULL,
};

static const struct odata_entity *const other_entities[] = {
    &application_template_entity,
    &app_role_assignment_entity,
    NULL,
};

static int metadata_get(struct call *c)
{
	struct buf t;
	char line[256];

	buf_init(&t, (size_t)1 << 20);
	buf_addstr(
	    &t,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	    "<edmx:Edmx Version=\"4.0\" "
	    "xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">"
	    "<edmx:DataServices><Schema Namespace=\"microsoft.graph\" Alias=\"graph\" "
	    "xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">"
	    "<EntityType Name=\"directoryObject\" OpenType=\"true\"><Key><PropertyRef "
	    "Name=\"id\"/></Key><Property Name=\"id\" Type=\"Edm.String\" "
	    "Nullable=\"false\"/><Property Name=\"deletedDateTime\" "
	    "Type=\"Edm.DateTimeOffset\"/></EntityType>"
	    /* Object-valued properties are typed loosely: one open complex type. */
	    "<ComplexType Name=\"complexType\" OpenType=\"true\"/>");
	for (size_t i = 0; directory_entities[i]; i++)
		put_entity_type(&t, directory_entities[i], true);
	for (size_t i = 0; other_entities[i]; i++)
		put_entity_type(&t, other_entities[i], false);
	buf_addstr(&t, "<EntityContainer Name=\"GraphService\">"
	               "<EntitySet Name=\"directoryObjects\" "
	               "EntityType=\"microsoft.graph.directoryObject\"/>");
	for (size_t i = 0; directory_entities[i]; i++) {
		snprintf(line, sizeof(line),
		         "<EntitySet Name=\"%s\" EntityType=\"microsoft.graph.%s\"/>",
		         directory_entities[i]->set, type_name(directory_entities[i]));
		buf_addstr(&t, line);
	}
	buf_addstr(&t, "<EntitySet Name=\"applicationTemplates\" "
	               "EntityType=\"microsoft.graph.applicationTemplate\"/>"
	               "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>");
	if (t.failed) {
		buf_release(&t);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	int rc = resp_raw(c->resp, 200, "application/xml;charset=utf-8", t.data, t.len);
	buf_release(&t);
	return rc;
}

const struct route metadata_routes[] = {
    {"GET", "/$metadata", metadata_get, 0, NULL, &route_perms_none},
    {0},
};
