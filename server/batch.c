/*
 * server/batch.c - running a validated $batch: one struct req per
 * sub-request, the fault engine's say on each, srv_dispatch() outside the
 * state lock, 424 for the dependents of a failure, a journal entry apiece,
 * and the {"responses": [...]} document built from the rendered sub-responses.
 */
#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../state/clock.h"
#include "auth.h"
#include "../state/util/b64.h"
#include "error.h"
#include "fault_apply.h"
#include "req.h"
#include "resp.h"
#include "srv.h"

/* Outer headers a sub-request inherits unless it sets its own (docs/batch.md). */
static const char *const inherited[] = {"authorization", "x-graphmock-tenant",
                                        "client-request-id", NULL};

/* What one sub-request resolved to, for the fault engine and the journal. */
struct sub_ctx {
	char tenant_id[GUID_STR_LEN + 1];
	char tenant_domain[256];
	char client[256];
	struct fault_decision fault;
};

/* Decode and add the options of query string @q ("a=b&c=d"), as http.c does. */
static int add_query(struct req *sub, const char *q)
{
	while (*q) {
		size_t len = strcspn(q, "&");
		const char *eq = memchr(q, '=', len);
		size_t klen = eq ? (size_t)(eq - q) : len;
		int rc = 0;

		if (klen) {
			char *k = req_percent_decode(q, klen);
			char *v =
			    eq ? req_percent_decode(eq + 1, len - klen - 1) : strdup("");

			rc = !k || !v || req_add_query(sub, k, v) ? -1 : 0;
			free(k);
			free(v);
		}
		if (rc)
			return -1;
		q += len;
		q += *q == '&';
	}
	return 0;
}

static int add_headers(struct req *sub, const struct req *outer, const json_t *headers)
{
	const char *name;
	json_t *v;

	json_object_foreach((json_t *)headers, name, v)
	{
		if (req_add_header(sub, name, json_string_value(v)))
			return -1;
	}
	for (size_t i = 0; inherited[i]; i++) {
		const char *val = req_header(outer, inherited[i]);

		if (val && !req_header(sub, inherited[i]) &&
		    req_add_header(sub, inherited[i], val))
			return -1;
	}
	return 0;
}

/* The sub-request's body bytes: JSON as text; a string is base64 (binary) or text. */
static int set_body(struct req *sub, const json_t *body)
{
	size_t len = 0;
	char *bytes;
	int rc;

	if (!body)
		return 0;
	if (json_is_string(body)) {
		bytes = (char *)b64_decode(json_string_value(body),
		                           json_string_length(body), &len);
		if (!bytes)
			return req_set_body(sub, json_string_value(body),
			                    json_string_length(body));
	} else {
		bytes = json_dumps(body,
		                   JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		len = bytes ? strlen(bytes) : 0;
	}
	if (!bytes)
		return -1;
	rc = req_set_body(sub, bytes, len);
	free(bytes);
	return rc;
}

/*
 * Fill @sub (req_init'ed) for item @it of @outer, and resp_init @sresp for
 * it. What the HTTP layer would refuse (a broken path or query escape) is
 * answered in @sresp, as is running out of memory.
 */
static void build_sub(struct srv *srv, const struct req *outer,
                      const struct batch_item *it, struct req *sub, struct resp *sresp)
{
	const char *q = strchr(it->url, '?');
	int plen = (int)(q ? (size_t)(q - it->url) : strlen(it->url));
	size_t size = strlen(it->url) + sizeof(outer->version) + 3;
	char *path = malloc(size);
	const char *crid;
	int rc;

	snprintf(sub->method, sizeof(sub->method), "%s", it->method);
	memcpy(sub->base_url, outer->base_url, sizeof(sub->base_url));
	memcpy(sub->peer, outer->peer, sizeof(sub->peer));
	sub->now_ms = state_now_ms(&srv->state);
	rc = add_headers(sub, outer, it->headers);
	crid = req_header(sub, "client-request-id");
	if (crid && *crid)
		snprintf(sub->client_request_id, sizeof(sub->client_request_id), "%s",
		         crid);
	resp_init(sresp, sub);
	if (!path || rc || set_body(sub, it->body)) {
		resp_error(sresp, GERR_INTERNAL, "Out of memory.");
		goto out_free_path;
	}
	snprintf(path, size, "/%s%s%.*s", outer->version, it->url[0] == '/' ? "" : "/",
	         plen, it->url);
	if (req_set_path(sub, path))
		resp_error(sresp, GERR_BAD_REQUEST,
		           "Resource not found for the segment '%s'.", path);
	else if (q && add_query(sub, q + 1))
		resp_error(sresp, GERR_BAD_REQUEST,
		           "The query string contains an invalid percent-encoding.");
out_free_path:
	free(path);
}

/* The tenant @sub names, copied out under the state lock (as http.c does). */
static void resolve_tenant(struct srv *srv, const struct req *sub, struct sub_ctx *c)
{
	const char *want = req_header(sub, "x-graphmock-tenant");
	struct tenant *t;

	state_registry_read(&srv->state);
	t = want ? state_tenant_find(&srv->state, want)
	         : auth_token_tenant(&srv->state, sub);
	if (!t && !want)
		t = state_tenant_default(&srv->state);
	if (t) {
		snprintf(c->tenant_id, sizeof(c->tenant_id), "%s", t->id);
		snprintf(c->tenant_domain, sizeof(c->tenant_domain), "%s", t->domain);
	}
	state_registry_unlock(&srv->state);
}

/* Rules and a sub-request's own X-Graphmock-Fault header, as for any request. */
static void decide_fault(struct srv *srv, const struct req *sub, struct sub_ctx *c,
                         struct resp *sresp)
{
	const char *header =
	    srv->cfg.no_fault_header ? NULL : req_header(sub, FAULT_HEADER);
	const char *auth = req_header(sub, "authorization");
	struct fault_rule *oneshot = NULL;
	struct fault_request fr;
	char err[512];

	if (header) {
		oneshot = fault_rule_parse_compact(header, err, sizeof(err));
		if (!oneshot) {
			resp_error(sresp, GERR_BAD_REQUEST, "%s", err);
			return;
		}
	}
	snprintf(c->client, sizeof(c->client), "%s", auth && *auth ? auth : sub->peer);
	fr.method = sub->method;
	fr.path = sub->path ? sub->path : "";
	fr.tenant_id = c->tenant_id;
	fr.tenant_domain = c->tenant_domain;
	fr.client = c->client;
	fr.req = sub;
	fault_engine_decide(&srv->faults, &fr, oneshot, sub->now_ms, &c->fault);
	fault_rule_free(oneshot);
}

/*
 * Serve @sub as the fault decision says. Latency and connection faults have
 * no meaning inside a batch: the sub-request is served normally.
 */
static void serve_sub(struct srv *srv, struct req *sub, struct resp *sresp,
                      const struct fault_decision *d)
{
	switch (d->kind) {
	case FAULT_ERROR:
	case FAULT_THROTTLE:
		fault_error_respond(&d->error, d->body, sub, sresp);
		return;
	case FAULT_GHOST:
		srv_dispatch(srv, sub, sresp, false);
		if (d->ghost_reset)
			return;
		resp_release(sresp);
		resp_init(sresp, sub);
		fault_error_respond(&d->error, d->body, sub, sresp);
		return;
	case FAULT_NONE:
	case FAULT_LATENCY:
	case FAULT_CONNECTION:
	case FAULT_MAIL:
	case FAULT_LAG:
		break;
	}
	srv_dispatch(srv, sub, sresp, false);
}

static bool fault_applied(const struct fault_decision *d)
{
	return d->kind == FAULT_ERROR || d->kind == FAULT_THROTTLE ||
	       (d->kind == FAULT_GHOST && !d->ghost_reset);
}

static void journal_sub(struct srv *srv, const struct req *sub, const struct resp *sresp,
                        const struct sub_ctx *c, int64_t micros)
{
	struct journal_entry en;

	if (!srv->journal.cap)
		return;
	journal_fill(&en, sub, sresp->status, micros);
	snprintf(en.tenant, sizeof(en.tenant), "%s", c->tenant_id);
	if (fault_applied(&c->fault)) {
		snprintf(en.fault, sizeof(en.fault), "%s",
		         fault_kind_name(c->fault.kind));
		snprintf(en.rule_id, sizeof(en.rule_id), "%s", c->fault.rule_id);
		snprintf(en.fault_detail, sizeof(en.fault_detail), "%u",
		         c->fault.error.status);
	}
	journal_record(&srv->journal, &en);
}

/* The entry's body: parsed JSON, text as a string, null when there is none. */
static json_t *entry_body(const struct resp *r)
{
	const char *ct = resp_content_type(r);
	json_t *v = NULL;
	char *b64;

	if (!r->bytes || !r->bytes_len)
		return json_null();
	if (ct && !strncasecmp(ct, "application/json", 16))
		v = json_loadb(r->bytes, r->bytes_len, JSON_DECODE_ANY, NULL);
	if (!v)
		v = json_stringn(r->bytes, r->bytes_len);
	if (v)
		return v;
	/* not UTF-8: binary content goes as base64url, as Graph sends it */
	b64 = b64url_encode(r->bytes, r->bytes_len);
	v = b64 ? json_string(b64) : NULL;
	free(b64);
	return v ? v : json_null();
}

/* {id, status, headers, body} for sub-response @r. Returns: new reference. */
static json_t *entry(const char *id, const struct resp *r)
{
	const char *ct = resp_content_type(r);
	json_t *h = json_object();

	if (!resp_header_get(r, "Cache-Control"))
		json_object_set_new(h, "Cache-Control", json_string("no-cache"));
	if (r->kind == RESP_ODATA)
		json_object_set_new(h, "OData-Version", json_string("4.0"));
	if (ct)
		json_object_set_new(h, "Content-Type", json_string(ct));
	for (size_t i = 0; i < r->nheaders; i++)
		json_object_set_new(h, r->headers[i].name,
		                    json_string(r->headers[i].value));
	return json_pack("{s:s, s:I, s:o, s:o}", "id", id, "status",
	                 (json_int_t)r->status, "headers", h, "body", entry_body(r));
}

/* The first dependency of @it that failed (status >= 400, 424 included), or -1. */
static int failed_dep(const struct batch_item *it, const unsigned *status)
{
	for (size_t k = 0; k < it->ndeps; k++)
		if (status[it->deps[k]] >= 400)
			return (int)it->deps[k];
	return -1;
}

/* Run item @i of @b into a new entry; record its status in @status[i]. */
static json_t *run_item(struct srv *srv, const struct req *outer, const struct batch *b,
                        size_t i, unsigned *status)
{
	const struct batch_item *it = &b->items[i];
	int64_t started = monotonic_us();
	int dep = failed_dep(it, status);
	struct sub_ctx c;
	struct resp sresp;
	struct req sub;
	json_t *e;

	memset(&c, 0, sizeof(c));
	req_init(&sub);
	build_sub(srv, outer, it, &sub, &sresp);
	if (dep >= 0 && sresp.kind == RESP_NONE)
		resp_error_code(&sresp, 424, "FailedDependency",
		                "The request depends on request '%s', which failed with "
		                "status %u.",
		                b->items[dep].id, status[dep]);
	if (sresp.kind == RESP_NONE) {
		resolve_tenant(srv, &sub, &c);
		decide_fault(srv, &sub, &c, &sresp);
	}
	if (sresp.kind == RESP_NONE)
		serve_sub(srv, &sub, &sresp, &c.fault);
	else
		resp_finish(&sresp); /* an error body of our own: no lock needed */
	status[i] = sresp.status;
	e = entry(it->id, &sresp);
	journal_sub(srv, &sub, &sresp, &c, monotonic_us() - started);
	fault_decision_release(&c.fault);
	resp_release(&sresp);
	req_release(&sub);
	return e;
}

void batch_run(struct srv *srv, const struct req *req, struct resp *resp)
{
	json_t *entries[BATCH_MAX_REQUESTS] = {NULL};
	unsigned status[BATCH_MAX_REQUESTS] = {0};
	json_t *list;
	struct batch b;

	if (batch_parse(req->body, &b, resp))
		goto out_render;
	for (size_t k = 0; k < b.n; k++)
		entries[b.order[k]] = run_item(srv, req, &b, b.order[k], status);
	list = json_array();
	for (size_t i = 0; i < b.n; i++)
		if (!list || json_array_append_new(list, entries[i]))
			json_decref(list ? NULL : entries[i]);
	if (!list || json_array_size(list) != b.n) {
		json_decref(list);
		resp_error(resp, GERR_INTERNAL, "Out of memory.");
		goto out_render;
	}
	resp_odata(resp, 200, json_pack("{s:o}", "responses", list));
out_render:
	resp_finish(resp);
}
