/*
 * server/fault_admin.c - /_mock/faults: list, add, switch on or off and
 * delete fault rules and read their counters (docs/faults.md). A route
 * table of the fault engine's own, registered by the server
 * (srv_features_init), since routes/ cannot reach the engine.
 */
#include <stdio.h>
#include <string.h>

#include "core/call.h"
#include "core/error.h"
#include "core/req.h"
#include "core/resp.h"
#include "core/router.h"
#include "faults/fault_profile.h"
#include "srv.h"

static struct fault_engine *engine(struct call *c)
{
	return &c->srv->faults;
}

static int faults_list(struct call *c)
{
	return resp_json(c->resp, 200, fault_engine_list(engine(c)));
}

static int faults_get(struct call *c)
{
	json_t *list = fault_engine_list(engine(c));
	size_t i;
	json_t *r;

	json_array_foreach(json_object_get(list, "value"), i, r)
	{
		if (!strcmp(json_string_value(json_object_get(r, "id")),
		            req_param(c->req, 0))) {
			json_incref(r);
			json_decref(list);
			return resp_json(c->resp, 200, r);
		}
	}
	json_decref(list);
	return resp_error_code(c->resp, 404, "NotFound",
	                       "Fault rule '%s' does not exist.", req_param(c->req, 0));
}

/* The body is a rule, {"rules": [...]} or a bare array, so it is parsed here. */
static int faults_add(struct call *c)
{
	json_error_t jerr;
	char err[512];
	json_t *doc, *rules, *all, *added;
	size_t before, n;

	if (!c->req->body_len)
		return resp_error(c->resp, GERR_BAD_REQUEST, GMSG_EMPTY_PAYLOAD);
	doc =
	    json_loadb(c->req->raw_body, c->req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return resp_error(c->resp, GERR_BAD_REQUEST, "%s (line %d column %d: %s)",
		                  GMSG_BAD_JSON, jerr.line, jerr.column, jerr.text);
	/* {"profile": "realistic"}: the profile's rules (docs/faults.md). */
	if (json_is_object(doc) && json_object_get(doc, "profile")) {
		rules = json_object_size(doc) == 1
		            ? fault_profile_rules(
		                  json_string_value(json_object_get(doc, "profile")),
		                  c->st->seed, err, sizeof(err))
		            : NULL;
		if (!rules && json_object_size(doc) != 1)
			snprintf(err, sizeof(err), "\"profile\" goes alone in its body");
		json_decref(doc);
		if (!rules)
			return resp_error(c->resp, GERR_BAD_REQUEST, "%s", err);
		doc = rules;
	}
	rules = json_is_object(doc) && json_object_get(doc, "rules")
	            ? json_object_get(doc, "rules")
	            : doc;
	n = json_is_array(rules) ? json_array_size(rules) : 1;
	before =
	    json_array_size(json_object_get(all = fault_engine_list(engine(c)), "value"));
	json_decref(all);
	if (fault_engine_add(engine(c), rules, err, sizeof(err))) {
		json_decref(doc);
		return resp_error(c->resp, GERR_BAD_REQUEST, "%s", err);
	}
	json_decref(doc);
	all = fault_engine_list(engine(c));
	added = json_array();
	for (size_t i = before; i < before + n; i++)
		json_array_append(added,
		                  json_array_get(json_object_get(all, "value"), i));
	json_decref(all);
	return resp_json(c->resp, 201, json_pack("{s:o}", "value", added));
}

static int faults_clear(struct call *c)
{
	fault_engine_clear(engine(c));
	return resp_empty(c->resp, 204);
}

static int faults_delete(struct call *c)
{
	if (!fault_engine_remove(engine(c), req_param(c->req, 0)))
		return resp_error_code(c->resp, 404, "NotFound",
		                       "Fault rule '%s' does not exist.",
		                       req_param(c->req, 0));
	return resp_empty(c->resp, 204);
}

/* PATCH {"enabled": false}: keep the rule and its counters, stop applying it. */
static int faults_patch(struct call *c)
{
	json_t *on = json_object_get(c->req->body, "enabled");
	const char *key;
	json_t *value;

	json_object_foreach(c->req->body, key, value)
	{
		if (strcmp(key, "enabled"))
			return resp_error(c->resp, GERR_BAD_REQUEST,
			                  "Unknown property '%s' (expected enabled).",
			                  key);
	}
	if (!json_is_boolean(on))
		return resp_error(c->resp, GERR_BAD_REQUEST,
		                  "'enabled' is required and must be true or false.");
	if (!fault_engine_enable(engine(c), req_param(c->req, 0), json_is_true(on)))
		return resp_error_code(c->resp, 404, "NotFound",
		                       "Fault rule '%s' does not exist.",
		                       req_param(c->req, 0));
	return faults_get(c);
}

static int faults_stats(struct call *c)
{
	return resp_json(c->resp, 200, fault_engine_stats(engine(c)));
}

const struct route fault_admin_routes[] = {
    {"GET", "/_mock/faults", faults_list, ROUTE_STATE_NONE, NULL, NULL},
    {"POST", "/_mock/faults", faults_add, ROUTE_STATE_NONE, NULL, NULL},
    {"DELETE", "/_mock/faults", faults_clear, ROUTE_STATE_NONE, NULL, NULL},
    {"GET", "/_mock/faults/stats", faults_stats, ROUTE_STATE_NONE, NULL, NULL},
    {"GET", "/_mock/faults/{id}", faults_get, ROUTE_STATE_NONE, NULL, NULL},
    {"PATCH", "/_mock/faults/{id}", faults_patch, ROUTE_STATE_NONE | ROUTE_JSON_BODY,
     NULL, NULL},
    {"DELETE", "/_mock/faults/{id}", faults_delete, ROUTE_STATE_NONE, NULL, NULL},
    {0},
};
