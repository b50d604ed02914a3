/*
 * server/dispatch.c - the generic request pipeline between the HTTP glue and
 * the handlers: route lookup, Graph's 400/405/413 answers, JSON bodies, OData
 * options, tenant selection, and the locked handler call (STYLE §4, §7).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../routes/registry.h"
#include "auth.h"
#include "batch.h"
#include "error.h"
#include "odata.h"
#include "req.h"
#include "resp.h"
#include "router.h"
#include "srv.h"

#define TENANT_HEADER "x-graphmock-tenant"

static bool is_json_content_type(const char *ct)
{
	return ct && !strncasecmp(ct, "application/json", 16);
}

/* Parse the upload as a JSON object, or answer Graph's 400. */
static int parse_body(struct req *req, struct resp *resp, unsigned flags)
{
	json_error_t jerr;

	if (req->body_len == 0) {
		if (flags & ROUTE_OPTIONAL_BODY)
			return 0;
		return resp_error(resp, GERR_BAD_REQUEST, GMSG_EMPTY_PAYLOAD);
	}
	if (!is_json_content_type(req_header(req, "content-type")))
		return resp_error(resp, GERR_BAD_REQUEST, GMSG_BAD_JSON);
	req->body =
	    json_loadb(req->raw_body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!req->body)
		return resp_error(resp, GERR_BAD_REQUEST, GMSG_BAD_JSON);
	if (!json_is_object(req->body))
		return resp_error(resp, GERR_BAD_REQUEST, GMSG_BAD_JSON);
	return 0;
}

/*
 * The route for the path and method, or NULL after Graph's 400 (unknown
 * segment) or 405. Graph routes before it authenticates (graph-spec §1.1).
 */
static const struct route *match_route(struct req *req, struct resp *resp)
{
	const struct route *const *tables =
	    req->version[0] ? graph_route_tables : root_route_tables;
	struct route_match m;

	router_match(tables, req->method, req, &m);
	if (!m.route && !req->version[0]) {
		if (req->nsegs && !strcmp(req->segs[0], "_mock"))
			resp_error_code(resp, 404, "NotFound",
			                "No graphmock admin endpoint at '%s'.",
			                req->path);
		else
			resp_error(resp, GERR_BAD_REQUEST, "Invalid version: %s",
			           req->nsegs ? req->segs[0] : "");
		return NULL;
	}
	if (!m.route && !m.method_mismatch && m.bad_segment < req->nsegs) {
		resp_error(resp, GERR_BAD_REQUEST,
		           "Resource not found for the segment '%s'.",
		           req->segs[m.bad_segment]);
		return NULL;
	}
	if (!m.route) {
		char allow[64];
		router_allow(tables, req, allow, sizeof(allow));
		resp_error(resp, GERR_METHOD, GMSG_METHOD);
		if (allow[0])
			resp_header(resp, "Allow", "%s", allow);
		return NULL;
	}
	if (req->nparams && req->param_alt_key[0] &&
	    (!(m.route->flags & ROUTE_APPID_KEY) ||
	     strcmp(req->param_alt_key[0], "appId"))) {
		resp_error(resp, GERR_BAD_REQUEST,
		           "Resource not found for the segment '%s'.", req->segs[0]);
		return NULL;
	}
	return m.route;
}

/* The request's own input: size, JSON body, OData options. 0, or -1 after a 4xx. */
static int check_input(struct srv *srv, struct req *req, struct resp *resp,
                       const struct route *route, bool too_large)
{
	if (too_large) {
		resp_error(
		    resp, GERR_TOO_LARGE,
		    "The request body is larger than the %zu bytes graphmock accepts "
		    "(--max-body).",
		    srv->cfg.max_body);
		return -1;
	}
	if ((route->flags & ROUTE_JSON_BODY) && parse_body(req, resp, route->flags))
		return -1;
	if ((route->flags & ROUTE_ODATA) &&
	    odata_query_parse(&req->odata, route->entity, req, resp))
		return -1;
	return 0;
}

static struct tenant *select_tenant(struct srv *srv, const struct req *req,
                                    struct resp *resp)
{
	const char *want = req_header(req, TENANT_HEADER);
	struct tenant *t;

	if (!want) {
		t = auth_token_tenant(&srv->state, req);
		if (!t)
			t = state_tenant_default(&srv->state);
		if (!t)
			resp_error(resp, GERR_BAD_REQUEST,
			           "graphmock has no tenant loaded.");
		return t;
	}
	t = state_tenant_find(&srv->state, want);
	if (!t)
		resp_error(
		    resp, GERR_BAD_REQUEST,
		    "Tenant '%s' does not exist in graphmock (GET /_mock/tenants lists "
		    "them).",
		    want);
	return t;
}

void srv_dispatch(struct srv *srv, struct req *req, struct resp *resp, bool too_large)
{
	/* Graph's order: route (400/405), token (401), permission (403), input (4xx). */
	const struct route *route = match_route(req, resp);

	if (route && auth_check(srv, req, resp))
		route = NULL;
	route = auth_permit(srv, req, route, resp);
	if (route && check_input(srv, req, resp, route, too_large))
		route = NULL;

	if (!route) {
		resp_finish(resp); /* an error body: no stored values, no lock needed */
		return;
	}
	if (route->flags & ROUTE_BATCH) {
		/* each sub-request takes the lock itself, through srv_dispatch() */
		batch_run(srv, req, resp);
		return;
	}
	resp->bytes_only = true; /* only resp_finish() reads what the handler sets */
	if (route->flags & ROUTE_NO_TENANT) {
		state_registry_write(&srv->state);
		route->fn(&srv->state, req, resp);
	} else {
		state_registry_read(&srv->state);
		req->tenant = select_tenant(srv, req, resp);
		if (req->tenant) {
			state_tenant_lock(req->tenant);
			route->fn(&srv->state, req, resp);
		}
	}
	if (resp->kind == RESP_NONE)
		resp_error(resp, GERR_INTERNAL, "The handler produced no response.");
	resp_finish(resp); /* under the lock: stored json_t values never leave it */
	if (req->tenant)
		state_tenant_unlock(req->tenant);
	req->tenant = NULL;
	state_registry_unlock(&srv->state);
}
