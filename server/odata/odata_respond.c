/*
 * server/odata/odata_respond.c - turning matched objects into Graph's OData
 * responses: projection ($select / default set), ordering, paging with an
 * opaque $skiptoken and an absolute @odata.nextLink, @odata.count, and the
 * /$count text body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/jwriter.h"
#include "odata.h"
#include "odata_filter.h"
#include "odata_query.h"
#include "odata_respond.h"
#include "../core/req.h"
#include "../core/resp.h"

/* ---- projection ---- */

static bool is_collection(enum odata_type t)
{
	return t == ODATA_STRING_COLLECTION || t == ODATA_OBJECT_COLLECTION;
}

/* Copy property @p of @obj into @dst; absent values become null or []. */
static int put_prop(json_t *dst, const struct odata_prop *p, const json_t *obj)
{
	json_t *v = json_object_get(obj, p->name);

	if (v)
		return json_object_set(dst, p->name, v);
	return json_object_set_new(dst, p->name,
	                           is_collection(p->type) ? json_array() : json_null());
}

static int project_into(json_t *dst, const struct odata_query *q,
                        const struct odata_entity *entity, const json_t *obj)
{
	const struct odata_prop *p;
	size_t i;

	if (!entity)
		return 0;
	if (!q || !q->nselect) {
		for (p = entity->props; p && p->name; p++) {
			if ((p->flags & OP_DEFAULT) && !(p->flags & OP_HIDDEN) &&
			    put_prop(dst, p, obj))
				return -1;
		}
		return 0;
	}
	for (i = 0; i < q->nselect; i++) {
		if (!strcmp(q->select[i], "*")) {
			for (p = entity->props; p && p->name; p++) {
				if (!(p->flags & OP_HIDDEN) && put_prop(dst, p, obj))
					return -1;
			}
			continue;
		}
		/* Mixed collections: a name this item's type lacks yields nothing. */
		p = odata_entity_prop(entity, q->select[i]);
		if (!p)
			continue;
		/* Graph answers a selected secret (passwordProfile) with null. */
		if ((p->flags & OP_HIDDEN)
		        ? json_object_set_new(dst, p->name, json_null())
		        : put_prop(dst, p, obj))
			return -1;
	}
	return 0;
}

static int annotate(json_t *dst, const struct odata_entity *entity)
{
	return json_object_set_new(
	    dst, "@odata.type",
	    json_string(entity->odata_type ? entity->odata_type : ""));
}

json_t *odata_project(const struct odata_query *q, const struct odata_entity *entity,
                      const json_t *obj, bool type_annotation)
{
	json_t *out = json_object();

	if (!out)
		return NULL;
	if ((type_annotation && annotate(out, entity)) ||
	    project_into(out, q, entity, obj)) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* ---- projection written as text ---- */

/*
 * project_into() as JSON members: the same keys in the same order. A key set
 * twice into a json_t keeps its first position, so each property is written
 * once, where it first appears; its value never depends on which mention
 * put it there (a hidden property is null either way).
 */
struct proj {
	struct buf *w;
	const struct odata_entity *entity;
	const json_t *obj;
	uint64_t seen[ODATA_PROJ_MAX_PROPS / 64];
	bool first;
};

static void member(struct proj *pr, const char *key)
{
	if (!pr->first)
		buf_add(pr->w, ",", 1);
	pr->first = false;
	jwriter_key(pr->w, key);
}

static void write_prop(struct proj *pr, const struct odata_prop *p, bool as_null)
{
	size_t i = (size_t)(p - pr->entity->props);
	const json_t *v;

	if (pr->seen[i / 64] & (UINT64_C(1) << (i % 64)))
		return;
	pr->seen[i / 64] |= UINT64_C(1) << (i % 64);
	member(pr, p->name);
	v = as_null ? NULL : json_object_get(pr->obj, p->name);
	if (v)
		jwriter_value(pr->w, v);
	else if (!as_null && is_collection(p->type))
		buf_add(pr->w, "[]", 2);
	else
		buf_add(pr->w, "null", 4);
}

static void write_members(struct proj *pr, const struct odata_query *q)
{
	const struct odata_prop *p;
	size_t i;

	if (!q || !q->nselect) {
		for (p = pr->entity->props; p && p->name; p++) {
			if ((p->flags & OP_DEFAULT) && !(p->flags & OP_HIDDEN))
				write_prop(pr, p, false);
		}
		return;
	}
	for (i = 0; i < q->nselect; i++) {
		if (!strcmp(q->select[i], "*")) {
			for (p = pr->entity->props; p && p->name; p++) {
				if (!(p->flags & OP_HIDDEN))
					write_prop(pr, p, false);
			}
			continue;
		}
		p = odata_entity_prop(pr->entity, q->select[i]);
		if (p)
			write_prop(pr, p, p->flags & OP_HIDDEN);
	}
}

static size_t prop_count(const struct odata_entity *entity)
{
	size_t n = 0;

	while (entity->props && entity->props[n].name)
		n++;
	return n;
}

void odata_project_write(struct buf *w, const struct odata_query *q,
                         const struct odata_entity *entity, const json_t *obj,
                         bool type_annotation, bool continued)
{
	struct proj pr = {w, entity, obj, {0}, !continued};

	if (!continued)
		buf_add(w, "{", 1);
	if (type_annotation) {
		const char *t = entity && entity->odata_type ? entity->odata_type : "";

		member(&pr, "@odata.type");
		jwriter_string(w, t, strlen(t));
	}
	if (entity && prop_count(entity) <= ODATA_PROJ_MAX_PROPS) {
		write_members(&pr, q);
	} else if (entity) {
		/* No room to track duplicates: let jansson's object do it. */
		json_t *o = json_object();
		const char *key;
		json_t *v;

		if (!o || project_into(o, q, entity, obj))
			w->failed = true;
		json_object_foreach(o, key, v)
		{
			member(&pr, key);
			jwriter_value(w, v);
		}
		json_decref(o);
	}
	buf_add(w, "}", 1);
}

/* ---- @odata.context ---- */

static const char *set_name(const struct odata_entity *entity)
{
	return entity && entity->set ? entity->set : "";
}

/* "<base>/<version>/$metadata#<ctx>[(a,b)]<suffix>" into @sb. */
static void context_url(struct buf *sb, const struct odata_query *q,
                        const struct req *req, const char *ctx, const char *suffix)
{
	size_t i;

	buf_addstr(sb, req->base_url);
	if (req->version[0]) {
		buf_addstr(sb, "/");
		buf_addstr(sb, req->version);
	}
	buf_addstr(sb, "/$metadata#");
	buf_addstr(sb, ctx);
	for (i = 0; q && i < q->nselect; i++) {
		buf_addstr(sb, i ? "," : "(");
		buf_addstr(sb, q->select[i]);
	}
	if (q && q->nselect)
		buf_addstr(sb, ")");
	buf_addstr(sb, suffix);
}

static int set_context(json_t *body, const struct odata_query *q, const struct req *req,
                       const char *ctx, const char *suffix)
{
	struct buf sb;
	int rc;

	buf_init(&sb, ODATA_URL_MAX);
	context_url(&sb, q, req, ctx, suffix);
	rc = sb.failed
	         ? -1
	         : json_object_set_new(body, "@odata.context", json_string(sb.data));
	buf_release(&sb);
	return rc;
}

/* The same body as text: {"@odata.context": ..., <projection>}. */
static int entity_text(const struct odata_query *q, const struct req *req,
                       struct resp *resp, unsigned status,
                       const struct odata_entity *entity, const json_t *obj,
                       const char *ctx)
{
	struct buf sb;
	struct buf w;
	char *text;
	size_t len;

	buf_init(&sb, ODATA_URL_MAX);
	context_url(&sb, q, req, ctx, "/$entity");
	if (sb.failed) {
		buf_release(&sb);
		return -1;
	}
	buf_init(&w, RESP_TEXT_MAX);
	buf_add(&w, "{", 1);
	jwriter_key(&w, "@odata.context");
	jwriter_string(&w, sb.data, sb.len);
	buf_release(&sb);
	odata_project_write(&w, q, entity, obj, false, true);
	text = buf_detach(&w, &len);
	return text ? resp_odata_text(resp, status, text, len) : -1;
}

int odata_respond_entity(const struct odata_query *q, const struct req *req,
                         struct resp *resp, unsigned status,
                         const struct odata_entity *entity, const json_t *obj,
                         const char *context)
{
	if (!resp->bytes_only)
		return odata_respond_entity_json(q, req, resp, status, entity, obj,
		                                 context);
	if (entity_text(q, req, resp, status, entity, obj,
	                context ? context : entity->set))
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	return 0;
}

int odata_respond_entity_json(const struct odata_query *q, const struct req *req,
                              struct resp *resp, unsigned status,
                              const struct odata_entity *entity, const json_t *obj,
                              const char *context)
{
	json_t *body = json_object();

	if (!body ||
	    set_context(body, q, req, context ? context : entity->set, "/$entity") ||
	    project_into(body, q, entity, obj)) {
		json_decref(body);
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	}
	return resp_odata(resp, status, body);
}

/* ---- the collection ---- */

static int too_big(struct resp *resp, int top, int max)
{
	return resp_error(
	    resp, GERR_UNSUPPORTED_QUERY,
	    "Invalid page size specified: '%d'. Must be between 1 and %d inclusive.", top,
	    max);
}

/* Where the page starts in the ordered matches @idx[0..m). */
static size_t page_start(const struct odata_query *q, const struct odata_item *items,
                         const size_t *idx, size_t m)
{
	size_t lo = 0, hi = m;

	if (q->token_kind == ODATA_TOKEN_OFFSET)
		return q->token_value < m ? (size_t)q->token_value : m;
	if (q->token_kind == ODATA_TOKEN_CURSOR) {
		/* A walked page's cursor met here: go on after the item it names. */
		for (size_t i = 0; i < m; i++)
			if (items[idx[i]].seq == q->token_value)
				return i + 1;
		return m;
	}
	if (q->token_kind != ODATA_TOKEN_SEQ)
		return (size_t)q->skip < m ? (size_t)q->skip : m;
	/* Default order is by seq: the first item inserted after the last one sent. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (items[idx[mid]].seq <= q->token_value)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int page_values(json_t *arr, const struct odata_query *q,
                       const struct odata_item *items, const size_t *idx, size_t from,
                       size_t to, bool annotations)
{
	size_t i;

	for (i = from; i < to; i++) {
		const struct odata_item *it = &items[idx[i]];
		const struct odata_entity *e = it->entity ? it->entity : q->entity;

		if (json_array_append_new(arr, odata_project(q, e, it->obj, annotations)))
			return -1;
	}
	return 0;
}

struct page {
	size_t from, to; /* the page is idx[from..to) */
};

static struct page page_bounds(const struct odata_query *q,
                               const struct odata_list_opts *opts,
                               const struct odata_item *items, const size_t *idx,
                               size_t m)
{
	int top = q->top
	              ? q->top
	              : (opts->default_top > 0 ? opts->default_top : ODATA_DEFAULT_TOP);
	struct page pg;

	pg.from = page_start(q, items, idx, m);
	pg.to = m - pg.from > (size_t)top ? pg.from + (size_t)top : m;
	return pg;
}

/* The nextLink after a page that ends at @to. Returns: new string, NULL on OOM. */
static char *next_link(const struct odata_query *q, const struct req *req,
                       const struct odata_item *items, const size_t *idx, size_t to)
{
	return odata_next_link(req, q->norderby ? ODATA_TOKEN_OFFSET : ODATA_TOKEN_SEQ,
	                       q->norderby ? (uint64_t)to : items[idx[to - 1]].seq);
}

/* One page: idx[from..to) of the m ordered matches, with @link (or none). */
struct page_view {
	const struct odata_item *items;
	const size_t *idx;
	size_t from, to, m;
	const char *link;
};

static int build_body(json_t *body, const struct odata_query *q, const struct req *req,
                      const struct odata_list_opts *opts, const struct page_view *pv)
{
	const struct odata_item *items = pv->items;
	const size_t *idx = pv->idx;
	size_t from = pv->from, to = pv->to, m = pv->m;
	json_t *arr;

	if (set_context(body, q, req, opts->context ? opts->context : set_name(q->entity),
	                ""))
		return -1;
	if (q->count && q->advanced &&
	    json_object_set_new(body, "@odata.count", json_integer((json_int_t)m)))
		return -1;
	if (pv->link &&
	    json_object_set_new(body, "@odata.nextLink", json_string(pv->link)))
		return -1;
	arr = json_array();
	if (json_object_set_new(body, "value", arr))
		return -1;
	return page_values(arr, q, items, idx, from, to, opts->type_annotations);
}

/* build_body() straight to text: the same members in the same order. */
static int write_body(struct buf *w, const struct odata_query *q, const struct req *req,
                      const struct odata_list_opts *opts, const struct page_view *pv)
{
	const struct odata_item *items = pv->items;
	const size_t *idx = pv->idx;
	size_t m = pv->m;
	struct buf ctx;
	const char *link = pv->link;
	size_t i;

	buf_init(&ctx, ODATA_URL_MAX);
	context_url(&ctx, q, req, opts->context ? opts->context : set_name(q->entity),
	            "");
	if (ctx.failed) {
		buf_release(&ctx);
		return -1;
	}
	buf_add(w, "{", 1);
	jwriter_key(w, "@odata.context");
	jwriter_string(w, ctx.data, ctx.len);
	buf_release(&ctx);
	if (q->count && q->advanced) {
		char num[24];
		int len = snprintf(num, sizeof(num), ",\"@odata.count\":%zu", m);

		buf_add(w, num, (size_t)len);
	}
	if (link) {
		buf_add(w, ",", 1);
		jwriter_key(w, "@odata.nextLink");
		jwriter_string(w, link, strlen(link));
	}
	buf_add(w, ",\"value\":[", 10);
	for (i = pv->from; i < pv->to; i++) {
		const struct odata_item *it = &items[idx[i]];

		if (i > pv->from)
			buf_add(w, ",", 1);
		odata_project_write(w, q, it->entity ? it->entity : q->entity, it->obj,
		                    opts->type_annotations, false);
	}
	buf_add(w, "]}", 2);
	return w->failed ? -1 : 0;
}

/* The page as text (resp->bytes_only) or as a json_t body (handlers, tests). */
static int respond_page(const struct odata_query *q, const struct req *req,
                        struct resp *resp, const struct odata_list_opts *opts,
                        const struct page_view *pv)
{
	struct buf w;
	json_t *body;
	char *text;
	size_t len;

	if (resp->bytes_only) {
		buf_init(&w, RESP_TEXT_MAX);
		if (write_body(&w, q, req, opts, pv)) {
			buf_release(&w);
			return -1;
		}
		text = buf_detach(&w, &len);
		return text ? resp_odata_text(resp, 200, text, len) : -1;
	}
	body = json_object();
	if (!body || build_body(body, q, req, opts, pv)) {
		json_decref(body);
		return -1;
	}
	return resp_odata(resp, 200, body);
}

int odata_respond_collection(const struct odata_query *q, const struct req *req,
                             struct resp *resp, const struct odata_item *items, size_t n,
                             const struct odata_list_opts *opts)
{
	static const struct odata_list_opts none = {0};
	static const struct odata_query all = {0};
	int max, rc;
	size_t *idx, m;

	opts = opts ? opts : &none;
	q = q ? q : &all;
	max = opts->max_top > 0 ? opts->max_top : ODATA_MAX_TOP;
	if (q->top > max)
		return too_big(resp, q->top, max);
	idx = odata_match_sorted(q, items, n, &m);
	if (!idx)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	struct page pg = page_bounds(q, opts, items, idx, m);
	char *link = pg.to < m ? next_link(q, req, items, idx, pg.to) : NULL;
	struct page_view pv = {items, idx, pg.from, pg.to, m, link};

	rc = pg.to < m && !link ? -1 : respond_page(q, req, resp, opts, &pv);
	free(link);
	free(idx);
	if (rc)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	return 0;
}

int odata_respond_walked(const struct odata_query *q, const struct req *req,
                         struct resp *resp, const struct odata_item *items, size_t n,
                         const struct odata_cursor *next,
                         const struct odata_list_opts *opts)
{
	static const struct odata_list_opts none = {0};
	size_t *idx = malloc((n + 1) * sizeof(*idx));
	char *link = NULL, *token = NULL;
	int rc = -1;

	opts = opts ? opts : &none;
	if (!idx)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	if (next && next->key) {
		token = odata_cursor_encode(next->seq, next->key);
		link = token ? odata_next_link_token(req, token) : NULL;
	} else if (next) {
		link = odata_next_link(req, ODATA_TOKEN_SEQ, next->seq);
	}
	if (!next || link) {
		struct page_view pv = {items, idx, 0, n, n, link};
		rc = respond_page(q, req, resp, opts, &pv);
	}
	free(token);
	free(link);
	free(idx);
	if (rc)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	return 0;
}

int odata_respond_count(const struct odata_query *q, const struct req *req,
                        struct resp *resp, const struct odata_item *items, size_t n)
{
	char buf[32];
	size_t i, m = 0;
	int len;

	if (!q) {
		static const struct odata_query all = {0};

		q = &all;
	}
	if (!q->advanced && !req_is_advanced(req))
		return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
		                  "$count is not currently supported.");
	for (i = 0; i < n; i++)
		m += odata_query_match(q, items[i].obj);
	len = snprintf(buf, sizeof(buf), "%zu", m);
	if (resp_raw(resp, 200, "text/plain;charset=utf-8", buf, (size_t)len))
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	return 0;
}
