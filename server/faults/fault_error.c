/*
 * server/faults/fault_error.c - the answer of an injected error fault: Graph's
 * envelope (with the 429's nested fields), a custom body, or the gateway's
 * HTML 502, with Retry-After and WWW-Authenticate as the fault says.
 */
#include "fault_error.h"

#include <string.h>
#include <strings.h>

#include "../core/error.h"
#include "../core/req.h"
#include "../core/resp.h"

/* What a Graph front door's gateway answers: HTML, not Graph's JSON (graph-spec §8.1). */
static const char bad_gateway_page[] =
    "<html><head><title>502 Bad Gateway</title></head><body>"
    "<h1>502 Bad Gateway</h1><p>The server, while acting as a gateway or proxy, "
    "received an invalid response from the upstream server.</p></body></html>";

static void add_429_details(struct resp *resp)
{
	json_t *inner =
	    json_object_get(json_object_get(resp->body, "error"), "innerError");

	/* The throttling sample nests its own code/message/status (graph-spec §8.1). */
	json_object_set_new(inner, "code", json_string("429"));
	json_object_set_new(inner, "message", json_string("Please retry after"));
	json_object_set_new(inner, "status", json_string("429"));
}

/*
 * Graph's own 429 (the catalogue's "throttled", a throttle budget) to one of
 * Entra ID's collections: the identity service's answer. A rule that words
 * its own 429 keeps its words.
 */
static bool directory_route(const struct req *req);

static bool identity_throttle(const struct fault_error *fe, const struct req *req)
{
	return fe->graph_429 && !strcmp(fe->code, "TooManyRequests") &&
	       !strcmp(fe->message, "Please retry again later.") && directory_route(req);
}

/* Entra ID's collections: a throttled request to one meets the identity service. */
static bool directory_route(const struct req *req)
{
	static const char *const sets[] = {
	    "users",
	    "groups",
	    "servicePrincipals",
	    "applications",
	    "directoryObjects",
	    "invitations",
	    "organization",
	    "me",
	    "directory",
	    "applicationTemplates",
	};

	if (!req->version[0] || !req->nsegs)
		return false;
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		if (!strcasecmp(req->segs[0], sets[i]))
			return true;
	return false;
}

static const char *claim(const struct req *req, const char *a, const char *b)
{
	const char *v = json_string_value(json_object_get(req->claims, a));

	return v ? v : (b ? json_string_value(json_object_get(req->claims, b)) : NULL);
}

/*
 * The identity service's 429 (graph-spec §8.1; raw body in dafthack/GraphRunner
 * PR #11): who is throttled in the message, the scope and the reason in
 * x-ms-throttle-scope and x-ms-throttle-information
 * (learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits).
 */
static void identity_429(const struct fault_error *fe, const struct req *req,
                         struct resp *resp)
{
	const char *app = claim(req, "appid", "azp");
	const char *tenant = claim(req, "tid", NULL);

	if (!app)
		app = "00000000-0000-0000-0000-000000000000";
	if (!tenant)
		tenant = req_header(req, "x-graphmock-tenant");
	resp_error_code(resp, fe->status, fe->code,
	                "Too many requests from Identifier:%s under "
	                "category:throttle.aad.ags.appId.large. Please try again later.",
	                app);
	resp_header(resp, "x-ms-throttle-scope", "Tenant_Application/ReadWrite/%s/%s",
	            app, tenant ? tenant : "00000000-0000-0000-0000-000000000000");
	resp_header(resp, "x-ms-throttle-information", "ResourceUnitLimitExceeded");
}

static void custom_body(const json_t *body, unsigned status, struct resp *resp)
{
	if (json_is_string(body))
		resp_raw(resp, status, "text/plain; charset=utf-8",
		         json_string_value(body), json_string_length(body));
	else
		resp_json(resp, status, json_deep_copy(body));
}

void fault_error_respond(const struct fault_error *fe, const json_t *body,
                         const struct req *req, struct resp *resp)
{
	const char *last = req->nsegs ? req->segs[req->nsegs - 1] : "";

	if (fe->html)
		resp_raw(resp, fe->status, "text/html", bad_gateway_page,
		         sizeof(bad_gateway_page) - 1);
	else if (body)
		custom_body(body, fe->status, resp);
	else if (fe->status == 404 && !fe->message[0])
		resp_error_code(resp, 404, fe->code, GMSG_NOT_FOUND_FMT, last);
	else if (identity_throttle(fe, req))
		identity_429(fe, req, resp);
	else
		resp_error_code(resp, fe->status, fe->code, "%s", fe->message);
	if (fe->graph_429 && !body && !fe->html && !identity_throttle(fe, req))
		add_429_details(resp);
	if (fe->retry != RETRY_AFTER_NONE)
		resp_header(resp, "Retry-After", "%s", fe->retry_after);
	if (fe->www_authenticate)
		resp_header(
		    resp, "WWW-Authenticate",
		    "Bearer realm=\"\", "
		    "authorization_uri=\"https://login.microsoftonline."
		    "com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-"
		    "000000000000\"");
	resp_finish(resp);
}
