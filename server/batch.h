/*
 * server/batch.h - Graph's JSON batching, POST /v1.0/$batch and /beta/$batch
 * (graph-spec §9, docs/batch.md): the whole payload is validated before any
 * sub-request runs; then each sub-request goes through the request pipeline
 * (server/exchange.c) like a top-level request, in array order with
 * dependsOn honoured, and the answers come back as one 200
 * {"responses": [...]} in request order.
 */
#ifndef GRAPHMOCK_SERVER_BATCH_H
#define GRAPHMOCK_SERVER_BATCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define BATCH_MAX_REQUESTS 20 /* json-batching.md: "up to 20" */

struct resp;
struct route;

/* One validated sub-request. Strings and json_t are borrowed from the batch body. */
struct batch_item {
	const char *id;  /* the request's id, as text (points into the body or id_num) */
	char id_num[24]; /* an id given as a JSON integer, written in decimal */
	char method[8];  /* upper-cased: GET, POST, PATCH, PUT, DELETE */
	const char *url;
	const json_t *headers;           /* object of string values, or NULL */
	const json_t *body;              /* any JSON value, or NULL when absent or null */
	size_t deps[BATCH_MAX_REQUESTS]; /* indexes of the requests it depends on */
	size_t ndeps;
};

struct batch {
	struct batch_item items[BATCH_MAX_REQUESTS];
	size_t n;
	size_t order[BATCH_MAX_REQUESTS]; /* execution order: indexes into items */
};

/*
 * batch_parse() - validate the $batch payload @body (borrowed; must outlive
 * @b) into @b and plan the execution order: 1..20 requests, ids non-empty and
 * unique case-insensitively, known methods, relative URLs that are not
 * $batch, Content-Type with every body, dependsOn naming existing ids
 * without cycles. Returns 0, or -1 after a 400 BadRequest in @resp.
 */
int batch_parse(const json_t *body, struct batch *b, struct resp *resp);

/*
 * batch_plan() - fill b->order: repeatedly the first request (in array
 * order) whose dependencies have all been placed. Returns 0, or -1 when the
 * dependencies form a cycle; *@stuck is then a request on or behind it.
 */
int batch_plan(struct batch *b, size_t *stuck);

#endif
