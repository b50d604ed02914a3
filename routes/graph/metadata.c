/*
 * routes/graph/metadata.c - GET /$metadata: the CSDL (EDMX) of every type in
 * graphmock's tables of Graph's own schema (state/schema/), written back in
 * Graph's spelling: namespace microsoft.graph with the alias graph, the
 * GraphService container, its entity sets and singletons with their
 * navigation property bindings. The names a client discovers here are
 * exactly those $select takes and responses carry. Graph's document is far
 * larger (every workload); clients that read it (n8n's Entra node, code
 * generators) look up entity types and property names.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../../server/core/call.h"
#include "../../server/core/error.h"
#include "../../server/core/resp.h"
#include "../../server/core/router.h"
#include "../../state/schema/schema.h"
#include "../../state/util/buf.h"
#include "permissions.h"

#define NS      SCHEMA_NAMESPACE "."
#define ALIAS   "graph."
#define DOC_MAX ((size_t)8 << 20)

static void add(struct buf *t, const char *s)
{
	buf_addstr(t, s);
}

/* A type reference as Graph writes it: "graph.user", primitives as they are. */
static void type_ref(struct buf *t, const char *qualified)
{
	if (!strncmp(qualified, NS, strlen(NS))) {
		add(t, ALIAS);
		qualified += strlen(NS);
	}
	add(t, qualified);
}

static void put_property(struct buf *t, const struct schema_property *p)
{
	bool nav = p->flags & SCHEMA_PROP_NAVIGATION;
	bool many = p->flags & SCHEMA_PROP_COLLECTION;

	add(t, nav ? "<NavigationProperty Name=\"" : "<Property Name=\"");
	add(t, p->name);
	add(t, "\" Type=\"");
	if (many)
		add(t, "Collection(");
	type_ref(t, p->type_name);
	if (many)
		add(t, ")");
	add(t, "\"");
	if (!(p->flags & SCHEMA_PROP_NULLABLE))
		add(t, " Nullable=\"false\"");
	if (p->flags & SCHEMA_PROP_CONTAINS_TARGET)
		add(t, " ContainsTarget=\"true\"");
	add(t, "/>");
}

static void put_enum(struct buf *t, const struct schema_type *ty)
{
	char num[32];

	add(t, "<EnumType Name=\"");
	add(t, ty->short_name);
	add(t, ty->flags & SCHEMA_TYPE_FLAGS ? "\" IsFlags=\"true\">" : "\">");
	for (size_t i = 0; i < ty->nmembers; i++) {
		snprintf(num, sizeof(num), "%lld", (long long)ty->members[i].value);
		add(t, "<Member Name=\"");
		add(t, ty->members[i].name);
		add(t, "\" Value=\"");
		add(t, num);
		add(t, "\"/>");
	}
	add(t, "</EnumType>");
}

static void put_structured(struct buf *t, const struct schema_type *ty)
{
	const char *tag = ty->kind == SCHEMA_KIND_ENTITY ? "EntityType" : "ComplexType";

	add(t, "<");
	add(t, tag);
	add(t, " Name=\"");
	add(t, ty->short_name);
	add(t, "\"");
	if (ty->base) {
		add(t, " BaseType=\"");
		type_ref(t, ty->base->name);
		add(t, "\"");
	}
	if (ty->flags & SCHEMA_TYPE_ABSTRACT)
		add(t, " Abstract=\"true\"");
	if (ty->flags & SCHEMA_TYPE_OPEN)
		add(t, " OpenType=\"true\"");
	add(t, ">");
	/* The key is written by the type that declares it (entity). */
	if (ty->key && ty->key->owner == ty) {
		add(t, "<Key><PropertyRef Name=\"");
		add(t, ty->key->name);
		add(t, "\"/></Key>");
	}
	for (size_t i = 0; i < ty->nprops; i++)
		put_property(t, &ty->props[i]);
	add(t, "</");
	add(t, tag);
	add(t, ">");
}

static void put_source(struct buf *t, const struct schema_source *s)
{
	bool set = s->kind == SCHEMA_ENTITY_SET;

	add(t, set ? "<EntitySet Name=\"" : "<Singleton Name=\"");
	add(t, s->name);
	add(t, set ? "\" EntityType=\"" : "\" Type=\"");
	add(t, s->type->name);
	if (!s->nbindings) {
		add(t, "\"/>");
		return;
	}
	add(t, "\">");
	for (size_t i = 0; i < s->nbindings; i++) {
		add(t, "<NavigationPropertyBinding Path=\"");
		add(t, s->bindings[i].path);
		add(t, "\" Target=\"");
		add(t, s->bindings[i].target);
		add(t, "\"/>");
	}
	add(t, set ? "</EntitySet>" : "</Singleton>");
}

static int metadata_get(struct call *c)
{
	struct buf t;
	int rc;

	buf_init(&t, DOC_MAX);
	add(&t, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	        "<edmx:Edmx Version=\"4.0\" "
	        "xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">"
	        "<edmx:DataServices><Schema Namespace=\"" SCHEMA_NAMESPACE
	        "\" Alias=\"graph\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">");
	for (size_t i = 0; i < schema_ntypes; i++)
		if (schema_types[i].kind == SCHEMA_KIND_ENUM)
			put_enum(&t, &schema_types[i]);
	for (size_t i = 0; i < schema_ntypes; i++)
		if (schema_types[i].kind != SCHEMA_KIND_ENUM)
			put_structured(&t, &schema_types[i]);
	add(&t, "<EntityContainer Name=\"" SCHEMA_CONTAINER "\">");
	for (size_t i = 0; i < schema_nsources; i++)
		put_source(&t, &schema_sources[i]);
	add(&t, "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>");
	if (t.failed) {
		buf_release(&t);
		return resp_error(c->resp, GERR_INTERNAL, "Out of memory.");
	}
	rc = resp_raw(c->resp, 200, "application/xml;charset=utf-8", t.data, t.len);
	buf_release(&t);
	return rc;
}

const struct route metadata_routes[] = {
    {"GET", "/$metadata", metadata_get, 0, NULL, &route_perms_none},
    {0},
};
