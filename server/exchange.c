/*
 * server/exchange.c - the one request pipeline: tenant, fault decision,
 * route, token, permission, input, the handler under the right locks and
 * the rendering of its answer, ghost writes, the journal (exchange.h).
 */
#include "exchange.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../state/changelog.h"
#include "../state/state.h"
#include "../state/subscription.h"
#include "../state/usage.h"
#include "../state/load/fixture_read.h"
#include "../state/util/jparse.h"
#include "../state/util/password.h"
#include "core/str.h"
#include "auth/auth.h"
#include "auth/jwt.h"
#include "auth/permissions.h"
#include "core/body_encoding.h"
#include "core/call.h"
#include "core/cors.h"
#include "core/error.h"
#include "core/router.h"
#include "faults/fault_error.h"
#include "odata/odata.h"
#include "srv.h"

#define TENANT_HEADER      "x-graphmock-tenant"
#define ADMIN_TOKEN_HEADER "x-graphmock-admin-token"

/* exchange_init() clears the request and the response with their own inits. */
_Static_assert(offsetof(struct exchange, resp) >= sizeof(struct req) &&
                   offsetof(struct exchange, odata) >=
                       offsetof(struct exchange, resp) + sizeof(struct resp),
               "struct exchange starts with req, then resp, then the rest");

void exchange_init(struct exchange *ex)
{
	memset(&ex->odata, 0, sizeof(*ex) - offsetof(struct exchange, odata));
	req_init(&ex->req);
	resp_init(&ex->resp, &ex->req);
	ex->started_us = monotonic_us();
}

void exchange_release(struct exchange *ex)
{
	free(ex->wait_checks);
	odata_query_release(&ex->odata);
	fault_decision_release(&ex->fault);
	req_release(&ex->req);
	resp_release(&ex->resp);
}

/* ---- before the fault decision ---- */

/* The bearer's claims, decoded once (not verified: auth_check() does that). */
static void decode_claims(struct req *req)
{
	const char *token = auth_bearer(req);

	if (token && *token)
		req->claims = jwt_peek_payload(token);
}

/*
 * The tenant the request acts on: X-Graphmock-Tenant, else the token's tid,
 * else the first tenant. Only its id and domain are kept: the handler finds
 * it again by id under the locks, so no pointer outlives them.
 */
static void resolve_tenant(struct srv *srv, struct exchange *ex)
{
	const char *want = req_header(&ex->req, TENANT_HEADER);
	const char *tid = json_string_value(json_object_get(ex->req.claims, "tid"));
	struct tenant *t;

	state_registry_read(&srv->state);
	if (want)
		t = state_tenant_find(&srv->state, want);
	else {
		t = tid ? state_tenant_find(&srv->state, tid) : NULL;
		if (!t)
			t = state_tenant_default(&srv->state);
	}
	if (t) {
		str_copy(ex->tenant_id, sizeof(ex->tenant_id), t->id);
		str_copy(ex->tenant_domain, sizeof(ex->tenant_domain), t->domain);
	}
	state_registry_unlock(&srv->state);
}

/*
 * The throttling key: the calling app, as Graph keys its limits per app
 * (the token's appid, or azp for v2 tokens), else the client's address.
 * Never the raw Authorization header: every token of a tenant shares its
 * first few hundred characters.
 */
static void identify_client(struct exchange *ex)
{
	const json_t *claims = ex->req.claims;
	const char *app = json_string_value(json_object_get(claims, "appid"));

	if (!app)
		app = json_string_value(json_object_get(claims, "azp"));
	/* "app:<id>" or "ip:<address>", as snprintf would cut it */
	if (app) {
		memcpy(ex->client, "app:", 4);
		str_copy(ex->client + 4, sizeof(ex->client) - 4, app);
	} else {
		memcpy(ex->client, "ip:", 3);
		str_copy(ex->client + 3, sizeof(ex->client) - 3, ex->req.peer);
	}
}

/* Is @path under /_mock (the admin plane)? */
static bool admin_path(const char *path)
{
	return path && !strncmp(path, "/_mock", 6) && (path[6] == '/' || !path[6]);
}

/* Constant-time comparison of the presented token with --admin-token. */
static bool token_equal(const char *given, const char *want)
{
	size_t n = strlen(want), g = strlen(given);
	unsigned char diff = (unsigned char)(g != n);

	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)((i < g ? given[i] : 0) ^ want[i]);
	return diff == 0;
}

static bool admin_token_ok(const struct srv *srv, const struct req *req, bool admin)
{
	const char *given = req_header(req, ADMIN_TOKEN_HEADER);

	/* The admin plane has no Graph token to carry: Bearer works there too. */
	if (!given && admin)
		given = auth_bearer(req);
	return given && token_equal(given, srv->cfg.admin_token);
}

/*
 * The dashboard's files (GET /_mock/ui and /_mock/ui/...) hold no tenant data:
 * the page asks for the admin token itself, and the sign-in pages share its
 * stylesheet, so they are served without one.
 */
static bool ui_asset(const struct req *req)
{
	const char *path = req->path;

	return (!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD")) &&
	       !strncmp(path, "/_mock/ui", 9) && (path[9] == '/' || !path[9]);
}

/*
 * With --admin-token, the admin plane (but its health check and the dashboard's
 * files) and X-Graphmock-Fault need the token: 401 otherwise, before any fault
 * or handler runs.
 */
static int admin_gate(struct srv *srv, struct exchange *ex)
{
	const char *path = ex->req.path;
	bool admin =
	    admin_path(path) && strcmp(path, "/_mock/health") && !ui_asset(&ex->req);
	bool fault = srv->fault_header_on && req_header(&ex->req, FAULT_HEADER);

	if (!srv->cfg.admin_token || (!admin && !fault) ||
	    admin_token_ok(srv, &ex->req, admin))
		return 0;
	resp_error_code(&ex->resp, 401, "Unauthorized",
	                admin ? "graphmock's admin plane needs its admin token "
	                        "(X-Graphmock-Admin-Token or Authorization: Bearer)."
	                      : "X-Graphmock-Fault needs graphmock's admin token "
	                        "(X-Graphmock-Admin-Token).");
	resp_header(&ex->resp, "WWW-Authenticate", "Bearer realm=\"graphmock-admin\"");
	return -1;
}

/* The rules (and a one-shot X-Graphmock-Fault header). -1 after a 400 for a bad header.
 */
static int decide_fault(struct srv *srv, struct exchange *ex)
{
	const char *header =
	    srv->fault_header_on ? req_header(&ex->req, FAULT_HEADER) : NULL;
	struct fault_rule *oneshot = NULL;
	struct fault_request fr;
	char err[512];

	if (header) {
		oneshot = fault_rule_parse_compact(header, err, sizeof(err));
		if (!oneshot)
			return resp_error(&ex->resp, GERR_BAD_REQUEST, "%s", err);
		if (oneshot->kind == FAULT_LATENCY &&
		    oneshot->latency_max > FAULT_HEADER_LATENCY_MAX_MS) {
			fault_rule_free(oneshot);
			return resp_error(
			    &ex->resp, GERR_BAD_REQUEST,
			    "X-Graphmock-Fault: latency may be %d ms at most "
			    "per request (a rule may ask for more).",
			    FAULT_HEADER_LATENCY_MAX_MS);
		}
	}
	fr.method = ex->req.method;
	fr.path = ex->req.path ? ex->req.path : "";
	fr.tenant_id = ex->tenant_id;
	fr.tenant_domain = ex->tenant_domain;
	fr.client = ex->client;
	fr.req = &ex->req;
	fault_engine_decide(&srv->faults, &fr, oneshot, ex->req.now_ms, &ex->fault);
	fault_rule_free(oneshot);
	return 0;
}

/* A decision the transport cannot carry out is not applied: the request is served. */
static void fit_to_transport(struct exchange *ex)
{
	struct fault_decision *d = &ex->fault;
	bool drop =
	    d->kind == FAULT_CONNECTION || (d->kind == FAULT_GHOST && d->ghost_reset);

	if ((drop && !(ex->caps & EXCHANGE_CAN_DROP)) ||
	    (d->kind == FAULT_LATENCY &&
	     (!(ex->caps & EXCHANGE_CAN_DELAY) || d->latency_ms <= 0))) {
		fault_decision_release(d);
		memset(d->rule_id, 0, sizeof(d->rule_id));
		d->kind = FAULT_NONE;
	}
}

/* ---- routing and the generic checks ---- */

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
	/* jparse(): yajl's lexer, refusing what json_loadb(JSON_REJECT_DUPLICATES)
	 * refuses; ~10k instructions less than jansson for a POST body */
	if (req->body_file) /* a spooled ROUTE_LARGE_BODY upload: a state document */
		req->body = fixture_read_fd(fileno(req->body_file), &jerr);
	else
		req->body = jparse(req->raw_body, req->body_len, NULL, &jerr);
	/* jansson reports an allocation failure before lexing with no message,
	 * jparse (and the fixture reader) with its own words and no position */
	if (!req->body && (json_error_code(&jerr) == json_error_out_of_memory ||
	                   (json_error_code(&jerr) == json_error_unknown &&
	                    (!jerr.text[0] ||
	                     (jerr.line == -1 && !strcmp(jerr.text, "out of memory"))))))
		return resp_error(resp, GERR_INTERNAL, "Out of memory.");
	if (!req->body || !json_is_object(req->body))
		return resp_error(resp, GERR_BAD_REQUEST, GMSG_BAD_JSON);
	return 0;
}

/*
 * The route for the path and method, or NULL after Graph's 400 (unknown
 * segment) or 405. Graph routes before it authenticates (graph-spec §1.1).
 */
static const struct route *match_route(struct srv *srv, struct req *req,
                                       struct resp *resp)
{
	const struct route *const *tables =
	    req->version[0] ? srv->graph_tables : srv->root_tables;
	struct route_match m;

	router_index_match(req->version[0] ? &srv->graph_index : &srv->root_index,
	                   req->method, req, &m);
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

/*
 * A body sent with Content-Encoding: gzip inflated, as Graph takes it (the
 * Kiota SDKs send one by default); one graphmock cannot read gets the 400
 * Graph gives a body it cannot read, on which those SDKs resend it plain.
 * 0, or -1 after a 4xx (or the 500 of an allocation that failed).
 */
static int decode_body(struct srv *srv, struct exchange *ex)
{
	switch (body_decode(&ex->req, srv->cfg.max_body)) {
	case BODY_PLAIN:
	case BODY_INFLATED:
		return 0;
	case BODY_TOO_LARGE:
		ex->too_large = true;
		return resp_error(
		    &ex->resp, GERR_TOO_LARGE,
		    "The request body is larger than the %zu bytes graphmock "
		    "accepts (--max-body).",
		    srv->cfg.max_body);
	case BODY_OUT_OF_MEM:
		return resp_error(&ex->resp, GERR_INTERNAL, "Out of memory.");
	case BODY_CORRUPT:
	case BODY_UNKNOWN:
		break;
	}
	return resp_error(&ex->resp, GERR_BAD_REQUEST, GMSG_BAD_JSON);
}

/* The request's own input: size, JSON body, OData options. 0, or -1 after a 4xx. */
static int check_input(struct srv *srv, struct exchange *ex, const struct route *route)
{
	struct req *req = &ex->req;

	if (ex->too_large)
		return resp_error(
		    &ex->resp, GERR_TOO_LARGE,
		    "The request body is larger than the %zu bytes graphmock "
		    "accepts (--max-body).",
		    srv->cfg.max_body);
	if (decode_body(srv, ex))
		return -1;
	if ((route->flags & ROUTE_JSON_BODY) && parse_body(req, &ex->resp, route->flags))
		return -1;
	if ((route->flags & ROUTE_ODATA) &&
	    odata_query_parse(&ex->odata, route->entity, req, &ex->resp))
		return -1;
	return 0;
}

/*
 * /me/... is /me/<the signed-in user's id>/... in the route tables, so every
 * /users/{id} handler serves its /me twin unchanged. Without a signed-in
 * user the id is a placeholder and the request gets Graph's 400 once its
 * token has passed.
 */
static int expand_me(struct exchange *ex)
{
	struct req *req = &ex->req;
	const char *oid;

	if (!req->version[0] || !req->nsegs || strcasecmp(req->segs[0], "me"))
		return 0;
	oid = auth_signed_in_user(req->claims);
	ex->me_unresolved = !oid;
	if (req_insert_segment(req, 1, oid ? oid : "-"))
		return resp_error(&ex->resp, GERR_BAD_REQUEST,
		                  "Resource not found for the segment 'me'.");
	return 0;
}

/*
 * The permission report (GET /_mock/permissions): what the route needs at
 * least and what the token holds, per calling app, token kind and tenant.
 */
static void record_usage(struct srv *srv, struct exchange *ex, const struct route *route)
{
	const json_t *claims = ex->req.claims;
	const char *app = json_string_value(json_object_get(claims, "appid"));
	const char *tid = json_string_value(json_object_get(claims, "tid"));
	const char *needed[4] = {NULL};
	bool delegated = auth_signed_in_user(claims) != NULL;
	char pattern[200], names[256];
	json_t *granted;

	if (!app)
		app = json_string_value(json_object_get(claims, "azp"));
	if (!app || !route->perms)
		return;
	perm_least(route->perms, delegated, needed, sizeof(needed) / sizeof(needed[0]),
	           names, sizeof(names));
	granted = perm_granted_list(claims);
	/* the report shows /me routes as clients call them */
	if (!strncmp(route->pattern, "/me/{id}", 8))
		snprintf(pattern, sizeof(pattern), "/me%s", route->pattern + 8);
	else
		snprintf(pattern, sizeof(pattern), "%s", route->pattern);
	state_usage_record(&srv->state, app, tid ? tid : ex->tenant_id, delegated,
	                   ex->req.method, pattern, needed, granted,
	                   !auth_grants_route(&ex->req, route));
	json_decref(granted);
}

/* Is the verified token's tid the tenant the request acts on? */
static bool tid_matches(const struct exchange *ex)
{
	const char *tid = json_string_value(json_object_get(ex->req.claims, "tid"));

	return tid && ex->tenant_id[0] && !strcasecmp(tid, ex->tenant_id);
}

/*
 * A Graph route's token (401 with --auth jwt), /me's delegated user (400),
 * then its permissions (403 with --auth jwt). The calls are reported for
 * GET /_mock/permissions once the token is known good.
 */
static int authorize(struct srv *srv, struct exchange *ex, const struct route *route)
{
	bool jwt = srv->cfg.auth == AUTH_JWT;
	struct keyring *keys;

	if (!ex->req.version[0])
		return 0;
	if (jwt) {
		keys = srv_keyring(srv);
		if (!keys)
			return resp_error(&ex->resp, GERR_INTERNAL,
			                  "The token-signing key is unavailable.");
		if (auth_verify(keys, &ex->req, &ex->resp))
			return -1;
		/*
		 * The token is good for its own tenant only: X-Graphmock-Tenant may
		 * name no other, and a tid no tenant has never falls back to the
		 * default. Graph has no such error (it takes the tenant from the
		 * token), so the answer is its "not good here" 401 (notes/identity.md
		 * §9).
		 */
		if (!tid_matches(ex))
			return auth_reject(&ex->resp);
	}
	record_usage(srv, ex, route);
	if (ex->me_unresolved)
		return resp_error(
		    &ex->resp, GERR_BAD_REQUEST,
		    "/me request is only valid with delegated authentication flow.");
	return jwt ? auth_permit(&ex->req, route, &ex->resp) : 0;
}

/*
 * A new password in the body (a user created, or its password changed):
 * stretched here, before the handler takes the tenant's lock, where its
 * hash is made and finds the stretch remembered (state/util/password.h).
 * The ~0.2 ms of PBKDF2 then holds up no other request to the tenant, and
 * two threads creating users hash in parallel. Only work done ahead: a
 * request that fails later has cost its stretch and nothing else.
 */
static void prestretch_password(const struct req *req)
{
	const char *clear;

	if (!req->body || (strcmp(req->method, "POST") && strcmp(req->method, "PATCH")))
		return;
	clear = json_string_value(
	    json_object_get(json_object_get(req->body, "passwordProfile"), "password"));
	if (clear)
		password_prestretch(clear);
}

/* Graph's order (graph-spec §1.1, §10): route 400/405, token 401, permission 403, input.
 */
static const struct route *admit(struct srv *srv, struct exchange *ex)
{
	const struct route *route;

	if (expand_me(ex))
		return NULL;
	ex->resource_units = ex->req.version[0] ? odata_resource_units(&ex->req) : 0;
	route = match_route(srv, &ex->req, &ex->resp);

	if (!route || authorize(srv, ex, route) || check_input(srv, ex, route))
		return NULL;
	prestretch_password(&ex->req);
	return route;
}

/* ---- the handler under its locks ---- */

static enum exchange_step finish(struct srv *srv, struct exchange *ex,
                                 enum exchange_step step);

/*
 * Locking a tenant for a call also runs its mock-clock housekeeping and
 * opens its change-log transaction (state/changelog.h); the pipeline
 * closes it, committing what the handler changed, before the unlock. A
 * GET or HEAD changes objects only through the store's mutators, so it
 * locks as a reader: what earlier readers rendered stays good for it.
 */
void call_lock_tenant(struct call *c, struct tenant *t)
{
	const char *m = c->req->method;
	bool write = strcmp(m, "GET") && strcmp(m, "HEAD");

	if (write)
		state_tenant_lock(t);
	else
		state_tenant_lock_reader(t);
	c->tenant = t;
	state_tenant_tick(c->st, t);
	state_txn_begin(c->st, t, write);
}

static void call_unlock_tenant(struct call *c)
{
	state_txn_end(c->st, c->tenant);
	state_tenant_unlock(c->tenant);
	c->tenant = NULL;
}

/* The request's tenant, by the id resolve_tenant() kept; NULL after a 400. */
static struct tenant *find_tenant(struct srv *srv, struct exchange *ex)
{
	const char *want = req_header(&ex->req, TENANT_HEADER);
	struct tenant *t =
	    ex->tenant_id[0] ? state_tenant_find(&srv->state, ex->tenant_id) : NULL;

	if (t)
		return t;
	if (want)
		resp_error(
		    &ex->resp, GERR_BAD_REQUEST,
		    "Tenant '%s' does not exist in graphmock (GET /_mock/tenants lists "
		    "them).",
		    want);
	else
		resp_error(&ex->resp, GERR_BAD_REQUEST,
		           "graphmock has no tenant loaded.");
	return NULL;
}

static void call_handler(call_fn *fn, struct call *c)
{
	fn(c);
	if (c->ex->waiting && c->resp->kind == RESP_NONE)
		return; /* webhook checks first: no answer yet */
	c->ex->waiting = false;
	if (c->resp->kind == RESP_NONE)
		resp_error(c->resp, GERR_INTERNAL, "The handler produced no response.");
	resp_finish(c->resp); /* stored json_t values never leave the locks */
}

/*
 * Run @fn (@route's handler, or what it left to run after its webhook
 * checks) with the locks the route's flags ask for, and render the answer
 * before they are released: only bytes leave the locks.
 */
static void run_handler(struct srv *srv, struct exchange *ex, const struct route *route,
                        call_fn *fn)
{
	struct call c = {
	    &ex->req,       &ex->resp, &ex->odata, &srv->state,     NULL,
	    &srv->services, srv,       ex,         ex->wait_checks, ex->wait_n};
	unsigned mode =
	    route->flags & (ROUTE_STATE_NONE | ROUTE_STATE_SHARED | ROUTE_STATE_ALL);

	ex->resp.bytes_only = true; /* only resp_finish() reads what the handler sets */
	ex->wait_route = route;
	if (mode == ROUTE_STATE_NONE) {
		call_handler(fn, &c);
		return;
	}
	if (mode == ROUTE_STATE_ALL)
		state_registry_write(&srv->state);
	else
		state_registry_read(&srv->state);
	if (mode) {
		call_handler(fn, &c);
	} else {
		struct tenant *t = find_tenant(srv, ex);
		/* Its lock is held for long (an export): a worker waiting for it
		 * would stall every connection it serves, other tenants' too, so
		 * the request waits its turn on the admin thread instead, which
		 * is the one running that operation. */
		if (t && (ex->caps & EXCHANGE_CAN_DEFER) && atomic_load(&t->busy)) {
			ex->tenant_busy = true;
		} else if (t) {
			call_lock_tenant(&c, t);
			call_handler(fn, &c);
		}
	}
	if (c.tenant)
		call_unlock_tenant(&c);
	state_registry_unlock(&srv->state);
	if (!ex->waiting && !ex->tenant_busy)
		resp_finish(
		    &ex->resp); /* find_tenant()'s 400, which holds nothing stored */
}

/* After the handler: a truncated answer, or a ghost write's failure. */
static enum exchange_step after_handler(struct exchange *ex)
{
	struct fault_decision *d = &ex->fault;

	if (d->kind == FAULT_CONNECTION) { /* truncate: the real answer, cut short */
		resp_stream_drain(&ex->resp);
		return EXCHANGE_DROP;
	}
	if (d->kind == FAULT_GHOST) {
		/* The write happened; the client only hears of a failure. */
		if (d->ghost_reset)
			return EXCHANGE_DROP;
		resp_release(&ex->resp);
		resp_init(&ex->resp, &ex->req);
		fault_error_respond(&d->error, d->body, &ex->req, &ex->resp);
	}
	return EXCHANGE_RESPOND;
}

/* The handler of @route (NULL: the error admit() set) and the faults after it. */
static enum exchange_step serve_route(struct srv *srv, struct exchange *ex,
                                      const struct route *route)
{
	if (route)
		run_handler(srv, ex, route, route->fn);
	else
		resp_finish(&ex->resp); /* an error of our own: nothing stored in it */
	if (ex->tenant_busy) {
		ex->deferred = route;
		return EXCHANGE_DEFER;
	}
	if (ex->waiting)
		return EXCHANGE_WAIT;
	return after_handler(ex);
}

/* Everything after the fault decision: route, checks, handler, ghost write. */
static enum exchange_step serve(struct srv *srv, struct exchange *ex)
{
	const struct route *route = admit(srv, ex);

	if (route && (route->flags & ROUTE_BACKGROUND) &&
	    (ex->caps & EXCHANGE_CAN_DEFER)) {
		ex->deferred = route;
		return EXCHANGE_DEFER;
	}
	return serve_route(srv, ex, route);
}

int exchange_wait_start(struct srv *srv, struct exchange *ex, void (*wake)(void *arg),
                        void *arg)
{
	return notify_checks_start(&srv->notify, ex->wait_checks, ex->wait_n, wake, arg);
}

enum exchange_step exchange_continue(struct srv *srv, struct exchange *ex)
{
	ex->waiting = false;
	run_handler(srv, ex, ex->wait_route, ex->wait_then);
	return finish(srv, ex, after_handler(ex));
}

/* ---- the journal ---- */

static void journal_fault(struct journal_entry *en, const struct fault_decision *d)
{
	if (d->kind == FAULT_NONE)
		return;
	snprintf(en->fault, sizeof(en->fault), "%s", fault_kind_name(d->kind));
	snprintf(en->rule_id, sizeof(en->rule_id), "%s", d->rule_id);
	if (d->kind == FAULT_CONNECTION || (d->kind == FAULT_GHOST && d->ghost_reset))
		snprintf(en->fault_detail, sizeof(en->fault_detail), "%s",
		         d->conn == FAULT_CONN_RESET      ? "reset"
		         : d->conn == FAULT_CONN_CLOSE    ? "close"
		         : d->conn == FAULT_CONN_TRUNCATE ? "truncate"
		                                          : "garbage");
	else if (d->kind == FAULT_LATENCY)
		snprintf(en->fault_detail, sizeof(en->fault_detail), "%lldms",
		         (long long)d->latency_ms);
	else
		snprintf(en->fault_detail, sizeof(en->fault_detail), "%u",
		         d->error.status);
}

/*
 * Journal the exchange as soon as its outcome is known, before the client
 * can see the answer: a test that asks /_mock/requests right after a call
 * must find that call there.
 */
static void journal(struct srv *srv, struct exchange *ex, unsigned status)
{
	struct journal_entry en;

	if (ex->journaled || !srv->journal.cap)
		return;
	ex->journaled = true;
	journal_fill(&en, &ex->req, status, monotonic_us() - ex->started_us);
	str_copy(en.tenant, sizeof(en.tenant), ex->tenant_id);
	journal_fault(&en, &ex->fault);
	journal_record(&srv->journal, &en);
}

static enum exchange_step finish(struct srv *srv, struct exchange *ex,
                                 enum exchange_step step)
{
	if (step == EXCHANGE_WAIT || step == EXCHANGE_DEFER)
		return step; /* journaled once the handler has answered */
	journal(srv, ex, step == EXCHANGE_DROP ? 0 : ex->resp.status);
	return step;
}

void exchange_journal_dropped(struct srv *srv, struct exchange *ex)
{
	if (ex->req.path)
		journal(srv, ex, 0);
}

/* ---- the pipeline ---- */

enum exchange_step exchange_run(struct srv *srv, struct exchange *ex, unsigned caps)
{
	struct fault_decision *d = &ex->fault;

	ex->caps = caps;
	if (!ex->req.now_ms)
		ex->req.now_ms = state_now_ms(&srv->state);
	if (ex->resp.kind == RESP_NONE)
		resp_init(&ex->resp, &ex->req); /* the ids as the transport set them */
	if (ex->resp.kind == RESP_NONE && cors_preflight(&ex->req, &ex->resp)) {
		resp_finish(&ex->resp);
		return finish(srv, ex, EXCHANGE_RESPOND);
	}
	decode_claims(&ex->req);
	resolve_tenant(srv, ex);
	identify_client(ex);
	if (ex->resp.kind != RESP_NONE || admin_gate(srv, ex) || decide_fault(srv, ex)) {
		resp_finish(&ex->resp); /* the transport's or our own 400 */
		return finish(srv, ex, EXCHANGE_RESPOND);
	}
	fit_to_transport(ex);
	switch (d->kind) {
	case FAULT_ERROR:
	case FAULT_THROTTLE:
		fault_error_respond(&d->error, d->body, &ex->req, &ex->resp);
		return finish(srv, ex, EXCHANGE_RESPOND);
	case FAULT_CONNECTION:
		if (d->conn != FAULT_CONN_TRUNCATE)
			return finish(srv, ex, EXCHANGE_DROP);
		break; /* truncate cuts a real answer short: serve it first */
	case FAULT_LATENCY:
		return EXCHANGE_DELAY;
	case FAULT_NONE:
	case FAULT_GHOST:
	case FAULT_MAIL:
	case FAULT_LAG:
	case FAULT_NOTIFY:
		break;
	}
	return finish(srv, ex, serve(srv, ex));
}

enum exchange_step exchange_resume(struct srv *srv, struct exchange *ex)
{
	return finish(srv, ex, serve(srv, ex));
}

enum exchange_step exchange_run_deferred(struct srv *srv, struct exchange *ex)
{
	/* On the admin thread: run now, whatever is busy (it ran before this). */
	ex->caps &= ~(unsigned)EXCHANGE_CAN_DEFER;
	ex->tenant_busy = false;
	return finish(srv, ex, serve_route(srv, ex, ex->deferred));
}

bool exchange_body_unbounded(struct srv *srv, const char *method, const char *url,
                             const char *admin_token, const char *authorization)
{
	struct route_match m;
	struct req req;
	bool large = false;

	/* Graph routes keep Graph's limits: only the admin plane takes any size. */
	if (strncmp(url, "/_mock/", 7))
		return false;
	/* Nobody without the admin token gets more than --max-body. */
	if (srv->cfg.admin_token) {
		const char *given = admin_token ? admin_token : "";
		if (!admin_token && authorization &&
		    !strncasecmp(authorization, "Bearer ", 7))
			given = authorization + 7;
		if (!token_equal(given, srv->cfg.admin_token))
			return false;
	}
	req_init(&req);
	if (!req_set_path(&req, url)) {
		router_index_match(&srv->root_index, method, &req, &m);
		large = m.route && (m.route->flags & ROUTE_LARGE_BODY);
	}
	req_release(&req);
	return large;
}

enum exchange_step exchange_delay_refused(struct srv *srv, struct exchange *ex)
{
	resp_release(&ex->resp);
	resp_init(&ex->resp, &ex->req);
	resp_error_code(&ex->resp, 503, "ServiceUnavailable",
	                "graphmock holds %u delayed requests already (injected latency); "
	                "try again later.",
	                srv->cfg.max_delayed);
	resp_header(&ex->resp, "Retry-After", "1");
	resp_finish(&ex->resp);
	return finish(srv, ex, EXCHANGE_RESPOND);
}
