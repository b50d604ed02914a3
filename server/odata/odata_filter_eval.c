/*
 * server/odata/odata_filter_eval.c - what a parsed $filter means: Graph's
 * per-property operator rules and advanced-query gate (graph-spec §4.5),
 * evaluation against stored json_t objects without allocating, and the
 * `prop eq 'v'` shortcut routes use for index look-ups.
 */
#include <string.h>

#include "odata_filter.h"

#define ADV_MSG                                                                          \
	"Operator '%s' is not supported because the required parameters might be "       \
	"missing. Try adding $count=true query parameter and ConsistencyLevel:eventual " \
	"header. Refer to https://aka.ms/graph-docs/advanced-queries for more "          \
	"information"
#define CLAUSE_MSG                                                                       \
	"Unsupported or invalid query filter clause specified for property '%s' of "     \
	"resource '%s'."

/* ---- rules ---- */

struct check {
	const struct odata_entity *entity;
	bool directory; /* Graph's advanced-query rules apply */
	bool advanced;
	struct odata_err *err;
};

static int need_advanced(struct check *c, const char *op)
{
	if (!c->directory || c->advanced)
		return 0;
	return odata_err_set(c->err, GERR_UNSUPPORTED_QUERY, ADV_MSG, op);
}

/* May @path be used with an operator that needs @flag? */
static int allow(struct check *c, const struct fpath *path, unsigned flag)
{
	const struct odata_prop *prop = path->prop;

	if (!prop)
		return 0;
	if ((prop->flags & flag) &&
	    (!(prop->flags & OP_ADVANCED) || !c->directory || c->advanced))
		return 0;
	return odata_err_set(c->err, GERR_UNSUPPORTED_QUERY, CLAUSE_MSG, prop->name,
	                     c->entity->type_name ? c->entity->type_name : "");
}

static unsigned cmp_flag(enum fop op)
{
	return op == FOP_EQ || op == FOP_NE ? OP_FILTER : OP_RANGE;
}

static int check_node(struct check *c, const struct fnode *n)
{
	size_t i;

	switch (n->kind) {
	case FN_AND:
	case FN_OR:
		for (i = 0; i < n->u.list.n; i++) {
			if (check_node(c, n->u.list.kids[i]))
				return -1;
		}
		return 0;
	case FN_NOT:
		if (need_advanced(c, "Not"))
			return -1;
		return check_node(c, n->u.kid);
	case FN_CMP:
		if (n->u.cmp.op == FOP_NE && need_advanced(c, "ne"))
			return -1;
		/* `eq null` and `/$count` need the index Graph keeps for advanced
		 * queries. */
		if (n->u.cmp.op == FOP_EQ && n->u.cmp.rhs.kind == FL_NULL &&
		    need_advanced(c, "eq"))
			return -1;
		if (n->u.cmp.lhs.count && c->directory && !c->advanced)
			return allow(c, &n->u.cmp.lhs, 0);
		return allow(c, &n->u.cmp.lhs,
		             n->u.cmp.lhs.count ? OP_FILTER : cmp_flag(n->u.cmp.op));
	case FN_IN:
		return allow(c, &n->u.in.lhs, OP_FILTER);
	case FN_FUNC:
		switch (n->u.func.f) {
		case FF_STARTSWITH:
			return allow(c, &n->u.func.arg, OP_STARTSWITH);
		case FF_ENDSWITH:
			if (need_advanced(c, "endsWith"))
				return -1;
			return allow(c, &n->u.func.arg, OP_ENDSWITH);
		case FF_CONTAINS:
			return allow(c, &n->u.func.arg, OP_CONTAINS);
		}
		return 0;
	case FN_LAMBDA:
		if (!n->u.lambda.body)
			return allow(c, &n->u.lambda.coll, OP_FILTER);
		return check_node(c, n->u.lambda.body);
	}
	return 0;
}

int odata_filter_check(const struct odata_expr *e, const struct odata_entity *entity,
                       bool advanced, struct odata_err *err)
{
	struct check c = {entity, (entity->flags & OE_DIRECTORY) != 0, advanced, err};
	const struct fnode *root = odata_filter_root(e);

	return root ? check_node(&c, root) : 0;
}

/* ---- evaluation ---- */

struct eval {
	const json_t *root;
	const json_t *vars[ODATA_MAX_LAMBDA];
};

/* Object member by name; Graph matches property names case-insensitively. */
static const json_t *member(const json_t *obj, const char *name)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return NULL;
	v = json_object_get(obj, name);
	if (v)
		return v;
	json_object_foreach((json_t *)obj, key, v)
	{
		if (!odata_strcasecmp(key, name))
			return v;
	}
	return NULL;
}

static const json_t *resolve(const struct eval *ev, const struct fpath *fp)
{
	const json_t *v;
	size_t i;

	v = fp->var >= 0 ? ev->vars[fp->var] : json_object_get(ev->root, fp->prop->name);
	for (i = 0; v && i < fp->nsub; i++)
		v = member(v, fp->sub[i]);
	return v;
}

static int sign_ll(long long a, long long b)
{
	return (a > b) - (a < b);
}

/*
 * Order of @v relative to @lit: -1, 0, 1, or 2 when they cannot be compared
 * (wrong JSON type, null) - then only `ne` holds.
 */
static int compare(const json_t *v, const struct flit *lit)
{
	struct iso_time t;
	const char *s;
	size_t n;

	switch (lit->kind) {
	case FL_NULL:
		return 2;
	case FL_BOOL:
		return json_is_boolean(v) ? sign_ll(json_is_true(v), lit->b) : 2;
	case FL_INT:
		if (json_is_integer(v))
			return sign_ll(json_integer_value(v), lit->i);
		if (json_is_real(v)) {
			double d = json_real_value(v), l = (double)lit->i;

			return (d > l) - (d < l);
		}
		return 2;
	case FL_STRING:
	case FL_GUID:
		if (!json_is_string(v))
			return 2;
		return sign_ll(odata_strcasecmp(json_string_value(v), lit->s), 0);
	case FL_DATETIME:
		if (!json_is_string(v))
			return 2;
		s = json_string_value(v);
		n = json_string_length(v);
		if (iso_time_parse(s, n, false, &t) != n)
			return 2;
		return iso_time_cmp(&t, &lit->t);
	}
	return 2;
}

static bool is_null(const json_t *v)
{
	return !v || json_is_null(v);
}

static bool op_holds(int c, enum fop op);

static bool eval_cmp(const json_t *v, enum fop op, const struct flit *lit)
{
	int c;

	if (lit->kind == FL_NULL) {
		if (op == FOP_EQ)
			return is_null(v);
		return op == FOP_NE && !is_null(v);
	}
	c = is_null(v) ? 2 : compare(v, lit);
	return op_holds(c, op);
}

/* Does ordering @c (-1, 0, 1, or 2 for incomparable) satisfy @op? */
static bool op_holds(int c, enum fop op)
{
	switch (op) {
	case FOP_EQ:
		return c == 0;
	case FOP_NE:
		return c != 0;
	case FOP_GT:
		return c == 1;
	case FOP_GE:
		return c == 0 || c == 1;
	case FOP_LT:
		return c == -1;
	case FOP_LE:
		return c == 0 || c == -1;
	}
	return false;
}

static bool eval_func(const json_t *v, const struct fnode *n)
{
	const struct flit *lit = &n->u.func.lit;
	const char *s;
	size_t len;

	if (!json_is_string(v))
		return false;
	s = json_string_value(v);
	len = json_string_length(v);
	switch (n->u.func.f) {
	case FF_STARTSWITH:
		return odata_starts_with_ci(s, len, lit->s, lit->len);
	case FF_ENDSWITH:
		return odata_ends_with_ci(s, len, lit->s, lit->len);
	case FF_CONTAINS:
		return odata_contains_ci(s, len, lit->s, lit->len);
	}
	return false;
}

static bool eval_node(struct eval *ev, const struct fnode *n);

static bool eval_lambda(struct eval *ev, const struct fnode *n)
{
	const json_t *coll = resolve(ev, &n->u.lambda.coll);
	bool all = n->u.lambda.all;
	size_t i;

	if (!json_is_array(coll))
		return all;
	if (!n->u.lambda.body)
		return json_array_size(coll) > 0;
	for (i = 0; i < json_array_size(coll); i++) {
		ev->vars[n->u.lambda.level] = json_array_get(coll, i);
		if (eval_node(ev, n->u.lambda.body) != all)
			return !all;
	}
	return all;
}

static bool eval_node(struct eval *ev, const struct fnode *n)
{
	const json_t *v;
	size_t i;

	switch (n->kind) {
	case FN_AND:
		for (i = 0; i < n->u.list.n; i++) {
			if (!eval_node(ev, n->u.list.kids[i]))
				return false;
		}
		return true;
	case FN_OR:
		for (i = 0; i < n->u.list.n; i++) {
			if (eval_node(ev, n->u.list.kids[i]))
				return true;
		}
		return false;
	case FN_NOT:
		return !eval_node(ev, n->u.kid);
	case FN_CMP:
		v = resolve(ev, &n->u.cmp.lhs);
		if (n->u.cmp.lhs.count) {
			if (!json_is_array(v) && !is_null(v))
				return false;
			return op_holds(
			    sign_ll((long long)json_array_size(v), n->u.cmp.rhs.i),
			    n->u.cmp.op);
		}
		return eval_cmp(v, n->u.cmp.op, &n->u.cmp.rhs);
	case FN_IN:
		v = resolve(ev, &n->u.in.lhs);
		for (i = 0; i < n->u.in.n; i++) {
			if (eval_cmp(v, FOP_EQ, &n->u.in.vals[i]))
				return true;
		}
		return false;
	case FN_FUNC:
		return eval_func(resolve(ev, &n->u.func.arg), n);
	case FN_LAMBDA:
		return eval_lambda(ev, n);
	}
	return false;
}

bool odata_filter_eval(const struct odata_expr *e, const json_t *obj)
{
	struct eval ev = {.root = obj};
	const struct fnode *root = odata_filter_root(e);

	return !root || eval_node(&ev, root);
}

/* ---- index shortcut ---- */

static const char *eq_literal(const struct fnode *n, const char *prop)
{
	if (n->kind != FN_CMP || n->u.cmp.op != FOP_EQ || n->u.cmp.lhs.var >= 0 ||
	    n->u.cmp.lhs.nsub || n->u.cmp.lhs.count ||
	    (n->u.cmp.rhs.kind != FL_STRING && n->u.cmp.rhs.kind != FL_GUID) ||
	    odata_strcasecmp(n->u.cmp.lhs.prop->name, prop))
		return NULL;
	return n->u.cmp.rhs.s;
}

static const char *startswith_literal(const struct fnode *n, const char *prop)
{
	if (n->kind != FN_FUNC || n->u.func.f != FF_STARTSWITH ||
	    n->u.func.arg.var >= 0 || n->u.func.arg.nsub || n->u.func.arg.count ||
	    n->u.func.lit.kind != FL_STRING ||
	    odata_strcasecmp(n->u.func.arg.prop->name, prop))
		return NULL;
	return n->u.func.lit.s;
}

const char *odata_filter_startswith_literal(const struct odata_expr *e, const char *prop)
{
	const struct fnode *root = odata_filter_root(e);
	const char *v;

	if (!root || !prop)
		return NULL;
	if (root->kind != FN_AND)
		return startswith_literal(root, prop);
	for (size_t i = 0; i < root->u.list.n; i++) {
		v = startswith_literal(root->u.list.kids[i], prop);
		if (v)
			return v;
	}
	return NULL;
}

/* @n as `@prop in ('a', ...)` of strings or GUIDs: its values, else 0. */
static size_t in_literals(const struct fnode *n, const char *prop, const char **out,
                          size_t max)
{
	if (n->kind != FN_IN || n->u.in.lhs.var >= 0 || n->u.in.lhs.nsub ||
	    n->u.in.lhs.count || n->u.in.n > max ||
	    odata_strcasecmp(n->u.in.lhs.prop->name, prop))
		return 0;
	for (size_t i = 0; i < n->u.in.n; i++) {
		if (n->u.in.vals[i].kind != FL_STRING && n->u.in.vals[i].kind != FL_GUID)
			return 0;
		out[i] = n->u.in.vals[i].s;
	}
	return n->u.in.n;
}

/* @n as `@prop eq 'v'` (one value) or `@prop in (...)`: how many, in @out. */
static size_t key_literals(const struct fnode *n, const char *prop, const char **out,
                           size_t max)
{
	const char *v = eq_literal(n, prop);

	if (v && max) {
		out[0] = v;
		return 1;
	}
	return in_literals(n, prop, out, max);
}

size_t odata_filter_key_literals(const struct odata_expr *e, const char *prop,
                                 const char **out, size_t max)
{
	const struct fnode *root = odata_filter_root(e);
	size_t n;

	if (!root || !prop)
		return 0;
	if (root->kind != FN_AND)
		return key_literals(root, prop, out, max);
	for (size_t i = 0; i < root->u.list.n; i++) {
		n = key_literals(root->u.list.kids[i], prop, out, max);
		if (n)
			return n;
	}
	return 0;
}

const char *odata_filter_eq_literal(const struct odata_expr *e, const char *prop)
{
	const struct fnode *root = odata_filter_root(e);
	const char *v;
	size_t i;

	if (!root || !prop)
		return NULL;
	if (root->kind != FN_AND)
		return eq_literal(root, prop);
	for (i = 0; i < root->u.list.n; i++) {
		v = eq_literal(root->u.list.kids[i], prop);
		if (v)
			return v;
	}
	return NULL;
}
