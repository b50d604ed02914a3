/*
 * server/odata/odata_filter.c - the $filter recursive-descent grammar: builds the
 * AST (odata_filter.h) in the expression's arena, resolves property names
 * against the entity schema and type-checks literals. Tokens come from
 * odata_filter_lex.c; odata_filter_eval.c checks Graph's rules and evaluates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odata_filter_lex.h"

static void *unknown_prop(struct odata_parser *p, const char *name, size_t n)
{
	odata_err_set(p->err, GERR_BAD_REQUEST,
	              "Could not find a property named '%.*s' on type '%s'.", (int)n,
	              name, odata_type_short(p->entity));
	return NULL;
}

static bool enter(struct odata_parser *p)
{
	if (++p->depth > ODATA_MAX_DEPTH) {
		odata_syntax_error(p, p->tok.pos,
		                   "The recursion limit has been exceeded.");
		return false;
	}
	return true;
}

/* ---- property paths ---- */

static bool is_lambda_op(const struct odata_parser *p, const struct odata_tok *t)
{
	struct odata_tok next;

	if (!odata_tok_is(p, t, "any") && !odata_tok_is(p, t, "all"))
		return false;
	next = odata_lex_at(p, t->pos + t->len);
	return next.kind == T_LPAREN;
}

/* Resolve the first segment: a lambda variable in scope, else a schema property.
 */
static bool path_root(struct odata_parser *p, struct fpath *fp)
{
	const char *name = p->src + p->tok.pos;
	size_t n = p->tok.len;
	int i;

	fp->pos = p->tok.pos;
	fp->var = -1;
	for (i = p->nvars - 1; i >= 0; i--) {
		if (p->varlen[i] == n && !memcmp(p->vars[i], name, n)) {
			fp->var = i;
			fp->prop = p->varprop[i];
			fp->ft = p->varft[i];
			fp->type = p->vartype[i];
			return true;
		}
	}
	if (n >= 64 || name[0] == '$')
		return unknown_prop(p, name, n) != NULL;
	{
		char buf[64];

		memcpy(buf, name, n);
		buf[n] = '\0';
		fp->prop = odata_entity_prop(p->entity, buf);
	}
	if (!fp->prop)
		return unknown_prop(p, name, n) != NULL;
	fp->ft = fp->prop->type == ODATA_OBJECT ? FT_OBJECT : FT_KNOWN;
	fp->type = fp->prop->type;
	return true;
}

/*
 * path := name ('/' name)* ['/' '$count']; stops before '/any(' and '/all('
 * so the caller can parse the lambda.
 */
static bool parse_path(struct odata_parser *p, struct fpath *fp)
{
	const char *subs[ODATA_MAX_DEPTH];
	size_t i;

	if (p->tok.kind != T_IDENT)
		return odata_syntax_error(p, p->tok.pos, "Expected a property name.") !=
		       NULL;
	if (!path_root(p, fp))
		return false;
	odata_lex_advance(p);
	while (p->tok.kind == T_SLASH) {
		struct odata_tok next = odata_lex_at(p, p->tok.pos + 1);

		if (is_lambda_op(p, &next))
			break;
		if (odata_tok_is(p, &next, "$count")) {
			p->tok = next;
			odata_lex_advance(p);
			fp->count = true;
			break;
		}
		if (next.kind != T_IDENT || p->src[next.pos] == '$')
			return odata_syntax_error(
			           p, next.pos, "Expected a property name after '/'.") !=
			       NULL;
		if (fp->nsub == ODATA_MAX_DEPTH)
			return odata_syntax_error(p, next.pos,
			                          "Property path is too long.") != NULL;
		subs[fp->nsub] = odata_arena_strndup(p->e, p->src + next.pos, next.len);
		if (!subs[fp->nsub])
			return odata_parse_oom(p) != NULL;
		fp->nsub++;
		p->tok = next;
		odata_lex_advance(p);
	}
	if (fp->nsub) {
		/* Sub-properties exist only below complex values
		 * (identities/issuer). */
		bool complex = fp->ft == FT_OBJECT || fp->ft == FT_UNTYPED ||
		               (fp->var >= 0 && fp->prop &&
		                fp->prop->type == ODATA_OBJECT_COLLECTION);

		if (!complex)
			return unknown_prop(p, subs[0], strlen(subs[0])) != NULL;
		fp->sub = odata_arena_alloc(p->e, fp->nsub * sizeof(*fp->sub));
		if (!fp->sub)
			return odata_parse_oom(p) != NULL;
		for (i = 0; i < fp->nsub; i++)
			fp->sub[i] = subs[i];
		fp->ft = FT_UNTYPED;
	}
	if (fp->count) {
		bool coll = fp->ft == FT_UNTYPED ||
		            (fp->ft == FT_KNOWN && (fp->type == ODATA_STRING_COLLECTION ||
		                                    fp->type == ODATA_OBJECT_COLLECTION));

		if (!coll || fp->var >= 0)
			return odata_syntax_error(
			           p, fp->pos, "$count applies only to collections.") !=
			       NULL;
		fp->ft = FT_KNOWN;
		fp->type = ODATA_INT;
	}
	return true;
}

/* ---- type checks ---- */

static const char *lit_edm(enum flit_kind k)
{
	switch (k) {
	case FL_NULL:
		return "<null>";
	case FL_BOOL:
		return "Edm.Boolean";
	case FL_INT:
		return "Edm.Int32";
	case FL_STRING:
		return "Edm.String";
	case FL_GUID:
		return "Edm.Guid";
	case FL_DATETIME:
		return "Edm.DateTimeOffset";
	}
	return "Edm.Untyped";
}

static const char *op_kind(enum fop op)
{
	static const char *const names[] = {"Equal",       "NotEqual",
	                                    "GreaterThan", "GreaterThanOrEqual",
	                                    "LessThan",    "LessThanOrEqual"};

	return names[op];
}

static bool lit_fits(enum odata_type t, enum flit_kind k)
{
	if (k == FL_NULL)
		return true;
	switch (t) {
	case ODATA_STRING:
		return k == FL_STRING;
	case ODATA_BOOL:
		return k == FL_BOOL;
	case ODATA_INT:
		return k == FL_INT;
	case ODATA_DATETIME:
		return k == FL_DATETIME;
	case ODATA_GUID:
		return k == FL_GUID || k == FL_STRING;
	case ODATA_STRING_COLLECTION:
	case ODATA_OBJECT:
	case ODATA_OBJECT_COLLECTION:
		return false;
	}
	return false;
}

static bool check_types(struct odata_parser *p, const struct fpath *fp, enum fop op,
                        const struct flit *lit)
{
	if (fp->ft == FT_UNTYPED)
		return true;
	if (fp->ft == FT_KNOWN && lit_fits(fp->type, lit->kind))
		return true;
	odata_err_set(p->err, GERR_BAD_REQUEST,
	              "A binary operator with incompatible types was detected. "
	              "Found operand "
	              "types '%s' and '%s' for operator kind '%s'.",
	              fp->ft == FT_OBJECT ? odata_edm_type(ODATA_OBJECT)
	                                  : odata_edm_type(fp->type),
	              lit_edm(lit->kind), op_kind(op));
	return false;
}

/* ---- grammar ---- */

static struct fnode *parse_or(struct odata_parser *p);

static struct fnode *new_node(struct odata_parser *p, enum fnode_kind kind, size_t pos)
{
	struct fnode *n = odata_arena_alloc(p->e, sizeof(*n));

	if (!n)
		return odata_parse_oom(p);
	n->kind = kind;
	n->pos = pos;
	return n;
}

static bool expect(struct odata_parser *p, enum odata_tok_kind kind, const char *what)
{
	if (p->tok.kind != kind)
		return odata_syntax_error(p, p->tok.pos, what) != NULL;
	odata_lex_advance(p);
	return true;
}

static const struct {
	const char *name;
	enum ffunc f;
} funcs[] = {
    {"startswith", FF_STARTSWITH},
    {"endswith", FF_ENDSWITH},
    {"contains", FF_CONTAINS},
};

static struct fnode *parse_func(struct odata_parser *p, enum ffunc f)
{
	struct fnode *n = new_node(p, FN_FUNC, p->tok.pos);
	bool ok;

	if (!n || !enter(p))
		return NULL;
	n->u.func.f = f;
	odata_lex_advance(p); /* name */
	odata_lex_advance(p); /* ( */
	if (!parse_path(p, &n->u.func.arg) || !expect(p, T_COMMA, "Expected ','."))
		return NULL;
	if (p->tok.kind != T_STRING)
		return odata_syntax_error(p, p->tok.pos, "Expected a string literal.");
	if (!odata_parse_literal(p, &n->u.func.lit) ||
	    !expect(p, T_RPAREN, "Expected ')'."))
		return NULL;
	ok = n->u.func.arg.ft == FT_UNTYPED ||
	     (n->u.func.arg.ft == FT_KNOWN &&
	      (n->u.func.arg.type == ODATA_STRING || n->u.func.arg.type == ODATA_GUID));
	if (!ok) {
		odata_err_set(p->err, GERR_BAD_REQUEST,
		              "No function signature for the function with name "
		              "'%s' matches "
		              "the specified arguments.",
		              funcs[f].name);
		return NULL;
	}
	p->depth--;
	return n;
}

/* coll '/' any|all '(' [var ':' expr] ')' ; p->tok is the '/'. */
static struct fnode *parse_lambda(struct odata_parser *p, const struct fpath *coll)
{
	struct fnode *n = new_node(p, FN_LAMBDA, p->tok.pos);
	struct odata_tok var;
	int lvl = p->nvars;

	if (!n || !enter(p))
		return NULL;
	odata_lex_advance(p); /* / */
	n->u.lambda.all = odata_tok_is(p, &p->tok, "all");
	n->u.lambda.coll = *coll;
	n->u.lambda.level = lvl;
	if (!(coll->ft == FT_UNTYPED ||
	      (coll->ft == FT_KNOWN && (coll->type == ODATA_STRING_COLLECTION ||
	                                coll->type == ODATA_OBJECT_COLLECTION))) ||
	    coll->count)
		return odata_syntax_error(p, p->tok.pos,
		                          "any() and all() apply only to collections.");
	odata_lex_advance(p); /* any/all */
	odata_lex_advance(p); /* ( */
	if (p->tok.kind == T_RPAREN && !n->u.lambda.all) {
		odata_lex_advance(p);
		p->depth--;
		return n;
	}
	if (lvl >= ODATA_MAX_LAMBDA)
		return odata_syntax_error(p, p->tok.pos,
		                          "Too many nested lambda expressions.");
	var = p->tok;
	if (var.kind != T_IDENT || p->src[var.pos] == '$')
		return odata_syntax_error(p, var.pos, "Expected a lambda variable name.");
	odata_lex_advance(p);
	if (!expect(p, T_COLON, "Expected ':' after the lambda variable."))
		return NULL;
	p->vars[lvl] = p->src + var.pos;
	p->varlen[lvl] = var.len;
	p->varprop[lvl] = coll->prop;
	p->varft[lvl] = FT_UNTYPED;
	p->vartype[lvl] = ODATA_STRING;
	if (coll->ft == FT_KNOWN) {
		p->varft[lvl] =
		    coll->type == ODATA_STRING_COLLECTION ? FT_KNOWN : FT_OBJECT;
		p->vartype[lvl] =
		    coll->type == ODATA_STRING_COLLECTION ? ODATA_STRING : ODATA_OBJECT;
	}
	p->nvars++;
	n->u.lambda.body = parse_or(p);
	p->nvars--;
	if (!n->u.lambda.body || !expect(p, T_RPAREN, "Expected ')'."))
		return NULL;
	p->depth--;
	return n;
}

static const struct {
	const char *name;
	enum fop op;
} ops[] = {
    {"eq", FOP_EQ}, {"ne", FOP_NE}, {"gt", FOP_GT},
    {"ge", FOP_GE}, {"lt", FOP_LT}, {"le", FOP_LE},
};

static enum fop flip(enum fop op)
{
	switch (op) {
	case FOP_GT:
		return FOP_LT;
	case FOP_GE:
		return FOP_LE;
	case FOP_LT:
		return FOP_GT;
	case FOP_LE:
		return FOP_GE;
	case FOP_EQ:
	case FOP_NE:
		break;
	}
	return op;
}

static int cmp_op(const struct odata_parser *p)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (odata_tok_is(p, &p->tok, ops[i].name))
			return (int)i;
	}
	return -1;
}

static struct fnode *parse_in(struct odata_parser *p, struct fnode *n)
{
	struct flit *vals;
	size_t cap = 8;

	odata_lex_advance(p); /* in */
	if (!expect(p, T_LPAREN, "Expected '(' after 'in'."))
		return NULL;
	vals = odata_arena_alloc(p->e, cap * sizeof(*vals));
	if (!vals)
		return odata_parse_oom(p);
	for (;;) {
		if (n->u.in.n == ODATA_MAX_IN)
			return odata_syntax_error(p, p->tok.pos,
			                          "Too many values in the 'in' list.");
		if (n->u.in.n == cap) {
			struct flit *nv =
			    odata_arena_alloc(p->e, 2 * cap * sizeof(*vals));

			if (!nv)
				return odata_parse_oom(p);
			memcpy(nv, vals, cap * sizeof(*vals));
			vals = nv;
			cap *= 2;
		}
		if (!odata_is_literal_tok(p, &p->tok))
			return odata_syntax_error(
			    p, p->tok.pos,
			    odata_bad_tok_msg(p, "Expected a literal value."));
		if (!odata_parse_literal(p, &vals[n->u.in.n]) ||
		    !check_types(p, &n->u.in.lhs, FOP_EQ, &vals[n->u.in.n]))
			return NULL;
		n->u.in.n++;
		if (p->tok.kind == T_RPAREN)
			break;
		if (!expect(p, T_COMMA, "Expected ',' or ')'."))
			return NULL;
	}
	odata_lex_advance(p);
	n->u.in.vals = vals;
	return n;
}

/* operand (eq|ne|gt|ge|lt|le) operand, with exactly one property and one literal.
 */
static struct fnode *parse_comparison(struct odata_parser *p)
{
	struct fnode *n = new_node(p, FN_CMP, p->tok.pos);
	bool lit_first = odata_is_literal_tok(p, &p->tok);
	int op;

	if (!n)
		return NULL;
	if (lit_first ? !odata_parse_literal(p, &n->u.cmp.rhs)
	              : !parse_path(p, &n->u.cmp.lhs))
		return NULL;
	if (!lit_first && p->tok.kind == T_SLASH)
		return parse_lambda(p, &n->u.cmp.lhs);
	if (!lit_first && odata_tok_is(p, &p->tok, "in")) {
		struct fpath lhs = n->u.cmp.lhs;

		n->kind = FN_IN;
		n->u.in.lhs = lhs;
		return parse_in(p, n);
	}
	op = cmp_op(p);
	if (op < 0)
		return odata_syntax_error(p, p->tok.pos,
		                          "Expected a comparison operator.");
	n->u.cmp.op = ops[op].op;
	odata_lex_advance(p);
	if (lit_first) {
		if (!parse_path(p, &n->u.cmp.lhs))
			return NULL;
		n->u.cmp.op = flip(n->u.cmp.op);
	} else {
		if (!odata_is_literal_tok(p, &p->tok))
			return odata_syntax_error(
			    p, p->tok.pos,
			    odata_bad_tok_msg(p, "Expected a literal value."));
		if (!odata_parse_literal(p, &n->u.cmp.rhs))
			return NULL;
	}
	if (!check_types(p, &n->u.cmp.lhs, n->u.cmp.op, &n->u.cmp.rhs))
		return NULL;
	return n;
}

static struct fnode *parse_primary(struct odata_parser *p)
{
	struct odata_tok next;
	struct fnode *n;
	size_t i;

	if (p->tok.kind == T_LPAREN) {
		if (!enter(p))
			return NULL;
		odata_lex_advance(p);
		n = parse_or(p);
		if (!n || !expect(p, T_RPAREN, "Expected ')'."))
			return NULL;
		p->depth--;
		return n;
	}
	if (p->tok.kind == T_IDENT) {
		next = odata_lex_at(p, p->tok.pos + p->tok.len);
		for (i = 0; next.kind == T_LPAREN && i < sizeof(funcs) / sizeof(funcs[0]);
		     i++) {
			if (odata_tok_is(p, &p->tok, funcs[i].name))
				return parse_func(p, funcs[i].f);
		}
		if (next.kind == T_LPAREN)
			return odata_syntax_error(p, p->tok.pos, "Unknown function.");
	}
	if (p->tok.kind == T_EOF || odata_tok_is(p, &p->tok, "and") ||
	    odata_tok_is(p, &p->tok, "or"))
		return odata_syntax_error(p, p->tok.pos, "Expression expected.");
	if (p->tok.kind != T_IDENT && !odata_is_literal_tok(p, &p->tok))
		return odata_syntax_error(p, p->tok.pos,
		                          odata_bad_tok_msg(p, "Expression expected."));
	return parse_comparison(p);
}

static struct fnode *parse_unary(struct odata_parser *p)
{
	struct fnode *n;

	if (!odata_tok_is(p, &p->tok, "not"))
		return parse_primary(p);
	n = new_node(p, FN_NOT, p->tok.pos);
	if (!n || !enter(p))
		return NULL;
	odata_lex_advance(p);
	n->u.kid = parse_unary(p);
	if (!n->u.kid)
		return NULL;
	p->depth--;
	return n;
}

/* Chains of one boolean operator become one n-ary node, so trees stay shallow. */
static struct fnode *parse_chain(struct odata_parser *p, enum fnode_kind kind,
                                 const char *word,
                                 struct fnode *(*sub)(struct odata_parser *))
{
	struct fnode *first = sub(p), *n, **kids;
	size_t cap = 4;

	if (!first || !odata_tok_is(p, &p->tok, word))
		return first;
	n = new_node(p, kind, first->pos);
	kids = odata_arena_alloc(p->e, cap * sizeof(*kids));
	if (!n || !kids)
		return odata_parse_oom(p);
	kids[n->u.list.n++] = first;
	while (odata_tok_is(p, &p->tok, word)) {
		odata_lex_advance(p);
		if (n->u.list.n == cap) {
			struct fnode **nk =
			    odata_arena_alloc(p->e, 2 * cap * sizeof(*kids));

			if (!nk)
				return odata_parse_oom(p);
			memcpy(nk, kids, cap * sizeof(*kids));
			kids = nk;
			cap *= 2;
		}
		kids[n->u.list.n] = sub(p);
		if (!kids[n->u.list.n])
			return NULL;
		n->u.list.n++;
	}
	n->u.list.kids = kids;
	return n;
}

static struct fnode *parse_and(struct odata_parser *p)
{
	return parse_chain(p, FN_AND, "and", parse_unary);
}

static struct fnode *parse_or(struct odata_parser *p)
{
	return parse_chain(p, FN_OR, "or", parse_and);
}

void odata_filter_free(struct odata_expr *e)
{
	struct odata_arena_chunk *c, *next;

	if (!e)
		return;
	for (c = e->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(e);
}

const struct fnode *odata_filter_root(const struct odata_expr *e)
{
	return e ? e->root : NULL;
}

/* A path rooted at the object names its property; a lambda variable's
 * collection was named by its lambda. */
static void path_members(const struct fpath *fp, struct odata_members *m)
{
	if (fp->var < 0)
		odata_members_add(m, fp->prop ? fp->prop->name : NULL);
}

static void node_members(const struct fnode *n, struct odata_members *m)
{
	if (!n)
		return;
	switch (n->kind) {
	case FN_AND:
	case FN_OR:
		for (size_t i = 0; i < n->u.list.n; i++)
			node_members(n->u.list.kids[i], m);
		break;
	case FN_NOT:
		node_members(n->u.kid, m);
		break;
	case FN_CMP:
		path_members(&n->u.cmp.lhs, m);
		break;
	case FN_IN:
		path_members(&n->u.in.lhs, m);
		break;
	case FN_FUNC:
		path_members(&n->u.func.arg, m);
		break;
	case FN_LAMBDA:
		path_members(&n->u.lambda.coll, m);
		node_members(n->u.lambda.body, m);
		break;
	}
}

void odata_filter_members(const struct odata_expr *e, struct odata_members *m)
{
	node_members(odata_filter_root(e), m);
}

struct odata_expr *odata_filter_parse(const char *text, const struct odata_entity *entity,
                                      struct odata_err *err)
{
	struct odata_parser p = {0};
	size_t len = strlen(text);

	if (len > ODATA_FILTER_MAX_LEN) {
		odata_err_set(
		    err, GERR_BAD_REQUEST,
		    "The $filter expression is too long (%zu bytes; at most %d).", len,
		    ODATA_FILTER_MAX_LEN);
		return NULL;
	}
	p.src = text;
	p.len = len;
	p.entity = entity;
	p.err = err;
	p.e = calloc(1, sizeof(*p.e));
	if (!p.e)
		return odata_parse_oom(&p);
	p.tok = odata_lex_at(&p, 0);
	p.e->root = parse_or(&p);
	if (p.e->root && p.tok.kind != T_EOF)
		odata_syntax_error(&p, p.tok.pos,
		                   odata_bad_tok_msg(&p, "Unexpected token."));
	if (!p.e->root || p.tok.kind != T_EOF) {
		odata_filter_free(p.e);
		return NULL;
	}
	return p.e;
}
