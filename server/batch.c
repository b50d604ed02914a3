/*
 * server/batch.c - running a validated $batch: one exchange per sub-request
 * through the same pipeline as a plain request (server/exchange.c), in
 * dependsOn order, 424 for the dependents of a failure, and the
 * {"responses": [...]} document built from the rendered sub-responses.
 */
#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../state/util/b64.h"
#include "core/call.h"
#include "core/error.h"
#include "exchange.h"
#include "core/req.h"
#include "core/resp.h"
#include "core/router.h"
#include "srv.h"

/* Outer headers a sub-request inherits unless it sets its own (docs/batch.md). */
static const char *const inherited[] = {"authorization", "x-graphmock-tenant",
                                        "client-request-id", NULL};

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
 * Fill @sub's request for item @it of @outer, as the HTTP transport fills a
 * plain one. What it would refuse (a broken path or query escape) is
 * answered in @sub's response, as is running out of memory.
 */
static void build_sub(struct srv *srv, const struct req *outer,
                      const struct batch_item *it, struct exchange *sub)
{
	struct req *req = &sub->req;
	const char *q = strchr(it->url, '?');
	int plen = (int)(q ? (size_t)(q - it->url) : strlen(it->url));
	size_t size = strlen(it->url) + sizeof(outer->version) + 3;
	char *path = malloc(size);
	const char *crid;
	int rc, prc;

	snprintf(req->method, sizeof(req->method), "%s", it->method);
	memcpy(req->base_url, outer->base_url, sizeof(req->base_url));
	memcpy(req->peer, outer->peer, sizeof(req->peer));
	req->now_ms = state_now_ms(&srv->state);
	rc = add_headers(req, outer, it->headers);
	crid = req_header(req, "client-request-id");
	if (crid && *crid)
		snprintf(req->client_request_id, sizeof(req->client_request_id), "%s",
		         crid);
	resp_init(&sub->resp, req);
	if (!path || rc || set_body(req, it->body)) {
		resp_error(&sub->resp, GERR_INTERNAL, "Out of memory.");
		goto out_free_path;
	}
	snprintf(path, size, "/%s%s%.*s", outer->version, it->url[0] == '/' ? "" : "/",
	         plen, it->url);
	rc = q ? req_add_query_string(req, q + 1) : 0;
	prc = req_set_path(req, path);
	if (rc == REQ_DECODE_OOM || prc == REQ_DECODE_OOM)
		resp_error(&sub->resp, GERR_INTERNAL, "Out of memory.");
	else if (prc)
		resp_error(&sub->resp, GERR_BAD_REQUEST,
		           "Resource not found for the segment '%s'.", path);
	else if (rc)
		resp_error(&sub->resp, GERR_BAD_REQUEST,
		           "The query string contains an invalid percent-encoding.");
out_free_path:
	free(path);
}

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

/*
 * Run item @i of @b into a new entry; record its status in @status[i].
 * Latency and connection faults have no meaning inside a batch: the
 * pipeline serves such a sub-request normally (no EXCHANGE_CAN_* caps).
 */
static json_t *run_item(struct srv *srv, const struct req *outer, const struct batch *b,
                        size_t i, unsigned *status)
{
	const struct batch_item *it = &b->items[i];
	int dep = failed_dep(it, status);
	struct exchange sub;
	json_t *e;

	exchange_init(&sub);
	build_sub(srv, outer, it, &sub);
	if (dep >= 0 && sub.resp.kind == RESP_NONE)
		resp_error_code(&sub.resp, 424, "FailedDependency",
		                "The request depends on request '%s', which failed with "
		                "status %u.",
		                b->items[dep].id, status[dep]);
	exchange_run(srv, &sub, 0);
	resp_stream_drain(&sub.resp); /* a streamed body goes whole into the entry */
	status[i] = sub.resp.status;
	e = entry(it->id, &sub.resp);
	exchange_release(&sub);
	return e;
}

/* POST /$batch: each sub-request takes its own locks, so this route takes none. */
static int batch_post(struct call *c)
{
	struct srv *srv = c->srv;
	const struct req *req = c->req;
	struct resp *resp = c->resp;
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
	return 0;
}

const struct route batch_routes[] = {
    {"POST", "/$batch", batch_post, ROUTE_JSON_BODY | ROUTE_STATE_NONE, NULL,
     &route_perms_any_token},
    {0},
};
