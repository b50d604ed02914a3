/*
 * routes/admin_faults.c - /_mock/faults: list, add, delete fault rules and
 * read their counters (docs/faults.md). The rules live in the server's fault
 * engine; handlers reach it through st->server.
 */
#include <stdio.h>
#include <string.h>

#include "../server/error.h"
#include "../server/req.h"
#include "../server/resp.h"
#include "../server/router.h"
#include "../server/srv.h"

static struct fault_engine *engine(struct state *st)
{
	return &((struct srv *)st->server)->faults;
}

static int faults_list(struct state *st, const struct req *req, struct resp *resp)
{
	(void)req;
	return resp_json(resp, 200, fault_engine_list(engine(st)));
}

static int faults_get(struct state *st, const struct req *req, struct resp *resp)
{
	json_t *list = fault_engine_list(engine(st));
	size_t i;
	json_t *r;

	json_array_foreach(json_object_get(list, "value"), i, r)
	{
		if (!strcmp(json_string_value(json_object_get(r, "id")),
		            req_param(req, 0))) {
			json_incref(r);
			json_decref(list);
			return resp_json(resp, 200, r);
		}
	}
	json_decref(list);
	return resp_error_code(resp, 404, "NotFound", "Fault rule '%s' does not exist.",
	                       req_param(req, 0));
}

/* The body is a rule, {"rules": [...]} or a bare array, so it is parsed here. */
static int faults_add(struct state *st, const struct req *req, struct resp *resp)
{
	json_error_t jerr;
	char err[512];
	json_t *doc, *rules, *all, *added;
	size_t before, n;

	if (!req->body_len)
		return resp_error(resp, GERR_BAD_REQUEST, GMSG_EMPTY_PAYLOAD);
	doc = json_loadb(req->raw_body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return resp_error(resp, GERR_BAD_REQUEST, "%s (line %d column %d: %s)",
		                  GMSG_BAD_JSON, jerr.line, jerr.column, jerr.text);
	rules = json_is_object(doc) && json_object_get(doc, "rules")
	            ? json_object_get(doc, "rules")
	            : doc;
	n = json_is_array(rules) ? json_array_size(rules) : 1;
	before = json_array_size(
	    json_object_get(all = fault_engine_list(engine(st)), "value"));
	json_decref(all);
	if (fault_engine_add(engine(st), rules, err, sizeof(err))) {
		json_decref(doc);
		return resp_error(resp, GERR_BAD_REQUEST, "%s", err);
	}
	json_decref(doc);
	all = fault_engine_list(engine(st));
	added = json_array();
	for (size_t i = before; i < before + n; i++)
		json_array_append(added,
		                  json_array_get(json_object_get(all, "value"), i));
	json_decref(all);
	return resp_json(resp, 201, json_pack("{s:o}", "value", added));
}

static int faults_clear(struct state *st, const struct req *req, struct resp *resp)
{
	(void)req;
	fault_engine_clear(engine(st));
	return resp_empty(resp, 204);
}

static int faults_delete(struct state *st, const struct req *req, struct resp *resp)
{
	if (!fault_engine_remove(engine(st), req_param(req, 0)))
		return resp_error_code(resp, 404, "NotFound",
		                       "Fault rule '%s' does not exist.",
		                       req_param(req, 0));
	return resp_empty(resp, 204);
}

static int faults_stats(struct state *st, const struct req *req, struct resp *resp)
{
	(void)req;
	return resp_json(resp, 200, fault_engine_stats(engine(st)));
}

const struct route admin_faults_routes[] = {
    {"GET", "/_mock/faults", faults_list, ROUTE_NO_TENANT, NULL},
    {"POST", "/_mock/faults", faults_add, ROUTE_NO_TENANT, NULL},
    {"DELETE", "/_mock/faults", faults_clear, ROUTE_NO_TENANT, NULL},
    {"GET", "/_mock/faults/stats", faults_stats, ROUTE_NO_TENANT, NULL},
    {"GET", "/_mock/faults/{id}", faults_get, ROUTE_NO_TENANT, NULL},
    {"DELETE", "/_mock/faults/{id}", faults_delete, ROUTE_NO_TENANT, NULL},
    {0},
};
