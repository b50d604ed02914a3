/*
 * server/batch_parse.c - validating a $batch payload before anything runs,
 * and the execution order dependsOn imposes. Every problem is a 400 for the
 * whole batch, as Graph answers (graph-spec §9); docs/batch.md lists them.
 */
#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/req.h"
#include "core/resp.h"

#define BAD_FORMAT "Invalid batch payload format."

static const char *const methods[] = {"GET", "POST", "PATCH", "PUT", "DELETE", NULL};

static int parse_method(const json_t *req, struct batch_item *it, struct resp *resp)
{
	const char *m = json_string_value(json_object_get(req, "method"));

	if (!m || !*m)
		return resp_error(resp, GERR_BAD_REQUEST,
		                  BAD_FORMAT " Request '%s' has no 'method'.", it->id);
	for (size_t i = 0; methods[i]; i++)
		if (!strcasecmp(m, methods[i])) {
			memcpy(it->method, methods[i], strlen(methods[i]) + 1);
			return 0;
		}
	return resp_error(resp, GERR_BAD_REQUEST,
	                  BAD_FORMAT
	                  " Request '%s': method '%s' is not one of GET, POST, "
	                  "PATCH, PUT, DELETE.",
	                  it->id, m);
}

/* The first path segment of @url, decoded: is it $batch (any case)? */
static bool names_batch(const char *url)
{
	size_t len;
	char *seg;
	bool yes;

	url += strspn(url, "/");
	len = strcspn(url, "/?");
	seg = req_percent_decode(url, len);
	yes = seg && !strcasecmp(seg, "$batch");
	free(seg);
	return yes;
}

static int parse_url(const json_t *req, struct batch_item *it, struct resp *resp)
{
	const char *url = json_string_value(json_object_get(req, "url"));

	if (!url || !*url)
		return resp_error(resp, GERR_BAD_REQUEST,
		                  BAD_FORMAT " Request '%s' has no 'url'.", it->id);
	if (strstr(url, "://") || !strncmp(url, "//", 2))
		return resp_error(resp, GERR_BAD_REQUEST,
		                  BAD_FORMAT
		                  " Request '%s': url '%s' must be relative to the "
		                  "version root, such as '/users'.",
		                  it->id, url);
	if (names_batch(url))
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    BAD_FORMAT " Request '%s': a batch cannot contain a $batch request.",
		    it->id);
	it->url = url;
	return 0;
}

static int parse_headers_body(const json_t *req, struct batch_item *it, struct resp *resp)
{
	const json_t *h = json_object_get(req, "headers");
	const json_t *body = json_object_get(req, "body");
	bool has_ct = false;
	const char *name;
	json_t *v;

	if (h && !json_is_null(h)) {
		if (!json_is_object(h))
			return resp_error(resp, GERR_BAD_REQUEST,
			                  BAD_FORMAT " Request '%s': 'headers' must be "
			                             "an object of string values.",
			                  it->id);
		json_object_foreach((json_t *)h, name, v)
		{
			if (!json_is_string(v))
				return resp_error(resp, GERR_BAD_REQUEST,
				                  BAD_FORMAT
				                  " Request '%s': header '%s' must "
				                  "be a string.",
				                  it->id, name);
			if (!strcasecmp(name, "content-type") && json_string_length(v))
				has_ct = true;
		}
		it->headers = h;
	}
	if (body && !json_is_null(body)) {
		/* Graph's text for a body without its Content-Type (graph-spec §9) */
		if (!has_ct)
			return resp_error(
			    resp, GERR_BAD_REQUEST,
			    "Write request id : %s does not contain Content-Type "
			    "header or body.",
			    it->id);
		it->body = body;
	}
	return 0;
}

/* A JSON integer id as text: the CLI for Microsoft 365 sends "id": 1. */
static const char *int_text(const json_t *v, char *out, size_t len)
{
	snprintf(out, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return out;
}

static int find_id(const struct batch *b, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(b->items[i].id, id))
			return (int)i;
	return -1;
}

static int parse_depends(const json_t *req, struct batch *b, size_t i, struct resp *resp)
{
	const json_t *deps = json_object_get(req, "dependsOn");
	struct batch_item *it = &b->items[i];
	size_t k;
	json_t *d;

	if (!deps || json_is_null(deps))
		return 0;
	if (!json_is_array(deps))
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    BAD_FORMAT
		    " Request '%s': 'dependsOn' must be an array of request ids.",
		    it->id);
	json_array_foreach(deps, k, d)
	{
		char num[24];
		const char *id = json_is_integer(d) ? int_text(d, num, sizeof(num))
		                                    : json_string_value(d);
		int at = id ? find_id(b, b->n, id) : -1;

		if (!id)
			return resp_error(
			    resp, GERR_BAD_REQUEST,
			    BAD_FORMAT
			    " Request '%s': 'dependsOn' must be an array of request ids.",
			    it->id);
		if (at < 0)
			return resp_error(
			    resp, GERR_BAD_REQUEST,
			    "Invalid dependency for request Id %s: '%s' is not the id "
			    "of a request in this batch.",
			    it->id, id);
		if ((size_t)at == i)
			return resp_error(
			    resp, GERR_BAD_REQUEST,
			    "Invalid dependency for request Id %s: it depends on "
			    "itself ('%s').",
			    it->id, id);
		if (it->ndeps < BATCH_MAX_REQUESTS)
			it->deps[it->ndeps++] = (size_t)at;
	}
	return 0;
}

/* id, method, url, headers and body of request @i (@req borrowed). */
static int parse_item(const json_t *req, struct batch *b, size_t i, struct resp *resp)
{
	struct batch_item *it = &b->items[i];
	if (!json_is_object(req))
		return resp_error(resp, GERR_BAD_REQUEST,
		                  BAD_FORMAT " Request %zu is not a JSON object.", i + 1);
	it->id = json_string_value(json_object_get(req, "id"));
	/* A number is taken as its decimal text and echoed back as a string. */
	if (json_is_integer(json_object_get(req, "id")))
		it->id =
		    int_text(json_object_get(req, "id"), it->id_num, sizeof(it->id_num));
	if (!it->id || !*it->id)
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    BAD_FORMAT " Request %zu has no 'id' (a non-empty string).", i + 1);
	if (find_id(b, i, it->id) >= 0)
		return resp_error(resp, GERR_BAD_REQUEST,
		                  "Request Id %s has to be unique in a batch.", it->id);
	if (parse_method(req, it, resp) || parse_url(req, it, resp))
		return -1;
	return parse_headers_body(req, it, resp);
}

int batch_plan(struct batch *b, size_t *stuck)
{
	bool placed[BATCH_MAX_REQUESTS] = {false};
	size_t done = 0;

	while (done < b->n) {
		size_t pick = b->n;

		for (size_t i = 0; i < b->n && pick == b->n; i++) {
			bool ready = !placed[i];

			for (size_t k = 0; ready && k < b->items[i].ndeps; k++)
				ready = placed[b->items[i].deps[k]];
			if (ready)
				pick = i;
		}
		if (pick == b->n) {
			for (size_t i = 0; i < b->n; i++)
				if (!placed[i]) {
					*stuck = i;
					break;
				}
			return -1;
		}
		placed[pick] = true;
		b->order[done++] = pick;
	}
	return 0;
}

int batch_parse(const json_t *body, struct batch *b, struct resp *resp)
{
	const json_t *reqs = json_object_get(body, "requests");
	size_t stuck = 0;

	memset(b, 0, sizeof(*b));
	if (!json_is_array(reqs))
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    BAD_FORMAT " The 'requests' property must be an array of requests.");
	if (json_array_size(reqs) == 0)
		return resp_error(resp, GERR_BAD_REQUEST,
		                  BAD_FORMAT " The 'requests' array is empty.");
	if (json_array_size(reqs) > BATCH_MAX_REQUESTS) {
		return resp_error(
		    resp, GERR_BAD_REQUEST,
		    "The batch contains %zu requests; a batch can contain at most "
		    "%d requests.",
		    json_array_size(reqs), BATCH_MAX_REQUESTS);
	}
	b->n = json_array_size(reqs);
	for (size_t i = 0; i < b->n; i++)
		if (parse_item(json_array_get(reqs, i), b, i, resp))
			return -1;
	/* dependsOn may name any id of the batch, so ids are all known first */
	for (size_t i = 0; i < b->n; i++)
		if (parse_depends(json_array_get(reqs, i), b, i, resp))
			return -1;
	if (batch_plan(b, &stuck))
		return resp_error(resp, GERR_BAD_REQUEST,
		                  "Invalid dependency for request Id %s: the dependsOn "
		                  "chain forms a cycle.",
		                  b->items[stuck].id);
	return 0;
}
