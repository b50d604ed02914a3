/*
 * server/odata/odata_query.c - odata_query_parse(): reads every system query option
 * of a request ($top $skip $count $select $expand $filter $orderby $search
 * $skiptoken; unknown ones are refused), validates them against the entity's
 * CSDL type and query rules and applies Graph's advanced-query rules
 * (graph-spec §4.5). $expand's own grammar is in odata_expand.c.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "odata.h"
#include "odata_filter.h"
#include "odata_query.h"
#include "../../state/schema/schema.h"
#include "../core/req.h"
#include "../core/resp.h"

#define SORT_MSG "Sorting not supported for current query."
#define SEARCH_HDR_MSG                                                                   \
	"Request with $search query parameter only works through MSGraph with a "        \
	"special "                                                                       \
	"request header: 'ConsistencyLevel: eventual'"
#define MAX_SELECT  128
#define MAX_ORDERBY 16

enum opt {
	OPT_TOP,
	OPT_SKIP,
	OPT_COUNT,
	OPT_SELECT,
	OPT_FILTER,
	OPT_ORDERBY,
	OPT_SEARCH,
	OPT_SKIPTOKEN,
	OPT_EXPAND,
	OPT_N,
};

static const char *const opt_names[OPT_N] = {
    "$top",     "$skip",   "$count",     "$select", "$filter",
    "$orderby", "$search", "$skiptoken", "$expand",
};

/* Values of the options, borrowed from the request. */
struct opts {
	const char *v[OPT_N];
};

static int collect(struct opts *o, const struct req *req, struct odata_err *err)
{
	size_t i;
	int k;

	for (i = 0; i < req->nquery; i++) {
		const char *name = req->query[i].name;

		if (!name)
			continue;
		for (k = 0; k < OPT_N; k++) {
			if (req_option_named(req, name, opt_names[k]))
				break;
		}
		if (k == OPT_N && name[0] != '$')
			continue; /* not a system query option: Graph ignores it */
		if (k == OPT_N)
			return odata_err_set(err, GERR_BAD_REQUEST,
			                     "Query option '%.64s' is not supported.",
			                     name);
		if (o->v[k])
			return odata_err_set(
			    err, GERR_BAD_REQUEST,
			    "Query option '%s' was specified more than once, but "
			    "it must be specified at most once.",
			    opt_names[k]);
		o->v[k] = req->query[i].value ? req->query[i].value : "";
	}
	return 0;
}

/* Decimal integer in [lo, hi] with nothing else around it. */
static bool int_in(const char *s, long lo, long hi, int *out)
{
	long v = 0;
	size_t i;

	if (!s[0] || strlen(s) > 9)
		return false;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

static int parse_paging(struct odata_query *q, const struct opts *o,
                        struct odata_err *err)
{
	const char *v = o->v[OPT_TOP];

	if (v && !int_in(v, 1, ODATA_MAX_TOP, &q->top))
		return odata_err_set(
		    err, GERR_UNSUPPORTED_QUERY,
		    "Invalid page size specified: '%.32s'. Must be between 1 "
		    "and %d inclusive.",
		    v, ODATA_MAX_TOP);
	v = o->v[OPT_SKIP];
	if (v && !(q->entity->flags & OE_SKIP))
		return odata_err_set(err, GERR_REQUEST_BAD_REQUEST,
		                     "'$skip' is not supported by the service.");
	if (v && !int_in(v, 0, 999999999, &q->skip))
		return odata_err_set(
		    err, GERR_BAD_REQUEST,
		    "Invalid value '%.32s' for $skip query option found. The "
		    "$skip query option requires a non-negative integer value.",
		    v);
	v = o->v[OPT_COUNT];
	if (v && odata_strcasecmp(v, "true") && odata_strcasecmp(v, "false"))
		return odata_err_set(err, GERR_BAD_REQUEST,
		                     "'%.32s' is not a valid count option.", v);
	q->count = v && !odata_strcasecmp(v, "true");
	return 0;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static bool is_name(const char *s, size_t n)
{
	size_t i;

	if (!n || n > 128)
		return false;
	for (i = 0; i < n; i++) {
		if (!odata_is_name_char((unsigned char)s[i]))
			return false;
	}
	return true;
}

/* Schema entry for the @n bytes at @s, or NULL. */
static const struct odata_prop *prop_n(const struct odata_entity *e, const char *s,
                                       size_t n)
{
	char buf[132];

	if (!is_name(s, n))
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return odata_entity_prop(e, buf);
}

static int no_prop(const struct odata_query *q, const char *s, size_t n,
                   struct odata_err *err)
{
	return odata_err_set(err, GERR_BAD_REQUEST,
	                     "Could not find a property named '%.*s' on type '%s'.",
	                     (int)(n > 128 ? 128 : n), s, odata_type_short(q->entity));
}

/* The declared spelling of $select item @s (@n bytes), or NULL when unknown. */
static const char *select_name(const struct odata_entity *e, const char *s, size_t n)
{
	const struct schema_property *sp;
	const struct odata_prop *p;

	if (e->type) {
		sp = schema_property_find_len(e->type, s, n);
		return sp ? sp->name : NULL;
	}
	p = prop_n(e, s, n);
	return p ? p->name : NULL;
}

int odata_select_parse(const struct odata_entity *e, const char *v, size_t len,
                       char ***out, size_t *nout, struct odata_err *err)
{
	const char *s = v, *end = v + len, *comma;
	char **sel;
	size_t n;

	*out = NULL;
	*nout = 0;
	if (!len)
		return 0;
	sel = calloc(MAX_SELECT, sizeof(*sel));
	if (!sel)
		return odata_err_set(err, GERR_INTERNAL, "Out of memory.");
	*out = sel;
	for (;;) {
		const char *name;

		comma = memchr(s, ',', (size_t)(end - s));
		n = comma ? (size_t)(comma - s) : (size_t)(end - s);
		trim(&s, &n);
		name = select_name(e, s, n);
		if (!name && !(n == 1 && *s == '*') &&
		    (!(e->flags & OE_OPEN) || !is_name(s, n)))
			return odata_err_set(err, GERR_BAD_REQUEST,
			                     ODATA_SELECT_EXPAND_FAILED
			                     "Could not find a property named '%.*s' on "
			                     "type '%s'.",
			                     (int)(n > 128 ? 128 : n), s,
			                     odata_type_short(e));
		if (*nout == MAX_SELECT)
			return odata_err_set(
			    err, GERR_BAD_REQUEST,
			    "Too many properties in $select (at most %d).", MAX_SELECT);
		sel[*nout] = name ? xstrndup(name, strlen(name)) : xstrndup(s, n);
		if (!sel[*nout])
			return odata_err_set(err, GERR_INTERNAL, "Out of memory.");
		(*nout)++;
		if (!comma)
			return 0;
		s = comma + 1;
	}
}

static int parse_select(struct odata_query *q, const char *v, struct odata_err *err)
{
	return odata_select_parse(q->entity, v, strlen(v), &q->select, &q->nselect, err);
}

static bool directory(const struct odata_query *q)
{
	return (q->entity->flags & OE_DIRECTORY) != 0;
}

/* One "prop [asc|desc]" item of $orderby. */
static int orderby_item(struct odata_query *q, const char *s, size_t n, bool advanced,
                        struct odata_err *err)
{
	struct odata_orderby *ob = &q->orderby[q->norderby];
	const struct odata_prop *p;
	size_t w = 0;

	trim(&s, &n);
	while (w < n && s[w] != ' ' && s[w] != '\t')
		w++;
	if (w < n) {
		const char *dir = s + w;
		size_t dn = n - w;

		trim(&dir, &dn);
		if (dn == 4 && !odata_strncasecmp(dir, "desc", 4))
			ob->desc = true;
		else if (dn != 3 || odata_strncasecmp(dir, "asc", 3))
			return odata_err_set(
			    err, GERR_BAD_REQUEST,
			    "Syntax error in $orderby: expected 'asc' or 'desc' "
			    "after '%.*s'.",
			    (int)(w > 128 ? 128 : w), s);
	}
	p = prop_n(q->entity, s, w);
	if (!p)
		return no_prop(q, s, w, err);
	if (!(p->flags & OP_ORDERBY) || (p->flags & OP_HIDDEN) ||
	    ((p->flags & OP_ORDERBY_ADVANCED) && directory(q) && !advanced))
		return odata_err_set(err, GERR_UNSUPPORTED_QUERY, SORT_MSG);
	ob->prop = xstrndup(p->name, strlen(p->name));
	if (!ob->prop)
		return odata_err_set(err, GERR_INTERNAL, "Out of memory.");
	q->norderby++;
	return 0;
}

static int parse_orderby(struct odata_query *q, const char *v, bool advanced,
                         struct odata_err *err)
{
	const char *s = v, *end;

	q->orderby = calloc(MAX_ORDERBY, sizeof(*q->orderby));
	if (!q->orderby)
		return odata_err_set(err, GERR_INTERNAL, "Out of memory.");
	for (;;) {
		end = strchr(s, ',');
		if (q->norderby == MAX_ORDERBY)
			return odata_err_set(
			    err, GERR_BAD_REQUEST,
			    "Too many properties in $orderby (at most %d).", MAX_ORDERBY);
		if (orderby_item(q, s, end ? (size_t)(end - s) : strlen(s), advanced,
		                 err))
			return -1;
		if (!end)
			return 0;
		s = end + 1;
	}
}

static bool path_says_count(const struct req *req)
{
	return req->nsegs && req->segs[req->nsegs - 1] &&
	       !strcmp(req->segs[req->nsegs - 1], "$count");
}

static int parse_all(struct odata_query *q, const struct opts *o, const struct req *req,
                     struct odata_err *err)
{
	/* Graph's "advanced query": the header plus $count=true (or a /$count path). */
	bool adv;

	q->advanced = req_is_advanced(req);
	if (parse_paging(q, o, err))
		return -1;
	adv = q->advanced && (q->count || path_says_count(req));
	if (o->v[OPT_SELECT] && parse_select(q, o->v[OPT_SELECT], err))
		return -1;
	if (o->v[OPT_FILTER]) {
		q->filter = odata_filter_parse(o->v[OPT_FILTER], q->entity, err);
		if (!q->filter || odata_filter_check(q->filter, q->entity, adv, err))
			return -1;
	}
	if (o->v[OPT_ORDERBY] && parse_orderby(q, o->v[OPT_ORDERBY], adv, err))
		return -1;
	if (q->filter && q->norderby && directory(q) && !adv)
		return odata_err_set(err, GERR_UNSUPPORTED_QUERY, SORT_MSG);
	if (o->v[OPT_SEARCH]) {
		if (directory(q) && !q->advanced)
			return odata_err_set(err, GERR_UNSUPPORTED_QUERY, SEARCH_HDR_MSG);
		q->search = xstrndup(o->v[OPT_SEARCH], strlen(o->v[OPT_SEARCH]));
		if (!q->search)
			return odata_err_set(err, GERR_INTERNAL, "Out of memory.");
		q->search_expr = odata_search_parse(q->search, q->entity, err);
		if (!q->search_expr)
			return -1;
	}
	if (o->v[OPT_EXPAND] && odata_expand_parse(q, o->v[OPT_EXPAND], err))
		return -1;
	if (o->v[OPT_SKIPTOKEN]) {
		q->skiptoken = xstrndup(o->v[OPT_SKIPTOKEN], strlen(o->v[OPT_SKIPTOKEN]));
		if (!q->skiptoken)
			return odata_err_set(err, GERR_INTERNAL, "Out of memory.");
		/* A cursor (walked pages) goes with one sort key; else the kind the
		 * order calls for. */
		if (!odata_cursor_decode(q->skiptoken, &q->token_value, &q->token_key)) {
			q->token_kind = ODATA_TOKEN_CURSOR;
			if (q->norderby != 1)
				return odata_err_set(err, GERR_REQUEST_BAD_REQUEST,
				                     ODATA_TOKEN_MSG);
		} else if (odata_token_decode(q->skiptoken, &q->token_kind,
		                              &q->token_value) ||
		           q->token_kind !=
		               (q->norderby ? ODATA_TOKEN_OFFSET : ODATA_TOKEN_SEQ))
			return odata_err_set(err, GERR_REQUEST_BAD_REQUEST,
			                     ODATA_TOKEN_MSG);
	}
	return 0;
}

int odata_query_parse(struct odata_query *q, const struct odata_entity *entity,
                      const struct req *req, struct resp *resp)
{
	struct odata_err err = {0};
	struct opts o = {{0}};

	memset(q, 0, sizeof(*q));
	q->entity = entity;
	if (collect(&o, req, &err) == 0 && parse_all(q, &o, req, &err) == 0)
		return 0;
	odata_query_release(q);
	return resp_error(resp, err.kind, "%s", err.msg);
}

void odata_query_release(struct odata_query *q)
{
	size_t i;

	if (!q)
		return;
	for (i = 0; q->select && i < q->nselect; i++)
		free(q->select[i]);
	free(q->select);
	for (i = 0; q->orderby && i < q->norderby; i++)
		free(q->orderby[i].prop);
	free(q->orderby);
	odata_filter_free(q->filter);
	odata_search_free(q->search_expr);
	odata_expand_release(q);
	free(q->search);
	free(q->skiptoken);
	free(q->token_key);
	memset(q, 0, sizeof(*q));
}

void odata_members_add(struct odata_members *m, const char *name)
{
	if (!name) {
		m->all = true; /* (the parser names every property it accepts) */
		return;
	}
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->name[i], name))
			return;
	if (m->n == ODATA_MEMBERS_MAX) {
		m->all = true;
		return;
	}
	m->name[m->n++] = name;
	m->name[m->n] = NULL;
}

void odata_query_members(const struct odata_query *q, struct odata_members *m)
{
	memset(m, 0, sizeof(*m));
	odata_members_add(m, "id");
	if (!q)
		return;
	odata_filter_members(q->filter, m);
	odata_search_members(q->search_expr, m);
	for (size_t i = 0; i < q->norderby; i++)
		odata_members_add(m, q->orderby[i].prop);
}

bool odata_query_match(const struct odata_query *q, const json_t *obj)
{
	if (!q)
		return true;
	return odata_filter_eval(q->filter, obj) &&
	       odata_search_eval(q->search_expr, obj);
}

const char *odata_filter_eq_value(const struct odata_query *q, const char *prop)
{
	return q ? odata_filter_eq_literal(q->filter, prop) : NULL;
}

size_t odata_filter_key_values(const struct odata_query *q, const char *prop,
                               const char **out, size_t max)
{
	return q ? odata_filter_key_literals(q->filter, prop, out, max) : 0;
}

const char *odata_filter_startswith_value(const struct odata_query *q, const char *prop)
{
	return q ? odata_filter_startswith_literal(q->filter, prop) : NULL;
}
