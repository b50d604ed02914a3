/*
 * server/odata/odata_respond.c - turning matched objects into Graph's OData
 * responses: the @odata.context (with $select and $expand), paging with an
 * opaque $skiptoken and an absolute @odata.nextLink, @odata.count, and the
 * /$count text body. Each object is written by odata_project.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/jwriter.h"
#include "../../state/schema/schema.h"
#include "odata.h"
#include "odata_filter.h"
#include "odata_query.h"
#include "odata_respond.h"
#include "../core/req.h"
#include "../core/resp.h"

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
	/* OData's select list: the properties, then each expanded one with its
	 * own list, "members()" when it has none (#chats(members()) in Graph). */
	for (i = 0; q && i < q->nselect; i++) {
		buf_addstr(sb, i ? "," : "(");
		buf_addstr(sb, q->select[i]);
	}
	for (i = 0; q && i < q->nexpand; i++) {
		const struct odata_expand *x = &q->expand[i];

		buf_addstr(sb, i || q->nselect ? "," : "(");
		buf_addstr(sb, x->nav->name);
		buf_addstr(sb, "(");
		for (size_t k = 0; k < x->nselect; k++) {
			if (k)
				buf_addstr(sb, ",");
			buf_addstr(sb, x->select[k]);
		}
		buf_addstr(sb, ")");
	}
	if (q && (q->nselect || q->nexpand))
		buf_addstr(sb, ")");
	buf_addstr(sb, suffix);
}

/* {"@odata.context": ..., [@odata.type], <projection>} as text. */
static char *entity_text(const struct odata_query *q, const struct req *req,
                         const struct odata_one *one, size_t *len)
{
	const struct odata_entity *entity = one->entity;
	struct buf sb;
	struct buf w;

	buf_init(&sb, ODATA_URL_MAX);
	context_url(&sb, q, req, one->context ? one->context : set_name(entity),
	            "/$entity");
	if (sb.failed) {
		buf_release(&sb);
		return NULL;
	}
	buf_init(&w, RESP_TEXT_MAX);
	if (odata_metadata_none(req)) {
		buf_release(&sb);
		odata_project_write_ex(&w, q, entity, one->obj,
		                       ODATA_PW_SINGLE | ODATA_PW_BARE, one->expander,
		                       &one->tag);
		return buf_detach(&w, len);
	}
	buf_add(&w, "{", 1);
	jwriter_key(&w, "@odata.context");
	jwriter_string(&w, sb.data, sb.len);
	buf_release(&sb);
	odata_project_write_ex(&w, q, entity, one->obj,
	                       ODATA_PW_CONTINUED | ODATA_PW_SINGLE |
	                           (one->type_annotation ? ODATA_PW_ANNOTATE : 0),
	                       one->expander, &one->tag);
	return buf_detach(&w, len);
}

int odata_respond_one(const struct odata_query *q, const struct req *req,
                      struct resp *resp, unsigned status, const struct odata_one *one)
{
	size_t len;
	char *text = entity_text(q, req, one, &len);
	json_t *body;

	if (!text)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	if (resp->bytes_only)
		return resp_odata_text(resp, status, text, len);
	/* Handlers and tests that read the body get the same text, parsed. */
	body = json_loadb(text, len, 0, NULL);
	free(text);
	if (!body)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	return resp_odata(resp, status, body);
}

int odata_respond_entity(const struct odata_query *q, const struct req *req,
                         struct resp *resp, unsigned status,
                         const struct odata_entity *entity, const json_t *obj,
                         const char *context)
{
	struct odata_one one = {entity, obj, context, false, NULL, {NULL, 0}};

	return odata_respond_one(q, req, resp, status, &one);
}

int odata_respond_entity_json(const struct odata_query *q, const struct req *req,
                              struct resp *resp, unsigned status,
                              const struct odata_entity *entity, const json_t *obj,
                              const char *context)
{
	struct odata_one one = {entity, obj, context, false, NULL, {NULL, 0}};
	bool bytes_only = resp->bytes_only;
	int rc;

	resp->bytes_only = false;
	rc = odata_respond_one(q, req, resp, status, &one);
	resp->bytes_only = bytes_only;
	return rc;
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

	/* "Max page size with $expand is 100" (microsoft-graph-docs#21506). */
	if (q->nexpand && top > ODATA_EXPAND_MAX_PAGE)
		top = ODATA_EXPAND_MAX_PAGE;
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

/* The page as JSON text: context, count, nextLink, then the items. */
static int write_body(struct buf *w, const struct odata_query *q, const struct req *req,
                      const struct odata_list_opts *opts, const struct page_view *pv)
{
	const struct odata_item *items = pv->items;
	const size_t *idx = pv->idx;
	size_t m = pv->m;
	bool bare = odata_metadata_none(req);
	struct odata_proj *proj;
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
	/* metadata=none keeps only nextLink and count (OData JSON 4.01 §3.1.3) */
	if (!bare) {
		jwriter_key(w, "@odata.context");
		jwriter_string(w, ctx.data, ctx.len);
		buf_add(w, ",", 1);
	}
	buf_release(&ctx);
	if (q->count && q->advanced) {
		char num[24];
		int len = snprintf(num, sizeof(num), "\"@odata.count\":%zu,", m);

		buf_add(w, num, (size_t)len);
	}
	if (link) {
		jwriter_key(w, "@odata.nextLink");
		jwriter_string(w, link, strlen(link));
		buf_add(w, ",", 1);
	}
	buf_add(w, "\"value\":[", 9);
	proj = odata_proj_new(opts->expander);
	for (i = pv->from; i < pv->to; i++) {
		const struct odata_item *it = &items[idx[i]];

		if (i > pv->from)
			buf_add(w, ",", 1);
		odata_proj_write(proj, w, q, it->entity ? it->entity : q->entity, it->obj,
		                 (opts->type_annotations ? ODATA_PW_ANNOTATE : 0) |
		                     (bare ? ODATA_PW_BARE : 0),
		                 &it->tag);
	}
	odata_proj_free(proj);
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

	buf_init(&w, RESP_TEXT_MAX);
	if (write_body(&w, q, req, opts, pv)) {
		buf_release(&w);
		return -1;
	}
	text = buf_detach(&w, &len);
	if (!text)
		return -1;
	if (resp->bytes_only)
		return resp_odata_text(resp, 200, text, len);
	body = json_loadb(text, len, 0, NULL);
	free(text);
	return body ? resp_odata(resp, 200, body) : -1;
}

int odata_collection_pick(const struct odata_query *q, struct resp *resp,
                          const struct odata_item *items, size_t n,
                          const struct odata_list_opts *opts, struct odata_pick *pick)
{
	static const struct odata_list_opts none = {0};
	static const struct odata_query all = {0};
	int max;

	memset(pick, 0, sizeof(*pick));
	opts = opts ? opts : &none;
	q = q ? q : &all;
	max = opts->max_top > 0 ? opts->max_top : ODATA_MAX_TOP;
	if (q->top > max)
		return too_big(resp, q->top, max);
	if (odata_select_single_only(q, q->entity))
		return resp_error(resp, GERR_NOT_IMPLEMENTED,
		                  "This operation target is not yet supported.");
	pick->idx = odata_match_sorted(q, items, n, &pick->m);
	if (!pick->idx)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	struct page pg = page_bounds(q, opts, items, pick->idx, pick->m);
	pick->from = pg.from;
	pick->to = pg.to;
	return 0;
}

int odata_collection_answer(const struct odata_query *q, const struct req *req,
                            struct resp *resp, const struct odata_item *items,
                            const struct odata_list_opts *opts, struct odata_pick *pick)
{
	static const struct odata_list_opts none = {0};
	static const struct odata_query all = {0};
	size_t *idx = pick->idx, m = pick->m;
	char *link;
	int rc;

	opts = opts ? opts : &none;
	q = q ? q : &all;
	link = pick->to < m ? next_link(q, req, items, idx, pick->to) : NULL;
	struct page_view pv = {items, idx, pick->from, pick->to, m, link};

	rc = pick->to < m && !link ? -1 : respond_page(q, req, resp, opts, &pv);
	free(link);
	free(idx);
	pick->idx = NULL;
	if (rc)
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	return 0;
}

int odata_respond_collection(const struct odata_query *q, const struct req *req,
                             struct resp *resp, const struct odata_item *items, size_t n,
                             const struct odata_list_opts *opts)
{
	struct odata_pick pick;

	if (odata_collection_pick(q, resp, items, n, opts, &pick))
		return -1;
	return odata_collection_answer(q, req, resp, items, opts, &pick);
}

int odata_respond_walked(const struct odata_query *q, const struct req *req,
                         struct resp *resp, const struct odata_item *items, size_t n,
                         const struct odata_cursor *next, const size_t *count,
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
		struct page_view pv = {items, idx, 0, n, count ? *count : n, link};
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
	size_t m = 0;

	for (size_t i = 0; q && i < n; i++)
		m += odata_query_match(q, items[i].obj);
	return odata_respond_number(q, req, resp, q ? m : n);
}

int odata_respond_number(const struct odata_query *q, const struct req *req,
                         struct resp *resp, size_t m)
{
	char buf[32];
	int len;

	if (!(q && q->advanced) && !req_is_advanced(req))
		return resp_error(resp, GERR_REQUEST_BAD_REQUEST,
		                  "$count is not currently supported.");
	len = snprintf(buf, sizeof(buf), "%zu", m);
	if (resp_raw(resp, 200, "text/plain;charset=utf-8", buf, (size_t)len))
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	return 0;
}

void odata_items_free(struct odata_item *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++)
		json_decref(items[i].hold);
	free(items);
}
