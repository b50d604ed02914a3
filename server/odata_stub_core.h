/*
 * server/odata_stub_core.h - TEMPORARY test-only stand-ins for server/req.c,
 * resp.c and error.c until the lead's versions land on main. Included by the
 * odata unit tests only; delete once main has the real ones.
 */
#ifndef GRAPHMOCK_SERVER_ODATA_STUB_CORE_H
#define GRAPHMOCK_SERVER_ODATA_STUB_CORE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "req.h"
#include "resp.h"

void req_init(struct req *req)
{
	memset(req, 0, sizeof(*req));
}

void req_release(struct req *req)
{
	size_t i;

	for (i = 0; i < req->nsegs; i++)
		free(req->segs[i]);
	for (i = 0; i < req->nquery; i++) {
		free(req->query[i].name);
		free(req->query[i].value);
	}
	for (i = 0; i < req->nheaders; i++) {
		free(req->headers[i].name);
		free(req->headers[i].value);
	}
	free(req->query);
	free(req->headers);
	free(req->path);
	memset(req, 0, sizeof(*req));
}

static int stub_kv(struct req_kv **kv, size_t *n, const char *name, const char *value)
{
	struct req_kv *nk = realloc(*kv, (*n + 1) * sizeof(**kv));

	if (!nk)
		return -1;
	*kv = nk;
	nk[*n].name = strdup(name);
	nk[*n].value = strdup(value);
	(*n)++;
	return 0;
}

int req_add_query(struct req *req, const char *name, const char *value)
{
	return stub_kv(&req->query, &req->nquery, name, value);
}

int req_add_header(struct req *req, const char *name, const char *value)
{
	return stub_kv(&req->headers, &req->nheaders, name, value);
}

const char *req_header(const struct req *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nheaders; i++) {
		if (!strcasecmp(req->headers[i].name, name))
			return req->headers[i].value;
	}
	return NULL;
}

bool req_is_advanced(const struct req *req)
{
	const char *cl = req_header(req, "consistencylevel");

	return cl && !strcasecmp(cl, "eventual");
}

/* Splits on '/', strips /v1.0 or /beta; no percent-decoding, no key forms. */
int req_set_path(struct req *req, const char *path)
{
	const char *p = path;

	req->path = strdup(path);
	if (!strncmp(p, "/v1.0", 5)) {
		snprintf(req->version, sizeof(req->version), "v1.0");
		p += 5;
	} else if (!strncmp(p, "/beta", 5)) {
		snprintf(req->version, sizeof(req->version), "beta");
		p += 5;
	}
	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		len = strcspn(p, "/");
		req->segs[req->nsegs++] = strndup(p, len);
		p += len;
	}
	return 0;
}

void resp_init(struct resp *resp, const struct req *req)
{
	(void)req;
	memset(resp, 0, sizeof(*resp));
}

void resp_release(struct resp *resp)
{
	json_decref(resp->body);
	free(resp->raw);
	memset(resp, 0, sizeof(*resp));
}

int resp_odata(struct resp *resp, unsigned status, json_t *body)
{
	json_decref(resp->body);
	resp->status = status;
	resp->kind = RESP_ODATA;
	resp->body = body;
	return 0;
}

int resp_raw(struct resp *resp, unsigned status, const char *content_type,
             const char *data, size_t len)
{
	free(resp->raw);
	resp->raw = malloc(len + 1);
	if (!resp->raw)
		return -1;
	memcpy(resp->raw, data, len);
	resp->raw[len] = '\0';
	resp->raw_len = len;
	resp->status = status;
	resp->kind = RESP_RAW;
	snprintf(resp->content_type, sizeof(resp->content_type), "%s", content_type);
	return 0;
}

__attribute__((format(printf, 4, 0))) static int stub_verror(struct resp *resp,
                                                             unsigned status,
                                                             const char *code,
                                                             const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	json_decref(resp->body);
	resp->status = status;
	resp->kind = RESP_JSON;
	resp->body = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
	return -1;
}

int resp_error_code(struct resp *resp, unsigned status, const char *code, const char *fmt,
                    ...)
{
	va_list ap;

	va_start(ap, fmt);
	stub_verror(resp, status, code, fmt, ap);
	va_end(ap);
	return -1;
}

int resp_error(struct resp *resp, enum gerr e, const char *fmt, ...)
{
	static const char *const codes[] = {
	    [GERR_BAD_REQUEST] = "BadRequest",
	    [GERR_REQUEST_BAD_REQUEST] = "Request_BadRequest",
	    [GERR_UNSUPPORTED_QUERY] = "Request_UnsupportedQuery",
	    [GERR_INTERNAL] = "InternalServerError",
	};
	va_list ap;

	va_start(ap, fmt);
	stub_verror(resp, e == GERR_INTERNAL ? 500 : 400, codes[e] ? codes[e] : "Other",
	            fmt, ap);
	va_end(ap);
	return -1;
}

#endif
