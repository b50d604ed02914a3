/*
 * server/core/resp.c - building a response: bodies, content types, extra headers,
 * and rendering the body to bytes.
 */
#include "resp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "jwriter.h"
#include "req.h"

/* snprintf(dst, size, "%s", src) without the format machinery (every request). */
static void copy_id(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void resp_init(struct resp *resp, const struct req *req)
{
	memset(resp, 0, sizeof(*resp));
	if (req) {
		copy_id(resp->request_id, sizeof(resp->request_id), req->request_id);
		copy_id(resp->client_request_id, sizeof(resp->client_request_id),
		        req->client_request_id);
		resp->now_ms = req->now_ms;
	}
}

static void stream_release(struct resp *resp)
{
	if (resp->stream.release)
		resp->stream.release(resp->stream.ctx);
	if (resp->stream.file)
		fclose(resp->stream.file);
	memset(&resp->stream, 0, sizeof(resp->stream));
}

static void clear_body(struct resp *resp)
{
	stream_release(resp);
	json_decref(resp->body);
	resp->body = NULL;
	free(resp->text);
	resp->text = NULL;
	resp->text_len = 0;
	free(resp->raw);
	resp->raw = NULL;
	resp->raw_len = 0;
	resp->content_type[0] = '\0';
}

void resp_release(struct resp *resp)
{
	clear_body(resp);
	free(resp->bytes);
	resp->bytes = NULL;
	resp->bytes_len = 0;
	for (size_t i = 0; i < resp->nheaders; i++) {
		free(resp->headers[i].name);
		free(resp->headers[i].value);
	}
	resp->nheaders = 0;
}

static int set_json(struct resp *resp, unsigned status, json_t *body, enum resp_kind kind)
{
	clear_body(resp);
	resp->status = status;
	resp->kind = kind;
	resp->body = body;
	return 0;
}

int resp_odata(struct resp *resp, unsigned status, json_t *body)
{
	return set_json(resp, status, body, RESP_ODATA);
}

int resp_odata_text(struct resp *resp, unsigned status, char *text, size_t len)
{
	clear_body(resp);
	resp->status = status;
	resp->kind = RESP_ODATA;
	resp->text = text;
	resp->text_len = len;
	return 0;
}

int resp_json(struct resp *resp, unsigned status, json_t *body)
{
	return set_json(resp, status, body, RESP_JSON);
}

int resp_raw(struct resp *resp, unsigned status, const char *content_type,
             const char *data, size_t len)
{
	clear_body(resp);
	resp->status = status;
	resp->kind = RESP_RAW;
	resp->raw = malloc(len + 1);
	if (!resp->raw)
		return -1;
	memcpy(resp->raw, data, len);
	resp->raw[len] = '\0';
	resp->raw_len = len;
	snprintf(resp->content_type, sizeof(resp->content_type), "%s", content_type);
	return 0;
}

int resp_empty(struct resp *resp, unsigned status)
{
	clear_body(resp);
	resp->status = status;
	resp->kind = RESP_EMPTY;
	return 0;
}

int resp_stream(struct resp *resp, unsigned status, const char *content_type,
                const struct resp_stream *s)
{
	clear_body(resp);
	resp->status = status;
	resp->kind = RESP_STREAM;
	resp->stream = *s;
	snprintf(resp->content_type, sizeof(resp->content_type), "%s", content_type);
	return 0;
}

/* The body became unsendable: Graph's 500 instead, rendered here. */
static void render_failed(struct resp *resp)
{
	clear_body(resp);
	free(resp->bytes);
	resp->bytes = NULL;
	resp->bytes_len = 0;
	resp_error(resp, GERR_INTERNAL,
	           "The response could not be rendered (larger than %zu bytes, or out "
	           "of memory).",
	           RESP_TEXT_MAX);
	resp->bytes = resp_render(resp, &resp->bytes_len);
	json_decref(resp->body);
	resp->body = NULL;
}

void resp_stream_drain(struct resp *resp)
{
	struct buf w;
	int rc;

	if (resp->kind != RESP_STREAM)
		return;
	buf_init(&w, RESP_TEXT_MAX);
	if (resp->stream.file) {
		rc = buf_reserve(&w, resp->stream.file_len) &&
		             fread(w.data, 1, resp->stream.file_len, resp->stream.file) ==
		                 resp->stream.file_len
		         ? 0
		         : -1;
		if (!rc) {
			w.len = resp->stream.file_len;
			w.data[w.len] = '\0';
		}
	} else {
		do
			rc = resp->stream.next(resp->stream.ctx, &w);
		while (rc > 0 && !w.failed);
	}
	if (rc < 0 || w.failed) {
		buf_release(&w);
		render_failed(resp);
		return;
	}
	free(resp->bytes);
	resp->bytes = buf_detach(&w, &resp->bytes_len);
	stream_release(resp);
	resp->kind = RESP_RAW;
}

int resp_header(struct resp *resp, const char *name, const char *fmt, ...)
{
	char value[1024];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	for (i = 0; i < resp->nheaders; i++)
		if (!strcasecmp(resp->headers[i].name, name))
			break;
	if (i == RESP_MAX_HEADERS)
		return -1;
	char *v = strdup(value);
	if (!v)
		return -1;
	if (i < resp->nheaders) {
		free(resp->headers[i].value);
		resp->headers[i].value = v;
		return 0;
	}
	resp->headers[i].name = strdup(name);
	if (!resp->headers[i].name) {
		free(v);
		return -1;
	}
	resp->headers[i].value = v;
	resp->nheaders++;
	return 0;
}

const char *resp_header_get(const struct resp *resp, const char *name)
{
	for (size_t i = 0; i < resp->nheaders; i++)
		if (!strcasecmp(resp->headers[i].name, name))
			return resp->headers[i].value;
	return NULL;
}

static char *copy_bytes(const char *data, size_t n, size_t *len)
{
	char *out = malloc(n + 1);

	if (!out)
		return NULL;
	memcpy(out, data, n);
	out[n] = '\0';
	*len = n;
	return out;
}

/* What json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) prints, faster. */
static char *dump_body(const json_t *body, size_t *len)
{
	struct buf w;

	buf_init(&w, RESP_TEXT_MAX);
	jwriter_value(&w, body);
	return buf_detach(&w, len);
}

char *resp_render(const struct resp *resp, size_t *len)
{
	*len = 0;
	switch (resp->kind) {
	case RESP_ODATA:
	case RESP_JSON:
		if (resp->text)
			return copy_bytes(resp->text, resp->text_len, len);
		if (!resp->body)
			return NULL;
		return dump_body(resp->body, len);
	case RESP_RAW:
		return copy_bytes(resp->raw, resp->raw_len, len);
	case RESP_NONE:
	case RESP_EMPTY:
	case RESP_STREAM:
		return NULL;
	}
	return NULL;
}

/* Must the response carry a body (a JSON one always does: a NULL body is
 * one that could not be built)? */
static bool has_body(const struct resp *resp)
{
	switch (resp->kind) {
	case RESP_ODATA:
	case RESP_JSON:
		return true;
	case RESP_RAW:
		return resp->raw != NULL;
	case RESP_NONE:
	case RESP_EMPTY:
	case RESP_STREAM:
		return false;
	}
	return false;
}

void resp_finish(struct resp *resp)
{
	if (resp->finished)
		return;
	resp->finished = true;
	free(resp->bytes);
	if (resp->text && (resp->kind == RESP_ODATA || resp->kind == RESP_JSON)) {
		resp->bytes = resp->text;
		resp->bytes_len = resp->text_len;
		resp->text = NULL;
		resp->text_len = 0;
	} else {
		bool had = has_body(resp);

		resp->bytes = resp_render(resp, &resp->bytes_len);
		if (had && !resp->bytes) {
			render_failed(resp);
			return;
		}
	}
	json_decref(resp->body);
	resp->body = NULL;
}

const char *resp_content_type(const struct resp *resp)
{
	switch (resp->kind) {
	case RESP_ODATA:
		return RESP_ODATA_CONTENT_TYPE;
	case RESP_JSON:
		return "application/json";
	case RESP_RAW:
	case RESP_STREAM:
		return resp->content_type;
	case RESP_NONE:
	case RESP_EMPTY:
		return NULL;
	}
	return NULL;
}
