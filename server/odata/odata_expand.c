/*
 * server/odata/odata_expand.c - $expand as Graph takes it on directory objects
 * (graph-spec §4.5; fidelity notes in docs/odata.md): navigation properties
 * of the entity's CSDL type, each with an optional nested $select and, for
 * manager, $levels; at most one item per request on directory objects; not
 * together with advanced query parameters. What each property points at is
 * the route's business (odata_related_fn); the engine caps each expanded
 * collection at 20 items and the page at 100.
 */
#include <stdlib.h>
#include <string.h>

#include "../../state/schema/schema.h"
#include "odata.h"
#include "odata_query.h"
#include "odata_util.h"

#define MAX_EXPAND 8
#define MAX_LEVELS 1000 /* "a number between 1 and 1000" (user-list-manager) */
#define FAILED     ODATA_SELECT_EXPAND_FAILED

/* Where the next top-level ',' is (parentheses nest), or @end. */
static const char *item_end(const char *s, const char *end)
{
	int depth = 0;

	for (; s < end; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')')
			depth--;
		else if (*s == ',' && depth == 0)
			return s;
	}
	return end;
}

static void trim(const char **s, const char **end)
{
	while (*s < *end && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*end > *s && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
		(*end)--;
}

/* Is the navigation target something graphmock keeps (a directory object)? */
static bool servable(const struct schema_property *nav)
{
	const struct schema_type *dir =
	    schema_type_find("microsoft.graph.directoryObject");

	return nav->type && schema_type_is_a(nav->type, dir);
}

static int parse_levels(struct odata_expand *x, const char *v, size_t n,
                        struct odata_err *err)
{
	long val = 0;

	if (strcmp(x->nav->name, "manager"))
		return odata_err_set(err, GERR_BAD_REQUEST,
		                     FAILED "$levels is supported only on 'manager'.");
	if (n == 3 && !odata_strncasecmp(v, "max", 3)) {
		x->levels = ODATA_LEVELS_MAX;
		return 0;
	}
	for (size_t i = 0; i < n && i < 8; i++) {
		if (v[i] < '0' || v[i] > '9')
			break;
		val = val * 10 + (v[i] - '0');
		if (i + 1 == n && val >= 1 && val <= MAX_LEVELS) {
			x->levels = (int)val;
			return 0;
		}
	}
	return odata_err_set(err, GERR_BAD_REQUEST,
	                     FAILED "The value of $levels must be 'max' or a number "
	                            "between 1 and %d, not '%.*s'.",
	                     MAX_LEVELS, (int)(n > 32 ? 32 : n), v);
}

/* The item's options between its parentheses: "$select=a,b;$levels=max". */
static int parse_options(struct odata_expand *x, const struct odata_entity *target,
                         const char *s, const char *end, struct odata_err *err)
{
	while (s < end) {
		const char *semi = memchr(s, ';', (size_t)(end - s));
		const char *stop = semi ? semi : end, *eq, *name = s;

		trim(&name, &stop);
		eq = memchr(name, '=', (size_t)(stop - name));
		if (eq && eq - name == 7 && !odata_strncasecmp(name, "$select", 7)) {
			if (x->select)
				return odata_err_set(err, GERR_BAD_REQUEST,
				                     FAILED "$select is given twice in "
				                            "$expand.");
			if (odata_select_parse(target, eq + 1, (size_t)(stop - eq - 1),
			                       &x->select, &x->nselect, err))
				return -1;
		} else if (eq && eq - name == 7 &&
		           !odata_strncasecmp(name, "$levels", 7)) {
			if (parse_levels(x, eq + 1, (size_t)(stop - eq - 1), err))
				return -1;
		} else if (name < stop) {
			/* Graph's known issues: "No support for nesting other query
			 * parameters such as $filter ... inside an $expand query"
			 * and "No support for more than one level of expand". */
			return odata_err_set(
			    err, GERR_BAD_REQUEST,
			    FAILED "The query option '%.*s' is not supported inside "
			           "$expand on directory objects.",
			    (int)(eq ? (eq - name > 32 ? 32 : eq - name)
			             : (stop - name > 32 ? 32 : stop - name)),
			    name);
		}
		s = semi ? semi + 1 : end;
	}
	return 0;
}

/* The entity the nested $select of @nav is checked against. */
static void target_entity(const struct schema_property *nav, struct odata_entity *t)
{
	memset(t, 0, sizeof(*t));
	t->type = nav->type;
	/* A directoryObject target holds users, groups...: their names are
	 * resolved item by item, as on any mixed collection. */
	if (!nav->type || (nav->type->flags & SCHEMA_TYPE_OPEN))
		t->flags = OE_OPEN;
	t->odata_type = nav->type_name; /* for messages only */
}

static int parse_item(struct odata_query *q, const char *s, const char *end,
                      struct odata_err *err)
{
	const struct odata_entity *e = q->entity;
	const struct schema_property *nav;
	struct odata_expand *x = &q->expand[q->nexpand];
	struct odata_entity target;
	const char *open, *name_end;

	trim(&s, &end);
	open = memchr(s, '(', (size_t)(end - s));
	name_end = open ? open : end;
	trim(&s, &name_end);
	if (name_end == s || (open && end[-1] != ')'))
		return odata_err_set(err, GERR_BAD_REQUEST,
		                     FAILED "Syntax error in $expand at '%.*s'.",
		                     (int)(end - s > 64 ? 64 : end - s), s);
	nav =
	    e->type ? schema_property_find_len(e->type, s, (size_t)(name_end - s)) : NULL;
	if (!nav)
		return odata_err_set(err, GERR_BAD_REQUEST,
		                     FAILED "Could not find a property named '%.*s' on "
		                            "type '%s'.",
		                     (int)(name_end - s > 128 ? 128 : name_end - s), s,
		                     odata_type_short(e));
	if (!(nav->flags & SCHEMA_PROP_NAVIGATION))
		return odata_err_set(err, GERR_BAD_REQUEST,
		                     FAILED
		                     "Property '%s' on type '%s' is not a navigation "
		                     "property or complex property. Only "
		                     "navigation properties can be expanded.",
		                     nav->name, odata_type_short(e));
	if (!servable(nav))
		return odata_err_set(
		    err, GERR_NOT_IMPLEMENTED,
		    "graphmock does not serve $expand of '%s' on '%s': it "
		    "keeps no %s objects.",
		    nav->name, odata_type_short(e), nav->type_name);
	memset(x, 0, sizeof(*x));
	x->nav = nav;
	q->nexpand++;
	target_entity(nav, &target);
	return open ? parse_options(x, &target, open + 1, end - 1, err) : 0;
}

static bool is_manager_levels(const struct odata_query *q)
{
	return q->nexpand == 1 && q->expand[0].levels &&
	       !strcmp(q->expand[0].nav->name, "manager");
}

int odata_expand_parse(struct odata_query *q, const char *v, struct odata_err *err)
{
	const char *s = v, *end = v + strlen(v);

	q->expand = calloc(MAX_EXPAND, sizeof(*q->expand));
	if (!q->expand)
		return odata_err_set(err, GERR_INTERNAL, "Out of memory.");
	while (s < end) {
		const char *stop = item_end(s, end);

		if (q->nexpand == MAX_EXPAND ||
		    (q->nexpand == 1 && (q->entity->flags & OE_DIRECTORY)))
			/* Users (confirmed, microsoft-graph-docs#96) and, as a
			 * documented choice, every directory type. */
			return odata_err_set(
			    err, GERR_BAD_REQUEST,
			    "The result of parsing $expand contained at least %zu items, "
			    "but the maximum allowed is %d.",
			    q->nexpand + 1,
			    q->entity->flags & OE_DIRECTORY ? 1 : MAX_EXPAND);
		if (parse_item(q, s, stop, err))
			return -1;
		s = stop < end ? stop + 1 : end;
	}
	/* aad-advanced-queries: "$expand is not currently supported with advanced
	 * queries"; the manager chain page itself pairs $levels with $count=true. */
	if (q->nexpand && (q->entity->flags & OE_DIRECTORY) && q->advanced &&
	    (q->count || q->search) && !is_manager_levels(q))
		return odata_err_set(err, GERR_UNSUPPORTED_QUERY,
		                     "$expand is not supported with advanced query "
		                     "parameters ($count, $search with ConsistencyLevel: "
		                     "eventual).");
	return 0;
}

void odata_expand_release(struct odata_query *q)
{
	for (size_t i = 0; q->expand && i < q->nexpand; i++) {
		for (size_t k = 0; k < q->expand[i].nselect; k++)
			free(q->expand[i].select[k]);
		free(q->expand[i].select);
	}
	free(q->expand);
	q->expand = NULL;
	q->nexpand = 0;
}
